"""The signage player shared by the media board and the kiosk's attract loop.

    player.py   SignagePlayer: shows what kiosk.domain.playlist decides; preparation, swap,
                crossfade, watchdog, proof of play
    slides.py   PlayItem and the drawing of notices, the district card and QR panels
    stage.py    the painted stage and its crossfade
    video.py    one video channel (QMediaPlayer into a QVideoSink)
    decode.py   pictures decoded on a worker thread
    health.py   watchdog rules, resident memory, the restart exit code (Qt-light)

Import from the modules; this package file imports nothing, so `kiosk.ui.player.health`
can be used (e.g. by the heartbeat) without loading QtMultimedia.
"""
