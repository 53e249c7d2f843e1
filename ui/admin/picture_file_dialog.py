"""Asking the admin for a picture file on disk."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget


class PictureFileDialog:
    """The system's "open file" dialog, limited to the picture kinds the kiosk takes."""

    @classmethod
    def ask(cls, parent: QWidget | None, title: str) -> Path | None:
        """The chosen file, or None if the admin cancelled.

        A class method so tests can replace the prompt with a path of their own.
        """
        kinds = QCoreApplication.translate(
            "PictureFileDialog", "Pictures (*.png *.jpg *.jpeg *.webp)"
        )
        chosen, _ = QFileDialog.getOpenFileName(parent, title, str(Path.home()), kinds)
        return Path(chosen) if chosen else None
