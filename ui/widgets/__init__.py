"""Reusable touch widgets: on-screen keyboard, signature pad, keyboard forms."""
