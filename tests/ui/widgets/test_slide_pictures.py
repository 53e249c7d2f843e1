"""Slide pictures are decoded and scaled once, ready before their slide is shown."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pytestqt.qtbot import QtBot

from ui.widgets.slide_pictures import SlidePictures, slide_pixmap


def _jpeg(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 110, 170)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_large_picture_is_scaled_to_the_slides_box_keeping_its_shape(qtbot: QtBot) -> None:
    pixmap = slide_pixmap(_jpeg(1920, 1080))
    assert pixmap is not None
    assert (pixmap.width(), pixmap.height()) == (900, 506)
    small = slide_pixmap(_jpeg(400, 300))
    assert small is not None
    assert (small.width(), small.height()) == (400, 300)


# The JPEG decoder describes the damage it finds; here the damage is the point.
@pytest.mark.qt_log_ignore("^Corrupt JPEG data: ", "^JPEG datastream contains no image$")
def test_a_damaged_picture_shows_nothing(qtbot: QtBot) -> None:
    assert slide_pixmap(b"not a picture at all") is None
    pictures = SlidePictures()
    pictures.prepare({"broken.jpg": b"\xff\xd8 broken"})
    assert pictures.get("broken.jpg") is None
    assert pictures.get(None) is None


def test_pictures_are_kept_between_visits_and_let_go_when_the_content_drops_them(
    qtbot: QtBot,
) -> None:
    room, chair = _jpeg(1200, 800), _jpeg(800, 1200)
    pictures = SlidePictures()
    pictures.prepare({"room.jpg": room})
    first = pictures.get("room.jpg")
    assert first is not None
    # The next visit: the same picture (even renamed) is not decoded again.
    pictures.prepare({"room.jpg": room, "chair.jpg": chair})
    assert pictures.get("room.jpg") is first
    pictures.prepare({"lobby.jpg": room})
    assert pictures.get("lobby.jpg") is first
    assert pictures.get("chair.jpg") is None
    assert pictures.get("room.jpg") is None
