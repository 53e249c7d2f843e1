"""teach-back: how a patient answered each question asked after the slides

A teach-back question (`asked: teach_back` in the content pack) checks that the patient
took in what one slide says. Each visit keeps, per question, the first answer tapped,
the answer after the slide was shown again (when the first was not right) and the
outcome: right first time, right after the review, or still wrong (a note for staff).

On a server (PostgreSQL) the kiosk's role stores them through `kiosk_store_visit`, and
`purge_visits_finished_before` removes them with their visits; `kiosk.server_roles`
lets the desk's role read them.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

# name(arguments) -> (returns, body), made as in migration 0016.
FUNCTIONS: dict[str, tuple[str, str]] = {
    # As in 0016, and the visit's teach-back answers.
    "kiosk_store_visit(finished jsonb)": (
        "boolean",
        """
DECLARE
    v jsonb := finished->'visit';
    the_visit text := finished->'visit'->>'id';
    station_name text := finished->>'station';
    actor_name text := finished->>'actor';
    version_id integer;
    publication_id integer;
    started timestamp := (finished->'visit'->>'started_at')::timestamp;
BEGIN
    IF the_visit IS NULL OR station_name IS NULL THEN
        RAISE EXCEPTION 'a finished visit needs its ID and its station' USING ERRCODE = '22023';
    END IF;
    -- Who stores it: this kiosk, or the member of staff who checked the patient in.
    IF actor_name IS NULL OR (actor_name NOT LIKE 'kiosk:%' AND actor_name NOT LIKE 'user:%') THEN
        RAISE EXCEPTION 'a visit is stored by its kiosk or a member of staff'
            USING ERRCODE = '22023';
    END IF;
    SELECT id INTO version_id FROM content_versions WHERE sha256 = finished->>'content';
    IF version_id IS NULL THEN
        RAISE EXCEPTION 'the content this visit showed is not stored as a version'
            USING ERRCODE = '23503';
    END IF;
    SELECT id INTO publication_id FROM content_publications
        WHERE content_version_id = version_id AND published_at <= started
        ORDER BY published_at DESC, id DESC LIMIT 1;
    IF publication_id IS NULL THEN
        SELECT min(id) INTO publication_id FROM content_publications
            WHERE content_version_id = version_id;
    END IF;
    -- Only what a kiosk knows of a visit: never a review, a void or a demo mark.
    INSERT INTO visits (
        id, content_version_id, content_publication_id, is_demo, station, ending, language, flow,
        started_at, finished_at, first_name, last_name, name_key, date_of_birth,
        answers_confirmed_at, signed_name, signed_at, signature_png, signature_strokes,
        typed_signature, ride_status, ride_driver_name, ride_phone, ride_relationship,
        flag_count, open_flag_count, updated_at, assisted_by, signed_on_paper_at)
    SELECT the_visit, version_id, publication_id, false, station_name, r.ending, r.language,
        coalesce(r.flow, 'first_visit'),
        r.started_at, r.finished_at, r.first_name, r.last_name, r.name_key, r.date_of_birth,
        r.answers_confirmed_at, r.signed_name, r.signed_at, r.signature_png,
        r.signature_strokes, r.typed_signature, r.ride_status, r.ride_driver_name,
        r.ride_phone, r.ride_relationship, r.flag_count, r.flag_count, r.finished_at,
        r.assisted_by, r.signed_on_paper_at
    FROM jsonb_populate_record(NULL::visits, v) AS r
    ON CONFLICT (id) DO NOTHING;
    IF NOT FOUND THEN
        RETURN false;  -- stored before (a replay after a dropped connection)
    END IF;
    INSERT INTO answers (visit_id, question_id, position, answer, answered_at)
        SELECT the_visit, r.question_id, r.position, r.answer, r.answered_at
        FROM jsonb_populate_recordset(NULL::answers, finished->'answers') AS r;
    INSERT INTO slide_views (visit_id, slide_id, position, seconds)
        SELECT the_visit, r.slide_id, r.position, r.seconds
        FROM jsonb_populate_recordset(NULL::slide_views, finished->'slide_views') AS r;
    INSERT INTO consent_acknowledgements (visit_id, statement_id, position, acknowledged_at)
        SELECT the_visit, r.statement_id, r.position, r.acknowledged_at
        FROM jsonb_populate_recordset(
            NULL::consent_acknowledgements, finished->'consent_acknowledgements') AS r;
    INSERT INTO flags (visit_id, position, kind, question_id, answer, sentence)
        SELECT the_visit, r.position, r.kind, r.question_id, r.answer, r.sentence
        FROM jsonb_populate_recordset(NULL::flags, finished->'flags') AS r;
    INSERT INTO teach_back_answers (visit_id, question_id, position, result, first_answer,
            answer_after_review)
        SELECT the_visit, r.question_id, r.position, r.result, r.first_answer,
            r.answer_after_review
        FROM jsonb_populate_recordset(
            NULL::teach_back_answers, coalesce(finished->'teach_back_answers', '[]')) AS r;
    INSERT INTO audit_entries (actor, action, visit_id, station, detail)
        VALUES (actor_name, 'visit_stored', the_visit, station_name,
                coalesce(finished->>'detail', ''));
    RETURN true;
