"""Teach-back's second look: the slide a question was about, shown again as it was, with
the question and the slide's key sentence quoted above it."""

from __future__ import annotations

from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QWidget

from kiosk.content import Question, Slide
from kiosk.overriding import override
from ui.screens.patient_screen import make_label
from ui.screens.slide import SlideScreen


class TeachBackReviewScreen(SlideScreen):
    """A slide again after a teach-back answer that was not right; its own text,
    markup and picture unchanged (`SlideScreen`), the question and its key sentence
    quoted above. Nothing says "wrong": the page is offered as a second look.

    Signals:
        next_requested: the patient tapped "Ask me again" (the question comes back).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self.asked = make_label("", "instructions")
        self.quote = make_label("", "calmMessage")
        # Above the slide's title: what was asked, and where the page answers it.
        self.body.insertWidget(1, self.asked)
        self.body.insertWidget(2, self.quote)
        self.next_button.setText(self.tr("Ask me again ›"))
        self.next_button.setAccessibleName(self.tr("Ask me again"))
        self.next_button.setAccessibleDescription(self.tr("Asks the question once more."))

    def show_review(self, question: Question, slide: Slide, picture: QPixmap | None) -> None:
        """The slide `question` is about, and the question quoting its key sentence."""
        self.show_slide(slide, picture, 1, 1, 0)
        self.progress.setText(self.tr("Let's look at this page again"))
        self.asked.setText(self.tr("You were asked: “{0}”").format(question.text))
        self.quote.setText(self.tr("This page says: “{0}”").format(question.key_sentence))

    @override
    def spoken_lines(self) -> list[str]:
        """The question and the quoted sentence, then the slide as it is read."""
        return [self.asked.text(), self.quote.text(), *super().spoken_lines()]
