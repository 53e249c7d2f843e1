"""A measure's trend as a chart lays it out, for paper (reportlab) and the desk (Qt) alike.

Positions are shares of the plot area (0 to 1, from the left and from the bottom), so each
drawing only scales them: the summary and the desk show the same chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from kiosk.content import Measure
from kiosk.visit_record import TrendPoint

# How many totals a chart shows: the last ten, by date.
TREND_LENGTH = 10
# Band fills from the lightest (the lowest band) to the darkest, as hex RGB: calm tints,
# and never the only cue (each band is named beside the chart).
BAND_FILLS = ("#e8f3ea", "#f4f1dc", "#f9e9d2", "#f7dccf", "#f2cfcf")


@dataclass(frozen=True)
class ChartBand:
    """A severity band as a shaded stripe: its bottom and top (shares), name and fill."""

    bottom: float
    top: float
    name: str
    fill: str


@dataclass(frozen=True)
class ChartPoint:
    """A total as a dot: where it goes (shares), its total and its date's label."""

    x: float
    y: float
    total: int
    label: str


@dataclass(frozen=True)
class TrendChart:
    """The chart of one measure: title, highest total, stripes, dots (oldest first)."""

    title: str
    highest_total: int
    bands: tuple[ChartBand, ...]
    points: tuple[ChartPoint, ...]

    def y_of(self, total: float) -> float:
        """Where a total sits, as a share of the height."""
        return total / self.highest_total if self.highest_total else 0.0


def trend_chart(measure: Measure, points: tuple[TrendPoint, ...], zone: ZoneInfo) -> TrendChart:
    """The last `TREND_LENGTH` totals of `measure` laid out, dates in the clinic's zone."""
    shown = points[-TREND_LENGTH:]
    highest = measure.highest_total
    # Each total sits in the middle of its slot: one point alone sits in the middle.
    slots = max(len(shown), 1)

    def height(total: float) -> float:
        return total / highest if highest else 0.0

    bands = tuple(
        ChartBand(
            height(band.lowest - 0.5 if band.lowest else 0),
            height(min(band.highest + 0.5, highest)),
            band.name,
            BAND_FILLS[min(n, len(BAND_FILLS) - 1)],
        )
        for n, band in enumerate(measure.bands)
    )
    return TrendChart(
        f"{measure.name} — last {len(shown)} total{'s' if len(shown) != 1 else ''}",
        highest,
        bands,
        tuple(
            ChartPoint((n + 0.5) / slots, height(point.total), point.total, _date(point, zone))
            for n, point in enumerate(shown)
        ),
    )


def _date(point: TrendPoint, zone: ZoneInfo) -> str:
    local: datetime = point.finished_at.astimezone(zone)
    return f"{local:%b} {local.day}"
