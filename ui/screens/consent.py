"""Consent: acknowledge each statement, sign with a finger (or, where the clinic allows
it, by typing one's name), or ask to talk first."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.content import ConsentStatement
from kiosk.overriding import override
from kiosk.visit import TypedSignatureProblem
from ui.assistive_technology import speak_as_one
from ui.screens.patient_screen import PatientScreen, make_button, make_label
from ui.widgets.keyboard_access import can_take_focus
from ui.widgets.on_screen_keyboard import OnScreenKeyboard, gap_for
from ui.widgets.signature_pad import MINIMUM_HEIGHT, SignaturePad
from ui.widgets.typed_signature import TypedSignature


class StatementButton(QPushButton):
    """A tall, checkable button whose statement wraps over as many lines as it needs."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("acknowledgeButton")
        self.setCheckable(True)
        # One node for a screen reader: the statement said once, the mark not at all.
        speak_as_one(self)
        # Tab reaches it, a tap does not take the focus (as every touch button).
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
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
        self.setAccessibleDescription(
            self.tr("You have confirmed this statement.")
            if acknowledged
            else self.tr("Tap to confirm that you have read and understand this statement.")
        )
        self.setChecked(acknowledged)
        # Acknowledged once and kept: untapping would leave no record of why.
        self.setEnabled(not acknowledged)


