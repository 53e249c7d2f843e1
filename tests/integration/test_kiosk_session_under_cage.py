"""The shipped systemd unit's own command line, under cage, as an unprivileged user.

cage 0.1.4 (Debian 12) exits with status 0 whatever happened to its program, so systemd
cannot restart a crashed kiosk; the kiosk session inside cage must. This runs the unit's
ExecStart (cage on wlroots' headless backend, the kiosk installed for a throwaway user,
the unit's environment and umask), kills the kiosk with SIGKILL and sees it come back,
then closes it as staff do and sees the whole session end for good.

No input device exists under the headless backend, so the corner hold and the sign-in
are done from inside the kiosk process by `session_probe/sitecustomize.py` (on the
kiosk's PYTHONPATH only), through the same widgets a person uses.
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


def _wait_for(
    what: str, condition: Callable[[], object], session: subprocess.Popen[bytes], said: Path
) -> object:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        if session.poll() is not None:
            pytest.fail(
                f"the session ended ({session.returncode}) before {what}:\n{said.read_text()}"
            )
        time.sleep(0.1)
    pytest.fail(f"no {what} within 120 s:\n{said.read_text()}")


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


def _shown(probe: Path, not_pid: int | None = None) -> tuple[int, list[int]] | None:
    for said in probe.glob("shown-*.txt"):
        pid = int(said.stem.removeprefix("shown-"))
        if pid != not_pid:
            return pid, [int(number) for number in said.read_text().split()]
    return None


def test_the_units_kiosk_comes_back_after_kill_9_and_stays_closed_after_a_staff_exit(
    installed: Installed, tmp_path: Path
) -> None:
    # The README's steps, as the kiosk's user: the database (`kiosk db init`), then the
    # first staff account.
    installed.kiosk_command("db", "init")
    installed.kiosk_command(
        "users", "add", "maria", "--role", "staff", "--password-stdin", stdin=f"{PASSWORD}\n"
    )

    (exec_start,) = _unit_setting("ExecStart")
    command = [
        part.replace(f"{INSTALLED_AT}/bin/kiosk", installed.kiosk)
        for part in shlex.split(exec_start)
    ]
    assert command[0] == "/usr/bin/cage", command
    assert command[-2:] == ["run", "--supervised"], command
    (umask,) = _unit_setting("UMask")
    env = installed.environment() | {
        # cage on no screen and no input device, drawing in software.
        "WLR_BACKENDS": "headless",
        "WLR_LIBINPUT_NO_DEVICES": "1",
        "WLR_RENDERER": "pixman",
    }
    said = tmp_path / "session-said.txt"
    with said.open("wb") as output:
        session = subprocess.Popen(
            command,
            env=env,
            cwd=installed.home,
            stdout=output,
            stderr=subprocess.STDOUT,
            umask=int(umask, 8),
            start_new_session=True,
            **installed.as_user(),  # type: ignore[arg-type]
        )
    try:
        first = _wait_for("Welcome on screen", lambda: _shown(installed.probe), session, said)
        assert isinstance(first, tuple)
        first_pid, (width, height, screen_width, screen_height) = first
        assert (width, height) == (screen_width, screen_height), "full screen under cage"
        shutil.copy(installed.probe / f"shown-{first_pid}.png", tmp_path / "welcome-under-cage.png")

        os.kill(first_pid, signal.SIGKILL)
        again = _wait_for(
            "the kiosk back after kill -9",
            lambda: _shown(installed.probe, not_pid=first_pid),
            session,
            said,
        )
        assert isinstance(again, tuple)

        (installed.probe / "staff-exit").write_text("")
        _own(installed.probe / "staff-exit", installed.uid, installed.gid, 0o600)
        try:
            status = session.wait(timeout=120)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the session goes on after a staff exit:\n{_kiosk_log(installed)}")
        assert status == 0, said.read_text()
    finally:
        if session.poll() is None:
            os.killpg(session.pid, signal.SIGKILL)
            session.wait(timeout=30)

    kiosks = [args for args in _processes_of(installed.uid).values() if "ui.main" in args]
    assert kiosks == [], "nothing starts the kiosk again after a staff exit"
    log = _kiosk_log(installed)
    assert "killed by SIGKILL" in log
    assert "kiosk closed by staff: the kiosk session ends" in log
    audit = installed.kiosk_command("audit")
    assert "user:maria  kiosk_closed" in audit, audit
