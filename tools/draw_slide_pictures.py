"""Draw the bundled content pack's slide pictures: calm, flat, original illustrations.

    .venv/bin/python tools/draw_slide_pictures.py [PICTURES_FOLDER]

Writes one PNG per slide of the bundled pack (resources/content/default/pictures/ by
default), named by the slide's ID. The pack's slides.yaml names each picture and
describes it for people who cannot see it; the translations describe it in their
language. Run it again after changing a drawing and commit the PNGs: the pack's version
is a hash of its bytes, pictures included, so a clinic's stored visits still say
exactly what was shown.

Drawn with Pillow (already a dependency for checking pictures) at four times the size
and scaled down, which smooths every edge. No words in the pictures: the same picture
serves every language.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image, ImageDraw

# The picture as shown: 3:2, small enough to sit beside 70-character lines on a wide
# screen and above the text on a tall one without pushing the text off the screen.
WIDTH, HEIGHT = 600, 400
SCALE = 4  # drawn this many times larger, then scaled down: smooth edges

# The kiosk's own colours (resources/styles/kiosk.qss), and softer tints of them.
CARD = "#e4edf3"
NAVY = "#16324a"
BLUE = "#1d5fa8"
SKY = "#a9c9e8"
PALE = "#d4e4f2"
WHITE = "#ffffff"
GREEN = "#2e7d55"
MINT = "#bfe0cc"
SAND = "#f3d59a"
WARM = "#fff4d6"
STONE = "#8a97a3"
RED = "#b3261e"
LINE = 8  # the usual stroke, in picture pixels

Point = tuple[float, float]


class Canvas:
    """Drawing in picture pixels (600 × 400) on a canvas SCALE times larger."""

    def __init__(self) -> None:
        self.image = Image.new("RGBA", (WIDTH * SCALE, HEIGHT * SCALE), (0, 0, 0, 0))
        self.draw = ImageDraw.Draw(self.image)
        # The card the drawing sits on: rounded, a soft tint of the kiosk's blue.
        self.rounded((0, 0, WIDTH - 1, HEIGHT - 1), 36, fill=CARD)

    @staticmethod
    def _box(box: Sequence[float]) -> list[float]:
        return [v * SCALE for v in box]

    def rounded(
        self, box: Sequence[float], radius: float, fill: str | None = None, outline: str = ""
    ) -> None:
        """A rounded rectangle (x0, y0, x1, y1)."""
        self.draw.rounded_rectangle(
            self._box(box),
            radius * SCALE,
            fill=fill,
            outline=outline or None,
            width=LINE * SCALE if outline else 0,
        )

    def ellipse(
        self, box: Sequence[float], fill: str | None = None, outline: str = "", width: float = LINE
    ) -> None:
        """An ellipse inside (x0, y0, x1, y1)."""
        self.draw.ellipse(
            self._box(box), fill=fill, outline=outline or None, width=round(width * SCALE)
        )

    def circle(
        self,
        centre: Point,
        radius: float,
        fill: str | None = None,
        outline: str = "",
        width: float = LINE,
    ) -> None:
        """A circle around `centre`."""
        x, y = centre
        self.ellipse((x - radius, y - radius, x + radius, y + radius), fill, outline, width)

    def polygon(self, points: Sequence[Point], fill: str) -> None:
        """A filled polygon."""
        self.draw.polygon([(x * SCALE, y * SCALE) for x, y in points], fill=fill)

    def line(self, points: Sequence[Point], colour: str = NAVY, width: float = LINE) -> None:
        """A stroke through `points`, with round ends and joints."""
        scaled = [(x * SCALE, y * SCALE) for x, y in points]
        self.draw.line(scaled, fill=colour, width=round(width * SCALE), joint="curve")
        for x, y in (scaled[0], scaled[-1]):  # round caps
            r = width * SCALE / 2
            self.draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)

    def arc(
        self,
        box: Sequence[float],
        start: float,
        end: float,
        colour: str = NAVY,
        width: float = LINE,
    ) -> None:
        """Part of an ellipse's outline from `start` to `end` degrees, clockwise from three."""
        self.draw.arc(self._box(box), start, end, fill=colour, width=round(width * SCALE))

    def picture(self) -> Image.Image:
        """The finished picture at its shown size."""
        return self.image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


