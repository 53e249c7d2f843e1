"""The front desk, used as a front-desk worker would with mouse and keyboard."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QPushButton, QSplitter
from pytestqt.qtbot import QtBot

from kiosk.actor import Actor, Role, StaffMember
from kiosk.audit import entries
from kiosk.content import Answer, ContentPack
from kiosk.database import Database
from kiosk.pack_loader import bundled_pack_dir, load_pack
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import earlier_today, store_visit
from ui.desk.check_in_model import CheckInModel, Column
from ui.desk.desk_window import DeskWindow

CLERK = StaffMember(1, "maria", frozenset({Role.STAFF}))
DOCTOR = StaffMember(2, "drlee", frozenset({Role.CLINICIAN}))


@pytest.fixture
def pack() -> ContentPack:
    return load_pack(bundled_pack_dir())


@pytest.fixture
def clock(settings: Settings) -> ManualClock:
    """A clock that starts earlier on the clinic's today (`earlier_today`)."""
    return ManualClock(earlier_today(settings.zone))


def check_in(database: Database, pack: ContentPack, clock: ManualClock, **kwargs: object) -> str:
    visit = walk_visit(pack, clock, **kwargs)  # type: ignore[arg-type]
    store_visit(database, visit)
    return visit.id


def open_desk(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    member: StaffMember = CLERK,
    size: tuple[int, int] = (1920, 1080),
) -> DeskWindow:
    window = DeskWindow(Station(database, "desk-1"), settings, member)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window


def column(window: DeskWindow, number: int) -> list[str]:
    model = window.model
    return [model.data(model.index(row, number)) for row in range(model.rowCount())]


def select(qtbot: QtBot, window: DeskWindow, row: int) -> None:
    rect = window.table.visualRect(window.model.index(row, 2))
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_todays_check_ins_show_attention_first_in_words(
    qtbot: QtBot, database: Database, settings: Settings, pack: ContentPack, clock: ManualClock
) -> None:
    check_in(database, pack, clock, first="Calm", last="Adams")
    clock.advance(120)
    check_in(
        database,
        pack,
        clock,
        first="Worried",
        last="Baker",
        answers={"blood-pressure": Answer.NOT_SURE},
        ride=None,
    )
    window = open_desk(qtbot, database, settings)
    assert column(window, Column.PATIENT) == ["Baker, Worried", "Adams, Calm"]
    # What needs attention, not how many: the question's flag wording, then the ride.
    assert column(window, Column.ATTENTION) == [
        "⚠ high blood pressure not under control; no ride home",
        "OK",
    ]
    assert column(window, Column.REVIEW) == ["Needs review", "—"]
    assert column(window, Column.PRINT) == ["Not printed", "Not printed"]
    assert window.list_title.text() == "Today's check-ins (2)"
    # The whole wording on hover, and in the details.
    hover = window.model.data(window.model.index(0, Column.ATTENTION), Qt.ItemDataRole.ToolTipRole)
    assert "Needs clinician review: high blood pressure not under control — answered" in hover
    assert "No ride home arranged yet — the patient must not drive today" in hover
    select(qtbot, window, 0)
    assert "high blood pressure not under control — answered Not sure" in (
        window.details.toPlainText()
    )


