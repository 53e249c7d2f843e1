"""The desk's table of check-ins: what needs attention in words, review and print apart."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from kiosk import desk
from kiosk.desk import ListedCheckIn
from kiosk.overriding import override
from kiosk.visit import Ending

Index = QModelIndex | QPersistentModelIndex

# Attention rows stand out by colour *and* by the ⚠ and the words in the first column, so
# nobody has to rely on telling colours apart. Dark text on a pale fill keeps AA contrast.
ATTENTION_FILL = QColor("#fde7e7")
ATTENTION_TEXT = QColor("#7a1010")
VOID_TEXT = QColor("#5f6368")
# A soft note (a teach-back answer still wrong) in the reading note's amber: no fill, no
# ⚠, not bold; softer than a flag by every one of those, not by colour alone.
NOTE_TEXT = QColor("#7a4b00")
# A failed print is seen across the room: white on dark red, in bold, with a ✗.
PRINT_FAILED_FILL = QColor("#a31515")
PRINT_FAILED_TEXT = QColor("#ffffff")


class Column(IntEnum):
    """The list's columns, left to right."""

    ATTENTION = 0
    TIME = 1
    PATIENT = 2
    BIRTH = 3
    REVIEW = 4
    PRINT = 5


def _is_column(number: int) -> bool:
    return 0 <= number < len(Column)


