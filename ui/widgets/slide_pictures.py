"""Slide pictures decoded and scaled once, ahead of the slides that show them.

Decoding a picture as large as an import stores (1920 px on the long edge) and scaling
it smoothly took 90 ms or more, every time its slide was shown: six frames of a frozen
screen under the patient's finger (bench/screens.py). The kiosk prepares the pictures
when a visit begins, and keeps them between visits while the content stays the same;
a slide then only hands its label a pixmap that is ready.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImageReader, QPixmap

# The largest a slide shows a picture; it keeps its shape inside this box.
SLIDE_PICTURE_BOX = QSize(900, 600)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def slide_pixmap(data: bytes) -> QPixmap | None:
    """The picture scaled to fit the slide's picture box, or None if it cannot be read.

    The reader decodes straight to the shown size where the format allows (a JPEG is
    decoded at a half, quarter or eighth size), which is most of the saving.
    """
    array = QByteArray(data)
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    size = reader.size()
    if size.isValid() and (
        size.width() > SLIDE_PICTURE_BOX.width() or size.height() > SLIDE_PICTURE_BOX.height()
    ):
        reader.setScaledSize(size.scaled(SLIDE_PICTURE_BOX, Qt.AspectRatioMode.KeepAspectRatio))
        reader.setQuality(100)  # smooth scaling, as the slide always had
    image = reader.read()
    if image.isNull():
        return None
    return QPixmap.fromImage(image)


class SlidePictures:
    """The content's pictures ready to show, by their name in the content pack.

    Pictures are kept by their bytes' digest, so a new content version decodes only
    the pictures that changed, and pictures no longer in the content are let go.
    """

    def __init__(self) -> None:
        self._by_digest: dict[str, QPixmap | None] = {}
        self._by_name: dict[str, QPixmap | None] = {}

    def prepare(self, pictures: Mapping[str, bytes]) -> None:
        """Make every picture of the content ready (at the start of a visit)."""
        digests = {name: _digest(data) for name, data in pictures.items()}
        kept = {d: self._by_digest[d] for d in digests.values() if d in self._by_digest}
        for name, digest in digests.items():
            if digest not in kept:
                kept[digest] = slide_pixmap(pictures[name])
        self._by_digest = kept
        self._by_name = {name: kept[digest] for name, digest in digests.items()}

    def get(self, name: str | None) -> QPixmap | None:
        """The prepared picture called `name` (None when there is none to show)."""
        return None if name is None else self._by_name.get(name)
