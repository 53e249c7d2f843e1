"""The desk's table of check-ins: flags in words, review and print state apart."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from typing_extensions import override

from kiosk.desk import ListedCheckIn
from kiosk.visit import Ending, RideStatus

Index = QModelIndex | QPersistentModelIndex

# Attention rows stand out by colour *and* by the word in the first column, so nobody
# has to rely on telling colours apart. Dark text on a pale fill keeps AA contrast.
ATTENTION_FILL = QColor("#fde7e7")
ATTENTION_TEXT = QColor("#7a1010")
VOID_TEXT = QColor("#5f6368")


class CheckInModel(QAbstractTableModel):
    """Rows of `ListedCheckIn`; columns are what the front desk reads at a glance."""

    def __init__(self, zone: ZoneInfo) -> None:
        super().__init__()
        self.zone = zone
        self.check_ins: list[ListedCheckIn] = []
        self.headers = [
            self.tr("Attention"),
            self.tr("Time"),
            self.tr("Patient"),
            self.tr("Date of birth"),
            self.tr("Visit"),
            self.tr("Flags"),
            self.tr("Review"),
            self.tr("Print"),
        ]

    def show_check_ins(self, check_ins: list[ListedCheckIn]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self.check_ins = list(check_ins)
        self.endResetModel()

    def check_in_at(self, row: int) -> ListedCheckIn | None:
        """The check-in shown on `row`, if any."""
        return self.check_ins[row] if 0 <= row < len(self.check_ins) else None

    @override
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.check_ins)

    @override
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: PLR0911
        check_in = self.check_in_at(index.row()) if index.isValid() else None
        if check_in is None or not 0 <= index.column() < len(self.headers):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(check_in, index.column())
        if role == Qt.ItemDataRole.BackgroundRole and check_in.needs_attention:
            return QBrush(ATTENTION_FILL)
        if role == Qt.ItemDataRole.ForegroundRole:
            if check_in.voided:
                return QBrush(VOID_TEXT)
            if check_in.needs_attention:
                return QBrush(ATTENTION_TEXT)
        if role == Qt.ItemDataRole.UserRole:
            return check_in.id
        return None

    def _text(self, check_in: ListedCheckIn, column: int) -> str:
        return self._texts(check_in)[column]

    def _texts(self, check_in: ListedCheckIn) -> list[str]:
        """The row's words, column by column."""
        if check_in.voided:
            attention = self.tr("Void")
        elif check_in.needs_attention:
            attention = self.tr("⚠ Needs attention")
        else:
            attention = self.tr("OK")
        demo = self.tr(" (demo)") if check_in.is_demo else ""
        visit = (
            self.tr("Talk first, unsigned")
            if check_in.ending is Ending.STOPPED_TO_TALK
            else self.tr("Checked in")
        )
        if check_in.flag_count == 0:
            review = "—"
        else:
            review = self.tr("Reviewed") if check_in.reviewed else self.tr("Needs review")
        printed = {
            "not_printed": self.tr("Not printed"),
            "sent": self.tr("Sent to printer"),
            "completed": self.tr("Printed"),
            "failed": self.tr("Print failed"),
        }.get(check_in.print_state, check_in.print_state)
        return [
            attention,
            self._when(check_in),
            f"{check_in.last_name}, {check_in.first_name}{demo}",
            check_in.date_of_birth.strftime("%m/%d/%Y"),
            visit,
            self._flags(check_in),
            review,
            printed,
        ]

    def _when(self, check_in: ListedCheckIn) -> str:
        """Today's time, or the date with its year: a search reaches back across years."""
        finished = check_in.finished_at.astimezone(self.zone)
        if finished.date() == datetime.now(self.zone).date():
            return finished.strftime("%m/%d %I:%M %p")
        return finished.strftime("%m/%d/%Y %I:%M %p")

    def _flags(self, check_in: ListedCheckIn) -> str:
        if check_in.flag_count == 0:
            return self.tr("No flags")
        words = []
        if check_in.open_flag_count:
            words.append(self.tr("{0} open").format(check_in.open_flag_count))
        if check_in.ride_status is RideStatus.NONE_YET:
            words.append(self.tr("no ride home"))
        cleared = check_in.flag_count - check_in.open_flag_count
        if cleared:
            words.append(self.tr("{0} cleared").format(cleared))
        return ", ".join(words)
