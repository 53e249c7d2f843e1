"""The desk with a print server that takes connections and never answers.

The fake server below speaks as CUPS does (IPP over HTTP) and is reached the way `lp`,
`lpstat` and the desk's own job-state requests reach a print server on another computer:
through `CUPS_SERVER=host:port`. It answers only what a test tells it to; every other
request waits with the connection open, as a hung print server does.
"""

from __future__ import annotations

import re
import select
import shutil
import socket
import struct
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from typing_extensions import override

from kiosk import desk, printing
from kiosk.actor import Actor, Role, StaffMember
from kiosk.database import Database
from kiosk.pack_loader import bundled_pack_dir, load_pack
from kiosk.printing import PrintJob
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import earlier_today, store_visit
from ui.desk.check_in_model import Column
from ui.desk.desk_window import DeskWindow
from ui.errands import ErrandKind, errand_pool

CLERK = StaffMember(1, "maria", frozenset({Role.STAFF}))
# Well inside the print system's timeout: a desk frozen on the print server only comes
# back when the question times out.
PROMPTLY = printing.TIMEOUT_SECONDS / 2
GET_JOB_ATTRIBUTES = 0x0009


@dataclass
class Question:
    """One request the server took, and while it stayed unanswered."""

    job: int | None  # the job asked about (None: another request, such as lpstat's)
    since: float
    until: float | None = None  # when the asker gave up and closed the connection


