"""Publishing content: the admins' draft, new versions, earlier versions and restores.

This is the one place the admin editor and `kiosk content …` change what patients see.
Every function takes the caller's session and never commits: a publish is one
transaction, so one that fails half-way (a full disk, a crash) leaves the previous
version in force. Kiosks read the content in use at the start of each visit, so a
publish reaches a kiosk at its next visit and never in the middle of one.

Content is checked before it is stored: a draft may be unfinished, but what is
published is exactly what `kiosk content import` would accept, because both go through
the same loader (the draft is written out as a pack and read back).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from kiosk import draft_check, translations
from kiosk.actor import Actor
from kiosk.audit import AuditAction
from kiosk.content import ContentPack, Question, pack_from_canonical
from kiosk.content_versions import content_in_use, content_of, newest_publication, publish_content
from kiosk.models import (
    ContentDraftPictureRow,
    ContentDraftRow,
    ContentPublicationRow,
    ContentVersionRow,
    VisitRow,
)
from kiosk.pack_archive import export_pack, read_pack
from kiosk.pack_loader import ContentPackError
from kiosk.risk import risk_path_problems

MAX_LABEL_LENGTH = 200


class PublishError(Exception):
    """Content that cannot be published or restored; the message says why in plain words.

    `problems` lists what is wrong with the content itself, when that is the reason.
    """

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        self.problems = problems or []
        super().__init__("\n".join([message, *self.problems]))


@dataclass(frozen=True)
class PublishedVersion:
    """One publish, as the list of versions shows it."""

    number: int  # the publication's number, counted from 1; `kiosk content restore N`
    label: str
    published_by: str
    published_at: datetime
    version: str  # the SHA-256 of the content
    visits: int  # stored visits that saw this publish (`VisitRow.content_publication_id`)
    in_use: bool  # the content new visits get
    restored_from: int | None  # for a restore: the number of the publish it brought back

    @property
    def short_version(self) -> str:
        """The first 12 hex digits of the version, as the summary prints it."""
        return self.version[:12]


@dataclass(frozen=True)
class Draft:
    """The admins' draft: what it holds, who saved it and when."""

    pack: ContentPack
    saved_by: str
    saved_at: datetime
    based_on: str | None  # the version in use when editing began (its SHA-256)
    # Translations whose clinic-language words changed since (`kiosk.translations`).
    translated_from: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def check_pack(pack: ContentPack) -> ContentPack:
    """The pack as it would be published, or ContentPackError (`draft_check.check_pack`)."""
    return draft_check.check_pack(pack)


def _label(label: str) -> str:
    cleaned = " ".join(label.split())
    if not cleaned:
        raise PublishError("a version needs a label, for example 'new driving slide'")
    if len(cleaned) > MAX_LABEL_LENGTH:
        raise PublishError(f"a label can be at most {MAX_LABEL_LENGTH} characters")
    return cleaned


# --- the draft ------------------------------------------------------------------------------


def current_draft(session: Session) -> Draft | None:
    """The clinic's draft, if an admin saved one and it has not been published since."""
    row = session.scalar(
        select(ContentDraftRow).options(selectinload(ContentDraftRow.pictures)).limit(1)
    )
    if row is None:
        return None
    based_on = session.get(ContentVersionRow, row.based_on_version_id)
    pack = pack_from_canonical(row.canonical, {p.name: p.data for p in row.pictures})
    return Draft(
        pack,
        row.saved_by,
        row.saved_at,
        based_on.sha256 if based_on else None,
        _translated_from(pack, row.translated_from),
    )


def _translated_from(pack: ContentPack, stored: str | None) -> dict[str, dict[str, str]]:
    try:
        found = json.loads(stored or "{}")
    except ValueError:
        return {}
    if not isinstance(found, dict):
        return {}
    # Only what is still out of date in this pack counts.
    return translations.follow_edit(pack, pack, found)


