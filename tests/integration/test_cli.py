"""The `kiosk` console script as a subprocess, on real files, as clinic IT would use it."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.integration.running import kiosk


def test_help_explains_every_subcommand(home: Path) -> None:
    text = kiosk("--help", home=home, check=True).stdout
    for command in (
        "run",
        "summary",
        "visits",
        "content",
        "demo-data",
        "users",
        "audit",
        "backup",
        "restore",
        "desk",
    ):
        assert command in text
    assert "--database" in kiosk("visits", "--help", home=home, check=True).stdout


def test_the_kiosk_can_quit_once_welcome_is_painted_for_the_start_up_benchmark(
    home: Path,
) -> None:
    kiosk("db", "init", home=home, check=True)
    result = kiosk(
        "run",
        "--exit-after-first-paint",
        home=home,
        extra_env={"QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    # It went through the whole start, database and all, before it quit.
    assert (home / "data" / "waiting-room-kiosk" / "kiosk.sqlite3").is_file()
    assert "--exit-after-first-paint" not in kiosk("run", "--help", home=home).stdout


def test_content_check_passes_the_bundled_pack(home: Path) -> None:
    result = kiosk("content", "check", home=home, check=True)
    assert "valid — 11 slides, 24 questions (4 teach-back), 5 consent statements" in result.stdout


def test_content_check_lists_problems_and_exits_1(home: Path) -> None:
    from kiosk.pack_loader import bundled_pack_dir

    pack = home / "pack"
    shutil.copytree(bundled_pack_dir(), pack)
    (pack / "slides.yaml").write_text("slides:\n  - id: Bad Id\n    title: Hello\n")
    result = kiosk("content", "check", str(pack), home=home)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        (
            "slides.yaml:2: the id 'Bad Id' should use only small letters, digits and hyphens, "
            "like 'after-the-infusion'"
        ),
        "slides.yaml:2: this slide needs 'text'",
    ]


def test_demo_data_then_list_then_summary(home: Path, db: str) -> None:
    assert (
        "Added 40 demo visits"
        in kiosk("demo-data", "--visits", "40", "--database", db, home=home, check=True).stdout
    )
    lines = kiosk("visits", "--database", db, home=home, check=True).stdout.splitlines()
    assert len(lines) == 40
    assert all(line.endswith("[DEMO]") for line in lines)
    rows = [
        json.loads(line)
        for line in kiosk(
            "--database", db, "visits", "--json", home=home, check=True
        ).stdout.splitlines()
    ]
    assert [r["finished_at"] for r in rows] == sorted(
        (r["finished_at"] for r in rows), reverse=True
    )
    assert {r["demo"] for r in rows} == {True}
    assert any(r["flags"] for r in rows)
    assert any(not r["flags"] for r in rows)
    output = home / "summary.pdf"
    result = kiosk(
        "summary", rows[0]["id"], "--output", str(output), "--database", db, home=home, check=True
    )
    assert rows[0]["id"] in result.stdout
    text = " ".join(PdfReader(io.BytesIO(output.read_bytes())).pages[0].extract_text().split())
    assert f"{rows[0]['first_name']} {rows[0]['last_name']}" in text
    assert "DEMO" in text


def test_visits_since_keeps_only_recent_visits(home: Path, db: str) -> None:
    kiosk("demo-data", "--visits", "60", "--database", db, home=home, check=True)
    everything = kiosk("visits", "--json", "--database", db, home=home, check=True).stdout
    recent = kiosk(
        "visits", "--json", "--since", "2026-11-01", "--database", db, home=home, check=True
    ).stdout
    dates = [json.loads(line)["finished_at"][:10] for line in recent.splitlines()]
    assert 0 < len(dates) < len(everything.splitlines())
    assert min(dates) >= "2026-11-01"
    bad = kiosk("visits", "--since", "last week", "--database", db, home=home)
    assert bad.returncode == 2
    assert "is not a date like 2026-11-28" in bad.stderr


def test_demo_data_makes_returning_patients_with_three_and_more_visits(home: Path, db: str) -> None:
    from collections import Counter

    kiosk("demo-data", "--database", db, home=home, check=True)
    listed = kiosk("visits", "--json", "--database", db, home=home, check=True).stdout
    rows = [json.loads(line) for line in listed.splitlines()]
    per_patient = Counter(row["patient_id"] for row in rows if row["patient_id"] is not None)
    assert len(per_patient) >= 3
    assert sum(1 for visits in per_patient.values() if visits >= 3) >= 3
    # Each patient's first visit is a first visit; every later one a return visit.
    for patient_id, visits in per_patient.items():
        own = sorted(
            (row for row in rows if row["patient_id"] == patient_id),
            key=lambda row: row["finished_at"],
        )
        assert [row["return_visit"] for row in own] == [False] + [True] * (visits - 1)
    assert not any(row["return_visit"] for row in rows if row["patient_id"] is None)
    # A return visit prints the questions it asked.
    again = next(row for row in rows if row["return_visit"])
    output = home / "return.pdf"
    kiosk("summary", again["id"], "-o", str(output), "--database", db, home=home, check=True)
    text = " ".join(PdfReader(io.BytesIO(output.read_bytes())).pages[0].extract_text().split())
    assert "return visit" in text
    assert "When did you last eat solid food?" in text
    # Every visit that showed the slides says how its teach-back went.
    first_visits = [row for row in rows if not row["return_visit"]]
    assert all(row["teach_back"]["of"] == 4 for row in first_visits)
    assert sum(row["teach_back"]["right_first_time"] for row in first_visits) > len(first_visits)


def test_a_missing_visit_is_one_line_and_exit_1(home: Path, db: str) -> None:
    result = kiosk(
        "summary", "no-such-visit", "-o", str(home / "x.pdf"), "--database", db, home=home
    )
    assert result.returncode == 1
    assert result.stderr == "kiosk: there is no visit with the ID no-such-visit\n"
    assert not (home / "x.pdf").exists()


def test_demo_data_refuses_a_database_with_real_visits(home: Path, db: str) -> None:
    from datetime import UTC, datetime

    from kiosk.database import open_database
    from kiosk.pack_loader import bundled_pack_dir, load_pack
    from kiosk.visit_walk import ManualClock, walk_visit
    from tests.conftest import store_visit

    database = open_database(db)
    store_visit(
        database,
        walk_visit(
            load_pack(bundled_pack_dir()), ManualClock(datetime(2026, 11, 2, 16, tzinfo=UTC))
        ),
    )
    database.close()
    refused = kiosk("demo-data", "--visits", "5", "--database", db, home=home)
    assert refused.returncode == 1
    assert "holds 1 real visits" in refused.stderr
    assert len(kiosk("visits", "--database", db, home=home).stdout.splitlines()) == 1
    kiosk("demo-data", "--visits", "5", "--force", "--database", db, home=home, check=True)
    assert len(kiosk("visits", "--database", db, home=home).stdout.splitlines()) == 6


def test_bad_settings_are_named_at_start(home: Path) -> None:
    (home / "kiosk.toml").write_text('paper_size = "Legal"\ncolour = "blue"\n')
    (home / "kiosk.toml").chmod(0o600)
    result = kiosk("visits", home=home)
    assert result.returncode == 2
    assert "unknown setting 'colour'" in result.stderr
    assert "setting 'paper_size' must be one of A4, Letter" in result.stderr


def test_a_summary_that_cannot_be_written_says_so_and_leaves_no_file(home: Path, db: str) -> None:
    kiosk("demo-data", "--visits", "1", "--database", db, home=home, check=True)
    visit_id = json.loads(kiosk("visits", "--json", "--database", db, home=home).stdout)["id"]
    target = home / "no-such-folder" / "s.pdf"
    result = kiosk("summary", visit_id, "-o", str(target), "--database", db, home=home)
    assert result.returncode == 1
    assert result.stderr.startswith("kiosk: the summary cannot be written to")
    assert not target.exists()


def test_the_command_line_never_loads_qt(home: Path, db: str) -> None:
    code = (
        "import sys, ui.main; ui.main.main(['--database', sys.argv[1], 'visits']); "
        "loaded = [m for m in sys.modules if m.startswith('PySide6')]; "
        "assert not loaded, loaded"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, db],
        capture_output=True,
        text=True,
        cwd=home,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_a_wheel_installed_elsewhere_finds_its_resources(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(wheels),
            str(root),
        ],
        check=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "resources/content/default/slides.yaml" in names
    assert "resources/fonts/DejaVuSans.ttf" in names
    assert any(n.startswith("kiosk/migrations/versions/0001") for n in names)
    target = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(target)
    bin_dir = target / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    # Dependencies come from this test environment; the project itself only from the wheel.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = next(p for p in sys.path if p.endswith("site-packages"))
    (Path(site) / "deps.pth").write_text(ours + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--quiet", str(wheel)],
        check=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH"} and not k.startswith("KIOSK_")
    }
    env |= {
        "HOME": str(elsewhere),
        "XDG_DATA_HOME": str(elsewhere / "d"),
        "XDG_CONFIG_HOME": str(elsewhere / "c"),
    }
    script = bin_dir / ("kiosk.exe" if os.name == "nt" else "kiosk")
    # The wheel's migrations make the database, and its bundled pack is then in use.
    subprocess.run([str(script), "db", "init"], cwd=elsewhere, env=env, check=True, timeout=120)
    check = subprocess.run(
        [str(script), "content", "check"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        check=False,
        timeout=120,
    )
    assert check.returncode == 0, check.stderr
    assert "(bundled default content), valid — 11 slides" in check.stdout
    where = subprocess.run(
        [
            str(python),
            "-c",
            "from kiosk.pack_loader import bundled_pack_dir; print(bundled_pack_dir())",
        ],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        check=True,
    ).stdout
    assert where.startswith(str(target))  # the pack inside the installed wheel, not the repository
    demo = subprocess.run(
        [str(script), "demo-data", "--visits", "3"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        check=False,
        timeout=120,
    )
    assert demo.returncode == 0, demo.stderr


def test_a_trial_content_folder_runs_without_replacing_the_clinics_content(
    home: Path, db: str
) -> None:
    from kiosk.pack_loader import bundled_pack_dir

    pack = home / "trial"
    shutil.copytree(bundled_pack_dir(), pack)
    (pack / "pack.yaml").write_text(
        (pack / "pack.yaml").read_text().replace("Serenity Mental Health Centers", "Trial Clinic")
    )
    trial = kiosk(
        "content", "check", "--content", str(pack), "--database", db, home=home, check=True
    )
    assert str(pack) in trial.stdout
    kiosk(
        "demo-data",
        "--visits",
        "2",
        "--content",
        str(pack),
        "--database",
        db,
        home=home,
        check=True,
    )
    in_use = kiosk("content", "check", "--database", db, home=home, check=True).stdout
    assert in_use.startswith("content in use: version ")
    assert "(bundled default content), valid" in in_use
    env_trial = kiosk("visits", "--database", db, home=home, check=True)
    assert len(env_trial.stdout.splitlines()) == 2


@pytest.mark.parametrize(
    ("url", "message", "code"),
    [
        # Refused with the settings, by the option's name, before anything is opened.
        ("not a url", "option for 'database_url' is not a database URL", 2),
        ("postgresql+nosuchdriver://u@localhost/kiosk", "needs a driver", 1),
    ],
)
def test_a_bad_database_url_is_one_plain_line(
    home: Path, url: str, message: str, code: int
) -> None:
    result = kiosk("visits", "--database", url, home=home)
    assert result.returncode == code
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == code  # the settings' problems have a heading
    assert "Traceback" not in result.stderr


def test_demo_data_can_be_added_twice(home: Path, db: str) -> None:
    kiosk("demo-data", "--visits", "5", "--database", db, home=home, check=True)
    kiosk("demo-data", "--visits", "5", "--database", db, home=home, check=True)
    assert len(kiosk("visits", "--database", db, home=home).stdout.splitlines()) == 10


def test_visits_json_gives_each_flag_its_kind_and_wording(home: Path, db: str) -> None:
    from datetime import UTC, datetime

    from kiosk.database import open_database
    from kiosk.pack_loader import bundled_pack_dir, load_pack
    from kiosk.visit_walk import ManualClock, walk_visit
    from tests.conftest import store_visit

    pack = load_pack(bundled_pack_dir())
    clock = ManualClock(datetime(2026, 11, 2, 16, tzinfo=UTC))
    database = open_database(db)
    store_visit(database, walk_visit(pack, clock, answers={"pregnancy": "not_sure"}, ride=None))
    store_visit(database, walk_visit(pack, clock, first="Bea"))
    database.close()
    rows = [
        json.loads(line)
        for line in kiosk(
            "visits", "--json", "--database", db, home=home, check=True
        ).stdout.splitlines()
    ]
    assert {row["first_name"]: row["flags"] for row in rows} == {
        "Bea": [],
        "Ana": [
            {
                "kind": "contraindication",
                "wording": (
                    "Needs clinician review: pregnant or could be pregnant — answered Not sure"
                ),
            },
            {
                "kind": "no_ride_home",
                "wording": "No ride home arranged yet — the patient must not drive today",
            },
        ],
    }


def test_visits_json_gives_how_the_teach_back_went(home: Path, db: str) -> None:
    from datetime import UTC, datetime

    from kiosk.database import open_database
    from kiosk.pack_loader import bundled_pack_dir, load_pack
    from kiosk.visit_walk import ManualClock, walk_visit
    from tests.conftest import store_visit

    pack = load_pack(bundled_pack_dir())
    clock = ManualClock(datetime(2026, 11, 2, 16, tzinfo=UTC))
    database = open_database(db)
    store_visit(
        database,
        walk_visit(
            pack,
            clock,
            teach_back={"teach-back-driving": ("yes", "no"), "teach-back-call-us": ("no", "no")},
        ),
    )
    store_visit(database, walk_visit(pack, clock, first="Bea"))
    database.close()
    rows = {
        row["first_name"]: row["teach_back"]
        for row in map(
            json.loads,
            kiosk("visits", "--json", "--database", db, home=home, check=True).stdout.splitlines(),
        )
    }
    assert rows["Bea"]["right_first_time"] == 4
    assert rows["Bea"]["of"] == 4
    assert rows["Ana"] == {
        "right_first_time": 2,
        "right_after_review": 1,
        "still_wrong": 1,
        "of": 4,
        "questions": {
            "teach-back-driving": "right_after_review",
            "teach-back-ride-home": "right_first_time",
            "teach-back-feeling-detached": "right_first_time",
            "teach-back-call-us": "still_wrong",
        },
    }
