"""The kiosk's own exit PIN: how staff leave a locked-down kiosk whose role reads no account.

On a clinic's server the kiosk's database role cannot read staff accounts (see
`kiosk.server_roles`), so staff leave lock-down with a PIN of the kiosk's own instead of
signing in. `kiosk exit-pin` sets it, as whoever may write that kiosk's settings file
(the operating system's rights decide who); only its scrypt hash is kept there, as
`exit_pin`. Wrong PINs are rate-limited: after `WRONG_TRIES_BEFORE_WAIT` in a row every
try is refused unchecked for `WAIT`. Each try (wrong, refused, or the exit) is written to
the audit trail; while the database cannot take it, it waits in a file beside the held
visits and goes in when the kiosk is next online (its next start, or its next retry of
held visits).
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from kiosk import auth
from kiosk.audit import AuditAction
from kiosk.database import Database
from kiosk.file_access import make_folder
from kiosk.kiosk_access import record_kiosk_event

log = logging.getLogger(__name__)

WRONG_TRIES_BEFORE_WAIT = 5
WAIT = timedelta(minutes=5)
PIN_PATTERN = re.compile(r"[0-9]{6,12}")
# Kept beside the held visits: the kiosk's own folder, which its user alone may write.
PENDING_FILE = "exit-pin-events.jsonl"


class ExitPinError(ValueError):
    """A PIN that cannot be used; the message says why in plain words."""


def check_new_pin(pin: str) -> None:
    """A PIN is 6 to 12 digits (what the lock-down keypad can type), not all one digit or
    a plain run (123456)."""
    if not PIN_PATTERN.fullmatch(pin):
        raise ExitPinError("an exit PIN is 6 to 12 digits")
    if len(set(pin)) == 1 or pin in "01234567890123" or pin in "98765432109876":
        raise ExitPinError(
            "an exit PIN that is one digit repeated or counted in a row is "
            "guessed first: choose another"
        )


def hash_pin(pin: str) -> str:
    """The PIN as kept in the settings file: a salted scrypt hash, never the digits."""
    check_new_pin(pin)
    return auth.hash_password(pin)


def write_exit_pin(settings_file: Path, pin: str) -> None:
    """Set `exit_pin` in the kiosk's settings file, keeping every other line as it is.

    The file is rewritten through a partial file renamed into place, with the mode it
    had (0600 for a file made here: it may hold the database's password too).
    """
    hashed = hash_pin(pin)
    try:
        lines = settings_file.read_text("utf-8").splitlines()
        mode = settings_file.stat().st_mode & 0o777
    except FileNotFoundError:
        lines, mode = [], 0o600
    kept = [line for line in lines if not re.match(r"\s*exit_pin\s*=", line)]
    kept.append(f'exit_pin = "{hashed}"')
    make_folder(settings_file.parent)
    partial = settings_file.with_name(settings_file.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(descriptor, mode)
        os.write(descriptor, ("\n".join(kept) + "\n").encode("utf-8"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    partial.replace(settings_file)


class ExitOutcome(StrEnum):
    """What a PIN typed at a locked-down kiosk did."""

    LEAVE = "leave"
    WRONG = "wrong"
    WAIT = "wait"  # too many wrong PINs: refused unchecked for a while


@dataclass(frozen=True)
class ExitAttempt:
    """The outcome, and for WAIT how many whole minutes are left."""

    outcome: ExitOutcome
    minutes_left: int = 0


class ExitPin:
    """The PIN check at one kiosk, its rate limit and its audit entries.

    `clock` should be one that cannot jump (the kiosk's steady clock): a patient who
    could set the computer's time must not be able to skip the wait.
    """

    def __init__(
        self,
        stored_hash: str,
        *,
        station: str,
        pending_folder: Path,
        clock: Callable[[], datetime],
    ) -> None:
        self.stored_hash = stored_hash
        self.station = station
        self.pending_file = pending_folder / PENDING_FILE
        self.clock = clock
        self.wrong_in_a_row = 0
        self.waiting_until: datetime | None = None

    def try_pin(self, pin: str, *, at: datetime) -> ExitAttempt:
        """Check a typed PIN; every try is noted for the audit trail (`at`: wall time)."""
        now = self.clock()
        if self.waiting_until is not None and now < self.waiting_until:
            left = self.waiting_until - now
            self._note(
                AuditAction.KIOSK_EXIT_REFUSED,
                "exit PIN refused unchecked: too many wrong PINs in a row",
                at,
            )
            return ExitAttempt(ExitOutcome.WAIT, max(1, -(-int(left.total_seconds()) // 60)))
        if auth.password_matches(pin, self.stored_hash):
            self.wrong_in_a_row, self.waiting_until = 0, None
            self._note(AuditAction.KIOSK_CLOSED, "left lock-down with the kiosk's exit PIN", at)
            return ExitAttempt(ExitOutcome.LEAVE)
        self.wrong_in_a_row += 1
        detail = f"wrong exit PIN ({self.wrong_in_a_row} in a row)"
        if self.wrong_in_a_row >= WRONG_TRIES_BEFORE_WAIT:
            self.wrong_in_a_row = 0
            self.waiting_until = now + WAIT
            detail += f"; refused for {int(WAIT.total_seconds() // 60)} minutes"
            self._note(AuditAction.KIOSK_EXIT_REFUSED, detail, at)
            return ExitAttempt(ExitOutcome.WAIT, int(WAIT.total_seconds() // 60))
        self._note(AuditAction.KIOSK_EXIT_REFUSED, detail, at)
        return ExitAttempt(ExitOutcome.WRONG)

    def _note(self, action: AuditAction, detail: str, at: datetime) -> None:
        """Keep the event on disk until the audit trail has it (`write_pending`)."""
        event = {"action": action.value, "detail": detail, "at": at.isoformat()}
        try:
            make_folder(self.pending_file.parent)
            with self.pending_file.open("a", encoding="utf-8") as file:
                file.write(json.dumps(event) + "\n")
                file.flush()
                os.fsync(file.fileno())
        except OSError as error:
            log.error("an exit PIN event could not be kept for the audit trail: %s", error)


def write_pending(database: Database, *, station: str, pending_folder: Path) -> int:
    """Write the exit PIN events waiting on this kiosk into the audit trail, in one
    transaction, then forget them; how many. Raises the database's error if it cannot."""
    pending = pending_folder / PENDING_FILE
    # Taken aside first, so a try noted meanwhile goes into a new file and is not lost
    # with this one; one left from a try that failed goes in before anything newer.
    sending = pending_folder / (PENDING_FILE + ".sending")
    try:
        if not sending.exists():
            pending.replace(sending)
        lines = sending.read_text("utf-8").splitlines()
    except FileNotFoundError:
        return 0
    events = []
    for line in lines:
        try:
            events.append(json.loads(line))
        except ValueError:
            continue  # a line cut short by a crash: the rest still count
    with database.session() as session, session.begin():
        for event in events:
            record_kiosk_event(
                session,
                f"kiosk:{station}",
                AuditAction(event["action"]),
                station=station,
                detail=f"{event['detail']} (at {event['at']} on the kiosk's clock)",
            )
    sending.unlink(missing_ok=True)
    return len(events)
