"""A returning patient's reminder: what the slides covered, in one screen, in their place.

Shown when the slides' clinical text has not changed since the patient's last consent
and that consent is recent (`kiosk.expected.which_flow`). It names the slides by their
titles only, from the content in use: nothing here comes from an earlier visit.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from ui.screens.patient_screen import PatientScreen, make_button, make_label
from ui.screens.slide import LINE_LENGTH
from ui.widgets.slide_text import SlideText


class ReminderScreen(PatientScreen):
    """The slides' titles, "Show me the information again" and Continue.

    Signals:
        information_requested: the patient wants to read the slides again.
        continue_requested: the patient tapped Continue.
    """

    information_requested = Signal()
    continue_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Welcome back"), parent=parent)
        self.add_read_aloud_button()
        self.intro = make_label(
            self.tr(
                "You have read the information about your treatment before, and nothing "
                "in it has changed. As a reminder, it covered:"
            ),
            "instructions",
        )
        self.body.addWidget(self.intro)
        # Rich text built from the slides' titles, each escaped; a screen reader reads
        # it as text, a list of topics (see `SlideText`).
        self.topics = SlideText("slideText")
        self.body.addWidget(self.topics)
        self.most_important = make_label(
            self.tr(
                "Please remember: you must not drive for the rest of the day. If anything "
                "about your health has changed, tell us in the questions that follow."
            ),
            "slideText",
        )
        self.body.addWidget(self.most_important)
        self.again_button = make_button(
            self.tr("Show me the information again"),
            "",
            self.tr("Shows every page of the information, one at a time."),
        )
        self.again_button.clicked.connect(self.information_requested)
        self.body.addWidget(self.again_button)
        self.body.addStretch(1)
        self.continue_button = make_button(
            self.tr("Continue ›"), "primaryButton", self.tr("Goes on to the questions.")
        )
        self.continue_button.setAccessibleName(self.tr("Continue"))
        self.continue_button.clicked.connect(self.continue_requested)
        self.footer.addStretch(1)
        self.footer.addWidget(self.continue_button)
        self._titles: list[str] = []

    def show_topics(self, titles: list[str]) -> None:
        """The slides' titles, as the patient reads them."""
        self._titles = list(titles)
        items = "".join(f"<li style='margin-bottom:6px'>{escape(t)}</li>" for t in titles)
        self.topics.setText(f"<ul>{items}</ul>")
        # As on a slide: its height follows the width it is given (see `SlideText`).
        self.topics.ensurePolished()
        self.topics.setMaximumWidth(self.topics.fontMetrics().averageCharWidth() * LINE_LENGTH)
        self.scroll_to_top()

    def spoken_lines(self) -> list[str]:
        """The title, the words and each topic, in the order shown."""
        return [
            self.title.text(),
            self.intro.text(),
            *self._titles,
            self.most_important.text(),
        ]
