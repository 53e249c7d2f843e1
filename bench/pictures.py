"""Pictures for the slide benchmark: the largest a content import stores, and the import.

`import_picture_stand_in` stands in for the admin editor's picture import (issue 6, being
built): pictures over 40 megapixels are refused; the rest are scaled to the kiosk's
screen (long edge 1920 px) and re-encoded. Swap it for the real import function when
that lands; the benchmark calls it by this one name.
"""

from __future__ import annotations

import io

from PIL import Image, ImageFilter

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


def import_picture_stand_in(data: bytes) -> bytes:
    """Decode, refuse over 40 MP, scale to a 1920 px long edge and re-encode as JPEG.

    Stands in for issue 6's import until it lands. `draft` lets libjpeg decode at a
    half, quarter or eighth of the size when that still covers 1920 px.
    """
    with Image.open(io.BytesIO(data)) as image:
        if image.width * image.height > MAX_PIXELS:
            raise ValueError("pictures over 40 megapixels are refused")
        scale = LONG_EDGE / max(image.size)
        target = (round(image.width * min(scale, 1)), round(image.height * min(scale, 1)))
        if image.format == "JPEG":
            image.draft("RGB", target)
        picture = image.convert("RGB")
        if picture.size != target:
            picture = picture.resize(target, Image.Resampling.LANCZOS, reducing_gap=2.0)
        return encoded(picture, "JPEG", quality=88, optimize=True)
