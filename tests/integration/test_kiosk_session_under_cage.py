"""The shipped systemd unit's own command line, under cage, as an unprivileged user.

cage 0.1.4 (Debian 12) exits with status 0 whatever happened to its program, so systemd
cannot restart a crashed kiosk; the kiosk session inside cage must. This runs the unit's
ExecStart (cage on wlroots' headless backend, the kiosk installed for a throwaway user,
the unit's environment and umask), kills the kiosk with SIGKILL and sees it come back,
then closes it as staff do and sees the whole session end for good.

No input device exists under the headless backend, so the corner hold and the sign-in
are done from inside the kiosk process by `session_probe/sitecustomize.py` (on the
kiosk's PYTHONPATH only), through the same widgets a person uses. Welcome's picture is
what Qt drew (window.grab), not a screenshot of cage's: cage 0.1.4's headless output
keeps showing a program's first frame (measured with grim: a 504x336 Welcome, and a
plain Qt window's first size, while Qt had drawn and committed the full screen). cage's
x11 backend in Xvfb (WLR_BACKENDS=x11 DISPLAY=...) shows what was drawn, full screen.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shlex
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.integration.running import KIOSK

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "linux" / "waiting-room-kiosk.service"
INSTALLED_AT = "/opt/waiting-room-kiosk"
PROBE = Path(__file__).with_name("session_probe")
PASSWORD = "correct horse battery staple"
DEBIAN_PYTHON = Path("/usr/bin/python3")
USER_VARIABLE = "KIOSK_TEST_SESSION_USER"
# Read now: every test runs with the KIOSK_ variables removed (tests/conftest.py).
SESSION_USER = os.environ.get(USER_VARIABLE, "")


def _why_not() -> str | None:
    if os.name != "posix" or not sys.platform.startswith("linux"):
        return "cage is a Linux compositor"
    if shutil.which("cage") is None or shutil.which("Xwayland") is None:
        return (
            "cage and Xwayland are not installed (apt-get install cage xwayland "
            "libwayland-cursor0; .ci/run installs them)"
        )
    if os.geteuid() == 0 and not SESSION_USER:
        return (
            f"cage refuses to run as root and {USER_VARIABLE} names no unprivileged user "
            "to run it as (.ci/run creates one)"
        )
    return None


pytestmark = pytest.mark.skipif(_why_not() is not None, reason=_why_not() or "")


def _unit_setting(name: str) -> list[str]:
    return [
        line.split("=", 1)[1].strip()
        for line in UNIT.read_text().splitlines()
        if line.startswith(f"{name}=")
    ]


@dataclass
class Installed:
    """The kiosk installed for the session's user, as the README's steps do."""

    base: Path
    kiosk: str  # the `kiosk` command, where the unit has /opt/waiting-room-kiosk/bin/kiosk
    home: Path
    runtime: Path
    probe: Path
    uid: int
    gid: int

    def environment(self) -> dict[str, str]:
        """What systemd and the login session give the unit's command (and no more)."""
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": str(self.home),
            "LANG": "C.UTF-8",
            "XDG_RUNTIME_DIR": str(self.runtime),
            "KIOSK_PROBE_DIR": str(self.probe),
            "KIOSK_PROBE_STAFF": "maria",
            "KIOSK_PROBE_PASSWORD": PASSWORD,
            "PYTHONPATH": str(PROBE),
        }
        for setting in _unit_setting("Environment"):
            key, _, value = setting.partition("=")
            env[key] = value
        return env

    def as_user(self) -> dict[str, object]:
        """Popen arguments that run a program as the session's user."""
        if os.geteuid() != 0:
            return {}
        return {"user": self.uid, "group": self.gid, "extra_groups": []}

    def kiosk_command(self, *args: str, stdin: str | None = None) -> str:
        env = self.environment()
        env.pop("KIOSK_LOCKDOWN", None)
        done = subprocess.run(
            [self.kiosk, *args],
            env=env,
            cwd=self.home,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            **self.as_user(),  # type: ignore[arg-type]
        )
        assert done.returncode == 0, done.stderr
        return done.stdout


