"""Every bad input issue 6 names is refused, in words an admin understands.

One test per bad input: pictures (damaged, not a picture, too many pixels, SVG), paths
out of the pack (in a folder and in a zip), oversized files and zips, text that is not
UTF-8, and the content rules (empty title, duplicate ID, unknown answer, nothing to show).
"""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import time
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from kiosk.content import ContentPack
from kiosk.pack_archive import export_pack, pack_files, read_pack
from kiosk.pack_loader import ContentPackError, load_pack


def _problems(source: Path) -> list[str]:
    with pytest.raises(ContentPackError) as caught:
        read_pack(source)
    return [str(problem) for problem in caught.value.problems]


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def _with_picture(pack: Path, name: str, data: bytes | None = None) -> Path:
    """Give the slide 'how-it-works' the picture `name` (written unless data is None)."""
    if data is not None:
        (pack / name).parent.mkdir(parents=True, exist_ok=True)
        (pack / name).write_bytes(data)
    slides = pack / "slides.yaml"
    slides.write_text(
        # In place of the bundled picture, so the slide names one picture.
        re.sub(
            r"    picture: pictures/how-it-works.png\n    picture_alt: .*\n",
            f"    picture: {name}\n    picture_alt: A quiet treatment room\n",
            slides.read_text(),
        )
    )
    return slides


def _jpeg(width: int = 320, height: int = 200) -> bytes:
    out = io.BytesIO()
    Image.linear_gradient("L").resize((width, height)).convert("RGB").save(out, format="JPEG")
    return out.getvalue()


# --- pictures ----------------------------------------------------------------------------------


def test_a_truncated_picture_names_the_slide_file_and_line(pack_copy: Path) -> None:
    slides = _with_picture(pack_copy, "images/room.jpg", _jpeg()[:900])
    with pytest.raises(ContentPackError) as caught:
        load_pack(pack_copy)
    (problem,) = caught.value.problems
    assert str(problem) == (
        f"slides.yaml:{_line_of(slides, 'room.jpg')}: the picture 'images/room.jpg' is "
        "damaged or is not a picture; save it again as PNG, JPEG or WebP"
    )
    assert problem.in_words().startswith("slide 2 (how-it-works): the picture")


def test_a_file_that_is_not_a_picture_under_a_pictures_name(pack_copy: Path) -> None:
    _with_picture(pack_copy, "images/room.png", b"MZ\x90\x00 a program, not a picture")
    (problem,) = _problems(pack_copy)
    assert "'images/room.png' is damaged or is not a picture" in problem


def test_a_picture_over_40_megapixels(pack_copy: Path) -> None:
    out = io.BytesIO()
    Image.new("1", (8000, 5100)).save(out, format="PNG")
    _with_picture(pack_copy, "images/wall.png", out.getvalue())
    (problem,) = _problems(pack_copy)
    assert "'images/wall.png' is 8000 × 5100 pixels, more than 40 megapixels" in problem


