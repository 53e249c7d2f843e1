"""Publishing content: drafts, versions with who and when, restores, export and import.

A publish is one transaction: one that fails half-way (a full disk, a crash) leaves the
previous version in force. Every stored visit keeps the text it showed.
"""

from __future__ import annotations

import io
import random
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import text

from kiosk.actor import Actor, ActorKind
from kiosk.audit import entries
from kiosk.content import Answer, ContentPack, Slide
from kiosk.content_versions import content_in_use, publish_content
from kiosk.database import Database, open_database, upgrade_database
from kiosk.pack_archive import ExportError, export_pack, read_pack
from kiosk.pack_loader import ContentPackError
from kiosk.publishing import (
    PublishError,
    check_pack,
    contraindication_changes,
    current_draft,
    discard_draft,
    export_content,
    find_publication,
    import_draft,
    new_item_id,
    publish,
    publish_draft,
    restore,
    save_draft,
    version_content,
    versions,
)
from kiosk.stored_visits import load_visit
from kiosk.summary import build_summary
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import store_visit
from tests.databases import made_at_revision


def _stamp(clock: ManualClock, who: str = "user:maria") -> Actor:
    kind, name = who.split(":")
    return Actor(ActorKind(kind), name, "desk-1", clock())


def _reworded(pack: ContentPack, old: str, new: str) -> ContentPack:
    questions = tuple(
        replace(q, text=q.text.replace(old, new)) if old in q.text else q for q in pack.questions
    )
    assert questions != pack.questions
    return replace(pack, questions=questions)


def _in_use(database: Database, clock: ManualClock) -> ContentPack:
    with database.session() as session, session.begin():
        return content_in_use(session, None, clock())[1]


def _with_picture(pack: ContentPack, size: tuple[int, int] = (64, 48)) -> ContentPack:
    out = io.BytesIO()
    # Seeded noise: the same picture every time, and it does not compress.
    noise = random.Random(6).randbytes(size[0] * size[1] * 3)
    Image.frombytes("RGB", size, noise).save(out, format="PNG")
    first = replace(pack.slides[0], picture="pictures/room.png", picture_alt="A quiet room")
    translations = {
        language: {**words, f"slide.{first.id}.picture_alt": f"({language}) A quiet room"}
        for language, words in pack.translations.items()
    }
    return replace(
        pack,
        slides=(first, *pack.slides[1:]),
        # The bundled first slide's own picture replaced, the other slides' kept.
        pictures={
            **{n: d for n, d in pack.pictures.items() if n != pack.slides[0].picture},
            "pictures/room.png": out.getvalue(),
        },
        logo="pictures/room.png",
        translations=translations,
    )


# --- export and import ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["exported", "exported.zip"])
def test_export_then_import_gives_the_same_version(
    tmp_path: Path, pack: ContentPack, name: str
) -> None:
    pictured = check_pack(_with_picture(pack))
    export_pack(pictured, tmp_path / name)
    again = read_pack(tmp_path / name)
    assert again == pictured
    assert again.version == pictured.version
    assert not list(tmp_path.glob("*.partial"))


def test_export_refuses_a_folder_that_holds_files(tmp_path: Path, pack: ContentPack) -> None:
    (tmp_path / "clinic").mkdir()
    (tmp_path / "clinic" / "notes.txt").write_text("mine")
    with pytest.raises(ExportError, match="already exists and is not an empty folder"):
        export_pack(pack, tmp_path / "clinic")
    assert [p.name for p in (tmp_path / "clinic").iterdir()] == ["notes.txt"]


def test_importing_makes_a_draft_and_leaves_the_content_in_use(
    database: Database, pack: ContentPack, clock: ManualClock, tmp_path: Path
) -> None:
    newer = _reworded(pack, "Are you pregnant", "Could you be pregnant")
    export_pack(newer, tmp_path / "newer.zip")
    with database.session() as session, session.begin():
        draft = import_draft(session, tmp_path / "newer.zip", by=_stamp(clock))
    assert draft.pack.version == newer.version
    assert draft.based_on == pack.version
    assert _in_use(database, clock) == pack
    with database.session() as session:
        assert current_draft(session) == draft
        actions = [e.action for e in entries(session)]
    assert actions[-2:] == ["content_draft_saved", "content_imported"]


