"""`kiosk run` paints Welcome from its card before storage is loaded, and keeps the card."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.running import home_environment, kiosk

# The kiosk's own start, with the loading after the first frame held back: what is
# imported when Welcome's Start is painted is what the first frame needed.
_FIRST_FRAME_PROBE = """
import sys
import PySide6.QtWidgets
from ui import kiosk_app

kiosk_app.StorageLoading._begin = lambda self: None
# The modules loaded, and the classes of Qt's PySide made (it makes each, and its enums,
# when it is first used), by the time Welcome's Start is painted.
painted = kiosk_app.QuitWhenWelcomeIsPainted.eventFilter
modules, made = [], []

def at_paint(self, watched, event):
    if not made:
        modules.extend(sys.modules)
        made.extend(vars(PySide6.QtWidgets))
    return painted(self, watched, event)

kiosk_app.QuitWhenWelcomeIsPainted.eventFilter = at_paint
from ui.main import main

code = main(["run", "--exit-after-first-paint"])
print(json.dumps({"code": code, "modules": sorted(modules), "classes": made}))
"""


def _card(home: Path) -> Path:
    cards = list((home / "data" / "waiting-room-kiosk" / "welcome").glob("*.json"))
    assert len(cards) == 1, cards
    return cards[0]


def _probe(home: Path, script: str) -> subprocess.CompletedProcess[str]:
    """`script` run by this Python, as the kiosk is run in `home`, offscreen."""
    return subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=home_environment(home) | {"QT_QPA_PLATFORM": "offscreen"},
        cwd=home,
        timeout=120,
        check=False,
    )


def _first_start(home: Path) -> None:
    kiosk("db", "init", home=home, check=True)
    result = kiosk(
        "run", "--exit-after-first-paint", home=home, extra_env={"QT_QPA_PLATFORM": "offscreen"}
    )
    assert result.returncode == 0, result.stderr


def test_the_first_start_writes_welcomes_card(home: Path) -> None:
    _first_start(home)
    card = json.loads(_card(home).read_text("utf-8"))
    assert card["clinic_names"][0] == "Serenity Mental Health Centers"
    assert card["open"] is True


def test_welcome_is_painted_before_the_database_layer_is_loaded(home: Path) -> None:
    _first_start(home)
    probe = _probe(home, "import json\n" + _FIRST_FRAME_PROBE)
    assert probe.returncode == 0, probe.stderr
    found = json.loads(probe.stdout.strip().splitlines()[-1])
    assert found["code"] == 0
    loaded = set(found["modules"])
    assert "ui.screens.welcome" in loaded
    for heavy in (
        "sqlalchemy",
        "kiosk.models",
        "kiosk.check_in",
        "kiosk.station",
        "kiosk.cli",
        "ui.visit_screens",  # the visit's screens are built after storage has loaded
        "PIL",
        # Welcome is built without the other screens' parts and the visit's model.
        "kiosk.content",
        "kiosk.visit",
        "ui.screens.patient_screen",
        "ui.widgets.on_screen_keyboard",
        "ui.widgets.slide_pictures",
        "kiosk.kiosk_session",  # only a lock-down's staff exit needs its status
        "ui.read_aloud",  # the voice is checked once storage has loaded
        "zoneinfo",  # the clinic's time zone is checked when it is set, not by default
        # The log is opened once Welcome has been painted (its file's module loads these).
        "logging.handlers",
        "socket",
        # `override` without it (kiosk.overriding): it defines hundreds of names.
        "typing_extensions",
        "importlib.resources",  # the style and translations are read from resources.FOLDER
    ):
        assert heavy not in loaded, f"{heavy} was loaded before Welcome's first frame"
    # PySide had made every class of QtWidgets (a wizard's among them), and their enums,
    # 10-20 ms of the first frame: wrapping Qt's own scroll-area viewport, and an
    # application-wide event filter hearing Qt's own objects, made it look for them all.
    assert "QScrollArea" in found["classes"]
    assert "QWizard" not in found["classes"]
    assert "QMessageBox" not in found["classes"]


@pytest.mark.parametrize(
    "spoiled", ["", "{", '{"format": 1}', "\u0000" * 10, json.dumps({"open": "sure"})]
)
def test_a_spoiled_card_means_welcome_waits_for_storage_and_the_card_is_written_again(
    home: Path, spoiled: str
) -> None:
    _first_start(home)
    card = _card(home)
    card.write_text(spoiled, encoding="utf-8")

    result = kiosk(
        "run", "--exit-after-first-paint", home=home, extra_env={"QT_QPA_PLATFORM": "offscreen"}
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(card.read_text("utf-8"))["open"] is True


# The kiosk's own start, quitting once storage has been taken up (or after 30 s).
_STORAGE_PROBE = """
import json
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from ui.kiosk_window import KioskWindow

taken_up = KioskWindow.storage_ready
loaded = []

def storage_ready(self, *args):
    taken_up(self, *args)
    loaded.append(True)
    QTimer.singleShot(0, QApplication.quit)

KioskWindow.storage_ready = storage_ready
showing = KioskWindow.show
KioskWindow.show = lambda self: (QTimer.singleShot(30_000, QApplication.quit), showing(self))
from ui.main import main

code = main(["run"])
print(json.dumps({"code": code, "loaded": bool(loaded)}))
"""


def test_a_card_that_says_closed_still_loads_storage_and_opens_check_in_again(
    home: Path,
) -> None:
    # Check-in was paused when the card was written (a full disk, since freed).
    _first_start(home)
    card = _card(home)
    card.write_text(card.read_text("utf-8").replace('"open": true', '"open": false'), "utf-8")

    probe = _probe(home, _STORAGE_PROBE)

    assert probe.returncode == 0, probe.stderr
    # Storage was loaded with Start hidden behind the sign (it waited for Start's first
    # paint, which never came): the kiosk stayed paused, and its card with it.
    assert json.loads(probe.stdout.strip().splitlines()[-1])["loaded"] is True
    assert json.loads(card.read_text("utf-8"))["open"] is True
