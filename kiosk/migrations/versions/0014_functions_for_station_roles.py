"""on a server, what a kiosk, a sign-in and a purge do runs through the owner's functions

A PostgreSQL database made by `kiosk db init` gives each kind of station a role of its
own (`kiosk.server_roles`). The waiting-room kiosk's role may only read the content and
run these functions, which run with the rights of the role that owns the tables: store
a finished visit with its audit entry (a replay stores nothing twice), write the
kiosk's own audit events, beat, raise an alert and read its own. A sign-in counts wrong
tries through a function too (no station role changes an account), and a purge deletes
through one (no station role deletes visits). SQLite has no roles: nothing changes there.

Every function is SECURITY DEFINER with a fixed search_path (its own schema first,
pg_temp last), so a caller's temporary objects cannot stand in for the tables, and
EXECUTE is taken from PUBLIC: `kiosk.server_roles` grants it to the roles that need it.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# name(arguments) -> (returns, body). The audit entries' numbers and times come from
# the audit trigger, as for every insert.
FUNCTIONS: dict[str, tuple[str, str]] = {
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
        id, content_version_id, content_publication_id, is_demo, station, ending, language,
        started_at, finished_at, first_name, last_name, name_key, date_of_birth,
        answers_confirmed_at, signed_name, signed_at, signature_png, signature_strokes,
        typed_signature, ride_status, ride_driver_name, ride_phone, ride_relationship,
        flag_count, open_flag_count, updated_at, assisted_by, signed_on_paper_at)
    SELECT the_visit, version_id, publication_id, false, station_name, r.ending, r.language,
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
    "kiosk_record_event(actor text, action text, station text, detail text)": (
        "void",
        """
BEGIN
    -- A kiosk's own events only: it cannot write a sign-in, a review or a purge.
    IF action NOT IN ('kiosk_closed', 'kiosk_exit_refused', 'held_visit_set_aside')
        OR actor IS NULL OR actor NOT LIKE 'kiosk:%' THEN
        RAISE EXCEPTION 'a kiosk records only its own events' USING ERRCODE = '42501';
    END IF;
    INSERT INTO audit_entries (actor, action, visit_id, station, detail)
        VALUES (actor, action, NULL, station, coalesce(detail, ''));
END
""",
    ),
    "kiosk_raise_alert(kind text, station text, detail text, actor text)": (
        "integer",
        """
DECLARE
    raised integer;
BEGIN
    -- Any station may say it found a protection missing (none but the owner may put
    -- it back); only a kiosk asks for help.
    IF actor IS NULL OR NOT (kind = 'protection_missing'
                             OR (kind = 'help_requested' AND actor LIKE 'kiosk:%')) THEN
        RAISE EXCEPTION 'a kiosk raises only its own alerts' USING ERRCODE = '42501';
    END IF;
    IF kind = 'protection_missing' THEN
        -- One open alert per station while it lasts, not one per start.
        SELECT a.id INTO raised FROM alerts a WHERE a.kind = 'protection_missing'
            AND a.station = kiosk_raise_alert.station AND a.cleared_at IS NULL LIMIT 1;
        IF raised IS NOT NULL THEN
            UPDATE alerts SET detail = coalesce(kiosk_raise_alert.detail, '') WHERE id = raised;
            RETURN raised;
        END IF;
    END IF;
    INSERT INTO alerts (kind, station, detail, raised_at, acknowledgement_note)
        VALUES (kind, station, coalesce(detail, ''), clock_timestamp() AT TIME ZONE 'UTC', '')
        RETURNING id INTO raised;
    INSERT INTO audit_entries (actor, action, visit_id, station, detail)
        VALUES (actor, 'alert_raised', NULL, station,
                'alert ' || raised || ': ' || kind || ' at ' || station);
    RETURN raised;
END
""",
    ),
    "kiosk_alert_state(alert integer, station text)": (
        "TABLE(shown boolean, cleared boolean)",
        """
BEGIN
    -- Its own alerts only; another kiosk's, or none at all, reads as gone.
    RETURN QUERY
        SELECT a.shown_at IS NOT NULL OR a.acknowledged_at IS NOT NULL,
               a.cleared_at IS NOT NULL
        FROM alerts a WHERE a.id = alert AND a.station = kiosk_alert_state.station;
END
""",
    ),
    (
        "kiosk_heartbeat(station text, actor text, held integer, paused boolean, "
        "content_version text, program_version text, held_detail text, paused_detail text)"
    ): (
        "void",
        """
DECLARE
    now_utc timestamp := clock_timestamp() AT TIME ZONE 'UTC';
    wanted record;
    open_alert record;
    raised integer;