def test_an_svg_picture(pack_copy: Path) -> None:
    _with_picture(pack_copy, "images/logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    (problem,) = _problems(pack_copy)
    assert "'images/logo.svg' is an SVG drawing, which the kiosk does not accept" in problem


# --- paths out of the pack: a folder -------------------------------------------------------------


@pytest.mark.parametrize("name", ["../outside.jpg", "/etc/hosts", "images/../../outside.jpg"])
def test_a_picture_path_outside_the_pack(pack_copy: Path, name: str) -> None:
    (pack_copy.parent / "outside.jpg").write_bytes(_jpeg())
    _with_picture(pack_copy, name)
    (problem,) = _problems(pack_copy)
    assert f"the picture '{name}' must be inside the content folder" in problem


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need extra rights on Windows")
def test_a_picture_that_is_a_symbolic_link(pack_copy: Path) -> None:
    secret = pack_copy.parent / "secret.jpg"
    secret.write_bytes(_jpeg())
    (pack_copy / "images").mkdir()
    (pack_copy / "images" / "room.jpg").symlink_to(secret)
    _with_picture(pack_copy, "images/room.jpg")
    (problem,) = _problems(pack_copy)
    assert "'images/room.jpg' is a shortcut (symbolic link)" in problem


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need extra rights on Windows")
def test_a_pack_file_or_folder_that_is_a_symbolic_link(pack_copy: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "room.jpg").write_bytes(_jpeg())
    (pack_copy / "images").symlink_to(elsewhere)
    _with_picture(pack_copy, "images/room.jpg")
    moved = tmp_path / "questions.yaml"
    (pack_copy / "questions.yaml").rename(moved)
    (pack_copy / "questions.yaml").symlink_to(moved)
    problems = _problems(pack_copy)
    assert any("'images/room.jpg' is a shortcut (symbolic link)" in p for p in problems)
    assert any(
        p.startswith("questions.yaml:1: this file 'questions.yaml' is a shortcut") for p in problems
    )


# --- zips ----------------------------------------------------------------------------------------


def _zip(target: Path, pack: ContentPack, extra: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    folder = target.with_suffix("")
    export_pack(pack, folder)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
        for info, data in extra:
            archive.writestr(info, data)
    return target


@pytest.fixture
def never_unpacked(monkeypatch: pytest.MonkeyPatch) -> None:
    """A hostile zip must be refused from its table of contents, before unpacking."""

    def refuse(*_: object) -> None:
        raise AssertionError("the zip was unpacked")

    monkeypatch.setattr("kiosk.pack_archive._unpack", refuse)


@pytest.mark.usefixtures("never_unpacked")
@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("../../.bashrc", "the entry '../../.bashrc' points outside the pack"),
        ("/etc/cron.d/job", "the entry '/etc/cron.d/job' points outside the pack"),
        ("images\\..\\..\\evil.png", "points outside the pack"),
        ("C:/Windows/evil.png", "the entry 'C:/Windows/evil.png' points outside the pack"),
    ],
)
def test_a_zip_with_a_path_outside_the_pack(
    tmp_path: Path, pack: ContentPack, entry: str, message: str
) -> None:
    source = _zip(tmp_path / "pack.zip", pack, [(entry, b"x")])
    (problem,) = _problems(source)
    assert problem.startswith("pack.zip:1: ")
    assert message in problem


@pytest.mark.usefixtures("never_unpacked")
def test_a_zip_with_a_symbolic_link(tmp_path: Path, pack: ContentPack) -> None:
    link = zipfile.ZipInfo("images/room.png")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    source = _zip(tmp_path / "pack.zip", pack, [(link, b"/etc/shadow")])
    (problem,) = _problems(source)
    assert "the entry 'images/room.png' is a shortcut (symbolic link)" in problem


@pytest.mark.usefixtures("never_unpacked")
def test_a_zip_with_more_than_500_entries(tmp_path: Path, pack: ContentPack) -> None:
    source = _zip(tmp_path / "pack.zip", pack, [(f"notes/{n}.txt", b"") for n in range(500)])
    entries = len(pack_files(pack)) + 500
    assert _problems(source) == [
        f"pack.zip:1: this .zip has {entries} entries; a content pack can have at most 500"
    ]


@pytest.mark.usefixtures("never_unpacked")
def test_a_zip_expanding_to_more_than_100_mb_is_refused_fast(
    tmp_path: Path, pack: ContentPack
) -> None:
    zeros = b"\0" * (9 * 1024 * 1024)  # each under the 10 MB limit for one file
    source = _zip(tmp_path / "pack.zip", pack, [(f"filler/{n}.bin", zeros) for n in range(12)])
    assert source.stat().st_size < 2 * 1024 * 1024
    started = time.perf_counter()
    problems = _problems(source)
    assert time.perf_counter() - started < 0.5
    assert problems == [
        "pack.zip:1: this .zip unpacks to 108 MB; a content pack can be at most 100 MB"
    ]


@pytest.mark.usefixtures("never_unpacked")
def test_a_zip_entry_over_10_mb(tmp_path: Path, pack: ContentPack) -> None:
    source = _zip(tmp_path / "pack.zip", pack, [("video.mp4", b"\0" * (11 * 1024 * 1024))])
    assert _problems(source) == [
        (
            "pack.zip:1: the entry 'video.mp4' unpacks to 11 MB; files in a content pack can be "
            "at most 10 MB"
        )
    ]


def _declare_size(archive: bytes, name: str, declared: int) -> bytes:
    """Make the zip's headers lie about how big the entry `name` unpacks."""
    data = bytearray(archive)
    encoded = name.encode()
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        length = struct.unpack_from("<H", data, start + 28)[0]
        if data[start + 46 : start + 46 + length] == encoded:
            struct.pack_into("<I", data, start + 24, declared)
            local = struct.unpack_from("<I", data, start + 42)[0]
            struct.pack_into("<I", data, local + 22, declared)
        start += 4
    return bytes(data)


def test_a_zip_whose_headers_lie_about_an_entrys_size(tmp_path: Path, pack: ContentPack) -> None:
    source = _zip(tmp_path / "pack.zip", pack, [])
    source.write_bytes(_declare_size(source.read_bytes(), "slides.yaml", 100))
    assert _problems(source) == [
        "pack.zip:1: the entry 'slides.yaml' cannot be unpacked; the .zip is damaged"
    ]


