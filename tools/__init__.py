"""Developer tools (not shipped): run each as a script, `python3 tools/screenshots.py`.

A package only so that import-linter can check what the tools import.
"""
