"""The command line names the operating-system user in the audit, even one with no name."""

from __future__ import annotations

import os
import pwd
from pathlib import Path

import pytest

from kiosk import cli
from tests.databases import make_database


@pytest.mark.skipif(os.name != "posix", reason="user ids and the passwd file are POSIX")
def test_audit_works_for_a_user_id_with_no_passwd_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A container or a kiosk image running under a bare user id: no name in the
    # environment, and none in /etc/passwd.
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(name, raising=False)

    def no_entry(uid: int) -> pwd.struct_passwd:
        raise KeyError(f"getpwuid(): uid not found: {uid}")

    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    settings_file = tmp_path / "kiosk.toml"
    settings_file.write_text("")
    settings_file.chmod(0o600)
    monkeypatch.setenv("KIOSK_CONFIG", str(settings_file))
    database = make_database(f"sqlite:///{tmp_path / 'clinic.sqlite3'}")  # `kiosk db init`

    assert cli.main(["demo-data", "--database", database]) == 0
    assert cli.main(["audit", "--database", database]) == 0

    shown = capsys.readouterr().out
    assert f"cli:uid-{os.getuid()}" in shown, shown
