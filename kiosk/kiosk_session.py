"""The kiosk session: the kiosk comes back after any end but a staff exit.

A single-application session (cage on Linux) shows one program and ends when it ends;
whether the session is started again then depends on the compositor and the service
manager (cage 0.1.4, in Debian 12, exits with status 0 whatever its program did, so
systemd cannot tell a crash from a staff exit). `kiosk run --supervised` is that one
program: it starts the kiosk as a child process and starts it again whenever it ends,
except when staff closed it, which the kiosk tells by its exit status alone.

The session itself can be killed too, and then cage 0.1.4 again ends with status 0. So a
service manager that starts the session again after every end needs to tell a staff exit
from the rest: given a staff-exit file, the session creates it when staff close the kiosk
(the systemd unit in deploy/linux checks for it before each start).

Plain Python and no Qt, so a kiosk that cannot even load Qt is still started again.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

log = logging.getLogger(__name__)

# The exit status of `kiosk run` when staff signed in to close it from lock-down. Not 0:
# a Qt program also ends with 0 when its last window closes or a library quits it, and
# none of those may leave the waiting room without a kiosk. Not 1 or 2 either (an error,
# a wrong command line), nor above 125 (the shell's and the signals' own).
STAFF_CLOSED_STATUS = 10

# Ends of the session asked for by the system (systemctl stop, a shutdown, Ctrl+C).
_STOPPING_SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP")


@dataclass(frozen=True)
class RestartPauses:
    """How long to wait before starting the kiosk again, so a crash loop does not spin.

    The first pause is `first` seconds; each end soon after a start doubles it, up to
    `longest`; a kiosk that ran for `settled_after` seconds or more starts over at `first`.
    """

    first: float = 2.0
    longest: float = 60.0
    settled_after: float = 60.0


def describe_end(status: int) -> str:
    """How a child process ended, in words for the log."""
    if status < 0:
        try:
            return f"killed by {signal.Signals(-status).name}"
        except ValueError:
            return f"killed by signal {-status}"
    return f"exit status {status}"


class KioskSession:
    """Starts the kiosk, and starts it again after every end but a staff exit."""

    def __init__(
        self,
        command: Sequence[str],
        *,
        pauses: RestartPauses | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        staff_exit_file: Path | None = None,
    ) -> None:
        self.command = list(command)
        self.staff_exit_file = staff_exit_file
        self.pauses = pauses or RestartPauses()
        self.sleep = sleep
        self.clock = clock
        self.child: subprocess.Popen[bytes] | None = None
        self.stopping = False
        # The compositor that started this session; once it has gone, so has the screen.
        self.compositor = os.getppid()

    def _stop(self, number: int, _frame: FrameType | None) -> None:
        self.stopping = True
        if self.child is not None and self.child.poll() is None:
            self.child.send_signal(number)

    def _watch_for_stopping(self) -> dict[int, Any]:
        before = {}
        for name in _STOPPING_SIGNALS:
            number = getattr(signal, name, None)
            if number is not None:
                before[number] = signal.signal(number, self._stop)
        return before

    def _run_kiosk_once(self) -> int:
        self.child = subprocess.Popen(self.command)  # noqa: S603 - our own program
        log.info("kiosk started (process %d)", self.child.pid)
        if self.stopping:  # asked to stop while the child was being started
            self.child.terminate()
        try:
            return self.child.wait()
        finally:
            self.child = None

    def _wait(self, seconds: float) -> None:
        # In short steps: a stop asked for while waiting ends the session at once.
        end = self.clock() + seconds
        while not self.stopping and (left := end - self.clock()) > 0:
            self.sleep(min(left, 0.5))

    def _forget_an_earlier_staff_exit(self) -> None:
        # This session was started on purpose, so a mark left by an earlier one (a
        # service manager that did not look for it) must not close this one.
        if self.staff_exit_file is not None:
            try:
                self.staff_exit_file.unlink(missing_ok=True)
            except OSError as error:
                log.error("could not remove the staff-exit file: %s", error.strerror)

    def _mark_the_staff_exit(self) -> None:
        if self.staff_exit_file is None:
            return
        try:
            self.staff_exit_file.touch()
        except OSError as error:
            # The kiosk comes back rather than stays closed: never a waiting room left
            # without a kiosk by mistake, and staff can close it again.
            log.error(
                "could not create the staff-exit file, so the service may start the "
                "kiosk again: %s",
                error.strerror,
            )

    def run(self) -> int:
        """Run until staff close the kiosk (0) or the session itself is stopped."""
        self._forget_an_earlier_staff_exit()
        before = self._watch_for_stopping()
        try:
            return self._keep_open()
        finally:
            for number, handler in before.items():
                signal.signal(number, handler)

    def _keep_open(self) -> int:
        pause = self.pauses.first
        while not self.stopping:
            started = self.clock()
            status = self._run_kiosk_once()
            if status == STAFF_CLOSED_STATUS:
                log.info("kiosk closed by staff: the kiosk session ends")
                self._mark_the_staff_exit()
                return 0
            if self.stopping:
                log.info("kiosk session stopped by the system (kiosk: %s)", describe_end(status))
                return 0
            if os.getppid() != self.compositor:
                # Under cage: the compositor has gone, and with it the screen to show on.
                log.warning("kiosk session ends: the program that started it has gone")
                return 1
            if self.clock() - started >= self.pauses.settled_after:
                pause = self.pauses.first
            log.warning(
                "kiosk ended (%s) without a staff exit; starting it again in %.0f s",
                describe_end(status),
                pause,
            )
            sys.stderr.write(
                f"kiosk: ended ({describe_end(status)}) without a staff exit; "
                f"starting it again in {pause:.0f} s\n"
            )
            self._wait(pause)
            pause = min(pause * 2, self.pauses.longest)
        return 0
