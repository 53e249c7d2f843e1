"""The admin's content editor: the draft's slides, questions, consent and clinic details.

Data flows one way here too: an editor reports the item as the admin left it, the
window puts it into its draft pack (a frozen `ContentPack`, changed with
`dataclasses.replace`) and shows the lists again. The draft is saved to the database a
moment after the admin stops typing, and when the window closes, so work survives a
closed editor or an idle sign-out. Everything that changes what patients see goes
through `kiosk.publishing`, which checks the content and writes the audit entries.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from importlib import resources
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kiosk import draft_check, publishing, translations
from kiosk.actor import Actor, StaffMember, shown_name
from kiosk.content import (
    Answer,
    ConsentStatement,
    ContentPack,
    Measure,
    Question,
    Slide,
    language_words,
    text_keys,
)
from kiosk.draft_check import DraftProblem, Place
from kiosk.overriding import override
from kiosk.pack_limits import MAX_QUESTIONS, MAX_SLIDES, MAX_STATEMENTS
from kiosk.publishing import PublishedVersion, PublishError
from kiosk.settings import Settings
from kiosk.station import Station, StorageUnavailableError
from kiosk.visit import Clock, utc_now
from ui.admin.clinic_editor import ClinicEditor
from ui.admin.consent_editor import ConsentEditor
from ui.admin.content_html import source_html
from ui.admin.measure_editor import MeasureEditor
from ui.admin.ordered_list import OrderedList
from ui.admin.preview_window import PreviewWindow
from ui.admin.publish_dialog import PublishDialog
from ui.admin.question_editor import QuestionEditor
from ui.admin.slide_editor import SlideEditor
from ui.admin.structure_edits import InsertItem, MoveItem, RemoveItem
from ui.admin.thumbnail import thumbnail
from ui.admin.versions_dialog import VersionsDialog
from ui.plain_text import plain_label, plain_message_box, plain_tooltip

SLIDE_ICON = QSize(96, 64)
# Which tab shows each part of the content, and the pack's field that holds it.
TABS = {"slide": 0, "question": 1, "statement": 2, "clinic": 3, "measure": 4}
PARTS = {"slide": "slides", "question": "questions", "statement": "consent_statements"}


def admin_style() -> str:
    """The editor's QSS, shipped in `resources/styles` (the preview keeps the kiosk's own)."""
    return resources.files("resources").joinpath("styles", "admin.qss").read_text("utf-8")


class AdminWindow(QMainWindow):
    """The content editor for one signed-in admin.

    Signals:
        draft_saved: the draft was written to the database.
        published(object): a new version is in use (its `PublishedVersion`).
    """

    draft_saved = Signal()
    published = Signal(object)
    # How long after the last keystroke the draft is saved.
    SAVE_DELAY_MILLISECONDS = 1500

    def __init__(
        self,
        station: Station,
        settings: Settings,
        member: StaffMember,
        *,
        clock: Clock = utc_now,
    ) -> None:
        super().__init__()
        self.setObjectName("adminWindow")
        self.setWindowTitle(self.tr("Content editor — Waiting Room Kiosk"))
        self.setStyleSheet(admin_style())
        # Every change to the content, in one transaction with its audit entry.
        self.editing = station.content_editing()
        self.settings = settings
        self.member = member
        self.station = station
        self.clock = clock
        self.preview: PreviewWindow | None = None
        self.versions_dialog: VersionsDialog | None = None
        self._icons: dict[str | None, QIcon] = {}
        self._dirty = False
        # "" edits the clinic's own words; a code edits that translation's words only.
        self.editing_language = ""
        # Translations whose clinic-language words changed since they were translated.
        self.translated_from: dict[str, dict[str, str]] = {}

        # Adding, removing, duplicating and moving items; typed words have the fields' own.
        self.undo_stack = QUndoStack(self)
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.addLayout(self._build_top())
        self.banner = self._notice("editorWarning")
        outer.addWidget(self.banner)
        self.message = self._notice("editorMessage")
        outer.addWidget(self.message)
        self._build_problems(outer)
        outer.addLayout(self._build_out_of_date())
        outer.addWidget(self._build_tabs(), 1)
        self._follow_choices()
        self.setCentralWidget(central)

        self.save_timer = QTimer(self)
        self.save_timer.setSingleShot(True)
        self.save_timer.setInterval(self.SAVE_DELAY_MILLISECONDS)
        self.save_timer.timeout.connect(self.save_now)
        self._show_problems([])
        self.load()

    # --- building -------------------------------------------------------------------------
    def _notice(self, name: str) -> QLabel:
        label = plain_label()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.hide()
        return label

    def _build_top(self) -> QHBoxLayout:
        top = QHBoxLayout()
        texts = QVBoxLayout()
        self.signed_in = plain_label(
            self.tr("Signed in as {0} (admin)").format(self.member.username)
        )
        self.status = plain_label()
        self.status.setObjectName("draftStatus")
        self.status.setWordWrap(True)
        texts.addWidget(self.signed_in)
        texts.addWidget(self.status)
        top.addLayout(texts, 1)
        # Which language's words the tabs edit: the clinic's own, or a translation.
        self.language_choice = QComboBox()
        self.language_choice.setObjectName("languageChoice")
        self.language_choice.setAccessibleName(self.tr("Language being edited"))
        self.language_choice.currentIndexChanged.connect(self._language_chosen)
        top.addWidget(plain_label(self.tr("Editing:")))
        top.addWidget(self.language_choice)
        self.undo_button = self._undo_button(
            self.undo_stack.createUndoAction(self, self.tr("Undo")),
            QKeySequence.StandardKey.Undo,
            self.tr("Take back the last slide, question or statement added, removed or moved"),
        )
        self.redo_button = self._undo_button(
            self.undo_stack.createRedoAction(self, self.tr("Redo")),
            QKeySequence.StandardKey.Redo,
            self.tr("Do again what Undo took back"),
        )
        top.addWidget(self.undo_button)
        top.addWidget(self.redo_button)
        self.discard_button = QPushButton(self.tr("Discard draft…"))
        self.discard_button.clicked.connect(self.discard)
        self.versions_button = QPushButton(self.tr("Versions…"))
        self.versions_button.clicked.connect(self.show_versions)
        self.check_button = QPushButton(self.tr("Check"))
        self.check_button.setToolTip(
            plain_tooltip(self.tr("List what must be fixed before publishing"))
        )
        self.check_button.clicked.connect(self.check)
        self.preview_button = QPushButton(self.tr("Preview…"))
        self.preview_button.setToolTip(
            plain_tooltip(self.tr("Step through the kiosk's screens with this draft"))
        )
        self.preview_button.clicked.connect(self.show_preview)
        self.publish_button = QPushButton(self.tr("Publish…"))
        self.publish_button.setObjectName("publishButton")
        self.publish_button.clicked.connect(self.publish)
        for button in (
            self.discard_button,
            self.versions_button,
            self.check_button,
            self.preview_button,
            self.publish_button,
        ):
            top.addWidget(button)
        return top

    def _build_tabs(self) -> QSplitter:
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_slides(), self.tr("Slides"))
        self.tabs.addTab(self._build_questions(), self.tr("Questions"))
        self.tabs.addTab(self._build_consent(), self.tr("Consent"))
        self.clinic_editor = ClinicEditor()
        self.clinic_editor.name_edited.connect(self._clinic_name_edited)
        self.clinic_editor.seconds_edited.connect(
            lambda seconds: self.take_edit(
                dataclasses.replace(self.pack, seconds_before_next=seconds)
            )
        )
        self.clinic_editor.logo_chosen.connect(self._logo_chosen)
        self.clinic_editor.responder_edited.connect(
            lambda responder: self.take_edit(
                dataclasses.replace(self.pack, risk_responder=responder)
            )
        )
        self.clinic_editor.headphones_edited.connect(
            lambda on: self.take_edit(dataclasses.replace(self.pack, kiosk_has_headphones=on))
        )
        self.tabs.addTab(self.clinic_editor, self.tr("Clinic"))
        self.measure_editor = MeasureEditor()
        self.measure_editor.schedule_edited.connect(self._measure_schedule_edited)
        self.measure_editor.wording_edited.connect(self._measure_wording_edited)
        self.tabs.addTab(self.measure_editor, self.tr("Questionnaires"))
        # While translating, the clinic's own words of the chosen item, side by side.
        self.source = QTextBrowser()
        self.source.setObjectName("sourceWords")
        self.source.setAccessibleName(self.tr("The clinic's own words of the chosen item"))
        self.source.hide()
        beside = QSplitter()
        beside.addWidget(self.tabs)
        beside.addWidget(self.source)
        beside.setStretchFactor(0, 3)
        beside.setStretchFactor(1, 1)
        beside.setSizes([1000, 380])
        return beside

    def _build_problems(self, outer: QVBoxLayout) -> None:
        self.problems_title = plain_label()
        self.problems_title.setObjectName("editorProblem")
        self.problems = QListWidget()
        self.problems.setObjectName("problemList")
        self.problems.setWordWrap(True)
        self.problems.itemActivated.connect(self._go_to_problem)
        self.problems.itemClicked.connect(self._go_to_problem)
        outer.addWidget(self.problems_title)
        outer.addWidget(self.problems)

    def _build_out_of_date(self) -> QHBoxLayout:
        # Shown while a translation is edited and its chosen item's clinic words changed.
        row = QHBoxLayout()
        self.out_of_date_note = self._notice("editorWarning")
        self.still_right_button = QPushButton(self.tr("The translation is still right"))
        self.still_right_button.setToolTip(
            plain_tooltip(
                self.tr("Keep this translation as it is: it says what the new wording says")
            )
        )
        self.still_right_button.clicked.connect(self.confirm_translation)
        self.still_right_button.hide()
        row.addWidget(self.out_of_date_note, 1)
        row.addWidget(self.still_right_button)
        return row

    def _undo_button(
        self, action: QAction, keys: QKeySequence.StandardKey, tip: str
    ) -> QToolButton:
        action.setShortcut(keys)
        # A field being typed in takes the keys for its own undo first.
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setToolTip(plain_tooltip(f"{tip} ({QKeySequence(keys).toString()})"))
        self.addAction(action)
        button = QToolButton()
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setDefaultAction(action)
        return button

    def _follow_choices(self) -> None:
        # Whatever the admin opens, the out-of-date note speaks of it.
        self.tabs.currentChanged.connect(lambda _index: self._show_out_of_date())
        for listing in (self.slide_list, self.question_list, self.statement_list):
            listing.selected.connect(lambda _row: self._show_out_of_date())

    def _split(self, side: QWidget, editor: QWidget) -> QSplitter:
        room = QScrollArea()
        room.setWidgetResizable(True)
        # The editor wraps to the room it has; only a short screen makes it scroll.
        room.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        room.setWidget(editor)
        splitter = QSplitter()
        splitter.addWidget(side)
        splitter.addWidget(room)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([520, 780])
        return splitter

    def _build_slides(self) -> QWidget:
        self.slide_list = OrderedList(
            add_text=self.tr("Add slide"),
            most=MAX_SLIDES,
            full_text=self.tr("The content can have at most {0} slides.").format(MAX_SLIDES),
            duplicate_text=self.tr("Duplicate"),
            icon_size=SLIDE_ICON,
        )
        self.slide_editor = SlideEditor()
        self.slide_list.selected.connect(self._show_chosen_slide)
        self.slide_list.add_requested.connect(self._add_slide)
        self.slide_list.duplicate_requested.connect(self._duplicate_slide)
        self.slide_list.remove_requested.connect(lambda row: self._remove("slide", row))
        self.slide_list.move_requested.connect(
            lambda start, target: self._move("slide", start, target)
        )
        self.slide_editor.edited.connect(self._slide_edited)
        return self._split(self.slide_list, self.slide_editor)

    def _build_questions(self) -> QWidget:
        self.question_list = OrderedList(
            add_text=self.tr("Add question"),
            most=MAX_QUESTIONS,
            full_text=self.tr("The content can have at most {0} questions.").format(MAX_QUESTIONS),
        )
        self.question_editor = QuestionEditor()
        self.question_list.selected.connect(self._show_chosen_question)
        self.question_list.add_requested.connect(self._add_question)
        self.question_list.remove_requested.connect(lambda row: self._remove("question", row))
        self.question_list.move_requested.connect(
            lambda start, target: self._move("question", start, target)
        )
        self.question_editor.edited.connect(self._question_edited)
        return self._split(self.question_list, self.question_editor)

    def _build_consent(self) -> QWidget:
        self.statement_list = OrderedList(
            add_text=self.tr("Add statement"),
            most=MAX_STATEMENTS,
            full_text=self.tr("The content can have at most {0} consent statements.").format(
                MAX_STATEMENTS
            ),
        )
        self.consent_editor = ConsentEditor()
        self.statement_list.selected.connect(
            lambda row: self.consent_editor.show_statement(
                self.view().consent_statements[row] if row >= 0 else None
            )
        )
        self.statement_list.add_requested.connect(self._add_statement)
        self.statement_list.remove_requested.connect(lambda row: self._remove("statement", row))
        self.statement_list.move_requested.connect(
            lambda start, target: self._move("statement", start, target)
        )
        self.consent_editor.statement_edited.connect(self._statement_edited)
        self.consent_editor.meaning_edited.connect(self._meaning_edited)
        return self._split(self.statement_list, self.consent_editor)

    # --- loading and saving ------------------------------------------------------------------
    def stamp(self) -> Actor:
        """Who is acting, from where, now: for the audit entries publishing writes."""
        return Actor.staff(self.member, station=self.station.name, now=self.clock())

    def load(self) -> None:
        """Start from the saved draft if there is one, else from the content in use."""
        start = self.editing.start(now=self.clock())
        in_use, draft, listed = start.in_use, start.draft, start.versions
        self.in_use = in_use
        self.in_use_version = start.in_use_version
        newest = listed[0] if listed else None
        if draft is not None:
            self.pack = draft.pack
            self.based_on = draft.based_on
            self.translated_from = {k: dict(v) for k, v in draft.translated_from.items()}
            self.draft_note = self.tr("Draft saved {0} by {1}.").format(
                self._when(draft.saved_at), shown_name(draft.saved_by)
            )
        else:
            self.pack = in_use
            self.based_on = start.in_use_version
            self.translated_from = {}
            self.draft_note = ""
        self._dirty = False
        # Undo steps through this draft's edits; another draft starts afresh.
        self.undo_stack.clear()
        self.in_use_note = (
            self.tr("In use: version {0} (“{1}”), published {2} by {3}.").format(
                newest.number,
                newest.label,
                self._when(newest.published_at),
                shown_name(newest.published_by),
            )
            if newest
            else ""
        )
        if draft is not None and draft.based_on != start.in_use_version and newest is not None:
            self.banner.setText(
                self.tr(
                    "Someone published since this draft was started: version {0} (“{1}”) "
                    "by {2}. Publishing the draft replaces it — check the draft still has "
                    "their changes, or discard the draft to start again from what is in use."
                ).format(newest.number, newest.label, shown_name(newest.published_by))
            )
            self.banner.show()
        else:
            self.banner.hide()
        self._show_pack()
        self._show_status()

    def _when(self, moment: datetime) -> str:
        return (
            moment.astimezone(self.settings.zone).strftime("%b %d at %I:%M %p").replace(" 0", " ")
        )

    def _show_status(self) -> None:
        if self._dirty:
            draft = self.tr("Changes not saved yet…")
        elif self.draft_note:
            draft = self.draft_note
        else:
            draft = self.tr("No draft: this is the content in use. Any change starts a draft.")
        self.status.setText(f"{draft} {self.in_use_note}")
        self.discard_button.setEnabled(bool(self.draft_note) or self._dirty)

    def take_edit(self, pack: ContentPack) -> None:
        """The admin changed something: keep it and save it in a moment."""
        used = {slide.picture for slide in pack.slides} | {pack.logo}
        edited = dataclasses.replace(
            pack, pictures={name: data for name, data in pack.pictures.items() if name in used}
        )
        followed = translations.follow_edit(self.pack, edited, self.translated_from)
        newly = {
            language
            for language, sources in followed.items()
            if set(sources) - set(self.translated_from.get(language, {}))
        }
        self.translated_from = followed
        self.pack = edited
        if newly:
            # Said as it happens, so the admin knows the translation needs a look.
            self._say(
                self.tr("The {0} translation of these words is now marked out of date.").format(
                    " and ".join(language_words(code) for code in sorted(newly))
                )
            )
        self._dirty = True
        self._show_status()
        self._show_out_of_date()
        self.save_timer.start()

    def save_now(self) -> None:
        """Write the draft to the database now, if it changed."""
        self.save_timer.stop()
        if not self._dirty:
            return
        try:
            draft = self.editing.save_draft(
                self.pack,
                based_on=self.based_on,
                translated_from=self.translated_from,
                by=self.stamp(),
            )
        except StorageUnavailableError as error:
            self._say(self.tr("The draft could not be saved: {0}").format(error))
            self.save_timer.start()
            return
        self._dirty = False
        self.draft_note = self.tr("Draft saved {0} by {1}.").format(
            self._when(draft.saved_at), self.member.username
        )
        self._show_status()
        self.draft_saved.emit()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # --- showing the draft -----------------------------------------------------------------
    def view(self) -> ContentPack:
        """The draft in the language being edited (text not translated yet is empty)."""
        if not self.editing_language:
            return self.pack
        return self.pack.in_language(self.editing_language, missing="")

    def _show_languages(self) -> None:
        self.language_choice.blockSignals(True)
        self.language_choice.clear()
        for code in self.pack.languages:
            name = language_words(code)
            if code == self.pack.language:
                name = self.tr("{0} (the clinic's own)").format(name)
            self.language_choice.addItem(name, "" if code == self.pack.language else code)
        index = self.language_choice.findData(self.editing_language)
        self.language_choice.setCurrentIndex(max(index, 0))
        self.language_choice.blockSignals(False)
        self.language_choice.setVisible(len(self.pack.languages) > 1)

    def _language_chosen(self, index: int) -> None:
        self.editing_language = str(self.language_choice.itemData(index) or "")
        # A translation changes words only: what is asked, in which order, and which
        # answers flag stay the clinic's, the same in every language.
        own = not self.editing_language
        for ordered in (self.slide_list, self.question_list, self.statement_list):
            ordered.set_reorderable(own)
        self.question_editor.translating = not own
        self.slide_editor.set_translating(not own)
        self.clinic_editor.set_translating(not own)
        # A measure's words in another language come only from the clinic's own file.
        self.measure_editor.setEnabled(own)
        for widget in (
            self.question_editor.contraindication,
            self.question_editor.flag_wording,
            self.question_editor.kind_choice,
            self.question_editor.flag_choices,
            self.question_editor.asked_choice,
            self.question_editor.slide_choice,
            self.question_editor.right_answer_choice,
            *self.question_editor.flag_boxes.values(),
        ):
            widget.setEnabled(own)
        self._show_pack()
        self._show_chosen_slide(self.slide_list.current_row())
        self._show_chosen_question(self.question_list.current_row())
        row = self.statement_list.current_row()
        self.consent_editor.show_statement(
            self.view().consent_statements[row] if row >= 0 else None
        )
        self._show_out_of_date()

    def _translate(self, words: dict[str, str]) -> None:
        """Keep typed words as the translation's, leaving the clinic's own unchanged."""
        language = self.editing_language
        translations = dict(self.pack.translations)
        translations[language] = {**translations.get(language, {}), **words}
        self.take_edit(dataclasses.replace(self.pack, translations=translations))

    def _measure_schedule_edited(self, measure_id: str, every: int) -> None:
        self.take_edit(
            dataclasses.replace(
                self.pack,
                measures=tuple(
                    dataclasses.replace(m, every_nth_visit=every) if m.id == measure_id else m
                    for m in self.pack.measures
                ),
            )
        )

    def _measure_wording_edited(self, measure_id: str, key: str, words: str) -> None:
        def reworded(measure: Measure) -> Measure:
            if measure.id != measure_id:
                return measure
            if key == "instructions":
                return dataclasses.replace(measure, instructions=words)
            return dataclasses.replace(
                measure,
                items=tuple(
                    dataclasses.replace(item, text=words) if item.id == key else item
                    for item in measure.items
                ),
            )

        self.take_edit(
            dataclasses.replace(self.pack, measures=tuple(map(reworded, self.pack.measures)))
        )

    def _clinic_name_edited(self, name: str) -> None:
        if self.editing_language:
            self._translate({"clinic_name": name})
        else:
            self.take_edit(dataclasses.replace(self.pack, clinic_name=name))

    def _meaning_edited(self, meaning: str) -> None:
        if self.editing_language:
            self._translate({"signature_meaning": meaning})
        else:
            self.take_edit(dataclasses.replace(self.pack, signature_meaning=meaning))

    def _show_pack(self) -> None:
        self._show_languages()
        shown = self.view()
        self.slide_list.show_items(self._slide_labels(), self.slide_list.current_row())
        self.question_list.show_items(self._question_labels(), self.question_list.current_row())
        self.statement_list.show_items(self._statement_labels(), self.statement_list.current_row())
        self.consent_editor.show_meaning(shown.signature_meaning)
        self.clinic_editor.show_clinic(
            shown.clinic_name,
            self.pack.seconds_before_next,
            self.pack.pictures.get(self.pack.logo) if self.pack.logo else None,
        )
        self.measure_editor.show_measures(self.pack.measures)
        self.clinic_editor.show_risk_path(self.pack.risk_responder, self.pack.kiosk_has_headphones)

    def _slide_icon(self, slide: Slide) -> QIcon:
        if slide.picture not in self._icons:
            data = self.pack.pictures.get(slide.picture) if slide.picture else None
            self._icons[slide.picture] = QIcon(thumbnail(data, SLIDE_ICON))
        return self._icons[slide.picture]

    def _marked(self, label: str, key_prefix: str) -> str:
        """A list label, marked while translating when the item's translation is out of date."""
        if not self.editing_language:
            return label
        stale = translations.out_of_date(self.pack, self.translated_from).get(
            self.editing_language, []
        )
        if any(key == key_prefix or key.startswith(f"{key_prefix}.") for key in stale):
            return self.tr("{0}  [out of date]").format(label)
        return label

    def _slide_label(self, number: int, slide: Slide) -> str:
        label = f"{number}. {slide.title.strip() or self.tr('(no title yet)')}"
        return self._marked(label, f"slide.{slide.id}")

    def _slide_labels(self) -> list[tuple[str, QIcon | None]]:
        return [
            (self._slide_label(n, s), self._slide_icon(s))
            for n, s in enumerate(self.view().slides, 1)
        ]

    def _question_label(self, number: int, question: Question) -> str:
        text = question.text.strip() or self.tr("(no wording yet)")
        if question.is_teach_back:
            label = self.tr("{0}. {1}  [teach-back]").format(number, text)
            return self._marked(label, f"question.{question.id}")
        if not question.contraindication:
            return self._marked(f"{number}. {text}", f"question.{question.id}")
        label = self.tr("{0}. {1}  [contraindication]").format(number, text)
        return self._marked(label, f"question.{question.id}")

    def _question_labels(self) -> list[tuple[str, QIcon | None]]:
        return [(self._question_label(n, q), None) for n, q in enumerate(self.view().questions, 1)]

    def _statement_labels(self) -> list[tuple[str, QIcon | None]]:
        return [
            (
                self._marked(
                    f"{n}. {s.text.strip() or self.tr('(no text yet)')}", f"consent.{s.id}"
                ),
                None,
            )
            for n, s in enumerate(self.view().consent_statements, 1)
        ]

    def _show_chosen_slide(self, row: int) -> None:
        slides = self.view().slides
        slide = slides[row] if 0 <= row < len(slides) else None
        picture = self.pack.pictures.get(slide.picture) if slide and slide.picture else None
        self.slide_editor.show_slide(slide, picture)

    # --- IDs -------------------------------------------------------------------------------
    def _fresh_id(self, item_id: str, words: str, published: set[str], others: set[str]) -> str:
        """An item not yet published takes its ID from its words as they are typed.

        A published item keeps its ID whatever its wording, because stored visits refer
        to it; a new one may still be renamed, so problems name it by what it says.
        """
        if item_id in published:
            return item_id
        return publishing.new_item_id(words or item_id, others)

    # --- slides ------------------------------------------------------------------------------
    def _set_slides(self, slides: tuple[Slide, ...], current: int) -> None:
        self.take_edit(dataclasses.replace(self.pack, slides=slides))
        self.slide_list.show_items(self._slide_labels(), current)

    def _add_slide(self) -> None:
        taken = {s.id for s in self.pack.slides}
        slide = Slide(publishing.new_item_id(self.tr("new slide"), taken), "", "")
        row = self.slide_list.current_row() + 1
        self.undo_stack.push(InsertItem(self, self.tr("add a slide"), "slide", row, slide))
        self.slide_editor.title_field.setFocus()

    def _duplicate_slide(self, row: int) -> None:
        original = self.pack.slides[row]
        taken = {s.id for s in self.pack.slides}
        copy = dataclasses.replace(original, id=publishing.new_item_id(original.title, taken))
        self.undo_stack.push(InsertItem(self, self.tr("duplicate a slide"), "slide", row + 1, copy))

    def _slide_edited(self, slide: Slide, pictures: dict[str, bytes]) -> None:
        row = self.slide_list.current_row()
        if not 0 <= row < len(self.pack.slides):
            return
        if self.editing_language:
            key = f"slide.{self.pack.slides[row].id}"
            words = {f"{key}.title": slide.title, f"{key}.text": slide.text}
            if self.pack.slides[row].picture:
                words[f"{key}.picture_alt"] = slide.picture_alt or ""
            self._translate(words)
            self.slide_list.set_item(row, self._slide_label(row + 1, slide), None)
            return
        before = self.pack.slides[row]
        others = {s.id for n, s in enumerate(self.pack.slides) if n != row}
        published = {s.id for s in self.in_use.slides}
        slide = dataclasses.replace(
            slide, id=self._fresh_id(before.id, slide.title, published, others)
        )
        slides = (*self.pack.slides[:row], slide, *self.pack.slides[row + 1 :])
        self.take_edit(
            dataclasses.replace(
                self.pack, slides=slides, pictures={**self.pack.pictures, **pictures}
            )
        )
        icon = self._slide_icon(slide) if slide.picture != before.picture else None
        self.slide_list.set_item(row, self._slide_label(row + 1, slide), icon)

    # --- adding, removing and moving items (undoable) ----------------------------------------
    def items_of(self, part: str) -> tuple[Any, ...]:
        """The clinic's slides, questions or statements ("slide", "question", "statement")."""
        return tuple(getattr(self.pack, PARTS[part]))

    def put_items(self, part: str, items: tuple[Any, ...], current: int) -> None:
        """Make these the part's items and show them on their tab (for Undo and Redo too)."""
        self.tabs.setCurrentIndex(TABS[part])
        if part == "slide":
            self._set_slides(items, current)
        elif part == "question":
            self._set_questions(items, current)
        else:
            self._set_statements(items, current)

    def _remove(self, part: str, row: int) -> None:
        contraindication: list[str] = []
        if part == "question":
            questions = self.pack.questions
            after = dataclasses.replace(self.pack, questions=questions[:row] + questions[row + 1 :])
            contraindication = publishing.contraindication_changes(self.pack, after)
        name = draft_check.item_name(self.view(), part, row)
        sentences = [
            self.tr("{0} is taken out of the draft. Undo (Ctrl+Z) brings it back.").format(
                name[:1].upper() + name[1:]
            )
        ]
        title = (
            self.tr("Remove a contraindication question?")
            if contraindication
            else self.tr("Remove {0}?").format(name)
        )
        yes = {
            "slide": self.tr("Remove the slide"),
            "question": self.tr("Remove the question"),
            "statement": self.tr("Remove the statement"),
        }[part]
        if not self.confirm(self, title, [*contraindication, *sentences], yes):
            return
        what = {
            "slide": self.tr("remove a slide"),
            "question": self.tr("remove a question"),
            "statement": self.tr("remove a statement"),
        }[part]
        self.undo_stack.push(RemoveItem(self, what, part, row))

    def _move(self, part: str, start: int, target: int) -> None:
        what = {
            "slide": self.tr("move a slide"),
            "question": self.tr("move a question"),
            "statement": self.tr("move a statement"),
        }[part]
        self.undo_stack.push(MoveItem(self, what, part, start, target))

    # --- questions ---------------------------------------------------------------------------
    def _show_chosen_question(self, row: int) -> None:
        # A teach-back question names one of the draft's slides, as they now read.
        self.question_editor.set_slides(self.view().slides)
        self.question_editor.show_question(self.view().questions[row] if row >= 0 else None)

    def _set_questions(self, questions: tuple[Question, ...], current: int) -> None:
        self.take_edit(dataclasses.replace(self.pack, questions=questions))
        self.question_list.show_items(self._question_labels(), current)

    def _add_question(self) -> None:
        # Yes / No / Not sure is the only kind of question the kiosk asks.
        taken = {q.id for q in self.pack.questions}
        question = Question(
            publishing.new_item_id(self.tr("new question"), taken),
            "",
            (Answer.YES, Answer.NOT_SURE),
            "",
        )
        row = self.question_list.current_row() + 1
        self.undo_stack.push(InsertItem(self, self.tr("add a question"), "question", row, question))
        self.question_editor.text_field.setFocus()

    def _question_edited(self, question: Question) -> None:
        row = self.question_list.current_row()
        if not 0 <= row < len(self.pack.questions):
            return
        if self.editing_language:
            key = f"question.{self.pack.questions[row].id}"
            words = {f"{key}.text": question.text}
            words |= {f"{key}.choice.{c.id}": c.text for c in question.choices}
            if question.is_teach_back:
                words[f"{key}.key_sentence"] = question.key_sentence
            self._translate(words)
            self.question_list.set_item(row, self._question_label(row + 1, question))
            return
        before = self.pack.questions[row]
        others = {q.id for n, q in enumerate(self.pack.questions) if n != row}
        published = {q.id for q in self.in_use.questions}
        question = dataclasses.replace(
            question, id=self._fresh_id(before.id, question.text, published, others)
        )
        questions = (*self.pack.questions[:row], question, *self.pack.questions[row + 1 :])
        self.take_edit(dataclasses.replace(self.pack, questions=questions))
        self.question_list.set_item(row, self._question_label(row + 1, question))

    # --- consent -----------------------------------------------------------------------------
    def _set_statements(self, statements: tuple[ConsentStatement, ...], current: int) -> None:
        self.take_edit(dataclasses.replace(self.pack, consent_statements=statements))
        self.statement_list.show_items(self._statement_labels(), current)

    def _add_statement(self) -> None:
        statements = self.pack.consent_statements
        taken = {s.id for s in statements}
        statement = ConsentStatement(publishing.new_item_id(self.tr("new statement"), taken), "")
        row = self.statement_list.current_row() + 1
        self.undo_stack.push(
            InsertItem(self, self.tr("add a statement"), "statement", row, statement)
        )
        self.consent_editor.statement_field.setFocus()

    def _statement_edited(self, statement: ConsentStatement) -> None:
        row = self.statement_list.current_row()
        statements = self.pack.consent_statements
        if not 0 <= row < len(statements):
            return
        if self.editing_language:
            self._translate({f"consent.{statements[row].id}": statement.text})
            self.statement_list.set_item(row, self._statement_labels()[row][0])
            return
        others = {s.id for n, s in enumerate(statements) if n != row}
        published = {s.id for s in self.in_use.consent_statements}
        statement = dataclasses.replace(
            statement, id=self._fresh_id(statements[row].id, statement.text, published, others)
        )
        self.take_edit(
            dataclasses.replace(
                self.pack,
                consent_statements=(*statements[:row], statement, *statements[row + 1 :]),
            )
        )
        self.statement_list.set_item(row, self._statement_labels()[row][0])

    def _logo_chosen(self, name: str | None, pictures: dict[str, bytes]) -> None:
        self.take_edit(
            dataclasses.replace(self.pack, logo=name, pictures={**self.pack.pictures, **pictures})
        )
        self.clinic_editor.show_clinic(
            self.pack.clinic_name, self.pack.seconds_before_next, pictures.get(name or "")
        )

    # --- checking, previewing, publishing ----------------------------------------------------
    @classmethod
    def confirm(cls, parent: QWidget, title: str, sentences: list[str], yes_text: str) -> bool:
        """Ask the admin to confirm a change, saying what it affects.

        A class method so tests can replace it.
        """
        # The sentences quote questions as the admin typed them.
        box = plain_message_box(
            parent, QMessageBox.Icon.Warning, title, title, details="\n\n".join(sentences)
        )
        yes = box.addButton(yes_text, QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is yes

    def _show_problems(self, problems: Sequence[DraftProblem | str]) -> None:
        self.problems.clear()
        for problem in problems:
            words = problem if isinstance(problem, str) else problem.words
            item = QListWidgetItem(words)
            item.setToolTip(plain_tooltip(words))
            if not isinstance(problem, str):
                item.setData(Qt.ItemDataRole.UserRole, problem.place)
            self.problems.addItem(item)
        self._fit_problems()
        # Again once the list has its width: a long problem wraps onto a second line.
        QTimer.singleShot(0, self._fit_problems)
        blocking = [p for p in problems if isinstance(p, str) or p.blocks]
        self.problems_title.setText(
            self.tr("These problems must be fixed before the draft can be published:")
            if blocking
            else self.tr("These translations may be out of date (publishing can go ahead):")
        )
        self.problems_title.setVisible(bool(problems))
        self.problems.setVisible(bool(problems))

    def _fit_problems(self) -> None:
        # As tall as the problems, up to five; more scroll.
        self.problems.doItemsLayout()
        count = min(self.problems.count(), 5)
        rows = sum(
            self.problems.visualItemRect(self.problems.item(n)).height() for n in range(count)
        )
        self.problems.setFixedHeight(rows + 2 * self.problems.frameWidth() + 10)

    def _go_to_problem(self, item: QListWidgetItem) -> None:
        place = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(place, Place):
            self.go_to(place)

    def go_to(self, place: Place) -> None:
        """Open the tab, item and language a problem is in."""
        if place.language != self.editing_language:
            index = self.language_choice.findData(place.language)
            if index >= 0:
                self.language_choice.setCurrentIndex(index)
        if place.part in TABS:
            self.tabs.setCurrentIndex(TABS[place.part])
        listing = {
            "slide": self.slide_list,
            "question": self.question_list,
            "statement": self.statement_list,
        }.get(place.part)
        if listing is not None and place.row >= 0:
            listing.items.setCurrentRow(place.row)
        self._show_out_of_date()

    def check(self) -> bool:
        """Check the draft as publishing would; list the problems.

        True when nothing stops a publish (out-of-date slides may still be listed).
        """
        try:
            problems = draft_check.draft_problems(self.pack, self.translated_from)
        except OSError as error:
            self._say(self.tr("The draft could not be checked: {0}").format(error.strerror))
            return False
        self._show_problems(problems)
        if any(problem.blocks for problem in problems):
            self._say(self.tr("The draft has problems; click one to go to it."))
            return False
        if problems:
            self._say(
                self.tr("The draft can be published; the translations listed may need a look.")
            )
        else:
            self._say(self.tr("No problems: this draft can be published."))
        return True

    # --- out-of-date translations --------------------------------------------------------
    def _chosen_keys(self) -> list[str]:
        """The text keys of the item chosen on the tab shown."""
        tab = self.tabs.currentIndex()
        ids: list[str]
        if tab == TABS["slide"]:
            row, ids, prefix = (
                self.slide_list.current_row(),
                [s.id for s in self.pack.slides],
                "slide",
            )
        elif tab == TABS["question"]:
            row, prefix = self.question_list.current_row(), "question"
            ids = [q.id for q in self.pack.questions]
        elif tab == TABS["statement"]:
            row, prefix = self.statement_list.current_row(), "consent"
            ids = [s.id for s in self.pack.consent_statements]
        else:
            return ["clinic_name"]
        keys = ["signature_meaning"] if tab == TABS["statement"] else []
        if 0 <= row < len(ids):
            item_id = ids[row]
            keys += [
                key
                for key in text_keys(self.pack)
                if key == f"{prefix}.{item_id}" or key.startswith(f"{prefix}.{item_id}.")
            ]
        return keys

    def _chosen_out_of_date(self) -> list[str]:
        if not self.editing_language:
            return []
        stale = translations.out_of_date(self.pack, self.translated_from)
        return [key for key in self._chosen_keys() if key in stale.get(self.editing_language, [])]

    def _show_source(self) -> None:
        self.source.setVisible(bool(self.editing_language))
        if not self.editing_language:
            return
        base = text_keys(self.pack)
        sources = self.translated_from.get(self.editing_language, {})
        rows = []
        for key in self._chosen_keys():
            if key not in base or not base[key]:
                continue
            field = draft_check.key_place(self.pack, key)[2]
            was = sources.get(key) if sources.get(key, base[key]) != base[key] else None
            rows.append((field[:1].upper() + field[1:], base[key], was))
        own = language_words(self.pack.language)
        self.source.setHtml(
            source_html(self.tr("In {0}, the clinic's own words:").format(own), rows)
        )

    def _show_out_of_date(self) -> None:
        self._show_source()
        keys = self._chosen_out_of_date()
        if keys:
            sources = self.translated_from[self.editing_language]
            base = text_keys(self.pack)
            fields = [draft_check.key_place(self.pack, key)[2] for key in keys]
            lines = [
                self.tr("{0} was translated from “{1}”; it now reads “{2}”.").format(
                    field[:1].upper() + field[1:], sources[key], base[key]
                )
                for key, field in zip(keys, fields, strict=True)
            ]
            self.out_of_date_note.setText(
                self.tr("Out of date: the clinic's wording changed after this was translated.")
                + "\n"
                + "\n".join(lines)
            )
        self.out_of_date_note.setVisible(bool(keys))
        self.still_right_button.setVisible(bool(keys))

    def confirm_translation(self) -> None:
        """The translation of the chosen item still says what the new wording says."""
        keys = self._chosen_out_of_date()
        if not keys:
            return
        self.translated_from = translations.confirm_translations(
            self.translated_from, self.editing_language, keys
        )
        self._dirty = True
        self._show_status()
        self._show_out_of_date()
        for listing, labels in (
            (self.slide_list, self._slide_labels()),
            (self.question_list, self._question_labels()),
            (self.statement_list, self._statement_labels()),
        ):
            for row, (label, _icon) in enumerate(labels):
                listing.set_item(row, label)
        self.save_timer.start()
        self._say(self.tr("The translation is marked as up to date."))

    def show_preview(self) -> None:
        """The draft on the kiosk's own screens, in a window of its own; nothing is stored."""
        self.save_now()
        if not (self.pack.slides and self.pack.questions and self.pack.consent_statements):
            self._say(
                self.tr("A preview needs at least one slide, one question and one statement.")
            )
            return
        if self.preview is not None:
            self.preview.close()
        self.preview = PreviewWindow(
            self.pack,
            self.settings,
            title=self.tr("Preview of the draft — not published"),
            parent=self,
        )
        self.preview.fit_window()
        self.preview.show()

    def publish(self) -> None:
        """Check the draft, ask for a label, and make it the content in use."""
        self.save_now()
        if not self.check():
            self._say(self.tr("Not published: fix the problems listed, then publish again."))
            return
        try:
            in_use_version, in_use = self.editing.content_in_use(now=self.clock())
        except StorageUnavailableError as error:  # a database gone, locked or full
            self._say(self.tr("Not published: {0}").format(error))
            return
        warnings = publishing.contraindication_changes(in_use, self.pack)
        warnings += [
            problem.words
            for problem in draft_check.out_of_date_problems(self.pack, self.translated_from)
        ]
        if self.based_on != in_use_version:
            warnings.insert(
                0,
                self.tr(
                    "Someone published another version after this draft was started. "
                    "Publishing replaces it with this draft."
                ),
            )
        label = PublishDialog.ask(
            self,
            title=self.tr("Publish the draft"),
            explanation=self.tr(
                "This draft becomes the content of every visit that starts from now on: "
                "each kiosk shows it from its next visit. A visit already under way keeps "
                "what it started with, and stored visits keep what they showed."
            ),
            warnings=warnings,
            button_text=self.tr("Publish"),
        )
        if label is None:
            return
        try:
            version = self.editing.publish_draft(label=label, by=self.stamp())
        except PublishError as error:
            self._show_problems(error.problems)
            self._say(self.tr("Not published: {0}").format(str(error).splitlines()[0]))
            return
        except StorageUnavailableError as error:
            self._say(self.tr("Not published: {0}").format(error))
            return
        self.load()
        self._after_publish(version)

    def _after_publish(self, version: PublishedVersion) -> None:
        self._say(
            self.tr(
                "Published as version {0} (“{1}”). Each kiosk shows it from its next visit."
            ).format(version.number, version.label)
        )
        self.published.emit(version)

    def discard(self) -> None:
        """Throw the draft away (after asking) and show the content in use again."""
        if not self.confirm(
            self,
            self.tr("Discard the draft?"),
            [self.tr("Every change since the last publish is lost. What patients see stays.")],
            self.tr("Discard the draft"),
        ):
            return
        self.save_timer.stop()
        try:
            self.editing.discard_draft(by=self.stamp())
        except StorageUnavailableError as error:
            self._say(self.tr("The draft was not discarded: {0}").format(error))
            return
        self._show_problems([])
        self._say(self.tr("The draft was discarded."))
        self.load()

    def show_versions(self) -> None:
        """The list of published versions, to read, preview or restore one."""
        if self.versions_dialog is None:
            self.versions_dialog = VersionsDialog(
                self.editing, self.settings, self.stamp, parent=self
            )
            self.versions_dialog.restored.connect(self._restored)
        else:
            self.versions_dialog.refresh()
        self.versions_dialog.show()
        self.versions_dialog.raise_()

    def _restored(self, version: PublishedVersion) -> None:
        self.save_now()
        self.load()
        self._say(
            self.tr(
                "Version {0} (“{1}”) is in use. Each kiosk shows it from its next visit."
            ).format(version.number, version.label)
        )
        self.published.emit(version)

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        """Save the draft before the window goes, and close the preview with it."""
        self.save_now()
        for window in (self.preview, self.versions_dialog):
            if window is not None:
                window.close()
        super().closeEvent(event)
