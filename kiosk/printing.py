"""Print a visit summary through the operating system's print system (CUPS).

Plain Python, no Qt, so the front desk, the CLI and the tests share it. Documents go in
with CUPS's own `lp` and come out with `cancel`, exactly as clinic IT would type them.
A job's progress is read from the scheduler over IPP (the protocol `lpstat` speaks),
because `lpstat` prints a cancelled, an aborted and a completed job alike, and it lists a
job stopped by a filter error as "not completed" forever. IPP says which it is.

Every call here can wait on the print system (a print server that accepts and never
answers holds it until `TIMEOUT_SECONDS`, per command or request), so callers ask from a
worker thread and never inside a database transaction. Every `PrintError` carries a
sentence front-desk staff can act on.

Windows is not supported yet: the module imports there, `print_system_available()` is
False and the other functions raise `PrintError`.
"""

from __future__ import annotations

import contextlib
import getpass
import http.client
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import TypeAlias
from urllib.parse import quote, unquote, urlsplit

TIMEOUT_SECONDS = 10.0

NO_PRINT_SYSTEM = (
    "No print system is installed on this computer, so nothing can be printed. "
    "Ask clinic IT to install one (CUPS) and add the printer."
)
NOT_RUNNING = (
    "The print system on this computer is not running or not answering. "
    "Ask clinic IT to start it, then print again."
)

# lp, lpstat and cancel translate their messages; the ones parsed here are read in English.
_C_LOCALE = {"LC_ALL": "C", "LANG": "C", "LANGUAGE": ""}


class PrintState(StrEnum):
    """Where a visit summary is on its way to paper."""

    NOT_PRINTED = "not_printed"
    SENT = "sent"
    COMPLETED = "completed"
    FAILED = "failed"


@dataclass(frozen=True)
class PrintJob:
    """A document handed to the print system: its printer and CUPS job id ("KioskPDF-12")."""

    printer: str
    job_id: str


@dataclass(frozen=True)
class JobStatus:
    """A print job's state, with the reason in plain words ("" when all is well)."""

    state: PrintState
    reason: str


class PrintError(Exception):
    """The print system refused or could not be reached; the message is for staff."""


def print_system_available() -> bool:
    """Whether CUPS's commands are installed and its scheduler is running (`lpstat -r`)."""
    if sys.platform == "win32" or not (shutil.which("lp") and shutil.which("lpstat")):
        return False
    try:
        result = _run(["lpstat", "-r"])
    except PrintError:
        return False
    # lpstat -r exits 0 either way; only its words tell.
    return result.stdout.strip() == "scheduler is running"


def available_printers() -> list[str]:
    """The printers (and classes) the print system offers, or [] when there is none."""
    if sys.platform == "win32" or not shutil.which("lpstat"):
        return []
    try:
        result = _run(["lpstat", "-e"])
    except PrintError:
        return []
    if result.returncode != 0:
        return []
    return [line.strip() for line in result.stdout.splitlines() if line.strip()]


def default_printer() -> str | None:
    """The print system's default printer, or None when none is set."""
    if sys.platform == "win32" or not shutil.which("lpstat"):
        return None
    try:
        result = _run(["lpstat", "-d"])
    except PrintError:
        return None
    prefix = "system default destination:"
    for line in result.stdout.splitlines():
        if line.startswith(prefix):
            return line.removeprefix(prefix).strip() or None
    return None


@dataclass(frozen=True)
class Printers:
    """The printers the print system offers, and its default (None when none is set)."""

    names: tuple[str, ...]
    default: str | None

    def choice(self, remembered: str) -> str | None:
        """The printer to offer first: the one this desk chose before, else the default."""
        for candidate in (remembered, self.default):
            if candidate and candidate in self.names:
                return candidate
        return self.names[0] if self.names else None


def find_printers() -> Printers:
    """The printers to choose from: up to three `lpstat` commands, each may wait."""
    if not print_system_available():
        return Printers((), None)
    return Printers(tuple(available_printers()), default_printer())


