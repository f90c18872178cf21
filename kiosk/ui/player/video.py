"""One video channel of the player: a QMediaPlayer decoding into a QVideoSink.

The player keeps two channels and alternates: while one plays, the other loads the next video;
at the item boundary the loaded one starts and is swapped onto the stage on its first frame,
so the screen never waits on a decoder. Frames are turned into images and painted by the stage
itself (a QVideoSink, not a QVideoWidget), which is what makes a crossfade and a swap between
two players possible without a native window in between. Board videos play without sound.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal, Slot
from PySide6.QtGui import QImage
from PySide6.QtMultimedia import QMediaPlayer, QVideoFrame, QVideoSink

log = logging.getLogger(__name__)


class ChannelState(enum.Enum):
    IDLE = "idle"
    LOADING = "loading"
    LOADED = "loaded"
    PLAYING = "playing"
    ENDED = "ended"
    FAILED = "failed"


class VideoChannel(QObject):
    """A media player and its video sink, loaded and started on request.

    Signals:
        loaded(): the source is open and ready to start.
        first_frame(QImage): the first picture after `play()`.
        frame(QImage): every later picture while playing.
        ended(): the video reached its end.
        failed(str): the file cannot be played (the reason, for the log).

    Attributes:
        path: the file loaded, or None.
        state: where the channel is (idle, loading, loaded, playing, ended, failed).
        frames: pictures received since `play()`.
        last_frame_at: when the last picture arrived (the watchdog's monotonic clock).
    """

    loaded = Signal()
    first_frame = Signal(object)
    frame = Signal(object)
    ended = Signal()
    failed = Signal(str)

    def __init__(
        self, parent: QObject | None = None, *, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(parent)
        self._monotonic = monotonic
        self.player = QMediaPlayer(self)
        self.sink = QVideoSink(self)
        self.player.setVideoOutput(self.sink)
        self.path: Path | None = None
        self.state = ChannelState.IDLE
        self.frames = 0
        self.last_frame_at = monotonic()
        self.sink.videoFrameChanged.connect(self.on_sink_video_frame_changed)
        self.player.mediaStatusChanged.connect(self.on_player_media_status_changed)
        self.player.errorOccurred.connect(self.on_player_error_occurred)

    def load(self, path: Path) -> None:
        """Open `path` without starting it."""
        self.path = path
        self.frames = 0
        self.state = ChannelState.LOADING
        self.player.setSource(QUrl.fromLocalFile(str(path)))

    def play(self) -> None:
        self.frames = 0
        self.last_frame_at = self._monotonic()
        self.state = ChannelState.PLAYING
        self.player.play()

    def stop(self) -> None:
        """Stop and close the file, so an idle channel holds no decoder or frames."""
        self.player.stop()
        self.player.setSource(QUrl())
        self.path = None
        self.state = ChannelState.IDLE

    @property
    def busy(self) -> bool:
        return self.state in (ChannelState.LOADING, ChannelState.LOADED, ChannelState.PLAYING)

    @Slot(QVideoFrame)
    def on_sink_video_frame_changed(self, video_frame: QVideoFrame) -> None:
        if self.state is not ChannelState.PLAYING or not video_frame.isValid():
            return  # an empty frame when a video stops: keep the last picture
        image: QImage = video_frame.toImage()
        if image.isNull():
            return
        self.frames += 1
        self.last_frame_at = self._monotonic()
        if self.frames == 1:
            self.first_frame.emit(image)
        else:
            self.frame.emit(image)

    @Slot(QMediaPlayer.MediaStatus)
    def on_player_media_status_changed(self, status: QMediaPlayer.MediaStatus) -> None:
        Status = QMediaPlayer.MediaStatus
        if status is Status.LoadedMedia and self.state is ChannelState.LOADING:
            self.state = ChannelState.LOADED
            self.loaded.emit()
        elif status is Status.EndOfMedia and self.state is ChannelState.PLAYING:
            self.state = ChannelState.ENDED
            self.ended.emit()
        elif status is Status.InvalidMedia and self.busy:
            self._fail("invalid media")

    @Slot(QMediaPlayer.Error, str)
    def on_player_error_occurred(self, error: QMediaPlayer.Error, text: str) -> None:
        if error is not QMediaPlayer.Error.NoError and self.busy:
            self._fail(text or error.name)

    def _fail(self, reason: str) -> None:
        self.state = ChannelState.FAILED
        log.warning("video_failed path=%s reason=%s", self.path, reason)
        self.failed.emit(reason)
