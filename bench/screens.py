"""Screen changes and a slide with a photo: a tap until the next screen is painted.

The kiosk runs in this process on the offscreen platform, portrait 1080 × 1920, with
its real style. A tap is made at a finger's pace: pressed, held 60 ms (the button's
pressed look is painted meanwhile), released. A sample is the time from the release,
when a button acts, to the end of the event-loop turn in which what it changed was
painted (see `PaintWatcher`); the pressed look's time from the press is a row of its own.
"""

from __future__ import annotations

import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import yaml
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMainWindow, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from bench.measure import Row, Target, repeat_ms
from bench.pictures import (
    import_picture_for_a_slide,
    largest_stored_picture,
    twelve_megapixel_photo,
)
from bench.qt_kiosk import PaintWatcher, application, kiosk_window, welcome_idle
from kiosk.pack_loader import bundled_pack_dir
from ui import visit_walk as patient
from ui.kiosk_window import KioskWindow
from ui.screens.patient_screen import answer_text

PAUSE_MS = 30
# How long a finger rests on the glass in a tap (a quick one: 50–150 ms is usual).
FINGER_MS = 60
FRAME_MS = 16.0  # one 60 Hz frame, as the issue rounds it


def _timed_tap(
    watcher: PaintWatcher,
    target: QWidget,
    painted: Callable[[], QWidget | None],
    presses: list[float] | None = None,
) -> float:
    """A tap at a finger's pace; the time from lifting the finger (when a button acts)
    until what the tap changed has been painted. With `presses`, the time from touching
    the button until its pressed look was painted is added to it."""
    # A person's pause before the tap: whatever the last tap left to paint is painted.
    QTest.qWait(PAUSE_MS)
    watcher.watch_screens_of(target)
    watcher.clear()
    start = time.perf_counter()
    QTest.mousePress(target, Qt.MouseButton.LeftButton)
    try:
        watcher.wait_until_painted(lambda: target, timeout_s=FINGER_MS / 1000)
    except TimeoutError:
        pass  # a control with no pressed look of its own
    else:
        if presses is not None:
            presses.append((time.perf_counter() - start) * 1000)
    # The finger rests on the glass a moment before it lifts.
    QTest.qWait(max(0, FINGER_MS - round((time.perf_counter() - start) * 1000)))
    watcher.clear()
    start = time.perf_counter()
    QTest.mouseRelease(target, Qt.MouseButton.LeftButton)
    watcher.wait_until_painted(painted)
    return (time.perf_counter() - start) * 1000


def _next_screen(window: KioskWindow) -> Callable[[], QWidget | None]:
    """The screen on show, read at each check; none while Continue's lookup (which visit
    to run) is out, since the details screen stays on show until it answers."""

    def on_show() -> QWidget | None:
        return None if window.check_in.finding_flow else patient.current(window)

    return on_show


def _back_to_welcome(window: KioskWindow) -> None:
    while window.visit is not None:
        patient.tap(patient.current(window), "Back")
    patient.settle()


def screen_changes(window: KioskWindow, watcher: PaintWatcher, count: int) -> list[float]:
    """Tap Next on every slide and No on every question, visit after visit, `count` times."""
    samples: list[float] = []
    on_show = lambda: patient.current(window)  # noqa: E731 - read at each check
    while len(samples) < count:
        patient.enter_details(window, "Ana", "García", "04/15/1968")
        assert window.visit is not None
        content = window.visit.content
        labels = (
            ["Next"] * len(content.slides)
            + [answer_text(q, str(q.right_answer)) for q in content.teach_back]
            + ["No"] * len(window.visit.questions)
        )
        for label in labels[: count - len(samples)]:
            samples.append(
                _timed_tap(watcher, patient.button(patient.current(window), label), on_show)
            )
        _back_to_welcome(window)
    return samples