def test_the_table_model_is_a_well_behaved_qt_model(
    qtmodeltester: object, database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    from kiosk import desk

    check_in(database, pack, clock, answers={"psychosis": Answer.YES})
    check_in(database, pack, clock)
    model = CheckInModel(ZoneInfo("UTC"))
    with database.session() as session:
        model.show_check_ins(desk.todays_check_ins(session, zone=model.zone, now=clock()))
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount(QModelIndex()) == 2


def test_the_list_updates_when_another_process_stores_a_visit(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_desk(qtbot, database, settings)
    assert window.model.rowCount() == 0
    root = Path(__file__).resolve().parents[3]
    start = earlier_today(settings.zone).isoformat()  # on the desk's today
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(root)!r})
        from datetime import UTC, datetime
        from kiosk.content import Answer
        from kiosk.pack_loader import bundled_pack_dir, load_pack
        from kiosk.database import open_database
        from kiosk.visit_walk import ManualClock, walk_visit
        from tests.conftest import store_visit
        database = open_database({settings.database_url!r})
        visit = walk_visit(load_pack(bundled_pack_dir()),
                           ManualClock(datetime.fromisoformat({start!r})),
                           first="Kiosk", last="Patient", answers={{"pregnancy": Answer.YES}})
        store_visit(database, visit)
        database.close()
    """)
    with qtbot.waitSignal(window.announced, timeout=15000) as announced:
        subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    assert "Kiosk Patient" in announced.args[0]
    assert column(window, 2) == ["Patient, Kiosk"]
    assert window.banner.isVisible()


def test_search_by_part_of_a_name_or_birth_date_and_page_through(
    qtbot: QtBot, database: Database, settings: Settings, pack: ContentPack, clock: ManualClock
) -> None:
    check_in(database, pack, clock, first="José", last="Núñez", born="02/03/1951")
    for n in range(55):
        check_in(database, pack, clock, first=f"Other{n}", last="Smith")
    window = open_desk(qtbot, database, settings)
    qtbot.keyClicks(window.search_field, "NUNEZ")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert column(window, 2) == ["Núñez, José"]
    window.search_field.clear()
    qtbot.keyClicks(window.search_field, "02/03/1951")
    qtbot.mouseClick(window.search_button, Qt.MouseButton.LeftButton)
    assert column(window, 2) == ["Núñez, José"]
    window.search_field.clear()
    qtbot.keyClicks(window.search_field, "smith")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert window.model.rowCount() == 50
    assert window.page_label.text() == "Page 1 of 2"
    assert not window.previous_page.isEnabled()
    qtbot.mouseClick(window.next_page, Qt.MouseButton.LeftButton)
    assert window.model.rowCount() == 5
    assert window.page_label.text() == "Page 2 of 2"
    qtbot.mouseClick(window.today_button, Qt.MouseButton.LeftButton)
    assert window.list_title.text() == "Today's check-ins (56)"
    with database.session() as session:
        searches = [e for e in entries(session) if e.action == "visits_searched"]
    assert len(searches) == 4
    assert all("Smith" not in e.detail and "nunez" not in e.detail.casefold() for e in searches)


def test_a_visit_from_another_year_shows_its_year_in_a_search(
    qtbot: QtBot, database: Database, settings: Settings, pack: ContentPack
) -> None:

    long_ago = ManualClock(datetime(2025, 3, 4, 15, 0, tzinfo=UTC))
    check_in(database, pack, long_ago, first="Ada", last="Okafor")
    window = open_desk(qtbot, database, settings)
    search_for(qtbot, window, "okafor")
    (when,) = column(window, 1)
    assert when.startswith("03/04/2025")


def test_a_search_lists_today_above_a_visit_left_unreviewed_months_ago(
    qtbot: QtBot, database: Database, settings: Settings, pack: ContentPack, clock: ManualClock
) -> None:

    months_ago = ManualClock(datetime(2026, 6, 1, 15, 0, tzinfo=UTC))
    check_in(
        database, pack, months_ago, first="Old", last="Smith", answers={"psychosis": Answer.YES}
    )
    check_in(database, pack, clock, first="Today", last="Smith")
    window = open_desk(qtbot, database, settings)
    search_for(qtbot, window, "smith")
    assert column(window, Column.PATIENT) == ["Smith, Today", "Smith, Old"]
    assert column(window, Column.ATTENTION)[1].startswith("⚠ history of schizophrenia")


def test_clicking_a_column_header_sorts_the_list_and_keeps_the_chosen_visit(
    qtbot: QtBot, database: Database, settings: Settings, pack: ContentPack, clock: ManualClock
) -> None:
    check_in(database, pack, clock, first="Carla", last="Zhou")
    clock.advance(60)
    check_in(database, pack, clock, first="Ben", last="Adams", answers={"pregnancy": Answer.YES})
    clock.advance(60)
    check_in(database, pack, clock, first="Ana", last="Moreno")
    window = open_desk(qtbot, database, settings)
    # The desk's own order: attention first, then the newest.
    assert column(window, Column.PATIENT) == ["Adams, Ben", "Moreno, Ana", "Zhou, Carla"]
    select(qtbot, window, 1)
    chosen = window.current
    header = window.table.horizontalHeader()

    def click_header(number: int) -> None:
        x = header.sectionViewportPosition(number) + header.sectionSize(number) // 2
        qtbot.mouseClick(
            header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
        )

    click_header(Column.PATIENT)
    assert column(window, Column.PATIENT) == ["Adams, Ben", "Moreno, Ana", "Zhou, Carla"]
    click_header(Column.PATIENT)
    assert column(window, Column.PATIENT) == ["Zhou, Carla", "Moreno, Ana", "Adams, Ben"]
    # The chosen visit stays chosen where it went, and a reload keeps the order.
    assert window.current is chosen
    assert window.table.currentIndex().row() == 1
    window.refresh()
    assert column(window, Column.PATIENT) == ["Zhou, Carla", "Moreno, Ana", "Adams, Ben"]
    click_header(Column.TIME)
    assert column(window, Column.PATIENT) == ["Moreno, Ana", "Adams, Ben", "Zhou, Carla"]


def test_the_desks_frequent_actions_have_keys_named_in_their_tooltips(
    qtbot: QtBot, database: Database, settings: Settings, pack: ContentPack, clock: ManualClock
) -> None:
    check_in(database, pack, clock, first="Ana", last="Lee")
    check_in(database, pack, clock, first="Bo", last="Ng")
    window = open_desk(qtbot, database, settings)
    with qtbot.waitActive(window):
        window.activateWindow()
    assert "Ctrl+F" in window.search_button.toolTip()
    assert "Ctrl+P" in window.print_button.toolTip()
    assert "Ctrl+Down" in window.table.toolTip()
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_field.hasFocus()
    qtbot.keyClick(window.search_field, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    first = window.current
    assert first is not None
    qtbot.keyClick(window.search_field, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert window.current is not None
    assert window.current.id != first.id
    qtbot.keyClick(window.search_field, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert window.current is not None
    assert window.current.id == first.id


def test_with_no_visit_chosen_the_details_say_what_today_still_needs(
    qtbot: QtBot, database: Database, settings: Settings, pack: ContentPack, clock: ManualClock
) -> None:
    from kiosk.alerts import AlertKind

    check_in(database, pack, clock, first="Ana", last="Lee", ride=None)
    check_in(database, pack, clock, first="Bo", last="Ng")
    check_in(database, pack, clock, first="Cy", last="Ruiz", answers={"pregnancy": Answer.YES})
    Station(database, "lobby-1").alerts().raise_alert(
        AlertKind.HELP_REQUESTED, "on the questions", Actor.kiosk(station="lobby-1", now=clock())
    )
    window = open_desk(qtbot, database, settings)
    qtbot.waitUntil(lambda: "1 asking for help now" in window.details.toPlainText())
    shown = window.details.toPlainText()
    assert "Today at a glance" in shown
    assert "3 check-ins today" in shown
    assert "2 needing attention" in shown
    assert "1 waiting for a clinician's review" in shown
    assert "1 with no ride home yet" in shown
    assert "3 summaries not printed" in shown
    assert "Ana" not in shown, "no patient is named until one is chosen"


def test_opening_a_visit_shows_it_as_stored_with_slides_and_times(
    qtbot: QtBot, database: Database, settings: Settings, pack: ContentPack, clock: ManualClock
) -> None:
    visit_id = check_in(database, pack, clock, first="Ana", last="<b>Lee</b>")
    window = open_desk(qtbot, database, settings)
    select(qtbot, window, 0)
    text = window.details.toPlainText()
    assert "Ana <b>Lee</b>" in text
    assert "Slides and time on each" in text
    assert "Common side effects" in text
    assert "7 s" in text
    assert pack.version[:12] in text
    with database.session() as session:
        opened = [e for e in entries(session) if e.action == "visit_opened"]
    assert [(e.actor, e.visit_id) for e in opened] == [("user:maria", visit_id)]


def test_staff_see_flags_but_only_a_clinician_marks_them_reviewed(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    check_in(database, pack, clock, answers={"heart-condition": Answer.YES})
    clerk_desk = open_desk(qtbot, database, settings, CLERK)
    select(qtbot, clerk_desk, 0)
    assert not clerk_desk.review_button.isEnabled()
    assert "Only a clinician" in clerk_desk.review_button.toolTip()
    doctor_desk = open_desk(qtbot, database, settings, DOCTOR)
    select(qtbot, doctor_desk, 0)
    assert doctor_desk.review_button.isEnabled()
    monkeypatch.setattr(
        QInputDialog,
        "getMultiLineText",
        lambda *args, **kwargs: ("Spoke with cardiology; fine.", True),
    )
    qtbot.mouseClick(doctor_desk.review_button, Qt.MouseButton.LeftButton)
    assert column(doctor_desk, Column.REVIEW) == ["Reviewed"]
    assert column(doctor_desk, Column.ATTENTION) == ["OK (1 cleared)"]
    assert "Reviewed by drlee" in doctor_desk.details.toPlainText()
    assert "Spoke with cardiology; fine." in doctor_desk.details.toPlainText()


def test_a_ride_arranged_later_and_a_void(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    check_in(database, pack, clock, first="Ana", last="Lee", ride=None)
    window = open_desk(qtbot, database, settings)
    select(qtbot, window, 0)
    answers = iter([("Luis García", True), ("(555) 201-3344", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: next(answers))
    qtbot.mouseClick(window.ride_button, Qt.MouseButton.LeftButton)
    assert column(window, 0) == ["OK (1 cleared)"]
    assert "Luis García" in window.details.toPlainText()
    asked: list[str] = []

    def void_reason(_parent: object, _title: str, label: str, *_: object) -> tuple[str, bool]:
        asked.append(label)
        return ("Checked in twice by mistake", True)

    monkeypatch.setattr(QInputDialog, "getMultiLineText", void_reason)
    qtbot.mouseClick(window.void_button, Qt.MouseButton.LeftButton)
    # The dialog names who is voided and what voiding does, before anything changes.
    assert "Ana Lee" in asked[0]
    assert "a clinician can undo it" in asked[0]
    assert "It has no open flags." in asked[0], "the ride was arranged: nothing left open"
    assert column(window, 0) == ["Void"]
    assert "Checked in twice by mistake" in window.details.toPlainText()
    assert not window.void_button.isEnabled()
    assert not window.undo_void_button.isEnabled(), "only a clinician undoes a void"


def test_a_name_that_looks_like_html_reads_as_typed_in_the_void_dialog(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6 import QtGui
    from PySide6.QtGui import QTextDocument

    check_in(database, pack, clock, first="<b>Ana</b>", last="<i>Lee</i>")
    window = open_desk(qtbot, database, settings)
    select(qtbot, window, 0)
    asked: list[str] = []

    def cancel(_parent: object, _title: str, label: str, *_: object) -> tuple[str, bool]:
        asked.append(label)
        return ("", False)

    monkeypatch.setattr(QInputDialog, "getMultiLineText", cancel)
    qtbot.mouseClick(window.void_button, Qt.MouseButton.LeftButton)
    # What the dialog's label shows: Qt renders text that looks like HTML as HTML.
    (label,) = asked
    document = QTextDocument()
    document.setHtml(label)
    shown = document.toPlainText() if QtGui.Qt.mightBeRichText(label) else label
    assert "<b>Ana</b> <i>Lee</i>" in shown


def test_a_clinician_undoes_a_mistaken_void_and_the_audit_says_so(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    check_in(
        database, pack, clock, first="Ana", last="Lee", answers={"heart-condition": Answer.YES}
    )
    window = open_desk(qtbot, database, settings, DOCTOR)
    select(qtbot, window, 0)
    asked: list[str] = []

    def void_reason(_parent: object, _title: str, label: str, *_: object) -> tuple[str, bool]:
        asked.append(label)
        return ("wrong patient", True)

    monkeypatch.setattr(QInputDialog, "getMultiLineText", void_reason)
    qtbot.mouseClick(window.void_button, Qt.MouseButton.LeftButton)
    # The void names what it takes off the list.
    assert "These open flags will no longer ask for attention" in asked[0]
    assert "heart condition that is not stable" in asked[0]
    assert column(window, 0) == ["Void"]
    assert window.undo_void_button.isEnabled()
    monkeypatch.setattr(
        QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes
    )
    qtbot.mouseClick(window.undo_void_button, Qt.MouseButton.LeftButton)
    # Listed again, with the flag it still has open.
    assert column(window, 0) == ["⚠ heart condition that is not stable"]
    assert not window.undo_void_button.isEnabled()
    with database.session() as session:
        actions = [e.action for e in entries(session) if e.action.startswith("visit_void")]
    assert actions == ["visit_voided", "visit_void_undone"]


def test_save_as_pdf_writes_the_summary_and_audits_it(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    clock: ManualClock,
    tmp_path: Path,
) -> None:
    visit_id = check_in(database, pack, clock, first="Ana", last="Lee")
    window = open_desk(qtbot, database, settings)
    select(qtbot, window, 0)
    target = tmp_path / "summary.pdf"
    asked: list[str] = []

    def where_to_save(_cls: type, _parent: object, suggested: str) -> Path:
        asked.append(suggested)
        return target

    monkeypatch.setattr(DeskWindow, "where_to_save", classmethod(where_to_save))
    # The button a person clicks (it once passed its checked state as the file).
    qtbot.mouseClick(window.save_button, Qt.MouseButton.LeftButton)
    assert asked == [f"visit-{visit_id[:8]}.pdf"]
    # Written off the screen's thread: the desk says when it is done.
    qtbot.waitUntil(lambda: f"Saved the summary to {target}" in window.banner.text())
    assert target.read_bytes().startswith(b"%PDF")
    with database.session() as session:
        saved = [e for e in entries(session) if e.action == "summary_saved"]
    assert [(e.actor, e.visit_id) for e in saved] == [("user:maria", visit_id)]


def test_a_patients_name_typed_into_a_file_or_folder_name_never_reaches_the_audit(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    clock: ManualClock,
    tmp_path: Path,
) -> None:
    visit_id = check_in(database, pack, clock, first="Ana", last="Lee")
    window = open_desk(qtbot, database, settings)
    select(qtbot, window, 0)
    # What staff often do: a folder and a file named after the patient.
    folder = tmp_path / "Lee Ana 1968"
    folder.mkdir()
    target = folder / "Ana Lee consent.pdf"
    monkeypatch.setattr(DeskWindow, "where_to_save", classmethod(lambda *_: target))
    qtbot.mouseClick(window.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved the summary" in window.banner.text())
    with database.session() as session:
        trail = list(entries(session))
    saved = [e for e in trail if e.action == "summary_saved"]
    assert [e.visit_id for e in saved] == [visit_id]
    for entry in trail:
        assert "Ana" not in entry.detail
        assert "Lee" not in entry.detail


def test_a_patient_checked_in_at_the_desk_signs_on_paper(
    qtbot: QtBot, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.summary import build_summary
    from kiosk.visit import KioskTiming
    from ui.visit_walk import consent_and_ride_home, current, reach_consent, tap

    monkeypatch.setattr(DeskWindow, "check_in_timing", KioskTiming(double_tap_guard_seconds=0))
    window = open_desk(qtbot, database, settings)
    qtbot.mouseClick(window.check_in_button, Qt.MouseButton.LeftButton)
    kiosk = window.desk_check_in
    assert kiosk is not None
    qtbot.waitExposed(kiosk)
    reach_consent(kiosk, "Walter", "Nash", "03/09/1941")
    assert kiosk.visit is not None
    with qtbot.waitSignal(kiosk.visit_stored):
        consent_and_ride_home(kiosk, ride=("Edith", "555 444 3333", "wife"), on_paper=True)
    tap(current(kiosk), "Finish")
    assert window.desk_check_in is None
    assert column(window, 2) == ["Nash, Walter"]
    from kiosk.stored_visits import list_visits, load_visit

    with database.session() as session:
        (listing,) = list(list_visits(session))
        record = load_visit(session, listing.id)
        stored = [e for e in entries(session) if e.action == "visit_stored"]
    assert record is not None
    assert record.assisted_by == "maria"
    assert record.signature_png is None
    assert record.signed_on_paper_at is not None
    assert [(e.actor, e.visit_id) for e in stored] == [("user:maria", listing.id)]
    import io

    from pypdf import PdfReader

    text = " ".join(
        PdfReader(io.BytesIO(build_summary(record, zone=settings.zone)))
        .pages[0]
        .extract_text()
        .split()
    )
    assert "checked in at the front desk with maria" in text
    assert "Signed on paper at the front desk" in text


def test_the_kiosk_itself_offers_no_paper_signature(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    from kiosk.visit import KioskTiming
    from ui.kiosk_window import KioskWindow
    from ui.visit_walk import current, reach_consent

    kiosk = KioskWindow(
        Station(database, "kiosk-1"), settings, timing=KioskTiming(double_tap_guard_seconds=0)
    )
    qtbot.addWidget(kiosk)
    kiosk.resize(1080, 1920)
    kiosk.show()
    reach_consent(kiosk, "Ana", "Lee", "01/02/1950")
    consent = current(kiosk)
    assert consent is kiosk.screens.consent  # type: ignore[union-attr]
    assert "Signed on paper" not in [
        b.text() for b in consent.findChildren(QPushButton) if b.isVisible()
    ]


def search_for(qtbot: QtBot, window: DeskWindow, text: str, *, paste: bool = False) -> None:
    """Type (or paste, as from another program) into the search field and click Search."""
    qtbot.mouseClick(window.search_field, Qt.MouseButton.LeftButton)
    qtbot.keyClick(window.search_field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.search_field, Qt.Key.Key_Delete)
    if paste:
        QApplication.clipboard().setText(text)
        qtbot.keyClick(window.search_field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    else:
        qtbot.keyClicks(window.search_field, text)
    assert window.search_field.text() == text
    qtbot.mouseClick(window.search_button, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize(
    ("typed", "paste"),
    [
        ("\x00", True),
        ("\u0301", True),  # a combining accent alone
        ("\u200b", True),  # a zero-width space
        ("   ", False),
        ("- . '", False),
    ],
)
def test_a_search_with_nothing_to_search_for_shows_todays_list(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    clock: ManualClock,
    typed: str,
    paste: bool,
) -> None:
    check_in(database, pack, ManualClock(clock() - timedelta(days=3)), first="Old", last="Visit")
    check_in(database, pack, clock, first="Today", last="Visit")
    window = open_desk(qtbot, database, settings)
    search_for(qtbot, window, "visit")
    assert window.list_title.text() == "Search results (2)"
    search_for(qtbot, window, typed, paste=paste)
    # Not "Search results (2)": every visit there is, found by nothing.
    assert window.list_title.text() == "Today's check-ins (1)"
    assert column(window, 2) == ["Visit, Today"]
    assert window.search_field.text() == ""
    assert not window.banner.isVisible()


def test_a_search_too_long_is_refused_in_plain_words(
    qtbot: QtBot, database: Database, settings: Settings, pack: ContentPack, clock: ManualClock
) -> None:
    check_in(database, pack, clock, first="Today", last="Visit")
    window = open_desk(qtbot, database, settings)
    search_for(qtbot, window, "%" * 25_000, paste=True)
    assert window.banner.isVisible()
    assert window.banner.text() == (
        "A search can be at most 100 characters. "
        "Type part of the patient's name, or the date of birth."
    )
    # The list stays as it was, and what was pasted stays to be shortened.
    assert window.list_title.text() == "Today's check-ins (1)"
    assert len(window.search_field.text()) == 25_000
    search_for(qtbot, window, "v" * 101, paste=True)
    assert "at most 100 characters" in window.banner.text()
    search_for(qtbot, window, "%" * 99 + "v")
    assert window.list_title.text() == "Search results (0)"
    with database.session() as session:
        searches = [e for e in entries(session) if e.action == "visits_searched"]
    assert [e.detail for e in searches] == ["by name or birth date; 0 found"]


def test_search_between_dates_and_without_void_visits(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    monkeypatch: pytest.MonkeyPatch,
) -> None:

    from PySide6.QtCore import QDate

    old = ManualClock(datetime(2026, 3, 10, 16, tzinfo=UTC))
    check_in(database, pack, old, first="March", last="Smith")
    recent = ManualClock(datetime(2026, 11, 2, 16, tzinfo=UTC))
    check_in(database, pack, recent, first="November", last="Smith")
    mistake = check_in(database, pack, recent, first="Twice", last="Smith")
    window = open_desk(qtbot, database, settings)
    from kiosk import desk

    with database.session() as session, session.begin():
        desk.void_visit(
            session, mistake, "twice", Actor.staff(CLERK, station="desk-1", now=datetime.now(UTC))
        )
    qtbot.keyClicks(window.search_field, "smith")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert sorted(column(window, 2)) == ["Smith, March", "Smith, November", "Smith, Twice"]
    window.date_from.setDate(QDate(2026, 11, 1))
    window.date_to.setDate(QDate(2026, 11, 30))
    qtbot.mouseClick(window.between_dates, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.hide_void, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.search_button, Qt.MouseButton.LeftButton)
    assert column(window, 2) == ["Smith, November"]


@pytest.mark.parametrize(
    ("roles", "clinical"),
    [
        ({Role.STAFF}, False),
        ({Role.CLINICIAN}, True),
        # An admin at the desk (an upgrade makes every admin "staff admin"): not clinical.
        ({Role.STAFF, Role.ADMIN}, False),
        ({Role.ADMIN, Role.CLINICIAN}, True),
    ],
    ids=["staff", "clinician", "staff+admin", "admin+clinician"],
)
def test_the_desks_buttons_do_what_each_role_may(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    roles: set[Role],
    clinical: bool,
) -> None:
    from kiosk.stored_visits import load_visit

    visit_id = check_in(database, pack, clock, answers={"heart-condition": Answer.YES})
    window = open_desk(qtbot, database, settings, StaffMember(7, "sam", frozenset(roles)))
    select(qtbot, window, 0)
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("checked", True))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert window.review_button.isEnabled() is clinical
    assert ("Only a clinician" in window.review_button.toolTip()) is not clinical
    qtbot.mouseClick(window.review_button, Qt.MouseButton.LeftButton)
    with database.session() as session:
        stored = load_visit(session, visit_id)
    assert stored is not None
    assert (stored.reviewed_by == "sam") is clinical
    # Every desk role voids a mistaken check-in; only a clinician takes a void back.
    qtbot.mouseClick(window.void_button, Qt.MouseButton.LeftButton)
    assert column(window, 0) == ["Void"]
    assert window.undo_void_button.isEnabled() is clinical
    qtbot.mouseClick(window.undo_void_button, Qt.MouseButton.LeftButton)
    assert (column(window, 0) != ["Void"]) is clinical


def test_each_visits_print_state_shows_its_time_and_a_failure_its_reason_in_red(
    qtbot: QtBot, database: Database, settings: Settings, pack: ContentPack, clock: ManualClock
) -> None:
    from kiosk import desk
    from kiosk.printing import JobStatus, PrintJob, PrintState
    from ui.desk.check_in_model import PRINT_FAILED_FILL

    failed = check_in(database, pack, clock, first="Ana", last="Failed")
    printed = check_in(database, pack, clock, first="Bo", last="Printed")
    check_in(database, pack, clock, first="Cy", last="Waiting")
    at = Actor.staff(CLERK, station="desk-1", now=clock())
    with database.session() as session, session.begin():
        for visit_id in (failed, printed):
            desk.record_print(
                session,
                visit_id,
                printer="FrontDesk",
                job=PrintJob("FrontDesk", f"job-{visit_id[:4]}"),
                failure="",
                copy="staff",
                by=at,
            )
        rows = {v: desk.latest_print(session, v).row_id for v in (failed, printed)}  # type: ignore[union-attr]
        desk.update_print(session, rows[failed], JobStatus(PrintState.FAILED, "Out of paper"), at)
        desk.update_print(session, rows[printed], JobStatus(PrintState.COMPLETED, ""), at)
    window = open_desk(qtbot, database, settings)
    sent_at = clock().astimezone(settings.zone).strftime("%I:%M %p")
    shown = dict(zip(column(window, Column.PATIENT), column(window, Column.PRINT), strict=True))
    assert shown == {
        "Failed, Ana": f"✗ Print failed {sent_at}: Out of paper",
        "Printed, Bo": f"Printed {sent_at}",
        "Waiting, Cy": "Not printed",
    }
    row = column(window, Column.PATIENT).index("Failed, Ana")
    fill = window.model.data(window.model.index(row, Column.PRINT), Qt.ItemDataRole.BackgroundRole)
    assert fill.color() == PRINT_FAILED_FILL
    select(qtbot, window, row)
    details = window.details.toPlainText()
    assert "✗ Print failed — FrontDesk" in details
    assert "Out of paper" in details
    assert "Fix the printer, then Retry printing." in details
    select(qtbot, window, column(window, Column.PATIENT).index("Printed, Bo"))
    assert "Summary: printed on FrontDesk" in window.details.toPlainText()


@pytest.mark.parametrize("opened_at", [(1920, 1080), (1366, 768)], ids=["made-smaller", "opened"])
def test_on_a_1366_laptop_every_column_fits_and_what_needs_attention_is_readable(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    clock: ManualClock,
    opened_at: tuple[int, int],
) -> None:
    from kiosk import desk
    from kiosk.printing import JobStatus, PrintJob, PrintState

    visit_id = check_in(
        database,
        pack,
        clock,
        first="Walter",
        last="Nash",
        answers={"blood-pressure": Answer.NOT_SURE},
        ride=None,
        talk_first=True,
    )
    at = Actor.staff(CLERK, station="desk-1", now=clock())
    with database.session() as session, session.begin():
        desk.record_print(
            session,
            visit_id,
            printer="FrontDesk",
            job=PrintJob("FrontDesk", "FrontDesk-1"),
            failure="",
            copy="staff",
            by=at,
        )
        record = desk.latest_print(session, visit_id)
        assert record is not None
        desk.update_print(
            session, record.row_id, JobStatus(PrintState.FAILED, "The printer is out of paper"), at
        )
    # A day's other check-ins, as a desk shows them: long names, other flags.
    check_in(database, pack, clock, first="Samuel", last="Adeyemi-Okonkwo")
    check_in(
        database, pack, clock, first="Grace", last="Kim", answers={"heart-condition": Answer.YES}
    )
    window = open_desk(qtbot, database, settings, size=opened_at)
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.width() == 1366)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    # Staff drag the divider to widen the details: the list keeps about 770 pixels.
    handle = window.findChild(QSplitter).handle(1)
    middle = handle.rect().center()
    QTest.mousePress(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, middle)
    QTest.mouseMove(handle, middle - QPoint(window.table.width() - 770, 0))
    QTest.mouseRelease(
        handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, middle - QPoint(1, 0)
    )
    nash = column(window, Column.PATIENT).index("Nash, Walter")
    select(qtbot, window, nash)
    table = window.table
    header = table.horizontalHeader()
    # Every column within the list, none running off its right edge.
    qtbot.waitUntil(lambda: table.viewport().width() < 780)
    qtbot.waitUntil(lambda: header.length() <= table.viewport().width())
    qtbot.waitUntil(lambda: table.rowHeight(nash) >= table.sizeHintForRow(nash))
    assert not table.horizontalScrollBar().isVisible(), "no column runs off the list"
    metrics = table.fontMetrics()
    for number in range(window.model.columnCount()):
        title = window.model.headerData(number, Qt.Orientation.Horizontal)
        assert header.sectionSize(number) >= metrics.horizontalAdvance(title), title
    # The whole "what" fits its cell (on more than one line if need be), unclipped.
    attention = window.model.index(nash, Column.ATTENTION)
    shown = table.visualRect(attention)
    needed = metrics.boundingRect(
        shown.adjusted(4, 0, -4, 0),
        int(Qt.TextFlag.TextWordWrap),
        window.model.data(attention),
    )
    assert needed.height() <= shown.height()


def edit_by_hand(database: Database, statement: str, visit_id: str) -> None:
    """Someone changes the database outside the kiosk (`:id` is the visit)."""
    from sqlalchemy import text as sql

    with database.engine.begin() as connection:
        connection.execute(sql(statement), {"id": visit_id})


def readable_ana_and_damaged_bo(
    database: Database, pack: ContentPack, clock: ManualClock, hand_edit: str, **kwargs: object
) -> str:
    """Two of today's check-ins; Bo's (returned) then edited by hand."""
    check_in(database, pack, clock, first="Ana", last="Readable")
    clock.advance(120)
    damaged = check_in(database, pack, clock, first="Bo", last="Damaged", **kwargs)
    edit_by_hand(database, hand_edit, damaged)
    return damaged


@pytest.mark.parametrize(
    "hand_edit",
    [
        "UPDATE answers SET question_id = 'no-such-question' WHERE visit_id = :id AND position = 0",
        "UPDATE slide_views SET slide_id = 'no-such-slide' WHERE visit_id = :id AND position = 0",
    ],
    ids=["an answer to a question never asked", "time on a slide the content never had"],
)
def test_a_visit_whose_record_cannot_be_read_is_said_plainly_and_no_other_stays_open(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    clock: ManualClock,
    hand_edit: str,
) -> None:
    from kiosk.desk import UNREADABLE_VISIT

    readable_ana_and_damaged_bo(database, pack, clock, hand_edit)
    window = open_desk(qtbot, database, settings)
    names = column(window, Column.PATIENT)
    select(qtbot, window, names.index("Readable, Ana"))
    qtbot.waitUntil(lambda: "Ana Readable" in window.details.toPlainText())
    assert window.print_button.isEnabled() or not window.printer_choice.currentText()
    assert window.save_button.isEnabled()

    select(qtbot, window, names.index("Damaged, Bo"))
    qtbot.waitUntil(window.banner.isVisible)
    assert window.banner.text() == UNREADABLE_VISIT
    # Ana's record is not left beside Bo's row for a print or a change to reach her.
    assert "Ana Readable" not in window.details.toPlainText()
    assert "Today at a glance" in window.details.toPlainText()
    assert not window.save_button.isEnabled()
    assert not window.print_button.isEnabled()
    assert not window.void_button.isEnabled()

    # The desk goes on: Ana's visit opens again.
    select(qtbot, window, names.index("Readable, Ana"))
    qtbot.waitUntil(lambda: "Ana Readable" in window.details.toPlainText())


@pytest.mark.parametrize(
    "hand_edit",
    [
        "UPDATE visits SET ending = 'left-by-hand' WHERE id = :id",
        "UPDATE visits SET ride_status = 'by-balloon' WHERE id = :id",
    ],
    ids=["how it ended", "the ride home"],
)
def test_a_visit_changed_by_hand_is_listed_as_unreadable_and_the_desk_goes_on(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    clock: ManualClock,
    hand_edit: str,
) -> None:
    from kiosk.desk import UNREADABLE_VISIT

    readable_ana_and_damaged_bo(
        database, pack, clock, hand_edit, answers={"heart-condition": Answer.YES}
    )
    window = open_desk(qtbot, database, settings)
    # Both listed: the damaged one is not hidden, and says what is wrong with it.
    assert column(window, Column.PATIENT) == ["Damaged, Bo", "Readable, Ana"]
    assert column(window, Column.ATTENTION) == ["⚠ record cannot be read", "OK"]
    assert "1 needing attention" in window.details.toPlainText()

    select(qtbot, window, 0)
    qtbot.waitUntil(window.banner.isVisible)
    assert window.banner.text() == UNREADABLE_VISIT
    assert not window.print_button.isEnabled()
    select(qtbot, window, 1)
    qtbot.waitUntil(lambda: "Ana Readable" in window.details.toPlainText())


def test_a_desk_printing_each_new_visit_lists_one_changed_by_hand_and_prints_nothing_of_it(
    qtbot: QtBot, database: Database, settings: Settings, pack: ContentPack, clock: ManualClock
) -> None:
    window = open_desk(qtbot, database, settings)
    qtbot.mouseClick(window.auto_print, Qt.MouseButton.LeftButton)
    assert window.auto_print.isChecked()
    # It arrives while the desk is open (the next look at the database finds it).
    readable_ana_and_damaged_bo(
        database, pack, clock, "UPDATE visits SET ending = 'left-by-hand' WHERE id = :id"
    )
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=10_000)
    assert column(window, Column.ATTENTION) == ["⚠ record cannot be read", "OK"]
    assert column(window, Column.PRINT) == ["Not printed", "Not printed"]


def test_a_flag_of_a_kind_no_kiosk_writes_waits_for_a_clinician(
    qtbot: QtBot, database: Database, settings: Settings, pack: ContentPack, clock: ManualClock
) -> None:
    changed = check_in(database, pack, clock, answers={"heart-condition": Answer.YES})
    edit_by_hand(database, "UPDATE flags SET kind = 'made-up' WHERE visit_id = :id", changed)
    window = open_desk(qtbot, database, settings)
    assert column(window, Column.ATTENTION) == ["⚠ heart condition that is not stable"]
    assert "1 waiting for a clinician's review" in window.details.toPlainText()
    select(qtbot, window, 0)
    qtbot.waitUntil(lambda: "heart condition" in window.details.toPlainText())
    assert window.banner.isHidden()


def test_a_date_no_kiosk_writes_lists_that_visit_as_unreadable_among_the_others(
    qtbot: QtBot, database: Database, settings: Settings, pack: ContentPack, clock: ManualClock
) -> None:
    if database.engine.dialect.name != "sqlite":
        pytest.skip("a server's date column refuses the text; a SQLite file edited by hand")
    readable_ana_and_damaged_bo(
        database, pack, clock, "UPDATE visits SET date_of_birth = 'the fifth' WHERE id = :id"
    )
    window = open_desk(qtbot, database, settings)
    assert column(window, Column.PATIENT) == ["Damaged, Bo", "Readable, Ana"]
    assert column(window, Column.ATTENTION) == ["⚠ record cannot be read", "OK"]
    assert column(window, Column.BIRTH) == ["—", "04/15/1968"]
    assert window.banner.isHidden()
    # A search that reaches it lists it the same way.
    search_for(qtbot, window, "Damaged")
    qtbot.waitUntil(lambda: window.list_title.text() == "Search results (1)")
    assert column(window, Column.ATTENTION) == ["⚠ record cannot be read"]
    select(qtbot, window, 0)
    qtbot.waitUntil(window.banner.isVisible)
    assert "cannot be read" in window.banner.text()
