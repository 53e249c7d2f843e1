"""A finger-drawn signature: strokes as data, and the PNG printed on the summary."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

Point = tuple[float, float]
Stroke = tuple[Point, ...]

INK = (16, 32, 64, 255)
PEN_WIDTH = 4


@dataclass(frozen=True)
class Signature:
    """The strokes a patient drew on a pad of `width` × `height` pixels."""

    strokes: tuple[Stroke, ...]
    width: int
    height: int

    @property
    def is_empty(self) -> bool:
        """True when nothing that looks like a mark was drawn (a tap is not a signature)."""
        return sum(len(stroke) for stroke in self.strokes) < 3

    def as_data(self) -> dict[str, object]:
        """The strokes as plain data for storage (JSON)."""
        return {
            "width": self.width,
            "height": self.height,
            "strokes": [[[round(x, 1), round(y, 1)] for x, y in stroke] for stroke in self.strokes],
        }

    @classmethod
    def from_stored(cls, stored: str | None) -> Signature | None:
        """Strokes as stored (`as_data` in JSON), or None for none or unreadable ones."""
        if not stored:
            return None
        try:
            data = json.loads(stored)
            return cls(
                tuple(tuple((float(x), float(y)) for x, y in stroke) for stroke in data["strokes"]),
                int(data["width"]),
                int(data["height"]),
            )
        except (ValueError, KeyError, TypeError):
            return None

    def png(self) -> bytes:
        """Dark ink on a transparent background, the pad's size."""
        # Pillow only here: the kiosk's first frame imports this module (through the
        # visit's steps) and must not wait for an image library it does not draw with.
        from PIL import Image, ImageDraw

        image = Image.new("RGBA", (max(self.width, 1), max(self.height, 1)), (255, 255, 255, 0))
        draw = ImageDraw.Draw(image)
        for stroke in self.strokes:
            if len(stroke) == 1:
                x, y = stroke[0]
                r = PEN_WIDTH / 2
                draw.ellipse((x - r, y - r, x + r, y + r), fill=INK)
            else:
                draw.line(stroke, fill=INK, width=PEN_WIDTH, joint="curve")
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()