BEGIN
    IF actor IS NULL OR actor NOT LIKE 'kiosk:%' THEN
        RAISE EXCEPTION 'a kiosk beats for itself only' USING ERRCODE = '42501';
    END IF;
    INSERT INTO stations AS s (name, kind, last_heartbeat_at, held_visits, check_in_paused,
                               content_version, program_version, silence_reported)
        VALUES (station, 'kiosk', now_utc, held, paused, content_version, program_version,
                false)
        ON CONFLICT (name) DO UPDATE SET last_heartbeat_at = now_utc, held_visits = held,
            check_in_paused = paused, content_version = EXCLUDED.content_version,
            program_version = EXCLUDED.program_version, silence_reported = false;
    -- As `kiosk.alerts.Alerts.heartbeat`: it speaks, so it is not silent any more; one
    -- open alert for held visits and one for paused check-ins while there are any.
    FOR wanted IN SELECT * FROM (VALUES ('kiosk_not_responding', ''),
                                        ('visits_held', coalesce(held_detail, '')),
                                        ('check_in_paused', coalesce(paused_detail, '')))
                  AS w(kind, detail) LOOP
        IF wanted.detail = '' THEN
            FOR open_alert IN SELECT id FROM alerts a WHERE a.kind = wanted.kind
                    AND a.station = kiosk_heartbeat.station AND a.cleared_at IS NULL LOOP
                UPDATE alerts SET cleared_at = now_utc, cleared_by = actor
                    WHERE id = open_alert.id;
                INSERT INTO audit_entries (actor, action, visit_id, station, detail)
                    VALUES (actor, 'alert_cleared', NULL, station,
                            'alert ' || open_alert.id || ': ' || wanted.kind || ' at ' || station);
            END LOOP;
        ELSIF EXISTS (SELECT 1 FROM alerts a WHERE a.kind = wanted.kind
                      AND a.station = kiosk_heartbeat.station AND a.cleared_at IS NULL) THEN
            UPDATE alerts a SET detail = wanted.detail WHERE a.kind = wanted.kind
                AND a.station = kiosk_heartbeat.station AND a.cleared_at IS NULL;
        ELSE
            INSERT INTO alerts (kind, station, detail, raised_at, acknowledgement_note)
                VALUES (wanted.kind, station, wanted.detail, now_utc, '')
                RETURNING id INTO raised;
            INSERT INTO audit_entries (actor, action, visit_id, station, detail)
                VALUES (actor, 'alert_raised', NULL, station,
                        'alert ' || raised || ': ' || wanted.kind || ' at ' || station);
        END IF;
    END LOOP;
END
""",
    ),
    (
        "staff_count_wrong_sign_in(account integer, now timestamp, lock_until timestamp, "
        "tries_before_lock integer)"
    ): (
        "TABLE(failed_attempts integer, locked_until timestamp)",
        """
BEGIN
    -- As `kiosk.auth._count_wrong_try`: counted and decided in one statement.
    RETURN QUERY
        UPDATE staff_accounts s SET
            failed_attempts = CASE WHEN s.failed_attempts + 1 >= tries_before_lock
                                   THEN 0 ELSE s.failed_attempts + 1 END,
            locked_until = CASE WHEN s.failed_attempts + 1 >= tries_before_lock
                                THEN lock_until ELSE NULL END
        WHERE s.id = account AND (s.locked_until IS NULL OR s.locked_until <= now)
        RETURNING s.failed_attempts, s.locked_until;
END
""",
    ),
    "staff_let_sign_in(account integer, now timestamp)": (
        "boolean",
        """
BEGIN
    UPDATE staff_accounts s SET failed_attempts = 0, locked_until = NULL, last_sign_in_at = now
        WHERE s.id = account AND (s.locked_until IS NULL OR s.locked_until <= now)
        AND s.enabled;
    RETURN FOUND;
END
""",
    ),
    "purge_visits_finished_before(cutoff timestamp, days integer, actor text, station text)": (
        "integer",
        """
DECLARE
    doomed text[];
BEGIN
    IF actor IS NULL OR actor = '' THEN
        RAISE EXCEPTION 'a purge names who runs it' USING ERRCODE = '22023';
    END IF;
    SELECT coalesce(array_agg(id ORDER BY id), '{}') INTO doomed
        FROM visits WHERE finished_at < cutoff;
    DELETE FROM answers WHERE visit_id = ANY(doomed);
    DELETE FROM slide_views WHERE visit_id = ANY(doomed);
    DELETE FROM consent_acknowledgements WHERE visit_id = ANY(doomed);
    DELETE FROM flags WHERE visit_id = ANY(doomed);
    DELETE FROM print_jobs WHERE visit_id = ANY(doomed);
    DELETE FROM visits WHERE id = ANY(doomed);
    DELETE FROM alerts WHERE cleared_at IS NOT NULL AND cleared_at < cutoff;
    INSERT INTO audit_entries (actor, action, visit_id, station, detail)
        SELECT actor, 'visits_purged', d, station, 'older than ' || days || ' days'
        FROM unnest(doomed) AS d;
    RETURN cardinality(doomed);
END
""",
    ),
}


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    connection = op.get_bind()
    schema = connection.exec_driver_sql("SELECT current_schema()").scalar()
    for signature, (returns, body) in FUNCTIONS.items():
        # The driver reads % as the start of a parameter: %% is a plain one.
        body_for_driver = body.replace("%", "%%")
        connection.exec_driver_sql(
            f"CREATE OR REPLACE FUNCTION {signature} RETURNS {returns} LANGUAGE plpgsql "
            f'SECURITY DEFINER SET search_path = "{schema}", pg_temp '
            f"AS $function${body_for_driver}$function$"
        )
        connection.exec_driver_sql(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    for signature in FUNCTIONS:
        op.execute(f"DROP FUNCTION IF EXISTS {signature}")