def submit(pdf: bytes, printer: str, *, title: str) -> PrintJob:
    """Send a PDF to `printer` with `lp -d PRINTER -t TITLE`, the document on standard input.

    The title shows in the print queue, in the print system's logs and, on a PDF printer,
    in the output file's name, so it must never carry a patient's name, date of birth or
    answers: pass something like "Visit summary 1a2b3c4d" (a visit ID prefix).

    Raises `PrintError` in plain words when there is no print system, the printer is not
    set up, or it is not accepting jobs. A printer that accepts jobs but is stopped takes
    the job; `job_status` then reports it as failed, with the printer's reason.
    """
    if not pdf.startswith(b"%PDF-"):
        raise ValueError("submit() prints PDF documents only")
    if not printer.strip():
        raise PrintError("No printer is chosen. Choose a printer and print again.")
    result = _run(["lp", "-d", printer, "-t", title], stdin=pdf)
    if result.returncode != 0:
        # With the scheduler down, lp says the printer "does not exist"; tell them apart.
        if not print_system_available():
            raise PrintError(NOT_RUNNING)
        raise PrintError(_why_lp_refused(printer, result.stderr))
    match = re.search(r"request id is (\S+)", result.stdout)
    if match is None:
        raise PrintError(
            f"The print system took the document for {printer} but did not say which job "
            "it is. Check the printer before printing again, so it does not print twice."
        )
    return PrintJob(printer=printer, job_id=match.group(1))


def job_status(job: PrintJob) -> JobStatus:
    """Ask the print system how far `job` got.

    Pending or printing → SENT. Printed → COMPLETED. Cancelled, aborted, stopped by an
    error, held, or no longer known → FAILED with the reason. A job waiting on a stopped
    (disabled) printer is also FAILED, with the printer's reason: such a job is "not
    completed" forever, and staff need to know now. It still prints by itself once the
    printer is started again, so to print again: `cancel(job)` first, then look at
    `job_status(job)` once more; COMPLETED means it came out after all.

    Raises `PrintError` when the print system cannot be asked.
    """
    number = _job_number(job)
    status, job_attributes = _ipp(
        _Operation.GET_JOB_ATTRIBUTES,
        [(_Tag.URI, "job-uri", f"ipp://localhost/jobs/{number}")],
        ["job-state", "job-printer-uri", "job-printer-state-message"],
    )
    if status == _NOT_FOUND:
        return JobStatus(
            PrintState.FAILED,
            f"The print system no longer knows print job {job.job_id}. "
            "If the summary did not come out, print it again.",
        )
    _check(status)
    state = _first_int(job_attributes, "job-state")
    message = _first_text(job_attributes, "job-printer-state-message")
    printer = _printer_of(job_attributes) or job.printer
    settled = _settled(state, printer, message)
    if settled is not None:
        return settled
    stopped_because = _stopped_printer_reason(printer)
    if stopped_because is not None:
        return JobStatus(
            PrintState.FAILED,
            f"The printer {printer} is stopped: {stopped_because or 'no reason given'}. "
            "When it is back on, print again.",
        )
    if state == _JobState.PROCESSING_STOPPED:  # a filter failed; CUPS leaves it there
        return JobStatus(PrintState.FAILED, _could_not_print(printer, message))
    return JobStatus(PrintState.SENT, "")


