"""영상센터: the district's videos from the local cache, and a player with large buttons.

`videos` lists the pack's videos as large thumbnails with their title and length. `video`
plays one with single-tap buttons (재생/일시정지, 10초 뒤로, 처음부터, 소리 작게/크게,
자막 켜기/끄기; no scrubbing), large subtitles from the pack, its QR code and the
"휴대폰으로 보기" button. The buttons' rules live in `kiosk.domain.video.VideoSession`, which
the route carries so that a text-size or language change goes on where the resident was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Slot
from PySide6.QtGui import QImage, QPainter, QPaintEvent
from PySide6.QtMultimedia import (
    QAudioOutput,
    QMediaDevices,
    QMediaPlayer,
    QVideoFrame,
    QVideoSink,
)
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from contract.content import Video
from contract.subtitles import cue_at
from kiosk.context import AppContext
from kiosk.domain.video import VideoSession, clock_text, minutes_seconds
from kiosk.ui.images import read_image
from kiosk.ui.navigation import Route
from kiosk.ui.qr import KIOSK_SCAN_MM, QrPanel
from kiosk.ui.screens.base import Screen, TitledScreen
from kiosk.ui.screens.share import qr_panel, share_button
from kiosk.ui.subtitles import read_cues
from kiosk.ui.widgets import WrapButton, columns_for, grid, label

log = logging.getLogger(__name__)

REFRESH_MS = 100
# The two-column player layout needs this much width (a landscape kiosk).
WIDE_PX = 1400


class Picture(QWidget):
    """A 16:9 picture (a thumbnail or the current video frame), scaled to fit, centred."""

    def __init__(self, image: QImage | None = None, *, letterbox: bool = True) -> None:
        super().__init__()
        self.image = image
        self.letterbox = letterbox
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def set_image(self, image: QImage | None) -> None:
        self.image = image
        self.update()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return width * 9 // 16

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(640, 360)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        if self.letterbox:  # a player's black bars; a thumbnail sits on its tile instead
            painter.fillRect(self.rect(), Qt.GlobalColor.black)
        if self.image is not None and not self.image.isNull():
            size = self.image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            x = (self.width() - size.width()) // 2
            y = (self.height() - size.height()) // 2
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(self.rect().adjusted(x, y, -x, -y), self.image)
        painter.end()


def length_text(tr: Callable[..., str], seconds: float) -> str:
    minutes, secs = minutes_seconds(seconds)
    if minutes:
        return tr("videos.length.min", minutes=minutes, seconds=secs)
    return tr("videos.length.sec", seconds=secs)


def thumbnail(ctx: AppContext, video: Video) -> QImage | None:
    path = ctx.asset_file(video.thumbnail)
    return read_image(path, QSize(960, 540)) if path is not None else None


class VideosScreen(TitledScreen):
    """The video list: one large tile per video, and the way to the district's channels."""

    title_id = "area.videos"

    def build(self) -> None:
        env = self.env
        pack = env.ctx.pack
        videos = list(pack.videos) if pack else []
        if not videos:
            self.box.addWidget(label(env.tr("videos.empty"), "notice"))
        else:
            self.box.addWidget(label(env.tr("videos.hint"), "muted"))
        m = env.theme.metrics
        tiles: list[QWidget] = []
        for video in videos:
            tile = env.button(
                (video.title.get(env.language), "tileTitle"),
                (length_text(env.tr, video.duration_s), "tileText"),
                role="primary",
                name=f"video_{video.id}",
            )
            tile.setProperty("tile", True)
            picture = Picture(thumbnail(env.ctx, video), letterbox=False)
            if isinstance(env.shell, QWidget):
                # One column of huge pictures at large text would push the titles off screen.
                picture.setMaximumHeight(max(120, int(env.shell.height() * 0.25)))
            tile.box.insertWidget(1, picture)
            tile.clicked.connect(lambda _=False, v=video: self.open(v))
            tiles.append(tile)
        if tiles:
            holder = QWidget()
            columns = columns_for(env.width, m.body_px * 12, most=3)
            holder.setLayout(grid(tiles, columns, m.gap_px * 2))
            self.box.addWidget(holder)
        if pack is not None and pack.district.sns:
            sns = env.button(env.tr("videos.sns"), name="snsButton")
            sns.clicked.connect(lambda _=False: env.shell.navigate(Route("sns")))
            self.box.addWidget(sns)
        self.box.addStretch(1)

    def open(self, video: Video) -> None:
        session = VideoSession(video.id, video.duration_s)
        self.env.shell.navigate(Route("video", {"video_id": video.id, "session": session}))


