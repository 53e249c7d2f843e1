"""What admins do to the clinic's content, each in one transaction with its audit entry.

The content editor and the command line use these operations; neither opens a
transaction of its own. The editor's preview runs the kiosk over a throwaway database of
its own, opened here too, so no window touches storage directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiosk import publishing
from kiosk.actor import Actor
from kiosk.audit import AuditAction
from kiosk.content import ContentPack
from kiosk.content_versions import content_in_use, publish_content
from kiosk.database import Database, make_throwaway_database
from kiosk.publishing import Draft, PublishedVersion
from kiosk.translations import TranslatedFrom
from kiosk.unit_of_work import reading, unit_of_work


@dataclass(frozen=True)
class EditorStart:
    """What the editor opens with: the content in use, the saved draft, the versions."""

    in_use: ContentPack
    in_use_version: str
    draft: Draft | None
    versions: tuple[PublishedVersion, ...]


class ContentEditing:
    """The clinic's content: drafts, publishing, versions and restoring them."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def start(self, *, now: datetime) -> EditorStart:
        """The content in use (the bundled pack on a new database), the draft, the versions."""
        with unit_of_work(self.database) as session:
            row, in_use = content_in_use(session, None, now)
            return EditorStart(
                in_use,
                row.sha256,
                publishing.current_draft(session),
                tuple(publishing.versions(session)),
            )

    def content_in_use(self, *, now: datetime) -> tuple[str, ContentPack]:
        """The version patients see now, and its content."""
        with unit_of_work(self.database) as session:
            row, pack = content_in_use(session, None, now)
            return row.sha256, pack

    def save_draft(
        self,
        pack: ContentPack,
        *,
        based_on: str | None,
        by: Actor,
        translated_from: TranslatedFrom | None = None,
    ) -> Draft:
        """Keep the admins' draft (replacing the one before), with its out-of-date translations."""
        with unit_of_work(self.database) as session:
            return publishing.save_draft(
                session, pack, by=by, based_on=based_on, translated_from=translated_from
            )

    def discard_draft(self, *, by: Actor) -> None:
        """Throw the draft away; what patients see stays."""
        with unit_of_work(self.database) as session:
            publishing.discard_draft(session, by=by)

    def publish_draft(self, *, label: str, by: Actor) -> PublishedVersion:
        """Check the draft and make it the content every new visit shows."""
        with unit_of_work(self.database) as session:
            return publishing.publish_draft(session, label=label, by=by)

    def versions(self) -> tuple[PublishedVersion, ...]:
        """Every published version, newest first."""
        with reading(self.database) as session:
            return tuple(publishing.versions(session))

    def version_content(self, number: int) -> ContentPack:
        """What a published version showed."""
        with reading(self.database) as session:
            return publishing.version_content(session, number)

    def import_draft(self, source: Path, *, by: Actor) -> Draft:
        """A pack from a folder or .zip (hostile until checked) becomes the draft."""
        with unit_of_work(self.database) as session:
            return publishing.import_draft(session, source, by=by)

    def export(
        self, target: Path, *, by: Actor, draft: bool = False, version: str | None = None
    ) -> tuple[ContentPack, str]:
        """Write the content in use, the draft or a version to a folder or .zip (audited).

        Returns what was written and how to name it ("the draft", "version number 3"…).
        """
        with unit_of_work(self.database) as session:
            if draft:
                saved = publishing.current_draft(session)
                if saved is None:
                    raise publishing.PublishError("there is no draft to export")
                pack, what = saved.pack, "the draft"
            elif version:
                number = publishing.find_publication(session, version).id
                pack = publishing.version_content(session, number)
                what = f"version number {number}"
            else:
                pack, what = content_in_use(session, None, by.now)[1], "the content in use"
            publishing.export_content(session, pack, target, by=by)
            return pack, what

    def listing(self, by: Actor) -> tuple[tuple[PublishedVersion, ...], Draft | None]:
        """Every published version, newest first, and the draft (the listing is audited)."""
        with unit_of_work(self.database) as session:
            content_in_use(session, None, by.now)  # a new database: the bundled pack is no. 1
            listed = tuple(publishing.versions(session))
            draft = publishing.current_draft(session)
            by.audit(session, AuditAction.CONTENT_VERSIONS_LISTED)
            return listed, draft

    def in_use_label(self, *, now: datetime) -> tuple[str, str, ContentPack]:
        """The content in use: its label, its version and its content."""
        with unit_of_work(self.database) as session:
            row, pack = content_in_use(session, None, now)
            return row.label, row.sha256, pack

    def restore_named(self, wanted: str, *, label: str, by: Actor) -> tuple[int, PublishedVersion]:
        """Restore the version named by number or version hash; returns its number too."""
        with unit_of_work(self.database) as session:
            number = publishing.find_publication(session, wanted).id
            return number, publishing.restore(session, number, label=label, by=by)

    def restore(self, number: int, *, label: str, by: Actor) -> PublishedVersion:
        """Publish an older version again, as a new version with its own label."""
        with unit_of_work(self.database) as session:
            return publishing.restore(session, number, label=label, by=by)


def open_preview_database(folder: Path, pack: ContentPack, *, now: datetime) -> Database:
    """A throwaway database in `folder` whose content in use is `pack`, for a preview.

    Nothing of the clinic's is in it and nothing in it is the clinic's: a preview can
    neither read nor store a real visit.
    """
    # Made here, unlike the clinic's: a preview's database is thrown away with its folder.
    database = make_throwaway_database(f"sqlite:///{(folder / 'preview.sqlite3').as_posix()}")
    with database.session() as session, session.begin():
        publish_content(session, pack, label="preview", published_by="preview", now=now)
    return database
