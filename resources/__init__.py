"""Data shipped with the app: the default content pack, fonts and styles."""

from pathlib import Path

FOLDER = Path(__file__).resolve().parent
"""Where the shipped files are. The program is installed as files, never from a zip, so
Welcome's first frame reads its style and its translations from here rather than loading
`importlib.resources` for them (about 3 ms of a cold start)."""
