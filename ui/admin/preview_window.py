"""The preview: the kiosk's own screens, showing content that is not published yet.

A real `KioskWindow` runs over a throwaway database in a temporary folder, where the
previewed content is the only content. The admin steps through exactly what a patient
would see; a visit finished in the preview is "stored" in that throwaway database and
deleted with it, so nothing from a preview ever reaches the clinic's database.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QPainter, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QGraphicsProxyWidget,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.content import ContentPack
from kiosk.overriding import override
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.visit import KioskTiming, utc_now
from ui.kiosk_window import KioskWindow
from ui.patient_display import kiosk_style
from ui.plain_text import plain_label

# The kiosk's two screen shapes; the preview is scaled down to fit the admin's monitor.
PORTRAIT = (1080, 1920)
LANDSCAPE = (1920, 1080)


class _FittedView(QGraphicsView):
    """Shows the whole kiosk screen, scaled to whatever room the window gives it."""

    def __init__(self, scene: QGraphicsScene) -> None:
        super().__init__(scene)
        self.actual_size = False
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing
            | QPainter.RenderHint.TextAntialiasing
            | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def fit(self) -> None:
        """Scale so the whole kiosk screen shows (or show it at actual size, scrolling)."""
        scene = self.scene()
        if scene is None:
            return
        scene.setSceneRect(scene.itemsBoundingRect())
        policy = (
            Qt.ScrollBarPolicy.ScrollBarAsNeeded
            if self.actual_size
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        self.setHorizontalScrollBarPolicy(policy)
        self.setVerticalScrollBarPolicy(policy)
        if self.actual_size:
            self.resetTransform()
        else:
            self.fitInView(scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep the whole screen in view when the window is resized."""
        super().resizeEvent(event)
        self.fit()


class PreviewWindow(QWidget):
    """A kiosk over `pack`, in portrait or landscape, where nothing is stored.

    Signals:
        closed: the preview window was closed and its throwaway database deleted.
    """

    closed = Signal()
    # The kiosk's timing in the preview (tests make taps immediate).
    timing: KioskTiming | None = None

    def __init__(
        self, pack: ContentPack, settings: Settings, *, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("previewWindow")
        self.setWindowTitle(title)
        self.pack = pack
        self._folder = tempfile.TemporaryDirectory(prefix="kiosk-preview-")
        folder = Path(self._folder.name)
        self.folder = folder
        # Its own database, folder for held visits and no trial content folder: the
        # preview can neither read nor write anything of the clinic's.
        self.settings = dataclasses.replace(
            settings,
            database_url=f"sqlite:///{(folder / 'preview.sqlite3').as_posix()}",  # as opened below
            content_dir=None,
            held_visits_dir=folder / "held-visits",
            lockdown=False,
        )
        self.station = Station.preview(folder, pack, now=utc_now())

        layout = QVBoxLayout(self)
        heading = plain_label(title)
        heading.setObjectName("previewTitle")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        top = QHBoxLayout()
        self.portrait_button = QPushButton(self.tr("Portrait 1080 × 1920"))
        self.landscape_button = QPushButton(self.tr("Landscape 1920 × 1080"))
        shapes = QButtonGroup(self)
        for button in (self.portrait_button, self.landscape_button):
            button.setCheckable(True)
            shapes.addButton(button)
            top.addWidget(button)
        self.portrait_button.setChecked(True)
        self.portrait_button.clicked.connect(lambda: self.show_size(*PORTRAIT))
        self.landscape_button.clicked.connect(lambda: self.show_size(*LANDSCAPE))
        # Scaled to fit, a portrait kiosk on a laptop is small; at actual size it scrolls.
        self.actual_size_button = QPushButton(self.tr("Actual size"))
        self.actual_size_button.setCheckable(True)
        self.actual_size_button.toggled.connect(self._zoom_changed)
        top.addWidget(self.actual_size_button)
        top.addStretch(1)
        self.start_over_button = QPushButton(self.tr("Start over"))
        self.start_over_button.clicked.connect(self.start_over)
        top.addWidget(self.start_over_button)
        layout.addLayout(top)
        note = plain_label(
            self.tr(
                "This is the kiosk as patients will see it. Click through it like a patient; "
                "nothing typed or signed here is stored."
            )
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.scene = QGraphicsScene(self)
        self.view = _FittedView(self.scene)
        self.view.setObjectName("previewScreen")
        layout.addWidget(self.view, 1)
        self.screen_size = PORTRAIT
        # The monitor size to fit (None: the one the window is on); screenshots set it.
        self.room: QSize | None = None
        self.kiosk: KioskWindow = self._new_kiosk()
        self.proxy: QGraphicsProxyWidget | None = self.scene.addWidget(self.kiosk)

    def _new_kiosk(self) -> KioskWindow:
        kiosk = KioskWindow(self.station, self.settings, timing=self.timing)
        # The patient screens keep their own look inside the admin's window.
        kiosk.setStyleSheet(kiosk_style())
        kiosk.resize(*self.screen_size)
        return kiosk

    def show_size(self, width: int, height: int) -> None:
        """Show the kiosk at this screen size (scaled to fit the window)."""
        self.screen_size = (width, height)
        self.kiosk.resize(width, height)
        self.fit_window(self.room)
        self.view.fit()

    def fit_window(self, room: QSize | None = None) -> None:
        """Take the shape of the kiosk's screen, as large as the monitor (or `room`) allows."""
        room = room or self.screen().availableGeometry().size()
        width, height = self.screen_size
        # The title, buttons and note above the kiosk take about 120 pixels; the
        # buttons need about 640 across, whatever the kiosk's shape.
        scale = min((room.width() - 40) / width, (room.height() - 160) / height, 1.0)
        self.resize(max(int(width * scale) + 24, 640), int(height * scale) + 130)

    def _zoom_changed(self, actual: bool) -> None:
        self.view.actual_size = actual
        self.view.fit()

    def start_over(self) -> None:
        """Back to the Welcome screen with a new kiosk, as after a finished visit."""
        old = self.kiosk
        if self.proxy is not None:
            self.scene.removeItem(self.proxy)
            self.proxy.setWidget(None)  # type: ignore[arg-type]
            self.proxy.deleteLater()
        old.close()
        old.deleteLater()
        self.kiosk = self._new_kiosk()
        self.proxy = self.scene.addWidget(self.kiosk)
        self.view.fit()

    @override
    def showEvent(self, event: QShowEvent) -> None:
        """Fit the kiosk once the window has its size."""
        super().showEvent(event)
        self.view.fit()

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop the kiosk and delete the throwaway database with everything in it."""
        self.kiosk.close()
        self.station.close()
        self._folder.cleanup()
        super().closeEvent(event)
        self.closed.emit()
