"""patients who come back: visits linked to a patient, names or birth dates corrected,
today's expected patients, and the flow each visit ran

A patient record is made at the desk when staff link a visit to it; it holds the name
and date of birth of the patient's newest linked visit and the date and content version
of their last consent. A correction keeps what the patient typed and what it became.

On a server (PostgreSQL) the kiosk's role reads none of these tables: the owner's
function `kiosk_which_flow` answers its one question (which flow, for a name key and a
birth date on today's list) and nothing else; `kiosk_store_visit` now stores the flow a
visit ran; and `purge_visits_finished_before` also removes the purged visits'
corrections, recomputes their patients' last consent (removing a patient left with no
visit) and forgets earlier days' expected lists, as `kiosk.retention` does on SQLite.
`kiosk.server_roles` gives the desk's role what it needs of the new tables.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# name(arguments) -> (returns, body), made as in migration 0014 (SECURITY DEFINER, a fixed
# search_path, EXECUTE taken from PUBLIC and given by `kiosk.server_roles`).
FUNCTIONS: dict[str, tuple[str, str]] = {
    # As in 0014, and the flow the visit ran (a return visit, or a first one).
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
    INSERT INTO audit_entries (actor, action, visit_id, station, detail)
        VALUES (actor_name, 'visit_stored', the_visit, station_name,
                coalesce(finished->>'detail', ''));
    RETURN true;
END
""",
    ),
    # As `kiosk.expected.which_flow`: the kiosk gives the name key and birth date typed,
    # its clinic's day and time, the clinic's consent period and the content versions
    # whose slides say what today's say, and learns only which flow to run.
    (
        "kiosk_which_flow(the_key text, the_birth_date date, the_day date, "
        "the_time timestamp, valid_days integer, same_slides text[])"
    ): (
        "text",
        """
DECLARE
    found integer[];
    consent_at timestamp;
    consent_version text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM expected_patients e WHERE e.day = the_day
                   AND e.name_key = the_key AND e.date_of_birth = the_birth_date) THEN
        RETURN 'first_visit';
    END IF;
    -- Exactly one patient record: two that both match are no one's return visit.
    SELECT array_agg(m.id) INTO found FROM (
        SELECT p.id FROM patients p
        WHERE p.name_key = the_key AND p.date_of_birth = the_birth_date LIMIT 2) AS m;
    IF coalesce(cardinality(found), 0) <> 1 THEN
        RETURN 'first_visit';
    END IF;
    SELECT p.last_consent_at, v.sha256 INTO consent_at, consent_version
        FROM patients p LEFT JOIN content_versions v ON v.id = p.last_consent_version_id
        WHERE p.id = found[1];
    IF consent_at IS NULL THEN
        RETURN 'first_visit';
    END IF;
    IF consent_version IS NULL
        OR the_time - consent_at > valid_days * interval '1 day'
        OR NOT consent_version = ANY(coalesce(same_slides, '{}')) THEN
        RETURN 'return_with_slides';
    END IF;
    RETURN 'return_without_slides';
END
""",
    ),
    # As in 0014, and what `kiosk.retention.delete_visits` and `purge_older_than` do
    # beside: corrections go with their visits, each patient of a purged visit is
    # recomputed as `kiosk.patients.refresh_patient` does, and earlier days' lists go.
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
NEW_FUNCTIONS = ("kiosk_which_flow(text, date, date, timestamp, integer, text[])",)


def _make(functions: dict[str, tuple[str, str]]) -> None:
    connection = op.get_bind()
    schema = connection.exec_driver_sql("SELECT current_schema()").scalar()
    for signature, (returns, body) in functions.items():
        # The driver reads % as the start of a parameter: %% is a plain one.
        body_for_driver = body.replace("%", "%%")
        connection.exec_driver_sql(
            f"CREATE OR REPLACE FUNCTION {signature} RETURNS {returns} LANGUAGE plpgsql "
            f'SECURITY DEFINER SET search_path = "{schema}", pg_temp '
            f"AS $function${body_for_driver}$function$"
        )
        connection.exec_driver_sql(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")


def _revision_0014() -> ModuleType:
    """Migration 0014, whose functions a downgrade puts back."""
    path = Path(__file__).with_name("0014_functions_for_station_roles.py")
    spec = importlib.util.spec_from_file_location("revision_0014", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"{path} cannot be read")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    op.create_table(
        "patients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=200), nullable=False),
        sa.Column("last_name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=400), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_consent_at", sa.DateTime(), nullable=True),
        sa.Column("last_consent_version_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["last_consent_version_id"],
            ["content_versions.id"],
            name=op.f("fk_patients_last_consent_version_id_content_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patients")),
    )
    op.create_index("ix_patients_name_key_date_of_birth", "patients", ["name_key", "date_of_birth"])
    op.create_table(
        "detail_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=16), nullable=False),
        sa.Column("typed", sa.String(length=200), nullable=False),
        sa.Column("became", sa.String(length=200), nullable=False),
        sa.Column("corrected_at", sa.DateTime(), nullable=False),
        sa.Column("corrected_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_detail_corrections_visit_id_visits")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_detail_corrections")),
    )
    op.create_index(op.f("ix_detail_corrections_visit_id"), "detail_corrections", ["visit_id"])
    op.create_table(
        "expected_patients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("first_name", sa.String(length=200), nullable=False),
        sa.Column("last_name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=400), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("expected_at", sa.String(length=5), nullable=True),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_expected_patients_patient_id_patients"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expected_patients")),
    )
    op.create_index("ix_expected_patients_day_name_key", "expected_patients", ["day", "name_key"])
    with op.batch_alter_table("visits") as batch:
        batch.add_column(
            sa.Column("flow", sa.String(length=24), server_default="first_visit", nullable=False)
        )
        batch.add_column(sa.Column("patient_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_visits_patient_id_patients", "patients", ["patient_id"], ["id"]
        )
        batch.create_index("ix_visits_patient_id", ["patient_id"])
    if op.get_context().dialect.name == "postgresql":
        _make(FUNCTIONS)


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        for signature in NEW_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {signature}")
        earlier: dict[str, tuple[str, str]] = _revision_0014().FUNCTIONS
        _make({name: earlier[name] for name in FUNCTIONS if name in earlier})
    with op.batch_alter_table("visits") as batch:
        batch.drop_index("ix_visits_patient_id")
        batch.drop_constraint("fk_visits_patient_id_patients", type_="foreignkey")
        batch.drop_column("patient_id")
        batch.drop_column("flow")
    op.drop_index("ix_expected_patients_day_name_key", table_name="expected_patients")
    op.drop_table("expected_patients")
    op.drop_index(op.f("ix_detail_corrections_visit_id"), table_name="detail_corrections")
    op.drop_table("detail_corrections")
    op.drop_index("ix_patients_name_key_date_of_birth", table_name="patients")
    op.drop_table("patients")
