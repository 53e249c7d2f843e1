"""The risk path: a PHQ-9 answer about self-harm always reaches a person (issue 28).

Any answer above 0 to PHQ-9 item 9 (the item whose ID is `phq9-9`: the rule follows the
ID, never the wording or the position) raises the most urgent alert there is, at once,
while the patient is still at the kiosk. The visit as it stands (the patient's details
and the answers so far) is stored with the alert in the same transaction, or, when the
database cannot take it, held on the kiosk and raised as soon as it can; nothing the
patient does afterwards (Back, another answer, walking away) and no crash takes it back.

What the patient reads follows what the desks did (`RiskRequest`): a team member would
like to talk with them now, with the crisis numbers; "someone is coming" only once a
signed-in account at a desk acknowledged it; "please go to the front desk now" when no
desk showed it within 15 seconds, none acknowledged within 60, or it could not be raised.

The path is on only where the clinic named who responds (`ContentPack.risk_responder`,
a clinic setting published with the content); until then Check refuses the PHQ-9
(`risk_path_problems`). How to respond is the clinic's clinicians' decision.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from kiosk.content import ContentPack
from kiosk.visit import Clock, Visit

log = logging.getLogger(__name__)

# The instrument, and its item about thoughts of self-harm.
PHQ9 = "phq9"
SELF_HARM_ITEM = "phq9-9"

# The patient is sent to the front desk when no desk has shown the alert within this
# long, or none has acknowledged it within that long. Tests inject shorter clocks, never
# shorter values.
SHOWN_WITHIN = timedelta(seconds=15)
ACKNOWLEDGED_WITHIN = timedelta(seconds=60)

# Partial visits the database could not take wait here, inside the held-visits folder.
HELD_FOLDER = "risk-alerts"


def asks_phq9(pack: ContentPack) -> bool:
    """Whether the clinic has turned the pack's PHQ-9 on (asked at some visits)."""
    return any(measure.id == PHQ9 and measure.turned_on for measure in pack.measures)


def raises_risk(question_id: str, score: int) -> bool:
    """The rule: an answer scored above 0 to the self-harm item needs a person now."""
    return question_id == SELF_HARM_ITEM and score > 0


def risk_path_problems(pack: ContentPack) -> list[str]:
    """Why the pack's PHQ-9 cannot be turned on, in words for the admin (none: it can)."""
    problems = []
    if asks_phq9(pack) and not pack.risk_responder.strip():
        problems.append(
            "The PHQ-9 cannot be turned on until the clinic names who responds when a "
            "patient's answer about self-harm raises an alert (the Clinic tab, "
            "\u201cWho responds to a risk answer\u201d)."
        )
    phq9 = [measure for measure in pack.measures if measure.id == PHQ9]
    if phq9 and not any(item.id == SELF_HARM_ITEM for item in phq9[0].items):
        problems.append(
            f"The PHQ-9 has no item \u201c{SELF_HARM_ITEM}\u201d (thoughts of self-harm): "
            "without it the kiosk cannot raise the alert that answer needs. Put the item "
            "back with that ID."
        )
    return problems


def read_aloud_skips(pack: ContentPack, question_id: str) -> bool:
    """Whether "Read to me" leaves this question unread: the self-harm item, where the
    clinic has not said the kiosk has headphones (the waiting room would hear it)."""
    return question_id == SELF_HARM_ITEM and not pack.kiosk_has_headphones


