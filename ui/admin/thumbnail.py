"""Small pictures for lists and editors, made from a picture's bytes."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap


def thumbnail(data: bytes | None, size: QSize) -> QPixmap:
    """The picture scaled to fit `size`; a plain grey card when there is none."""
    pixmap = QPixmap()
    if data is not None and pixmap.loadFromData(data):
        return pixmap.scaled(
            size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    card = QPixmap(size)
    card.fill(QColor("#e9e5dc"))
    painter = QPainter(card)
    painter.setPen(QColor("#8a8f94"))
    painter.drawRect(0, 0, size.width() - 1, size.height() - 1)
    # Three lines of "text", so a slide without a picture still looks like a slide.
    for number in range(3):
        y = size.height() * (number + 2) // 6
        painter.drawLine(size.width() // 6, y, size.width() * (5 - number % 2) // 6, y)
    painter.end()
    return card
