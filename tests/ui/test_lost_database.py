"""A deleted database: no station makes a new one, and nothing claims to have saved.

A kiosk restarted after its database was deleted made it again, empty, and stored check-ins
there; the desk wrote three clinician reviews into the deleted file and reported success.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from kiosk.actor import Role, StaffMember
from kiosk.content import Answer, ContentPack
from kiosk.database import Database, init_database, sqlite_file
from kiosk.held_visits import HeldVisits
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import earlier_today, store_visit
from tests.ui.admin.editor import choose_row, click, open_editor, retype
from tests.ui.test_unwritable_database import finish_held, open_kiosk, stored_names
from tests.unit.test_database_init import _delete
from ui.admin.admin_window import AdminWindow
from ui.admin.publish_dialog import PublishDialog
from ui.desk.desk_window import DeskWindow
from ui.kiosk_app import open_kiosk_station

DOCTOR = StaffMember(2, "drlee", frozenset({Role.CLINICIAN}))


def _file(settings: Settings) -> Path:
    file = sqlite_file(settings.database_url)
    assert file is not None
    return file


def test_a_kiosk_restarted_after_its_database_was_deleted_holds_visits_and_makes_none(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    first_run = open_kiosk(qtbot, database, settings)
    _delete(_file(settings))
    finish_held(qtbot, first_run, first="Marta", last="Lindqvist")
    first_run.close()
    database.close()

    # systemd starts the kiosk again.
    with caplog.at_level(logging.ERROR):
        restarted = open_kiosk_station(settings, "front-kiosk").database
    second_run = open_kiosk(qtbot, restarted, settings)
    with qtbot.waitSignal(second_run.held_visits_tried, timeout=10_000):
        second_run.store_held_visits()

    assert not _file(settings).exists(), "no new, empty database"
    held = HeldVisits(settings.held_visits_dir).held()
    assert len(held) == 1, "the visit still waits on the kiosk"
    assert "`kiosk db init --new`" in held[0].reason.words  # what the desk's notice says
    assert "`kiosk db init --new`" in capsys.readouterr().err
    assert "`kiosk db init --new`" in caplog.text
    # Check-in waits for the database, and says so to the patient.
    assert not second_run.welcome.start_button.isEnabled()

    # Clinic IT starts a new database, as the message said: the kiosk carries on.
    init_database(settings.database_url, new=True)
    with qtbot.waitSignal(second_run.visit_stored, timeout=5000):
        second_run.store_held_visits()
    assert stored_names(restarted) == [("Marta", "Lindqvist")]
    second_run.close()
    restarted.close()


def test_a_review_into_a_deleted_database_is_refused_in_plain_words(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    today = ManualClock(earlier_today(settings.zone))
    store_visit(database, walk_visit(pack, today, answers={"heart-condition": Answer.YES}))
    desk = DeskWindow(Station(database, "desk-1"), settings, DOCTOR)
    qtbot.addWidget(desk)
    desk.resize(1920, 1080)
    desk.show()
    qtbot.waitExposed(desk)
    rect = desk.table.visualRect(desk.model.index(0, 2))
    qtbot.mouseClick(desk.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert desk.review_button.isEnabled()
    monkeypatch.setattr(
        QInputDialog, "getMultiLineText", lambda *args, **kwargs: ("Spoke with cardiology.", True)
    )
    told: list[str] = []
    monkeypatch.setattr("ui.desk.desk_window.tell", lambda _w, _t, text, **_k: told.append(text))

    _delete(_file(settings))  # the file is deleted while the desk is open
    qtbot.mouseClick(desk.review_button, Qt.MouseButton.LeftButton)

    assert told
    assert told[0].startswith("the database file is gone")
    assert "Reviewed by drlee" not in desk.details.toPlainText()
    assert not _file(settings).exists()


def test_the_editor_says_the_database_is_gone_and_publishes_nothing(
    qtbot: QtBot, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(AdminWindow, "SAVE_DELAY_MILLISECONDS", 50)
    monkeypatch.setattr(PublishDialog, "ask", classmethod(lambda *_a, **_k: "friendlier"))
    published: list[object] = []
    window = open_editor(qtbot, database, settings)
    window.published.connect(published.append)
    _delete(_file(settings))  # the file is deleted while the editor is open

    choose_row(qtbot, window.slide_list, 0)
    retype(qtbot, window.slide_editor.title_field, "Welcome to the clinic")
    qtbot.waitUntil(lambda: "the database file is gone" in window.message.text(), timeout=5000)
    assert window.message.text().startswith("The draft could not be saved")
    click(qtbot, window.publish_button)
    assert window.message.text().startswith("Not published: the database file is gone")
    assert published == []
    assert not _file(settings).exists()
