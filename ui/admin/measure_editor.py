"""The pack's scored questionnaires in the editor: when each is asked, and its wording
shown read-only unless the admin unlocks it (a changed PHQ-9 is no longer the PHQ-9)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kiosk.content import Measure
from kiosk.pack_limits import MAX_QUESTION_TEXT
from ui.plain_text import add_form_row, plain_label


class MeasureEditor(QWidget):
    """One measure at a time: how often it is asked, and its instructions and items.

    Signals:
        schedule_edited(str, int): a measure's ID and its new `every_nth_visit` (0: off).
        wording_edited(str, str, str): a measure's ID, what changed ("instructions" or an
            item's ID) and the words it now has.
    """

    schedule_edited = Signal(str, int)
    wording_edited = Signal(str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._showing = False
        self.measures: tuple[Measure, ...] = ()
        # Measures whose wording the admin unlocked in this session (by ID).
        self.unlocked: set[str] = set()
        outer = QVBoxLayout(self)
        form = QFormLayout()
        self.choice = QComboBox()
        self.choice.setAccessibleName(self.tr("Measure"))
        self.choice.currentIndexChanged.connect(lambda _: self._show_current())
        add_form_row(form, self.tr("Measure"), self.choice)
        self.every = QSpinBox()
        self.every.setRange(0, 52)
        self.every.setSpecialValueText(self.tr("Never (turned off)"))
        self.every.setPrefix(self.tr("every "))
        self.every.setSuffix(self.tr(" visit(s)"))
        self.every.setAccessibleName(self.tr("Asked every how many visits"))
        self.every.valueChanged.connect(self._every_changed)
        add_form_row(form, self.tr("Asked"), self.every)
        outer.addLayout(form)
        self.lock_note = plain_label()
        self.lock_note.setWordWrap(True)
        outer.addWidget(self.lock_note)
        self.unlock_button = QPushButton(self.tr("Unlock the wording…"))
        self.unlock_button.clicked.connect(self.unlock)
        outer.addWidget(self.unlock_button)
        self.wording = QWidget()
        self.wording_form = QFormLayout(self.wording)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.wording)
        outer.addWidget(scroll, 1)
        self.fields: dict[str, QLineEdit] = {}
        self.scores = plain_label()
        self.scores.setWordWrap(True)
        outer.addWidget(self.scores)

    def show_measures(self, measures: tuple[Measure, ...]) -> None:
        """Show the pack's measures, keeping the one chosen."""
        self._showing = True
        chosen = self.choice.currentIndex()
        self.measures = measures
        self.choice.clear()
        self.choice.addItems([measure.name for measure in measures])
        if measures:
            self.choice.setCurrentIndex(min(max(chosen, 0), len(measures) - 1))
        self._showing = False
        self._show_current()

    def current(self) -> Measure | None:
        """The measure on show."""
        index = self.choice.currentIndex()
        return self.measures[index] if 0 <= index < len(self.measures) else None

    def _show_current(self) -> None:
        if self._showing:
            return
        measure = self.current()
        self._showing = True
        while self.wording_form.rowCount():
            self.wording_form.removeRow(0)
        self.fields = {}
        if measure is None:
            self.lock_note.setText(self.tr("This content has no scored questionnaires."))
            self.every.setEnabled(False)
            self.unlock_button.hide()
            self._showing = False
            return
        self.every.setEnabled(True)
        self.every.setValue(measure.every_nth_visit)
        locked = measure.validated and measure.id not in self.unlocked
        self.unlock_button.setVisible(locked)
        self.lock_note.setText(
            self.tr(
                "The wording, scores and bands are the published {0}'s: changed, it is no "
                "longer that validated instrument. They are shown read-only."
            ).format(measure.name)
            if locked
            else self.tr(
                "Unlocked: a change to these words makes it another questionnaire, and "
                "Check warns of it."
            )
            if measure.validated
            else ""
        )
        rows = [("instructions", self.tr("Instructions"), measure.instructions)]
        rows += [(item.id, item.id, item.text) for item in measure.items]
        for key, label, text in rows:
            field = QLineEdit(text)
            field.setMaxLength(MAX_QUESTION_TEXT)
            field.setReadOnly(locked)
            field.setCursorPosition(0)
            field.setAccessibleName(label)
            field.textEdited.connect(lambda words, k=key: self._words_changed(k, words))
            add_form_row(self.wording_form, label, field)
            self.fields[key] = field
        choices = ", ".join(f"{c.text} ({c.score})" for c in measure.choices)
        bands = ", ".join(f"{b.lowest}–{b.highest} {b.name}" for b in measure.bands)
        self.scores.setText(
            self.tr("Choices: {0}. Bands: {1}. {2}").format(choices, bands, measure.attribution)
        )
        self._showing = False

    def unlock(self) -> None:
        """Ask, then let the admin change the measure's words."""
        measure = self.current()
        if measure is None or not self.ask_to_unlock(self, measure):
            return
        self.unlocked.add(measure.id)
        self._show_current()

    @classmethod
    def ask_to_unlock(cls, parent: QWidget, measure: Measure) -> bool:
        """Whether the admin means to change a validated instrument (tests replace this)."""
        answer = QMessageBox.question(
            parent,
            parent.tr("Unlock the wording"),
            parent.tr(
                "Changed, the {0} is no longer the validated {0}: its totals and bands may no "
                "longer mean what they say. Unlock its wording?"
            ).format(measure.name),
        )
        return answer == QMessageBox.StandardButton.Yes

    def _keep(self, changed: Measure) -> None:
        # What is on show stays what the pack now says (shown again on unlocking).
        self.measures = tuple(changed if m.id == changed.id else m for m in self.measures)

    def _every_changed(self, value: int) -> None:
        measure = self.current()
        if not self._showing and measure is not None:
            self._keep(replace(measure, every_nth_visit=value))
            self.schedule_edited.emit(measure.id, value)

    def _words_changed(self, key: str, words: str) -> None:
        measure = self.current()
        if measure is None:
            return
        if key == "instructions":
            self._keep(replace(measure, instructions=words))
        else:
            items = tuple(replace(i, text=words) if i.id == key else i for i in measure.items)
            self._keep(replace(measure, items=items))
        self.wording_edited.emit(measure.id, key, words)
