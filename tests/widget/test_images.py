"""Pictures as the kiosk reads them: the format named from the file, decoding off the GUI thread
with results delivered on it, and files that are not pictures refused without a fuss."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from kiosk.paths import asset_path
from kiosk.ui.images import image_format, picture_at_height, read_image
from kiosk.ui.player.decode import ImageDecoder

DEMO_MEDIA = asset_path("demo", "media")


def picture(tmp_path: Path, fmt: str, size=(64, 48)) -> Path:
    image = QImage(*size, QImage.Format.Format_RGB32)
    image.fill(0x3366CC)
    path = tmp_path / f"picture.{fmt}"
    assert image.save(str(path), fmt.upper())
    return path


# The smallest GIF there is: Qt reads GIF but cannot write one.
ONE_PIXEL_GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00"
    b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


@pytest.mark.parametrize("fmt", ["png", "jpeg", "bmp", "webp"])
def test_each_pack_format_is_named_from_its_bytes_and_read_scaled(qapp, tmp_path, fmt):
    path = picture(tmp_path, fmt, (640, 480))
    assert image_format(path.read_bytes()[:12]) == fmt.encode()
    image = read_image(path, QSize(320, 320))
    assert image is not None and image.size() == QSize(320, 240)


def test_a_gif_is_read(qapp, tmp_path):
    path = tmp_path / "dot.gif"
    path.write_bytes(ONE_PIXEL_GIF)
    image = read_image(path)
    assert image_format(ONE_PIXEL_GIF) == b"gif" and image is not None
    assert image.size() == QSize(1, 1)


def test_a_file_that_is_no_picture_is_refused(qapp, tmp_path):
    svg = tmp_path / "drawing.png"  # the name does not decide: the bytes do
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    assert image_format(svg.read_bytes()[:12]) is None
    assert read_image(svg) is None
    assert read_image(tmp_path / "missing.jpg") is None
    cut = tmp_path / "cut.png"
    cut.write_bytes(picture(tmp_path, "png").read_bytes()[:40])  # a download cut short
    assert read_image(cut) is None


def test_the_decoder_works_off_the_gui_thread_and_answers_on_it(qtbot, tmp_path):
    decoder = ImageDecoder()
    seen: list[tuple[str, int, object]] = []
    threads: list[threading.Thread] = []

    def note(kind: str):
        def slot(ticket: int, value: object) -> None:
            threads.append(threading.current_thread())
            seen.append((kind, ticket, value))

        return slot

    decoder.decoded.connect(note("decoded"))
    decoder.failed.connect(note("failed"))
    good = picture(tmp_path, "jpeg", (1920, 1080))
    bad = tmp_path / "notes.txt"
    bad.write_text("not a picture")
    tickets = [decoder.request(good, QSize(960, 960)), decoder.request(bad, QSize(10, 10))]
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=5000)
    decoder.shutdown()
    assert [(kind, ticket) for kind, ticket, _ in seen] == [
        ("decoded", tickets[0]),
        ("failed", tickets[1]),
    ]
    assert seen[0][2].size() == QSize(960, 540)
    assert threads == [threading.main_thread()] * 2


def test_a_shut_down_decoder_delivers_nothing_more(qtbot, tmp_path):
    decoder = ImageDecoder()
    delivered: list[int] = []
    decoder.decoded.connect(lambda ticket, _image: delivered.append(ticket))
    for _ in range(20):
        decoder.request(picture(tmp_path, "png", (800, 600)), QSize(400, 400))
    decoder.shutdown()
    qtbot.wait(100)
    assert len(delivered) <= 1  # at most the one already running when it stopped


def test_a_pack_picture_is_decoded_once_for_its_height_and_again_when_replaced(qapp, tmp_path):
    """A picture drawn at most `height` tall is decoded at that size (never larger than the
    file), once: the same picture at the next tap comes from memory; a replaced file is read
    again."""
    path = picture(tmp_path, "png", (1600, 1200))
    image = picture_at_height(path, 300)
    assert image is not None and image.size() == QSize(400, 300)
    again = picture_at_height(path, 300)
    assert again is not None and again.cacheKey() == image.cacheKey()
    small = picture_at_height(path, 2000)  # never scaled up while decoding
    assert small is not None and small.size() == QSize(1600, 1200)
    replaced = QImage(800, 400, QImage.Format.Format_RGB32)
    replaced.fill(0xCC3366)
    assert replaced.save(str(path), "PNG")
    os.utime(path, ns=(1, 2_000_000_000))  # another modification time, as a new file has
    newer = picture_at_height(path, 300)
    assert newer is not None and newer.size() == QSize(600, 300)
