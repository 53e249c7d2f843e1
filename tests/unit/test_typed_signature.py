"""A full name typed in place of a drawn signature, where the clinic allows it (no display)."""

from __future__ import annotations

import dataclasses
import io
import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from kiosk.content import Answer, ContentPack
from kiosk.database import Database
from kiosk.held_visits import HeldVisits, HoldReason
from kiosk.settings import SettingsError, load_settings
from kiosk.stored_visits import load_visit
from kiosk.summary import build_summary
from kiosk.visit import Step, TypedSignatureProblem, Visit, VisitError, same_name
from kiosk.visit_walk import SCRIBBLE, ManualClock, answer_teach_back
from tests.conftest import store_visit
from tests.databases import made_database


def at_consent(
    pack: ContentPack, clock: ManualClock, *, allowed: bool = True, acknowledge: bool = True
) -> Visit:
    """A visit by Ana García that has reached consent, every statement acknowledged."""
    visit = Visit(pack, clock=clock, typed_signature_allowed=allowed)
    visit.start()
    assert visit.enter_details("Ana", "García", "04/15/1968") == []
    for _ in pack.slides:
        visit.next_slide()
    answer_teach_back(visit)
    for _ in visit.questions:
        visit.answer(Answer.NO)
        visit.next_question()
    visit.confirm_answers()
    if acknowledge:
        for statement in pack.consent_statements:
            visit.acknowledge(statement.id)
    return visit


def signed_by_typing(pack: ContentPack, clock: ManualClock, typed: str = "ana garcía") -> Visit:
    """A whole visit signed by typing the patient's name, with a ride home."""
    visit = at_consent(pack, clock)
    clock.advance(6)
    assert visit.sign_typed(typed) == []
    assert visit.enter_ride_home("Luis García", "(555) 201-3344", "husband") == []
    return visit


def test_a_typed_name_that_matches_signs_and_is_kept_as_typed(
    pack: ContentPack, clock: ManualClock
) -> None:
    visit = at_consent(pack, clock)
    clock.advance(6)
    assert visit.sign_typed("  ana   GARCÍA ") == []
    assert visit.step is Step.RIDE_HOME
    assert visit.is_signed
    consent = visit.consent
    assert consent is not None
    assert consent.is_typed
    assert consent.typed_name == "ana GARCÍA"  # spaces tidied, case as typed
    assert consent.signed_name == "Ana García"  # who signed: the name they entered
    assert consent.signed_at == clock()
    assert (consent.signature, consent.png) == (None, None)


def test_case_spaces_and_unicode_forms_do_not_matter_but_letters_do() -> None:
    decomposed = unicodedata.normalize("NFD", "García")
    assert decomposed != "García"
    assert same_name(f"Ana {decomposed}", "Ana García")
    assert same_name("ANA GARCÍA", "Ana García")
    assert same_name("AnaGarcía", "Ana García")
    assert same_name("Ana\u00a0García", "Ana García")  # a no-break space is a space
    assert not same_name("Ana Garcia", "Ana García")  # a missing accent is another letter
    assert not same_name("Ana", "Ana García")
    assert not same_name("Ana Garcías", "Ana García")


def test_a_name_that_differs_is_refused_and_the_patient_stays_to_fix_it(
    pack: ContentPack, clock: ManualClock
) -> None:
    visit = at_consent(pack, clock)
    assert visit.sign_typed("Maria Lopez") == [TypedSignatureProblem.NAME_DIFFERS]
    assert visit.sign_typed("   ") == [TypedSignatureProblem.NAME_MISSING]
    assert visit.step is Step.CONSENT
    assert visit.consent is None
    assert visit.sign_typed("Ana García") == []
    assert visit.step is Step.RIDE_HOME


def test_a_typed_name_is_refused_where_the_clinic_does_not_allow_it(
    pack: ContentPack, clock: ManualClock
) -> None:
    visit = at_consent(pack, clock, allowed=False)
    with pytest.raises(VisitError, match="does not take a typed name"):
        visit.sign_typed("Ana García")
    assert visit.consent is None
    visit.sign(SCRIBBLE)  # drawing still works
    assert visit.step is Step.RIDE_HOME


def test_typing_a_name_needs_every_statement_acknowledged(
    pack: ContentPack, clock: ManualClock
) -> None:
    visit = at_consent(pack, clock, acknowledge=False)
    with pytest.raises(VisitError, match="acknowledged"):
        visit.sign_typed("Ana García")


def test_back_from_ride_home_means_typing_the_name_again(
    pack: ContentPack, clock: ManualClock
) -> None:
    visit = at_consent(pack, clock)
    assert visit.sign_typed("Ana García") == []
    visit.back()
    assert visit.step is Step.CONSENT
    assert visit.consent is None


def test_typed_signing_is_off_by_default_and_clinic_it_can_turn_it_on() -> None:
    assert load_settings().typed_signature is False
    assert load_settings(environ={"KIOSK_TYPED_SIGNATURE": "on"}).typed_signature is True
    with pytest.raises(SettingsError, match="KIOSK_TYPED_SIGNATURE must be on or off"):
        load_settings(environ={"KIOSK_TYPED_SIGNATURE": "perhaps"})


def test_a_typed_signature_is_stored_and_read_back(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    visit = signed_by_typing(pack, clock)
    store_visit(database, visit)
    with database.session() as session:
        record = load_visit(session, visit.id)
    assert record is not None
    assert record.typed_signature == "ana garcía"
    assert record.signed_name == "Ana García"
    assert record.signed_at == visit.consent.signed_at  # type: ignore[union-attr]
    assert record.signature_png is None


def test_a_drawn_signature_has_no_typed_name(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    visit = at_consent(pack, clock)
    visit.sign(SCRIBBLE)
    visit.no_ride_yet()
    store_visit(database, visit)
    with database.session() as session:
        record = load_visit(session, visit.id)
    assert record is not None
    assert record.typed_signature is None
    assert record.signature_png is not None


def test_the_summary_says_the_name_was_typed_instead_of_showing_a_drawing(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    visit = signed_by_typing(pack, clock, typed="Ana García")
    store_visit(database, visit)
    with database.session() as session:
        record = load_visit(session, visit.id)
    assert record is not None
    for for_patient in (False, True):
        pdf = build_summary(record, zone=ZoneInfo("America/Chicago"), for_patient=for_patient)
        reader = PdfReader(io.BytesIO(pdf))
        text = " ".join(reader.pages[0].extract_text().split())
        assert "Signed by typing their name: Ana García" in text
        assert "Not signed" not in text
        # No signature picture: the page carries only the QR code's drawing, no image.
        assert not list(reader.pages[0].images)


def test_a_held_visit_keeps_its_typed_signature(
    tmp_path: Path, pack: ContentPack, clock: ManualClock
) -> None:
    visit = signed_by_typing(pack, clock)
    at_once = made_database(f"sqlite:///{tmp_path / 'at-once.sqlite3'}")
    store_visit(at_once, visit)
    held = HeldVisits(tmp_path / "held")
    held.hold(
        visit, station="test-station", actor="kiosk:k1", reason=HoldReason.LOCKED, now=clock()
    )
    later = made_database(f"sqlite:///{tmp_path / 'later.sqlite3'}")
    assert held.store_all(later, now=clock) == [visit.id]
    with at_once.session() as first, later.session() as second:
        direct, kept = load_visit(first, visit.id), load_visit(second, visit.id)
    assert direct is not None
    assert kept is not None
    assert kept.typed_signature == "ana garcía"
    assert dataclasses.replace(kept, content_label=direct.content_label) == direct
    at_once.close()
    later.close()
