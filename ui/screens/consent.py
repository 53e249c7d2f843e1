"""Consent: acknowledge each statement, sign with a finger, or ask to talk first."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget
from typing_extensions import override

from kiosk.content import ConsentStatement
from ui.screens.patient_screen import PatientScreen, make_button, make_label
from ui.widgets.signature_pad import SignaturePad


class StatementButton(QPushButton):
    """A tall, checkable button whose statement wraps over as many lines as it needs."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("acknowledgeButton")
        self.setCheckable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 14)
        layout.setSpacing(16)
        self.mark = make_label("○", "acknowledgeMark", wrap=False)
        self.label = make_label("", "acknowledgeText")
        for label in (self.mark, self.label):
            # Taps go to the button, wherever on it they land.
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)
        # A push button's height is normally fixed to one line; this one grows with its text.
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    @override
    def hasHeightForWidth(self) -> bool:
        """The wrapped statement needs more lines when the button is narrower."""
        return True

    @override
    def heightForWidth(self, width: int) -> int:
        """As tall as the wrapped statement needs at `width`."""
        layout = self.layout()
        return max(layout.totalHeightForWidth(width), 64) if layout else 64

    @override
    def sizeHint(self) -> QSize:
        """The layout's own size hint (a push button would give one line's height)."""
        layout = self.layout()
        return layout.totalSizeHint() if layout else super().sizeHint()

    @override
    def minimumSizeHint(self) -> QSize:
        """Narrow enough to wrap; never shorter than a comfortable tap."""
        return QSize(200, 64)

    def show_statement(self, text: str, *, acknowledged: bool) -> None:
        """Show the statement's text and whether it is acknowledged."""
        self.label.setText(text)
        self.mark.setText("✓" if acknowledged else "○")
        self.setAccessibleName(text)
        self.setChecked(acknowledged)
        # Acknowledged once and kept: untapping would leave no record of why.
        self.setEnabled(not acknowledged)


class ConsentScreen(PatientScreen):
    """Shows the consent statements, the signature pad and the meaning of signing.

    Signals:
        acknowledged(str): the patient tapped a statement (its id).
        signed(object): the patient tapped "Sign"; carries the `Signature`.
        talk_first_requested: "I'd like to talk to someone first".
        signed_on_paper: at the desk, staff record that the paper form was signed.
    """

    acknowledged = Signal(str)
    signed_on_paper = Signal()
    signed = Signal(object)
    talk_first_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent=parent)
        self.set_title(self.tr("Your consent"))
        self.add_read_aloud_button()
        self.instructions = make_label(
            self.tr("Tap each statement to show you understand it. Then sign below."), "progress"
        )
        self.body.addWidget(self.instructions)
        self.statements = QWidget()
        self.statement_list = QVBoxLayout(self.statements)
        self.statement_list.setContentsMargins(0, 0, 0, 0)
        self.statement_list.setSpacing(12)
        self.body.addWidget(self.statements)
        self.meaning = make_label("", "signatureMeaning")
        self.body.addWidget(self.meaning)
        self.pad = SignaturePad()
        self.body.addWidget(self.pad)
        pad_row = QHBoxLayout()
        self.signed_by = make_label("", "signedBy")
        self.clear_button = make_button(self.tr("Clear"))
        self.clear_button.setAccessibleName(self.tr("Clear the signature"))
        self.clear_button.clicked.connect(self.pad.clear)
        pad_row.addWidget(self.signed_by, 1)
        pad_row.addWidget(self.clear_button)
        self.body.addLayout(pad_row)
        self.body.addStretch(1)
        self.talk_first_button = make_button(
            self.tr("I'd like to talk to someone first"), "talkFirstButton"
        )
        self.talk_first_button.clicked.connect(self.talk_first_requested)
        self.sign_button = make_button(self.tr("Sign and continue ›"), "primaryButton")
        self.sign_button.setAccessibleName(self.tr("Sign and continue"))
        self.sign_button.clicked.connect(lambda: self.signed.emit(self.pad.signature()))
        # Only when staff check a patient in at the desk: the paper form was signed.
        self.paper_button = make_button(self.tr("Signed on paper"))
        self.paper_button.clicked.connect(self.signed_on_paper)
        self.paper_button.hide()
        self.footer.addWidget(self.talk_first_button, 1)
        self.footer.addWidget(self.paper_button, 1)
        self.footer.addWidget(self.sign_button, 1)
        self.pad.changed.connect(self._update_sign_button)
        self.statement_buttons: dict[str, StatementButton] = {}
        self._all_acknowledged = False

    def show_consent(
        self,
        statements: tuple[ConsentStatement, ...],
        acknowledged: set[str],
        meaning: str,
        signed_by: str,
        *,
        paper_allowed: bool = False,
    ) -> None:
        """Show the statements (ticked where acknowledged), the meaning and who signs when."""
        if [*self.statement_buttons] != [s.id for s in statements]:
            for button in self.statement_buttons.values():
                button.deleteLater()
            self.statement_buttons = {}
            for statement in statements:
                button = StatementButton()
                button.clicked.connect(lambda _=False, s=statement.id: self.acknowledged.emit(s))
                self.statement_list.addWidget(button)
                self.statement_buttons[statement.id] = button
        for statement in statements:
            self.statement_buttons[statement.id].show_statement(
                statement.text, acknowledged=statement.id in acknowledged
            )
        self._all_acknowledged = all(s.id in acknowledged for s in statements)
        self.meaning.setText(self.tr("By signing: {0}").format(meaning))
        self.signed_by.setText(signed_by)
        self.paper_button.setVisible(paper_allowed)
        self.pad.setEnabled(self._all_acknowledged)
        if self._all_acknowledged:
            # Bring the pad, its Clear button and the printed name into view: on a small
            # screen they sit below the statements.
            self.scroll_area.ensureWidgetVisible(self.clear_button, 0, 16)
            self.scroll_area.ensureWidgetVisible(self.pad, 0, 16)
        self._update_sign_button()

    @override
    def spoken_lines(self) -> list[str]:
        """The title, each statement in order, then what signing means."""
        statements = [button.label.text() for button in self.statement_buttons.values()]
        return [self.title.text(), *statements, self.meaning.text()]

    def clear_signature(self) -> None:
        """Wipe the pad (going back to consent means signing again)."""
        self.pad.clear()

    def _update_sign_button(self) -> None:
        self.sign_button.setEnabled(self._all_acknowledged and not self.pad.is_empty)
        self.paper_button.setEnabled(self._all_acknowledged)
