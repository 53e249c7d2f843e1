"""Printing a visit summary through a real print server: CUPS with the cups-pdf printer.

`.ci/run` installs CUPS, adds the PDF printer and exports `KIOSK_TEST_PRINTER` (its name)
and `KIOSK_TEST_PRINTER_OUTPUT` (the folder cups-pdf writes printed pages to). Nothing
here is mocked: every job goes through `lp` and the scheduler, and lands as a PDF file.
"""

from __future__ import annotations

import io
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from kiosk.content import ContentPack
from kiosk.database import Database
from kiosk.printing import (
    JobStatus,
    PrintError,
    PrintJob,
    PrintState,
    available_printers,
    cancel,
    default_printer,
    job_status,
    print_system_available,
    submit,
)
from kiosk.stored_visits import load_visit
from kiosk.summary import build_summary
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import one_at_a_time, store_visit
from tests.databases import made_database

# Read at import: the autouse `_isolated_settings` fixture removes every KIOSK_ variable
# before each test runs.
PRINTER = os.environ.get("KIOSK_TEST_PRINTER", "")
OUTPUT = os.environ.get("KIOSK_TEST_PRINTER_OUTPUT", "")

if not PRINTER or not print_system_available():
    pytest.skip(
        "no print server: .ci/run installs CUPS with a PDF printer", allow_module_level=True
    )


@pytest.fixture(autouse=True)
def _one_at_a_time() -> Iterator[None]:
    """With the suite in several test processes, one test at a time stops, starts or
    prints on the one test printer."""
    with one_at_a_time("printer"):
        yield


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    """About the print server, not storage: the visit printed is stored on SQLite only."""
    db = made_database(f"sqlite:///{tmp_path / 'kiosk.sqlite3'}")
    yield db
    db.close()


SETTLE_SECONDS = 20.0


def unfinished_jobs() -> set[str]:
    """The ids of the test printer's jobs that are still queued or printing."""
    listing = subprocess.run(
        ["lpstat", "-W", "not-completed", "-o", PRINTER],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    ).stdout
    return {line.split()[0] for line in listing.splitlines() if line.strip()}


@pytest.fixture
def printer() -> Iterator[str]:
    """The test printer, started and accepting again afterwards, this test's jobs gone."""
    already_queued = unfinished_jobs()
    try:
        yield PRINTER
    finally:
        for job_id in unfinished_jobs() - already_queued:
            subprocess.run(["cancel", job_id], capture_output=True, timeout=10, check=False)
        subprocess.run(["cupsenable", PRINTER], timeout=10, check=True)
        subprocess.run(["cupsaccept", PRINTER], timeout=10, check=True)


@pytest.fixture
def output() -> Path:
    """The folder the PDF printer writes printed pages to."""
    if not OUTPUT:
        pytest.skip("KIOSK_TEST_PRINTER_OUTPUT is not set: .ci/run sets it")
    return Path(OUTPUT)


@pytest.fixture
def summary(database: Database, pack: ContentPack, clock: ManualClock) -> tuple[bytes, str]:
    """A real visit summary PDF of a stored visit, and the title the desk prints it with."""
    visit = walk_visit(pack, clock)
    store_visit(database, visit)
    with database.session() as session:
        record = load_visit(session, visit.id)
    assert record is not None
    return build_summary(record, zone=ZoneInfo("America/Chicago")), visit_title(record.id)


def visit_title(visit_id: str) -> str:
    return f"Visit summary {visit_id[:8]}"


def printed(output: Path) -> set[Path]:
    return set(output.glob("*.pdf"))


def settle(job: PrintJob) -> JobStatus:
    """Poll the job until it is no longer on its way (or SETTLE_SECONDS pass)."""
    deadline = time.monotonic() + SETTLE_SECONDS
    status = job_status(job)
    while status.state is PrintState.SENT and time.monotonic() < deadline:
        time.sleep(0.1)
        status = job_status(job)
    return status


def stop(printer: str, reason: str) -> None:
    subprocess.run(["cupsdisable", "-r", reason, printer], timeout=10, check=True)


def start(printer: str) -> None:
    subprocess.run(["cupsenable", printer], timeout=10, check=True)


