"""Pictures for slides: only PNG, JPEG and WebP, judged by their bytes, bombs refused unopened."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, ImageFile

from kiosk.pictures import (
    MAX_PIXELS,
    SCREEN_LONG_EDGE,
    PictureError,
    import_picture,
    picture_problem,
)


def _photo(width: int, height: int, image_format: str = "JPEG", **options: object) -> bytes:
    # A gradient rather than a flat colour, so JPEG has real work to do.
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    image.save(out, format=image_format, **options)
    return out.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge size (how a decompression bomb starts)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def no_pixels_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if any picture's pixels are decoded."""

    def refuse(self: ImageFile.ImageFile) -> None:
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


@pytest.mark.usefixtures("no_pixels_decoded")
def test_a_header_claiming_a_huge_picture_is_refused_without_decoding() -> None:
    problem = picture_problem(_png_claiming(9000, 9000), "bomb.png")
    assert problem == (
        "the picture 'bomb.png' is 9000 × 9000 pixels, more than 40 megapixels; make it "
        "smaller (at most 1920 pixels on its long side is plenty)"
    )
    # Past Pillow's own hard limit too: refused in the same words, not a crash.
    assert "more than 40 megapixels" in (picture_problem(_png_claiming(100_000, 100_000), "x.png"))


def test_a_real_compressed_bomb_over_40_megapixels_is_refused(
    no_pixels_decoded: None,
) -> None:
    out = io.BytesIO()
    Image.new("1", (7000, 6000)).save(out, format="PNG")  # 42 megapixels, a few kB
    assert MAX_PIXELS < 7000 * 6000
    assert len(out.getvalue()) < 200_000
    problem = picture_problem(out.getvalue(), "pictures/calm.png")
    assert problem is not None
    assert "is 7000 × 6000 pixels, more than 40 megapixels" in problem


def test_svg_is_refused_by_name() -> None:
    svg = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10"/>'
    assert picture_problem(svg, "logo.png") == (
        "the picture 'logo.png' is an SVG drawing, which the kiosk does not accept; "
        "save it as PNG, JPEG or WebP"
    )


def test_a_file_that_is_not_a_picture_under_a_pictures_name_is_refused() -> None:
    assert picture_problem(b"Dear patient,\nthis is a letter.", "room.jpg") == (
        "the picture 'room.jpg' is damaged or is not a picture; save it again as PNG, JPEG or WebP"
    )


def test_another_picture_format_is_named() -> None:
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    assert picture_problem(gif.getvalue(), "room.png") == (
        "the picture 'room.png' is a GIF file; use PNG, JPEG or WebP"
    )


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_a_truncated_picture_is_refused(image_format: str) -> None:
    whole = _photo(300, 200, image_format)
    assert picture_problem(whole, "room") is None
    problem = picture_problem(whole[: len(whole) // 2], "room")
    assert problem is not None
    assert "is damaged or is not a picture" in problem


def test_a_corrupt_picture_is_refused() -> None:
    whole = bytearray(_photo(300, 200, "PNG"))
    whole[200:260] = b"\x00" * 60  # inside the compressed pixels
    problem = picture_problem(bytes(whole), "room.png")
    assert problem is not None
    assert "is damaged or is not a picture" in problem


def test_a_picture_over_10_mb_is_refused() -> None:
    huge = _photo(100, 100, "PNG") + b"\0" * (10 * 1024 * 1024)
    problem = picture_problem(huge, "scan.png")
    assert (
        problem
        == "the picture 'scan.png' is 10 MB; pictures can be at most 10 MB — save it smaller"
    )


def test_import_scales_a_photo_to_the_screen_and_drops_its_metadata() -> None:
    exif = Image.Exif()
    exif[0x013B] = "Dr. Somebody"  # Artist
    exif[0x0112] = 6  # Orientation: taken with the camera turned a quarter
    photo = _photo(4000, 3000, "JPEG", exif=exif.tobytes())
    imported = import_picture(photo, "IMG_0001.JPG")
    assert imported.name.startswith("pictures/")
    assert imported.name.endswith(".jpg")
    with Image.open(io.BytesIO(imported.data)) as image:
        assert image.format == "JPEG"
        # Turned upright as the camera meant, then fitted: the long side is the screen's.
        assert image.size == (SCREEN_LONG_EDGE * 3 // 4, SCREEN_LONG_EDGE)
        assert (imported.width, imported.height) == image.size
        assert not image.getexif()
    assert b"Dr. Somebody" not in imported.data


def test_import_keeps_transparency_as_png_and_small_pictures_their_size() -> None:
    logo = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    logo.paste((20, 90, 160, 255), (10, 10, 290, 110))
    out = io.BytesIO()
    logo.save(out, format="WEBP", lossless=True)
    imported = import_picture(out.getvalue(), "logo.webp")
    assert imported.name.endswith(".png")
    with Image.open(io.BytesIO(imported.data)) as image:
        assert (image.format, image.size, image.mode) == ("PNG", (300, 120), "RGBA")


def test_import_refuses_what_the_checks_refuse_naming_the_file() -> None:
    with pytest.raises(PictureError, match=r"'drawing\.svg' is an SVG drawing"):
        import_picture(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "drawing.svg")
