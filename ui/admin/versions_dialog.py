"""Earlier content versions: who published each and when, what it said, and restoring one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kiosk import publishing
from kiosk.actor import Actor, shown_name
from kiosk.content import ContentPack
from kiosk.content_changes import content_changes
from kiosk.content_editing import ContentEditing
from kiosk.overriding import override
from kiosk.publishing import PublishedVersion, PublishError
from kiosk.settings import Settings
from kiosk.station import StorageUnavailableError
from ui.admin.content_html import changes_html, content_html
from ui.admin.preview_window import PreviewWindow
from ui.admin.publish_dialog import PublishDialog
from ui.plain_text import plain_label


class VersionsDialog(QDialog):
    """Every publish, newest first; one can be read, previewed or published again.

    Signals:
        restored(object): an earlier version was published again (its `PublishedVersion`).
    """

    restored = Signal(object)

    def __init__(
        self,
        editing: ContentEditing,
        settings: Settings,
        stamp: Callable[[], Actor],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Content versions"))
        self.editing = editing
        self.settings = settings
        self.stamp = stamp
        self.listed: list[PublishedVersion] = []
        self.preview: PreviewWindow | None = None
        layout = QVBoxLayout(self)
        splitter = QSplitter()
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("No."),
                self.tr("Label"),
                self.tr("Published"),
                self.tr("Visits"),
                self.tr("In use"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.table.itemSelectionChanged.connect(self._show_chosen)
        splitter.addWidget(self.table)
        self.contents = QTextBrowser()
        self.contents.setAccessibleName(self.tr("What the chosen version says"))
        self.changes = QTextBrowser()
        self.changes.setAccessibleName(
            self.tr("What restoring the chosen version changes, word by word")
        )
        self.views = QTabWidget()
        self.views.addTab(self.contents, self.tr("What it says"))
        self.views.addTab(self.changes, self.tr("What restoring it changes"))
        splitter.addWidget(self.views)
        splitter.setSizes([560, 440])
        layout.addWidget(splitter, 1)
        self.message = plain_label()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.preview_button = QPushButton(self.tr("Preview on the kiosk…"))
        self.preview_button.clicked.connect(self.preview_chosen)
        self.restore_button = QPushButton(self.tr("Restore this version…"))
        self.restore_button.clicked.connect(self.restore_chosen)
        close_button = QPushButton(self.tr("Close"))
        close_button.clicked.connect(self.close)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(close_button)
        layout.addLayout(buttons)
        self.resize(1100, 640)
        self.refresh()

    def refresh(self) -> None:
        """List the versions again (newest first) and choose the newest."""
        self.listed = list(self.editing.versions())
        self.table.setRowCount(len(self.listed))
        zone = self.settings.zone
        for row, version in enumerate(self.listed):
            when = version.published_at.astimezone(zone).strftime("%b %d, %Y %I:%M %p")
            label = version.label
            if version.restored_from is not None:
                label += self.tr(" (restores no. {0})").format(version.restored_from)
            cells = [
                str(version.number),
                label,
                self.tr("{0} by {1}").format(when, shown_name(version.published_by)),
                str(version.visits),
                self.tr("In use") if version.in_use else "",
            ]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        if self.listed:
            self.table.selectRow(0)

    def chosen(self) -> PublishedVersion | None:
        """The version the admin has chosen in the list."""
        rows = self.table.selectionModel().selectedRows()
        return self.listed[rows[0].row()] if rows else None

    def _chosen_pack(self) -> ContentPack | None:
        version = self.chosen()
        if version is None:
            return None
        return self.editing.version_content(version.number)

    def _show_chosen(self) -> None:
        version = self.chosen()
        pack = self._chosen_pack()
        self.contents.setHtml(content_html(pack) if pack else "")
        if version is None or pack is None:
            self.changes.setHtml("")
        elif version.in_use:
            self.changes.setHtml(
                self.tr("<p>This is the version in use: restoring it changes nothing.</p>")
            )
        else:
            # From what patients read now to what they would read after the restore.
            in_use = self.editing.version_content(self.listed[0].number)
            self.changes.setHtml(
                changes_html(
                    content_changes(in_use, pack),
                    publishing.contraindication_changes(in_use, pack),
                )
            )
        self.restore_button.setEnabled(version is not None and not version.in_use)
        self.preview_button.setEnabled(version is not None)

    def preview_chosen(self) -> None:
        """The chosen version on the kiosk's own screens; nothing is stored."""
        version, pack = self.chosen(), self._chosen_pack()
        if version is None or pack is None:
            return
        if self.preview is not None:
            self.preview.close()
        self.preview = PreviewWindow(
            pack,
            self.settings,
            title=self.tr("Preview of version {0}: {1}").format(version.number, version.label),
            parent=self,
        )
        self.preview.fit_window()
        self.preview.show()

    def restore_chosen(self) -> None:
        """Publish the chosen version again, as a new version with its own label."""
        version, pack = self.chosen(), self._chosen_pack()
        if version is None or pack is None:
            return
        in_use = self.editing.version_content(self.listed[0].number)
        label = PublishDialog.ask(
            self,
            title=self.tr("Restore version {0}").format(version.number),
            explanation=self.tr(
                "Version {0} (“{1}”) becomes the content of every visit that starts from "
                "now on, as a new version. Visits already stored keep what they showed."
            ).format(version.number, version.label),
            warnings=publishing.contraindication_changes(in_use, pack),
            button_text=self.tr("Restore"),
        )
        if label is None:
            return
        try:
            restored = self.editing.restore(version.number, label=label, by=self.stamp())
        except (PublishError, StorageUnavailableError) as error:
            self.message.setText(str(error))
            return
        self.message.setText(
            self.tr("Version {0} is in use again, as version {1} (“{2}”).").format(
                version.number, restored.number, restored.label
            )
        )
        self.refresh()
        self.restored.emit(restored)

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        """Close the preview with the list."""
        if self.preview is not None:
            self.preview.close()
        super().closeEvent(event)
