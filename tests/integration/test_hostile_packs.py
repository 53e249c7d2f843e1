"""`kiosk content check` of packs made to hurt: refused in seconds, in bounded memory.

Each pack is generated here (a few hundred bytes of aliases, nesting, huge strings,
thousands of entries, a zip naming a file twice) and checked by the real command in a
process of its own, under a memory limit and a time limit, so a pack that still costs
gigabytes or minutes fails its test instead of taking the machine down. Each must end
in plain `file:line: message` problems: no traceback, and no flood of text.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.pack_loader import bundled_pack_dir
from tests.integration.running import KIOSK

resource = pytest.importorskip("resource", reason="memory limits need a POSIX system")

# The command itself needs about 100 MB; a pack gets far less room than it would take
# to expand any of these packs.
MEMORY_LIMIT = 1536 * 1024 * 1024
SECONDS = 30  # each finishes in about one; the machine may be busy
MOST_OUTPUT = 20_000  # characters of problems: a page or two, never a flood


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _check(source: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("KIOSK_")}
    home = source.parent
    env |= {"HOME": str(home), "XDG_DATA_HOME": str(home / "data")}
    env |= {"XDG_CONFIG_HOME": str(home / "config"), "KIOSK_CONFIG": str(home / "kiosk.toml")}
    (home / "kiosk.toml").write_text("")
    return subprocess.run(
        [str(KIOSK), "content", "check", str(source)],
        capture_output=True,
        text=True,
        env=env,
        cwd=home,
        timeout=SECONDS,
        preexec_fn=_limited,  # sets the limit, then the command starts
        check=False,
    )


def _pack(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(bundled_pack_dir(), target)
    shutil.rmtree(target / "translations")
    return target


def _laughs(levels: int) -> str:
    """Anchors a0 … a(levels-1), each a list of nine of the one before: 9**levels values."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def _alias_as_a_key(pack: Path) -> tuple[Path, str]:
    # Nine levels: a few hundred bytes standing for 387 million values, as a mapping's key.
    (pack / "pack.yaml").write_text(_laughs(9) + "? *a8\n: x\nclinic_name: X\nlanguage: en\n")
    return pack, "pack.yaml:2: '*a0' repeats a value by an alias"


def _alias_as_a_value(pack: Path) -> tuple[Path, str]:
    (pack / "pack.yaml").write_text("clinic_name: *a8\nlanguage: en\n" + _laughs(9))
    return pack, "pack.yaml:1: '*a8' repeats a value by an alias"


def _alias_as_slide_text(pack: Path) -> tuple[Path, str]:
    # Half a megabyte of text, shown on 30,000 slides by alias: 15 GB once expanded.
    slides = ["slides:", f"  - {{id: s0, title: T, text: &text '{'Ketamine. ' * 50_000}'}}"]
    slides += [f"  - {{id: s{n}, title: T, text: *text}}" for n in range(1, 30_000)]
    (pack / "slides.yaml").write_text("\n".join(slides) + "\n")
    return pack, "slides.yaml:3: '*text' repeats a value by an alias"


def _deep_brackets(pack: Path) -> tuple[Path, str]:
    (pack / "slides.yaml").write_text("slides: " + "[" * 100_000 + "]" * 100_000 + "\n")
    return pack, "slides.yaml:1: the lists and sections here are nested more than 20 deep"


def _deep_dashes(pack: Path) -> tuple[Path, str]:
    (pack / "slides.yaml").write_text("slides:\n" + "- " * 5_000 + "x\n")
    return pack, "slides.yaml:2: the lists and sections here are nested more than 20 deep"


def _huge_file(pack: Path) -> tuple[Path, str]:
    text = "Ketamine is a medicine. " * 400_000  # 9 MB on one slide
    (pack / "slides.yaml").write_text(f"slides:\n  - id: a\n    title: T\n    text: {text}\n")
    return pack, (
        "slides.yaml:1: this file 'slides.yaml' is 9.2 MB; a YAML file in a content pack "
        "can be at most 2 MB"
    )


def _long_slide_text(pack: Path) -> tuple[Path, str]:
    text = "x" * 100_000
    (pack / "slides.yaml").write_text(f"slides:\n  - id: a\n    title: T\n    text: {text}\n")
    return pack, (
        "slides.yaml:4: 'text' of this slide is 100,000 characters long; it can be at most 4,000"
    )


def _many_questions(pack: Path) -> tuple[Path, str]:
    items = "".join(f"  - {{id: q{n}, text: Question {n}}}\n" for n in range(5_000))
    (pack / "questions.yaml").write_text("questions:\n" + items)
    return (
        pack,
        "questions.yaml:2: 'questions' has 5,000 items; a content pack can have at most 100",
    )


