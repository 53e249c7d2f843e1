"""The check-in service owns a visit from Start to stored, without Qt."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from kiosk.check_in import CheckIn, IdleAction, Outcome, VisitEnd, steady_clock
from kiosk.content import Answer
from kiosk.database import Database, open_database
from kiosk.models import VisitRow
from kiosk.settings import Settings, load_settings
from kiosk.signature import Signature
from kiosk.visit import KioskTiming, Step, Visit
from kiosk.visit_walk import SCRIBBLE, ManualClock
from tests.conftest import another_writer, url_of


class Heard:
    """A listener that keeps what the service announced, as the window would show it."""

    def __init__(self) -> None:
        self.steps: list[Step] = []
        self.ends: list[VisitEnd] = []
        self.stored_later: list[str] = []

    def visit_changed(self, visit: Visit) -> None:
        self.steps.append(visit.step)

    def visit_finished(self, end: VisitEnd) -> None:
        self.ends.append(end)

    def held_visit_stored(self, visit_id: str) -> None:
        self.stored_later.append(visit_id)


def _settings(tmp_path: Path) -> Settings:
    return load_settings(
        {
            "database_url": f"sqlite:///{tmp_path / 'kiosk.sqlite3'}",
            "held_visits_dir": tmp_path / "held",
        }
    )


def _service(tmp_path: Path, database: Database, clock: ManualClock) -> tuple[CheckIn, Heard]:
    service = CheckIn(
        database,
        _settings(tmp_path),
        station="lobby",
        clock=clock,
        timing=KioskTiming(),
        idle_clock=clock,
    )
    heard = Heard()
    service.listen(heard)
    return service, heard


def _to_consent(service: CheckIn, clock: ManualClock, *, flagged: str | None = None) -> Visit:
    visit = service.start(language="")
    assert visit is not None
    assert service.enter_details("Ana", "García", "04/15/1968") == []
    if isinstance(service.errands, Later):
        service.errands.run_all()  # which flow to run, asked as a kiosk's worker asks it
    for _ in visit.content.slides:
        clock.advance(7)
        service.next_slide()
    while visit.step.value == "teach_back":  # every teach-back answer right
        service.answer_teach_back(str(visit.teach_back_question.right_answer))
    for question in visit.questions:
        if question.id == flagged:
            service.answer(Answer.YES)
            assert visit.step is Step.QUESTIONS, "a flagged answer waits for Continue"
            service.continue_after_answer()
        else:
            service.answer(Answer.NO)
    service.confirm_answers()
    assert visit.step is Step.CONSENT
    return visit


def _visits(database: Database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(VisitRow)) or 0


def test_a_whole_visit_is_stored_and_every_step_announced(
    tmp_path: Path, database: Database, clock: ManualClock
) -> None:
    service, heard = _service(tmp_path, database, clock)
    visit = _to_consent(service, clock)
    service.sign(SCRIBBLE)
    assert visit.step is Step.CONSENT, "no signature before the statements are acknowledged"
    for statement in visit.content.consent_statements:
        service.acknowledge(statement.id)
    service.sign(Signature((), 400, 120))
    assert visit.step is Step.CONSENT, "an empty pad is no signature"
    service.sign(SCRIBBLE)
    assert service.enter_ride_home("Luis García", "(555) 201-3344", "husband") == []

    assert heard.ends == [
        # Done shows at once, "saving", and then what became of the visit.
        VisitEnd(visit.id, Outcome.SAVING, stopped_to_talk=False, flagged=False),
        VisitEnd(visit.id, Outcome.STORED, stopped_to_talk=False, flagged=False),
    ]
    assert heard.steps[-1] is Step.DONE
    assert Step.SLIDES in heard.steps
    assert Step.RIDE_HOME in heard.steps
    assert _visits(database) == 1


class Later:
    """Errands kept until `run_all`, as a kiosk's worker thread would do them later."""

    def __init__(self) -> None:
        self.waiting: list[Callable[[], None]] = []

    def run(self, work: Callable[[], Any], then: Callable[[Any], None]) -> None:
        self.waiting.append(lambda: then(work()))

    def run_after_showing(self, work: Callable[[], Any], then: Callable[[Any], None]) -> None:
        self.run(work, then)

    def run_all(self) -> None:
        while self.waiting:
            self.waiting.pop(0)()


