"""Done: thanks, what to do now, and whether a team member will come to talk."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QWidget

from kiosk.check_in import Outcome, VisitEnd
from ui.assistive_technology import mark_heading
from ui.screens.patient_screen import PatientScreen, make_button, make_label


class DoneScreen(PatientScreen):
    """The last screen; the kiosk returns to Welcome by itself a few seconds later.

    Signals:
        finished: the patient tapped "Finish" (back to Welcome at once).
        outcome_shown: what became of the visit is on screen; Finish can be tapped.
    """

    finished = Signal()
    outcome_shown = Signal()

    # A save still under way after this long (a database that hangs) is not waited for:
    # the patient is told to let the desk know, as for a visit kept on the kiosk.
    SAVING_PATIENCE_MILLISECONDS = 15_000

    def __init__(self, parent: QWidget | None = None) -> None:
        # No Back: the visit is stored. "Ask for help" stays, as on every screen.
        super().__init__("", with_back=False, parent=parent)
        self.title.hide()
        layout = self.body
        self.heading = make_label(self.tr("Thank you. You are checked in."), "clinicName")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        mark_heading(self.heading)
        self.next_steps = make_label("", "welcomeText")
        self.next_steps.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.finish_button = make_button(
            self.tr("Finish"),
            "primaryButton",
            self.tr("Ends your check-in and clears the screen for the next person."),
        )
        self.finish_button.clicked.connect(self.finished)
        layout.addStretch(1)
        layout.addWidget(self.heading)
        layout.addWidget(self.next_steps)
        layout.addStretch(1)
        # At the footer's right end, where Next and Continue were on every page before.
        self.footer.addStretch(1)
        self.footer.addWidget(self.finish_button)
        self.saving_timer = QTimer(self)
        self.saving_timer.setSingleShot(True)
        self.saving_timer.setInterval(self.SAVING_PATIENCE_MILLISECONDS)
        self._end: VisitEnd | None = None
        self.saving_timer.timeout.connect(self._saving_too_long)

    def show_end(self, end: VisitEnd) -> None:
        """ "Saving…" while the visit is on its way; then where it went."""
        self._end = end
        if end.outcome is Outcome.SAVING:
            self.show_saving()
            self.saving_timer.start()
            return
        self.saving_timer.stop()
        self.show_outcome(
            stopped_to_talk=end.stopped_to_talk,
            flagged=end.flagged,
            kept_on_kiosk=end.kept_on_kiosk,
        )
        self.outcome_shown.emit()

    def _saving_too_long(self) -> None:
        end = self._end
        if end is None:
            return
        # Still trying in the background; the patient is not kept waiting for it.
        self.show_outcome(
            stopped_to_talk=end.stopped_to_talk, flagged=end.flagged, kept_on_kiosk=True
        )
        self.outcome_shown.emit()

    def show_saving(self) -> None:
        """The visit is on its way to the database: thanks at once, and Finish waits.

        Finish waits so that a patient whose visit the database cannot take is still here
        to be told to let the front desk know (a locked database answers within seconds).
        """
        self.heading.setText(self.tr("Thank you. Saving your answers…"))
        self.next_steps.setText(self.tr("This takes a moment. Please stay with the screen."))
        self.finish_button.setEnabled(False)

    def show_outcome(
        self, *, stopped_to_talk: bool, flagged: bool, kept_on_kiosk: bool = False
    ) -> None:
        """Say what happens next for this visit.

        `kept_on_kiosk`: the database could not take the visit yet; it is safe on this
        kiosk, but the front desk cannot see it, so the patient must not be told it is.
        """
        self.finish_button.setEnabled(True)
        if kept_on_kiosk:
            self.heading.setText(self.tr("Thank you. Please tell the front desk you are done."))
            self.next_steps.setText(
                self.tr(
                    "Your answers are kept safely on this screen, but the front desk cannot "
                    "see them yet. Please let them know you have finished."
                )
            )
        elif stopped_to_talk:
            self.heading.setText(self.tr("Thank you. A team member will come to talk with you."))
            self.next_steps.setText(
                self.tr(
                    "You do not need to sign anything now. Please take a seat; we will be with "
                    "you soon."
                )
            )
        elif flagged:
            self.heading.setText(self.tr("Thank you. You are checked in."))
            self.next_steps.setText(
                self.tr(
                    "A member of our team will talk with you before your treatment. Please take "
                    "a seat; we will call your name."
                )
            )
        else:
            self.heading.setText(self.tr("Thank you. You are checked in."))
            self.next_steps.setText(
                self.tr(
                    "Please take a seat. We will call your name when it is time for your treatment."
                )
            )
