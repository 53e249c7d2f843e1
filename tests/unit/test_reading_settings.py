"""The pack settings that judge whether the slides were read: rate and share."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from kiosk.content import ContentPack, pack_from_canonical, word_count
from kiosk.pack_archive import pack_files
from kiosk.pack_loader import PACK_FILE, ContentPackError, load_pack


def _settings(pack_copy: Path, lines: str) -> Path:
    pack_file = pack_copy / PACK_FILE
    kept = [
        line
        for line in pack_file.read_text().splitlines()
        if "reading_" not in line and not line.lstrip().startswith("#")
    ]
    pack_file.write_text("\n".join(kept) + "\n" + lines)
    return pack_file


def test_the_bundled_pack_reads_at_200_words_a_minute_and_notes_under_a_third(
    pack: ContentPack,
) -> None:
    assert pack.reading_words_per_minute == 200
    assert pack.reading_time_fraction == Fraction(1, 3)


def test_packs_that_keep_the_defaults_keep_their_content_version(
    pack: ContentPack, pack_copy: Path
) -> None:
    # A pack written before these were settings (no such lines) is the same version as
    # one that spells the defaults out: no clinic's content version moves.
    _settings(pack_copy, "")
    without = load_pack(pack_copy)
    _settings(pack_copy, "  reading_words_per_minute: 200\n  reading_time_fraction: 1/3\n")
    assert load_pack(pack_copy).version == without.version
    assert "reading" not in pack.canonical()


def test_a_clinic_that_sets_its_own_rate_and_share_gets_a_new_version_that_keeps_them(
    pack_copy: Path,
) -> None:
    before = load_pack(pack_copy)
    _settings(pack_copy, "  reading_words_per_minute: 150\n  reading_time_fraction: 0.25\n")
    after = load_pack(pack_copy)
    assert (after.reading_words_per_minute, after.reading_time_fraction) == (150, Fraction(1, 4))
    assert after.version != before.version
    # Stored (canonical) and exported (files) packs keep the settings.
    again = pack_from_canonical(after.canonical_bytes(), after.pictures)
    assert (again.reading_words_per_minute, again.reading_time_fraction) == (150, Fraction(1, 4))
    exported = pack_files(after)[PACK_FILE].decode()
    assert "reading_words_per_minute: 150" in exported
    assert "reading_time_fraction: 1/4" in exported


def test_a_clinic_period_for_returning_patients_is_kept_stored_and_exported(
    pack_copy: Path,
) -> None:
    before = load_pack(pack_copy)
    assert before.consent_valid_days == 365
    _settings(pack_copy, "  consent_valid_days: 180\n")
    after = load_pack(pack_copy)
    assert after.consent_valid_days == 180
    assert after.version != before.version
    assert pack_from_canonical(after.canonical_bytes(), {}).consent_valid_days == 180
    assert "consent_valid_days: 180" in pack_files(after)[PACK_FILE].decode()


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("reading_words_per_minute: 0", "'reading_words_per_minute' should be a whole number"),
        ("reading_words_per_minute: fast", "'reading_words_per_minute' should be a whole number"),
        ("reading_time_fraction: 2", "'reading_time_fraction' should be a share from 0 to 1"),
        ("reading_time_fraction: 1/0", "'reading_time_fraction' should be a share from 0 to 1"),
        ("reading_time_fraction: a third", "'reading_time_fraction' should be a share"),
        ("reading_time_fraction: -0.5", "'reading_time_fraction' should be a share"),
        # The clinic's period for a returning patient's consent (issue 27).
        ("consent_valid_days: 0", "'consent_valid_days' should be a whole number"),
        ("consent_valid_days: a year", "'consent_valid_days' should be a whole number"),
        ("consent_valid_days: 4000", "'consent_valid_days' should be a whole number"),
    ],
)
def test_a_bad_setting_names_the_file_and_its_line(pack_copy: Path, line: str, says: str) -> None:
    pack_file = _settings(pack_copy, f"  {line}\n")
    number = pack_file.read_text().splitlines().index(f"  {line}") + 1
    with pytest.raises(ContentPackError) as caught:
        load_pack(pack_copy)
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{PACK_FILE}:{number}:")
    assert says in str(problem)


def test_words_are_counted_as_a_reader_reads_them() -> None:
    assert word_count("**Don't** drive - rest at home.\n- Call 988 if you're worried") == 10
