"""`kiosk visits --json` gives each visit's measures; `kiosk demo-data` gives returning
patients PHQ-9 and GAD-7 trends; `kiosk content check` warns of a changed instrument."""

from __future__ import annotations

import io
import json
import shutil
from collections import defaultdict
from pathlib import Path

from pypdf import PdfReader

from kiosk.pack_loader import bundled_pack_dir
from tests.integration.running import kiosk


def test_demo_data_gives_returning_patients_measure_trends(home: Path, db: str) -> None:
    kiosk("demo-data", "--database", db, home=home, check=True)
    listed = kiosk("visits", "--json", "--database", db, home=home, check=True).stdout
    rows = [json.loads(line) for line in listed.splitlines()]
    # The demo's content asks both at every visit.
    assert all(set(row["measures"]) == {"phq9", "gad7"} for row in rows)
    assert all(0 <= row["measures"]["phq9"] <= 27 for row in rows)
    assert all(0 <= row["measures"]["gad7"] <= 21 for row in rows)
    courses: dict[int, list[int]] = defaultdict(list)
    for row in sorted(rows, key=lambda row: row["finished_at"]):
        if row["patient_id"] is not None:
            courses[row["patient_id"]].append(row["measures"]["phq9"])
    # Most returning patients improve from their first visit to their last.
    improved = [c for c in courses.values() if len(c) >= 3 and c[-1] < c[0]]
    assert len(improved) >= len(courses) // 2
    # A returning patient's summary has the trend chart's title and the bands' names.
    patient_id, course = max(courses.items(), key=lambda item: len(item[1]))
    newest = max(
        (row for row in rows if row["patient_id"] == patient_id), key=lambda r: r["finished_at"]
    )
    output = home / "summary.pdf"
    kiosk("summary", newest["id"], "--output", str(output), "--database", db, home=home, check=True)
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(output.read_bytes())).pages
    )
    shown = min(len(course), 10)
    assert f"PHQ-9 — last {shown} totals" in text
    assert f"PHQ-9: total {course[-1]} of 27" in text
    assert "moderately severe" in text


def test_content_check_warns_of_a_changed_instrument(home: Path) -> None:
    folder = home / "pack"
    shutil.copytree(bundled_pack_dir(), folder)
    measures = folder / "measures.yaml"
    text = measures.read_text(encoding="utf-8")
    measures.write_text(text.replace("Trouble relaxing", "Trouble calming down"))
    checked = kiosk("content", "check", str(folder), home=home, check=True).stdout
    assert "valid" in checked
    assert "warning: GAD-7: its wording, scores or bands differ from the published GAD-7" in (
        checked
    )
