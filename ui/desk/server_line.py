"""The desk's line to the clinic's database server, as Qt signals.

`kiosk.live_updates` listens on a thread and connection of its own and calls plain
callbacks there; this carries them to the GUI thread as signals (a signal emitted on
another thread reaches a slot of a window through the window's event loop).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from kiosk.station import Station


class ServerLine(QObject):
    """Word of changes from any computer, and of the server lost or back.

    `listening` is False where there is no server to listen to (SQLite): the desk asks
    every few seconds instead.

    Signals:
        changed(object): a `kiosk.live_updates.Change` was heard.
        state_changed(object): a `kiosk.live_updates.ServerState`: lost, or back.
    """

    changed = Signal(object)
    state_changed = Signal(object)

    def __init__(self, station: Station, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.live = station.live_updates(
            on_change=self.changed.emit, on_state=self.state_changed.emit
        )

    @property
    def listening(self) -> bool:
        """Whether changes arrive by themselves (a server), or must be asked for."""
        return self.live is not None

    def start(self) -> None:
        """Start listening (nothing where there is no server)."""
        if self.live is not None:
            self.live.start()

    def stop(self) -> None:
        """Stop listening; nothing more arrives."""
        if self.live is not None:
            self.live.stop()
