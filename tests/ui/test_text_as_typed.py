"""Text someone typed shows as typed everywhere: never read as HTML, never as shortcuts.

Markup typed into every field a patient fills in (a name, a short answer, a typed
signature, the ride home), then into what staff type at the desk (a review note, a void
reason, a file name) and what an admin types into the content, must show character for
character in every window: the kiosk's screens, the desk's banner, table and details,
tooltips, dialogs, the editor's lists and the preview.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QApplication,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from kiosk.actor import Role, StaffMember
from kiosk.content import QuestionSection
from kiosk.database import Database
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.summary import build_summary
from kiosk.visit import KioskTiming, Step
from tests.question_kinds import add_question_kinds
from tests.ui.admin.editor import (
    choose_row,
    click_problem,
    list_labels,
    open_editor,
    problems_shown,
    retype,
)
from tests.ui.shown_text import button_shows, label_shows, markup, not_as_typed, showing
from ui.admin.admin_window import AdminWindow
from ui.admin.preview_window import PreviewWindow
from ui.admin.publish_dialog import PublishDialog
from ui.desk.desk_window import DeskWindow
from ui.kiosk_window import KioskWindow
from ui.plain_text import RICH_TEXT, plain_message_box
from ui.screen_tour import tour
from ui.screens.consent import StatementButton
from ui.screens.slide import SlideScreen
from ui.sign_in_dialog import SignInDialog
from ui.visit_walk import answer_teach_back, current, fill, tap
from ui.widgets.keyboard_form import KeyboardForm
from ui.widgets.on_screen_keyboard import KeyboardPage, OnScreenKeyboard

FIRST, LAST = markup("Qfirst"), markup("Qlast")
FULL_NAME = f"{FIRST} {LAST}"
ANSWER = markup("Qanswer")
DRIVER = markup("Qdriver")
PHONE = "<i>555&amp;2013344"  # 20 characters at most; 10 digits
RELATION = markup("Qrel")
NOTE = markup("Qnote")
REASON = markup("Qreason")
RIDE = markup("Qride")
USERNAME = markup("Qstaff")
PATIENT_TYPED = {
    "Qfirst": FIRST,
    "Qlast": LAST,
    "Qanswer": ANSWER,
    "Qdriver": DRIVER,
    "555&amp;": PHONE,
    "Qrel": RELATION,
}
STAFF_TYPED = {"Qnote": NOTE, "Qreason": REASON, "Qride": RIDE, "Qstaff": USERNAME}


def type_on_a_keyboard(qtbot: QtBot, window: KioskWindow, field_name: str, text: str) -> None:
    """Click a field and type `text` on a real keyboard (a patient at the desk's check-in,
    or one who brought their own): every character the on-screen keys lack."""
    field = current(window).findChild(QLineEdit, f"{field_name}Field")
    assert field is not None, f"no field {field_name}"
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(field, text)
    assert field.text() == text


def open_desk(qtbot: QtBot, database: Database, settings: Settings) -> DeskWindow:
    desk = DeskWindow(
        Station(database, "desk-1"), settings, StaffMember(7, USERNAME, frozenset({Role.CLINICIAN}))
    )
    qtbot.addWidget(desk)
    desk.resize(1920, 1080)
    desk.show()
    qtbot.waitExposed(desk)
    return desk


def check_in_with_markup(qtbot: QtBot, kiosk: KioskWindow) -> list[str]:
    """A whole visit with markup in every field; what showed other than as typed."""
    problems: list[str] = []
    tap(current(kiosk), "Start")
    type_on_a_keyboard(qtbot, kiosk, "first_name", FIRST)
    type_on_a_keyboard(qtbot, kiosk, "last_name", LAST)
    fill(kiosk, "birth_date", "04/15/1968")
    tap(current(kiosk), "Continue")
    assert kiosk.visit is not None
    for _ in kiosk.visit.content.slides:
        tap(current(kiosk), "Next")
    answer_teach_back(kiosk)
    while kiosk.visit.step is Step.QUESTIONS:
        question = kiosk.visit.questions[kiosk.visit.question_index]
        if question.id == "arrival":
            tap(current(kiosk), "I drove myself")  # a flag: the desk's banner speaks
            tap(current(kiosk), "Continue")
        elif question.id == "medicines-today":
            type_on_a_keyboard(qtbot, kiosk, "typed_answer", ANSWER)
            tap(current(kiosk), "Continue")
        else:
            tap(current(kiosk), "No")
    review = current(kiosk)
    assert showing([review], ANSWER), "the review does not show the typed answer"
    problems += not_as_typed([kiosk], PATIENT_TYPED)
    tap(review, "I confirm these answers are correct")
    for statement in kiosk.visit.content.consent_statements:
        tap(current(kiosk), statement.text)
    tap(current(kiosk), "Sign by typing my name instead")
    type_on_a_keyboard(qtbot, kiosk, "typed_name", FULL_NAME)
    problems += not_as_typed([kiosk], PATIENT_TYPED)
    tap(current(kiosk), "Sign and continue")
    type_on_a_keyboard(qtbot, kiosk, "driver_name", DRIVER)
    type_on_a_keyboard(qtbot, kiosk, "phone", PHONE)
    type_on_a_keyboard(qtbot, kiosk, "relationship", RELATION)
    problems += not_as_typed([kiosk], PATIENT_TYPED)
    with qtbot.waitSignal(kiosk.visit_stored):
        tap(current(kiosk), "Continue")
    return problems + not_as_typed([kiosk], PATIENT_TYPED)


def test_markup_typed_by_a_patient_and_staff_shows_as_typed_in_every_window(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    pack_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = dataclasses.replace(
        settings, content_dir=add_question_kinds(pack_copy), typed_signature=True
    )
    desk = open_desk(qtbot, database, settings)
    kiosk = KioskWindow(
        Station(database, "k"), settings, timing=KioskTiming(double_tap_guard_seconds=0)
    )
    qtbot.addWidget(kiosk)
    kiosk.resize(1080, 1920)
    kiosk.show()

    problems = check_in_with_markup(qtbot, kiosk)

    # The desk hears of the new check-in that needs attention, by the patient's name.
    qtbot.waitUntil(desk.banner.isVisible, timeout=15000)
    assert FULL_NAME in label_shows(desk.banner)
    assert showing([desk.table], f"{LAST}, {FIRST}")
    assert USERNAME in label_shows(desk.signed_in)
    rect = desk.table.visualRect(desk.model.index(0, 2))
    qtbot.mouseClick(desk.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    details = desk.details.toPlainText()
    for text in (FULL_NAME, ANSWER, DRIVER, PHONE, RELATION):
        assert text in details
    assert f"“{FULL_NAME}”" in details  # the typed signature, as typed
    problems += not_as_typed([desk], PATIENT_TYPED | STAFF_TYPED)

    # What staff type at the desk: a review note, a ride arranged later, a void reason.
    # The review note and the void reason are typed in multi-line fields.
    notes = iter([(NOTE, True), (REASON, True)])
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *_a, **_k: next(notes))
    qtbot.mouseClick(desk.review_button, Qt.MouseButton.LeftButton)
    answers = iter([(RIDE, True), ("555 201 3344", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: next(answers))
    qtbot.mouseClick(desk.ride_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(desk.void_button, Qt.MouseButton.LeftButton)
    details = desk.details.toPlainText()
    for text in (NOTE, RIDE, REASON):
        assert text in details
    # A file name typed in the save dialog comes back in the banner.
    saved = tmp_path / f"{markup('Qfile').replace('/', '')}.pdf"
    monkeypatch.setattr(DeskWindow, "where_to_save", classmethod(lambda *_a: saved))
    qtbot.mouseClick(desk.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved the summary" in desk.banner.text())
    assert saved.exists()
    assert str(saved) in label_shows(desk.banner)
    problems += not_as_typed([desk], PATIENT_TYPED | STAFF_TYPED | {"Qfile": str(saved)})

    # The printed summary, too.
    assert desk.current is not None
    pdf = build_summary(desk.current, zone=settings.zone, paper_size=settings.paper_size)
    printed = "".join(
        "".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    for text in (FIRST, LAST, ANSWER, RIDE, NOTE, REASON):
        assert "".join(text.split()) in printed

    assert problems == []


# -- what an admin types ---------------------------------------------------------------------

SLIDE_TITLE = markup("Qtitle")
SLIDE_TEXT = markup("Qtext")
QUESTION = markup("Qquestion")
FLAG = markup("Qflag")
STATEMENT = markup("Qstatement")
MEANING = markup("Qmeaning")
CLINIC = markup("Qclinic")
LABEL = markup("Qlabel")
AGAIN = markup("Qagain")
ADMIN_TYPED = {
    "Qtitle": SLIDE_TITLE,
    "Qtext": SLIDE_TEXT,
    "Qquestion": QUESTION,
    "Qflag": FLAG,
    "Qstatement": STATEMENT,
    "Qmeaning": MEANING,
    "Qclinic": CLINIC,
    "Qlabel": LABEL,
    "Qagain": AGAIN,
}


@pytest.fixture(autouse=True)
def _quick_editor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(AdminWindow, "SAVE_DELAY_MILLISECONDS", 50)
    monkeypatch.setattr(
        PreviewWindow, "timing", KioskTiming(double_tap_guard_seconds=0, done_seconds=60)
    )


def when_a_dialog_opens(qtbot: QtBot, handle: Callable[[QWidget], None]) -> list[QWidget]:
    """Handle the next modal dialog as soon as it shows; returns the dialogs handled."""
    handled: list[QWidget] = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, look)
            return
        qtbot.waitExposed(dialog)
        handled.append(dialog)
        handle(dialog)

    QTimer.singleShot(0, look)
    return handled


def type_the_content(qtbot: QtBot, window: AdminWindow) -> None:
    """Markup in a slide, a contraindication question, a statement and the clinic's name."""
    choose_row(qtbot, window.slide_list, 0)
    retype(qtbot, window.slide_editor.title_field, SLIDE_TITLE)
    retype(qtbot, window.slide_editor.text_field, f"{SLIDE_TEXT}\n- **bold** words")
    window.tabs.setCurrentIndex(1)
    choose_row(qtbot, window.question_list, 0)
    retype(qtbot, window.question_editor.text_field, QUESTION)
    retype(qtbot, window.question_editor.flag_wording, FLAG)
    window.tabs.setCurrentIndex(2)
    choose_row(qtbot, window.statement_list, 0)
    retype(qtbot, window.consent_editor.statement_field, STATEMENT)
    retype(qtbot, window.consent_editor.meaning_field, MEANING)
    window.tabs.setCurrentIndex(3)
    retype(qtbot, window.clinic_editor.name_field, CLINIC)
    window.save_now()


