"""Outside scripts build each window from the settings alone, as `kiosk run|desk|admin` do."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from kiosk.actor import Role, StaffMember
from kiosk.database import Database
from kiosk.settings import Settings
from kiosk.visit import KioskTiming
from ui import windows
from ui.visit_walk import complete_visit


def test_a_kiosk_desk_and_editor_built_from_the_settings_share_the_clinics_records(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    # `database`: made by `kiosk db init` at the settings' address, as clinic IT does.
    # Taps as fast as the test makes them: no double-tap guard.
    quick = KioskTiming(double_tap_guard_seconds=0, done_seconds=60)
    kiosk = windows.kiosk_window(settings, station="lobby", timing=quick)
    qtbot.addWidget(kiosk)
    kiosk.resize(1080, 1920)
    kiosk.show()
    assert kiosk.welcome.clinic_name.text() == "Serenity Mental Health Centers"
    with qtbot.waitSignal(kiosk.visit_stored, timeout=10_000):
        complete_visit(kiosk, first="Ines", last="Moreau")

    desk = windows.desk_window(
        settings, StaffMember(1, "maria", frozenset({Role.STAFF})), station="desk-1"
    )
    qtbot.addWidget(desk)
    desk.resize(1920, 1080)
    desk.show()
    shown = [
        desk.model.index(row, column).data()
        for row in range(desk.model.rowCount())
        for column in range(desk.model.columnCount())
    ]
    assert any("Moreau" in str(text) for text in shown)

    editor = windows.editor_window(
        settings, StaffMember(2, "ines", frozenset({Role.ADMIN})), station="desk-1"
    )
    qtbot.addWidget(editor)
    assert editor.pack.clinic_name == "Serenity Mental Health Centers"
