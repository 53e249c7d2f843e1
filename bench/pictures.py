"""Pictures for the slide benchmark: the largest a content import stores, and the import
itself, through the admin editor's own `kiosk.pictures.import_picture`."""

from __future__ import annotations

import io

from PIL import Image, ImageFilter

from kiosk.pictures import import_picture

MAX_PIXELS = 40_000_000
LONG_EDGE = 1920


def photo_like(width: int, height: int, *, seed: int = 9) -> Image.Image:
    """A picture with a photo's detail (smooth shapes and fine grain), so JPEG works hard."""
    grain = Image.effect_noise((width // 4, height // 4), 64).convert("L")
    shapes = Image.radial_gradient("L").resize((width, height))
    red = Image.merge(
        "RGB",
        (shapes, grain.resize((width, height)), Image.linear_gradient("L").resize((width, height))),
    )
    fine = Image.effect_noise((width, height), 30 + seed % 5).convert("RGB")
    return Image.blend(red.filter(ImageFilter.GaussianBlur(3)), fine, 0.25)


def encoded(image: Image.Image, image_format: str, **options: object) -> bytes:
    """`image` saved as `image_format` bytes."""
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def largest_stored_picture() -> bytes:
    """The largest picture an import stores: 1920 × 1920 (long edge at the limit, square)."""
    return encoded(photo_like(LONG_EDGE, LONG_EDGE), "JPEG", quality=90)


def twelve_megapixel_photo() -> bytes:
    """A 4000 × 3000 JPEG, as a phone camera takes."""
    return encoded(photo_like(4000, 3000), "JPEG", quality=92)


def import_picture_for_a_slide(data: bytes) -> bytes:
    """The admin editor's own import (kiosk.pictures): checked, scaled to a 1920 px long
    edge and re-encoded."""
    return import_picture(data, "photo.jpg").data
