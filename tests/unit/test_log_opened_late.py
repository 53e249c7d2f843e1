"""The kiosk opens its log after Welcome's first frame: nothing logged before is lost."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.logs import configure_logging, hold_log_records, log_file, open_held_log


@pytest.fixture(autouse=True)
def root_logger() -> Iterator[logging.Logger]:
    """The root logger as it was, whatever a test leaves on it."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield root
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_what_is_logged_before_the_log_is_opened_is_written_to_it_first(
    tmp_path: Path,
) -> None:
    hold_log_records()
    logging.getLogger("kiosk").info("the settings were read")
    logging.getLogger("kiosk").error("unexpected KeyError at main.py:1 run")
    assert not log_file(tmp_path).exists()

    written = configure_logging(tmp_path)
    logging.getLogger("kiosk").info("storage loaded")
    for handler in logging.getLogger().handlers:
        handler.flush()

    lines = written.read_text("utf-8").splitlines()
    assert [line.split(": ", 1)[1] for line in lines] == [
        "the settings were read",
        "unexpected KeyError at main.py:1 run",
        "storage loaded",
    ]


def test_opening_a_held_log_opens_it_once_and_only_when_records_are_held(
    root_logger: logging.Logger, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("kiosk.logs.log_folder", lambda: tmp_path)
    open_held_log()
    assert not log_file().exists()

    hold_log_records()
    open_held_log()
    open_held_log()

    assert log_file().exists()
    assert [h.get_name() for h in root_logger.handlers].count("kiosk-rotating-file") == 1