def save_draft(
    session: Session,
    pack: ContentPack,
    *,
    by: Actor,
    based_on: str | None = None,
    translated_from: translations.TranslatedFrom | None = None,
) -> Draft:
    """Keep `pack` as the clinic's draft, replacing any earlier one; problems are allowed.

    `based_on` is the version the admin started editing from (default: the one in use).
    `translated_from` marks the translations that are out of date (the editor follows
    each edit); by default they are worked out against the draft (or content) before.
    """
    if translated_from is None:
        earlier = current_draft(session)
        if earlier is not None:
            translated_from = translations.follow_edit(earlier.pack, pack, earlier.translated_from)
        else:
            in_use = content_in_use(session, None, by.now)[1]
            translated_from = translations.follow_edit(in_use, pack, {})
    else:
        translated_from = translations.follow_edit(pack, pack, translated_from)
    if based_on is None:
        based_on = content_in_use(session, None, by.now)[0].sha256
    base = session.scalar(select(ContentVersionRow.id).where(ContentVersionRow.sha256 == based_on))
    _drop_drafts(session)
    row = ContentDraftRow(
        canonical=pack.canonical_bytes(),
        saved_at=by.now,
        saved_by=by.audit_name,
        based_on_version_id=base,
        translated_from=json.dumps(translated_from, sort_keys=True) if translated_from else None,
    )
    row.pictures = [ContentDraftPictureRow(name=n, data=d) for n, d in pack.pictures.items()]
    session.add(row)
    session.flush()
    by.audit(
        session,
        AuditAction.CONTENT_DRAFT_SAVED,
        detail=f"{len(pack.slides)} slides, {len(pack.questions)} questions",
    )
    return Draft(pack, by.audit_name, by.now, based_on, translated_from)


def discard_draft(session: Session, *, by: Actor) -> None:
    """Throw the draft away; the content in use is not touched."""
    if _drop_drafts(session):
        by.audit(session, AuditAction.CONTENT_DRAFT_DISCARDED)


def _drop_drafts(session: Session) -> bool:
    had = session.scalar(select(func.count()).select_from(ContentDraftRow)) or 0
    session.execute(delete(ContentDraftPictureRow))
    session.execute(delete(ContentDraftRow))
    return had > 0


def import_draft(session: Session, source: Path, *, by: Actor) -> Draft:
    """Read a pack from a folder or `.zip`, check it, and make it the draft.

    A pack with problems raises ContentPackError and changes nothing.
    """
    pack = read_pack(source)
    # An imported pack's translations are taken as written for its own words.
    draft = save_draft(session, pack, by=by, translated_from={})
    by.audit(
        session,
        AuditAction.CONTENT_IMPORTED,
        detail=f"from {source.name}, version {pack.short_version}",
    )
    return draft


def export_content(session: Session, pack: ContentPack, target: Path, *, by: Actor) -> None:
    """Write `pack` to a folder or `.zip` (ExportError if it cannot) and note it in the audit."""
    export_pack(pack, target)
    by.audit(
        session,
        AuditAction.CONTENT_EXPORTED,
        detail=f"version {pack.short_version} to {target}",
    )


# --- publishing -----------------------------------------------------------------------------


