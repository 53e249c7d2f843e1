"""Set up and run the kiosk, every check, or the benchmarks: `python3 dev.py run|test|bench`.

Standard library only, so it works on a fresh machine with nothing but Python 3.11+.
It keeps a virtual environment in `.venv` and reinstalls the project there only when
`pyproject.toml` changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP_FOLDER = VENV / "installed-from"


def setup(extras: str) -> None:
    """Create `.venv` and install the project (editable) with `extras`, when needed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older Python
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        print("Creating the virtual environment in .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    # The test install includes everything the run install has.
    enough = {extras, "test"} if not extras else {extras}
    for name in enough:
        stamp = STAMP_FOLDER / (name or "run")
        if stamp.exists() and stamp.read_text().strip() == wanted:
            return
    print(f"Installing the kiosk and its dependencies ({extras or 'run'}) …", flush=True)
    target = f".[{extras}]" if extras else "."
    subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True, cwd=ROOT
    )
    subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "--quiet", "-e", target], check=True, cwd=ROOT
    )
    STAMP_FOLDER.mkdir(exist_ok=True)
    (STAMP_FOLDER / (extras or "run")).write_text(wanted)


def tool(name: str) -> str:
    """A console script installed in `.venv`."""
    return str(BIN / (f"{name}.exe" if os.name == "nt" else name))


# Libraries Qt's X11 platform plugin loads that a minimal Debian or Ubuntu lacks.
QT_X11_LIBRARIES = {
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-image.so.0": "libxcb-image0",
}


def ensure_qt_system_libraries() -> None:
    """On Debian or Ubuntu, install the few system libraries Qt needs to open a window."""
    if not sys.platform.startswith("linux") or not Path("/usr/bin/apt-get").exists():
        return
    known = subprocess.run(
        ["/sbin/ldconfig", "-p"], capture_output=True, text=True, check=False
    ).stdout
    missing = sorted(
        {package for library, package in QT_X11_LIBRARIES.items() if library not in known}
    )
    if not missing:
        return
    command = ["apt-get", "install", "-y", "--no-install-recommends", *missing]
    if os.geteuid() != 0:
        print(
            "Qt needs these system libraries to open a window; please run:\n  sudo "
            + " ".join(command),
            flush=True,
        )
        return
    print(f"Installing the system libraries Qt needs: {' '.join(missing)} …", flush=True)
    subprocess.run(
        command,
        check=False,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )


def run(arguments: list[str]) -> int:
    """Start the kiosk on its defaults (or run `kiosk` with the given arguments)."""
    setup("")
    if not arguments or arguments[0] in {"run", "desk", "admin"}:
        ensure_qt_system_libraries()
    return subprocess.call([tool("kiosk"), *(arguments or ["run"])])


def test(arguments: list[str]) -> int:
    """Lint, type-check, check the layers, then run the whole test suite."""
    setup("test")
    checks = [
        [tool("ruff"), "check", "."],
        [tool("ruff"), "format", "--check", "."],
        [tool("mypy")],
        [tool("lint-imports")],
        [str(PYTHON), "-m", "pytest", *arguments],
    ]
    for check in checks:
        print(
            "$",
            " ".join(Path(check[0]).name if n == 0 else part for n, part in enumerate(check)),
            flush=True,
        )
        code = subprocess.call(check, cwd=ROOT)
        if code:
            return code
    return 0


def bench(arguments: list[str]) -> int:
    """Run the benchmarks (bench/) and print their table; they are not part of `test`."""
    setup("")
    return subprocess.call([str(PYTHON), "-m", "bench", *arguments], cwd=ROOT)


def main() -> int:
    """`python3 dev.py run|test|bench [arguments for kiosk, pytest or the benchmarks]`."""
    actions = {"run": run, "test": test, "bench": bench}
    if len(sys.argv) < 2 or sys.argv[1] not in actions:
        print(__doc__)
        return 2
    return actions[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