def confirm_the_spanish(qtbot: QtBot, window: AdminWindow) -> None:
    """The Spanish still says what the reworded English says: confirmed as an admin would."""
    qtbot.mouseClick(window.check_button, Qt.MouseButton.LeftButton)
    while waiting := [line for line in problems_shown(window) if line.startswith("Spanish,")]:
        click_problem(qtbot, window, waiting[0][:40])
        qtbot.mouseClick(window.still_right_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(window.check_button, Qt.MouseButton.LeftButton)
    window.language_choice.setCurrentIndex(window.language_choice.findData(""))


def publish_as(qtbot: QtBot, window: AdminWindow, label: str) -> list[str]:
    """Publish through the real dialog, typing `label`; what it showed other than as typed."""
    problems: list[str] = []

    def answer(dialog: QWidget) -> None:
        # No assert in here: a failure inside Qt's event loop would leave the dialog open.
        problems.extend(not_as_typed([dialog], ADMIN_TYPED))
        if not isinstance(dialog, PublishDialog):
            problems.append(f"expected the publish dialog, found {dialog}")
            dialog.close()
            return
        qtbot.keyClicks(dialog.label_field, label)
        if dialog.understood.isVisible():
            dialog.understood.setChecked(True)
        qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)

    handled = when_a_dialog_opens(qtbot, answer)
    with qtbot.waitSignal(window.published, timeout=10000):
        qtbot.mouseClick(window.publish_button, Qt.MouseButton.LeftButton)
    assert handled
    return problems