class CheckInModel(QAbstractTableModel):
    """Rows of `ListedCheckIn`; columns are what the front desk reads at a glance.

    Sorts itself when a header is clicked (and again after each reload); with no column
    chosen the rows keep the desk's own order (today: attention first, then newest).
    """

    def __init__(self, zone: ZoneInfo) -> None:
        super().__init__()
        self.zone = zone
        self.check_ins: list[ListedCheckIn] = []
        self._sorted_by: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)
        self.headers = {
            Column.ATTENTION: self.tr("Needs attention"),
            Column.TIME: self.tr("Time"),
            Column.PATIENT: self.tr("Patient"),
            Column.BIRTH: self.tr("Date of birth"),
            Column.REVIEW: self.tr("Review"),
            Column.PRINT: self.tr("Print"),
        }

    def show_check_ins(self, check_ins: list[ListedCheckIn]) -> None:
        """Replace the rows (in the order a header click chose, if any)."""
        self.beginResetModel()
        self.check_ins = self._in_order(list(check_ins), *self._sorted_by)
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
        if orientation != Qt.Orientation.Horizontal or not _is_column(section):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.headers[Column(section)]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("Click to sort by this column; click again to reverse it.")
        return None

    @override
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sorted_by = (column, order)
        before = [c.id for c in self.check_ins]
        self.check_ins = self._in_order(self.check_ins, column, order)
        # The chosen row stays chosen: the selection follows its visit to its new place.
        now_at = {c.id: row for row, c in enumerate(self.check_ins)}
        kept = self.persistentIndexList()
        self.changePersistentIndexList(
            kept, [self.index(now_at[before[i.row()]], i.column()) for i in kept]
        )
        self.layoutChanged.emit()

    def _in_order(
        self, check_ins: list[ListedCheckIn], column: int, order: Qt.SortOrder
    ) -> list[ListedCheckIn]:
        if not _is_column(column):
            return check_ins
        return sorted(
            check_ins,
            key=lambda c: self._sort_key(c, Column(column)),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )

    def _sort_key(self, check_in: ListedCheckIn, column: Column) -> tuple[Any, ...]:
        if column is Column.ATTENTION:
            # Attention first, the most flags first, void last.
            return (check_in.voided, not check_in.needs_attention, -check_in.open_flag_count)
        if column is Column.TIME:
            # The newest first is what staff want from a first click.
            return (-check_in.finished_at.timestamp(),)
        if column is Column.PATIENT:
            return (check_in.last_name.casefold(), check_in.first_name.casefold())
        if column is Column.BIRTH:
            return (check_in.date_of_birth,)
        if column is Column.PRINT:
            # Failed first: what must be dealt with.
            order = {"failed": 0, "not_printed": 1, "sent": 2, "completed": 3}
            return (order.get(check_in.print_state, 4),)
        return (self._texts(check_in)[column].casefold(),)

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: PLR0911
        check_in = self.check_in_at(index.row()) if index.isValid() else None
        if check_in is None or not _is_column(index.column()):
            return None
        column = Column(index.column())
        failed = column is Column.PRINT and check_in.print_state == "failed"
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._texts(check_in)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._hover(check_in, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            if failed:
                return QBrush(PRINT_FAILED_FILL)
            if check_in.needs_attention:
                return QBrush(ATTENTION_FILL)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._ink(check_in, column, failed=failed)
        if role == Qt.ItemDataRole.FontRole and (
            failed or (column is Column.ATTENTION and check_in.needs_attention)
        ):
            bold = QFont()
            bold.setBold(True)
            return bold
        if role == Qt.ItemDataRole.UserRole:
            return check_in.id
        return None

    def _ink(self, check_in: ListedCheckIn, column: Column, *, failed: bool) -> QBrush | None:
        """The row's text colour: a failed print, a void, a flag, or a soft note."""
        if failed:
            return QBrush(PRINT_FAILED_TEXT)
        if check_in.voided:
            return QBrush(VOID_TEXT)
        if check_in.needs_attention:
            return QBrush(ATTENTION_TEXT)
        if column is Column.ATTENTION and check_in.notes:
            return QBrush(NOTE_TEXT)
        return None

    def _hover(self, check_in: ListedCheckIn, column: Column) -> str | None:
        """The whole wording where the row has room only for a few words."""
        if column is Column.ATTENTION and not check_in.voided and check_in.notes:
            note = self.tr(
                "Note, not a flag: a teach-back answer was still wrong after its slide was "
                "shown again; please go over it with the patient."
            )
            return "\n".join([*check_in.attention_sentences, note])
        if column is Column.ATTENTION and check_in.attention_sentences and not check_in.voided:
            return "\n".join(check_in.attention_sentences)
        if column is Column.PRINT and check_in.print_state != "not_printed":
            return self._texts(check_in)[column]
        return None

    def _texts(self, check_in: ListedCheckIn) -> list[str]:
        """The row's words, column by column."""
        demo = self.tr(" (demo)") if check_in.is_demo else ""
        if check_in.flag_count == 0:
            review = "—"
        else:
            review = self.tr("Reviewed") if check_in.reviewed else self.tr("Needs review")
        if check_in.ending is Ending.STOPPED_TO_TALK:
            # Stopped to talk before consenting: unsigned even once reviewed.
            review = self.tr("{0}, consent unsigned").format(review)
        # A visit whose time or birth date could not be read (`desk.UNREADABLE_MOMENT`).
        unread_time = check_in.finished_at == desk.UNREADABLE_MOMENT
        unread_day = check_in.date_of_birth == desk.UNREADABLE_DAY
        return [
            self._attention(check_in),
            "—" if unread_time else self._when(check_in.finished_at),
            f"{check_in.last_name}, {check_in.first_name}{demo}",
            "—" if unread_day else check_in.date_of_birth.strftime("%m/%d/%Y"),
            review,
            self._print(check_in),
        ]

    def _attention(self, check_in: ListedCheckIn) -> str:
        """What needs attention, in a few words ("⚠ heart condition; no ride home")."""
        if check_in.voided:
            return self.tr("Void")
        note = self.tr(" · note: teach-back to go over") if check_in.notes else ""
        if check_in.needs_attention:
            words = "; ".join(check_in.attention) or self.tr("Needs attention")
            return f"⚠ {words}{note}"
        cleared = check_in.flag_count - check_in.open_flag_count
        if cleared:
            return self.tr("OK ({0} cleared)").format(cleared) + note
        return self.tr("OK") + note

    def _print(self, check_in: ListedCheckIn) -> str:
        """Where the newest summary is, since when, and why it failed."""
        state = check_in.print_state
        if state == "not_printed" or check_in.printed_at is None:
            return self.tr("Not printed")
        when = self._when(check_in.printed_at)
        if state == "completed":
            return self.tr("Printed {0}").format(when)
        if state == "sent":
            return self.tr("Sent {0}").format(when)
        reason = check_in.print_reason or self.tr("the printer gave no reason")
        return self.tr("✗ Print failed {0}: {1}").format(when, reason)

    def _when(self, moment: datetime) -> str:
        """Today's time alone, or the date with its year: a search reaches back across
        years."""
        local = moment.astimezone(self.zone)
        if local.date() == datetime.now(self.zone).date():
            return local.strftime("%I:%M %p")
        return local.strftime("%m/%d/%Y %I:%M %p")
