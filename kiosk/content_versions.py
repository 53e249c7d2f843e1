"""Content versions: each pack a clinic has shown, stored once, and which one is in use.

Functions take a `Session` and never make one: the caller owns the unit of work.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.content import ContentPack, pack_from_canonical
from kiosk.models import ContentPictureRow, ContentPublicationRow, ContentVersionRow
from kiosk.pack_loader import bundled_pack_dir, load_pack


def store_content(
    session: Session, pack: ContentPack, *, label: str, stored_by: str, now: datetime
) -> ContentVersionRow:
    """Store `pack` as a content version (the same text is stored only once), unpublished.

    A version is the clinic's content only once it is published; a trial pack from a
    folder is stored this way so its visits say exactly what they showed.
    """
    existing = session.scalar(
        select(ContentVersionRow).where(ContentVersionRow.sha256 == pack.version)
    )
    if existing is not None:
        return existing
    row = ContentVersionRow(
        sha256=pack.version,
        label=label,
        published_at=now,
        published_by=stored_by,
        canonical=pack.canonical_bytes(),
    )
    row.pictures = [ContentPictureRow(name=name, data=data) for name, data in pack.pictures.items()]
    session.add(row)
    session.flush()
    return row


def publish_content(
    session: Session,
    pack: ContentPack,
    *,
    label: str,
    published_by: str,
    now: datetime,
    restored_from: ContentPublicationRow | None = None,
) -> ContentPublicationRow:
    """Make `pack` the clinic's content from the next visit on: a new publication.

    Publishing text that is already stored (a restore) adds a publication of the stored
    version, so the newest publication always names the content in use.
    """
    version = store_content(session, pack, label=label, stored_by=published_by, now=now)
    publication = ContentPublicationRow(
        content_version=version,
        label=label,
        published_at=now,
        published_by=published_by,
        restored_from_id=restored_from.id if restored_from else None,
    )
    session.add(publication)
    session.flush()
    return publication


def newest_publication(session: Session) -> ContentPublicationRow | None:
    """The newest publication: its version is the content in use."""
    return session.scalar(
        select(ContentPublicationRow).order_by(ContentPublicationRow.id.desc()).limit(1)
    )


def newest_content(session: Session) -> ContentVersionRow | None:
    """The content version in use: the one published last, if any."""
    publication = newest_publication(session)
    return publication.content_version if publication else None


def content_of(row: ContentVersionRow) -> ContentPack:
    """The pack stored in a content version."""
    return pack_from_canonical(row.canonical, {p.name: p.data for p in row.pictures})


def content_in_use(
    session: Session, content_dir: Path | None, now: datetime
) -> tuple[ContentVersionRow, ContentPack]:
    """The content version new visits use, with its pack.

    Normally the newest published version; on a new database the bundled pack becomes
    version 1. A `content_dir` (development and trials) is stored as an unpublished
    version of its own, so its visits still say exactly what was shown, while the
    clinic's published content stays in use for everyone else.
    """
    newest = newest_content(session)
    if newest is None:
        bundled = load_pack(bundled_pack_dir())
        newest = publish_content(
            session, bundled, label="bundled default content", published_by="first start", now=now
        ).content_version
    if content_dir is None:
        return newest, content_of(newest)
    pack = load_pack(content_dir)
    trial = store_content(
        session,
        pack,
        label=f"trial from folder {content_dir.name}",
        stored_by="content folder",
        now=now,
    )
    return trial, pack