def cancel(job: PrintJob) -> None:
    """Cancel `job` (before printing again), so it can never print as well.

    A job that already finished (printed, cancelled or aborted) is left as it is: a job
    that waited on a stopped printer may have printed by the time staff retry, so check
    `job_status(job)` after cancelling before sending a second copy.
    Raises `PrintError` when the print system would not cancel a job that may still print.
    """
    result = _run(["cancel", job.job_id])
    if result.returncode == 0:
        return
    # `cancel` fails for a finished job too; only a job that could still print matters.
    status, attributes = _ipp(
        _Operation.GET_JOB_ATTRIBUTES,
        [(_Tag.URI, "job-uri", f"ipp://localhost/jobs/{_job_number(job)}")],
        ["job-state"],
    )
    if status == _NOT_FOUND:
        return
    _check(status)
    if _first_int(attributes, "job-state") >= _JobState.CANCELED:
        return
    refusal = result.stderr.strip().removeprefix("cancel:").strip()
    raise PrintError(
        f"The print system would not cancel print job {job.job_id} ({refusal}). "
        "Cancel it at the printer before printing again, so it does not print twice."
    )


# --- running CUPS's commands -------------------------------------------------------


@dataclass(frozen=True)
class _Outcome:
    returncode: int
    stdout: str
    stderr: str


def _run(arguments: list[str], *, stdin: bytes = b"") -> _Outcome:
    """Run one of CUPS's commands in the C locale, or raise `PrintError` in plain words."""
    if sys.platform == "win32":
        raise PrintError(NO_PRINT_SYSTEM)
    try:
        result = subprocess.run(  # noqa: S603 - a fixed CUPS command, arguments as a list
            arguments,
            input=stdin,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            env={**os.environ, **_C_LOCALE},
            check=False,
        )
    except FileNotFoundError as error:
        raise PrintError(NO_PRINT_SYSTEM) from error
    except subprocess.TimeoutExpired as error:
        raise PrintError(
            f"The print system did not answer within {TIMEOUT_SECONDS:.0f} seconds. "
            "Check the printer before printing again, so it does not print twice."
        ) from error
    except OSError as error:
        raise PrintError(NOT_RUNNING) from error
    return _Outcome(
        result.returncode,
        result.stdout.decode(errors="replace"),
        result.stderr.decode(errors="replace"),
    )


def _why_lp_refused(printer: str, stderr: str) -> str:
    """Turn `lp`'s complaint into a sentence for the front desk."""
    if "does not exist" in stderr or "not found" in stderr.lower():
        return (
            f"The printer {printer} is not set up on this computer. "
            "Choose another printer, or ask clinic IT to add it."
        )
    if "not accepting jobs" in stderr:
        return (
            f"The printer {printer} is not accepting print jobs right now. "
            "Ask clinic IT to turn it back on in the print system, or choose another printer."
        )
    if "Scheduler is not running" in stderr or "Unable to connect" in stderr:
        return NOT_RUNNING
    words = " ".join(stderr.split()).removeprefix("lp:").strip()
    words = words.removeprefix("Error -").strip()
    return f"The printer {printer} could not take the document: {words or 'no reason given'}."


def _settled(state: int, printer: str, message: str) -> JobStatus | None:
    """The status of a job whose printer no longer matters: finished or held."""
    if state == _JobState.COMPLETED:
        return JobStatus(PrintState.COMPLETED, "")
    reasons: dict[int, str] = {
        _JobState.CANCELED: "The print job was cancelled, so it did not print.",
        _JobState.ABORTED: _could_not_print(printer, message),
        _JobState.PENDING_HELD: (
            "The print job is on hold in the print system and will not print by itself. "
            "Print it again."
        ),
    }
    reason = reasons.get(state)
    return None if reason is None else JobStatus(PrintState.FAILED, reason)


def _could_not_print(printer: str, message: str) -> str:
    because = f": {message.rstrip('.')}." if message else "."
    return f"The printer {printer} could not print this job{because} Check it, then print again."


def _job_number(job: PrintJob) -> int:
    """The number in a CUPS job id: 12 in "KioskPDF-12" (printer names may have dashes)."""
    _, _, number = job.job_id.rpartition("-")
    if not number.isdigit():
        raise ValueError(f"not a CUPS job id: {job.job_id!r}")
    return int(number)