def test_a_visit_summary_prints_as_one_page(
    printer: str, output: Path, summary: tuple[bytes, str]
) -> None:
    pdf, title = summary
    before = printed(output)

    job = submit(pdf, printer, title=title)

    assert job.printer == printer
    assert job.job_id.startswith(f"{printer}-")
    assert settle(job) == JobStatus(PrintState.COMPLETED, "")
    (new_file,) = printed(output) - before
    (page,) = PdfReader(io.BytesIO(new_file.read_bytes())).pages
    # cups-pdf hands the page back as a picture or with a text layer: either way, not blank.
    assert page.images or page.extract_text().strip()
    # The title names the file and the queue entry: it carries no patient name.
    assert "Garc" not in new_file.name
    assert "Ana" not in new_file.name


def test_a_job_on_a_stopped_printer_fails_with_its_reason_and_a_retry_prints_once(
    printer: str, output: Path, summary: tuple[bytes, str]
) -> None:
    pdf, title = summary
    before = printed(output)
    stop(printer, "Out of paper in tray 2")

    stuck = submit(pdf, printer, title=title)
    status = settle(stuck)

    assert status.state is PrintState.FAILED
    assert f"The printer {printer} is stopped" in status.reason
    assert "Out of paper in tray 2" in status.reason
    assert printed(output) == before

    # Staff retry: the old job is cancelled first, so it can never print as well.
    cancel(stuck)
    assert job_status(stuck) == JobStatus(
        PrintState.FAILED, "The print job was cancelled, so it did not print."
    )
    start(printer)
    retry = submit(pdf, printer, title=title)

    assert retry.job_id != stuck.job_id
    assert settle(retry) == JobStatus(PrintState.COMPLETED, "")
    assert len(printed(output) - before) == 1
    assert job_status(stuck).state is PrintState.FAILED


def test_a_job_held_by_a_stopped_printer_prints_by_itself_once_it_is_started(
    printer: str, output: Path, summary: tuple[bytes, str]
) -> None:
    # Why the desk must look at the job again before printing a second copy: FAILED on a
    # stopped printer is not the end of the job.
    pdf, title = summary
    before = printed(output)
    stop(printer, "Lid open")
    job = submit(pdf, printer, title=title)
    assert settle(job).state is PrintState.FAILED

    start(printer)

    assert settle(job) == JobStatus(PrintState.COMPLETED, "")
    assert len(printed(output) - before) == 1
    cancel(job)  # too late to cancel: it printed, and cancel leaves it so
    assert job_status(job) == JobStatus(PrintState.COMPLETED, "")


def test_a_document_the_printer_cannot_read_fails_instead_of_waiting_forever(
    printer: str,
) -> None:
    # CUPS stops such a job with a filter error and `lpstat` lists it as "not completed"
    # for good; the job's IPP state says it stopped.
    job = submit(b"%PDF-1.7\nthis is not really a PDF\n", printer, title="Visit summary broken")
    status = settle(job)
    assert status.state is PrintState.FAILED
    assert f"The printer {printer} could not print this job" in status.reason


def test_printing_to_a_missing_printer_says_so_in_plain_words(
    summary: tuple[bytes, str],
) -> None:
    pdf, title = summary
    with pytest.raises(PrintError) as caught:
        submit(pdf, "NoSuchPrinter", title=title)
    assert str(caught.value) == (
        "The printer NoSuchPrinter is not set up on this computer. "
        "Choose another printer, or ask clinic IT to add it."
    )


def test_a_printer_that_rejects_jobs_says_so_in_plain_words(
    printer: str, summary: tuple[bytes, str]
) -> None:
    pdf, title = summary
    subprocess.run(["cupsreject", printer], timeout=10, check=True)
    with pytest.raises(PrintError) as caught:
        submit(pdf, printer, title=title)
    assert f"The printer {printer} is not accepting print jobs right now" in str(caught.value)


def test_a_job_the_print_system_does_not_know_has_failed(printer: str) -> None:
    status = job_status(PrintJob(printer, f"{printer}-987654321"))
    assert status.state is PrintState.FAILED
    assert f"no longer knows print job {printer}-987654321" in status.reason


def test_the_test_printer_is_offered_and_the_default_is_one_of_the_printers() -> None:
    printers = available_printers()
    assert PRINTER in printers
    assert default_printer() in printers
