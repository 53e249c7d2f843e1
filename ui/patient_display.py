"""What a patient can change about how the kiosk looks: larger text, high contrast.

Both are style sheets over the kiosk's own: text sizes are the kiosk's scaled up, and
the high-contrast theme (`resources/styles/kiosk-contrast.qss`) recolours everything.
A choice lasts for one visit; the next patient starts with the clinic's defaults.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from resources import FOLDER

# "A+" steps through these, then back to the start.
TEXT_SIZES = (1.0, 1.5, 2.0)
# The top bar's own buttons (Back, A+, contrast, Ask for help) and the keyboard's keys
# grow less: at double size they would no longer fit beside each other.
_TOP_BAR_LIMIT = 1.25
_KEYBOARD_LIMIT = 1.5
_KEYBOARD_WORDS_LIMIT = 1.25
# Footer buttons say a whole sentence ("I confirm these answers are correct"): at double
# size one would be wider than a portrait screen.
_FOOTER_LIMIT = 1.5
_FONT_SIZE = re.compile(r"font-size:\s*(\d+)px")
_GROW_LIMIT = 1.5


def _style(name: str) -> str:
    return (FOLDER / "styles" / name).read_text("utf-8")


def kiosk_style() -> str:
    """The kiosk's QSS, shipped in `resources/styles`."""
    return _style("kiosk.qss")


@dataclass(frozen=True)
class PatientDisplay:
    """Text size (1 = the kiosk's own) and theme, as the patient chose them."""

    text_size: float = 1.0
    high_contrast: bool = False

    def larger_text(self) -> PatientDisplay:
        """The next step of "A+": 150 %, 200 %, then back to the usual size."""
        index = TEXT_SIZES.index(self.text_size) if self.text_size in TEXT_SIZES else 0
        return replace(self, text_size=TEXT_SIZES[(index + 1) % len(TEXT_SIZES)])

    def other_contrast(self) -> PatientDisplay:
        """High contrast on, or off again."""
        return replace(self, high_contrast=not self.high_contrast)

    @property
    def is_default(self) -> bool:
        """Whether nothing was changed."""
        return self == PatientDisplay()

    def style_sheet(self) -> str:
        """The kiosk's style with this text size and theme."""
        base = kiosk_style() + (_style("kiosk-contrast.qss") if self.high_contrast else "")
        scaled = _scaled(base, self.text_size)
        limits = {
            "QWidget#topBar QPushButton": round(26 * min(self.text_size, _TOP_BAR_LIMIT)),
            "QPushButton#keyboardKey": round(28 * min(self.text_size, _KEYBOARD_LIMIT)),
            # Shift, Backspace and the page keys carry a word as well as a symbol
            # ("⇧ Mayús"); in a key's width that word has less room than a letter.
            "QPushButton#keyboardKeySpecial": round(
                28 * min(self.text_size, _KEYBOARD_WORDS_LIMIT)
            ),
            "QWidget#footer QPushButton": round(26 * min(self.text_size, _FOOTER_LIMIT)),
            # A key's height does not grow with the text: at double size an accented
            # capital (Ő) would no longer fit its key on a tablet, nor the hint its row.
            'QPushButton#keyboardKey[keyRole="accented"]': round(
                36 * min(self.text_size, _KEYBOARD_WORDS_LIMIT)
            ),
            "QLabel#keyboardHint": round(24 * min(self.text_size, _KEYBOARD_WORDS_LIMIT)),
            # Five steps side by side on a portrait screen, in Spanish too: they stay
            # as they are (the screen's own words grow).
            "QLabel#stepName": 24,
            "QLabel#stepSummary": 24,
        }
        # On the patient's pages, buttons grow with their words (their least height too),
        # up to half again: a big word in a button of the usual height looks cramped and
        # is harder to hit. The keyboard's keys, the top bar and the footer keep theirs.
        grow = min(self.text_size, _GROW_LIMIT)
        page = "QWidget#patientScreen"
        grown = {
            f"{page} QPushButton": 64,
            f"{page} QPushButton#answerButton": 100,
            f"{page} QPushButton#choiceButton": 88,
            f"{page} QPushButton#keyboardKey, {page} QPushButton#keyboardKeySpecial": 60 / grow,
            f"{page} QWidget#topBar QPushButton": 60 / grow,
            # The footer's sentences already grow to half again (above), and on a short
            # tablet its height is the page's to keep.
            f"{page} QWidget#footer QPushButton": 64 / grow,
        }
        return (
            scaled
            + "".join(
                f"\n{selector} {{ font-size: {size}px; }}" for selector, size in limits.items()
            )
            + "".join(
                f"\n{selector} {{ min-height: {round(height * grow)}px; }}"
                for selector, height in grown.items()
            )
        )


def _scaled(style: str, factor: float) -> str:
    return _FONT_SIZE.sub(lambda match: f"font-size: {round(int(match[1]) * factor)}px", style)