def _stopped_printer_reason(printer: str) -> str | None:
    """The stopped printer's reason ("" when it gives none), or None when it is not stopped."""
    status, attributes = _ipp(
        _Operation.GET_PRINTER_ATTRIBUTES,
        [(_Tag.URI, "printer-uri", f"ipp://localhost/printers/{quote(printer, safe='')}")],
        ["printer-state", "printer-state-message"],
    )
    if status == _NOT_FOUND:
        return "it is no longer set up in the print system"
    _check(status)
    if _first_int(attributes, "printer-state") != _PRINTER_STOPPED:
        return None
    return _first_text(attributes, "printer-state-message")


# --- a small IPP client (RFC 8010/8011), enough to read a job's and a printer's state -----


class _Operation(IntEnum):
    GET_JOB_ATTRIBUTES = 0x0009
    GET_PRINTER_ATTRIBUTES = 0x000B


class _Tag(IntEnum):
    OPERATION_ATTRIBUTES = 0x01
    END_OF_ATTRIBUTES = 0x03
    INTEGER = 0x21
    BOOLEAN = 0x22
    ENUM = 0x23
    TEXT = 0x41
    NAME = 0x42
    KEYWORD = 0x44
    URI = 0x45
    CHARSET = 0x47
    NATURAL_LANGUAGE = 0x48
    MIME_TYPE = 0x49


class _JobState(IntEnum):
    PENDING = 3
    PENDING_HELD = 4
    PROCESSING = 5
    PROCESSING_STOPPED = 6
    CANCELED = 7
    ABORTED = 8
    COMPLETED = 9


_PRINTER_STOPPED = 5
_NOT_FOUND = 0x0406
_STRING_TAGS = frozenset(range(0x41, 0x4A)) - {0x43}  # text … mimeMediaType, not octetString

_Value: TypeAlias = int | bool | str | bytes
_Attributes: TypeAlias = dict[str, list[_Value]]


def _ipp(
    operation: _Operation, target: list[tuple[_Tag, str, str]], wanted: list[str]
) -> tuple[int, _Attributes]:
    """Send one IPP request to the scheduler `lp` uses; its status code and attributes."""
    body = struct.pack(">BBHI", 2, 0, operation, 1) + bytes([_Tag.OPERATION_ATTRIBUTES])
    body += _encode(_Tag.CHARSET, "attributes-charset", "utf-8")
    body += _encode(_Tag.NATURAL_LANGUAGE, "attributes-natural-language", "en")
    for tag, name, value in target:
        body += _encode(tag, name, value)
    body += _encode(_Tag.NAME, "requesting-user-name", _user())
    for index, name in enumerate(wanted):
        body += _encode(_Tag.KEYWORD, "" if index else "requested-attributes", name)
    body += bytes([_Tag.END_OF_ATTRIBUTES])
    connection = _connect()
    try:
        connection.request("POST", "/", body, {"Content-Type": "application/ipp"})
        response = connection.getresponse()
        answer = response.read()
    except (OSError, http.client.HTTPException) as error:
        raise PrintError(NOT_RUNNING) from error
    finally:
        connection.close()
    if response.status != 200:
        raise PrintError(NOT_RUNNING)
    return _decode(answer)


def _encode(tag: _Tag, name: str, value: str) -> bytes:
    encoded_name, encoded_value = name.encode(), value.encode()
    return (
        bytes([tag])
        + struct.pack(">H", len(encoded_name))
        + encoded_name
        + struct.pack(">H", len(encoded_value))
        + encoded_value
    )


