"""Slide pictures and the clinic's logo: PNG, JPEG or WebP only, checked before decoding.

A picture is judged by its bytes, never by its file name, and its size is read from its
header before any pixel is decoded, so a small file that would unpack to gigabytes (a
"decompression bomb") is refused without being unpacked. Pictures an admin adds in the
editor are scaled to the kiosk's screen and saved again, which also drops the camera's
metadata (GPS position, owner, device).
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from kiosk.pack_limits import MAX_FILE_BYTES, megabytes, quoted

MAX_PIXELS = 40_000_000
# The kiosk's largest screen is 1920 × 1080 either way round; more pixels are never shown.
SCREEN_LONG_EDGE = 1920
JPEG_QUALITY = 85

_PIL_FORMATS = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}


class PictureError(Exception):
    """A picture that cannot be used; the message names the file and says why."""


@dataclass(frozen=True)
class ImportedPicture:
    """A picture ready for a content pack: its name in the pack and its bytes."""

    name: str
    data: bytes
    width: int
    height: int


def picture_kind(data: bytes) -> str | None:
    """'png', 'jpeg' or 'webp' from the file's first bytes; None for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def _looks_like_svg(data: bytes) -> bool:
    start = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith(b"<") and b"<svg" in start


def _other_format(data: bytes) -> str | None:
    # Only the header is read, to name the format in the message (a GIF, a TIFF).
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as image:
                return image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None


def _damaged(name: str) -> str:
    return (
        f"the picture '{name}' is damaged or is not a picture; save it again as PNG, JPEG or WebP"
    )


def _not_accepted(data: bytes, name: str) -> str:
    if _looks_like_svg(data):
        return (
            f"the picture '{name}' is an SVG drawing, which the kiosk does not accept; "
            "save it as PNG, JPEG or WebP"
        )
    other = _other_format(data)
    if other is not None:
        return f"the picture '{name}' is a {quoted(other)} file; use PNG, JPEG or WebP"
    return _damaged(name)


def _too_big(name: str, size: int) -> str:
    return (
        f"the picture '{name}' is {megabytes(size)}; pictures can be at "
        f"most {megabytes(MAX_FILE_BYTES)} — save it smaller"
    )


def read_picture_file(path: Path) -> bytes:
    """The bytes of a picture file an admin chose, or PictureError saying why not.

    Its size is looked up first: a file over MAX_FILE_BYTES (a video, a disk image) is
    refused without being read, and no more than that is ever read.
    """
    name = quoted(path.name)
    try:
        size = path.stat().st_size
        if size <= MAX_FILE_BYTES:
            with path.open("rb") as opened:
                data = opened.read(MAX_FILE_BYTES + 1)
            size = len(data)
    except OSError as error:
        raise PictureError(
            f"the picture '{name}' could not be read: {error.strerror or error}"
        ) from error
    if size > MAX_FILE_BYTES:
        raise PictureError(_too_big(name, size))
    return data


def picture_pixels(data: bytes) -> int:
    """The pixels a picture's header declares, for one the kiosk would decode to check.

    0 for anything `picture_problem` refuses without decoding (not PNG, JPEG or WebP;
    over MAX_PIXELS), so a pack's pixels can be counted before any is decoded.
    """
    kind = picture_kind(data)
    if kind is None:
        return 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[kind]]) as image:
                width, height = image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return 0
    pixels = width * height
    return pixels if pixels <= MAX_PIXELS else 0


def picture_problem(data: bytes, name: str) -> str | None:
    """What is wrong with a picture, in words an admin understands; None when it is fine."""
    name = quoted(name)
    if len(data) > MAX_FILE_BYTES:
        return _too_big(name, len(data))
    kind = picture_kind(data)
    if kind is None:
        return _not_accepted(data, name)
    limit = (
        f"more than {MAX_PIXELS // 1_000_000} megapixels; make it smaller "
        f"(at most {SCREEN_LONG_EDGE} pixels on its long side is plenty)"
    )
    try:
        with warnings.catch_warnings():
            # Our own limit is lower than Pillow's warning; its warning adds nothing.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[kind]]) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return f"the picture '{name}' is {width} × {height} pixels, {limit}"
                # Checksums (PNG's CRCs) catch damage that decoding alone lets through.
                image.verify()
            with Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[kind]]) as image:
                image.load()
    except Image.DecompressionBombError:
        return f"the picture '{name}' has {limit}"
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        return _damaged(name)
    return None


def _has_transparency(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        alpha = image.convert("RGBA").getchannel("A")
        low = alpha.getextrema()[0]
        return isinstance(low, int | float) and low < 255
    return False


def import_picture(data: bytes, file_name: str) -> ImportedPicture:
    """A picture from disk made ready for a slide: checked, scaled, saved again.

    It fits within SCREEN_LONG_EDGE pixels, is turned upright as the camera meant it,
    and is saved as JPEG (photos) or PNG (when it has transparent parts), without any
    metadata. Raises PictureError naming the file when it cannot be used.
    """
    problem = picture_problem(data, file_name)
    if problem is not None:
        raise PictureError(problem)
    kind = picture_kind(data)
    assert kind is not None  # picture_problem refuses anything else
    with Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[kind]]) as opened:
        image = ImageOps.exif_transpose(opened)
        if image is None:  # pragma: no cover - only with in_place=True
            image = opened
        image.thumbnail((SCREEN_LONG_EDGE, SCREEN_LONG_EDGE), Image.Resampling.LANCZOS)
        output = io.BytesIO()
        if _has_transparency(image):
            image.convert("RGBA").save(output, format="PNG", optimize=True)
            extension = "png"
        else:
            image.convert("RGB").save(output, format="JPEG", quality=JPEG_QUALITY, optimize=True)
            extension = "jpg"
        width, height = image.size
    encoded = output.getvalue()
    digest = hashlib.sha256(encoded).hexdigest()[:12]
    return ImportedPicture(f"pictures/{digest}.{extension}", encoded, width, height)