def start_taps(window: KioskWindow, watcher: PaintWatcher, count: int) -> list[float]:
    """Start on Welcome until the details screen is painted, visit after visit."""
    samples: list[float] = []
    on_show = lambda: patient.current(window)  # noqa: E731 - read at each check
    for _ in range(count):
        welcome_idle(window)
        start = patient.button(window.welcome, "Start")
        samples.append(_timed_tap(watcher, start, on_show))
        _back_to_welcome(window)
    return samples


def visit_taps(
    window: KioskWindow,
    watcher: PaintWatcher,
    visits: int,
    by_tap: dict[str, list[float]],
) -> tuple[list[float], list[float]]:
    """Every tap of whole visits that moves the patient on or changes what they see:
    Start, Continue, Next, each answer, the confirmation, each statement acknowledged,
    Sign and continue, the ride home's Continue and Finish (until what it changed is
    painted), and each tap's pressed look; `by_tap` gets each button's samples. Typing
    on the on-screen keyboard and drawing the signature are not timed."""
    samples: list[float] = []
    presses: list[float] = []
    on_show = _next_screen(window)

    def timed(
        label: str, painted: Callable[[], QWidget | None] = on_show, called: str = ""
    ) -> None:
        tapped = patient.button(patient.current(window), label)
        samples.append(_timed_tap(watcher, tapped, painted, presses))
        by_tap.setdefault(called or label, []).append(samples[-1])

    for _ in range(visits):
        welcome_idle(window)
        timed("Start")
        patient.fill(window, "first_name", "Ana")
        patient.fill(window, "last_name", "García")
        patient.fill(window, "birth_date", "04/15/1968")
        timed("Continue", called="Continue (details)")
        assert window.visit is not None
        content = window.visit.content
        for _slide in content.slides:
            timed("Next")
        # Teach-back after the slides, each answered right.
        for taught in content.teach_back:
            timed(answer_text(taught, str(taught.right_answer)))
        for _question in window.visit.questions:
            timed("No")
        timed("I confirm these answers are correct")
        for statement in content.consent_statements:
            tapped = patient.button(patient.current(window), statement.text)
            samples.append(_timed_tap(watcher, tapped, lambda tapped=tapped: tapped, presses))
            by_tap.setdefault("a consent statement ticked", []).append(samples[-1])
        patient.sign(window)
        timed("Sign and continue")
        patient.fill(window, "driver_name", "Luis García")
        patient.fill(window, "phone", "(555) 123-4567")
        patient.fill(window, "relationship", "brother")
        timed("Continue", called="Continue (ride home)")
        patient.wait_while_saving(window)
        timed("Finish", lambda: window.welcome)
    return samples, presses


def bare_stack_changes(watcher: PaintWatcher, count: int) -> list[float]:
    """The baseline: a button on each page of a bare QStackedWidget shows the next page."""
    window = QMainWindow()
    stack = QStackedWidget()
    window.setCentralWidget(stack)
    pages = 8
    for n in range(pages):
        page = QWidget()
        layout = QVBoxLayout(page)
        button = QPushButton(f"Next {n}")
        button.clicked.connect(lambda _=False, n=n: stack.setCurrentIndex((n + 1) % pages))
        layout.addWidget(button)
        stack.addWidget(page)
    window.resize(1080, 1920)
    window.show()
    watcher.wait_until_painted(stack.currentWidget)
    samples = []
    for _ in range(count):
        shown = stack.currentWidget()
        assert shown is not None
        next_button = shown.findChild(QPushButton)
        assert isinstance(next_button, QPushButton)
        samples.append(_timed_tap(watcher, next_button, stack.currentWidget))
    window.close()
    return samples


