"""The desk links a visit to a patient, unlinks it, merges duplicates and corrects typos."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from kiosk.actor import Role, StaffMember
from kiosk.audit import entries
from kiosk.content import ContentPack
from kiosk.database import Database
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import earlier_today, store_visit
from ui.desk.correction_dialog import CorrectionDialog
from ui.desk.desk_window import DeskWindow

CLERK = StaffMember(1, "maria", frozenset({Role.STAFF}))


@pytest.fixture
def clock(settings: Settings) -> ManualClock:
    return ManualClock(earlier_today(settings.zone))


def check_in(database: Database, pack: ContentPack, clock: ManualClock, **kwargs: object) -> str:
    visit = walk_visit(pack, clock, **kwargs)  # type: ignore[arg-type]
    store_visit(database, visit)
    clock.advance(60)
    return visit.id


def open_desk(qtbot: QtBot, database: Database, settings: Settings) -> DeskWindow:
    window = DeskWindow(Station(database, "desk-1"), settings, CLERK)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    return window


def select_visit(qtbot: QtBot, window: DeskWindow, visit_id: str) -> None:
    for row in range(window.model.rowCount()):
        shown = window.model.check_in_at(row)
        if shown is not None and shown.id == visit_id:
            rect = window.table.visualRect(window.model.index(row, 2))
            qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            qtbot.waitUntil(lambda: window.current is not None and window.current.id == visit_id)
            return
    raise AssertionError("the visit is not in the list")


class Answers:
    """Staff's answers to the desk's choice dialogs, and what each asked."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *picks: int | None) -> None:
        self.picks = list(picks)
        self.asked: list[tuple[str, list[str]]] = []
        monkeypatch.setattr(
            QInputDialog,
            "getItem",
            lambda _parent, _title, question, choices, *_: self._answer(question, choices),
        )

    def _answer(self, question: str, choices: list[str]) -> tuple[str, bool]:
        self.asked.append((question, list(choices)))
        pick = self.picks.pop(0)
        return ("", False) if pick is None else (choices[pick], True)


def audit(database: Database, action: str) -> list[tuple[str, str | None, str]]:
    with database.session() as session:
        return [(e.actor, e.visit_id, e.detail) for e in entries(session) if e.action == action]


