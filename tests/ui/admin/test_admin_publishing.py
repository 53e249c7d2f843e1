"""Publishing from the editor: labelled, recorded, refused with problems, restorable."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk import publishing
from kiosk.actor import Actor, ActorKind
from kiosk.audit import entries
from kiosk.content_versions import content_in_use
from kiosk.database import Database
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.visit import KioskTiming
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import store_visit
from tests.ui.admin.editor import choose_row, click, open_editor, retype, tick
from ui.admin.admin_window import AdminWindow
from ui.admin.publish_dialog import PublishDialog
from ui.kiosk_window import KioskWindow
from ui.visit_walk import current, fill, tap


@pytest.fixture(autouse=True)
def _quick_saves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(AdminWindow, "SAVE_DELAY_MILLISECONDS", 50)


def _labels(monkeypatch: pytest.MonkeyPatch, label: str | None) -> list[dict[str, object]]:
    asked: list[dict[str, object]] = []

    def ask(_cls: object, _parent: object, **kwargs: object) -> str | None:
        asked.append(kwargs)
        return label

    monkeypatch.setattr(PublishDialog, "ask", classmethod(ask))
    return asked


def _versions(database: Database) -> list[publishing.PublishedVersion]:
    with database.session() as session:
        return publishing.versions(session)


def test_publishing_makes_the_draft_the_content_of_the_next_visit_and_records_who(
    qtbot: QtBot, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_editor(qtbot, database, settings)
    choose_row(qtbot, window.slide_list, 0)
    retype(qtbot, window.slide_editor.title_field, "Welcome to the clinic")
    asked = _labels(monkeypatch, "friendlier first slide")
    with qtbot.waitSignal(window.published, timeout=5000):
        click(qtbot, window.publish_button)
    assert asked
    assert "next visit" in str(asked[0]["explanation"])

    newest = _versions(database)[0]
    assert (newest.number, newest.label, newest.in_use) == (2, "friendlier first slide", True)
    assert newest.published_by == "user:ines"
    with database.session() as session:
        assert publishing.current_draft(session) is None
        audit = [e for e in entries(session) if e.action == "content_published"]
    assert audit[-1].actor == "user:ines"
    assert "friendlier first slide" in audit[-1].detail
    assert "version 2" in window.message.text()
    assert "In use: version 2" in window.status.text()

    # A kiosk's next visit shows the new slide.
    kiosk = KioskWindow(
        Station(database, "kiosk-1"), settings, timing=KioskTiming(double_tap_guard_seconds=0)
    )
    qtbot.addWidget(kiosk)
    kiosk.resize(1080, 1920)
    kiosk.show()
    qtbot.waitExposed(kiosk)
    tap(current(kiosk), "Start")
    fill(kiosk, "first_name", "Ana")
    fill(kiosk, "last_name", "García")
    fill(kiosk, "birth_date", "04/15/1968")
    tap(current(kiosk), "Continue")
    assert current(kiosk).title.text() == "Welcome to the clinic"  # type: ignore[attr-defined]


def test_a_draft_with_problems_is_not_published_and_the_problem_names_the_slide(
    qtbot: QtBot, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_editor(qtbot, database, settings)
    choose_row(qtbot, window.slide_list, 2)
    slide_id = window.pack.slides[2].id
    retype(qtbot, window.slide_editor.title_field, "")
    asked = _labels(monkeypatch, "should never be asked")
    click(qtbot, window.publish_button)
    assert not asked
    problems = [window.problems.item(n).text() for n in range(window.problems.count())]
    assert window.problems.isVisible()
    # Named by number and what the admin sees in the list, never by its ID.
    assert any(p.startswith("Slide 3 (no title yet):") and "title" in p for p in problems), problems
    assert not any(slide_id in p for p in problems), problems
    assert "Not published" in window.message.text()
    assert len(_versions(database)) == 1

    # A click on the problem goes to the slide.
    window.slide_list.items.setCurrentRow(0)
    item = window.problems.item(0)
    rect = window.problems.visualItemRect(item)
    qtbot.mouseClick(
        window.problems.viewport(),
        Qt.MouseButton.LeftButton,
        pos=rect.center(),
    )
    assert window.slide_list.current_row() == 2


def test_publishing_a_changed_contraindication_says_what_it_affects(
    qtbot: QtBot, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_editor(qtbot, database, settings)
    window.tabs.setCurrentIndex(1)
    choose_row(qtbot, window.question_list, 0)
    tick(qtbot, window.question_editor.contraindication)
    assert not window.pack.questions[0].contraindication
    asked = _labels(monkeypatch, None)  # the admin reads it and cancels
    click(qtbot, window.publish_button)
    warnings = asked[0]["warnings"]
    assert isinstance(warnings, list)
    assert any("no longer a contraindication question" in w for w in warnings), warnings
    assert len(_versions(database)) == 1


def test_a_draft_started_before_someone_else_published_warns(
    qtbot: QtBot, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_editor(qtbot, database, settings)
    window.tabs.setCurrentIndex(3)
    with qtbot.waitSignal(window.draft_saved, timeout=5000):
        retype(qtbot, window.clinic_editor.name_field, "Draft Clinic")
    # Meanwhile another admin publishes from the command line.
    stamp = Actor(ActorKind.COMMAND_LINE, "other", "desk-2", datetime.now(UTC))
    with database.session() as session, session.begin():
        _, pack = content_in_use(session, None, stamp.now)
        publishing.publish(
            session, dataclasses.replace(pack, clinic_name="Their Clinic"), label="theirs", by=stamp
        )
    with qtbot.waitSignal(window.draft_saved, timeout=5000):
        qtbot.keyClicks(window.clinic_editor.name_field, " East")
    asked = _labels(monkeypatch, None)
    click(qtbot, window.publish_button)
    assert "Someone published" in str(asked[0]["warnings"])

    # Whoever opens the editor next is told before they change anything.
    window.close()
    again = open_editor(qtbot, database, settings)
    assert again.pack.clinic_name == "Draft Clinic East"
    assert again.banner.isVisible()
    assert "“theirs”" in again.banner.text()


def test_an_earlier_version_is_viewed_and_restored_as_a_new_publish(
    qtbot: QtBot, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_editor(qtbot, database, settings)
    first_title = window.pack.slides[0].title
    retype(qtbot, window.slide_editor.title_field, "A newer first slide")
    _labels(monkeypatch, "newer")
    with qtbot.waitSignal(window.published, timeout=5000):
        click(qtbot, window.publish_button)

    click(qtbot, window.versions_button)
    dialog = window.versions_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.table.item(0, 1).text() == "newer"
    assert dialog.table.item(0, 4).text() == "In use"
    assert not dialog.restore_button.isEnabled()  # the version in use is not restored
    rect = dialog.table.visualItemRect(dialog.table.item(1, 1))
    qtbot.mouseClick(
        dialog.table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=rect.center(),
    )
    assert first_title in dialog.contents.toPlainText()
    asked = _labels(monkeypatch, "back to the first slide")
    with qtbot.waitSignal(window.published, timeout=5000):
        click(qtbot, dialog.restore_button)
    assert asked

    newest = _versions(database)[0]
    assert (newest.number, newest.label, newest.restored_from) == (3, "back to the first slide", 1)
    assert newest.published_by == "user:ines"
    with database.session() as session:
        _, in_use = content_in_use(session, None, datetime.now(UTC))
    assert in_use.slides[0].title == first_title
    assert window.pack.slides[0].title == first_title  # the editor shows what is in use
    assert "restores no. 1" in dialog.table.item(0, 1).text()


def test_the_publish_dialog_wants_a_label_and_a_tick_when_contraindications_change(
    qtbot: QtBot,
) -> None:
    dialog = PublishDialog(
        title="Publish the draft",
        explanation="This draft becomes the content of every visit that starts from now on.",
        warnings=["“Are you pregnant?” is no longer a contraindication question."],
        button_text="Publish",
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.publish_button.isEnabled()
    qtbot.keyClicks(dialog.label_field, "pregnancy question changed")
    assert not dialog.publish_button.isEnabled()  # the change is not yet acknowledged
    tick(qtbot, dialog.understood)
    assert dialog.publish_button.isEnabled()
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog.publish_button)


def test_without_warnings_a_label_is_enough(qtbot: QtBot) -> None:
    dialog = PublishDialog(
        title="Publish the draft", explanation="…", warnings=[], button_text="Publish"
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.understood.isVisible()
    qtbot.keyClicks(dialog.label_field, "   ")
    assert not dialog.publish_button.isEnabled()
    qtbot.keyClicks(dialog.label_field, "typo fixed")
    assert dialog.publish_button.isEnabled()


def _visit_now(database: Database) -> None:
    with database.session() as session:
        _, pack = content_in_use(session, None, datetime.now(UTC))
    store_visit(database, walk_visit(pack, ManualClock(datetime.now(UTC))))


def test_the_versions_list_counts_the_visits_each_publish_saw_not_each_text(
    qtbot: QtBot, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_editor(qtbot, database, settings)
    _visit_now(database)
    _visit_now(database)
    retype(qtbot, window.slide_editor.title_field, "A newer first slide")
    _labels(monkeypatch, "newer")
    with qtbot.waitSignal(window.published, timeout=5000):
        click(qtbot, window.publish_button)
    _visit_now(database)

    click(qtbot, window.versions_button)
    dialog = window.versions_dialog
    assert dialog is not None
    rect = dialog.table.visualItemRect(dialog.table.item(1, 1))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    _labels(monkeypatch, "the first slide again")
    with qtbot.waitSignal(window.published, timeout=5000):
        click(qtbot, dialog.restore_button)

    def visits_column() -> list[tuple[str, str]]:
        table = dialog.table
        return [(table.item(r, 0).text(), table.item(r, 3).text()) for r in range(table.rowCount())]

    # The restore just published: no visit has seen it yet, though its text had two.
    assert visits_column() == [("3", "0"), ("2", "1"), ("1", "2")]
    _visit_now(database)
    click(qtbot, window.versions_button)
    assert visits_column() == [("3", "1"), ("2", "1"), ("1", "2")]


def test_before_a_restore_the_admin_reads_what_changes_word_by_word(
    qtbot: QtBot, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_editor(qtbot, database, settings)
    first_title = window.pack.slides[0].title
    retype(qtbot, window.slide_editor.title_field, f"{first_title} Today")
    _labels(monkeypatch, "newer")
    with qtbot.waitSignal(window.published, timeout=5000):
        click(qtbot, window.publish_button)

    click(qtbot, window.versions_button)
    dialog = window.versions_dialog
    assert dialog is not None
    rect = dialog.table.visualItemRect(dialog.table.item(1, 1))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    bar = dialog.views.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    assert dialog.views.currentWidget() is dialog.changes
    shown = dialog.changes.toPlainText()
    assert f"Slide 1 “{first_title}”, the title" in shown
    assert f"{first_title} Today" in shown.replace("\n", " ")
    # Only the word that goes is struck through; the rest reads as it is.
    html = dialog.changes.toHtml()
    struck = html[html.index("line-through") :]
    assert struck.split(">", 1)[1].startswith("Today<")
    assert shown.count(first_title) == 2  # the heading, and the words that stay