class StuckPrintServer:
    """A print server that takes every connection and answers nothing it is not told to.

    A question about a job in `printed` is answered "completed" at once; every other
    request waits, the connection open, until `answer_waiting()` or `stop()`.
    """

    def __init__(self, printed: frozenset[int] = frozenset()) -> None:
        self.printed = printed
        self.questions: list[Question] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.02)
        self.address = f"127.0.0.1:{self._listener.getsockname()[1]}"
        self._lock = threading.Lock()
        self._released = threading.Event()
        self._stopped = threading.Event()
        self._answer = False
        self._connections: list[socket.socket] = []
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    def waiting(self, *, about_a_job: bool = True) -> list[Question]:
        """The questions still open: asked, and neither answered nor given up on."""
        with self._lock:
            return [
                q
                for q in self.questions
                if q.until is None and (q.job is not None or not about_a_job)
            ]

    def answer_waiting(self) -> None:
        """Answer every question about a job that waits: it printed."""
        self._answer = True
        self._released.set()

    def stop(self) -> None:
        """Close every connection unanswered and take no more: the server is gone."""
        self._stopped.set()
        self._released.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self._listener.close()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            thread = threading.Thread(target=self._serve, args=(connection,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, connection: socket.socket) -> None:
        connection.settimeout(5)
        with connection:
            request = self._read_request(connection)
            if request is None:
                return
            job = self._job_asked_about(request)
            if job in self.printed:
                connection.sendall(_completed(request))
                return
            question = Question(job, time.monotonic())
            with self._lock:
                self.questions.append(question)
            while not self._released.wait(0.02):
                if self._peer_closed(connection):
                    question.until = time.monotonic()
                    return
            if self._answer and job is not None:
                connection.sendall(_completed(request))
            question.until = time.monotonic()

    @staticmethod
    def _read_request(connection: socket.socket) -> bytes | None:
        received = b""
        try:
            while b"\r\n\r\n" not in received:
                chunk = connection.recv(65536)
                if not chunk:
                    return None
                received += chunk
            head, _, body = received.partition(b"\r\n\r\n")
            length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
            while length is not None and len(body) < int(length.group(1)):
                chunk = connection.recv(65536)
                if not chunk:
                    return None
                body += chunk
        except OSError:
            return None
        return body

    @staticmethod
    def _job_asked_about(body: bytes) -> int | None:
        if len(body) < 8 or struct.unpack(">H", body[2:4])[0] != GET_JOB_ATTRIBUTES:
            return None
        number = re.search(rb"/jobs/(\d+)", body)
        return int(number.group(1)) if number else None

    @staticmethod
    def _peer_closed(connection: socket.socket) -> bool:
        readable, _, _ = select.select([connection], [], [], 0)
        if not readable:
            return False
        try:
            return connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True


def _completed(request: bytes) -> bytes:
    """An IPP answer: the job is completed."""

    def attribute(tag: int, name: str, value: bytes) -> bytes:
        return (
            bytes([tag])
            + struct.pack(">H", len(name))
            + name.encode()
            + struct.pack(">H", len(value))
            + value
        )

    request_id = struct.unpack(">I", request[4:8])[0]
    body = (
        struct.pack(">BBHI", 2, 0, 0, request_id)
        + bytes([0x01])
        + attribute(0x47, "attributes-charset", b"utf-8")
        + attribute(0x48, "attributes-natural-language", b"en")
        + bytes([0x02])
        + attribute(0x23, "job-state", struct.pack(">i", 9))
        + bytes([0x03])
    )
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/ipp\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


@pytest.fixture
def stuck_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[StuckPrintServer]:
    """Job 1 printed; every other question hangs. CUPS's commands and the desk use it."""
    server = StuckPrintServer(printed=frozenset({1}))
    monkeypatch.setenv("CUPS_SERVER", server.address)
    yield server
    server.stop()


class PaintedTexts(QObject):
    """The texts a label showed each time it was painted on the screen."""

    def __init__(self, label: QLabel) -> None:
        super().__init__(label)
        self.label = label
        self.texts: list[str] = []
        label.installEventFilter(self)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.texts.append(self.label.text())
        return False


def visits_sent_to_print(database: Database, jobs: list[int], zone: ZoneInfo) -> list[str]:
    """A visit for each job number, its summary sent to the printer and not yet printed."""
    pack = load_pack(bundled_pack_dir())
    visit_ids = []
    for number, last in zip(jobs, ["Adams", "Baker", "Clark"], strict=False):
        visit = walk_visit(pack, ManualClock(earlier_today(zone)), first="Sent", last=last)
        store_visit(database, visit)
        with database.session() as session, session.begin():
            desk.record_print(
                session,
                visit.id,
                printer="KioskPDF",
                job=PrintJob("KioskPDF", f"KioskPDF-{number}"),
                failure="",
                copy="staff",
                by=Actor.staff(CLERK, station="desk-1", now=datetime.now(UTC)),
            )
        visit_ids.append(visit.id)
    return visit_ids


def jobs_to_follow(database: Database) -> list[str]:
    with database.session() as session:
        return [
            p.job.job_id
            for p in desk.prints_to_follow(session, now=datetime.now(UTC))
            if p.job is not None
        ]


def open_desk(qtbot: QtBot, database: Database, settings: Settings) -> DeskWindow:
    window = DeskWindow(Station(database, "desk-1"), settings, CLERK)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    return window


def print_states(window: DeskWindow) -> dict[str, str]:
    model = window.model
    return {
        # Without the time: "Sent 9:40 AM" reads "Sent".
        str(model.data(model.index(row, Column.PATIENT))): str(
            model.data(model.index(row, Column.PRINT))
        ).split(" ")[0]
        for row in range(model.rowCount())
    }


def search(qtbot: QtBot, window: DeskWindow, text: str) -> None:
    qtbot.keyClicks(window.search_field, text)
    qtbot.mouseClick(window.search_button, Qt.MouseButton.LeftButton)


def test_the_desk_keeps_answering_while_the_print_server_hangs(
    qtbot: QtBot, database: Database, settings: Settings, stuck_server: StuckPrintServer
) -> None:
    visits_sent_to_print(database, [2, 3], settings.zone)
    window = open_desk(qtbot, database, settings)
    title = PaintedTexts(window.list_title)
    qtbot.waitUntil(lambda: bool(stuck_server.waiting()), timeout=10000)
    hung_since = stuck_server.waiting()[0].since

    search(qtbot, window, "Baker")
    qtbot.waitUntil(lambda: "Search results (1)" in title.texts, timeout=1000)
    assert stuck_server.waiting(), "the print server was meant to be still hanging"
    assert time.monotonic() - hung_since < PROMPTLY, "the desk froze until the question gave up"
    # Staff are told, and see what the printer last said.
    qtbot.waitUntil(
        lambda: window.print_system_state.text() == "Checking the printer…", timeout=5000
    )
    assert window.print_system_state.isVisible()
    assert print_states(window) == {"Baker, Sent": "Sent"}
    assert len(stuck_server.waiting()) == 1, "only one look at the print system at a time"

    stuck_server.stop()
    qtbot.waitUntil(
        lambda: window.print_system_state.text().startswith("The printer is not answering"),
        timeout=int(3 * printing.TIMEOUT_SECONDS * 1000),
    )
    assert "not answering" in window.print_system_state.toolTip()


def test_a_kiosk_stores_a_visit_while_the_desks_print_check_hangs(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    stuck_server: StuckPrintServer,
    tmp_path: Path,
) -> None:
    # Job 1 has printed (a state to store); the print server hangs on job 2.
    visits_sent_to_print(database, [1, 2], settings.zone)
    kiosk = KioskInAnotherProcess(settings.database_url, tmp_path, settings.zone)
    # From a thread of its own: a desk frozen on the GUI thread would hold the test too.
    kiosk.store_a_visit_when(lambda: any(q.job == 2 for q in stuck_server.waiting()))
    window = open_desk(qtbot, database, settings)
    qtbot.waitUntil(lambda: kiosk.finished is not None, timeout=60000)

    assert kiosk.finished is not None
    assert kiosk.result is not None
    assert kiosk.result.returncode == 0, kiosk.result.stderr
    assert any(
        q.since < kiosk.finished < (q.until or float("inf"))
        for q in stuck_server.questions
        if q.job == 2
    ), "the visit was meant to be stored while the desk's question hung"
    # The desk shows the new patient, and the print that did come out, meanwhile.
    qtbot.waitUntil(lambda: "Patient, Kiosk" in print_states(window), timeout=5000)
    assert print_states(window)["Adams, Sent"] == "Printed"
    assert print_states(window)["Baker, Sent"] == "Sent"


def test_closing_the_desk_while_the_print_server_hangs(
    qtbot: QtBot, database: Database, settings: Settings, stuck_server: StuckPrintServer
) -> None:
    visits_sent_to_print(database, [2, 3], settings.zone)
    window = open_desk(qtbot, database, settings)
    qtbot.waitUntil(lambda: bool(stuck_server.waiting()), timeout=10000)
    hung_since = stuck_server.waiting()[0].since
    window.close()
    assert not window.isVisible()
    assert time.monotonic() - hung_since < PROMPTLY

    # The question in flight is answered after all: that is stored, and the closed desk
    # asks nothing more (not about job 3).
    stuck_server.answer_waiting()
    qtbot.waitUntil(lambda: jobs_to_follow(database) == ["KioskPDF-3"], timeout=5000)
    assert errand_pool(ErrandKind.PRINT_SYSTEM).waitForDone(
        3 * int(printing.TIMEOUT_SECONDS * 1000)
    )
    assert [q.job for q in stuck_server.questions if q.job is not None] == [2]


@pytest.mark.skipif(
    shutil.which("lpstat") is None,
    reason="CUPS's commands (cups-client) are not installed; .ci/run installs them",
)
def test_the_desk_opens_while_the_print_server_hangs_on_the_printer_list(
    qtbot: QtBot, database: Database, settings: Settings, stuck_server: StuckPrintServer
) -> None:
    window = open_desk(qtbot, database, settings)
    title = PaintedTexts(window.list_title)
    qtbot.waitUntil(lambda: bool(stuck_server.questions), timeout=10000)
    hung_since = stuck_server.questions[0].since

    search(qtbot, window, "anyone")
    qtbot.waitUntil(lambda: "Search results (0)" in title.texts, timeout=1000)
    assert time.monotonic() - hung_since < PROMPTLY, "the desk froze on the printer list"
    assert stuck_server.waiting(about_a_job=False), "lpstat was meant to be still waiting"
    assert window.printer_choice.placeholderText() == "Looking for printers…"
    assert not window.printer_choice.isEnabled()
    assert not window.print_button.isEnabled()

    stuck_server.stop()
    qtbot.waitUntil(
        lambda: window.printer_choice.placeholderText() == "No printer found",
        timeout=int(3 * printing.TIMEOUT_SECONDS * 1000),
    )
    assert window.printer_choice.currentText() == ""
    assert not window.print_button.isEnabled()


class KioskInAnotherProcess:
    """A kiosk in a process of its own, ready to store a finished visit when told.

    It stores through the kiosk's own code, waiting at most a second for SQLite's write
    lock, in a thread of its own: a desk frozen on the GUI thread cannot hold it back.
    """

    def __init__(self, database_url: str, folder: Path, zone: ZoneInfo) -> None:
        root = Path(__file__).resolve().parents[3]
        start = earlier_today(zone).isoformat()  # on the desk's today
        script = textwrap.dedent(f"""
            import sys
            sys.path.insert(0, {str(root)!r})
            from datetime import UTC, datetime
            from kiosk.pack_loader import bundled_pack_dir, load_pack
            from kiosk.database import open_database
            from kiosk.stored_visits import store_finished_visit
            from kiosk.visit_walk import ManualClock, walk_visit
            database = open_database({database_url!r}, busy_timeout_ms=1000)
            visit = walk_visit(load_pack(bundled_pack_dir()),
                               ManualClock(datetime.fromisoformat({start!r})),
                               first="Kiosk", last="Patient")
            print("ready", flush=True)
            sys.stdin.readline()  # the visit is finished when the test says so
            with database.session() as session, session.begin():
                store_finished_visit(session, visit, station="kiosk-1")
            database.close()
        """)
        self.process = subprocess.Popen(
            [sys.executable, "-c", script],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=folder,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "ready"
        self.result: subprocess.CompletedProcess[str] | None = None
        self.finished: float | None = None

    def store_a_visit_when(self, moment: Callable[[], bool]) -> None:
        """Store the visit as soon as `moment()` is true; `finished` says when it was done."""
        threading.Thread(target=self._store, args=(moment,), daemon=True).start()

    def _store(self, moment: Callable[[], bool]) -> None:
        deadline = time.monotonic() + 60
        while not moment() and time.monotonic() < deadline:
            time.sleep(0.01)  # a plain thread, not the GUI's: nothing else to wait on
        stdout, stderr = self.process.communicate("go\n", timeout=60)
        self.finished = time.monotonic()
        self.result = subprocess.CompletedProcess(
            self.process.args, self.process.returncode, stdout, stderr
        )
