"""The front desk: today's check-ins as they arrive, search, a visit's details, review.

The list updates by itself. On a database server the desk hears of every stored or
changed visit, print and alert from any computer at once (`ui.desk.server_line`), says
in its top bar when it has lost the server, keeps what it shows read-only until the
server is back, and then reloads by itself. On one computer (SQLite) the window asks
the database every few seconds whether any visit was stored or changed (by the kiosk,
in another process, or another desk) and reloads only then. Every opening, search and
change goes through `kiosk.desk`, which leaves the audit entry.
"""

from __future__ import annotations

import contextlib
import dataclasses
import html
import logging
import threading
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import (
    QDate,
    QItemSelection,
    QSettings,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QCloseEvent, QKeySequence, QResizeEvent, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kiosk import desk, printing
from kiosk.actor import Actor, StaffMember
from kiosk.alerts import AlertKind
from kiosk.audit import AuditEntry
from kiosk.audit_protections import WARNING_DAYS
from kiosk.front_desk import visit_actions
from kiosk.held_visits import HeldVisits
from kiosk.live_updates import Change, ServerState
from kiosk.overriding import override
from kiosk.patients import Patient, PatientError
from kiosk.settings import Settings
from kiosk.station import Station, StorageUnavailableError
from kiosk.trend_chart import trend_chart
from kiosk.visit import Clock, KioskTiming, RideStatus, utc_now
from kiosk.visit_record import VisitRecord
from ui.desk.alert_banner import AlertBanner
from ui.desk.check_in_model import CheckInModel, Column
from ui.desk.correction_dialog import CorrectionDialog, TypedCorrection
from ui.desk.desk_alerts import DeskAlerts, set_sound, sound_on
from ui.desk.expected_today import ExpectedTodayDialog
from ui.desk.server_line import ServerLine
from ui.desk.trend_picture import trend_picture
from ui.desk.visit_details import trend_address, visit_html
from ui.errands import ErrandAnswer, ErrandKind, run_errand
from ui.kiosk_window import KioskWindow
from ui.patient_display import kiosk_style
from ui.plain_text import plain_html, plain_label, plain_tooltip, tell

log = logging.getLogger(__name__)
REFRESH_MILLISECONDS = 2000
PRINT_CHECK_MILLISECONDS = 2000
PRINT_COLUMN_WIDTH = 210
# On a narrow list (a 1366-pixel laptop) the review and print columns give up room down
# to these, wrapping their words, so what needs attention keeps room to be read.
NARROWEST_PRINT_COLUMN = 140
NARROWEST_REVIEW_COLUMN = 110


class _CheckInTable(QTableView):
    """The list of check-ins; says when its width changes (its columns are fitted)."""

    resized = Signal()

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()


def _day(field: QDateEdit) -> date:
    chosen = field.date()
    return date(chosen.year(), chosen.month(), chosen.day())


def _alert_line(name: str) -> QLabel:
    """A hidden line of plain text for a warning staff must not miss."""
    line = plain_label(object_name=name, wrap=True)
    # The desk has no style sheet of its own; these lines must not be missed.
    line.setStyleSheet(
        "QLabel { background: #fff4d6; color: #3b2f0b; border: 2px solid #8a6d1d;"
        " padding: 8px; font-weight: 600; }"
    )
    line.hide()
    return line


class DeskWindow(QMainWindow):
    """The front desk for one signed-in staff member.

    Signals:
        announced(str): a new visit that needs attention arrived (the text shown).
        closed: the window was closed (by staff, or by the idle sign-out).
    """

    announced = Signal(str)
    closed = Signal()
    # The kiosk's timing for check-ins at the desk (tests make taps immediate).
    check_in_timing: KioskTiming | None = None

    def __init__(
        self,
        station: Station,
        settings: Settings,
        member: StaffMember,
        *,
        clock: Clock = utc_now,
        alerts: DeskAlerts | None = None,
    ) -> None:
        """`alerts`: the desk process's watcher, shared with its sign-in dialog (a desk
        window on its own watches for itself)."""
        super().__init__()
        self.setObjectName("deskWindow")
        self.setWindowTitle(self.tr("Front desk — Waiting Room Kiosk"))
        # Every staff operation, in one transaction with its audit entry.
        self.front_desk = station.front_desk(settings)
        self.settings = settings
        self.member = member
        self.station = station
        self.clock = clock
        self.current: VisitRecord | None = None
        # What the details pane shows: the visit and its newest print.
        self._details_shown: tuple[str, desk.PrintRecord | None] | None = None
        self._shown_print: desk.PrintRecord | None = None
        self._glance: list[desk.ListedCheckIn] = []
        self.desk_check_in: KioskWindow | None = None
        self._seen_visits: set[str] | None = None
        self.query: desk.VisitQuery | None = None  # None: today's check-ins
        self._marker: tuple[object, ...] | None = None
        self._seen_attention: set[str] | None = None
        # None while the server is there (or there is none to lose): when it was lost.
        self._server_lost_at: datetime | None = None

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.addLayout(self._build_top_bar())
        outer.addWidget(self._build_alerts(alerts))

        self.banner = plain_label()
        self.banner.setObjectName("deskBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        outer.addWidget(self.banner)
        self.held_alert = _alert_line("deskAlert")
        outer.addWidget(self.held_alert)
        # Its own line, not the banner: news of check-ins must not write over it.
        self.audit_alert = _alert_line("deskAuditAlert")
        outer.addWidget(self.audit_alert)
        self.held_visits = HeldVisits(settings.held_visits_dir)

        splitter = QSplitter()
        splitter.addWidget(self._build_list())
        splitter.addWidget(self._build_details())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        # The list needs all its columns on a 1366-wide laptop; details wrap instead.
        splitter.setSizes([1300, 700])
        outer.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self._build_print_system_state()
        self._add_shortcuts()
        self._start_updates()
        self._load_printers()
        self._show_actions()
        self.refresh()
        self.show_held_visits()

    def _start_updates(self) -> None:
        """What keeps the list current: word from the server, or a look every few seconds."""
        self.server_line = ServerLine(self.station, self)
        self.server_line.changed.connect(self._heard_change)
        self.server_line.state_changed.connect(self._server_state)
        self._change_heard = False
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(REFRESH_MILLISECONDS)
        self.refresh_timer.timeout.connect(self._look_again)
        self.refresh_timer.start()
        self.print_timer = QTimer(self)
        self.print_timer.setInterval(PRINT_CHECK_MILLISECONDS)
        self.print_timer.timeout.connect(self.check_prints)
        self.print_timer.start()
        self.server_line.start()

    def _build_top_bar(self) -> QVBoxLayout:
        top = QVBoxLayout()
        # First in the top bar: staff must not take an old list for today's.
        self.server_alert = _alert_line("deskServerAlert")
        top.addWidget(self.server_alert)
        self.signed_in = plain_label(
            self.tr("Signed in as {0} ({1})").format(self.member.username, self.member.roles_shown)
        )
        self.search_field = QLineEdit()
        self.search_field.setObjectName("deskSearch")
        self.search_field.setPlaceholderText(
            self.tr("Search by any part of a name, or a date of birth (MM/DD/YYYY)")
        )
        self.search_field.returnPressed.connect(self.run_search)
        self.attention_only = QCheckBox(self.tr("Needs attention only"))
        self.attention_only.toggled.connect(self.refresh)
        self.between_dates = QCheckBox(self.tr("Between"))
        self.date_from = QDateEdit(QDate.currentDate().addDays(-30))
        self.date_to = QDateEdit(QDate.currentDate())
        for field, name in (
            (self.date_from, self.tr("From date")),
            (self.date_to, self.tr("To date")),
        ):
            field.setCalendarPopup(True)
            field.setDisplayFormat("MM/dd/yyyy")
            field.setAccessibleName(name)
        self.hide_void = QCheckBox(self.tr("Hide void"))
        self.search_button = QPushButton(self.tr("Search"))
        self.search_button.clicked.connect(self.run_search)
        self.today_button = QPushButton(self.tr("Today"))
        self.today_button.clicked.connect(self.show_today)
        self.printer_choice = QComboBox()
        self.printer_choice.setObjectName("printerChoice")
        self.printer_choice.setAccessibleName(self.tr("Printer for summaries"))
        self.printer_choice.currentTextChanged.connect(self._remember_printer)
        self.check_in_button = QPushButton(self.tr("Check in a patient…"))
        self.check_in_button.setToolTip(
            plain_tooltip(
                self.tr(
                    "For a patient who cannot or will not use the kiosk: the same questions "
                    "and consent, here, marked as checked in at the desk."
                )
            )
        )
        self.check_in_button.clicked.connect(self.check_in_at_desk)
        self.expected_button = QPushButton(self.tr("Expected today…"))
        self.expected_button.setToolTip(
            plain_tooltip(
                self.tr(
                    "Returning patients expected today: only they get the shorter return "
                    "visit at the kiosk."
                )
            )
        )
        self.expected_button.clicked.connect(self.show_expected_today)
        self.auto_print = QCheckBox(self.tr("Print each new visit"))
        self.auto_print.setChecked(QSettings().value("desk/auto_print", "false") == "true")
        self.auto_print.toggled.connect(
            lambda on: QSettings().setValue("desk/auto_print", "true" if on else "false")
        )
        self.sound = QCheckBox(self.tr("Sound for new flags"))
        self.sound.setChecked(True)
        # Alerts sound at this desk signed in or not; turned off here, remembered here.
        self.alert_sound = QCheckBox(self.tr("Sound for alerts"))
        self.alert_sound.setChecked(sound_on())
        self.alert_sound.toggled.connect(set_sound)
        # Two rows, so the whole bar fits a 1366-wide laptop: finding, then filtering and
        # printing.
        first = QHBoxLayout()
        widget: QWidget
        for widget in (
            self.signed_in,
            self.search_field,
            self.search_button,
            self.today_button,
            self.expected_button,
            self.check_in_button,
        ):
            first.addWidget(widget, 1 if widget is self.search_field else 0)
        second = QHBoxLayout()
        for widget in (
            self.attention_only,
            self.between_dates,
            self.date_from,
            self.date_to,
            self.hide_void,
        ):
            second.addWidget(widget)
        second.addStretch(1)
        for widget in (
            plain_label(self.tr("Printer:")),
            self.printer_choice,
            self.auto_print,
            self.sound,
            self.alert_sound,
        ):
            second.addWidget(widget)
        top.addLayout(first)
        top.addLayout(second)
        return top

    def _build_alerts(self, alerts: DeskAlerts | None) -> AlertBanner:
        self._own_alerts = alerts is None
        self.alerts = alerts or DeskAlerts(self.station, parent=self)
        self.alert_banner = AlertBanner(
            self.alerts, self.station, self.settings.zone, member=self.member
        )
        # Help requests are counted in today's glance too.
        self.alerts.changed.connect(self._alerts_changed)
        return self.alert_banner

    def _alerts_changed(self, _board: object) -> None:
        if self.current is None and self.query is None:
            self._show_day_at_a_glance(self._glance)

    def _fit_columns(self) -> None:
        """The review and print columns as wide as their words need, on a narrow list
        no wider than a sixth and a fifth of it (their words wrap), so what needs
        attention, which takes the room left, stays readable."""
        header = self.table.horizontalHeader()
        room = self.table.viewport().width()
        header.resizeSection(
            Column.PRINT, min(PRINT_COLUMN_WIDTH, max(NARROWEST_PRINT_COLUMN, room // 5))
        )
        review = max(
            header.sectionSizeFromContents(Column.REVIEW).width(),
            self.table.sizeHintForColumn(Column.REVIEW),
        )
        header.resizeSection(Column.REVIEW, min(review, max(NARROWEST_REVIEW_COLUMN, room // 6)))

    def _build_list(self) -> QWidget:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.list_title = plain_label()
        self.list_title.setObjectName("deskListTitle")
        self.model = CheckInModel(self.settings.zone)
        self.table = _CheckInTable()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # What needs attention takes the room left; long wording ends in "…" (the hover
        # and the details have it whole).
        header.setSectionResizeMode(Column.ATTENTION, QHeaderView.ResizeMode.Stretch)
        # A failed print's reason can be long: it wraps within its column. The review
        # column's words wrap too on a narrow list (`_fit_columns`).
        header.setSectionResizeMode(Column.PRINT, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(Column.REVIEW, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(Column.PRINT, PRINT_COLUMN_WIDTH)
        header.setMinimumSectionSize(60)
        self._columns_fit = QTimer(self)
        self._columns_fit.setSingleShot(True)
        self._columns_fit.setInterval(0)
        self._columns_fit.timeout.connect(self._fit_columns)
        self.table.resized.connect(self._columns_fit.start)
        for changed in (self.model.modelReset, self.model.dataChanged, self.model.rowsInserted):
            changed.connect(self._columns_fit.start)
        self.table.setWordWrap(True)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        rows.setMinimumSectionSize(28)  # room around one line: a row is easy to hit
        # A narrower column wraps onto more lines: the rows grow with it.
        # Once the resize is done: while it runs the rows still see the old widths.
        self._rows_fit = QTimer(self)
        self._rows_fit.setSingleShot(True)
        self._rows_fit.setInterval(0)
        self._rows_fit.timeout.connect(
            lambda: rows.resizeSections(QHeaderView.ResizeMode.ResizeToContents)
        )
        header.sectionResized.connect(self._rows_fit.start)
        # A header click sorts; a third click goes back to the desk's own order.
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        pages = QHBoxLayout()
        self.previous_page = QPushButton(self.tr("‹ Previous"))
        self.previous_page.clicked.connect(lambda: self._turn_page(-1))
        self.page_label = plain_label()
        self.next_page = QPushButton(self.tr("Next ›"))
        self.next_page.clicked.connect(lambda: self._turn_page(1))
        pages.addWidget(self.previous_page)
        pages.addWidget(self.page_label, 1)
        pages.addWidget(self.next_page)
        left_layout.addWidget(self.list_title)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(pages)
        return left

    def _build_details(self) -> QWidget:
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.details = QTextBrowser()
        self.details.setObjectName("visitDetails")
        self.details.setOpenLinks(False)
        actions = QGridLayout()
        self.print_button = QPushButton(self.tr("Print"))
        self.print_button.clicked.connect(lambda: self._print_clicked("staff"))
        self.patient_copy_button = QPushButton(self.tr("Print patient's copy"))
        self.patient_copy_button.clicked.connect(lambda: self._print_clicked("patient"))
        self.retry_button = QPushButton(self.tr("Retry printing"))
        self.retry_button.clicked.connect(self.retry_print)
        self.save_button = QPushButton(self.tr("Save as PDF…"))
        # Not connected straight to save_summary: `clicked` passes its checked state.
        self.save_button.clicked.connect(self._save_clicked)
        self.review_button = QPushButton(self.tr("Mark reviewed…"))
        self.review_button.clicked.connect(self.mark_reviewed)
        self.ride_button = QPushButton(self.tr("Ride arranged…"))
        self.ride_button.clicked.connect(self.record_ride)
        self.void_button = QPushButton(self.tr("Void…"))
        self.void_button.clicked.connect(self.void_check_in)
        self.undo_void_button = QPushButton(self.tr("Undo void…"))
        self.undo_void_button.clicked.connect(self.undo_void)
        # Whose visit it is: patients who come back (`kiosk.patients`).
        self.link_button = QPushButton(self.tr("Link to patient…"))
        self.link_button.clicked.connect(self.link_to_patient)
        self.unlink_button = QPushButton(self.tr("Unlink…"))
        self.unlink_button.clicked.connect(self.unlink_from_patient)
        self.merge_button = QPushButton(self.tr("Merge duplicate…"))
        self.merge_button.clicked.connect(self.merge_duplicate)
        self.correct_button = QPushButton(self.tr("Correct name or birth date…"))
        self.correct_button.clicked.connect(self.correct_details)
        # Printing on one row, what changes the record on the next, whose visit it is on
        # the last: fits a laptop screen.
        rows = (
            (self.print_button, self.patient_copy_button, self.retry_button, self.save_button),
            (self.review_button, self.ride_button, self.void_button, self.undo_void_button),
            (self.link_button, self.unlink_button, self.merge_button, self.correct_button),
        )
        for row, buttons in enumerate(rows):
            for column, button in enumerate(buttons):
                actions.addWidget(button, row, column)
        right_layout.addWidget(self.details, 1)
        right_layout.addLayout(actions)
        return right

    def _add_shortcuts(self) -> None:
        """Keys for what the desk does all morning, each named in its button's tooltip."""

        def key(sequence: str, then: Callable[[], None]) -> str:
            QShortcut(QKeySequence(sequence), self, then)
            return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)

        search = key("Ctrl+F", self._go_to_search)
        self.search_button.setToolTip(plain_tooltip(self.tr("Find a visit ({0})").format(search)))
        print_key = key("Ctrl+P", self._print_by_key)
        self.print_button.setToolTip(
            plain_tooltip(self.tr("Print the summary for the front desk ({0})").format(print_key))
        )
        following = key("Ctrl+Down", lambda: self._select_next(1))
        preceding = key("Ctrl+Up", lambda: self._select_next(-1))
        self.table.setToolTip(
            plain_tooltip(
                self.tr("Next visit: {0}; previous visit: {1}").format(following, preceding)
            )
        )

    def _go_to_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    def _print_by_key(self) -> None:
        # As if Print were clicked, asking first where it would ask.
        if self.print_button.isEnabled():
            self.print_button.click()

    def _select_next(self, step: int) -> None:
        rows = self.model.rowCount()
        if rows == 0:
            return
        shown = [self.model.check_in_at(row) for row in range(rows)]
        ids = [check_in.id if check_in else "" for check_in in shown]
        current = ids.index(self.current.id) if self.current and self.current.id in ids else -1
        row = 0 if current < 0 else min(max(current + step, 0), rows - 1)
        self.table.setCurrentIndex(self.model.index(row, 0))

    def _build_print_system_state(self) -> None:
        # What the print system last said, in the status bar: it never shifts the layout.
        self.print_system_state = plain_label()
        self.print_system_state.setObjectName("printSystemState")
        self.statusBar().addWidget(self.print_system_state, 1)
        # Answers still to come from the print system, kept alive until they arrive.
        self._awaited: set[ErrandAnswer] = set()
        self._following_prints = False  # one look at the print system at a time
        self._print_system_problem = ""
        self._closing = threading.Event()  # tells a worker still asking to stop

    # --- the list -----------------------------------------------------------------------
    def _action(self) -> Actor:
        return Actor.staff(self.member, station=self.station.name, now=self.clock())

    def show_today(self) -> None:
        """Back to today's check-ins."""
        self.query = None
        self.search_field.clear()
        self.refresh()

    def run_search(self) -> None:
        """Search all visits for what was typed (any part of a name, or a birth date).

        A search with nothing to search for (only spaces, punctuation, an accent) and no
        dates is no search: the desk shows today's check-ins, not every visit there is.
        """
        try:
            text = desk.search_text(self.search_field.text())
        except desk.DeskError as error:
            self._say(str(error))
            return
        between = self.between_dates.isChecked()
        if not text and not between:
            self.show_today()
            return
        self.query = desk.VisitQuery(
            text=text,
            needs_attention_only=self.attention_only.isChecked(),
            include_void=not self.hide_void.isChecked(),
            date_from=_day(self.date_from) if between else None,
            date_to=_day(self.date_to) if between else None,
        )
        self.refresh(audit=True)

    def _turn_page(self, step: int) -> None:
        if self.query is None:
            return
        self.query = dataclasses.replace(self.query, page=max(0, self.query.page + step))
        self.refresh(audit=True)

    def show_held_visits(self) -> None:
        """Warn staff about finished check-ins waiting on this computer for the database,
        and about held ones that could not be saved and were set aside."""
        held = self.held_visits.held()
        set_aside = self.held_visits.set_aside()
        lines = []
        if held:
            reasons = sorted({h.reason for h in held}, key=lambda reason: reason.value)
            text = self.tr(
                "Warning: {0} finished check-in(s) are waiting on this computer to be saved, "
                "because {1}. They are safe here and will be saved by themselves when the "
                "database is back; until then they are not in this list."
            ).format(len(held), "; ".join(reason.words for reason in reasons))
            elsewhere = sorted({str(h.folder) for h in held if h.folder != self.held_visits.folder})
            if elsewhere:
                text += " " + self.tr(
                    "The kiosk's held-visits folder cannot be written, so they are kept in "
                    "{0}; please call your IT contact."
                ).format(", ".join(elsewhere))
            if any(reason.pauses_check_in for reason in reasons):
                text += " " + self.tr(
                    "Check-in at the kiosk is paused: please check patients in here and "
                    "call your IT contact."
                )
            lines.append(text)
        if set_aside:
            problems = sorted({visit.problem for visit in set_aside})
            lines.append(
                self.tr(
                    "Warning: {0} finished check-in(s) could not be saved and were set aside, "
                    "because {1}. They are not in this list: ask the patient at the desk, and "
                    "call your IT contact (the files are kept, never deleted, in {2})."
                ).format(
                    len(set_aside),
                    "; ".join(problems),
                    ", ".join(sorted({str(visit.folder) for visit in set_aside})),
                )
            )
        if not lines:
            self.held_alert.hide()
            return
        self.held_alert.setText("\n".join(lines))
        self.held_alert.show()

    def _look_again(self) -> None:
        """The regular look: held visits on this computer, and, with no server to hear
        from, whether anything changed."""
        if self.server_line.listening:
            self.show_held_visits()
        else:
            self.refresh_if_changed()

    def _heard_change(self, change: Change) -> None:
        """A change from any computer: reload once, however many arrive together."""
        if change.table == "alerts":
            self.alerts.look()
            return
        if not self._change_heard:
            self._change_heard = True
            QTimer.singleShot(0, self, self._reload_after_change)

    def _reload_after_change(self) -> None:
        self._change_heard = False
        self.refresh_if_changed()

    def _server_state(self, state: ServerState) -> None:
        """The server lost: say so, keep the screen as it is, read-only. Back: reload."""
        if not state.reachable:
            if self._server_lost_at is None:
                self._server_lost_at = self.clock()
            when = self._server_lost_at.astimezone(self.settings.zone).strftime("%I:%M %p")
            self.server_alert.setText(
                self.tr(
                    "This desk has lost its connection to the clinic's database server. "
                    "What you see is as it was at {0} and cannot be changed until the "
                    "connection is back; the desk keeps trying by itself. If this lasts, "
                    "call your IT contact."
                ).format(when)
            )
            self.server_alert.show()
        elif self._server_lost_at is not None:
            self._server_lost_at = None
            self.server_alert.hide()
        else:
            return  # the first word from the server: nothing was lost
        away = self._server_lost_at is not None
        for widget in (
            self.search_field,
            self.search_button,
            self.today_button,
            self.check_in_button,
            self.attention_only,
            self.previous_page,
            self.next_page,
        ):
            widget.setEnabled(not away)
        # The chosen visit stays shown; choosing another would need the server.
        self.table.setSelectionMode(
            QTableView.SelectionMode.NoSelection
            if away
            else QTableView.SelectionMode.SingleSelection
        )
        self._show_actions()
        if not away:
            self.refresh()

    def refresh_if_changed(self) -> None:
        """Reload when a visit was stored or changed anywhere since the last look."""
        self.show_held_visits()
        if self._server_lost_at is not None:
            return  # read-only until the server is back, when the desk reloads
        try:
            marker = self.front_desk.marker()
        except StorageUnavailableError as error:
            log.warning("the desk could not check for new visits: %s", type(error).__name__)
            return
        if marker != self._marker:
            self.refresh()

    def refresh(self, *, audit: bool = False) -> None:
        """Reload the list (today's, or the current search) and keep the selection."""
        if self._server_lost_at is not None:
            return  # what is on screen stays as it was; reloaded when the server is back
        selected = self.current.id if self.current else None
        try:
            if self.query is None:
                listing = self.front_desk.todays_list(now=self.clock())
            else:
                listing = self.front_desk.search(self.query, self._action(), audit=audit)
        except StorageUnavailableError as error:
            log.warning("the desk could not load visits: %s", type(error).__name__)
            self._say(self.tr("The visit list cannot be loaded right now; it will try again."))
            return
        except desk.DeskError as error:
            self._say(str(error))
            return
        # Any new entry moves the marker, so one written by a program starting elsewhere
        # is seen at the next look.
        self._marker = listing.marker
        check_ins = list(listing.check_ins)
        page = listing.page
        if page is None:
            if self.attention_only.isChecked():
                check_ins = [c for c in check_ins if c.needs_attention]
            title = self.tr("Today's check-ins ({0})").format(len(check_ins))
            page_text, more, less = "", False, False
        else:
            title = self.tr("Search results ({0})").format(page.total)
            page_text = self.tr("Page {0} of {1}").format(page.page + 1, page.page_count)
            more, less = page.page + 1 < page.page_count, page.page > 0
        self._warn_of_restored_protections(list(listing.restorations))
        self._announce_new_attention(check_ins)
        self._print_new_visits(check_ins)
        self.model.show_check_ins(check_ins)
        self.list_title.setText(title)
        self.page_label.setText(page_text)
        self.next_page.setEnabled(more)
        self.previous_page.setEnabled(less)
        for row, check_in in enumerate(check_ins):
            if check_in.id == selected:
                self.table.selectRow(row)
        if self.current is None and page is None:
            self._show_day_at_a_glance(list(listing.check_ins))
        self._show_details()

    def _show_day_at_a_glance(self, check_ins: list[desk.ListedCheckIn]) -> None:
        """With no visit chosen, the details pane says what today still needs."""
        self._glance = check_ins
        self._details_shown = None
        kept = [c for c in check_ins if not c.voided]
        waiting = sum(1 for c in kept if c.needs_attention)
        review = sum(1 for c in kept if c.waits_for_clinician)
        no_ride = sum(1 for c in kept if c.ride_status is RideStatus.NONE_YET)
        unprinted = sum(1 for c in kept if c.print_state in ("not_printed", "failed"))
        failed = sum(1 for c in kept if c.print_state == "failed")
        board = self.alerts.board
        help_asked = sum(
            1 for alert in (board.alerts if board else ()) if alert.kind is AlertKind.HELP_REQUESTED
        )
        lines = [
            self.tr("{0} check-ins today").format(len(kept)),
            self.tr("{0} needing attention (open flags)").format(waiting),
            self.tr("{0} waiting for a clinician's review").format(review),
            self.tr("{0} with no ride home yet").format(no_ride),
            self.tr("{0} summaries not printed").format(unprinted)
            + (self.tr(" ({0} failed)").format(failed) if failed else ""),
            self.tr("{0} asking for help now").format(help_asked),
        ]
        items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
        self.details.setHtml(
            f"<h2>{html.escape(self.tr('Today at a glance'))}</h2><ul>{items}</ul>"
            f"<p>{html.escape(self.tr('Choose a visit in the list to see it here.'))}</p>"
        )

    def _warn_of_restored_protections(self, restorations: list[AuditEntry]) -> None:
        """Tell staff (for WARNING_DAYS days) that someone removed the audit's protections."""
        if not restorations:
            self.audit_alert.hide()
            return
        newest = restorations[-1]
        when = newest.at.astimezone(self.settings.zone).strftime("%b %d, %Y %I:%M %p")
        text = self.tr(
            "The audit trail's protections were found removed on {0} at {1} and put back. "
            "Tell the clinic's IT."
        ).format(newest.station, when)
        if len(restorations) > 1:
            text += " " + self.tr("This happened {0} times in the last {1} days.").format(
                len(restorations), WARNING_DAYS
            )
        self.audit_alert.setText(text)
        self.audit_alert.show()

    def _announce_new_attention(self, check_ins: list[desk.ListedCheckIn]) -> None:
        if self.query is not None:
            return
        attention = {c.id for c in check_ins if c.needs_attention}
        if self._seen_attention is not None:
            new = [c for c in check_ins if c.id in attention - self._seen_attention]
            if new:
                text = self.tr("New check-in needs attention: {0}").format(
                    ", ".join(f"{c.first_name} {c.last_name}" for c in new)
                )
                self._say(text)
                if self.sound.isChecked():
                    QApplication.beep()
                self.announced.emit(text)
        self._seen_attention = attention

    def _print_new_visits(self, check_ins: list[desk.ListedCheckIn]) -> None:
        if self.query is not None:
            return
        ids = {c.id for c in check_ins}
        if self._seen_visits is not None and self.auto_print.isChecked():
            for visit_id in ids - self._seen_visits:
                visit = self.front_desk.visit_to_print(visit_id)
                if visit is not None:
                    self.print_summary("staff", visit)
        self._seen_visits = ids if self._seen_visits is None else self._seen_visits | ids

    def _say(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    # --- one visit -----------------------------------------------------------------------
    def _on_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        check_in = self.model.check_in_at(indexes[0].row()) if indexes else None
        if check_in is not None and (self.current is None or self.current.id != check_in.id):
            self.open_visit(check_in.id)

    def open_visit(self, visit_id: str) -> None:
        """Show a stored visit exactly as stored (the opening is audited)."""
        try:
            self.current = self.front_desk.open_visit(visit_id, self._action())
        except (desk.DeskError, StorageUnavailableError) as error:
            self._say(str(error))
            if self.current is not None and self.current.id != visit_id:
                # Another row is chosen now: the last visit's details and buttons must
                # not stay beside it, or a print or a change would reach the wrong patient.
                self.current = None
                self._show_day_at_a_glance(self._glance)
                self._show_actions()
            return
        self._details_shown = None  # the record itself may have changed: show it again
        self._show_details()
        self._show_actions()

    def _show_details(self) -> None:
        """The open visit, with where its summary is and whose visit it is (asked again
        after each reload)."""
        visit = self.current
        if visit is None:
            return
        try:
            last = self.front_desk.latest_print(visit.id)
        except StorageUnavailableError:
            last = self._shown_print
        shown = (visit.id, last)
        if shown == self._details_shown:
            return  # unchanged: keep where staff scrolled to
        self._details_shown = shown
        self._shown_print = last
        try:
            patient = (
                self.front_desk.patient(visit.patient_id) if visit.patient_id is not None else None
            )
            suggested = 0 if patient else len(self.front_desk.suggested_patients(visit.id))
        except (PatientError, StorageUnavailableError):
            patient, suggested = None, 0
        # As wide as the details show without scrolling sideways, within reason.
        chart_width = max(360, min(640, self.details.viewport().width() - 40))
        for recorded in visit.measures:
            # The trend charts the details' HTML names, drawn for this screen.
            chart = trend_chart(
                recorded.measure, visit.trends.get(recorded.measure.id, ()), self.settings.zone
            )
            self.details.document().addResource(
                QTextDocument.ResourceType.ImageResource,
                QUrl(trend_address(recorded.measure.id)),
                trend_picture(chart, chart_width, 210, self.devicePixelRatioF()),
            )
        self.details.setHtml(
            visit_html(visit, self.settings.zone, last, patient=patient, suggested=suggested)
        )

    def _show_actions(self) -> None:
        # While the server is away nothing can be printed, saved or changed; who may do
        # what is kiosk.front_desk's to decide: the window only greys buttons.
        visit = self.current if self._server_lost_at is None else None
        allowed = visit_actions(visit, self.member)
        self.save_button.setEnabled(allowed.save_summary)
        can_print = allowed.print_summary and bool(self.printer_choice.currentText())
        self.print_button.setEnabled(can_print)
        self.patient_copy_button.setEnabled(can_print)
        self.retry_button.setEnabled(can_print and self._last_print_failed())
        self.review_button.setEnabled(allowed.mark_reviewed)
        self.review_button.setToolTip(
            plain_tooltip(self._tr_refusal(allowed.mark_reviewed_refusal))
        )
        self.link_button.setEnabled(allowed.link_patient)
        self.unlink_button.setEnabled(allowed.unlink_patient)
        self.merge_button.setEnabled(allowed.merge_patients)
        self.correct_button.setEnabled(allowed.correct_details)
        self.ride_button.setEnabled(allowed.arrange_ride)
        self.void_button.setEnabled(allowed.void)
        self.undo_void_button.setEnabled(allowed.undo_void)
        self.undo_void_button.setToolTip(plain_tooltip(self._tr_refusal(allowed.undo_void_refusal)))

    def _tr_refusal(self, refusal: str) -> str:
        """A refusal from kiosk.front_desk in the desk's language."""
        words = {
            desk.ONLY_A_CLINICIAN_REVIEWS: self.tr(
                "Only a clinician can mark clinical flags as reviewed."
            ),
            desk.ONLY_A_CLINICIAN_UNDOES_A_VOID: self.tr("Only a clinician can undo a void."),
        }
        return words.get(refusal, refusal)

    def _change(self, change: str, action: Actor, *args: str) -> None:
        if self.current is None:
            return
        visit_id = self.current.id
        try:
            getattr(self.front_desk, change)(visit_id, *args, action)
        except (desk.DeskError, StorageUnavailableError) as error:
            tell(self, self.windowTitle(), str(error))
            return
        self.current = None
        self.open_visit(visit_id)
        self.refresh()

    def mark_reviewed(self) -> None:
        """A clinician marks the clinical flags reviewed, with an optional note."""
        visit = self.current
        if visit is None:
            return
        flags = "\n".join(f"• {flag}" for flag in visit.open_flags) or self.tr("(none open)")
        note, ok = QInputDialog.getMultiLineText(
            self,
            self.tr("Mark reviewed"),
            # The patient's name as typed: a name that looks like HTML is not shown as HTML.
            plain_html(
                self.tr(
                    "Mark the flags reviewed for {0}. Open now:\n{1}\n\nThis clears the "
                    "clinical flags; a ride home is cleared by Ride arranged.\n\nNote for the "
                    "record (optional):"
                ).format(visit.patient_name, flags)
            ),
        )
        if ok:
            self._change("review_flags", self._action(), note)

    def record_ride(self) -> None:
        """Record a ride home arranged after check-in."""
        name, ok = QInputDialog.getText(
            self, self.tr("Ride arranged"), self.tr("Who is taking the patient home?")
        )
        if not ok:
            return
        phone, ok = QInputDialog.getText(
            self, self.tr("Ride arranged"), self.tr("Their phone number:")
        )
        if ok:
            self._change("arrange_ride", self._action(), name, phone)

    def void_check_in(self) -> None:
        """Void a check-in made by mistake, with the reason."""
        visit = self.current
        if visit is None:
            return
        when = visit.finished_at.astimezone(self.settings.zone).strftime("%m/%d/%Y %I:%M %p")
        # What a void takes off the list: the flags still open (they stay in the record).
        hides = (
            self.tr("These open flags will no longer ask for attention:\n{0}").format(
                "\n".join(f"• {flag}" for flag in visit.open_flags)
            )
            if visit.open_flags
            else self.tr("It has no open flags.")
        )
        reason, ok = QInputDialog.getMultiLineText(
            self,
            self.tr("Void this check-in"),
            plain_html(
                self.tr(
                    "Void the check-in of {0} from {1}? It stays stored, shown as void, and no "
                    "longer asks for attention; a clinician can undo it.\n\n{2}\n\nWhy is "
                    "it void?"
                ).format(visit.patient_name, when, hides)
            ),
        )
        if ok:
            self._change("void_visit", self._action(), reason)

    def undo_void(self) -> None:
        """A clinician takes back a void made by mistake."""
        visit = self.current
        if visit is None:
            return
        sure = QMessageBox.question(
            self,
            self.tr("Undo the void"),
            plain_html(
                self.tr("List the check-in of {0} again, with its flags?").format(
                    visit.patient_name
                )
            ),
        )
        if sure == QMessageBox.StandardButton.Yes:
            self._change("undo_void", self._action())

    # --- patients who come back -------------------------------------------------------------
    def show_expected_today(self) -> None:
        """Today's expected returning patients: add, import, remove."""
        visit = self.current
        dialog = ExpectedTodayDialog(
            self.front_desk,
            self._action,
            patient_id=visit.patient_id if visit is not None else None,
            patient_name=visit.patient_name if visit is not None else "",
            parent=self,
        )
        dialog.finished.connect(dialog.deleteLater)
        self.expected_dialog = dialog
        dialog.open()

    @classmethod
    def choose(cls, parent: QWidget, title: str, question: str, choices: list[str]) -> int | None:
        """Ask staff to pick one of `choices`; its place, or None when cancelled.

        A class method so that a test can answer it as staff would.
        """
        chosen, ok = QInputDialog.getItem(parent, title, question, choices, 0, False)
        return choices.index(chosen) if ok and chosen in choices else None

    @classmethod
    def ask_correction(cls, parent: QWidget, visit: VisitRecord) -> TypedCorrection | None:
        """The name and date of birth as staff corrected them, or None when cancelled."""
        dialog = CorrectionDialog(visit, parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.correction()
        finally:
            dialog.deleteLater()

    def _patient_line(self, patient: Patient) -> str:
        consent = (
            patient.last_consent_at.astimezone(self.settings.zone).strftime("%m/%d/%Y")
            if patient.last_consent_at
            else self.tr("none kept")
        )
        return self.tr(
            "{0}, born {1:%m/%d/%Y} (number {2}; {3} visit(s); last consent {4})"
        ).format(patient.name, patient.date_of_birth, patient.id, patient.visit_count, consent)

    def _patient_change(self, change: Callable[[], object], visit_id: str) -> bool:
        try:
            change()
        except (PatientError, desk.DeskError, StorageUnavailableError) as error:
            tell(self, self.windowTitle(), str(error))
            return False
        self.current = None
        self.open_visit(visit_id)
        self.refresh()
        return True

    def link_to_patient(self) -> None:
        """Link the visit to the patient staff confirm: an exact match is suggested first."""
        visit = self.current
        if visit is None:
            return
        try:
            suggested = self.front_desk.suggested_patients(visit.id)
        except (PatientError, StorageUnavailableError) as error:
            tell(self, self.windowTitle(), str(error))
            return
        choices = [
            self.tr("Same name and date of birth: {0}").format(self._patient_line(p))
            for p in suggested
        ]
        choices.append(
            self.tr("A new patient record for {0}, born {1:%m/%d/%Y}").format(
                visit.patient_name, visit.date_of_birth
            )
        )
        question = (
            self.tr("Whose visit is this? Check the name and date of birth with the patient.")
            if suggested
            else self.tr("No patient record has this name and date of birth. Make one?")
        )
        chosen = self.choose(self, self.tr("Link to patient"), question, choices)
        if chosen is None:
            return
        patient_id = suggested[chosen].id if chosen < len(suggested) else None
        front_desk, action, visit_id = self.front_desk, self._action(), visit.id
        if self._patient_change(
            lambda: front_desk.link_visit(visit_id, patient_id, action), visit_id
        ):
            self._say(self.tr("Linked the visit to the patient record."))

    def unlink_from_patient(self) -> None:
        """Take the visit off the patient it was linked to by mistake."""
        visit = self.current
        if visit is None or visit.patient_id is None:
            return
        sure = QMessageBox.question(
            self,
            self.tr("Unlink"),
            plain_html(
                self.tr(
                    "Take this visit of {0} off patient record number {1}? A record with no "
                    "visit left is removed."
                ).format(visit.patient_name, visit.patient_id)
            ),
        )
        if sure != QMessageBox.StandardButton.Yes:
            return
        front_desk, action, visit_id = self.front_desk, self._action(), visit.id
        if self._patient_change(lambda: front_desk.unlink_visit(visit_id, action), visit_id):
            self._say(self.tr("The visit is no longer linked to a patient record."))

    def merge_duplicate(self) -> None:
        """Merge another record of the same patient into this visit's patient."""
        visit = self.current
        if visit is None or visit.patient_id is None:
            return
        keep = visit.patient_id
        try:
            duplicates = self.front_desk.possible_duplicates(keep)
        except (PatientError, StorageUnavailableError) as error:
            tell(self, self.windowTitle(), str(error))
            return
        if not duplicates:
            tell(
                self,
                self.tr("Merge duplicate"),
                self.tr("No other patient record has this name or this date of birth."),
            )
            return
        chosen = self.choose(
            self,
            self.tr("Merge duplicate"),
            self.tr(
                "Which record is the same patient as number {0}? Its visits move to number "
                "{0} and it is removed."
            ).format(keep),
            [self._patient_line(p) for p in duplicates],
        )
        if chosen is None:
            return
        duplicate = duplicates[chosen].id
        front_desk, action = self.front_desk, self._action()
        if self._patient_change(
            lambda: front_desk.merge_patients(keep, duplicate, action), visit.id
        ):
            self._say(
                self.tr("Merged patient record number {0} into number {1}.").format(duplicate, keep)
            )

    def correct_details(self) -> None:
        """Correct a typo in the name or date of birth the patient typed (audited)."""
        visit = self.current
        if visit is None:
            return
        typed = self.ask_correction(self, visit)
        if typed is None:
            return
        front_desk, action, visit_id = self.front_desk, self._action(), visit.id
        changed: list[object] = []
        if self._patient_change(
            lambda: changed.extend(
                front_desk.correct_details(
                    visit_id,
                    action,
                    first_name=typed.first_name,
                    last_name=typed.last_name,
                    date_of_birth=typed.date_of_birth,
                )
            ),
            visit_id,
        ):
            self._say(
                self.tr("Corrected; what the patient typed is kept with the visit.")
                if changed
                else self.tr("Nothing was changed.")
            )

    @classmethod
    def where_to_save(cls, parent: QWidget, suggested: str) -> Path | None:
        """Ask staff where to save a summary (a classmethod, so a test can answer it)."""
        chosen, _ = QFileDialog.getSaveFileName(
            parent, parent.tr("Save the summary"), suggested, parent.tr("PDF files (*.pdf)")
        )
        return Path(chosen) if chosen else None

    def save_summary(self) -> None:
        """Save as PDF…: ask where, then write the summary there, off the screen (audited)."""
        if self.current is None:
            return
        target = self.where_to_save(self, f"visit-{self.current.id[:8]}.pdf")
        if target is None:
            return
        front_desk, visit_id, action = self.front_desk, self.current.id, self._action()
        self.save_button.setEnabled(False)
        self._say(self.tr("Saving the summary…"))
        run_errand(
            ErrandKind.FILES,
            lambda: front_desk.save_summary(visit_id, target, action),
            lambda result: self._summary_saved(target, result),
            self._awaited,
        )

    def _summary_saved(self, target: Path, result: object) -> None:
        self._show_actions()
        if isinstance(result, desk.DeskError | StorageUnavailableError):
            self._say(self.tr("The summary was not saved: {0}").format(result))
            tell(self, self.windowTitle(), str(result), icon=QMessageBox.Icon.Warning)
        elif isinstance(result, Exception):
            log.error("a summary could not be saved: %s", type(result).__name__)
            self._say(self.tr("The summary could not be saved right now; try again."))
        else:
            self._say(self.tr("Saved the summary to {0}").format(target))

    def _save_clicked(self, _checked: bool = False) -> None:
        self.save_summary()

    # --- check-in at the desk ----------------------------------------------------------------
    def check_in_at_desk(self) -> None:
        """The kiosk's own screens in a window at the desk, marked as staff-assisted."""
        if self.desk_check_in is not None:
            self.desk_check_in.raise_()
            return
        window = KioskWindow(
            self.station,
            self.settings,
            clock=self.clock,
            timing=self.check_in_timing,
            assisted_by=self.member,
        )
        window.setWindowTitle(self.tr("Check-in at the front desk"))
        # The patient screens keep their large type and big targets here too.
        window.setStyleSheet(kiosk_style())
        window.visit_ended.connect(self._desk_check_in_done)
        window.resize(1280, 800)
        window.show()
        self.desk_check_in = window

    def _desk_check_in_done(self) -> None:
        window, self.desk_check_in = self.desk_check_in, None
        if window is not None:
            window.close()
            window.deleteLater()
        self.refresh()

    # --- printing ------------------------------------------------------------------------
    # Every question for the print system runs on a worker (`kiosk.desk` and
    # `kiosk.printing` decide and store; these methods only start them and show answers),
    # so a print server that never answers neither freezes the desk nor, through an open
    # transaction, keeps a kiosk from storing a visit.
    def _ask_print_system(
        self, question: Callable[[], object], answered: Callable[[object], None]
    ) -> None:
        run_errand(ErrandKind.PRINT_SYSTEM, question, answered, self._awaited)

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        # Close at once, even with a question stuck on the print server: its worker is
        # told to ask nothing more and ends by its own timeout; no answer reaches a
        # closed desk. What it learnt is already stored by then.
        self._closing.set()
        if self._own_alerts:
            self.alerts.stop()
        self.refresh_timer.stop()
        self.print_timer.stop()
        self.server_line.stop()
        for answer in self._awaited:
            with contextlib.suppress(RuntimeError):
                answer.arrived.disconnect()
        self._awaited.clear()
        super().closeEvent(event)
        self.closed.emit()

    def _load_printers(self) -> None:
        self.printer_choice.setEnabled(False)
        self.printer_choice.setPlaceholderText(self.tr("Looking for printers…"))
        self._ask_print_system(printing.find_printers, self._show_printers)

    def _show_printers(self, result: object) -> None:
        if isinstance(result, printing.Printers):
            printers = result
        else:
            log.warning("the printers could not be listed: %s", type(result).__name__)
            printers = printing.Printers((), None)
        chosen = printers.choice(str(QSettings().value("desk/printer", "") or ""))
        self.printer_choice.blockSignals(True)
        self.printer_choice.clear()
        self.printer_choice.addItems(list(printers.names))
        if chosen is not None:
            self.printer_choice.setCurrentText(chosen)
        self.printer_choice.blockSignals(False)
        self.printer_choice.setEnabled(bool(printers.names))
        self.printer_choice.setPlaceholderText(self.tr("No printer found"))
        self.printer_choice.setToolTip(
            plain_tooltip(
                ""
                if printers.names
                else self.tr("No printer found: summaries can be saved as PDF.")
            )
        )
        self._show_actions()

    def _remember_printer(self, printer: str) -> None:
        # Chosen once per desk computer and remembered, not asked at every print.
        QSettings().setValue("desk/printer", printer)
        self._show_actions()

    def _last_print_failed(self) -> bool:
        if self.current is None:
            return False
        try:
            last = self.front_desk.latest_print(self.current.id)
        except StorageUnavailableError:
            return False  # nothing to print again from while the database is away
        return last is not None and last.state is printing.PrintState.FAILED

    @classmethod
    def print_another(cls, parent: QWidget, question: str) -> bool:
        """Ask before a second copy while the first is still on its way or failed.

        A class method so that a test can answer it as staff would.
        """
        answer = QMessageBox.question(
            parent,
            parent.tr("Print another copy?"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _print_clicked(self, copy: str) -> None:
        last = self.front_desk.latest_print(self.current.id) if self.current else None
        if last is not None and last.state in (
            printing.PrintState.SENT,
            printing.PrintState.FAILED,
        ):
            waiting = (
                self.tr("A summary for this visit is still waiting at {0}.")
                if last.state is printing.PrintState.SENT
                else self.tr("The last summary for this visit failed at {0}; use Retry printing.")
            ).format(last.printer)
            question = waiting + " " + self.tr("Print another copy anyway?")
            if not self.print_another(self, question):
                return
        self.print_summary(copy)

    def print_summary(self, copy: str = "staff", visit: VisitRecord | None = None) -> None:
        """Send a summary to the chosen printer without waiting for the print system.

        The outcome (sent or refused) is stored when the print system answers; the
        Print column then follows the job. A slow or absent printer never stops the desk.
        """
        visit = visit or self.current
        printer = self.printer_choice.currentText()
        if visit is None or not printer:
            return
        front_desk, action = self.front_desk, self._action()
        # Laying out the PDF takes a moment too: done with the sending, off the screen.
        self._ask_print_system(
            lambda: front_desk.print_summary(visit, printer=printer, copy=copy, by=action),
            self._printed,
        )

    def _printed(self, result: object) -> None:
        if isinstance(result, desk.PrintSent):
            self._say(result.failure or self.tr("Sent to {0}.").format(result.printer))
        else:
            log.error("a print could not be recorded: %s", type(result).__name__)
            self._say(
                self.tr(
                    "The desk could not record this print. Check the printer before printing again."
                )
            )
        self.refresh()
        self._show_actions()

    def retry_print(self) -> None:
        """Print again after a failure, cancelling the failed job so nothing prints twice."""
        if self.current is None:
            return
        visit = self.current
        last = self.front_desk.latest_print(visit.id)
        if last is None or last.state is not printing.PrintState.FAILED:
            return
        if last.job is None:
            self.print_summary(visit=visit)
            return
        self.retry_button.setEnabled(False)
        self._say(self.tr("Checking the printer…"))
        front_desk, clock, station = self.front_desk, self.clock, self.station.name
        self._ask_print_system(
            lambda: front_desk.settle_failed_print(last, now=clock, station=station),
            lambda result: self._retry_checked(visit, result),
        )

    def _retry_checked(self, visit: VisitRecord, result: object) -> None:
        if not isinstance(result, printing.JobStatus):
            self._say(
                str(result)
                if isinstance(result, printing.PrintError)
                else self.tr("The printer could not be checked. Try again.")
            )
            self._show_actions()
            return
        if result.state is printing.PrintState.COMPLETED:
            self._say(self.tr("It printed after all; it was not printed again."))
            self.refresh()
            self._show_actions()
            return
        self.print_summary(visit=visit)

    def check_prints(self) -> None:
        """Ask, on a worker, what became of prints still on their way; one look at a time."""
        if self._following_prints:
            # The print system is slow to answer: say so, and keep what it last said.
            if not self._print_system_problem:
                self._show_print_system(self.tr("Checking the printer…"), "")
            return
        self._following_prints = True
        front_desk, clock, closing = self.front_desk, self.clock, self._closing
        station = self.station.name
        self._ask_print_system(
            lambda: front_desk.follow_prints(now=clock, stop=closing.is_set, station=station),
            self._prints_followed,
        )

    def _prints_followed(self, result: object) -> None:
        self._following_prints = False
        if not isinstance(result, desk.PrintCheck):
            log.warning("the desk could not check its prints: %s", type(result).__name__)
            return
        self._print_system_problem = result.problem
        if result.problem:
            self._show_print_system(
                self.tr("The printer is not answering; the Print column shows what it last said."),
                result.problem,
            )
        else:
            self._show_print_system("", "")
        if result.changed:
            self.refresh_if_changed()
            # Retry printing comes back for a print that has just failed, with the reason.
            self._show_actions()
            self._say_if_print_failed()

    def _say_if_print_failed(self) -> None:
        last = self.front_desk.latest_print(self.current.id) if self.current else None
        if last is not None and last.state is printing.PrintState.FAILED:
            self._say(
                self.tr(
                    "Printing on {0} failed: {1}. Fix the printer, then Retry printing."
                ).format(last.printer, last.reason or self.tr("the printer gave no reason"))
            )

    def _show_print_system(self, text: str, reason: str) -> None:
        self.print_system_state.setText(text)
        self.print_system_state.setToolTip(reason)
