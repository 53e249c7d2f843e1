"""Realistic synthetic visits for trying the desk and measuring it: never real patients.

Rows are written with Core bulk inserts (the ORM would take minutes for 100,000 visits)
and every one is marked `is_demo`, which the list, the summary and the desk show.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar, cast
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, update
from sqlalchemy.orm import Session

from kiosk.content import (
    Answer,
    ContentPack,
    Measure,
    Question,
    QuestionKind,
    QuestionSection,
    TeachBackResult,
)
from kiosk.models import (
    AnswerRow,
    Base,
    ConsentAcknowledgementRow,
    FlagRow,
    PatientRow,
    SlideViewRow,
    TeachBackAnswerRow,
    VisitRow,
    table_of,
)
from kiosk.patients import patient_key, refresh_patient
from kiosk.rules import visit_flags
from kiosk.signature import Signature
from kiosk.stored_visits import count_visits, name_key, publication_seen, publications_of
from kiosk.visit import Ending, RideStatus, VisitFlow

FIRST_NAMES = (
    "Maria",
    "James",
    "José",
    "Linda",
    "Robert",
    "Aaliyah",
    "Chen",
    "Patricia",
    "Michael",
    "Zoë",
    "David",
    "Nguyễn",
    "Sarah",
    "Kwame",
    "Elena",
    "Thomas",
    "Fatima",
    "William",
    "Renée",
    "Joseph",
    "Priya",
    "Daniel",
    "Siobhán",
    "Karen",
    "Mateo",
    "Olga",
    "Ahmed",
    "Jennifer",
    "Björn",
    "Grace",
    "Luis",
    "Hannah",
    "Dmitri",
    "Nancy",
    "François",
    "Ana",
)
LAST_NAMES = (
    "García",
    "Smith",
    "Johnson",
    "Nguyen",
    "Williams",
    "Brown",
    "Martínez",
    "Jones",
    "Lee",
    "Rodríguez",
    "Davis",
    "O'Brien",
    "Miller",
    "Wilson",
    "Hernández",
    "Anderson",
    "Taylor",
    "Moore",
    "Jackson",
    "Müller",
    "López",
    "White",
    "Harris",
    "Okafor",
    "Clark",
    "Lewis",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Kowalski",
    "Dubois",
    "Hall",
)
RELATIONSHIPS = (
    "spouse",
    "partner",
    "daughter",
    "son",
    "friend",
    "sister",
    "brother",
    "mother",
    "father",
    "neighbor",
    "rideshare arranged by clinic",
)


class RealVisitsError(Exception):
    """The database holds real visits; demo data would mix with them."""


def _signatures(count: int, rng: random.Random) -> list[tuple[bytes, str]]:
    """A few synthetic scribbles, reused across visits (drawing 100,000 would be slow)."""
    made = []
    for _ in range(count):
        strokes = []
        x = 20.0
        for _stroke in range(rng.randint(2, 4)):
            points = []
            for _point in range(rng.randint(8, 16)):
                x += rng.uniform(4, 14)
                points.append((x, 60 + rng.uniform(-35, 35)))
            strokes.append(tuple(points))
            x += 10
        signature = Signature(tuple(strokes), 600, 150)
        made.append((signature.png(), json.dumps(signature.as_data())))
    return made


def _calm_answer(question: Question) -> str:
    """An answer that raises no flag."""
    if question.kind is QuestionKind.SHORT_TEXT:
        return ""
    calm = [a for a in question.possible_answers() if not question.raises_flag(a)]
    return calm[0] if calm else question.possible_answers()[0]


def _first_visit(content: ContentPack) -> list[Question]:
    """The questions a first visit asks (not a returning patient's)."""
    return [q for q in content.questions if q.section is QuestionSection.SCREENING]


def _teach_back_row(
    visit_id: str, position: int, question: Question, rng: random.Random
) -> dict[str, object]:
    right = str(question.right_answer)
    wrong = next(a for a in question.possible_answers() if a != right)
    roll = rng.random()
    result = (
        TeachBackResult.RIGHT_FIRST_TIME
        if roll < 0.88
        else TeachBackResult.RIGHT_AFTER_REVIEW
        if roll < 0.97
        else TeachBackResult.STILL_WRONG
    )
    return {
        "visit_id": visit_id,
        "question_id": question.id,
        "position": position,
        "result": result.value,
        "first_answer": right if result is TeachBackResult.RIGHT_FIRST_TIME else str(wrong),
        "answer_after_review": (
            None
            if result is TeachBackResult.RIGHT_FIRST_TIME
            else right
            if result is TeachBackResult.RIGHT_AFTER_REVIEW
            else str(wrong)
        ),
    }


def _answers(content: ContentPack, rng: random.Random) -> dict[str, str]:
    # About one visit in five has an answer that needs review.
    answers = {question.id: _calm_answer(question) for question in _first_visit(content)}
    flagging = [q for q in _first_visit(content) if q.flag_answers]
    if flagging and rng.random() < 0.2:
        question = rng.choice(flagging)
        if question.kind is QuestionKind.YES_NO:
            answers[question.id] = rng.choice([Answer.YES, Answer.NOT_SURE, Answer.NOT_SURE])
        else:
            answers[question.id] = rng.choice(question.flag_answers)
    return answers


def demo_visits(
    content: ContentPack,
    content_version_id: int,
    count: int,
    *,
    now: datetime,
    zone: ZoneInfo,
    seed: int = 2026,
) -> Iterator[dict[str, list[dict[str, object]]]]:
    """Rows for `count` demo visits, in batches of table name → rows."""
    rng = random.Random(seed)
    signatures = _signatures(12, rng)
    batch: dict[str, list[dict[str, object]]] = {
        name: [] for name in ("visits", "answers", "slide_views", "acks", "flags", "teach_back")
    }
    today = now.astimezone(zone).date()
    # The returning patients: a few, each several times (names no other demo visit has).
    returning = (
        [
            (
                rng.choice(FIRST_NAMES),
                f"{rng.choice(LAST_NAMES)}-{rng.choice(LAST_NAMES)}",
                date(rng.randint(1945, 2000), rng.randint(1, 12), rng.randint(1, 28)),
            )
            for _ in range(max(1, min(20, count // 12)))
        ]
        if count >= RETURNING_FIRST
        else []
    )
    for n in range(count):
        # Mostly spread over the past year, with a handful on today for the desk.
        days_ago = 0 if n < min(count, 12) else rng.randint(0, 364)
        local_day = today - timedelta(days=days_ago)
        started_local = datetime(
            local_day.year,
            local_day.month,
            local_day.day,
            rng.randint(8, 16),
            rng.randint(0, 59),
            rng.randint(0, 59),
            tzinfo=zone,
        )
        started = started_local.astimezone(UTC)
        if started > now:
            started = now - timedelta(minutes=rng.randint(5, 300))
        # About a third of visits are a returning patient's: a course of infusions.
        if returning and (n < RETURNING_FIRST or rng.random() < RETURNING_SHARE):
            first, last, born = returning[
                n % len(returning) if n < RETURNING_FIRST else rng.randrange(len(returning))
            ]
        else:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            born = date(rng.randint(1940, 2004), rng.randint(1, 12), rng.randint(1, 28))
        answers = _answers(content, rng)
        stopped = rng.random() < 0.03
        has_ride = not stopped and rng.random() > 0.08
        ending = Ending.STOPPED_TO_TALK if stopped else Ending.COMPLETED
        flags = visit_flags(content, answers, has_ride_home=has_ride, stopped_to_talk=stopped)
        # Random, not from the seed: running demo-data twice must not repeat visit IDs.
        visit_id = str(uuid.uuid4())
        moment = started + timedelta(seconds=40)
        for position, slide in enumerate(content.slides):
            seconds = round(rng.uniform(6, 45), 3)
            batch["slide_views"].append(
                {
                    "visit_id": visit_id,
                    "slide_id": slide.id,
                    "position": position,
                    "seconds": seconds,
                }
            )
            moment += timedelta(seconds=seconds)
        # After the slides, the teach-back: mostly right at once, now and then after the
        # slide again, rarely still wrong (a note for staff).
        for position, question in enumerate(content.teach_back):
            moment += timedelta(seconds=rng.uniform(3, 10))
            batch["teach_back"].append(_teach_back_row(visit_id, position, question, rng))
        for position, question in enumerate(content.questions):
            if question.id not in answers:
                continue
            moment += timedelta(seconds=rng.uniform(3, 15))
            batch["answers"].append(
                {
                    "visit_id": visit_id,
                    "question_id": question.id,
                    "position": position,
                    "answer": str(answers[question.id]),
                    "answered_at": moment,
                }
            )
        confirmed = moment + timedelta(seconds=10)
        moment = confirmed
        if not stopped:
            for position, statement in enumerate(content.consent_statements):
                moment += timedelta(seconds=rng.uniform(2, 8))
                batch["acks"].append(
                    {
                        "visit_id": visit_id,
                        "statement_id": statement.id,
                        "position": position,
                        "acknowledged_at": moment,
                    }
                )
        signed_at = moment + timedelta(seconds=20) if not stopped else None
        png, strokes = rng.choice(signatures)
        finished = (signed_at or moment) + timedelta(seconds=45)
        batch["visits"].append(
            {
                "id": visit_id,
                "content_version_id": content_version_id,
                "is_demo": True,
                "station": "demo",
                "ending": ending.value,
                "language": content.language,
                "started_at": started,
                "finished_at": finished,
                "first_name": first,
                "last_name": last,
                "name_key": name_key(first, last),
                "date_of_birth": born,
                "answers_confirmed_at": confirmed,
                "signed_name": None if stopped else f"{first} {last}",
                "signed_at": signed_at,
                "signature_png": None if stopped else png,
                "signature_strokes": None if stopped else strokes,
                "ride_status": (
                    RideStatus.NOT_ASKED
                    if stopped
                    else (RideStatus.ARRANGED if has_ride else RideStatus.NONE_YET)
                ).value,
                "ride_driver_name": (f"{rng.choice(FIRST_NAMES)} {last}" if has_ride else None),
                "ride_phone": (
                    f"(555) {rng.randint(200, 999)}-{rng.randint(0, 9999):04d}"
                    if has_ride
                    else None
                ),
                "ride_relationship": rng.choice(RELATIONSHIPS) if has_ride else None,
                "flag_count": len(flags),
                "open_flag_count": len(flags),
                "updated_at": finished,
            }
        )
        for position, flag in enumerate(flags):
            batch["flags"].append(
                {
                    "visit_id": visit_id,
                    "position": position,
                    "kind": flag.kind.value,
                    "question_id": flag.question_id,
                    "answer": str(flag.answer) if flag.answer is not None else None,
                    "sentence": flag.sentence,
                }
            )
        if len(batch["visits"]) >= 5000 or n == count - 1:
            yield batch
            batch = {name: [] for name in batch}


# Every returning patient gets three visits among the first ones made (the desk and the
# tests see patients with three and more linked visits), and a share of the rest.
RETURNING_FIRST = 12
RETURNING_SHARE = 0.3


@dataclass(frozen=True)
class _MadeVisit:
    """What the passes after the inserts need of a demo visit, kept from its row so they
    read nothing back (100,000 visits' IDs in one `IN` would pass PostgreSQL's limit of
    65,535 parameters)."""

    id: str
    first_name: str
    last_name: str
    name_key: str
    date_of_birth: date
    started_at: datetime
    finished_at: datetime
    answers_confirmed_at: datetime | None

    @classmethod
    def of(cls, row: dict[str, object]) -> _MadeVisit:
        """The parts of an inserted `visits` row the later passes use."""
        return cls(
            id=str(row["id"]),
            first_name=str(row["first_name"]),
            last_name=str(row["last_name"]),
            name_key=str(row["name_key"]),
            date_of_birth=cast(date, row["date_of_birth"]),
            started_at=cast(datetime, row["started_at"]),
            finished_at=cast(datetime, row["finished_at"]),
            answers_confirmed_at=cast("datetime | None", row["answers_confirmed_at"]),
        )


def _by_patient(made: list[_MadeVisit]) -> dict[tuple[str, date], list[_MadeVisit]]:
    """The visits of each name and birth date, oldest first (by when they started)."""
    groups: dict[tuple[str, date], list[_MadeVisit]] = {}
    for visit in sorted(made, key=lambda visit: visit.started_at):
        groups.setdefault((visit.name_key, visit.date_of_birth), []).append(visit)
    return groups


_T = TypeVar("_T")

# Rows per statement in the passes after the inserts: few statements, and each well under
# SQLite's and PostgreSQL's limits on bound parameters.
_ROWS_PER_STATEMENT = 1000


def _insert(session: Session, model: type[Base], rows: list[dict[str, object]]) -> None:
    """One executemany through Core. The ORM's bulk insert leaves out each None, so rows
    with and without a signature, a ride or a second teach-back answer went as thousands
    of small statements instead of one."""
    session.execute(insert(table_of(model)), rows)


def _chunks(values: list[_T]) -> Iterator[list[_T]]:
    """`values` a statement's worth at a time."""
    for first in range(0, len(values), _ROWS_PER_STATEMENT):
        yield values[first : first + _ROWS_PER_STATEMENT]


def _link_returning_patients(session: Session, content: ContentPack, made: list[_MadeVisit]) -> int:
    """Link the demo visits of each name seen more than once to one patient record, as
    the desk would; each visit after the first is a return visit, asking the return
    questions calmly. Returns how many patients were made.

    A few statements for all the visits, not a few for each: the ORM's deletes for each
    return visit went through every object the session held (every visit, loaded) at each
    statement, so the time grew with the square of the visits: a minute for 20,000, well
    over ten minutes for 100,000.
    """
    groups = [own for own in _by_patient(made).values() if len(own) >= 2]
    patients = [
        PatientRow(
            first_name=own[0].first_name,
            last_name=own[0].last_name,
            name_key=patient_key(own[0].first_name, own[0].last_name),
            date_of_birth=own[0].date_of_birth,
            created_at=own[0].finished_at,
        )
        for own in groups
    ]
    session.add_all(patients)
    session.flush()
    extra = [q for q in content.questions if q.section.return_visits_only]
    positions = {q.id: n for n, q in enumerate(content.questions)}
    links: list[dict[str, object]] = []
    reminded: list[str] = []
    answers: list[dict[str, object]] = []
    for patient, own in zip(patients, groups, strict=True):
        links.append(
            {"id": own[0].id, "patient_id": patient.id, "flow": VisitFlow.FIRST_VISIT.value}
        )
        for before, visit in itertools.pairwise(own):
            recent = visit.started_at - before.finished_at < timedelta(days=365)
            flow = VisitFlow.RETURN_WITHOUT_SLIDES if recent else VisitFlow.RETURN_WITH_SLIDES
            links.append({"id": visit.id, "patient_id": patient.id, "flow": flow.value})
            if recent:
                # A reminder in place of the slides: no slides, so no teach-back either.
                reminded.append(visit.id)
            when = visit.answers_confirmed_at or visit.finished_at
            answers += (
                {
                    "visit_id": visit.id,
                    "question_id": question.id,
                    "position": positions[question.id],
                    "answer": str(_calm_answer(question)),
                    "answered_at": when,
                }
                for question in extra
            )
    # By primary key, one statement run for each row (an executemany).
    session.execute(update(VisitRow), links)
    for ids in _chunks(reminded):
        for shown in (SlideViewRow, TeachBackAnswerRow):
            session.execute(
                delete(shown).where(shown.visit_id.in_(ids)),
                execution_options={"synchronize_session": False},
            )
    for rows in _chunks(answers):
        _insert(session, AnswerRow, rows)
    for patient in patients:
        refresh_patient(session, patient.id)
    return len(patients)


# The PHQ-9 cannot be turned on until someone is named to respond to a risk answer
# (`kiosk.risk`): the demo's content names a made-up one, saying so.
DEMO_RESPONDER = "the nurse on duty (demo content: a clinic names its own)"


def with_measures_on(content: ContentPack) -> ContentPack:
    """The pack with each of its measures asked at every visit (the demo's content)."""
    return replace(
        content,
        measures=tuple(replace(m, every_nth_visit=1) for m in content.measures),
        risk_responder=content.risk_responder or DEMO_RESPONDER,
    )


def _spread(measure: Measure, total: int, rng: random.Random, *, keep_zero: str) -> dict[str, str]:
    """Answers to `measure`'s items adding up to `total` (`keep_zero`'s item stays at 0)."""
    by_score = {choice.score: choice.id for choice in measure.choices}
    top = max(by_score)
    items = [item.id for item in measure.items if item.id != keep_zero]
    scores = dict.fromkeys(items, 0)
    left = min(total, top * len(items))
    while left:
        item = rng.choice([i for i in items if scores[i] < top])
        scores[item] += 1
        left -= 1
    answers = {item: by_score[score] for item, score in scores.items()}
    if keep_zero in {item.id for item in measure.items}:
        answers[keep_zero] = by_score[0]
    if measure.difficulty is not None:
        choices = measure.difficulty.choices
        answers[measure.difficulty.id] = choices[
            min(len(choices) - 1, total * 4 // (top * len(items) + 1))
        ].id
    return answers


def _course(
    rng: random.Random, visits: int, start: tuple[int, int], end: tuple[int, int], highest: int
) -> list[int]:
    """A plausible course of totals: most patients improve over the first infusions and
    level off; some do not; each total a point or two either way."""
    first = rng.randint(*start)
    responds = rng.random() < 0.7
    last = rng.randint(*end) if responds else first - rng.randint(0, 3)
    pace = rng.uniform(1.5, 3.5)
    return [
        max(0, min(highest, round(last + (first - last) * math.exp(-n / pace) + rng.gauss(0, 1.2))))
        for n in range(visits)
    ]


# Demo answers never score the PHQ-9's item on self-harm above 0: a stored answer above 0
# without the alert the kiosk raises at once would teach the wrong thing about the desk.
_NEVER_IN_DEMO = "phq9-9"
# (starting range, range once improved) of each measure's totals in the demo.
_DEMO_COURSES = {"phq9": ((13, 23), (3, 9)), "gad7": ((9, 17), (2, 8))}


def _add_measure_answers(
    session: Session, content: ContentPack, made: list[_MadeVisit], rng: random.Random
) -> None:
    """Answers to every measure turned on, for each demo visit: a returning patient's
    totals follow a course across their visits, oldest first."""
    measures = [m for m in content.measures if m.turned_on]
    if not measures:
        return
    positions = {
        item: n
        for n, item in enumerate(
            [
                *(q.id for q in content.questions),
                *(i for m in content.measures for i in m.item_ids()),
            ]
        )
    }
    answers: list[dict[str, object]] = []
    for own in _by_patient(made).values():
        for measure in measures:
            start, end = _DEMO_COURSES.get(measure.id, ((5, 15), (0, 5)))
            totals = _course(rng, len(own), start, end, measure.highest_total)
            for visit, total in zip(own, totals, strict=True):
                when = visit.answers_confirmed_at or visit.finished_at
                for item, choice in _spread(measure, total, rng, keep_zero=_NEVER_IN_DEMO).items():
                    answers.append(
                        {
                            "visit_id": visit.id,
                            "question_id": item,
                            "position": positions[item],
                            "answer": choice,
                            "answered_at": when,
                        }
                    )
                if len(answers) >= _ROWS_PER_STATEMENT:
                    # Inserted as they come: 100,000 visits have nearly two million.
                    _insert(session, AnswerRow, answers)
                    answers = []
    if answers:
        _insert(session, AnswerRow, answers)


def add_demo_visits(
    session: Session,
    content: ContentPack,
    content_version_id: int,
    count: int,
    *,
    now: datetime,
    zone: ZoneInfo,
    force: bool = False,
) -> int:
    """Insert `count` demo visits; refuse a database with real visits unless `force`."""
    real = count_visits(session, demo=False)
    if real and not force:
        raise RealVisitsError(f"this database holds {real} real visits")
    tables = {
        "visits": VisitRow,
        "answers": AnswerRow,
        "slide_views": SlideViewRow,
        "acks": ConsentAcknowledgementRow,
        "flags": FlagRow,
        "teach_back": TeachBackAnswerRow,
    }
    publications = publications_of(session.connection(), content_version_id)
    made: list[_MadeVisit] = []
    for batch in demo_visits(content, content_version_id, count, now=now, zone=zone):
        made += (_MadeVisit.of(visit) for visit in batch["visits"])
        for visit in batch["visits"]:
            started = visit["started_at"]
            assert isinstance(started, datetime)
            visit["content_publication_id"] = publication_seen(publications, started)
        # Parents first, so foreign keys hold at every statement.
        for name, model in tables.items():
            if batch[name]:
                _insert(session, model, batch[name])
    _link_returning_patients(session, content, made)
    _add_measure_answers(session, content, made, random.Random(len(made)))
    return count
