"""The editor's questionnaires: turned on and scheduled, wording locked until unlocked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk import publishing
from kiosk.database import Database
from kiosk.settings import Settings
from tests.ui.admin.editor import click, open_editor, open_tab, problems_shown, retype
from ui.admin.measure_editor import MeasureEditor


def test_a_measure_is_turned_on_and_its_locked_wording_unlocked_with_a_warning(
    qtbot: QtBot, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_editor(qtbot, database, settings)
    open_tab(qtbot, window, "Questionnaires")
    editor = window.measure_editor
    assert editor.choice.currentText() == "PHQ-9"
    assert editor.every.text() == "Never (turned off)"
    item = editor.fields["phq9-1"]
    assert item.text() == "Little interest or pleasure in doing things"
    # Locked: typing changes nothing.
    qtbot.mouseClick(item, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(item, "xyz")
    assert item.text() == "Little interest or pleasure in doing things"
    # Every visit: one step up from "never".
    editor.every.setFocus()
    with qtbot.waitSignal(window.draft_saved, timeout=5000):
        qtbot.keyClick(editor.every, Qt.Key.Key_Up)
    with database.session() as session:
        draft = publishing.current_draft(session)
    assert draft is not None
    assert [(m.id, m.every_nth_visit) for m in draft.pack.measures] == [("phq9", 1), ("gad7", 0)]
    # Unlocking asks first; once unlocked the words can change, and Check warns.
    asked: list[str] = []

    def ask(_cls: object, _parent: object, measure: object) -> bool:
        asked.append(getattr(measure, "name", ""))
        return True

    monkeypatch.setattr(MeasureEditor, "ask_to_unlock", classmethod(ask))
    click(qtbot, editor.unlock_button)
    assert asked == ["PHQ-9"]
    assert editor.every.text() == "every 1 visit(s)"
    item = editor.fields["phq9-1"]
    retype(qtbot, item, "Little interest in doing things")
    with qtbot.waitSignal(window.draft_saved, timeout=5000):
        pass
    assert window.pack.measure("phq9").items[0].text == "Little interest in doing things"
    if pictures := os.environ.get("MEASURE_PICTURES"):
        for size in [(1920, 1080), (1366, 768)]:
            window.resize(*size)
            qtbot.wait(50)
            window.grab().save(str(Path(pictures) / f"editor-measures-{size[0]}x{size[1]}.png"))
    click(qtbot, window.check_button)
    assert any(
        shown.startswith("PHQ-9: its wording, scores or bands differ from the published PHQ-9")
        for shown in problems_shown(window)
    )