def test_which_flow_to_run_is_an_errand_and_the_details_wait_for_its_answer(
    tmp_path: Path, database: Database, clock: ManualClock
) -> None:
    later = Later()
    service = CheckIn(database, _settings(tmp_path), station="lobby", clock=clock, errands=later)
    heard = Heard()
    service.listen(heard)
    visit = service.start(language="")
    assert visit is not None
    # Problems are said at once: nothing is asked of the database for them.
    assert service.enter_details("", "García", "04/15/1968") != []
    assert later.waiting == []
    assert service.enter_details("Ana", "García", "04/15/1968") == []
    assert (visit.step, service.finding_flow) == (Step.DETAILS, True)
    # A second Continue while it is asked asks nothing more.
    assert service.enter_details("Ana", "García", "04/15/1968") == []
    assert len(later.waiting) == 1
    later.run_all()
    assert (visit.step, service.finding_flow) == (Step.SLIDES, False)
    assert heard.steps[-1] is Step.SLIDES


def test_the_last_tap_announces_done_before_the_database_is_asked(
    tmp_path: Path, database: Database, clock: ManualClock
) -> None:
    later = Later()
    service = CheckIn(database, _settings(tmp_path), station="lobby", clock=clock, errands=later)
    heard = Heard()
    service.listen(heard)
    visit = _to_consent(service, clock)
    service.talk_first()

    assert [end.outcome for end in heard.ends] == [Outcome.SAVING]
    assert heard.steps[-1] is Step.DONE
    assert _visits(database) == 0, "nothing is stored on the patient's tap itself"
    assert set(service.saving) == {visit.id}

    later.run_all()
    assert [end.outcome for end in heard.ends] == [Outcome.SAVING, Outcome.STORED]
    assert _visits(database) == 1
    assert service.saving == {}


def test_a_visit_whose_save_never_ran_is_stored_when_the_kiosk_closes(
    tmp_path: Path, database: Database, clock: ManualClock
) -> None:
    """Staff close the kiosk in the moment between a patient's Done and its save."""
    later = Later()
    service = CheckIn(database, _settings(tmp_path), station="lobby", clock=clock, errands=later)
    _to_consent(service, clock)
    service.talk_first()
    assert _visits(database) == 0

    assert service.keep_before_closing() == [Outcome.STORED]
    assert _visits(database) == 1
    assert service.saving == {}
    # The save that was queued runs after all (a worker still busy at closing): the
    # visit is there once.
    later.run_all()
    assert _visits(database) == 1
    assert service.keep_before_closing() == []


@pytest.mark.parametrize("database_engine", ["sqlite"])  # a file that goes
def test_a_visit_whose_save_never_ran_is_held_when_the_kiosk_closes_without_its_database(
    tmp_path: Path, database: Database, clock: ManualClock
) -> None:
    later = Later()
    service = CheckIn(database, _settings(tmp_path), station="lobby", clock=clock, errands=later)
    visit = _to_consent(service, clock)
    service.talk_first()
    database.close()
    assert database.file is not None
    database.file.unlink()

    assert service.keep_before_closing() == [Outcome.HELD]
    assert [held.visit_id for held in service.held_visits.held()] == [visit.id]


def _retry(service: CheckIn) -> list[str]:
    """Try the waiting visits again; which were stored."""
    stored: list[list[str]] = []
    service.store_waiting_visits(stored.append)
    return stored[0]


def test_a_visit_the_database_cannot_take_waits_on_the_kiosk_and_is_stored_once_later(
    tmp_path: Path, database: Database, clock: ManualClock
) -> None:
    quick = open_database(url_of(database), busy_timeout_ms=100)
    service, heard = _service(tmp_path, quick, clock)
    content = service.content()
    assert content is not None
    visit = _to_consent(service, clock, flagged=content.questions[0].id)
    # Another program holds the write lock past the busy timeout.
    with another_writer(database):
        service.talk_first()

    assert heard.ends[-1].outcome is Outcome.HELD
    assert heard.ends[-1].kept_on_kiosk
    assert heard.ends[-1].stopped_to_talk
    assert heard.ends[-1].flagged
    assert _visits(database) == 0
    assert service.visits_waiting

    service.end()
    assert _retry(service) == [visit.id]
    assert _retry(service) == []
    assert heard.stored_later == [visit.id]
    assert _visits(database) == 1
    assert not service.visits_waiting
    quick.close()