def _own(path: Path, uid: int, gid: int, mode: int) -> None:
    path.chmod(mode)
    if os.geteuid() == 0:
        os.chown(path, uid, gid)


def _install(base: Path) -> Installed:
    if os.geteuid() == 0:
        entry = pwd.getpwnam(SESSION_USER)
        uid, gid = entry.pw_uid, entry.pw_gid
    else:
        uid, gid = os.getuid(), os.getgid()
    base.chmod(0o755)
    if os.geteuid() == 0:
        # This Python may live in root's home, where the user cannot reach; Debian's own
        # Python of the same version reads this environment's packages through a .pth.
        if not DEBIAN_PYTHON.exists():
            pytest.skip(f"{DEBIAN_PYTHON} is missing: the session's user needs a Python")
        version = subprocess.run(
            [str(DEBIAN_PYTHON), "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        if [int(part) for part in version] != list(sys.version_info[:2]):
            pytest.skip(
                f"{DEBIAN_PYTHON} is not Python {sys.version_info[0]}.{sys.version_info[1]}"
            )
        venv = base / "venv"
        subprocess.run([str(DEBIAN_PYTHON), "-m", "venv", "--without-pip", str(venv)], check=True)
        site = Path(
            subprocess.run(
                [
                    str(venv / "bin" / "python"),
                    "-c",
                    "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        )
        here = sysconfig.get_paths()["purelib"]
        (site / "kiosk_under_test.pth").write_text(f"import site; site.addsitedir({here!r})\n")
        readable = subprocess.run(
            [str(venv / "bin" / "python"), "-c", "import ui.main, PySide6.QtWidgets"],
            capture_output=True,
            text=True,
            check=False,
            user=uid,
            group=gid,
            extra_groups=[],
        )
        if readable.returncode != 0:
            # Not a fault of the kiosk's: the clone sits where other users cannot reach.
            pytest.skip(
                f"{SESSION_USER} cannot read this project ({ROOT}) or its packages ({here}): "
                "clone it where other users may read it (every folder above it o+x)\n"
                + readable.stderr
            )
        kiosk = venv / "bin" / "kiosk"
        kiosk.write_text(
            f"#!{venv / 'bin' / 'python'}\nimport sys\nfrom ui.main import main\nsys.exit(main())\n"
        )
        kiosk.chmod(0o755)
    else:
        kiosk = KIOSK
    home = base / "home"
    runtime = base / "run"
    probe = base / "probe"
    config = home / ".config" / "waiting-room-kiosk"
    config.mkdir(parents=True)
    runtime.mkdir()
    probe.mkdir()
    settings = config / "kiosk.toml"
    # Read to me would start a speech server that outlives the kiosk; not under test here.
    settings.write_text("read_aloud = false\n")
    for path, mode in [
        (home, 0o700),
        (home / ".config", 0o700),
        (config, 0o700),
        (settings, 0o600),
        (runtime, 0o700),
        (probe, 0o700),
    ]:
        _own(path, uid, gid, mode)
    return Installed(base, str(kiosk), home, runtime, probe, uid, gid)


def _processes_of(uid: int) -> dict[int, list[str]]:
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid != uid:
                continue
            found[int(entry.name)] = (entry / "cmdline").read_bytes().decode().split("\0")
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return found


# How systemd decides on a restart (systemd.service(5), "Restart="): an end by one of
# these signals is clean, like exit status 0.
_CLEAN_SIGNALS = {signal.SIGHUP, signal.SIGINT, signal.SIGTERM, signal.SIGPIPE}


class ServiceManager:
    """The unit run as systemd 252 (Debian 12) runs it, for the settings it uses.

    systemd is not the init system here, so this plays its documented part: before each
    start the RuntimeDirectory= is made (the user's, RuntimeDirectoryMode=) and every
    ExecCondition= runs, and a status of 1 to 254 skips the unit, which then never
    restarts (systemd.service(5); service.c: `SERVICE_RESTART_ALWAYS: return s->result
    != SERVICE_SKIP_CONDITION`); then ExecStart= runs, and when it ends whatever it left
    is killed (KillMode=control-group) and Restart= decides, after RestartSec=, whether it
    starts again. RuntimeDirectoryPreserve=restart keeps the folder across restarts only.
    `%t` is systemd's runtime folder (/run for a system unit), here one of the test's.
    """

    def __init__(self, installed: Installed, env: dict[str, str], said: Path) -> None:
        self.installed = installed
        self.env = env
        self.said = said
        self.runtime_root = installed.base / "run-root"
        self.runtime_root.mkdir(mode=0o755)
        (self.restart,) = _unit_setting("Restart")
        assert self.restart in {"no", "on-failure", "always"}, self.restart
        (pause,) = _unit_setting("RestartSec")
        self.restart_pause = float(pause)
        (umask,) = _unit_setting("UMask")
        self.umask = int(umask, 8)
        self.cage: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.ends: list[int] = []
        self.skipped = False
        self.done = threading.Event()
        self.stopping = False
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def command(self, setting: str) -> list[str]:
        (line,) = _unit_setting(setting)
        return [
            part.replace("%t", str(self.runtime_root)).replace(
                f"{INSTALLED_AT}/bin/kiosk", self.installed.kiosk
            )
            for part in shlex.split(line)
        ]

    def runtime_directories(self) -> list[Path]:
        return [self.runtime_root / name for name in _unit_setting("RuntimeDirectory")]

    def _make_runtime_directories(self) -> None:
        (mode,) = _unit_setting("RuntimeDirectoryMode") or ["0755"]
        for folder in self.runtime_directories():
            folder.mkdir(exist_ok=True)
            _own(folder, self.installed.uid, self.installed.gid, int(mode, 8))

    def _remove_runtime_directories(self, restarting: bool) -> None:
        preserve = (_unit_setting("RuntimeDirectoryPreserve") or ["no"])[0]
        if preserve == "yes" or (preserve == "restart" and restarting):
            return
        for folder in self.runtime_directories():
            shutil.rmtree(folder, ignore_errors=True)

    def _would_restart(self, status: int) -> bool:
        if self.restart == "always":
            return True
        clean = status == 0 or (status < 0 and -status in _CLEAN_SIGNALS)
        return self.restart == "on-failure" and not clean

    def _run(self, command: list[str], **options: object) -> subprocess.Popen[bytes]:
        with self.said.open("ab") as output:
            return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
                command,
                env=self.env,
                cwd=self.installed.home,
                stdout=output,
                stderr=subprocess.STDOUT,
                umask=self.umask,
                start_new_session=True,
                **self.installed.as_user(),
                **options,
            )

    def _serve(self) -> None:
        try:
            while not self.stopping:
                self._make_runtime_directories()
                if _unit_setting("ExecCondition"):
                    condition = self._run(self.command("ExecCondition")).wait(timeout=60)
                    if 1 <= condition <= 254:
                        self.skipped = True
                        self._remove_runtime_directories(restarting=False)
                        return
                self.cage = self._run(self.command("ExecStart"))
                self.starts += 1
                status = self.cage.wait()
                # KillMode=control-group: nothing of this start outlives it.
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.cage.pid, signal.SIGKILL)
                self.ends.append(status)
                restarting = not self.stopping and self._would_restart(status)
                self._remove_runtime_directories(restarting)
                if not restarting:
                    return
                time.sleep(self.restart_pause)
        finally:
            self.done.set()

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopping = True
        if self.cage is not None and self.cage.poll() is None:
            os.killpg(self.cage.pid, signal.SIGKILL)
        self.thread.join(timeout=60)


def _wait_for(what: str, condition: Callable[[], object], unit: ServiceManager) -> object:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        if unit.done.is_set():
            pytest.fail(
                f"the unit ended (exit statuses {unit.ends}, condition skipped: "
                f"{unit.skipped}) before {what}:\n{unit.said.read_text()}"
            )
        time.sleep(0.1)
    pytest.fail(f"no {what} within 120 s:\n{unit.said.read_text()}")


@pytest.fixture
def installed() -> Iterator[Installed]:
    base = Path(tempfile.mkdtemp(prefix="kiosk-session-"))
    try:
        ready = _install(base)
        yield ready
    finally:
        if os.geteuid() == 0 and SESSION_USER:
            # Whatever the throwaway user still runs (an orphaned Xwayland, say) goes.
            for pid in _processes_of(pwd.getpwnam(SESSION_USER).pw_uid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        shutil.rmtree(base, ignore_errors=True)


def _kiosk_log(installed: Installed) -> str:
    return "".join(log.read_text() for log in installed.home.rglob("kiosk.log"))


def _shown(probe: Path, not_pids: set[int]) -> tuple[int, list[int]] | None:
    for said in probe.glob("shown-*.txt"):
        pid = int(said.stem.removeprefix("shown-"))
        if pid not in not_pids:
            return pid, [int(number) for number in said.read_text().split()]
    return None


def _session_of(uid: int) -> int | None:
    """The kiosk session (`kiosk run --supervised`), the program cage runs."""
    for pid, args in _processes_of(uid).items():
        if "--supervised" in args and "/usr/bin/cage" not in args:
            return pid
    return None


def test_the_units_kiosk_comes_back_after_any_kill_and_stays_closed_after_a_staff_exit(
    installed: Installed, tmp_path: Path
) -> None:
    # The README's steps, as the kiosk's user: the database (`kiosk db init`), then the
    # first staff account.
    installed.kiosk_command("db", "init")
    installed.kiosk_command(
        "users", "add", "maria", "--role", "staff", "--password-stdin", stdin=f"{PASSWORD}\n"
    )

    env = installed.environment() | {
        # cage on no screen and no input device, drawing in software.
        "WLR_BACKENDS": "headless",
        "WLR_LIBINPUT_NO_DEVICES": "1",
        "WLR_RENDERER": "pixman",
    }
    unit = ServiceManager(installed, env, tmp_path / "session-said.txt")
    command = unit.command("ExecStart")
    assert command[0] == "/usr/bin/cage", command
    assert command[command.index("run") + 1] == "--supervised", command
    seen: set[int] = set()
    unit.start()
    try:
        first = _wait_for("Welcome on screen", lambda: _shown(installed.probe, seen), unit)
        assert isinstance(first, tuple)
        first_pid, (width, height, screen_width, screen_height) = first
        assert (width, height) == (screen_width, screen_height), "full screen under cage"
        shutil.copy(installed.probe / f"shown-{first_pid}.png", tmp_path / "welcome-under-cage.png")
        seen.add(first_pid)

        # The kiosk killed: the session inside cage starts it again.
        os.kill(first_pid, signal.SIGKILL)
        again = _wait_for(
            "the kiosk back after kill -9", lambda: _shown(installed.probe, seen), unit
        )
        assert isinstance(again, tuple)
        seen.add(again[0])
        assert unit.starts == 1, "the same cage, not a restart of the unit"

        # The session itself killed: cage 0.1.4 ends with status 0, and the unit must
        # still bring the kiosk back.
        supervising = _session_of(installed.uid)
        assert supervising is not None
        os.kill(supervising, signal.SIGKILL)
        third = _wait_for(
            "the kiosk back after the kiosk session was killed",
            lambda: _shown(installed.probe, seen),
            unit,
        )
        assert isinstance(third, tuple)
        assert unit.starts == 2, unit.ends

        (installed.probe / "staff-exit").write_text("")
        _own(installed.probe / "staff-exit", installed.uid, installed.gid, 0o600)
        if not unit.done.wait(timeout=120):
            pytest.fail(f"the unit goes on after a staff exit:\n{_kiosk_log(installed)}")
    finally:
        unit.stop()

    assert unit.skipped, f"the unit ended without its staff-exit check: {unit.ends}"
    assert unit.starts == 2, "nothing starts the kiosk again after a staff exit"
    assert [folder for folder in unit.runtime_directories() if folder.exists()] == [], (
        "the staff-exit file goes with the unit, so the next start is a fresh one"
    )
    kiosks = [args for args in _processes_of(installed.uid).values() if "ui.main" in args]
    assert kiosks == [], "nothing starts the kiosk again after a staff exit"
    log = _kiosk_log(installed)
    assert "killed by SIGKILL" in log
    assert "kiosk closed by staff: the kiosk session ends" in log
    audit = installed.kiosk_command("audit")
    assert "user:maria  kiosk_closed" in audit, audit
