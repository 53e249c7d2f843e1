"""Work that may wait (the print system, files, a locked database), done off the screen's thread.

An errand runs on a pool of its own kind, apart from Qt's global pool, and its answer
(what it returned, or the exception it raised) comes back to the GUI thread by a signal.
Pools belong to the application, not to a window: a window's pool would make closing it
wait for a stuck thread.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar, cast

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal

from kiosk.overriding import override


class ErrandKind(StrEnum):
    """Which pool an errand waits in: a stuck printer never delays saving a file."""

    PRINT_SYSTEM = "print system"
    FILES = "files"
    # One at a time: a visit being stored and a retry of held visits never race.
    DATABASE = "database"


class ErrandAnswer(QObject):
    """Carries an errand's answer from its worker thread back to the GUI thread.

    Signals:
        arrived(object): what the errand returned, or the exception it raised.
    """

    arrived = Signal(object)


class _Errand(QRunnable):
    def __init__(self, work: Callable[[], object]) -> None:
        super().__init__()
        self.work = work
        # Made here, on the GUI thread, so `arrived` is delivered there.
        self.answer = ErrandAnswer()

    @override
    def run(self) -> None:
        result: object
        try:
            result = self.work()
        except Exception as error:  # noqa: BLE001 - the window must hear back whatever happens
            result = error
        try:
            self.answer.arrived.emit(result)
        except RuntimeError:
            # The program closed while this errand ran (its answer's object is gone with
            # the application): nobody is left to tell.
            return


_pools: dict[ErrandKind, QThreadPool] = {}

# A check, a printer list, a retry and a send may all be waiting at once.
_THREADS = {ErrandKind.PRINT_SYSTEM: 4, ErrandKind.FILES: 2, ErrandKind.DATABASE: 1}


def errand_pool(kind: ErrandKind) -> QThreadPool:
    """The application's pool for one kind of errand (made once an application exists)."""
    pool = _pools.get(kind)
    if pool is None:
        pool = QThreadPool(QCoreApplication.instance())
        pool.setMaxThreadCount(_THREADS[kind])
        _pools[kind] = pool
    return pool


def finish_errands(wait_milliseconds: int = 5000) -> bool:
    """Before a program closes its database and ends: drop the errands not started and
    wait (at most `wait_milliseconds` a pool) for those running, so none is left using a
    closed database or a dying application; False when one was still running."""
    finished = True
    for pool in _pools.values():
        pool.clear()
        finished = pool.waitForDone(wait_milliseconds) and finished
    return finished


def run_errand(
    kind: ErrandKind,
    work: Callable[[], object],
    answered: Callable[[object], None],
    awaited: set[ErrandAnswer],
) -> None:
    """Do `work` on a worker; `answered` hears its result on the GUI thread.

    `awaited` is the caller's set of answers still to come: a window that closes
    disconnects them, so an answer arriving later changes nothing on a closed window.
    """
    errand = _Errand(work)
    answer = errand.answer
    awaited.add(answer)

    def deliver(result: object) -> None:
        awaited.discard(answer)
        try:
            answered(result)
        finally:
            # Once delivered, nothing may keep the work's closure alive: it can hold a
            # patient's visit, which must leave memory with the visit's screens. Deleting
            # the answer drops its connections (a window may have cut them already).
            answer.deleteLater()

    answer.arrived.connect(deliver)
    errand_pool(kind).start(errand)


_Result = TypeVar("_Result")


class DatabaseErrands:
    """The check-in service's errands (`kiosk.check_in.Errands`), one at a time off the
    screen's thread; each answer comes back on the GUI thread.

    An error nobody expected is raised again there, where the kiosk's error screen
    catches it, as it would have been had the work run on the GUI thread.
    """

    def __init__(self) -> None:
        self.awaited: set[ErrandAnswer] = set()

    def run(self, work: Callable[[], _Result], then: Callable[[_Result], None]) -> None:
        """Do `work` on the database's worker; `then` hears its result."""

        def answered(result: object) -> None:
            if isinstance(result, Exception):
                raise result
            then(cast(_Result, result))

        run_errand(ErrandKind.DATABASE, work, answered, self.awaited)

    def run_after_showing(
        self, work: Callable[[], _Result], then: Callable[[_Result], None]
    ) -> None:
        """As `run`, from the event loop's next turn: Qt paints what a tap changed from
        the events it posted, which come before a timer's."""
        QTimer.singleShot(0, lambda: self.run(work, then))
