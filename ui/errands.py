"""Work that may wait (the print system, files, a locked database), done off the screen's thread.

An errand runs on a pool of its own kind, apart from Qt's global pool, and its answer
(what it returned, or the exception it raised) comes back to the GUI thread by a signal.
Pools belong to the application, not to a window: a window's pool would make closing it
wait for a stuck thread.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal
from typing_extensions import override


class ErrandKind(StrEnum):
    """Which pool an errand waits in: a stuck printer never delays saving a file."""

    PRINT_SYSTEM = "print system"
    FILES = "files"


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
        self.answer.arrived.emit(result)


_pools: dict[ErrandKind, QThreadPool] = {}

# A check, a printer list, a retry and a send may all be waiting at once.
_THREADS = {ErrandKind.PRINT_SYSTEM: 4, ErrandKind.FILES: 2}


def errand_pool(kind: ErrandKind) -> QThreadPool:
    """The application's pool for one kind of errand (made once an application exists)."""
    pool = _pools.get(kind)
    if pool is None:
        pool = QThreadPool(QCoreApplication.instance())
        pool.setMaxThreadCount(_THREADS[kind])
        _pools[kind] = pool
    return pool


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
    answer.arrived.connect(lambda _result: awaited.discard(answer))
    answer.arrived.connect(answered)
    errand_pool(kind).start(errand)