def _decode(answer: bytes) -> tuple[int, _Attributes]:
    """Read an IPP response: the status code and every attribute by name (groups merged)."""
    try:
        _version, status, _request = struct.unpack_from(">HHI", answer, 0)
        attributes: _Attributes = {}
        position, name = 8, ""
        while position < len(answer):
            tag = answer[position]
            position += 1
            if tag == _Tag.END_OF_ATTRIBUTES:
                break
            if tag < 0x10:  # the start of another group
                continue
            (length,) = struct.unpack_from(">H", answer, position)
            new_name = answer[position + 2 : position + 2 + length].decode()
            position += 2 + length
            (length,) = struct.unpack_from(">H", answer, position)
            raw = answer[position + 2 : position + 2 + length]
            position += 2 + length
            if len(raw) != length:
                raise ValueError("truncated")
            value: _Value = raw
            if tag in {_Tag.INTEGER, _Tag.ENUM} and length == 4:
                (value,) = struct.unpack(">i", raw)
            elif tag == _Tag.BOOLEAN and length == 1:
                value = raw != b"\x00"
            elif tag in _STRING_TAGS:
                value = raw.decode(errors="replace")
            if new_name:  # an empty name adds another value to the attribute before it
                name = new_name
                attributes[name] = [value]
            elif name:
                attributes[name].append(value)
    except (struct.error, ValueError, UnicodeDecodeError) as error:
        raise PrintError(NOT_RUNNING) from error
    return status, attributes


def _check(status: int) -> None:
    if status > 0x00FF:  # 0x0000 to 0x00FF are the successful codes
        raise PrintError(NOT_RUNNING)


def _first_int(attributes: _Attributes, name: str) -> int:
    value = attributes.get(name, [None])[0]
    if not isinstance(value, int):
        raise PrintError(NOT_RUNNING)
    return value


def _first_text(attributes: _Attributes, name: str) -> str:
    value = attributes.get(name, [""])[0]
    return value.strip() if isinstance(value, str) else ""


def _printer_of(attributes: _Attributes) -> str:
    """The printer a job is queued on now (it may have been moved), from its URI."""
    uri = _first_text(attributes, "job-printer-uri")
    return unquote(urlsplit(uri).path.rpartition("/")[2])


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "kiosk"


# --- finding the scheduler, as libcups does ---------------------------------------------


class _UnixConnection(http.client.HTTPConnection):
    """HTTP over CUPS's local socket (/run/cups/cups.sock)."""

    def __init__(self, path: str) -> None:
        super().__init__("localhost", timeout=TIMEOUT_SECONDS)
        self.socket_path = path

    def connect(self) -> None:
        unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)  # only reached off Windows
        unix.settimeout(TIMEOUT_SECONDS)
        try:
            unix.connect(self.socket_path)
        except OSError:
            unix.close()
            raise
        self.sock = unix


def _connect() -> http.client.HTTPConnection:
    """A connection to the scheduler `lp` would use: CUPS_SERVER, client.conf, the socket."""
    if sys.platform == "win32":
        raise PrintError(NO_PRINT_SYSTEM)
    server = os.environ.get("CUPS_SERVER", "").strip() or _server_from_client_conf()
    if not server:
        for path in ("/run/cups/cups.sock", "/var/run/cups/cups.sock"):
            if Path(path).exists():
                return _UnixConnection(path)
        server = "localhost"
    if server.startswith("/"):
        return _UnixConnection(server)
    host, port = server, 631
    if server.startswith("["):  # [::1]:631
        host, _, rest = server[1:].partition("]")
        port = int(rest[1:]) if rest[1:].isdigit() else 631
    elif server.count(":") == 1:  # printserver:631
        name, _, number = server.partition(":")
        host, port = name, int(number) if number.isdigit() else 631
    return http.client.HTTPConnection(host, port, timeout=TIMEOUT_SECONDS)


def _server_from_client_conf() -> str:
    """`ServerName` from ~/.cups/client.conf or /etc/cups/client.conf, as `lp` reads it."""
    places = [Path("/etc/cups/client.conf")]
    with contextlib.suppress(RuntimeError):  # no home folder
        places.insert(0, Path.home() / ".cups" / "client.conf")
    for conf in places:
        try:
            lines = conf.read_text(errors="replace").splitlines()
        except OSError:
            continue
        for line in lines:
            key, _, value = line.strip().partition(" ")
            if key.lower() == "servername" and value.strip():
                return value.strip()
    return ""