def _tick(c: Canvas, x: float, y: float, size: float, colour: str = GREEN) -> None:
    c.line([(x, y), (x + size * 0.35, y + size * 0.35), (x + size, y - size * 0.45)], colour, 9)


def infusion_chair(c: Canvas) -> None:
    """A reclining treatment chair beside a drip stand with its bag."""
    c.ellipse((90, 330, 470, 356), fill=PALE)  # its shadow on the floor
    # The drip stand: pole, feet, hook, bag, drip chamber, and the line to the arm rest.
    c.line([(430, 70), (430, 338)], STONE, 8)
    c.line([(395, 340), (465, 340)], STONE, 8)
    c.line([(410, 70), (450, 70)], STONE, 6)
    c.rounded((395, 80, 465, 170), 16, fill=WHITE, outline=NAVY)
    c.rounded((403, 118, 457, 162), 8, fill=SKY)
    c.rounded((422, 170, 438, 200), 5, fill=NAVY)
    c.line([(430, 200), (428, 240), (380, 255), (335, 236)], BLUE, 5)
    # The chair, leaning back: back rest, seat, leg rest, arm rest and its foot.
    c.polygon([(120, 90), (165, 80), (225, 230), (180, 244)], BLUE)
    c.rounded((150, 220, 330, 262), 20, fill=BLUE)
    c.polygon([(300, 226), (330, 222), (392, 288), (360, 300)], BLUE)
    c.rounded((196, 196, 330, 222), 13, fill=NAVY)
    c.polygon([(120, 90), (165, 80), (172, 98), (128, 108)], SKY)  # head cushion
    c.rounded((225, 262, 255, 320), 8, fill=NAVY)
    c.rounded((170, 316, 310, 338), 11, fill=NAVY)


def clock(c: Canvas) -> None:
    """A clock at two o'clock beside a small green sprout: help within hours."""
    c.circle((230, 200), 140, fill=WHITE, outline=NAVY, width=12)
    for hour in range(12):
        angle = math.radians(hour * 30)
        inner = 112 if hour % 3 else 100
        c.line(
            [
                (230 + inner * math.sin(angle), 200 - inner * math.cos(angle)),
                (230 + 124 * math.sin(angle), 200 - 124 * math.cos(angle)),
            ],
            NAVY if hour % 3 == 0 else STONE,
            8 if hour % 3 == 0 else 5,
        )
    c.line([(230, 200), (230, 110)], NAVY, 12)  # the minute hand at twelve
    c.line([(230, 200), (285, 168)], BLUE, 14)  # the hour hand at two
    c.circle((230, 200), 12, fill=NAVY)
    # The sprout: a stem and two leaves growing from a small pot.
    c.line([(470, 300), (470, 190)], GREEN, 8)
    c.ellipse((470, 170, 540, 210), fill=MINT, outline=GREEN, width=6)
    c.ellipse((400, 210, 470, 250), fill=MINT, outline=GREEN, width=6)
    c.polygon([(430, 296), (510, 296), (498, 350), (442, 350)], SAND)


def resting_face(c: Canvas) -> None:
    """A calm face with closed eyes, resting: dizzy or sleepy for a while, then better."""
    c.circle((300, 225), 120, fill=SAND, outline=NAVY, width=8)
    c.arc((240, 190, 290, 230), 20, 160, NAVY, 8)  # closed eyes
    c.arc((310, 190, 360, 230), 20, 160, NAVY, 8)
    c.arc((265, 240, 335, 295), 30, 150, NAVY, 8)  # a small smile
    c.ellipse((222, 240, 252, 262), fill="#f0b98a")  # cheeks
    c.ellipse((348, 240, 378, 262), fill="#f0b98a")
    # Small soft dots drifting round the head: a light, passing feeling.
    c.circle((150, 170), 12, fill=SKY)
    c.circle((120, 120), 10, fill=SKY)
    c.circle((480, 130), 14, fill=SKY)
    c.circle((505, 90), 8, fill=SKY)


def _cloud(c: Canvas, x: float, y: float, size: float, fill: str = WHITE) -> None:
    c.ellipse((x, y + size * 0.35, x + size * 1.6, y + size), fill=fill)
    c.circle((x + size * 0.5, y + size * 0.48), size * 0.34, fill=fill)
    c.circle((x + size * 0.95, y + size * 0.38), size * 0.4, fill=fill)


