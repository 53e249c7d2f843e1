"""Check's word on a pack's scored questionnaires: a validated measure that differs from
the published instrument is warned of (the pack still loads and publishes).

A changed PHQ-9 is no longer the PHQ-9: its totals and bands no longer mean what the
publisher's studies say. The reference is the instrument as the kiosk ships it.
"""

from __future__ import annotations

from functools import lru_cache

from kiosk.content import ContentPack, Measure
from kiosk.pack_loader import bundled_pack_dir, load_pack


@lru_cache(maxsize=1)
def published_measures() -> dict[str, Measure]:
    """The validated instruments as shipped in the bundled pack, by ID."""
    return {m.id: m for m in load_pack(bundled_pack_dir()).measures if m.validated}


def _wording(measure: Measure) -> tuple[object, ...]:
    """Everything that makes the instrument what it is (not its schedule)."""
    difficulty = measure.difficulty
    return (
        measure.instructions,
        tuple((c.text, c.score) for c in measure.choices),
        tuple((i.id, i.text) for i in measure.items),
        tuple((b.lowest, b.highest, b.name) for b in measure.bands),
        (difficulty.id, difficulty.text, tuple(c.text for c in difficulty.choices))
        if difficulty
        else None,
    )


def measure_warnings(pack: ContentPack) -> list[str]:
    """A sentence for each validated measure whose wording, scores or bands were changed."""
    warnings = []
    published = published_measures()
    for measure in pack.measures:
        reference = published.get(measure.id)
        if reference is None:
            continue
        if _wording(measure) != _wording(reference):
            warnings.append(
                f"{measure.name}: its wording, scores or bands differ from the published "
                f"{reference.name}; changed, it is no longer that validated instrument "
                "(restore the shipped text, or give it another ID and name)"
            )
    return warnings
