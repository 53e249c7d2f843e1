"""The risk path in the domain: the rule, the alert with the visit so far, what the
patient reads, and Check refusing a PHQ-9 nobody answers for (issue 28, item 4)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.actor import Actor, Role, StaffMember
from kiosk.alerts import AlertError, AlertKind, Alerts
from kiosk.audit import entries
from kiosk.check_in import CheckIn
from kiosk.content import Answer, ContentPack
from kiosk.database import Database, open_database
from kiosk.draft_check import draft_problems
from kiosk.models import AlertRow, PartialVisitRow
from kiosk.pack_loader import ContentPackError, load_pack
from kiosk.publishing import PublishError, publish
from kiosk.risk import (
    SELF_HARM_ITEM,
    RiskRequest,
    RiskState,
    RiskWording,
    held_partial_visits,
    raises_risk,
    read_aloud_skips,
    risk_path_problems,
)
from kiosk.settings import Settings, load_settings
from kiosk.visit import KioskTiming, Step, Visit
from kiosk.visit_walk import ManualClock
from tests.risk_pack import RESPONDER, add_item_9

MARIA = StaffMember(1, "maria", frozenset({Role.STAFF}))
ADMIN = StaffMember(2, "ines", frozenset({Role.ADMIN}))
DR_OKAFOR = StaffMember(3, "okafor", frozenset({Role.CLINICIAN}))


def as_staff(member: StaffMember) -> Actor:
    return Actor.staff(member, station="front-desk", now=datetime.now(UTC))


def desk() -> Actor:
    return Actor.system(station="front-desk", now=datetime.now(UTC))


@pytest.fixture
def risk_pack_dir(pack_copy: Path) -> Path:
    return add_item_9(pack_copy)


@pytest.fixture
def risk_pack(risk_pack_dir: Path) -> ContentPack:
    return load_pack(risk_pack_dir)


# --- the rule ---------------------------------------------------------------------------
def test_the_rule_follows_the_items_id_and_any_score_above_zero(risk_pack: ContentPack) -> None:
    assert raises_risk("phq9-9", 1)
    assert raises_risk("phq9-9", 3)
    assert not raises_risk("phq9-9", 0)
    assert not raises_risk("phq9-8", 3)
    phq9 = risk_pack.measure("phq9")
    assert phq9.turned_on
    assert SELF_HARM_ITEM in {item.id for item in phq9.items}
    assert phq9.score("not-at-all") == 0
    for answer in ("several-days", "more-than-half-the-days", "nearly-every-day"):
        assert raises_risk(SELF_HARM_ITEM, phq9.score(answer) or 0)


# --- Check ------------------------------------------------------------------------------
def test_check_refuses_a_phq9_while_nobody_is_named_to_respond(pack_copy: Path) -> None:
    pack = load_pack(add_item_9(pack_copy, responder=""))
    assert pack.risk_responder == ""
    [problem] = risk_path_problems(pack)
    assert "cannot be turned on until the clinic names who responds" in problem
    shown = [p.words for p in draft_problems(pack, {}) if p.blocks]
    assert problem in shown
    named = dataclasses.replace(pack, risk_responder=RESPONDER)
    assert risk_path_problems(named) == []
    assert not any("who responds" in p.words for p in draft_problems(named, {}))


def test_publishing_a_phq9_with_nobody_to_respond_is_refused(
    database: Database, pack_copy: Path
) -> None:
    pack = load_pack(add_item_9(pack_copy, responder=""))
    with (
        database.session() as session,
        session.begin(),
        pytest.raises(PublishError) as refused,
    ):
        publish(session, pack, label="with the PHQ-9", by=as_staff(ADMIN))
    assert any("names who responds" in problem for problem in refused.value.problems)


def test_check_refuses_a_phq9_without_its_self_harm_item(risk_pack: ContentPack) -> None:
    def phq9_items(keep: Callable[[str], str | None]) -> ContentPack:
        measures = tuple(
            dataclasses.replace(
                m,
                items=tuple(
                    dataclasses.replace(item, id=new)
                    for item in m.items
                    if (new := keep(item.id)) is not None
                ),
            )
            if m.id == "phq9"
            else m
            for m in risk_pack.measures
        )
        return dataclasses.replace(risk_pack, measures=measures)

    renamed = phq9_items(lambda item_id: "phq9-10" if item_id == SELF_HARM_ITEM else item_id)
    [problem] = risk_path_problems(renamed)
    assert "has no item \u201cphq9-9\u201d" in problem
    dropped = phq9_items(lambda item_id: None if item_id == SELF_HARM_ITEM else item_id)
    [problem] = risk_path_problems(dropped)
    assert "has no item \u201cphq9-9\u201d" in problem
    # No PHQ-9 at all: nothing to say.
    plain = dataclasses.replace(
        risk_pack, measures=tuple(m for m in risk_pack.measures if m.id != "phq9")
    )
    assert risk_path_problems(plain) == []


def test_who_responds_and_headphones_are_published_with_the_content(
    pack_copy: Path, risk_pack: ContentPack
) -> None:
    assert risk_pack.risk_responder == RESPONDER
    assert not risk_pack.kiosk_has_headphones
    assert read_aloud_skips(risk_pack, SELF_HARM_ITEM)
    assert not read_aloud_skips(risk_pack, "psychosis")
    with_headphones = dataclasses.replace(risk_pack, kiosk_has_headphones=True)
    assert not read_aloud_skips(with_headphones, SELF_HARM_ITEM)
    # A setting of the content: another responder is another content version.
    other = dataclasses.replace(risk_pack, risk_responder="Dr. Okafor")
    assert other.version != risk_pack.version
    assert with_headphones.version != risk_pack.version
    # Written out and read back (the editor's publish and export) it stays.
    from kiosk.draft_check import check_pack

    assert check_pack(other).risk_responder == "Dr. Okafor"
    assert check_pack(with_headphones).kiosk_has_headphones


# --- what the patient reads -------------------------------------------------------------
def test_the_patient_is_told_someone_comes_only_once_a_desk_acknowledged() -> None:
    clock = ManualClock()
    request = RiskRequest(clock)
    assert request.wording() is RiskWording.TALK_NOW
    request.raised(7)
    request.heard(RiskState(shown=True, acknowledged=False, cleared=False))
    clock.advance(59)
    assert request.wording() is RiskWording.TALK_NOW
    request.heard(RiskState(shown=True, acknowledged=True, cleared=False))
    assert request.wording() is RiskWording.COMING


def test_no_desk_showing_it_in_15_seconds_sends_the_patient_to_the_desk() -> None:
    clock = ManualClock()
    request = RiskRequest(clock)
    request.raised(7)
    clock.advance(14.9)
    assert request.wording() is RiskWording.TALK_NOW
    clock.advance(0.1)
    assert request.wording() is RiskWording.GO_TO_DESK


def test_no_desk_acknowledging_it_in_60_seconds_sends_the_patient_to_the_desk() -> None:
    clock = ManualClock()
    request = RiskRequest(clock)
    request.raised(7)
    request.heard(RiskState(shown=True, acknowledged=False, cleared=False))
    clock.advance(60)
    assert request.wording() is RiskWording.GO_TO_DESK
    # Acknowledged late: now someone is coming after all.
    request.heard(RiskState(shown=True, acknowledged=True, cleared=False))
    assert request.wording() is RiskWording.COMING


def test_an_alert_that_could_not_be_raised_sends_the_patient_to_the_desk_at_once() -> None:
    request = RiskRequest(ManualClock())
    request.raised(None)
    assert request.wording() is RiskWording.GO_TO_DESK


# --- the alert and the visit so far -------------------------------------------------------
def _settings(tmp_path: Path, content_dir: Path) -> Settings:
    return load_settings(
        {
            "database_url": f"sqlite:///{tmp_path / 'kiosk.sqlite3'}",
            "held_visits_dir": tmp_path / "held",
            "content_dir": content_dir,
        }
    )


def _service(database: Database, settings: Settings, clock: ManualClock) -> CheckIn:
    return CheckIn(
        database, settings, station="lobby", clock=clock, timing=KioskTiming(), idle_clock=clock
    )


def _to_item_9(service: CheckIn, clock: ManualClock) -> Visit:
    visit = service.start(language="")
    assert visit is not None
    assert service.enter_details("Ana", "García", "04/15/1968") == []
    for _ in visit.content.slides:
        clock.advance(7)
        service.next_slide()
    while visit.step is Step.TEACH_BACK:
        service.answer_teach_back(str(visit.teach_back_question.right_answer))
    while (question := visit.questions[visit.question_index]).id != SELF_HARM_ITEM:
        service.answer("not-at-all" if question.measure else Answer.NO)
    return visit


def test_several_days_raises_the_alert_with_the_visit_so_far_before_the_visit_ends(
    database: Database, tmp_path: Path, risk_pack_dir: Path
) -> None:
    clock = ManualClock()
    service = _service(database, _settings(tmp_path, risk_pack_dir), clock)
    heard: list[RiskWording] = []
    service.listen_for_risk(lambda request: heard.append(request.wording()))
    visit = _to_item_9(service, clock)
    service.answer("several-days")
    assert visit.step is Step.QUESTIONS  # the visit goes on; the alert is already up
    request = service.risk
    assert request is not None
    assert request.alert_id is not None
    assert heard == [RiskWording.TALK_NOW, RiskWording.TALK_NOW]
    alerts = Alerts(database)
    [alert] = alerts.board(desk()).alerts
    assert alert.kind is AlertKind.RISK_ANSWER
    assert alert.visit_id == visit.id
    # Every desk reads it, signed in or not: no name, who responds.
    assert "Ana" not in alert.detail
    assert "García" not in alert.detail
    assert RESPONDER in alert.detail
    # The most urgent of all.
    help_id = alerts.ask_for_help("consent", Actor.kiosk(station="other", now=clock()))
    assert [a.kind for a in alerts.board(desk()).alerts] == [
        AlertKind.RISK_ANSWER,
        AlertKind.HELP_REQUESTED,
    ]
    alerts.clear(help_id, as_staff(MARIA))
    # Back, a changed answer, the idle timeout: nothing takes it back, nothing raises twice.
    assert visit.questions[visit.question_index].id == "phq9-difficulty"
    service.back()
    assert visit.questions[visit.question_index].id == SELF_HARM_ITEM
    service.answer("not-at-all")  # the answer changed
    service.answer_recorded(SELF_HARM_ITEM, 3)
    service.end()
    assert [a.id for a in alerts.board(desk()).alerts] == [alert.id]
    with database.session() as session:
        [partial] = session.scalars(select(PartialVisitRow)).all()
        assert (partial.first_name, partial.last_name) == ("Ana", "García")
        assert partial.alert_id == alert.id
        assert partial.visit_id == visit.id
        answers = json.loads(partial.answers)
        assert answers[-1][:2] == [SELF_HARM_ITEM, "several-days"]
        trail = [(e.actor, e.action, e.visit_id) for e in entries(session)]
    assert ("kiosk:lobby", "alert_raised", visit.id) in trail
    # Only a signed-in account sees who it is (audited).
    with pytest.raises(AlertError, match="sign in"):
        alerts.open_risk(alert.id, desk())
    opened = alerts.open_risk(alert.id, as_staff(MARIA))
    assert (opened.partial.first_name, opened.partial.last_name) == ("Ana", "García")
    assert opened.answers[-1][1] == "Several days"
    assert "Thoughts that you would be better off dead" in opened.answers[-1][0]


def test_any_signed_in_account_acknowledges_with_a_note_and_only_a_clinician_closes(
    database: Database, tmp_path: Path, risk_pack_dir: Path
) -> None:
    clock = ManualClock()
    service = _service(database, _settings(tmp_path, risk_pack_dir), clock)
    _to_item_9(service, clock)
    service.answer("more-than-half-the-days")
    assert service.risk is not None
    alert_id = service.risk.alert_id
    assert alert_id is not None
    alerts = Alerts(database)
    with pytest.raises(AlertError, match="signed-in account"):
        alerts.acknowledge(alert_id, "on my way", desk())
    with pytest.raises(AlertError, match="write a note"):
        alerts.acknowledge(alert_id, "  ", as_staff(ADMIN))
    with pytest.raises(AlertError, match="acknowledge the alert first"):
        alerts.clear(alert_id, as_staff(DR_OKAFOR), "talked with her")
    # An admin-only account is a signed-in account too.
    alerts.acknowledge(alert_id, "Ines is with the patient", as_staff(ADMIN))
    assert alerts.risk_state(alert_id, station="lobby") == RiskState(True, True, False)
    with pytest.raises(AlertError, match="only a clinician"):
        alerts.clear(alert_id, as_staff(MARIA), "done")
    with pytest.raises(AlertError, match="write a note"):
        alerts.clear(alert_id, as_staff(DR_OKAFOR))
    alerts.clear(alert_id, as_staff(DR_OKAFOR), "Safety plan reviewed with the patient")
    assert alerts.board(desk()).alerts == ()
    assert alerts.risk_state(alert_id, station="lobby").cleared
    with database.session() as session:
        row = session.get(AlertRow, alert_id)
        assert row is not None
        assert row.acknowledgement_note == "Ines is with the patient"
        assert row.clearing_note == "Safety plan reviewed with the patient"
        assert row.cleared_by == "user:okafor"
        trail = [(e.actor, e.action) for e in entries(session)]
    assert ("user:ines", "alert_acknowledged") in trail
    assert ("user:okafor", "alert_cleared") in trail


def test_an_unwritable_database_holds_the_alert_on_the_kiosk_and_raises_it_later(
    database: Database, tmp_path: Path, risk_pack_dir: Path
) -> None:
    clock = ManualClock()
    settings = _settings(tmp_path, risk_pack_dir)
    service = _service(database, settings, clock)
    # The content is read while the database can be; then it becomes read-only.
    assert service.content() is not None
    if database.engine.dialect.name != "sqlite":
        pytest.skip("a read-only file is SQLite's; the server's side is tested in its roles")
    path = database.engine.url.database
    read_only = open_database(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        service.database = read_only
        visit = _to_item_9(service, clock)
        service.answer("nearly-every-day")
        request = service.risk
        assert request is not None
        assert request.failed
        assert request.wording() is RiskWording.GO_TO_DESK
        [(_, held)] = held_partial_visits(settings.held_visits_dir)
        assert (held.visit_id, held.first_name) == (visit.id, "Ana")
        service.end()
    finally:
        read_only.close()
    service.database = database
    assert Alerts(database).board(desk()).alerts == ()
    service.store_waiting_visits()
    [alert] = Alerts(database).board(desk()).alerts
    assert (alert.kind, alert.visit_id) == (AlertKind.RISK_ANSWER, visit.id)
    assert held_partial_visits(settings.held_visits_dir) == []


def test_a_closed_risk_alert_and_its_patient_go_with_retention_an_open_one_never(
    database: Database, tmp_path: Path, risk_pack_dir: Path
) -> None:
    from datetime import timedelta

    from kiosk.retention import purge_older_than

    clock = ManualClock()
    service = _service(database, _settings(tmp_path, risk_pack_dir), clock)
    alerts = Alerts(database)
    raised = []
    for _ in range(2):
        _to_item_9(service, clock)
        service.answer("several-days")
        assert service.risk is not None
        assert service.risk.alert_id is not None
        raised.append(service.risk.alert_id)
        service.end()
    closed, still_open = raised
    alerts.acknowledge(closed, "Maria went over", as_staff(MARIA))
    alerts.clear(closed, as_staff(DR_OKAFOR), "Seen by Dr. Okafor")
    later = Actor.command_line(station="desk-1", now=datetime.now(UTC) + timedelta(days=400))
    purge_older_than(database, 30, later)
    assert [a.id for a in alerts.board(desk()).alerts] == [still_open]
    with database.session() as session:
        kept = [row.alert_id for row in session.scalars(select(PartialVisitRow))]
    assert kept == [still_open]


def test_a_pack_whose_phq9_lost_its_self_harm_item_is_refused_naming_file_and_line(
    pack_copy: Path,
) -> None:
    measures = pack_copy / "measures.yaml"
    measures.write_text(measures.read_text("utf-8").replace("id: phq9-9", "id: phq9-10"), "utf-8")
    with pytest.raises(ContentPackError) as refused:
        load_pack(pack_copy)
    [problem] = [p for p in refused.value.problems if "phq9-9" in str(p)]
    assert (problem.file, problem.line) == ("measures.yaml", 16)
    assert "thoughts of self-harm" in problem.message
