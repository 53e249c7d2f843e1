"""The bundled pack's slide pictures: one a slide, described in every language, redrawable."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from kiosk.content import ContentPack
from kiosk.pack_loader import bundled_pack_dir, load_pack
from kiosk.pictures import picture_kind, picture_problem
from tools.draw_slide_pictures import DRAWINGS, HEIGHT, WIDTH, draw, main


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return load_pack(bundled_pack_dir())


def test_every_bundled_slide_has_a_picture_with_a_description(pack: ContentPack) -> None:
    """The default content does not look like a text document: every slide has a
    picture, and a screen reader says what it shows."""
    for slide in pack.slides:
        assert slide.picture == f"pictures/{slide.id}.png", slide.id
        data = pack.pictures[slide.picture]
        assert picture_kind(data) == "png"
        assert picture_problem(data, slide.picture) is None
        assert slide.picture_alt, f"{slide.id} has no description"
        assert len(slide.picture_alt.split()) >= 6, slide.picture_alt
    # Small files: eleven pictures add little to a stored content version.
    assert sum(len(d) for d in pack.pictures.values()) < 200_000


def test_every_description_is_translated(pack: ContentPack) -> None:
    """A Spanish-speaking patient's screen reader describes the picture in Spanish."""
    for language in pack.translations:
        shown = pack.in_language(language)
        for english, translated in zip(pack.slides, shown.slides, strict=True):
            assert translated.picture == english.picture
            assert translated.picture_alt, (language, english.id)
            assert translated.picture_alt != english.picture_alt, (language, english.id)


def test_the_pictures_are_the_ones_the_script_draws(pack: ContentPack) -> None:
    """The PNGs in the pack come from tools/draw_slide_pictures.py: a change to a
    drawing is committed with its redrawn picture (compared by pixels, not bytes, so
    another Pillow's encoder does not matter)."""
    assert set(DRAWINGS) == {slide.id for slide in pack.slides}
    for slide_id in DRAWINGS:
        shipped = Image.open(io.BytesIO(pack.pictures[f"pictures/{slide_id}.png"]))
        assert shipped.size == (WIDTH, HEIGHT)
        drawn = draw(slide_id).quantize(256, method=Image.Quantize.FASTOCTREE)
        difference = ImageChops.difference(shipped.convert("RGBA"), drawn.convert("RGBA"))
        assert max(ImageStat.Stat(difference).mean) < 2, slide_id


def test_the_script_writes_one_picture_a_slide(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "pictures"
    monkeypatch.setattr(sys, "argv", ["draw_slide_pictures.py", str(folder)])
    assert main() == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{s}.png" for s in DRAWINGS)