END
""",
    ),
    # As in 0016, and teach-back answers go with their visits.
    "purge_visits_finished_before(cutoff timestamp, days integer, actor text, station text)": (
        "integer",
        """
DECLARE
    doomed text[];
    touched integer[];
BEGIN
    IF actor IS NULL OR actor = '' THEN
        RAISE EXCEPTION 'a purge names who runs it' USING ERRCODE = '22023';
    END IF;
    SELECT coalesce(array_agg(id ORDER BY id), '{}') INTO doomed
        FROM visits WHERE finished_at < cutoff;
    SELECT coalesce(array_agg(DISTINCT patient_id), '{}') INTO touched
        FROM visits WHERE id = ANY(doomed) AND patient_id IS NOT NULL;
    DELETE FROM answers WHERE visit_id = ANY(doomed);
    DELETE FROM slide_views WHERE visit_id = ANY(doomed);
    DELETE FROM consent_acknowledgements WHERE visit_id = ANY(doomed);
    DELETE FROM flags WHERE visit_id = ANY(doomed);
    DELETE FROM teach_back_answers WHERE visit_id = ANY(doomed);
    DELETE FROM print_jobs WHERE visit_id = ANY(doomed);
    DELETE FROM detail_corrections WHERE visit_id = ANY(doomed);
    DELETE FROM visits WHERE id = ANY(doomed);
    -- A patient outlives no visit of theirs.
    DELETE FROM patients p WHERE p.id = ANY(touched)
        AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.patient_id = p.id);
    -- Known by their newest visit kept (not void, unless all are).
    UPDATE patients p SET first_name = n.first_name, last_name = n.last_name,
            name_key = n.name_key, date_of_birth = n.date_of_birth
        FROM (SELECT DISTINCT ON (v.patient_id) v.patient_id, v.first_name, v.last_name,
                     v.name_key, v.date_of_birth
              FROM visits v WHERE v.patient_id = ANY(touched)
              ORDER BY v.patient_id, v.voided_at IS NOT NULL, v.finished_at DESC, v.id) AS n
        WHERE p.id = n.patient_id;
    -- Their last consent: the newest signed visit still kept and not void (none: their
    -- next visit is a first visit again).
    UPDATE patients p SET (last_consent_at, last_consent_version_id) = (
            SELECT coalesce(v.signed_at, v.signed_on_paper_at), v.content_version_id
            FROM visits v WHERE v.patient_id = p.id AND v.voided_at IS NULL
                AND (v.signed_at IS NOT NULL OR v.signed_on_paper_at IS NOT NULL)
            ORDER BY v.finished_at DESC, v.id LIMIT 1)
        WHERE p.id = ANY(touched);
    DELETE FROM alerts WHERE cleared_at IS NOT NULL AND cleared_at < cutoff;
    -- Earlier days' expected lists hold names and serve no one (the purge's own day, by
    -- UTC, and the day before are kept).
    DELETE FROM expected_patients
        WHERE day < (cutoff + days * interval '1 day')::date - 1;
    INSERT INTO audit_entries (actor, action, visit_id, station, detail)
        SELECT actor, 'visits_purged', d, station, 'older than ' || days || ' days'
        FROM unnest(doomed) AS d;
    RETURN cardinality(doomed);
END
""",
    ),
}


def _revision_0016() -> ModuleType:
    """Migration 0016, whose functions this one extends and a downgrade puts back (0017 and
    0018 left `kiosk_store_visit` and the purge as 0016 made them)."""
    path = Path(__file__).with_name("0016_patients.py")
    spec = importlib.util.spec_from_file_location("revision_0016", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"{path} cannot be read")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    op.create_table(
        "teach_back_answers",
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("result", sa.String(length=24), nullable=False),
        sa.Column("first_answer", sa.String(length=64), nullable=False),
        sa.Column("answer_after_review", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_teach_back_answers_visit_id_visits")
        ),
        sa.PrimaryKeyConstraint("visit_id", "question_id", name=op.f("pk_teach_back_answers")),
    )
    if op.get_context().dialect.name == "postgresql":
        _revision_0016()._make(FUNCTIONS)


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        earlier: dict[str, tuple[str, str]] = _revision_0016().FUNCTIONS
        _revision_0016()._make({name: earlier[name] for name in FUNCTIONS})
    op.drop_table("teach_back_answers")
