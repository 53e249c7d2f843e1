"""Welcome: the clinic's name, what happens next, one big Start button, and languages."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.overriding import override
from kiosk.welcome_card import WelcomeCard
from ui.assistive_technology import mark_heading
from ui.interface_language import (
    LANGUAGE_OFFER,
    InterfaceLanguage,
    in_language,
    interface_languages,
    language_name,
)
from ui.screens.screen_parts import (
    clear_layout,
    make_button,
    make_display_buttons,
    make_label,
    make_scroll_area,
    name_display_buttons,
)
from ui.widgets.keyboard_access import can_take_focus, first_control, move_focus


class WelcomeScreen(QWidget):
    """The screen every visit starts from; it holds nothing about any patient.

    Signals:
        start_requested: the patient tapped Start.
        language_chosen(str): the patient tapped another language (its code).
    """

    start_requested = Signal()
    language_chosen = Signal(str)
    larger_text_requested = Signal()
    contrast_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        # With larger text on a small screen, Welcome scrolls rather than cutting words.
        scroll_area = make_scroll_area()
        inner = QWidget()
        scroll_area.setWidget(inner)
        outer.addWidget(scroll_area)
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(64, 24, 64, 64)
        layout.setSpacing(40)
        self.clinic_name = make_label("", "clinicName")
        mark_heading(self.clinic_name)
        # Where the focus goes as Welcome shows, for a screen reader to say.
        self.heading = self.clinic_name
        self.clinic_name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.explanation = make_label("", "welcomeText")
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.start_button = make_button("", "startButton")
        self.start_button.clicked.connect(self.start_requested)
        self.paused_sign = make_label("", "pausedSign")
        self.paused_sign.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.paused_sign.hide()
        # Each other language, named in itself ("Español"), so its readers find it.
        self.language_row = QHBoxLayout()
        self._languages_offered: tuple[str, ...] | None = None
        self.language_row.setSpacing(24)
        # "A+" and high contrast, top right as on every other screen.
        self.larger_text_button, self.contrast_button = make_display_buttons()
        self.larger_text_button.clicked.connect(self.larger_text_requested)
        self.contrast_button.clicked.connect(self.contrast_requested)
        display_row = QHBoxLayout()
        display_row.setSpacing(16)
        display_row.addStretch(1)
        display_row.addWidget(self.larger_text_button)
        display_row.addWidget(self.contrast_button)
        layout.addLayout(display_row)
        layout.addStretch(2)
        layout.addWidget(self.clinic_name)
        layout.addWidget(self.explanation)
        layout.addStretch(1)
        layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.paused_sign)
        layout.addLayout(self.language_row)
        layout.addStretch(2)
        self.retranslate()

    def retranslate(self) -> None:
        """Every word of this screen in the interface's language now."""
        name_display_buttons(self.larger_text_button, self.contrast_button)
        self.explanation.setText(
            self.tr(
                "Welcome. Please check in here before your treatment. It takes about "
                "5–10 minutes: a few short pages about the treatment, some questions, your "
                "consent, and who will take you home."
            )
        )
        self.start_button.setText(self.tr("Start"))
        self.start_button.setAccessibleDescription(self.tr("Begins your check-in."))
        self.paused_sign.setText(
            self.tr(
                "Check-in at this screen is paused for a moment. Please see the front "
                "desk — we'll check you in there."
            )
        )

    @override
    def changeEvent(self, event: QEvent) -> None:
        """Qt announces a new translation: say everything again in it."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_check_in(self, card: WelcomeCard | None, language: str, *, paused: bool) -> None:
        """Welcome for the next visit, in `language`: the clinic's name, the content's other
        languages this kiosk can speak, and Start only when a check-in can begin."""
        if InterfaceLanguage.current != language:
            InterfaceLanguage.use(language)
            # Qt posts LanguageChange for later; Welcome must speak the new language now.
            self.retranslate()
        # The language each node gives on the accessibility bus: a screen reader picks
        # its voice by it (a Spanish voice for a Spanish visit). Set on the kiosk's
        # window only, never as the process's default: a check-in at the front desk
        # shares its process with the desk, whose dates stay in the desk's language.
        self.window().setLocale(InterfaceLanguage.locale())
        self.show_clinic(card.clinic_name(language) if card else "")
        offered = card.languages if card else ()
        self.show_languages(
            [code for code in offered if code != language and code in interface_languages()]
        )
        self.show_paused(paused)
        self.start_button.setEnabled(card is not None and not paused)

    def show_clinic(self, clinic_name: str) -> None:
        """Show the clinic's name from the content in use."""
        self.clinic_name.setText(clinic_name)

    def show_languages(self, languages: Sequence[str]) -> None:
        """Offer these other languages (codes), one button each."""
        # Each button names its language in that language: nothing to redo for the same.
        if tuple(languages) == self._languages_offered:
            return
        self._languages_offered = tuple(languages)
        clear_layout(self.language_row)
        self.language_row.addStretch(1)
        for code in languages:
            button = make_button(language_name(code), "languageButton")
            button.setAccessibleName(language_name(code))
            # In that language: its readers may not understand this one.
            button.setAccessibleDescription(in_language(code, LANGUAGE_OFFER))
            button.clicked.connect(lambda _=False, c=code: self.language_chosen.emit(c))
            self.language_row.addWidget(button)
        self.language_row.addStretch(1)

    def first_control(self) -> QWidget | None:
        """Where a keyboard user starts: Start (the display and language buttons are a
        Tab or Shift+Tab away)."""
        return self.start_button if can_take_focus(self.start_button) else first_control(self)

    @override
    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab and Shift+Tab go round Welcome's buttons in reading order."""
        return move_focus(self, forward=next) or super().focusNextPrevChild(next)

    def painted_last(self) -> QWidget:
        """What Welcome paints last: Start, or while check-in is paused the sign sending
        patients to the desk (Start is hidden then, and never painted)."""
        return self.paused_sign if self.start_button.isHidden() else self.start_button

    def show_paused(self, paused: bool) -> None:
        """While check-in is paused, Start gives way to a sign sending patients to the desk."""
        self.paused_sign.setVisible(paused)
        self.start_button.setVisible(not paused)