def test_markup_typed_by_an_admin_shows_as_typed_in_the_editor_and_its_dialogs(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_editor(qtbot, database, settings)
    type_the_content(qtbot, window)
    problems = not_as_typed([window], ADMIN_TYPED)
    assert f"1. {SLIDE_TITLE}" in list_labels(window.slide_list)
    assert SLIDE_TEXT in label_shows(window.slide_editor.reads_as)

    confirm_the_spanish(qtbot, window)
    problems += publish_as(qtbot, window, LABEL)
    assert LABEL in label_shows(window.status)
    assert LABEL in label_shows(window.message)
    window.slide_editor.title_field.setFocus()
    choose_row(qtbot, window.slide_list, 1)
    retype(qtbot, window.slide_editor.title_field, "Another title")
    window.save_now()
    problems += publish_as(qtbot, window, "plain")
    problems += not_as_typed([window], ADMIN_TYPED)

    # The versions, what one says, its preview, and restoring it.
    qtbot.mouseClick(window.versions_button, Qt.MouseButton.LeftButton)
    versions = window.versions_dialog
    assert versions is not None
    qtbot.waitExposed(versions)
    versions.table.selectRow(1)
    assert showing([versions.table], LABEL)
    for text in (SLIDE_TITLE, SLIDE_TEXT, QUESTION, FLAG, STATEMENT, MEANING, CLINIC):
        assert text in versions.contents.toPlainText()
    qtbot.mouseClick(versions.preview_button, Qt.MouseButton.LeftButton)
    assert versions.preview is not None
    qtbot.waitExposed(versions.preview)
    assert showing([versions.preview], LABEL)
    problems += not_as_typed([versions, versions.preview], ADMIN_TYPED)
    versions.preview.close()

    named: list[str] = []

    def restore(dialog: QWidget) -> None:
        named.extend(showing([dialog], LABEL))
        problems.extend(not_as_typed([dialog], ADMIN_TYPED))
        if not isinstance(dialog, PublishDialog):
            problems.append(f"expected the restore dialog, found {dialog}")
            dialog.close()
            return
        qtbot.keyClicks(dialog.label_field, AGAIN)
        if dialog.understood.isVisible():
            dialog.understood.setChecked(True)
        qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)

    when_a_dialog_opens(qtbot, restore)
    with qtbot.waitSignal(versions.restored, timeout=10000):
        qtbot.mouseClick(versions.restore_button, Qt.MouseButton.LeftButton)
    assert named, "the restore dialog does not name the version"
    problems += not_as_typed([window, versions], ADMIN_TYPED)
    assert AGAIN in label_shows(versions.message)

    # Removing the contraindication question asks first, quoting it.
    window.tabs.setCurrentIndex(1)
    choose_row(qtbot, window.question_list, 0)
    asked: list[str] = []

    def cancel(box: QWidget) -> None:
        asked.extend(showing([box], QUESTION))
        problems.extend(not_as_typed([box], ADMIN_TYPED))
        box.close()

    when_a_dialog_opens(qtbot, cancel)
    qtbot.mouseClick(window.question_list.remove_button, Qt.MouseButton.LeftButton)
    assert asked, "the question to be removed was not quoted"
    assert len(window.pack.questions) == len(window.in_use.questions)

    assert problems == []


