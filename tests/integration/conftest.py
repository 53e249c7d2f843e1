"""Fixtures for running the `kiosk` command: a throwaway home and database."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.databases import make_database


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def db(home: Path) -> str:
    """A database made as clinic IT makes it (`kiosk db init`), for commands to use."""
    return make_database(f"sqlite:///{home / 'clinic.sqlite3'}")