def test_nothing_waiting_is_retried_while_a_patient_is_at_the_screen(
    tmp_path: Path, database: Database, clock: ManualClock
) -> None:
    service, _ = _service(tmp_path, database, clock)
    assert service.start(language="") is not None
    assert _retry(service) == []


@pytest.mark.parametrize("database_engine", ["sqlite"])  # it moves the database's file away
def test_a_disk_that_cannot_hold_visits_pauses_check_in_until_they_are_stored(
    tmp_path: Path, database: Database, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = load_settings(
        {
            "database_url": f"sqlite:///{tmp_path / 'kiosk.sqlite3'}",
            # A file where the folder should be: holding fails as on a full disk.
            "held_visits_dir": tmp_path / "not-a-folder",
        }
    )
    (tmp_path / "not-a-folder").write_text("")
    # Nor the fallback beside the logs (the same full disk).
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "not-a-folder"))
    service = CheckIn(database, settings, station="lobby", clock=clock)
    heard = Heard()
    service.listen(heard)
    # The content is read while the database is still there, as at the kiosk's start.
    assert service.content() is not None
    database.engine.dispose()
    (tmp_path / "kiosk.sqlite3").rename(tmp_path / "away.sqlite3")

    _to_consent(service, clock)
    service.talk_first()

    assert heard.ends[-1].outcome is Outcome.IN_MEMORY
    service.end()
    assert service.paused
    assert service.start(language="") is None, "no new check-in while a visit is only in memory"

    (tmp_path / "away.sqlite3").rename(tmp_path / "kiosk.sqlite3")
    assert len(_retry(service)) == 1
    assert not service.paused
    assert _visits(database) == 1


def test_the_idle_policy_asks_only_after_the_wait_and_never_while_the_voice_reads(
    tmp_path: Path, database: Database, clock: ManualClock
) -> None:
    service, _ = _service(tmp_path, database, clock)
    visit = service.start(language="")
    assert visit is not None
    idle = service.idle
    clock.advance(89)
    assert idle.when_idle(step=visit.step, listening=False) is IdleAction.WAIT
    clock.advance(1)
    assert idle.when_idle(step=visit.step, listening=True) is IdleAction.WAIT
    assert idle.when_idle(step=visit.step, listening=False) is IdleAction.ASK
    assert idle.when_idle(step=Step.DONE, listening=False) is IdleAction.WAIT

    idle.touched()
    idle.wait_longer(3)
    clock.advance(90 * 3 - 1)
    assert idle.when_idle(step=visit.step, listening=False) is IdleAction.WAIT
    clock.advance(1)
    assert idle.when_idle(step=visit.step, listening=False) is IdleAction.ASK
    countdown = [idle.count_down() for _ in range(idle.timing.countdown_seconds)]
    assert countdown[-1] == 0
    assert countdown[0] == idle.timing.countdown_seconds - 1

    service.end()
    assert service.visit is None
    assert idle.wait_seconds == 90, "the next patient starts with the usual wait"


def test_a_clock_set_back_never_keeps_a_walked_away_patients_screen_up_longer(
    tmp_path: Path, database: Database, clock: ManualClock
) -> None:
    service, _ = _service(tmp_path, database, clock)
    visit = service.start(language="")
    assert visit is not None
    clock.advance(-3600)  # the computer's time corrected an hour back
    assert service.idle.seconds_left() == service.idle.wait_seconds
    clock.advance(90)
    assert service.idle.when_idle(step=visit.step, listening=False) is IdleAction.ASK


def test_the_kiosk_measures_pauses_on_a_clock_that_only_moves_forward(
    tmp_path: Path, database: Database
) -> None:
    service = CheckIn(database, _settings(tmp_path), station="lobby")
    assert service.idle.clock is steady_clock