def test_a_bad_import_changes_nothing(
    database: Database, pack: ContentPack, clock: ManualClock, tmp_path: Path
) -> None:
    export_pack(pack, tmp_path / "bad")
    (tmp_path / "bad" / "slides.yaml").write_text("slides: []\n")
    with database.session() as session, session.begin():
        save_draft(session, replace(pack, clinic_name="Draft Clinic"), by=_stamp(clock))
    with (
        database.session() as session,
        pytest.raises(ContentPackError, match="at least one item"),
        session.begin(),
    ):
        import_draft(session, tmp_path / "bad", by=_stamp(clock))
    with database.session() as session:
        draft = current_draft(session)
    assert draft is not None
    assert draft.pack.clinic_name == "Draft Clinic"


# --- the draft -----------------------------------------------------------------------------------


def test_the_draft_is_kept_replaced_and_discarded(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    unfinished = replace(pack, slides=(Slide("new-slide", "", ""), *pack.slides))
    with database.session() as session, session.begin():
        assert current_draft(session) is None
        save_draft(session, unfinished, by=_stamp(clock))  # problems are allowed in a draft
    with database.session() as session, session.begin():
        draft = current_draft(session)
        assert draft is not None
        assert (draft.pack, draft.saved_by, draft.saved_at) == (unfinished, "user:maria", clock())
        clock.advance(60)
        save_draft(session, _with_picture(pack), by=_stamp(clock, "user:li"))
    with database.session() as session, session.begin():
        draft = current_draft(session)
        assert draft is not None
        assert draft.saved_by == "user:li"
        assert draft.pack.pictures == _with_picture(pack).pictures
        discard_draft(session, by=_stamp(clock))
    with database.session() as session:
        assert current_draft(session) is None
    assert _in_use(database, clock) == pack


# --- publishing ----------------------------------------------------------------------------------


def test_publishing_records_who_when_and_the_label_and_visits_keep_their_version(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    store_visit(database, walk_visit(pack, clock))
    store_visit(database, walk_visit(pack, clock))
    newer = _reworded(pack, "Are you pregnant", "Could you be pregnant")
    clock.advance(3600)
    with database.session() as session, session.begin():
        # The Spanish still asks the same question: confirmed, as an admin would.
        save_draft(session, newer, by=_stamp(clock), translated_from={})
        published = publish_draft(session, label="  pregnancy   wording ", by=_stamp(clock))
        assert current_draft(session) is None
    assert (published.number, published.label, published.published_by) == (
        2,
        "pregnancy wording",
        "user:maria",
    )
    assert published.published_at == clock()
    assert (published.version, published.in_use, published.visits) == (newer.version, True, 0)
    assert _in_use(database, clock) == newer
    with database.session() as session:
        listed = versions(session)
        assert [(v.number, v.in_use, v.visits) for v in listed] == [(2, True, 0), (1, False, 2)]
        assert listed[1].label == "bundled default content"
        assert listed[1].short_version == pack.version[:12]
        (entry,) = [e for e in entries(session) if e.action == "content_published"]
    assert (entry.actor, entry.station) == ("user:maria", "desk-1")
    assert entry.detail == f"version {newer.version[:12]} 'pregnancy wording'"


def test_content_with_problems_is_not_published_and_says_where(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    empty_title = replace(pack.slides[2], title="  ")
    twice = replace(pack.questions[4], id=pack.questions[0].id)
    broken = replace(
        pack,
        slides=(*pack.slides[:2], empty_title, *pack.slides[3:]),
        questions=(*pack.questions[:4], twice),
    )
    with (
        database.session() as session,
        pytest.raises(PublishError) as caught,
        session.begin(),
    ):
        publish(session, broken, label="broken", by=_stamp(clock))
    assert caught.value.problems == [
        "slide 3 (common-side-effects): 'title' of this slide is empty",
        "question 5 (psychosis): the id 'psychosis' is used twice; each one must be different",
    ]
    assert _in_use(database, clock) == pack


def test_a_label_is_needed_and_the_same_content_is_not_published_twice(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    with database.session() as session, session.begin():
        with pytest.raises(PublishError, match="needs a label"):
            publish(session, replace(pack, clinic_name="New"), label=" ", by=_stamp(clock))
        with pytest.raises(PublishError, match="already the one in use"):
            publish(session, pack, label="again", by=_stamp(clock))


def test_restoring_an_earlier_version_is_a_new_publish_and_makes_it_current(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    newer = _reworded(pack, "Are you pregnant", "Could you be pregnant")
    with database.session() as session, session.begin():
        publish(session, newer, label="new wording", by=_stamp(clock))
    clock.advance(60)
    with database.session() as session, session.begin():
        restored = restore(session, 1, label="back to the old wording", by=_stamp(clock, "cli:it"))
    assert (restored.number, restored.restored_from, restored.version) == (3, 1, pack.version)
    assert _in_use(database, clock) == pack  # the old text, though stored before the new
    with database.session() as session, session.begin():
        assert [(v.number, v.in_use) for v in versions(session)] == [
            (3, True),
            (2, False),
            (1, False),
        ]
        assert version_content(session, 2) == newer
        assert find_publication(session, newer.version[:8]).id == 2
        assert find_publication(session, pack.version[:8]).id == 3  # the newest publish of it
        with pytest.raises(PublishError, match="already in use"):
            restore(session, 1, label="again", by=_stamp(clock))
        with pytest.raises(PublishError, match="no published version number 9"):
            restore(session, 9, label="nine", by=_stamp(clock))
        assert [e.action for e in entries(session)][-1] == "content_restored"


def test_restoring_a_version_over_today_s_limits_is_refused(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    # Stored as a version before the limits existed (or by other means than publishing).
    wordy = replace(
        pack, slides=(replace(pack.slides[0], text="Ketamine. " * 500), *pack.slides[1:])
    )
    with database.session() as session, session.begin():
        content_in_use(session, None, clock())
        publish_content(session, wordy, label="long ago", published_by="cli:it", now=clock())
        publish(
            session,
            _reworded(pack, "Are you pregnant", "Could you be"),
            label="x",
            by=_stamp(clock),
        )
    with database.session() as session, session.begin():
        with pytest.raises(PublishError) as caught:
            restore(session, 2, label="the long one again", by=_stamp(clock))
        assert str(caught.value).splitlines() == [
            "version 2 breaks today's rules for content and was not published again:",
            (
                f"slide 1 ({pack.slides[0].id}): 'text' of this slide is 4,999 characters "
                "long; it can be at most 4,000"
            ),
        ]
        assert [v.number for v in versions(session)] == [3, 2, 1]


# --- a publish that fails half-way --------------------------------------------------------------


def _publish_on_a_full_disk(database: Database, pack: ContentPack, by: Actor) -> None:
    with database.session() as session, session.begin():
        connection = session.connection()
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
        # Room for a few pages more, not for the picture: SQLite says the disk is full.
        # (The limit lasts as long as this pooled connection, which the test's database
        # fixture closes.)
        connection.exec_driver_sql(f"PRAGMA max_page_count={(pages or 0) + 20}")
        publish(session, pack, label="with a picture", by=by)


@pytest.mark.parametrize("database_engine", ["sqlite"])  # fills the file with max_page_count
def test_a_full_disk_half_way_through_a_publish_leaves_the_previous_version(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    big = check_pack(_with_picture(pack, (900, 700)))  # about 1.9 MB of picture
    with database.session() as session, session.begin():
        content_in_use(session, None, clock())
        save_draft(session, replace(pack, clinic_name="Draft"), by=_stamp(clock))
    with pytest.raises(PublishError) as caught:
        _publish_on_a_full_disk(database, big, _stamp(clock))
    assert str(caught.value) == (
        "the new version could not be stored (database or disk is full); nothing was "
        "published and the content in use is unchanged"
    )
    assert _in_use(database, clock) == pack
    with database.session() as session:
        assert [v.number for v in versions(session)] == [1]
        draft = current_draft(session)
        assert draft is not None
        assert draft.pack.clinic_name == "Draft"
        assert "content_published" not in [e.action for e in entries(session)]


def test_a_crash_half_way_through_a_publish_leaves_the_previous_version(
    database: Database, pack: ContentPack, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    newer = replace(pack, clinic_name="Newer Clinic")
    with database.session() as session, session.begin():
        save_draft(session, newer, by=_stamp(clock))

    def crash(*_: object) -> bool:
        raise RuntimeError("power cut")

    # The new version is already flushed to the database when the draft is cleared.
    monkeypatch.setattr("kiosk.publishing._drop_drafts", crash)
    with (
        database.session() as session,
        pytest.raises(RuntimeError, match="power cut"),
        session.begin(),
    ):
        publish_draft(session, label="newer", by=_stamp(clock))
    assert _in_use(database, clock) == pack
    with database.session() as session:
        assert [v.number for v in versions(session)] == [1]
        assert session.scalar(text("SELECT count(*) FROM content_versions")) == 1


# --- stored visits keep their text ---------------------------------------------------------------


def test_an_old_visits_summary_after_a_publish_prints_the_text_that_patient_saw(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    visit = walk_visit(pack, clock)
    store_visit(database, visit)
    newer = _reworded(
        pack, "Are you pregnant, or could you be pregnant?", "Could you be expecting?"
    )
    newer = replace(newer, signature_meaning="I agree to today's treatment.")
    with database.session() as session, session.begin():
        publish(session, newer, label="new wording", by=_stamp(clock))
    later = walk_visit(_in_use(database, clock), clock, first="Beatriz")
    store_visit(database, later)
    with database.session() as session:
        old_record, new_record = load_visit(session, visit.id), load_visit(session, later.id)
    assert old_record is not None
    assert new_record is not None

    def printed(record: object) -> str:
        pdf = build_summary(record, zone=ZoneInfo("America/Chicago"))  # type: ignore[arg-type]
        return " ".join(
            " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
        )

    old_text, new_text = printed(old_record), printed(new_record)
    assert "Are you pregnant, or could you be pregnant?" in old_text
    assert "I consent to ketamine infusion treatment today." in old_text
    assert "expecting" not in old_text
    assert pack.version[:12] in old_text
    assert "Could you be expecting?" in new_text
    assert "I agree to today's treatment." in new_text
    assert newer.version[:12] in new_text


# --- upgrading a database ------------------------------------------------------------------------


def test_upgrading_keeps_the_published_content_in_use_and_leaves_trials_unpublished(
    database_url: str, pack: ContentPack, clock: ManualClock
) -> None:
    url = database_url
    old = made_at_revision(url, "0005")
    # The versions are written below as rows of text alone: the bundled pictures, which
    # would be rows of their own, are left out of them.
    pack = replace(
        pack,
        slides=tuple(replace(s, picture=None, picture_alt=None) for s in pack.slides),
        pictures={},
        translations={
            language: {k: v for k, v in words.items() if not k.endswith(".picture_alt")}
            for language, words in pack.translations.items()
        },
    )
    newer = replace(pack, clinic_name="Newer Clinic")
    trial = replace(pack, clinic_name="Trial Clinic")
    with old.engine.begin() as connection:
        for number, (version, label, published) in enumerate(
            [
                (pack, "bundled default content", True),
                (newer, "newer", True),
                (trial, "trial", False),
            ],
            1,
        ):
            connection.execute(
                text(
                    "INSERT INTO content_versions (id, sha256, label, published_at, published_by,"
                    " canonical, published) VALUES (:id, :sha, :label, :at, 'admin', :canonical,"
                    " :published)"
                ),
                {
                    "id": number,
                    "sha": version.version,
                    "label": label,
                    "at": (clock() + timedelta(days=number)).replace(tzinfo=None),
                    "canonical": version.canonical_bytes(),
                    "published": published,
                },
            )
    old.close()
    upgrade_database(url)
    upgraded = open_database(url)
    try:
        with upgraded.session() as session, session.begin():
            row, in_use = content_in_use(session, None, clock())
            listed = versions(session)
    finally:
        upgraded.close()
    assert (row.id, in_use) == (2, newer)
    assert [(v.number, v.label, v.in_use) for v in listed] == [
        (2, "newer", True),
        (1, "bundled default content", False),
    ]
    assert listed[0].published_at == clock() + timedelta(days=2)


def test_export_content_leaves_an_audit_entry(
    database: Database, pack: ContentPack, clock: ManualClock, tmp_path: Path
) -> None:
    with database.session() as session, session.begin():
        export_content(session, pack, tmp_path / "out.zip", by=_stamp(clock))
    with database.session() as session:
        (entry,) = [e for e in entries(session) if e.action == "content_exported"]
    assert entry.detail == f"version {pack.version[:12]} to {tmp_path / 'out.zip'}"


# --- helpers for the editor ----------------------------------------------------------------------


def test_what_a_change_to_the_contraindication_questions_affects(pack: ContentPack) -> None:
    psychosis, blood, misuse, heart, pregnancy = pack.questions[:5]
    after = replace(
        pack,
        questions=(
            replace(psychosis, text="Have you ever had psychosis?"),
            replace(blood, flag_answers=(Answer.YES,)),
            replace(misuse, contraindication=False),
            replace(heart, flag_wording="unstable heart"),
            # A returning patient's questions stay as they were.
            *pack.questions[5:],
        ),
    )
    assert contraindication_changes(pack, after) == [
        (
            f"The contraindication question “{psychosis.text}” now reads “Have you ever had "
            "psychosis?”. Patients answer the new wording; stored visits keep the old one."
        ),
        f"“{blood.text}” raised a flag for Yes or Not sure; it will raise one for Yes.",
        (
            f"“{misuse.text}” is no longer a contraindication question; its answers will not "
            "ask a clinician to review the visit."
        ),
        (
            "Staff will read “unstable heart” instead of “heart condition that is not stable” "
            f"when “{heart.text}” raises a flag."
        ),
        (
            f"The contraindication question “{pregnancy.text}” is removed: patients will no "
            "longer be asked it, so no visit will be flagged for “pregnant or could be "
            "pregnant”. Visits already stored keep their answers."
        ),
    ]
    assert contraindication_changes(pack, pack) == []


def test_a_new_items_id_comes_from_its_title_and_is_free() -> None:
    assert new_item_id("After the infusion", []) == "after-the-infusion"
    assert new_item_id("Café — ¿Qué pasa?", []) == "cafe-que-pasa"
    assert new_item_id("After the infusion", ["after-the-infusion"]) == "after-the-infusion-2"
    assert new_item_id("!!!", []) == "item"
    long = new_item_id("word " * 40, [])
    assert len(long) <= 64
    assert not long.endswith("-")


_TYPED = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)


@settings(max_examples=60, deadline=None)
@given(title=_TYPED, body=_TYPED, question=_TYPED)
def test_whatever_an_admin_types_is_published_as_typed_or_refused(
    pack: ContentPack, title: str, body: str, question: str
) -> None:
    edited = replace(
        pack,
        slides=(replace(pack.slides[0], title=title, text=body), *pack.slides[1:]),
        questions=(replace(pack.questions[0], text=question), *pack.questions[1:]),
    )
    try:
        checked = check_pack(edited)
    except ContentPackError as error:
        problems = error.problems
    else:
        problems = []
    if problems:
        # Refused: each problem names the slide or question the editor should open.
        assert all(problem.where for problem in problems)
        return
    # Written out as YAML and read back: only the surrounding spaces are gone.
    assert checked.slides[0].title == title.strip()
    assert checked.slides[0].text == body.strip()
    assert checked.questions[0].text == question.strip()
    assert check_pack(checked) == checked


def test_no_room_to_check_the_content_is_a_plain_refusal(
    database: Database, pack: ContentPack, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    def full(*_: object, **__: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("tempfile.TemporaryDirectory", full)
    with (
        database.session() as session,
        pytest.raises(PublishError) as caught,
        session.begin(),
    ):
        publish(session, replace(pack, clinic_name="New"), label="new", by=_stamp(clock))
    assert str(caught.value) == (
        "the content could not be checked (No space left on device); nothing was published"
    )
    assert _in_use(database, clock) == pack