def test_a_damaged_zip_and_a_file_that_is_no_zip(tmp_path: Path, pack: ContentPack) -> None:
    source = _zip(tmp_path / "pack.zip", pack, [])
    source.write_bytes(source.read_bytes()[:-30])
    assert _problems(source) == [
        "pack.zip:1: this is neither a content folder nor a readable .zip file"
    ]


def test_a_zip_of_the_pack_folder_itself_is_read(tmp_path: Path, pack: ContentPack) -> None:
    export_pack(pack, tmp_path / "clinic-content")
    with zipfile.ZipFile(tmp_path / "made-by-hand.zip", "w") as archive:
        for path in sorted((tmp_path / "clinic-content").rglob("*")):
            archive.write(path, path.relative_to(tmp_path).as_posix())
    assert read_pack(tmp_path / "made-by-hand.zip").version == pack.version


# --- sizes and text ------------------------------------------------------------------------------


def test_a_file_over_10_mb_in_a_folder(pack_copy: Path) -> None:
    (pack_copy / "images").mkdir()
    with (pack_copy / "images" / "room.jpg").open("wb") as picture:
        picture.truncate(11 * 1024 * 1024)
    slides = _with_picture(pack_copy, "images/room.jpg")
    assert _problems(pack_copy) == [
        (
            f"slides.yaml:{_line_of(slides, 'room.jpg')}: the picture 'images/room.jpg' is "
            "11 MB; a file in a content pack can be at most 10 MB"
        )
    ]


def test_a_yaml_file_over_2_mb_in_a_folder(pack_copy: Path) -> None:
    consent = pack_copy / "consent.yaml"
    consent.write_text(consent.read_text() + "#" * (3 * 1024 * 1024) + "\n")
    assert _problems(pack_copy) == [
        (
            "consent.yaml:1: this file 'consent.yaml' is 3.0 MB; a YAML file in a content pack "
            "can be at most 2 MB"
        )
    ]


def test_text_that_is_not_utf8_names_the_file_and_line(pack_copy: Path) -> None:
    questions = pack_copy / "questions.yaml"
    text = questions.read_text().replace("Are you pregnant", "Est-ce que vous êtes enceinte")
    line = _line_of(questions, "Are you pregnant")
    questions.write_bytes(text.encode("latin-1"))
    assert _problems(pack_copy) == [
        (
            f"questions.yaml:{line}: this line has "
            "characters that are not UTF-8 text; save the file as UTF-8"
        )
    ]


# --- content rules -------------------------------------------------------------------------------


def test_an_empty_title(pack_copy: Path) -> None:
    slides = pack_copy / "slides.yaml"
    slides.write_text(slides.read_text().replace("title: Common side effects", "title: ''"))
    with pytest.raises(ContentPackError) as caught:
        load_pack(pack_copy)
    (problem,) = caught.value.problems
    line = _line_of(slides, "title: ''")
    assert str(problem) == f"slides.yaml:{line}: 'title' of this slide is empty"
    assert problem.in_words() == "slide 3 (common-side-effects): 'title' of this slide is empty"


def test_a_duplicate_question_id(pack_copy: Path) -> None:
    questions = pack_copy / "questions.yaml"
    questions.write_text(questions.read_text().replace("id: pregnancy", "id: psychosis"))
    assert _problems(pack_copy) == [
        (
            f"questions.yaml:{_line_of(questions, 'Are you pregnant') - 1}: the id 'psychosis' is "
            "used twice; each one must be different"
        )
    ]


def test_a_flag_rule_naming_an_answer_that_does_not_exist(pack_copy: Path) -> None:
    questions = pack_copy / "questions.yaml"
    text = questions.read_text()
    questions.write_text(text.replace("flag_when: [yes, not_sure]", "flag_when: [yes, maybe]", 1))
    assert _problems(pack_copy) == [
        (
            f"questions.yaml:{_line_of(questions, 'maybe')}: 'maybe' is not an answer; "
            "use one of: yes, no, not_sure"
        )
    ]


@pytest.mark.parametrize(
    ("file", "key"), [("slides.yaml", "slides"), ("questions.yaml", "questions")]
)
def test_a_pack_with_no_slides_or_no_questions(pack_copy: Path, file: str, key: str) -> None:
    (pack_copy / file).write_text(f"{key}: []\n")
    assert _problems(pack_copy) == [f"{file}:1: there must be at least one item in '{key}'"]