def floating(c: Canvas) -> None:
    """Soft clouds, a crescent moon and small stars: a floating, dreamlike feeling."""
    c.circle((430, 120), 62, fill=SAND)
    c.circle((455, 100), 56, fill=CARD)  # the crescent: a second circle in the card's tint
    for x, y, r in ((140, 80, 7), (200, 140, 5), (330, 70, 6), (520, 230, 5)):
        c.circle((x, y), r, fill=SAND)
    _cloud(c, 70, 170, 150, WHITE)
    _cloud(c, 300, 230, 120, PALE)
    _cloud(c, 230, 300, 70, WHITE)


def _bubble(c: Canvas, box: tuple[float, float, float, float], fill: str, tail_left: bool) -> None:
    x0, _, x1, y1 = box
    c.rounded(box, 34, fill=fill, outline=NAVY)
    if tail_left:
        c.polygon([(x0 + 40, y1 - 4), (x0 + 90, y1 - 4), (x0 + 30, y1 + 44)], NAVY)
        c.polygon([(x0 + 48, y1 - 8), (x0 + 80, y1 - 8), (x0 + 42, y1 + 24)], fill)
    else:
        c.polygon([(x1 - 90, y1 - 4), (x1 - 40, y1 - 4), (x1 - 30, y1 + 44)], NAVY)
        c.polygon([(x1 - 80, y1 - 8), (x1 - 48, y1 - 8), (x1 - 42, y1 + 24)], fill)


def talking(c: Canvas) -> None:
    """Two speech bubbles, a patient's and a clinician's: tell us, we can help."""
    _bubble(c, (60, 60, 340, 200), WHITE, tail_left=True)
    for y, end in ((110, 290), (150, 240)):
        c.line([(100, y), (end, y)], STONE, 10)
    _bubble(c, (260, 200, 540, 320), PALE, tail_left=False)
    c.circle((400, 260), 28, fill=GREEN)  # a heart would need words; a calm green dot
    _tick(c, 386, 262, 30, WHITE)


def calendar(c: Canvas) -> None:
    """A calendar page with a few planned days ticked: short, planned courses."""
    c.rounded((130, 70, 470, 350), 24, fill=WHITE, outline=NAVY)
    c.rounded((130, 70, 470, 130), 24, fill=BLUE)
    c.polygon([(134, 110), (466, 110), (466, 130), (134, 130)], BLUE)
    for x in (200, 400):
        c.line([(x, 50), (x, 90)], NAVY, 12)
    ticked = {(0, 1), (1, 3), (2, 0), (2, 4)}
    for row in range(3):
        for column in range(5):
            x, y = 165 + column * 60, 160 + row * 62
            if (row, column) in ticked:
                c.rounded((x - 4, y - 4, x + 46, y + 46), 10, fill=MINT)
                _tick(c, x + 8, y + 22, 30)
            else:
                c.rounded((x, y, x + 38, y + 38), 8, fill=PALE)


def monitor(c: Canvas) -> None:
    """A bedside monitor showing a steady heartbeat: someone watches over you."""
    c.rounded((90, 60, 510, 300), 26, fill=NAVY)
    c.rounded((112, 82, 488, 278), 14, fill="#0f2436")
    c.line(
        [
            (130, 190),
            (220, 190),
            (245, 150),
            (270, 240),
            (295, 110),
            (320, 215),
            (340, 190),
            (470, 190),
        ],
        "#5fd39a",
        8,
    )
    c.rounded((270, 300, 330, 340), 6, fill=STONE)
    c.rounded((200, 336, 400, 356), 10, fill=STONE)
    c.circle((455, 110), 14, fill="#5fd39a")


def clipboard(c: Canvas) -> None:
    """A clipboard with a checklist: the questions a doctor looks at before treatment."""
    c.rounded((170, 60, 430, 370), 24, fill=SAND)
    c.rounded((192, 92, 408, 350), 12, fill=WHITE)
    c.rounded((240, 44, 360, 94), 16, fill=NAVY)
    for index, y in enumerate((140, 200, 260, 320)):
        c.rounded((214, y - 20, 254, y + 20), 8, fill=PALE, outline=STONE)
        if index < 2:
            _tick(c, 220, y, 30)
        c.line([(276, y), (380 - index * 14, y)], STONE, 10)


