"""Asking for a new version's label, after saying what publishing it changes."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.publishing import MAX_LABEL_LENGTH
from ui.plain_text import plain_label


class PublishDialog(QDialog):
    """The label for a publish (or a restore), with what it affects spelled out first."""

    def __init__(
        self,
        *,
        title: str,
        explanation: str,
        warnings: list[str],
        button_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = plain_label(explanation)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        for text in warnings:
            warning = plain_label(text)
            warning.setObjectName("editorWarning")
            warning.setWordWrap(True)
            layout.addWidget(warning)
        # Changes to contraindications change which patients a clinician sees: publishing
        # them takes a deliberate tick, not just a click through.
        self.understood = QCheckBox(self.tr("I have read what this changes"))
        self.needs_tick = bool(warnings)
        self.understood.setVisible(self.needs_tick)
        layout.addWidget(self.understood)
        layout.addWidget(plain_label(self.tr("A label, so staff can tell this version apart:")))
        self.label_field = QLineEdit()
        self.label_field.setMaxLength(MAX_LABEL_LENGTH)
        self.label_field.setPlaceholderText(self.tr("for example: new driving slide"))
        self.label_field.setAccessibleName(self.tr("Version label"))
        layout.addWidget(self.label_field)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.publish_button = self.buttons.addButton(
            button_text, QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.publish_button.setEnabled(False)
        self.label_field.textChanged.connect(self._enable)
        self.understood.toggled.connect(self._enable)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _enable(self) -> None:
        ready = bool(self.label_field.text().strip())
        if self.needs_tick:
            ready = ready and self.understood.isChecked()
        self.publish_button.setEnabled(ready)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        *,
        title: str,
        explanation: str,
        warnings: list[str],
        button_text: str,
    ) -> str | None:
        """Show the dialog and wait: the label typed, or None if cancelled.

        A class method so tests can replace it.
        """
        dialog = cls(
            title=title,
            explanation=explanation,
            warnings=warnings,
            button_text=button_text,
            parent=parent,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.label_field.text().strip() or None