def publish(session: Session, pack: ContentPack, *, label: str, by: Actor) -> PublishedVersion:
    """Make `pack` the content of every visit that starts from now on.

    Raises PublishError (with every problem) when the pack cannot be published; then
    nothing is stored. The draft is cleared once its content is published.
    """
    label = _label(label)
    try:
        checked = check_pack(pack)
    except ContentPackError as error:
        raise PublishError(
            "the content has problems and was not published:",
            [problem.in_words() for problem in error.problems],
        ) from error
    except OSError as error:  # the scratch folder it is checked in: a full disk
        raise PublishError(
            f"the content could not be checked ({error.strerror}); nothing was published"
        ) from error
    risk = risk_path_problems(checked)
    if risk:
        # A PHQ-9 nobody answers for, or without its self-harm item (`kiosk.risk`).
        raise PublishError("the content has problems and was not published:", risk)
    in_use = content_in_use(session, None, by.now)[0]
    if in_use.sha256 == checked.version:
        raise PublishError(
            f"this content is already the one in use (version {checked.short_version}); "
            "nothing was published"
        )
    try:
        publication = publish_content(
            session, checked, label=label, published_by=by.audit_name, now=by.now
        )
        _drop_drafts(session)
        by.audit(
            session,
            AuditAction.CONTENT_PUBLISHED,
            detail=f"version {checked.short_version} '{label}'",
        )
        session.flush()
    except SQLAlchemyError as error:
        raise PublishError(_storage_failed(error)) from error
    return _listed(session, publication)


def publish_draft(session: Session, *, label: str, by: Actor) -> PublishedVersion:
    """Publish the clinic's draft (see `publish`)."""
    draft = current_draft(session)
    if draft is None:
        raise PublishError("there is no draft to publish; import or edit content first")
    waiting = [
        problem.words
        for problem in draft_check.out_of_date_problems(draft.pack, draft.translated_from)
        if problem.blocks
    ]
    if waiting:
        raise PublishError(
            "translations that patients answer or agree to are out of date; translate "
            "them again, or confirm each is still right, then publish:",
            waiting,
        )
    return publish(session, draft.pack, label=label, by=by)


def _storage_failed(error: SQLAlchemyError) -> str:
    reason = str(getattr(error, "orig", None) or error).strip()
    return (
        f"the new version could not be stored ({reason}); nothing was published and the "
        "content in use is unchanged"
    )


def versions(session: Session) -> list[PublishedVersion]:
    """Every publish, newest first, with how many visits saw it (not its text: a restore
    starts from none)."""
    publications = session.scalars(
        select(ContentPublicationRow)
        .options(selectinload(ContentPublicationRow.content_version))
        .order_by(ContentPublicationRow.id.desc())
    ).all()
    visit_counts = select(VisitRow.content_publication_id, func.count()).group_by(
        VisitRow.content_publication_id
    )
    counts: dict[int | None, int] = {row[0]: row[1] for row in session.execute(visit_counts)}
    newest = publications[0].id if publications else None
    return [
        PublishedVersion(
            number=row.id,
            label=row.label,
            published_by=row.published_by,
            published_at=row.published_at,
            version=row.content_version.sha256,
            visits=counts.get(row.id, 0),
            in_use=row.id == newest,
            restored_from=row.restored_from_id,
        )
        for row in publications
    ]


def _listed(session: Session, publication: ContentPublicationRow) -> PublishedVersion:
    return next(v for v in versions(session) if v.number == publication.id)


def find_publication(session: Session, wanted: str) -> ContentPublicationRow:
    """A publish by its number (`3`) or by the start of its version (`4f2a9c…`, 6+ digits)."""
    wanted = wanted.strip().lower()
    if wanted.isdigit():
        row = session.get(ContentPublicationRow, int(wanted))
        if row is None:
            raise PublishError(f"there is no published version number {wanted}")
        return row
    if len(wanted) < 6 or any(ch not in "0123456789abcdef" for ch in wanted):
        raise PublishError(
            f"'{wanted}' is neither a version number nor the start of a version "
            "(at least 6 of its letters and digits)"
        )
    found = session.scalars(
        select(ContentPublicationRow)
        .join(ContentPublicationRow.content_version)
        .where(ContentVersionRow.sha256.startswith(wanted))
        .order_by(ContentPublicationRow.id.desc())
    ).all()
    if len({row.content_version_id for row in found}) > 1:
        raise PublishError(f"more than one version starts with '{wanted}'; give more of it")
    if not found:
        raise PublishError(f"no published version starts with '{wanted}'")
    return found[0]


