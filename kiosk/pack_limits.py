"""How much a content pack may hold: far more than a clinic needs, far less than an attack.

A pack can come from outside the clinic (a zip by e-mail, a folder on a stick), so every
size is bounded before it can cost time or memory; the default pack stays well under
each. The same numbers are checked when a pack is loaded (import, check, publish,
restore) and held to while an admin types in the editor; the README lists them.
"""

from __future__ import annotations

# --- the files ---------------------------------------------------------------------------------
# No file of a pack is larger: a slide picture scaled to the screen is well under this,
# and a bigger file is a mistake (a raw camera file, a video) or an attack.
MAX_FILE_BYTES = 10 * 1024 * 1024
# A YAML file is read into memory and parsed whole; the largest a pack could need (60
# slides of 4,000 characters in a script of three bytes per character) is under 1 MB.
MAX_YAML_BYTES = 2 * 1024 * 1024
# All the files a pack reads together (a zip says this before it is unpacked).
MAX_PACK_BYTES = 100 * 1024 * 1024
# All its YAML files together (with translations): parsing takes about a second a MB.
MAX_PACK_YAML_BYTES = 4 * 1024 * 1024
# Lists and sections inside sections: a pack's deepest value is six levels down.
MAX_NESTING = 20
# Values (text, lists, sections) in one YAML file: the largest pack has about 12,000.
MAX_VALUES = 50_000
# Pictures are decoded to be checked; this many pixels take a few seconds at most.
MAX_PACK_PIXELS = 400_000_000
# A picture's file name, as a slide names it (any disk allows 255).
MAX_FILE_NAME = 200
# Problems listed for one pack: more would only bury the first ones.
MAX_PROBLEMS = 100
# The longest piece of the pack quoted in a problem.
MAX_QUOTED = 60

# --- how many ---------------------------------------------------------------------------------
MAX_SLIDES = 60
MAX_QUESTIONS = 100
MAX_CHOICES = 20  # of one single-choice question
MAX_STATEMENTS = 30  # consent statements
MAX_TRANSLATIONS = 10  # languages besides the pack's own

# --- how long, in characters --------------------------------------------------------------------
MAX_TITLE = 120  # a slide's title, and the clinic's name
MAX_SLIDE_TEXT = 4_000
MAX_PICTURE_ALT = 300  # a picture's description
MAX_QUESTION_TEXT = 500
MAX_CHOICE_TEXT = 120
MAX_FLAG_WORDING = 200
MAX_STATEMENT_TEXT = 1_000
MAX_SIGNATURE_MEANING = 1_000


def longest_words(key: str) -> int:
    """The most characters the text under a translation key (`slide.<id>.text`) may have."""
    parts = key.split(".")
    if parts[0] == "slide":
        return {"title": MAX_TITLE, "text": MAX_SLIDE_TEXT}.get(parts[-1], MAX_PICTURE_ALT)
    if parts[0] == "question":
        return MAX_CHOICE_TEXT if "choice" in parts[2:3] else MAX_QUESTION_TEXT
    if parts[0] == "consent":
        return MAX_STATEMENT_TEXT
    return {"clinic_name": MAX_TITLE}.get(key, MAX_SIGNATURE_MEANING)


def megabytes(size: int) -> str:
    """A size as an admin reads it: "11 MB", "2.5 MB"."""
    amount = size / 1024 / 1024
    return f"{amount:.0f} MB" if amount >= 10 or amount.is_integer() else f"{amount:.1f} MB"


def quoted(text: str, longest: int = MAX_QUOTED) -> str:
    """Words from a pack as a problem quotes them: on one line, cut short when long.

    A pack from outside can hold anything where a name belongs (a million characters,
    line breaks that would fake another `file:line:` problem); a message shows a taste.
    """
    flat = " ".join(text[: longest * 4].split())
    # Control characters could move a terminal's cursor or colour what follows.
    flat = "".join(character if character.isprintable() else "?" for character in flat)
    if len(flat) <= longest and len(text) <= longest * 4:
        return flat
    return flat[: longest - 1] + "…"
