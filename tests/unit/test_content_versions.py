"""Content versions: the bundled pack first, each published version kept, trial folders apart."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from kiosk.content import ContentPack
from kiosk.content_versions import content_in_use, newest_content, publish_content
from kiosk.database import Database
from kiosk.models import ContentVersionRow
from kiosk.pack_loader import load_pack
from kiosk.stored_visits import load_visit
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import store_visit


def test_first_start_makes_the_bundled_pack_version_1(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    with database.session() as session, session.begin():
        row, used = content_in_use(session, None, clock())
        assert (row.id, row.sha256, used) == (1, pack.version, pack)
    with database.session() as session, session.begin():
        again, _ = content_in_use(session, None, clock())
        assert again.id == 1
        assert session.scalar(select(ContentVersionRow.id).where(ContentVersionRow.id > 1)) is None


def test_a_visit_keeps_the_text_it_was_shown_after_a_new_version(
    database: Database, pack: ContentPack, clock: ManualClock, pack_copy: Path
) -> None:
    visit = walk_visit(pack, clock)
    store_visit(database, visit)
    questions = pack_copy / "questions.yaml"
    questions.write_text(
        questions.read_text().replace(
            "Are you pregnant, or could you be pregnant?", "Could you be pregnant?"
        )
    )
    newer = load_pack(pack_copy)
    with database.session() as session, session.begin():
        publish_content(session, newer, label="wording update", published_by="test", now=clock())
    with database.session() as session, session.begin():
        row, used = content_in_use(session, None, clock())
        assert used.version == newer.version
        assert row.id == 2
        record = load_visit(session, visit.id)
    assert record is not None
    assert record.answers[-1].question_text == "Are you pregnant, or could you be pregnant?"
    assert record.content_version == pack.version


def test_a_trial_folder_is_stored_but_never_becomes_the_clinics_content(
    database: Database, pack_copy: Path, clock: ManualClock, pack: ContentPack
) -> None:
    slides = pack_copy / "slides.yaml"
    slides.write_text(slides.read_text().replace("Common side effects", "Usual side effects"))
    with database.session() as session, session.begin():
        trial, used = content_in_use(session, pack_copy, clock())
        assert used.slides[2].title == "Usual side effects"
        assert trial.sha256 == used.version != pack.version
        assert trial.id != newest_content(session).id  # type: ignore[union-attr]
        assert trial.id == 2  # the bundled pack became version 1 first
    with database.session() as session, session.begin():
        row, in_use = content_in_use(session, None, clock())
    assert (row.id, in_use.version) == (1, pack.version)
