"""The bundled pack with its PHQ-9 turned on (asked at every visit), for the risk path's
tests: item 9, `phq9-9`, is the self-harm item the rule follows."""

from __future__ import annotations

from pathlib import Path

RESPONDER = "the nurse on duty (Dana, extension 214)"


def add_item_9(pack_folder: Path, *, responder: str = RESPONDER, headphones: bool = False) -> Path:
    """Turn the pack's PHQ-9 on at every visit and name who responds; returns the folder."""
    measures = pack_folder / "measures.yaml"
    words = measures.read_text(encoding="utf-8")
    phq9 = words.index("id: phq9\n")
    turned_on = words[phq9:].replace("every_nth_visit: 0", "every_nth_visit: 1", 1)
    measures.write_text(words[:phq9] + turned_on, "utf-8")
    settings = pack_folder / "pack.yaml"
    extra = ""
    if responder:
        extra += f"  risk_responder: {responder}\n"
    if headphones:
        extra += "  kiosk_has_headphones: true\n"
    settings.write_text(settings.read_text(encoding="utf-8") + extra, "utf-8")
    return pack_folder
