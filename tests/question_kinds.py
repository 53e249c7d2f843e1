"""A content pack with a single-choice and a short-text question, for the tests."""

from __future__ import annotations

from pathlib import Path

MORE_QUESTIONS = """
  - id: arrival
    kind: single_choice
    text: How did you get to the clinic today?
    choices:
      - id: driven
        text: Someone drove me
      - id: drove-myself
        text: I drove myself
      - id: taxi-or-bus
        text: Taxi, ride share or bus
    flag_when: [drove-myself]
    flag_wording: drove to the clinic themselves — check how they get home

  - id: medicines-today
    kind: short_text
    text: Which medicines have you taken today? You can leave this empty.
"""


def add_question_kinds(pack_folder: Path) -> Path:
    """Append the two questions to the pack's questions file; returns the folder."""
    questions = pack_folder / "questions.yaml"
    questions.write_text(questions.read_text(encoding="utf-8") + MORE_QUESTIONS, "utf-8")
    return pack_folder