def test_linking_is_suggested_by_name_and_birth_date_and_confirmed_by_staff(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = check_in(database, pack, clock, first="José", last="Núñez", born="02/03/1951")
    again = check_in(database, pack, clock, first="Jose", last="NUNEZ", born="02/03/1951")
    window = open_desk(qtbot, database, settings)
    select_visit(qtbot, window, first)
    assert "Not linked to a patient record." in window.details.toPlainText()
    assert not window.unlink_button.isEnabled()
    answers = Answers(monkeypatch, 0, None, 0)
    qtbot.mouseClick(window.link_button, Qt.MouseButton.LeftButton)
    assert answers.asked[0][0].startswith("No patient record has this name")
    assert answers.asked[0][1] == ["A new patient record for José Núñez, born 02/03/1951"]
    assert "Patient record number 1 · 1 visit(s) · last consent" in window.details.toPlainText()
    select_visit(qtbot, window, again)
    assert "Same name and date of birth as 1 patient record(s)" in window.details.toPlainText()
    # Staff cancel: nothing is linked.
    qtbot.mouseClick(window.link_button, Qt.MouseButton.LeftButton)
    assert "Not linked to a patient record." in window.details.toPlainText()
    qtbot.mouseClick(window.link_button, Qt.MouseButton.LeftButton)
    question, choices = answers.asked[-1]
    assert question.startswith("Whose visit is this?")
    assert choices[0].startswith("Same name and date of birth: José Núñez, born 02/03/1951")
    assert "Patient record number 1 · 2 visit(s)" in window.details.toPlainText()
    assert audit(database, "visit_linked") == [
        ("user:maria", first, "to a new patient record, number 1"),
        ("user:maria", again, "to patient number 1"),
    ]
    # Unlinking asks first, then takes the visit off the record.
    monkeypatch.setattr(
        QMessageBox, "question", lambda *_args, **_kwargs: QMessageBox.StandardButton.Yes
    )
    qtbot.mouseClick(window.unlink_button, Qt.MouseButton.LeftButton)
    assert "Not linked to a patient record." in window.details.toPlainText()
    assert audit(database, "visit_unlinked") == [("user:maria", again, "from patient number 1")]


def test_merging_a_duplicate_record_at_the_desk(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    one = check_in(database, pack, clock, first="Ana", last="García", born="04/15/1968")
    two = check_in(database, pack, clock, first="Ana", last="Garcia Lopez", born="04/15/1968")
    window = open_desk(qtbot, database, settings)
    Answers(monkeypatch, 0, 0)
    select_visit(qtbot, window, one)
    qtbot.mouseClick(window.link_button, Qt.MouseButton.LeftButton)
    select_visit(qtbot, window, two)
    qtbot.mouseClick(window.link_button, Qt.MouseButton.LeftButton)
    assert "Patient record number 2 · 1 visit(s)" in window.details.toPlainText()
    answers = Answers(monkeypatch, 0)
    qtbot.mouseClick(window.merge_button, Qt.MouseButton.LeftButton)
    assert answers.asked[0][1] == [
        "Ana García, born 04/15/1968 (number 1; 1 visit(s); last consent "
        + answers.asked[0][1][0].split("last consent ")[1]
    ]
    assert "Patient record number 2 · 2 visit(s)" in window.details.toPlainText()
    assert audit(database, "patients_merged") == [
        ("user:maria", one, "patient number 1 merged into number 2")
    ]


def test_correcting_a_typo_keeps_what_was_typed_and_who_corrected_it(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    clock: ManualClock,
    tmp_path: Path,
) -> None:
    visit = check_in(database, pack, clock, first="Jon", last="Smiht", born="04/15/1968")
    window = open_desk(qtbot, database, settings)
    select_visit(qtbot, window, visit)
    shots: list[Path] = []

    def correct() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, CorrectionDialog)
        dialog.last_name.clear()
        qtbot.keyClicks(dialog.last_name, "Smith")
        dialog.date_of_birth.clear()
        qtbot.keyClicks(dialog.date_of_birth, "05/15/1968")
        shots.append(tmp_path / "correction.png")
        dialog.grab().save(str(shots[0]))
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, correct)
    qtbot.mouseClick(window.correct_button, Qt.MouseButton.LeftButton)
    shown = window.details.toPlainText()
    assert "Jon Smith" in shown
    assert "Date of birth: 05/15/1968" in shown
    assert "Last name typed as “Smiht”, corrected to “Smith” by maria" in shown
    assert "Date of birth typed as “1968-04-15”, corrected to “1968-05-15” by maria" in shown
    [(actor, visit_id, detail)] = audit(database, "details_corrected")
    assert (actor, visit_id) == ("user:maria", visit)
    assert detail.startswith("last name, date of birth")
    assert shots[0].exists()


def test_a_date_that_is_not_a_birth_date_is_refused_in_plain_words(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    visit = check_in(database, pack, clock)
    window = open_desk(qtbot, database, settings)
    select_visit(qtbot, window, visit)
    told: list[str] = []
    monkeypatch.setattr(
        "ui.desk.desk_window.tell", lambda _parent, _title, text, **_: told.append(text)
    )

    def correct() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, CorrectionDialog)
        dialog.date_of_birth.clear()
        qtbot.keyClicks(dialog.date_of_birth, "15/31/1968")
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
        )

    QTimer.singleShot(0, correct)
    qtbot.mouseClick(window.correct_button, Qt.MouseButton.LeftButton)
    assert told == ["“15/31/1968” is not a date of birth: please enter it as MM/DD/YYYY."]
    assert audit(database, "details_corrected") == []


def test_the_desk_names_a_return_visit_and_its_flags(
    qtbot: QtBot, database: Database, settings: Settings, pack: ContentPack, clock: ManualClock
) -> None:
    from kiosk.content import Answer
    from kiosk.visit import VisitFlow

    visit = check_in(
        database,
        pack,
        clock,
        flow=VisitFlow.RETURN_WITHOUT_SLIDES,
        answers={"since-memory": Answer.YES, "last-clear-liquids": "under-2-hours"},
    )
    window = open_desk(qtbot, database, settings)
    select_visit(qtbot, window, visit)
    shown = window.details.toPlainText()
    assert "Return visit — a reminder in place of the slides" in shown
    assert (
        "Needs clinician review: drank clear liquids less than 2 hours before the infusion"
        " — answered Less than 2 hours ago"
    ) in shown
    assert (
        "Needs clinician review: changes in memory or thinking since the last infusion"
        " — answered Yes"
    ) in shown
    # The list names each flag in brief, as it does a contraindication.
    assert window.model.data(window.model.index(0, 0)) == (
        "⚠ drank clear liquids less than 2 hours before the infusion; "
        "changes in memory or thinking since the last infusion"
    )