def version_content(session: Session, number: int) -> ContentPack:
    """The content of an earlier (or the current) publish, to view or export."""
    row = session.get(ContentPublicationRow, number)
    if row is None:
        raise PublishError(f"there is no published version number {number}")
    return content_of(row.content_version)


def restore(session: Session, number: int, *, label: str, by: Actor) -> PublishedVersion:
    """Publish an earlier version's content again: a new publish, with its own label."""
    label = _label(label)
    old = session.get(ContentPublicationRow, number)
    if old is None:
        raise PublishError(f"there is no published version number {number}")
    current = newest_publication(session)
    if current is not None and current.content_version_id == old.content_version_id:
        raise PublishError(
            f"version {number} has the content already in use; nothing was published"
        )
    pack = content_of(old.content_version)
    try:
        # Published before today's rules (the limits on sizes), or stored by other means:
        # what is brought back meets the rules a new publish does.
        check_pack(pack)
    except ContentPackError as error:
        raise PublishError(
            f"version {number} breaks today's rules for content and was not published again:",
            [problem.in_words() for problem in error.problems],
        ) from error
    except OSError as error:  # the scratch folder it is checked in: a full disk
        raise PublishError(
            f"version {number} could not be checked ({error.strerror}); nothing was published"
        ) from error
    try:
        publication = publish_content(
            session, pack, label=label, published_by=by.audit_name, now=by.now, restored_from=old
        )
        by.audit(
            session,
            AuditAction.CONTENT_RESTORED,
            detail=f"version {pack.short_version} of publish {number} as '{label}'",
        )
        session.flush()
    except SQLAlchemyError as error:
        raise PublishError(_storage_failed(error)) from error
    return _listed(session, publication)


# --- what a change affects ------------------------------------------------------------------


def _answers(question: Question, answers: tuple[str, ...]) -> str:
    return " or ".join(question.answer_words(answer) for answer in answers) or "no answer"


def contraindication_changes(before: ContentPack, after: ContentPack) -> list[str]:
    """What an edit does to the contraindication questions, one sentence per change.

    The editor asks an admin to confirm these before publishing: a removed or changed
    contraindication question changes which patients a clinician is asked to see.
    Questions are matched by their ID.
    """
    kept = {question.id: question for question in after.questions}
    changes = []
    for old in before.questions:
        if not old.contraindication:
            continue
        new = kept.get(old.id)
        if new is None:
            changes.append(
                f"The contraindication question “{old.text}” is removed: patients will no "
                f"longer be asked it, so no visit will be flagged for “{old.flag_wording}”. "
                "Visits already stored keep their answers."
            )
            continue
        if not new.contraindication:
            changes.append(
                f"“{old.text}” is no longer a contraindication question; its answers will "
                "not ask a clinician to review the visit."
            )
            continue
        if new.text != old.text:
            changes.append(
                f"The contraindication question “{old.text}” now reads “{new.text}”. "
                "Patients answer the new wording; stored visits keep the old one."
            )
        if new.flag_answers != old.flag_answers:
            changes.append(
                f"“{new.text}” raised a flag for {_answers(old, old.flag_answers)}; it will "
                f"raise one for {_answers(new, new.flag_answers)}."
            )
        if new.flag_wording != old.flag_wording:
            changes.append(
                f"Staff will read “{new.flag_wording}” instead of “{old.flag_wording}” "
                f"when “{new.text}” raises a flag."
            )
    return changes


def new_item_id(title: str, taken: Iterable[str]) -> str:
    """An ID for a new slide, question or statement, made from its title, not yet taken.

    IDs are small letters, digits and hyphens (like 'after-the-infusion'); they link a
    stored visit's answers and slide times to the text, so an item keeps its ID when
    its wording changes.
    """
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    base = "-".join(re.findall(r"[a-z0-9]+", plain))[:56].strip("-") or "item"
    used = set(taken)
    candidate, number = base, 2
    while candidate in used:
        candidate, number = f"{base}-{number}", number + 1
    return candidate
