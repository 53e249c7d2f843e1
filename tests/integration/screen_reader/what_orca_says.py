"""What Orca would say on Welcome, a slide, a question and the help notice: its speech log.

Not a test (Orca's words change between its versions): a record to read. Run from the
project's virtual environment, with Orca installed (`apt-get install orca`):

    .venv/bin/python tests/integration/screen_reader/what_orca_says.py [es]

It starts a private session as the screen reader tests do (accessibility_bus.py), then
Orca with no voice at all: Orca cannot load its speech-dispatcher client (a stand-in
`speechd` that refuses to import), so it speaks nothing aloud yet logs every utterance as
"SPEECH OUTPUT". (Orca's own "speech off", `orca -d speech`, logs what it says on a focus
change but not its messages, such as a focused title's new words.) Prints the log, each
step marked where it began.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[3]))

from PySide6.QtCore import QLocale

from tests.integration.accessibility_bus import (
    desktop_session,
    start_kiosk,
    start_reader,
)
from tests.integration.test_screen_reader import Words, new_page, press


def main(language: str) -> None:
    home = Path(tempfile.mkdtemp(prefix="what-orca-says-"))
    no_voice = home / "no-voice" / "speechd"
    no_voice.mkdir(parents=True)
    (no_voice / "__init__.py").write_text('raise ImportError("no voice: Orca only logs")\n')
    log = home / "orca-debug.txt"
    marks: list[tuple[str, str]] = []

    def mark(step: str) -> None:
        marks.append((time.strftime("%H:%M:%S"), step))

    session_steps = desktop_session(home)
    session = next(session_steps)
    try:
        kiosk, said = start_kiosk(session, "read_aloud = false\nidle_timeout = 600\n")
        (home / "orca").mkdir()
        with (home / "orca-said.txt").open("w") as orca_said:
            orca = subprocess.Popen(
                ["orca", "--replace", "-u", str(home / "orca"), "--debug-file", str(log)],
                env=session.env | {"PYTHONPATH": str(no_voice.parent)},
                stdout=orca_said,
                stderr=subprocess.STDOUT,
            )
        session.processes.append(orca)
        time.sleep(10)  # Orca up before the kiosk's window gets the focus
        mark("Welcome: the kiosk's window gets the input focus")
        reader = start_reader(session, kiosk, said)
        time.sleep(4)
        words = Words(language)
        if language:
            mark("Español pressed")
            press(reader, "Español")
            # The screens built ahead are made again in Spanish, 3 s after the tap (see
            # `ui.next_visit`): Orca says the welcome's words first, then takes seconds
            # to go through the new nodes' names.
            time.sleep(10)
        mark("Start pressed")
        new_page(reader, words("WelcomeScreen", "Start"), "push button")
        time.sleep(3)
        for field, text in (("First name", "Ana"), ("Last name", "Lopez"), ("Day", "15")):
            reader.ask("set_text", name=words("DetailsScreen", field), role="text", text=text)
        reader.ask("set_text", name=words("DetailsScreen", "Year"), role="text", text="1968")
        april = QLocale(language or "en").standaloneMonthName(4)
        reader.act(april[:1].upper() + april[1:])
        time.sleep(2)
        mark("Continue pressed: slide 1")
        new_page(reader, words("DetailsScreen", "Continue"), "push button")
        time.sleep(4)
        mark("Next pressed: slide 2")
        new_page(reader, words("SlideScreen", "Next"), "push button")
        time.sleep(4)
        mark("Next pressed on every slide left")
        next_ = words("SlideScreen", "Next")
        while any(node["name"] == next_ for node in reader.showing()):
            reader.act(next_, "push button")
            time.sleep(1)
        time.sleep(3)
        mark("No pressed: question 2")
        new_page(reader, "No", "radio button")
        time.sleep(4)
        mark("Ask for help pressed")
        new_page(reader, words("PatientScreen", "Ask for help"), "push button")
        time.sleep(5)
    finally:
        for _ in session_steps:
            pass
    spoken = [
        line for line in log.read_text(errors="replace").splitlines() if "SPEECH OUTPUT" in line
    ]
    events = sorted(
        [(when, 0, index, f"--- {step}") for index, (when, step) in enumerate(marks)]
        + [
            (
                line[:8],
                1,
                index,
                re.sub(r"\{'established.*$", "", line.split("SPEECH OUTPUT: ", 1)[1]),
            )
            for index, line in enumerate(spoken)
        ]
    )
    for when, _, _, what in events:
        print(when, what)  # noqa: T201 - the log is what this prints


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
