"""Fixtures for running the `kiosk` command: a throwaway home and database."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def db(home: Path) -> str:
    return f"sqlite:///{home / 'clinic.sqlite3'}"