class ConsentScreen(PatientScreen):
    """Shows the consent statements, the signature pad and the meaning of signing.

    A patient who cannot sign on the pad (a keyboard or switch user, a shaky hand) is
    offered a typed name where the clinic allows it, and is otherwise told, beside the
    pad, to ask the front desk, with "Ask for help" right there.

    Signals:
        acknowledged(str): the patient tapped a statement (its id).
        signed(object): the patient tapped "Sign"; carries the `Signature`.
        signed_by_typing(str): the patient tapped "Sign" with their name typed (as typed).
        talk_first_requested: "I'd like to talk to someone first".
        signed_on_paper: at the desk, staff record that the paper form was signed.
    """

    # The typed name and its keyboard, where the clinic allows it (see `typed`).
    _typed: TypedSignature | None
    keyboard: OnScreenKeyboard | None

    acknowledged = Signal(str)
    signed_on_paper = Signal()
    signed = Signal(object)
    signed_by_typing = Signal(str)
    talk_first_requested = Signal()

    def __init__(self, *, typed_allowed: bool = False, parent: QWidget | None = None) -> None:
        """`typed_allowed`: make the typed name's field (and its keyboard) now, at Start."""
        super().__init__("", parent=parent)
        self.set_title(self.tr("Your consent"))
        self.add_read_aloud_button()
        self.instructions = make_label(
            self.tr("Tap each statement to show you understand it. Then sign below."), "instruction"
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
        self._add_other_ways_to_sign()
        self.body.addStretch(1)
        self.talk_first_button = make_button(
            self.tr("I'd like to talk to someone first"),
            "talkFirstButton",
            self.tr("Stops here without signing; a team member will talk with you first."),
        )
        self.talk_first_button.clicked.connect(self.talk_first_requested)
        self.sign_button = make_button(
            self.tr("Sign and continue ›"),
            "primaryButton",
            self.tr("Gives your consent with this signature and goes on to the next page."),
        )
        self.sign_button.setAccessibleName(self.tr("Sign and continue"))
        self.sign_button.clicked.connect(self._sign)
        # Only when staff check a patient in at the desk: the paper form was signed.
        self.paper_button = make_button(
            self.tr("Signed on paper"),
            description=self.tr("Records that the patient signed the consent on paper."),
        )
        self.paper_button.clicked.connect(self.signed_on_paper)
        self.paper_button.hide()
        self.footer.addWidget(self.talk_first_button, 1)
        self.footer.addWidget(self.paper_button, 1)
        self.footer.addWidget(self.sign_button, 1)
        self.pad.changed.connect(self._update_sign_button)
        self.statement_buttons: dict[str, StatementButton] = {}
        self._all_acknowledged = False
        self._signed_by = ""
        self._typed_allowed = False
        self._typing = False
        self.typed_problem_words = {
            TypedSignatureProblem.NAME_MISSING: self.tr("Please type your first and last name."),
            TypedSignatureProblem.NAME_DIFFERS: self.tr(
                "That is not the name you entered at the start. Please type your first and "
                "last name as you entered them, or ask at the front desk."
            ),
        }
        if typed_allowed:
            self._make_typed()  # now, with the rest of the visit's screens
        self._show_way_to_sign()

    @property
    def typed(self) -> TypedSignature:
        """The typed name's field (made when first needed)."""
        return self._make_typed()

    def _make_typed(self) -> TypedSignature:
        # Made only where the clinic offers a typed name: most clinics never do, and a
        # second keyboard on every visit's screens would cost them time at Start.
        if self._typed is None:
            self.keyboard = OnScreenKeyboard()
            self.keyboard.set_key_gap(gap_for(self.height()))
            self.keyboard.hide()
            self.dock.addWidget(self.keyboard)
            typed = TypedSignature(self.keyboard)
            typed.form.set_gap(gap_for(self.height()))
            typed.hide()
            typed.changed.connect(self._update_sign_button)
            # Enter after the name: as if "Sign and continue" were pressed (it does
            # nothing while the button is not ready).
            typed.form.submitted.connect(self.sign_button.click)
            # In the pad's place.
            self.body.insertWidget(self.body.indexOf(self.pad) + 1, typed)
            self._typed = typed
        return self._typed

    def _add_other_ways_to_sign(self) -> None:
        """The typed name (where allowed), Clear, and who helps when signing is not possible."""
        # Where the clinic allows it, the full name typed instead (see `typed`).
        self._typed = None
        self.keyboard = None
        pad_row = QHBoxLayout()
        self.signed_by = make_label("", "signedBy")
        self.clear_button = make_button(
            self.tr("Clear"), description=self.tr("Wipes the signature so you can sign again.")
        )
        self.clear_button.setAccessibleName(self.tr("Clear the signature"))
        self.clear_button.clicked.connect(self.pad.clear)
        pad_row.addWidget(self.signed_by, 1)
        pad_row.addWidget(self.clear_button)
        self.body.addLayout(pad_row)
        typing_row = QHBoxLayout()
        self.typing_button = make_button("", "typeInsteadButton")
        self.typing_button.clicked.connect(self._other_way_to_sign)
        typing_row.addWidget(self.typing_button)
        typing_row.addStretch(1)
        self.body.addLayout(typing_row)
        # Where typing is not allowed: in words, beside the pad, who helps instead.
        help_row = QHBoxLayout()
        help_row.setSpacing(20)
        self.cannot_sign = make_label(
            self.tr(
                "If you cannot sign on the screen, please ask at the front desk — "
                "we will help you sign another way."
            ),
            "signatureHelp",
        )
        # Not a second "Ask for help" (the top bar has it): one name for one thing.
        self.pad_help_button = make_button(
            self.tr("Help me sign"),
            "helpButton",
            self.tr("Tells you where to find someone who can help you sign."),
        )
        self.pad_help_button.setAccessibleName(self.tr("Ask the front desk for help with signing"))
        self.pad_help_button.clicked.connect(self.help_requested)
        help_row.addWidget(self.cannot_sign, 1)
        help_row.addWidget(self.pad_help_button)
        self.body.addLayout(help_row)

    def show_consent(
        self,
        statements: tuple[ConsentStatement, ...],
        acknowledged: set[str],
        meaning: str,
        signed_by: str,
        *,
        paper_allowed: bool = False,
        typed_allowed: bool = False,
    ) -> None:
        """Show the statements (ticked where acknowledged), the meaning and who signs when.

        `typed_allowed`: the clinic lets a typed full name stand for a drawn signature.
        """
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
        # Said under the pad only once there is ink on it: before that nobody has signed.
        self._signed_by = signed_by
        self.paper_button.setVisible(paper_allowed)
        self.pad.setEnabled(self._all_acknowledged)
        if typed_allowed or self._typed is not None:
            self.typed.setEnabled(self._all_acknowledged)
        self.typing_button.setEnabled(self._all_acknowledged)
        self._typed_allowed = typed_allowed
        self._typing = self._typing and typed_allowed
        self._show_way_to_sign()
        if self._all_acknowledged and self._typing:
            self.scroll_area.ensureWidgetVisible(self.typed, 0, 16)
        self._update_sign_button()
        if self._all_acknowledged and not self._typing:
            # Once laid out anew: the statement just ticked and the line under the pad
            # may have changed height.
            QTimer.singleShot(0, self, self._bring_pad_into_view)

    def _bring_pad_into_view(self) -> None:
        """The pad, its Clear button and the printed name; the other way to sign (or who
        to ask, all its words) too, where it fits: it is for those who cannot use the pad.
        On a small screen or with larger text they sit below the statements."""
        for below in (self.typing_button, self.cannot_sign, self.pad_help_button):
            if not below.isHidden():
                self.scroll_area.ensureWidgetVisible(below, 0, 16)
        self.scroll_area.ensureWidgetVisible(self.clear_button, 0, 16)
        self.scroll_area.ensureWidgetVisible(self.pad, 0, 16)

    @override
    def spoken_lines(self) -> list[str]:
        """The title, each statement in order, then what signing means."""
        statements = [button.label.text() for button in self.statement_buttons.values()]
        return [self.title.text(), *statements, self.meaning.text()]

    def clear_signature(self) -> None:
        """Wipe the pad and the typed name (going back to consent means signing again)."""
        self.pad.clear()
        if self._typed is not None:
            self._typed.clear()

    def show_typed_problems(self, problems: Sequence[TypedSignatureProblem]) -> None:
        """Say in plain words why the typed name was not taken ("" when it was)."""
        self.typed.show_problem("\n".join(self.typed_problem_words[p] for p in problems))
        if problems:
            self.bring_into_view(self.typed)

    def first_control(self) -> QWidget | None:
        """The next statement to acknowledge; then the way to sign a keyboard can use."""
        for button in self.statement_buttons.values():
            if can_take_focus(button):
                return button
        if self._typing:
            return self.typed.field
        if self._typed_allowed and can_take_focus(self.typing_button):
            return self.typing_button
        # The pad says, to a screen reader too, to ask the front desk if drawing is
        # not possible; "Ask for help" is the next control.
        return self.pad if can_take_focus(self.pad) else super().first_control()

    def _other_way_to_sign(self) -> None:
        self._typing = not self._typing
        self._show_way_to_sign()
        if self._typing:
            # The keyboard below the page: the name field must stay in view above it.
            self.keep_body_in_view()
            self.typed.begin()
            self.bring_into_view(self.typed)
        self._update_sign_button()

    def _show_way_to_sign(self) -> None:
        typing = self._typing
        self.pad.setVisible(not typing)
        self.clear_button.setVisible(not typing)
        if self._typed is not None and self.keyboard is not None:
            self._typed.setVisible(typing)
            self.keyboard.setVisible(typing)
        self.typing_button.setVisible(self._typed_allowed)
        self.typing_button.setText(
            self.tr("Sign with my finger instead")
            if typing
            else self.tr("Sign by typing my name instead")
        )
        self.typing_button.setAccessibleDescription(
            self.tr("Shows the box to sign with your finger again.")
            if typing
            else self.tr("Lets you type your full name as your signature, instead of drawing it.")
        )
        self.cannot_sign.setVisible(not self._typed_allowed)
        self.pad_help_button.setVisible(not self._typed_allowed)
        self.pad.setAccessibleDescription(
            self.tr(
                "If you cannot sign on the screen, choose “Sign by typing my name "
                "instead”, just below."
            )
            if self._typed_allowed
            else self.tr(
                "If you cannot sign on the screen, please ask at the front desk: "
                "“Help me sign” is just below."
            )
        )

    def _room_for_signed_by(self) -> None:
        """The line under the pad keeps the room its words will need once there is ink,
        so that nothing below it moves (off the screen) between two strokes."""
        label = self.signed_by
        width = label.contentsRect().width()
        if width <= 0:
            return
        label.ensurePolished()
        needed = label.fontMetrics().boundingRect(
            0, 0, width, 0, Qt.TextFlag.TextWordWrap, self._signed_by
        )
        margins = label.contentsMargins()
        label.setMinimumHeight(needed.height() + margins.top() + margins.bottom())

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        """The pad stays large enough to sign comfortably: a sixth of the screen's height
        at the least (its width is the page's, well over a third)."""
        self.pad.setMinimumHeight(max(MINIMUM_HEIGHT, -(-event.size().height() // 6)))
        super().resizeEvent(event)

    @override
    def restyled(self) -> None:
        """Larger text: the line under the pad needs another height."""
        super().restyled()
        self._room_for_signed_by()

    def _sign(self) -> None:
        if self._typing:
            self.signed_by_typing.emit(self.typed.name())
        else:
            self.signed.emit(self.pad.signature())

    def _update_sign_button(self) -> None:
        typed = self._typed
        if self._typing and typed is not None:
            signed = bool(typed.name().strip())
        else:
            signed = not self.pad.is_empty
        self._room_for_signed_by()
        self.signed_by.setText(self._signed_by if not self.pad.is_empty else "")
        self.sign_button.setEnabled(self._all_acknowledged and signed)
        self.paper_button.setEnabled(self._all_acknowledged)