def pack_with_a_photo(folder: Path, picture: bytes) -> Path:
    """The bundled content with the largest stored picture on its first slide."""
    pack = folder / "pack-with-photo"
    shutil.copytree(bundled_pack_dir(), pack)
    (pack / "photo.jpg").write_bytes(picture)
    slides_file = pack / "slides.yaml"
    slides = yaml.safe_load(slides_file.read_text("utf-8"))
    slides["slides"][0]["picture"] = "photo.jpg"
    slides["slides"][0]["picture_alt"] = "A calm treatment room with a reclining chair."
    slides_file.write_text(yaml.safe_dump(slides, allow_unicode=True), "utf-8")
    # The Spanish translation describes every picture too.
    spanish_file = pack / "translations" / "es.yaml"
    spanish = yaml.safe_load(spanish_file.read_text("utf-8"))
    first = slides["slides"][0]["id"]
    spanish["slides"][first]["picture_alt"] = "Una sala de tratamiento tranquila con un sillón."
    spanish_file.write_text(yaml.safe_dump(spanish, allow_unicode=True), "utf-8")
    return pack


def photo_shows(
    window: KioskWindow, watcher: PaintWatcher, visits: int, returns: int
) -> tuple[list[float], list[float]]:
    """First shows (Continue from details onto slide 1) and later ones (Back onto it)."""
    first: list[float] = []
    later: list[float] = []
    on_show = _next_screen(window)
    for _ in range(visits):
        patient.tap(patient.current(window), "Start")
        patient.fill(window, "first_name", "Ana")
        patient.fill(window, "last_name", "García")
        patient.fill(window, "birth_date", "04/15/1968")
        first.append(
            _timed_tap(watcher, patient.button(patient.current(window), "Continue"), on_show)
        )
        assert window.screens is not None
        assert not window.screens.slide.picture.isHidden()
        for _ in range(returns):
            patient.tap(patient.current(window), "Next")
            later.append(
                _timed_tap(watcher, patient.button(patient.current(window), "Back"), on_show)
            )
        _back_to_welcome(window)
    return first, later


def run(workdir: Path, *, quick: bool) -> list[Row]:
    """Screen changes against the bare stack, then the slide with the photo."""
    application()
    watcher = PaintWatcher()
    count = 60 if quick else 200
    window = kiosk_window(workdir / "screens.sqlite3")
    # One visit first, so the first sample is not Python compiling the screens' code.
    screen_changes(window, watcher, 5)
    ours = screen_changes(window, watcher, count)
    starts = start_taps(window, watcher, 10 if quick else 40)
    by_tap: dict[str, list[float]] = {}
    every_tap, presses = visit_taps(window, watcher, 2 if quick else 6, by_tap)
    print("  the slowest taps of a visit (median, slowest, ms):", flush=True)
    slowest = sorted(by_tap.items(), key=lambda item: -statistics.median(item[1]))
    for label, times in slowest[:8]:
        print(f"    {label[:36]:36}  {statistics.median(times):5.1f}  {max(times):5.1f}")
    window.close()
    theirs = bare_stack_changes(watcher, count)
    rows = [
        Row(
            "screen change (tap Next / an answer)",
            tuple(ours),
            tuple(theirs),
            Target(median_ms=8, p95_ms=FRAME_MS),
        ),
        Row("Start tap → details painted", tuple(starts), target=Target(p95_ms=FRAME_MS)),
        Row(
            "every tap of a visit (Start … Finish)",
            tuple(every_tap),
            target=Target(p95_ms=FRAME_MS),
        ),
        Row(
            "  the same taps: touch → pressed look painted",
            tuple(presses),
            target=Target(p95_ms=FRAME_MS),
        ),
    ]

    picture = largest_stored_picture()
    pack = pack_with_a_photo(workdir, picture)
    window = kiosk_window(workdir / "photo.sqlite3", content_dir=pack)
    first, later = photo_shows(window, watcher, 3 if quick else 6, 5 if quick else 10)
    window.close()
    within_a_frame = Target(max_ms=FRAME_MS, text="no show over 16 ms")
    rows += [
        Row("slide with a 1920×1920 photo: first show", tuple(first), target=within_a_frame),
        Row("slide with a 1920×1920 photo: later shows", tuple(later), target=within_a_frame),
    ]
    photo = twelve_megapixel_photo()
    rows.append(
        Row(
            "import a 12 MP JPEG (the editor's import)",
            repeat_ms(lambda: import_picture_for_a_slide(photo), 3 if quick else 10),
        )
    )
    return rows
