"""A content pack with a question whose ID is `phq9-9`, for the risk path's tests.

Until the scored questionnaire kind lands, PHQ-9 item 9 is an ordinary single-choice
question with the PHQ-9's four answers in order (each choice scores its place: "Not at
all" 0, "Several days" 1, ...): the rule follows the item's ID.
"""

from __future__ import annotations

from pathlib import Path

ITEM_9 = """
  - id: phq9-9
    kind: single_choice
    text: >-
      Over the last 2 weeks, how often have you been bothered by thoughts that you would
      be better off dead or of hurting yourself in some way?
    choices:
      - id: not-at-all
        text: Not at all
      - id: several-days
        text: Several days
      - id: more-than-half
        text: More than half the days
      - id: nearly-every-day
        text: Nearly every day
    flag_when: [several-days, more-than-half, nearly-every-day]
    flag_wording: answered above 0 to PHQ-9 item 9 (thoughts of self-harm)
"""

RESPONDER = "the nurse on duty (Dana, extension 214)"


def add_item_9(pack_folder: Path, *, responder: str = RESPONDER, headphones: bool = False) -> Path:
    """Append item 9 to the pack's questions and name who responds; returns the folder."""
    questions = pack_folder / "questions.yaml"
    questions.write_text(questions.read_text(encoding="utf-8") + ITEM_9, "utf-8")
    settings = pack_folder / "pack.yaml"
    extra = ""
    if responder:
        extra += f"  risk_responder: {responder}\n"
    if headphones:
        extra += "  kiosk_has_headphones: true\n"
    settings.write_text(settings.read_text(encoding="utf-8") + extra, "utf-8")
    return pack_folder
