"""A private desktop session with an accessibility bus, the kiosk on it, and a screen reader.

What a blind patient's screen reader or a switch user's assistive technology meets on
Linux: Qt's AT-SPI bridge, on the accessibility bus of a D-Bus session. Each test gets a
session of its own: a D-Bus session bus, an X server (Xvfb), the accessibility bus
(`at-spi-bus-launcher`, which starts the registry), the kiosk (`kiosk run`) and, as the
assistive technology, `screen_reader/reader.py` under Debian's Python, the only one that
can import pyatspi. Nothing here reads or writes the developer's own session.

Needs Debian's `dbus`, `xvfb`, `at-spi2-core` and `python3-pyatspi` (`.ci/run` installs
them); without them the tests skip and say which is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.integration.running import KIOSK

SYSTEM_PYTHON = Path("/usr/bin/python3")
BUS_LAUNCHER = Path("/usr/libexec/at-spi-bus-launcher")
READER = Path(__file__).with_name("screen_reader") / "reader.py"
SCREEN = (1080, 1920)
APP_NAME = "Waiting Room Kiosk"


def missing_reason() -> str | None:
    """Why the accessibility bus cannot be tried here, or None."""
    if os.name != "posix":
        return "AT-SPI is Linux's accessibility bus"
    for program in ("dbus-daemon", "Xvfb", "dbus-send", "xdotool"):
        if shutil.which(program) is None:
            return f"needs {program} (apt-get install dbus xvfb xdotool; .ci/run installs them)"
    if not BUS_LAUNCHER.exists():
        return "needs at-spi-bus-launcher (apt-get install at-spi2-core; .ci/run installs it)"
    probe = (
        subprocess.run(
            [str(SYSTEM_PYTHON), "-c", "import pyatspi"], capture_output=True, check=False
        )
        if SYSTEM_PYTHON.exists()
        else None
    )
    if probe is None or probe.returncode != 0:
        return (
            "needs pyatspi in /usr/bin/python3 (apt-get install python3-pyatspi; "
            ".ci/run installs it)"
        )
    return None


class ReaderError(AssertionError):
    """The screen reader could not do what the test asked (no such control, two of them)."""


@dataclass
class ScreenReader:
    """The test's end of `reader.py`: one request, one answer."""

    process: subprocess.Popen[str]
    kiosk: subprocess.Popen[bytes]
    kiosk_said: Path
    heard: list[dict[str, Any]] = field(default_factory=list)

    def ask(self, do: str, **request: Any) -> Any:
        """Send one request; its answer (ReaderError if the reader could not)."""
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(json.dumps({"do": do, **request}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise ReaderError(f"the screen reader stopped; the kiosk said:\n{self.said()}")
        reply = json.loads(line)
        if "error" in reply:
            raise ReaderError(reply["error"])
        return reply["ok"]

    def said(self) -> str:
        """What the kiosk wrote to its output (for a failed test's message)."""
        return self.kiosk_said.read_text(errors="replace")

    def showing(self) -> list[dict[str, Any]]:
        """Every node on screen, in the tree's order."""
        return list(self.ask("showing"))

    def act(self, name: str, role: str | None = None) -> list[str]:
        """Do the default action of the one showing node called `name`; its actions."""
        return list(self.ask("act", name=name, role=role))

    def events(self) -> list[dict[str, Any]]:
        """What the kiosk sent since the last call (all of it is also kept in `heard`)."""
        new = list(self.ask("events"))
        self.heard.extend(new)
        return new

    def wait_for(
        self, what: str, found: Callable[[list[dict[str, Any]]], Any], timeout: float = 20
    ) -> Any:
        """Ask for what is showing until `found` gives something true; that."""
        deadline = time.monotonic() + timeout
        showing: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            assert self.kiosk.poll() is None, f"the kiosk ended:\n{self.said()}"
            try:
                showing = self.showing()
            except ReaderError as error:
                if _VANISHED not in str(error):
                    raise
                # A node went while the walk read the tree (a notice came over the
                # screen): a screen reader reads it again, and so does this one.
                continue
            result = found(showing)
            if result:
                return result
            time.sleep(0.1)
        names = [(n["role"], n["name"]) for n in showing]
        raise ReaderError(f"never showed {what}; showing: {names}")

    def wait_for_node(
        self, name: str, role: str | None = None, timeout: float = 20
    ) -> dict[str, Any]:
        """The showing node called `name` (and of `role`), once it shows."""
        return dict(
            self.wait_for(
                f"{role or 'a node'} {name!r}",
                lambda nodes: next(
                    (n for n in nodes if n["name"] == name and role in (None, n["role"])), None
                ),
                timeout,
            )
        )


# What the bus answers for a node that was there a moment ago.
_VANISHED = "No such object path"


def _start_x_server() -> tuple[subprocess.Popen[bytes], str]:
    read_end, write_end = os.pipe()
    size = "{}x{}x24".format(*SCREEN)
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", size, "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as answer:
        number = answer.readline().strip()  # written once the server is ready
    assert number, "Xvfb did not start"
    return server, f":{number}"


def _start_session_bus() -> tuple[subprocess.Popen[str], str]:
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert bus.stdout is not None
    address = bus.stdout.readline().strip()
    assert address, "dbus-daemon did not start"
    return bus, address


def _wait_for_accessibility_bus(env: dict[str, str]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        asked = subprocess.run(
            [
                "dbus-send",
                "--session",
                "--print-reply",
                "--dest=org.a11y.Bus",
                "/org/a11y/bus",
                "org.a11y.Bus.GetAddress",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
        if asked.returncode == 0 and "unix:" in asked.stdout:
            return
        time.sleep(0.1)
    raise AssertionError("the accessibility bus did not start")


def _stop(process: subprocess.Popen[Any]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)
    for pipe in (process.stdin, process.stdout, process.stderr):
        if pipe is not None:
            pipe.close()


@dataclass
class Session:
    """Environment and folders of one private desktop session."""

    env: dict[str, str]
    home: Path
    processes: list[subprocess.Popen[Any]] = field(default_factory=list)


def desktop_session(home: Path) -> Iterator[Session]:
    """A D-Bus session, an X server and the accessibility bus; stopped afterwards."""
    processes: list[subprocess.Popen[Any]] = []
    try:
        bus, address = _start_session_bus()
        processes.append(bus)
        x_server, display = _start_x_server()
        processes.append(x_server)
        env = {key: value for key, value in os.environ.items() if not key.startswith("KIOSK_")}
        for name in ("QT_QPA_PLATFORM", "AT_SPI_BUS_ADDRESS", "WAYLAND_DISPLAY"):
            env.pop(name, None)
        env |= {
            "DBUS_SESSION_BUS_ADDRESS": address,
            "DISPLAY": display,
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_STATE_HOME": str(home / "state"),
            "XDG_RUNTIME_DIR": str(home / "runtime"),
            # Qt speaks to the accessibility bus only when asked, or when a screen
            # reader says it is on; these make it speak from the start.
            "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
            "QT_ACCESSIBILITY": "1",
            "NO_AT_BRIDGE": "0",
        }
        (home / "runtime").mkdir(mode=0o700, exist_ok=True)
        launcher = subprocess.Popen(
            [str(BUS_LAUNCHER), "--launch-immediately"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(launcher)
        _wait_for_accessibility_bus(env)
        yield Session(env, home, processes)
    finally:
        for process in reversed(processes):
            _stop(process)


def start_kiosk(session: Session, settings: str) -> tuple[subprocess.Popen[bytes], Path]:
    """`kiosk db init`, then `kiosk run --windowed` with `settings` (kiosk.toml's text)."""
    home = session.home
    database = home / "clinic.sqlite3"
    settings_file = home / "kiosk.toml"
    settings_file.write_text(f'database_url = "sqlite:///{database}"\n{settings}')
    settings_file.chmod(0o600)
    env = session.env | {"KIOSK_CONFIG": str(settings_file)}
    made = subprocess.run(
        [str(KIOSK), "db", "init"],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    said = home / "kiosk-said.txt"
    with said.open("wb") as output:
        kiosk = subprocess.Popen(
            [str(KIOSK), "run", "--windowed"],
            env=env,
            cwd=home,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    session.processes.append(kiosk)
    return kiosk, said


def start_reader(session: Session, kiosk: subprocess.Popen[bytes], said: Path) -> ScreenReader:
    """The screen reader, connected to the kiosk once the kiosk is on the bus."""
    with (session.home / "reader-said.txt").open("w") as errors:
        process = subprocess.Popen(
            [str(SYSTEM_PYTHON), str(READER)],
            env=session.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
    session.processes.append(process)
    assert process.stdout is not None
    ready = json.loads(process.stdout.readline() or "{}")
    assert ready.get("ok") == "ready", (session.home / "reader-said.txt").read_text()
    reader = ScreenReader(process, kiosk, said)
    deadline = time.monotonic() + 60
    while not reader.ask("wait_app", name=APP_NAME):
        assert kiosk.poll() is None, f"the kiosk ended:\n{reader.said()}"
        assert time.monotonic() < deadline, f"the kiosk never reached the bus:\n{reader.said()}"
        time.sleep(0.2)
    _give_input_focus(session, kiosk.pid)
    return reader


def _give_input_focus(session: Session, pid: int) -> None:
    """The kiosk's window gets the input focus, as the kiosk's session (cage) gives it.

    Xvfb has no window manager to do it, and Qt moves no focus (and so sends no focus
    event) inside a window that does not have it.
    """
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--pid", str(pid)],
            env=session.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
        windows = found.stdout.split()
        if windows:
            for window in windows:
                subprocess.run(
                    ["xdotool", "windowfocus", "--sync", window],
                    env=session.env,
                    capture_output=True,
                    check=False,
                    timeout=10,
                )
            return
        time.sleep(0.1)
    raise AssertionError("the kiosk's window never showed on the X server")
