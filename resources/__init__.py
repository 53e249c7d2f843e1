"""Data shipped with the app: the default content pack, fonts and styles."""
