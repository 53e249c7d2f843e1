"""The admin content editor: slides, questions, consent, preview and publishing."""
