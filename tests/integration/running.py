"""Run the installed `kiosk` command as clinic IT would, with throwaway folders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

KIOSK = Path(sys.executable).with_name("kiosk.exe" if os.name == "nt" else "kiosk")


def home_environment(home: Path) -> dict[str, str]:
    """This process's environment without KIOSK_ variables, with `home` as the home,
    data and config folders and `home`/kiosk.toml as the settings."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("KIOSK_")}
    return env | {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "KIOSK_CONFIG": str(home / "kiosk.toml"),
    }


def kiosk(
    *args: str,
    home: Path,
    check: bool = False,
    stdin: str | None = None,
    extra_env: dict[str, str] | None = None,
    umask: int = -1,
) -> subprocess.CompletedProcess[str]:
    """Run the installed `kiosk` script with its own home, config and data folders.

    `umask`: the one it starts with (-1: this process's own).
    """
    settings_file = home / "kiosk.toml"
    if not settings_file.exists():
        settings_file.write_text("")
        # Whatever the developer's umask: a settings file others can change is refused.
        settings_file.chmod(0o600)
    env = home_environment(home) | (extra_env or {})
    result = subprocess.run(
        [str(KIOSK), *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        cwd=home,
        timeout=120,
        check=False,
        umask=umask,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result