class VideoScreen(Screen):
    """Route params: `video_id` and `session` (a VideoSession; without one, the first video
    of the pack, paused at the start).

    Attributes:
        media: the QMediaPlayer, made on the first play.
        session: where the resident is and how they set it up.
        cues: the video's subtitles.
    """

    title_id = "area.videos"

    def build(self) -> None:
        env = self.env
        pack = env.ctx.pack
        video = pack.video(self.params.get("video_id", "")) if pack else None
        if video is None and pack is not None and pack.videos:
            video = pack.videos[0]
        self.media: QMediaPlayer | None = None
        self._resume_ms = 0
        self.audio: QAudioOutput | None = None
        self.sink: QVideoSink | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        if video is None:
            self.heading()
            self.only_notice("videos.empty")
            self.video = None
            return
        self.video = video
        session = self.params.get("session")
        if not isinstance(session, VideoSession) or session.video_id != video.id:
            session = VideoSession(video.id, video.duration_s, playing=False)
        self.session = session
        self.cues = read_cues(self.env.ctx, video.subtitles, video.id)
        self._build_widgets(video)
        self.refresh()

    # -- building -------------------------------------------------------------------------

    def _build_widgets(self, video: Video) -> None:
        env = self.env
        m = env.theme.metrics
        self.box.addWidget(label(video.title.get(env.language), "title"))
        self.picture = Picture(thumbnail(env.ctx, video))
        self.picture.setObjectName("videoPicture")
        shell = env.shell
        if isinstance(shell, QWidget):
            # Leaves room for the subtitles and the buttons on a landscape screen.
            self.picture.setMaximumHeight(max(200, int(shell.height() * 0.42)))
        self.subtitle = label("", "banner")
        self.subtitle.setObjectName("videoSubtitle")
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.position = label("", "muted")
        self.position.setObjectName("videoPosition")
        self.error = label(env.tr("video.error"), "error")
        self.error.setObjectName("videoError")
        self.error.hide()

        self.play_button = self._button("video.play", "videoPlay", self.on_play_clicked, "primary")
        self.back_button = self._button("video.back", "videoBack", self.on_back_clicked)
        self.restart_button = self._button("video.restart", "videoRestart", self.on_restart_clicked)
        self.quieter_button = self._button("video.quieter", "videoQuieter", self.on_quieter_clicked)
        self.louder_button = self._button("video.louder", "videoLouder", self.on_louder_clicked)
        self.subtitles_button = self._button(
            "video.subtitles.on", "videoSubtitles", self.on_subtitles_clicked
        )
        self.subtitles_button.setEnabled(bool(self.cues))
        self.volume = label("", "muted")
        self.volume.setObjectName("videoVolume")
        buttons: list[QWidget] = [
            self.play_button,
            self.back_button,
            self.restart_button,
            self.subtitles_button,
            self.quieter_button,
            self.louder_button,
        ]
        wide = env.width >= WIDE_PX
        side_width = env.width * 2 // 5 if wide else env.width
        self.code: QrPanel = qr_panel(env, video.url, KIOSK_SCAN_MM, min(side_width // 2, 600))
        share = share_button(env, video.url, video.title.get(env.language))
        controls = QWidget()
        controls.setLayout(
            grid(buttons, columns_for(side_width, m.body_px * 6, most=3), m.gap_px * 2)
        )

        watch = QVBoxLayout()
        watch.setSpacing(m.gap_px)
        watch.addWidget(self.picture)
        watch.addWidget(self.subtitle)
        watch.addWidget(self.position)
        watch.addWidget(self.error)
        watch.addStretch(1)
        side = QVBoxLayout()
        side.setSpacing(m.gap_px * 2)
        side.addWidget(controls)
        side.addWidget(self.volume)
        # Across the column (the panel centres its code): an aligned panel would be given its
        # size hint's width, and its wrapped address a height for another width (clipped).
        side.addWidget(self.code)
        side.addWidget(share)
        if wide:
            row = QHBoxLayout()
            row.setSpacing(m.gap_px * 3)
            row.addLayout(watch, 3)
            row.addLayout(side, 2)
            self.box.addLayout(row)
        else:
            self.box.addLayout(watch)
            self.box.addLayout(side)
        self.box.addStretch(1)

    def _button(
        self, message_id: str, name: str, slot: Callable[[], None], role: str | None = None
    ) -> WrapButton:
        button = self.env.button(self.env.tr(message_id), name=name, role=role)
        button.clicked.connect(slot)
        return button

    # -- playing --------------------------------------------------------------------------

    def _ensure_media(self) -> QMediaPlayer | None:
        if self.media is not None or self.video is None:
            return self.media
        path = self.env.ctx.asset_file(self.video.asset)
        if path is None or not Path(path).is_file():
            self._show_error(f"missing file {self.video.asset}")
            return None
        self.media = QMediaPlayer(self)
        self.sink = QVideoSink(self)
        self.media.setVideoOutput(self.sink)
        # Sound only when a resident plays (boards stay silent), and only to a real device: with
        # none, an audio output would only add a decoder thread with nowhere to play.
        if not QMediaDevices.defaultAudioOutput().isNull():
            self.audio = QAudioOutput(self)
            self.media.setAudioOutput(self.audio)
            self.audio.setVolume(self.session.volume / 100)
        self.sink.videoFrameChanged.connect(self.on_sink_video_frame_changed)
        self.media.mediaStatusChanged.connect(self.on_media_status_changed)
        self.media.errorOccurred.connect(self.on_media_error_occurred)
        self.media.setSource(QUrl.fromLocalFile(str(path)))
        # A position set before the file is open is lost: it is set again once it is loaded.
        self._resume_ms = int(self.session.position_s * 1000)
        self.media.setPosition(self._resume_ms)
        return self.media

    def on_shown(self) -> None:
        if self.video is not None and self.session.playing:
            media = self._ensure_media()
            if media is not None:
                media.play()
                self.timer.start()
        self.refresh()

    def on_hidden(self) -> None:
        self.timer.stop()
        if self.media is not None:
            self.session.position_s = self.media.position() / 1000
            # Close the file now, on this thread: the screen is deleted next, and a player
            # destroyed with its decoder threads still at work can crash or hang Qt.
            self.media.stop()
            self.media.setSource(QUrl())

    def position_s(self) -> float:
        if self.media is not None:
            return self.media.position() / 1000
        return self.session.position_s

    @Slot()
    def refresh(self) -> None:
        """Bring the labels in line with the player: position, state, subtitle, volume."""
        if self.video is None:
            return
        env, s = self.env, self.session
        if self.media is not None and s.playing:
            s.position_s = self.media.position() / 1000
            # Watching is using the kiosk: no idle prompt in the middle of a video.
            idle = getattr(env.shell, "idle", None)
            if idle is not None:
                idle.restart()
        position = self.position_s()
        state = "video.state.playing" if s.playing else "video.state.paused"
        if s.finished and not s.playing:
            state = "video.state.ended"
        length = clock_text(self._length_s())
        self.position.setText(
            f"{env.tr(state)} · "
            + env.tr("video.position", position=clock_text(position), length=length)
        )
        self.play_button.set_lines([env.tr("video.pause" if s.playing else "video.play")])
        subtitles_id = "video.subtitles.off" if s.subtitles else "video.subtitles.on"
        self.subtitles_button.set_lines([env.tr(subtitles_id)])
        cue = cue_at(self.cues, position) if s.subtitles else None
        self.subtitle.setVisible(s.subtitles)
        # A blank line keeps the banner's height, so the buttons do not jump between cues.
        self.subtitle.setText(cue.text if cue else "\u00a0")
        volume = env.tr("video.volume", volume=s.volume) if s.volume else env.tr("video.volume.off")
        self.volume.setText(volume)

    def _length_s(self) -> float:
        if self.media is not None and self.media.duration() > 0:
            return self.media.duration() / 1000
        return self.session.duration_s

    def _seek(self, seconds: float) -> None:
        if self.media is not None:
            self.media.setPosition(int(seconds * 1000))
        self.refresh()

    @Slot()
    def on_play_clicked(self) -> None:
        if self.session.finished and not self.session.playing:
            self._seek(0.0)
        self.session.position_s = self.position_s()
        playing = self.session.toggle_play()
        media = self._ensure_media()
        if media is None:
            self.session.playing = False
        elif playing:
            media.setPosition(int(self.session.position_s * 1000))
            media.play()
            self.timer.start()
        else:
            media.pause()
            self.timer.stop()
        self.refresh()

    @Slot()
    def on_back_clicked(self) -> None:
        self.session.position_s = self.position_s()
        self._seek(self.session.back())

    @Slot()
    def on_restart_clicked(self) -> None:
        self.session.restart()
        media = self._ensure_media()
        if media is not None:
            media.setPosition(0)
            media.play()
            self.timer.start()
        self.refresh()

    @Slot()
    def on_louder_clicked(self) -> None:
        self._set_volume(self.session.louder())

    @Slot()
    def on_quieter_clicked(self) -> None:
        self._set_volume(self.session.quieter())

    def _set_volume(self, volume: int) -> None:
        if self.audio is not None:
            self.audio.setVolume(volume / 100)
        self.refresh()

    @Slot()
    def on_subtitles_clicked(self) -> None:
        self.session.toggle_subtitles()
        self.refresh()

    @Slot(QVideoFrame)
    def on_sink_video_frame_changed(self, frame: QVideoFrame) -> None:
        if frame.isValid():
            image = frame.toImage()
            if not image.isNull():
                self.picture.set_image(image)

    @Slot(QMediaPlayer.MediaStatus)
    def on_media_status_changed(self, status: QMediaPlayer.MediaStatus) -> None:
        if status is QMediaPlayer.MediaStatus.LoadedMedia and self.media is not None:
            if self._resume_ms:
                self.media.setPosition(self._resume_ms)
            self._resume_ms = 0
        elif status is QMediaPlayer.MediaStatus.EndOfMedia:
            self.timer.stop()
            self.session.reached_end()
            self.refresh()
        elif status is QMediaPlayer.MediaStatus.InvalidMedia:
            self._show_error("invalid media")

    @Slot(QMediaPlayer.Error, str)
    def on_media_error_occurred(self, error: QMediaPlayer.Error, text: str) -> None:
        if error is not QMediaPlayer.Error.NoError:
            self._show_error(text or error.name)

    def _show_error(self, reason: str) -> None:
        log.warning(
            "video_unplayable video=%s reason=%s", self.video.id if self.video else None, reason
        )
        self.timer.stop()
        self.session.playing = False
        self.error.show()
        self.play_button.setEnabled(False)
        self.refresh()
