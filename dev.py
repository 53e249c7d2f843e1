"""Set up and run the kiosk, every check, or the benchmarks: `python3 dev.py run|test|bench`.

`python3 dev.py translations` refreshes the interface translations: it adds new strings
of the patient screens to each `resources/translations/kiosk_<language>.ts` (translate
them there, with `pyside6-linguist` or a text editor) and builds the `.qm` files.

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


# The domain's unit tests also run where PySide6 cannot be imported: proof that `kiosk/`
# works without Qt, beyond what import-linter sees (a lazy import inside a function).
NO_QT_VENV = ROOT / ".venv-no-qt"
NO_QT_PYTHON = (
    NO_QT_VENV
    / ("Scripts" if os.name == "nt" else "bin")
    / ("python.exe" if os.name == "nt" else "python")
)
_QT_PACKAGES = ("pyside6", "pytest-qt")
_NO_QT_CHECK = (
    "import importlib.util, sys; "
    "sys.exit('PySide6 is importable in .venv-no-qt') "
    "if importlib.util.find_spec('PySide6') else None"
)


def setup_without_qt() -> None:
    """Create `.venv-no-qt`: the project and its test tools, without PySide6 or pytest-qt."""
    import tomllib

    if not NO_QT_PYTHON.exists():
        print("Creating the environment without Qt in .venv-no-qt …", flush=True)
        venv.EnvBuilder(with_pip=True).create(NO_QT_VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    stamp = NO_QT_VENV / "installed-from"
    if stamp.exists() and stamp.read_text().strip() == wanted:
        return
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted_packages = [
        requirement
        for requirement in [*project["dependencies"], *project["optional-dependencies"]["test"]]
        if not requirement.lower().startswith(_QT_PACKAGES)
    ]
    print("Installing the domain's dependencies without Qt …", flush=True)
    pip = [str(NO_QT_PYTHON), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True, cwd=ROOT)
    subprocess.run([*pip, *wanted_packages], check=True, cwd=ROOT)
    subprocess.run([*pip, "--no-deps", "-e", "."], check=True, cwd=ROOT)
    stamp.write_text(wanted)


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


# Qt's text to speech loads libpulse, even where the voice does not use PulseAudio.
SPEECH_LIBRARIES = {"libpulse.so.0": "libpulse0"}


def ensure_system_libraries(wanted: dict[str, str], purpose: str) -> None:
    """On Debian or Ubuntu, install the system libraries in `wanted` that are missing."""
    if not sys.platform.startswith("linux") or not Path("/usr/bin/apt-get").exists():
        return
    known = subprocess.run(
        ["/sbin/ldconfig", "-p"], capture_output=True, text=True, check=False
    ).stdout
    missing = sorted({package for library, package in wanted.items() if library not in known})
    if not missing:
        return
    command = ["apt-get", "install", "-y", "--no-install-recommends", *missing]
    if os.geteuid() != 0:
        print(f"{purpose}; please run:\n  sudo " + " ".join(command), flush=True)
        return
    print(f"Installing system libraries ({purpose}): {' '.join(missing)} …", flush=True)
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    done = subprocess.run(command, check=False, stdout=subprocess.DEVNULL, env=environment)
    if done.returncode != 0:
        # A machine that has not fetched the package lists yet.
        subprocess.run(["apt-get", "update"], check=False, stdout=subprocess.DEVNULL)
        subprocess.run(command, check=False, stdout=subprocess.DEVNULL, env=environment)


def _uses_the_default_database(arguments: list[str]) -> bool:
    """Whether `kiosk` with these arguments uses the database of the settings (the embedded
    default on a fresh machine), not one named with --database or made by `kiosk db`."""
    if arguments and arguments[0] == "db":
        return False
    return not any(
        argument.startswith("--database") or argument in {"-h", "--help"} for argument in arguments
    )


def run(arguments: list[str]) -> int:
    """Start the kiosk on its defaults (or run `kiosk` with the given arguments)."""
    setup("")
    if not arguments or arguments[0] in {"run", "desk", "admin"}:
        ensure_system_libraries(QT_X11_LIBRARIES, "Qt needs these to open a window")
        ensure_system_libraries(SPEECH_LIBRARIES, '"Read to me" needs this')
    if _uses_the_default_database(arguments):
        # No station makes its database by itself; on a fresh machine this makes the
        # embedded default once (and leaves one already made as it is).
        code = subprocess.call([tool("kiosk"), "db", "init"])
        if code:
            return code
    return subprocess.call([tool("kiosk"), *(arguments or ["run"])])


# The whole suite in three test processes or more (pytest-xdist): most tests wait on
# timers, subprocesses, a server or the bus rather than on the processor (two processes
# on two cores kept them under a third busy each), so three share two cores well. Tests
# that share one thing of the machine (the test printer, a screen reader's bus) take it
# in turn through a lock file (`one_at_a_time`, tests/conftest.py): pytest-xdist's
# `loadgroup` does not group under pytest 9.
_IN_PARALLEL = ["-n", str(max(3, min(4, os.cpu_count() or 1)))]


def test(arguments: list[str]) -> int:
    """Lint, type-check, check the layers, then run the whole test suite."""
    setup("test")
    # The read-aloud tests load Qt's text to speech (they skip, saying why, without it).
    ensure_system_libraries(SPEECH_LIBRARIES, "the read-aloud tests need this")
    checks = [
        [tool("ruff"), "check", "."],
        [tool("ruff"), "format", "--check", "."],
        [tool("mypy")],
        [tool("lint-imports")],
        [str(PYTHON), "-m", "pytest", *(arguments or _IN_PARALLEL)],
    ]
    if not arguments:
        # The whole suite: the domain's unit tests once more, where Qt cannot be imported.
        setup_without_qt()
        checks += [
            [
                str(NO_QT_PYTHON),
                "-c",
                _NO_QT_CHECK,
            ],
            [
                str(NO_QT_PYTHON),
                "-m",
                "pytest",
                "tests/unit",
                *_IN_PARALLEL,
                "-q",
                "-p",
                "no:cacheprovider",
                # pytest-qt's settings mean nothing here.
                "-W",
                "ignore::pytest.PytestConfigWarning",
            ],
        ]
    for check in checks:
        print(
            "$",
            " ".join(Path(check[0]).name if n == 0 else part for n, part in enumerate(check)),
            flush=True,
        )
        environment = None
        if check[0] == str(NO_QT_PYTHON):
            # Without Qt the domain is the point, not the engine: the run with Qt has
            # already taken the storage tests to the PostgreSQL server, if one was given.
            environment = {
                key: value
                for key, value in os.environ.items()
                if key != "KIOSK_TEST_POSTGRESQL_URL"
            }
        code = subprocess.call(check, cwd=ROOT, env=environment)
        if code:
            return code
    return 0


TRANSLATIONS = ROOT / "resources" / "translations"


def patient_interface_sources() -> list[str]:
    """The modules whose words patients read (staff screens stay in the clinic's language)."""
    files = [
        ROOT / "ui" / "kiosk_window.py",
        ROOT / "ui" / "visit_screens.py",
        ROOT / "ui" / "visit_voice.py",
        ROOT / "ui" / "help_request.py",
        ROOT / "ui" / "risk_notice.py",
        ROOT / "ui" / "interface_language.py",
    ]
    for folder in ("screens", "widgets"):
        files += sorted((ROOT / "ui" / folder).glob("*.py"))
    return [str(path.relative_to(ROOT)) for path in files]


def translations(_arguments: list[str]) -> int:
    """Update every `.ts` from the code, then build its `.qm`."""
    setup("")
    for source in sorted(TRANSLATIONS.glob("kiosk_*.ts")):
        subprocess.run(
            [
                tool("pyside6-lupdate"),
                "-locations",
                "none",
                *patient_interface_sources(),
                "-ts",
                str(source),
            ],
            check=True,
            cwd=ROOT,
        )
        subprocess.run(
            [tool("pyside6-lrelease"), str(source), "-qm", str(source.with_suffix(".qm"))],
            check=True,
            cwd=ROOT,
        )
    return 0


def bench(arguments: list[str]) -> int:
    """Run the benchmarks (bench/) and print their table; they are not part of `test`."""
    setup("")
    return subprocess.call([str(PYTHON), "-m", "bench", *arguments], cwd=ROOT)


ACTIONS = {"run": run, "test": test, "bench": bench, "translations": translations}


def main() -> int:
    """`python3 dev.py run|test|bench|translations [arguments for kiosk, pytest, bench]`."""
    if len(sys.argv) < 2 or sys.argv[1] not in ACTIONS:
        print(__doc__)
        return 2
    return ACTIONS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