def car_no_key(c: Canvas) -> None:
    """A car with its key crossed out: no driving today."""
    c.ellipse((40, 300, 380, 330), fill=PALE)
    # The car from the side: body, roof and windows, wheels.
    c.polygon([(110, 160), (260, 160), (310, 220), (110, 220)], BLUE)
    c.rounded((50, 205, 370, 290), 30, fill=BLUE)
    c.polygon([(128, 174), (180, 174), (180, 214), (124, 214)], PALE)
    c.polygon([(196, 174), (252, 174), (288, 214), (196, 214)], PALE)
    c.rounded((340, 226, 366, 246), 8, fill=SAND)  # head lamp
    for x in (120, 300):
        c.circle((x, 290), 36, fill=NAVY)
        c.circle((x, 290), 14, fill=STONE)
    # The key: a round bow, its blade and teeth, inside a red "no" sign.
    c.circle((470, 150), 92, fill=WHITE, outline=RED, width=14)
    c.circle((440, 125), 28, fill=None, outline=NAVY, width=12)
    c.line([(460, 145), (512, 197)], NAVY, 14)
    c.line([(490, 175), (505, 160)], NAVY, 10)
    c.line([(503, 188), (516, 175)], NAVY, 10)
    c.line([(405, 85), (535, 215)], RED, 14)


def water_and_rest(c: Canvas) -> None:
    """A glass of water beside a soft pillow: rest and drink for the rest of the day."""
    # The pillow, plump and a little tilted, on the left.
    c.ellipse((70, 300, 360, 330), fill=PALE)
    c.rounded((80, 170, 350, 310), 60, fill=WHITE, outline=NAVY)
    c.arc((130, 200, 300, 280), 200, 340, SKY, 6)
    # The glass with water and a highlight.
    c.ellipse((390, 320, 520, 344), fill=PALE)
    c.polygon([(395, 110), (515, 110), (500, 330), (410, 330)], NAVY)
    c.polygon([(404, 118), (506, 118), (493, 322), (417, 322)], WHITE)
    c.polygon([(409, 190), (501, 190), (493, 322), (417, 322)], SKY)
    c.line([(425, 210), (432, 300)], WHITE, 8)


def phone_and_help(c: Canvas) -> None:
    """A telephone handset with calm rings around it: you can always call or ask."""
    c.circle((300, 210), 150, fill=PALE)
    c.arc((170, 80, 430, 340), 200, 250, BLUE, 10)
    c.arc((140, 50, 460, 370), 205, 245, SKY, 10)
    c.arc((170, 80, 430, 340), 20, 70, BLUE, 10)
    c.arc((140, 50, 460, 370), 25, 65, SKY, 10)
    # The handset: two ends joined by a curved grip.
    c.arc((200, 110, 400, 310), 120, 240, NAVY, 34)
    c.rounded((212, 104, 290, 150), 20, fill=NAVY)
    c.rounded((212, 270, 290, 316), 20, fill=NAVY)
    c.circle((400, 150), 34, fill=GREEN)
    _tick(c, 384, 152, 32, WHITE)


# Each bundled slide's picture, by the slide's ID.
DRAWINGS: dict[str, Callable[[Canvas], None]] = {
    "what-it-is": infusion_chair,
    "how-it-works": clock,
    "common-side-effects": resting_face,
    "dissociation": floating,
    "less-common-effects": talking,
    "long-term-safety": calendar,
    "keeping-you-safe": monitor,
    "who-should-not": clipboard,
    "no-driving": car_no_key,
    "after-the-infusion": water_and_rest,
    "asking-for-help": phone_and_help,
}


def draw(slide_id: str) -> Image.Image:
    """The picture for the bundled slide `slide_id`, at its shown size."""
    canvas = Canvas()
    DRAWINGS[slide_id](canvas)
    return canvas.picture()


def main() -> int:
    """Write `<slide id>.png` for every bundled slide into the pictures folder."""
    default = Path(__file__).resolve().parents[1] / "resources" / "content" / "default"
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else default / "pictures"
    folder.mkdir(parents=True, exist_ok=True)
    for slide_id in DRAWINGS:
        # A palette of at most 256 colours keeps each file a few kilobytes; the
        # drawings are flat, so nothing is lost.
        picture = draw(slide_id).quantize(256, method=Image.Quantize.FASTOCTREE)
        picture.save(folder / f"{slide_id}.png", optimize=True)
    print(f"drew {len(DRAWINGS)} slide pictures into {folder}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
