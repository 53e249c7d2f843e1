"""Where the patient is in the check-in, at a glance: Details · Learn · Questions · Consent ·
Ride home, the steps done ticked and the one on show marked."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from kiosk.visit import Step
from ui.plain_text import plain_label

# The visit's steps as the bar names them: the review belongs with the questions.
STAGES = (
    (Step.DETAILS,),
    # A returning patient's reminder stands for the slides; teach-back is part of them.
    (Step.REMINDER, Step.SLIDES, Step.TEACH_BACK, Step.TEACH_BACK_REVIEW),
    (Step.QUESTIONS, Step.REVIEW),
    (Step.CONSENT,),
    (Step.RIDE_HOME,),
)


def stage_names() -> list[str]:
    """The steps' names, in the interface's language."""
    translate = QCoreApplication.translate
    return [
        translate("StepBar", "Details"),
        translate("StepBar", "Learn"),
        translate("StepBar", "Questions"),
        translate("StepBar", "Consent"),
        translate("StepBar", "Ride home"),
    ]


def stage_of(step: Step) -> int:
    """Which of the bar's steps `step` is (past the last one at Done)."""
    for index, steps in enumerate(STAGES):
        if step in steps:
            return index
    return len(STAGES)


class StepBar(QWidget):
    """A row of the check-in's five steps; each says whether it is done, now or to come."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 6, 24, 6)
        layout.setSpacing(8)
        # On a short screen, one line in the top bar instead: "Step 5 of 5: Ride home".
        self.summary = plain_label("", "stepSummary")
        self.summary.hide()
        layout.addWidget(self.summary)
        self.compact = False
        self.stages: list[QLabel] = []
        for name in stage_names():
            # Never wrapped nor cut: each name keeps the width its words need.
            label = plain_label(name, "stepName")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
            layout.addWidget(label, 1)
            self.stages.append(label)
        self.show_stage(0)

    def show_stage(self, current: int) -> None:
        """Mark step `current` (from 0) as the one on show, those before it as done."""
        translate = QCoreApplication.translate
        names = stage_names()
        for index, (label, name) in enumerate(zip(self.stages, names, strict=True)):
            state = "done" if index < current else "now" if index == current else "later"
            shown = f"✓ {name}" if state == "done" else name
            if (label.text(), label.accessibleName(), label.property("stage")) == (
                shown,
                name,
                state,
            ):
                # As it was (the same step again, or a screen built ahead): restyling
                # costs the tap that shows it.
                continue
            label.setText(shown)
            # The tick is for the eye: a screen reader has the bar's "Step 3 of 5".
            label.setAccessibleName(name)
            label.setProperty("stage", state)
            # The style sheet colours each state; it must look again at the property.
            label.style().unpolish(label)
            label.style().polish(label)
        where = translate("StepBar", "Step {0} of {1}: {2}").format(
            min(current + 1, len(names)), len(names), names[min(current, len(names) - 1)]
        )
        self.setAccessibleName(where)
        self.summary.setText(where)

    def set_compact(self, compact: bool) -> None:
        """One line saying which step this is (a short screen), or all five steps."""
        self.compact = compact
        for label in self.stages:
            label.setVisible(not compact)
        self.summary.setVisible(compact)
        layout = self.layout()
        if layout is not None:
            layout.setContentsMargins(*((0, 0, 0, 0) if compact else (24, 6, 24, 6)))