@dataclass(frozen=True)
class PartialVisit:
    """The visit as it stood when the alert was raised: who, and the answers so far."""

    visit_id: str
    content_version: str
    language: str
    started_at: datetime | None
    first_name: str
    last_name: str
    date_of_birth: date | None
    # (question ID, answer, answered at), in the order they were asked.
    answers: tuple[tuple[str, str, datetime], ...]
    # Who the clinic named to respond, as published with the content the patient saw.
    responder: str

    @classmethod
    def of(cls, visit: Visit) -> PartialVisit:
        """The visit now."""
        details = visit.details
        order = {question.id: n for n, question in enumerate(visit.content.questions)}
        given = sorted(visit.answers.items(), key=lambda item: order.get(item[0], len(order)))
        return cls(
            visit_id=visit.id,
            content_version=visit.content.version,
            language=visit.language,
            started_at=visit.started_at,
            first_name=details.first_name if details else "",
            last_name=details.last_name if details else "",
            date_of_birth=details.date_of_birth if details else None,
            answers=tuple((qid, str(a.answer), a.answered_at) for qid, a in given),
            responder=visit.content.risk_responder,
        )

    def as_json(self) -> dict[str, Any]:
        """As the held file and the server's function take it (times in ISO form)."""
        return {
            "visit_id": self.visit_id,
            "content_version": self.content_version,
            "language": self.language,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else None,
            "answers": [[qid, answer, at.isoformat()] for qid, answer, at in self.answers],
            "responder": self.responder,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PartialVisit:
        """Back from `as_json`."""
        started, born = data.get("started_at"), data.get("date_of_birth")
        return cls(
            visit_id=str(data["visit_id"]),
            content_version=str(data["content_version"]),
            language=str(data["language"]),
            started_at=datetime.fromisoformat(started) if started else None,
            first_name=str(data["first_name"]),
            last_name=str(data["last_name"]),
            date_of_birth=date.fromisoformat(born) if born else None,
            answers=tuple(
                (str(qid), str(answer), datetime.fromisoformat(at))
                for qid, answer, at in data["answers"]
            ),
            responder=str(data.get("responder", "")),
        )

    @property
    def detail(self) -> str:
        """What every desk reads, signed in or not: no name, who responds."""
        return (
            "PHQ-9 item 9 (thoughts of self-harm) answered above 0; the patient is at the "
            f"kiosk. Responds: {self.responder or 'not named'}"
        )


def hold_partial_visit(held_visits_dir: Path, partial: PartialVisit) -> Path:
    """Keep a partial visit the database could not take, for `held_partial_visits`.

    Written whole or not at all (a temporary file renamed), readable by the kiosk's user
    and group only, like the held visits beside it. Raises OSError when it cannot be.
    """
    from kiosk.file_access import FILE_MODE, make_folder

    folder = held_visits_dir / HELD_FOLDER
    make_folder(folder)
    path = folder / f"risk-{partial.visit_id}.json"
    writing = folder / f".writing-{partial.visit_id}"
    writing.write_bytes(json.dumps(partial.as_json()).encode("utf-8"))
    writing.chmod(FILE_MODE)
    writing.replace(path)
    return path


def held_partial_visits(held_visits_dir: Path) -> list[tuple[Path, PartialVisit]]:
    """The partial visits waiting on this kiosk for the database, oldest first."""
    folder = held_visits_dir / HELD_FOLDER
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("risk-*.json"), key=lambda p: p.stat().st_mtime):
        try:
            found.append((path, PartialVisit.from_json(json.loads(path.read_bytes()))))
        except (OSError, ValueError, KeyError, TypeError) as error:
            # Never deleted: clinic IT can read it; the next ones still go in.
            log.error("a held risk alert cannot be read: %s", type(error).__name__)
    return found


@dataclass(frozen=True)
class RiskState:
    """What the desks did with a risk alert so far."""

    shown: bool
    acknowledged: bool
    cleared: bool


class RiskWording(StrEnum):
    """What the patient whose answer raised the alert reads."""

    # Raised (or being raised): a team member would like to talk with them now.
    TALK_NOW = "talk now"
    # A signed-in account at a desk acknowledged it: someone is coming.
    COMING = "coming"
    # Not shown in time, not acknowledged in time, or not raised at all.
    GO_TO_DESK = "go to desk"


@dataclass
class RiskRequest:
    """One risk alert, from the answer until a desk acknowledges it.

    The clock is injected (a steady clock on a kiosk), as are the two waits, so the 15-
    and 60-second rules are tested without waiting.
    """

    clock: Clock
    shown_within: timedelta = SHOWN_WITHIN
    acknowledged_within: timedelta = ACKNOWLEDGED_WITHIN
    raised_at: datetime = field(init=False)
    alert_id: int | None = None
    # The database did not take it (it is held on the kiosk, or not even that).
    failed: bool = False
    shown: bool = False
    acknowledged: bool = False
    cleared: bool = False

    def __post_init__(self) -> None:
        self.raised_at = self.clock()

    def raised(self, alert_id: int | None) -> None:
        """The alert is in the database (its ID), or could not be put there (None)."""
        self.alert_id = alert_id
        self.failed = alert_id is None

    def heard(self, state: RiskState | None) -> None:
        """What the database says now (None: it could not be asked this time)."""
        if state is not None:
            self.shown = self.shown or state.shown
            self.acknowledged = self.acknowledged or state.acknowledged
            self.cleared = state.cleared

    @property
    def following(self) -> bool:
        """Whether there is still something to learn from the database."""
        return self.alert_id is not None and not self.cleared

    def wording(self) -> RiskWording:
        """ "Someone is coming" only once acknowledged; the desk when nobody is in time."""
        if self.acknowledged:
            return RiskWording.COMING
        waited = self.clock() - self.raised_at
        if (
            self.failed
            or (not self.shown and waited >= self.shown_within)
            or waited >= self.acknowledged_within
        ):
            return RiskWording.GO_TO_DESK
        return RiskWording.TALK_NOW
