"""A measure's trend drawn with QPainter for the desk: the last totals by date, each
severity band a shaded stripe named at its right (`kiosk.trend_chart` lays it out)."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPen

from kiosk.trend_chart import TrendChart

INK = QColor("#102040")
QUIET = QColor("#4a4f55")
RULE = QColor("#9aa3ad")


def trend_picture(chart: TrendChart, width: int, height: int, scale: float = 1.0) -> QImage:
    """The chart as a picture `width` × `height` (logical pixels) at `scale` device pixels
    each, on white, for the visit's details."""
    image = QImage(
        round(width * scale), round(height * scale), QImage.Format.Format_ARGB32_Premultiplied
    )
    image.setDevicePixelRatio(scale)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint_trend(painter, chart, QRectF(0, 0, width, height))
    finally:
        painter.end()
    return image


def paint_trend(painter: QPainter, chart: TrendChart, area: QRectF) -> None:
    """Draw `chart` inside `area`: title, stripes and band names, axis, line, dots."""
    font = QFont(painter.font())
    font.setPixelSize(11)
    bold = QFont(font)
    bold.setBold(True)
    left, right, top, bottom = 30.0, 118.0, 24.0, 22.0
    widest = max((QFontMetrics(font).horizontalAdvance(p.label) for p in chart.points), default=0)
    slot = (area.width() - left - right) / max(len(chart.points), 1)
    # Dates too close to sit side by side take two rows, every other one lower.
    staggered = widest + 6 > slot
    if staggered:
        bottom += 14
    plot = QRectF(
        area.left() + left,
        area.top() + top,
        area.width() - left - right,
        area.height() - top - bottom,
    )

    def at(x: float, y: float) -> QPointF:
        return QPointF(plot.left() + x * plot.width(), plot.bottom() - y * plot.height())

    painter.setFont(bold)
    painter.setPen(INK)
    painter.drawText(QPointF(area.left(), area.top() + 15), chart.title)
    painter.setFont(font)
    for band in chart.bands:
        stripe = QRectF(at(0, band.top), at(1, band.bottom))
        painter.fillRect(stripe, QColor(band.fill))
        painter.setPen(QUIET)
        label = QRectF(plot.right() + 6, stripe.top(), right - 6, stripe.height())
        painter.drawText(
            label, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, band.name
        )
    painter.setPen(QPen(RULE, 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(plot)
    painter.setPen(QUIET)
    for total, y in ((0, 0.0), (chart.highest_total, 1.0)):
        tick = at(0, y)
        painter.drawText(
            QRectF(area.left(), tick.y() - 8, left - 6, 16),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            str(total),
        )
    points = [at(point.x, point.y) for point in chart.points]
    painter.setPen(QPen(INK, 2))
    for start, end in pairwise(points):
        painter.drawLine(start, end)
    for index, (point, spot) in enumerate(zip(chart.points, points, strict=True)):
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(INK)
        painter.drawEllipse(spot, 3.5, 3.5)
        painter.setFont(bold)
        painter.setPen(INK)
        above = point.y < 0.8
        painter.drawText(
            QRectF(spot.x() - 20, spot.y() - 22 if above else spot.y() + 5, 40, 16),
            Qt.AlignmentFlag.AlignCenter,
            str(point.total),
        )
        painter.setFont(font)
        painter.setPen(QUIET)
        lower = 14 if staggered and index % 2 else 0
        painter.drawText(
            QRectF(spot.x() - 30, plot.bottom() + 3 + lower, 60, 16),
            Qt.AlignmentFlag.AlignCenter,
            point.label,
        )
