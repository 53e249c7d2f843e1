"""Word from the database server that something changed, for a desk to reload at once.

On PostgreSQL, triggers (migration 0015) send a notification on `CHANNEL` when a visit
is stored or changed, a print is sent or followed, or an alert is raised or dealt with,
from any computer. `LiveUpdates` listens on a connection of its own, on a thread of its
own, and hands each one to a plain callback; it also says when the server is lost and
when it is back, and reconnects by itself. SQLite has no such thing: a desk on one
computer keeps asking every few seconds (see `Station.live_updates`, which gives None).

Nothing here touches a window: the desk adapts the callbacks to Qt signals.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

log = logging.getLogger(__name__)

CHANNEL = "kiosk_changes"
# How often the listening thread looks up from waiting (to stop, or to check the line).
WAKE_S = 0.25
# With nothing heard for this long, one cheap question to the server: a server that went
# away without closing the connection (a cable pulled) is noticed within this plus the
# connection's network timeout, not at the next change.
CHECK_AFTER_S = 5.0
# Between attempts to reach a server that is away.
RETRY_S = 1.0


@dataclass(frozen=True)
class Change:
    """One notification: which table changed and, where there is one, the row's key.

    `at` is when this computer heard it (time.time()), for whoever measures the delay.
    """

    table: str
    key: str
    at: float

    @classmethod
    def heard(cls, payload: str) -> Change:
        """The change a trigger's payload ("visits <id>", or "visits" for a purge) names."""
        table, _, key = payload.partition(" ")
        return cls(table, key, time.time())


@dataclass(frozen=True)
class ServerState:
    """Whether the listening connection reaches the server; `reason` says why not."""

    reachable: bool
    reason: str = ""


class LiveUpdates:
    """Listens for `CHANNEL` on its own connection and thread; see the module's words.

    `on_change` hears every change; `on_state` hears when the server is lost or back
    (first once the first attempt to connect has ended, then at each change of state).
    Both are called on the listening thread: a window hands them to its own thread.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        on_change: Callable[[Change], None],
        on_state: Callable[[ServerState], None],
        retry_s: float = RETRY_S,
    ) -> None:
        self.engine = engine
        self.on_change = on_change
        self.on_state = on_state
        self.retry_s = retry_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._reachable: bool | None = None
        self._connection: Any = None

    def start(self) -> None:
        """Begin listening (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._listen, name="live-updates", daemon=True)
            self._thread.start()

    def stop(self, wait_s: float = 2.0) -> None:
        """Stop listening and let go of the connection (waits at most `wait_s`)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(wait_s)

    @property
    def reachable(self) -> bool | None:
        """What the last attempt found (None before the first one ended)."""
        return self._reachable

    def _say(self, state: ServerState) -> None:
        if state.reachable != self._reachable:
            self._reachable = state.reachable
            try:
                self.on_state(state)
            except Exception:  # the listener must outlive a listener's mistake
                log.exception("a live-updates state callback failed")

    def _connect(self) -> Any:
        """A connection of this listener's own, with the station's timeouts, listening."""
        pooled = self.engine.raw_connection()
        connection: Any = pooled.dbapi_connection
        # Out of the pool for good: it sits waiting, and no transaction may use it.
        pooled.detach()
        connection.rollback()
        connection.autocommit = True
        connection.execute(f"LISTEN {CHANNEL}")
        return connection

    def _listen(self) -> None:
        while not self._stop.is_set():
            try:
                self._connection = self._connect()
            except Exception as error:  # noqa: BLE001 - any failure to connect is "away"
                self._lost(error)
                self._stop.wait(self.retry_s)
                continue
            self._say(ServerState(reachable=True))
            try:
                self._hear(self._connection)
            except Exception as error:  # noqa: BLE001 - a dropped line, whatever the driver says
                self._lost(error)
            finally:
                self._close()
            self._stop.wait(self.retry_s if self._reachable is False else 0)

    def _hear(self, connection: Any) -> None:
        quiet_since = time.monotonic()
        while not self._stop.is_set():
            heard = False
            for notification in connection.notifies(timeout=WAKE_S):
                heard = True
                try:
                    self.on_change(Change.heard(notification.payload))
                except Exception:  # the listener must outlive a listener's mistake
                    log.exception("a live-updates change callback failed")
            now = time.monotonic()
            if heard:
                quiet_since = now
            elif now - quiet_since > CHECK_AFTER_S:
                connection.execute("SELECT 1")
                quiet_since = now

    def _lost(self, error: BaseException) -> None:
        if self._reachable is not False:  # once per loss, not once per attempt
            # The type only: a driver's message may quote the server's address or user.
            log.warning("the line to the database server is down: %s", type(error).__name__)
        self._say(ServerState(reachable=False, reason=type(error).__name__))

    def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.close()
            except Exception:
                log.debug("closing the listening connection failed", exc_info=True)