def test_the_preview_shows_what_the_admin_typed_as_typed(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_editor(qtbot, database, settings)
    type_the_content(qtbot, window)
    qtbot.mouseClick(window.preview_button, Qt.MouseButton.LeftButton)
    preview = window.preview
    assert preview is not None
    qtbot.waitExposed(preview)
    kiosk = preview.kiosk
    seen: dict[str, list[str]] = {}
    problems = not_as_typed([preview], ADMIN_TYPED)
    seen["clinic"] = showing([kiosk], CLINIC)
    tap(current(kiosk), "Start")
    fill(kiosk, "first_name", "Test")
    fill(kiosk, "last_name", "Patient")
    fill(kiosk, "birth_date", "01/02/1980")
    tap(current(kiosk), "Continue")
    slide = current(kiosk)
    assert isinstance(slide, SlideScreen)
    seen["slide title"] = showing([slide], SLIDE_TITLE)
    seen["slide text"] = showing([slide], SLIDE_TEXT)
    # The pack's own markup still works: the bullet's words are bold, and only they.
    assert "<b>bold</b> words" in slide.text.text()
    problems += not_as_typed([preview], ADMIN_TYPED)
    for _ in window.pack.slides:
        tap(current(kiosk), "Next")
    answer_teach_back(kiosk)
    seen["question"] = showing([current(kiosk)], QUESTION)
    problems += not_as_typed([preview], ADMIN_TYPED)
    # A first visit's questions (a returning patient's come after them).
    for _ in [q for q in window.pack.questions if q.section is QuestionSection.SCREENING]:
        tap(current(kiosk), "No")
    seen["review"] = showing([current(kiosk)], QUESTION)
    tap(current(kiosk), "I confirm these answers are correct")
    consent = current(kiosk)
    seen["statement"] = [
        button.accessibleName()
        for button in consent.findChildren(StatementButton)
        if button.accessibleName() == STATEMENT
    ] + showing([consent], STATEMENT)
    seen["meaning"] = showing([consent], MEANING)
    problems += not_as_typed([preview], ADMIN_TYPED)

    assert [where for where, places in seen.items() if not places] == []
    assert problems == []


# -- the class: no label left to Qt's guess ------------------------------------------------


def labels_left_to_guess(root: QWidget) -> list[str]:
    """Labels in `root` that would read text as HTML without having asked to."""
    return [
        f"{type(label.window()).__name__}: {label.objectName() or label.text()[:40]!r}"
        for label in root.findChildren(QLabel)
        if label.textFormat() != Qt.TextFormat.PlainText and not label.property(RICH_TEXT)
    ]


def test_every_label_of_every_window_is_plain_text_unless_it_asks_for_rich_text(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    """A new label left at Qt's AutoText fails here, before anyone types markup into it."""
    found: list[str] = []
    kiosk = KioskWindow(Station(database, "k"), dataclasses.replace(settings, typed_signature=True))
    qtbot.addWidget(kiosk)
    kiosk.resize(1080, 1920)
    kiosk.show()
    for _name, _screen in tour(kiosk):
        found += labels_left_to_guess(kiosk)
    desk = open_desk(qtbot, database, settings)
    found += labels_left_to_guess(desk)
    editor = open_editor(qtbot, database, settings)
    found += labels_left_to_guess(editor)
    qtbot.mouseClick(editor.versions_button, Qt.MouseButton.LeftButton)
    assert editor.versions_dialog is not None
    found += labels_left_to_guess(editor.versions_dialog)
    qtbot.mouseClick(editor.preview_button, Qt.MouseButton.LeftButton)
    assert editor.preview is not None
    found += labels_left_to_guess(editor.preview)
    dialogs: list[QWidget] = [
        PublishDialog(title="t", explanation="e", warnings=["w"], button_text="b"),
        SignInDialog(Station(database, "s"), settings, purpose="p"),
        plain_message_box(None, QMessageBox.Icon.Warning, "t", "text", details="details"),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        found += labels_left_to_guess(dialog)

    assert found == []


# -- the content pack: its own markup only, and "&" as written --------------------------------

AMPERSAND = "Drugs & alcohol"
SLIDE_MARKUP = '<img src="/etc/hosts"> <b>not bold</b> &amp; <font size=40>big</font>'


def pack_with_ampersands_and_markup(folder: Path) -> Path:
    """The bundled pack with "Drugs & alcohol" in a slide's title, a choice and a
    statement, and HTML in a slide's text beside the pack's own bold."""
    slides = yaml.safe_load((folder / "slides.yaml").read_text("utf-8"))
    slides["slides"][0]["title"] = AMPERSAND
    slides["slides"][0]["text"] = f"{SLIDE_MARKUP} and **really bold**\n\n- {AMPERSAND}\n"
    (folder / "slides.yaml").write_text(yaml.safe_dump(slides, allow_unicode=True), "utf-8")
    consent = yaml.safe_load((folder / "consent.yaml").read_text("utf-8"))
    consent["statements"][0]["text"] = f"{AMPERSAND}: I understand the risks."
    (folder / "consent.yaml").write_text(yaml.safe_dump(consent, allow_unicode=True), "utf-8")
    questions = folder / "questions.yaml"
    questions.write_text(
        questions.read_text("utf-8")
        + f"""
  - id: used-today
    kind: single_choice
    text: What have you used today?
    choices:
      - id: nothing
        text: Nothing
      - id: drugs-alcohol
        text: {AMPERSAND}
    flag_when: [drugs-alcohol]
    flag_wording: used {AMPERSAND} today
""",
        "utf-8",
    )
    return folder


def screen_reader_name(widget: QWidget) -> str:
    """What a screen reader says a widget is called."""
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return interface.text(QAccessible.Text.Name)


def test_a_slide_choice_and_statement_show_ampersands_and_markup_as_written(
    qtbot: QtBot, database: Database, settings: Settings, pack_copy: Path
) -> None:
    settings = dataclasses.replace(settings, content_dir=pack_with_ampersands_and_markup(pack_copy))
    kiosk = KioskWindow(
        Station(database, "k"), settings, timing=KioskTiming(double_tap_guard_seconds=0)
    )
    qtbot.addWidget(kiosk)
    kiosk.resize(1080, 1920)
    kiosk.show()
    tap(current(kiosk), "Start")
    fill(kiosk, "first_name", "Ana")
    fill(kiosk, "last_name", "Lee")
    fill(kiosk, "birth_date", "04/15/1968")
    tap(current(kiosk), "Continue")

    slide = current(kiosk)
    assert isinstance(slide, SlideScreen)
    assert label_shows(slide.title) == AMPERSAND
    shown = slide.text.toPlainText()  # a text pane (see ui.widgets.slide_text)
    assert f"{SLIDE_MARKUP} and really bold" in shown
    assert AMPERSAND in shown
    # The pack's own bold is the only formatting: "really bold" is bold, the rest is not.
    assert "<b>really bold</b>" in slide.text.text()
    assert slide.text.text().count("<b>") == 1

    assert kiosk.visit is not None
    for _ in kiosk.visit.content.slides:
        tap(current(kiosk), "Next")
    answer_teach_back(kiosk)
    while kiosk.visit.step is Step.QUESTIONS:
        question = kiosk.visit.questions[kiosk.visit.question_index]
        if question.id != "used-today":
            tap(current(kiosk), "No")
            continue
        choice = current(kiosk).choice_buttons["drugs-alcohol"]  # type: ignore[attr-defined]
        assert button_shows(choice.text()) == AMPERSAND
        assert screen_reader_name(choice) == AMPERSAND
        qtbot.mouseClick(choice, Qt.MouseButton.LeftButton)
        choice = current(kiosk).choice_buttons["drugs-alcohol"]  # type: ignore[attr-defined]
        assert button_shows(choice.text()) == f"✓ {AMPERSAND}"
        assert screen_reader_name(choice) == AMPERSAND
        tap(current(kiosk), "Continue")
    assert showing([current(kiosk)], AMPERSAND), "the review does not show the choice"
    tap(current(kiosk), "I confirm these answers are correct")

    statement = next(iter(current(kiosk).findChildren(StatementButton)))
    assert screen_reader_name(statement) == f"{AMPERSAND}: I understand the risks."
    assert label_shows(statement.label) == f"{AMPERSAND}: I understand the risks."
    # Every button on the way showed its words: no "&" was taken for a shortcut.
    assert showing([kiosk], "Drugs  alcohol") + showing([kiosk], "Drugs alcohol") == []


def test_a_fields_name_shows_an_ampersand_as_written(qtbot: QtBot) -> None:
    """A label naming a field takes `&` for a shortcut (a translation may have one)."""
    form = KeyboardForm(OnScreenKeyboard())
    qtbot.addWidget(form)
    field = form.add_field("name", "Name & surname", KeyboardPage.LETTERS)
    captions = [label for label in form.findChildren(QLabel) if label.buddy() is field]

    assert [label_shows(label) for label in captions] == ["Name & surname"]
    assert [screen_reader_name(label) for label in captions] == ["Name & surname"]