def _many_choices(pack: Path) -> tuple[Path, str]:
    choices = "".join(f"      - {{id: c{n}, text: Choice {n}}}\n" for n in range(1_000))
    (pack / "questions.yaml").write_text(
        "questions:\n  - id: q\n    kind: single_choice\n    text: Which?\n    choices:\n" + choices
    )
    return pack, "questions.yaml:6: 'choices' has 1,000 items; a content pack can have at most 20"


def _many_values(pack: Path) -> tuple[Path, str]:
    (pack / "slides.yaml").write_text("slides: [" + "1," * 900_000 + "1]\n")
    return pack, "slides.yaml:1: this file has more than 50,000 values"


SPANISH = (bundled_pack_dir() / "translations" / "es.yaml").read_text(encoding="utf-8")


def _many_big_translations(pack: Path) -> tuple[Path, str]:
    # Blank lines are the slowest YAML to read: ten files of them would take half a minute.
    (pack / "translations").mkdir()
    for code in ("aa", "bb", "cc", "dd", "ee", "ff", "gg", "hh", "ii", "jj"):
        # Whole translations (the Spanish one): the files before the one past the limit
        # are sound, so what is said is the limit, not each of their missing words.
        (pack / "translations" / f"{code}.yaml").write_text("\n" * 1_900_000 + SPANISH)
    return pack, (
        "translations/cc.yaml:1: with this file the pack's YAML files add up to more than 4 MB"
    )


def _number_of_digits(digits: str) -> Callable[[Path], tuple[Path, str]]:
    def make(pack: Path) -> tuple[Path, str]:
        settings = pack / "pack.yaml"
        settings.write_text(
            settings.read_text().replace("seconds_before_next: 0", f"seconds_before_next: {digits}")
        )
        return pack, "pack.yaml:7: 'seconds_before_next' should be a whole number from 0 to 120"

    return make


def _control_character(pack: Path) -> tuple[Path, str]:
    (pack / "pack.yaml").write_text('clinic_name: "North\x07Clinic"\nlanguage: en\n')
    return pack, "pack.yaml:1: this line has a control character (code 0x07)"


def _zipped(pack: Path, entries: list[tuple[str, bytes]]) -> Path:
    target = pack.with_name("pack.zip")
    with zipfile.ZipFile(target, "w") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Python's own warning about a name given twice
        for path in sorted(pack.iterdir()):
            archive.write(path, path.name)
        for name, data in entries:
            archive.writestr(name, data)
    return target


def _zip_naming_a_file_twice(pack: Path) -> tuple[Path, str]:
    source = _zipped(pack, [("slides.yaml", b"slides: []\n")])
    return source, "pack.zip:1: this .zip holds 'slides.yaml' twice, which are the same file"


def _zip_naming_a_file_twice_in_other_words(pack: Path) -> tuple[Path, str]:
    source = _zipped(pack, [("./Slides.yaml", b"slides: []\n")])
    return source, (
        "pack.zip:1: this .zip holds 'slides.yaml' and './Slides.yaml', which are the same file"
    )


HOSTILE: dict[str, Callable[[Path], tuple[Path, str]]] = {
    "alias as a key": _alias_as_a_key,
    "alias as a value": _alias_as_a_value,
    "alias as slide text": _alias_as_slide_text,
    "deep brackets": _deep_brackets,
    "deep dashes": _deep_dashes,
    "huge file": _huge_file,
    "long slide text": _long_slide_text,
    "many questions": _many_questions,
    "many choices": _many_choices,
    "many values": _many_values,
    "many big translations": _many_big_translations,
    "control character": _control_character,
    "a superscript for a number": _number_of_digits("²"),
    "a number of 5,000 digits": _number_of_digits("9" * 5_000),
    "zip naming a file twice": _zip_naming_a_file_twice,
    "zip naming a file twice in other words": _zip_naming_a_file_twice_in_other_words,
}


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_pack_is_refused_in_seconds_in_plain_words(
    tmp_path: Path, make: Callable[[Path], tuple[Path, str]]
) -> None:
    source, problem = make(_pack(tmp_path))
    result = _check(source)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 1, result.stderr[-2000:]
    assert problem in result.stdout, result.stdout[:2000]
    assert len(result.stdout) + len(result.stderr) < MOST_OUTPUT


def test_the_limit_leaves_room_for_the_command(tmp_path: Path) -> None:
    """The memory limit is not itself what refuses a pack: a sound pack passes under it."""
    result = _check(_pack(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout
