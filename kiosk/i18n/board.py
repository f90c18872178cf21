"""Messages of the media board, the attract loop, the video centre and sharing."""

MESSAGES: dict[str, tuple[str, str]] = {
    # The signage player (board and attract loop)
    "board.card.district": ("서울특별시 중구", "Jung-gu, Seoul"),
    "board.card.body": (
        "우리 동네 일, 온통중구에서 함께 정해요",
        "Decide on our neighbourhood together at Ontong Jung-gu",
    ),
    "board.emergency": ("긴급 안내", "Emergency notice"),
    # 긴급 공지 from the console (kiosk.ui.shell.emergency): the sign and the kiosk's band
    "emergency.danger": ("긴급 안내", "Emergency"),
    "emergency.warning": ("주의 안내", "Caution"),
    "emergency.posted": ("{time} 게시", "Posted {time}"),
    "board.qr.caption": ("휴대폰 카메라로 찍어 보세요", "Point your phone camera here"),
    "board.updated": (
        "마지막 업데이트 {month}월 {day}일 {time}",
        "Last updated {month}/{day} {time}",
    ),
    "attract.share": ("휴대폰으로 보기", "View on your phone"),
    # Video centre: the list
    "videos.hint": ("보고 싶은 영상을 눌러 주세요.", "Touch the video you want to watch."),
    "videos.length.sec": ("길이 {seconds}초", "{seconds} seconds long"),
    "videos.length.min": ("길이 {minutes}분 {seconds}초", "{minutes} min {seconds} s long"),
    "videos.empty": (
        "지금은 볼 수 있는 영상이 없습니다.\n"
        "휴대폰이나 컴퓨터로 온통중구 누리집에서 보실 수 있어요.",
        "There are no videos here yet.\nYou can watch them on the Ontong Jung-gu website.",
    ),
    "videos.sns": ("중구 소식 채널 보기", "Jung-gu news channels"),
    # Video centre: the player
    "video.play": ("재생", "Play"),
    "video.pause": ("일시정지", "Pause"),
    "video.back": ("10초 뒤로", "Back 10 seconds"),
    "video.restart": ("처음부터", "From the start"),
    "video.louder": ("소리 크게", "Louder"),
    "video.quieter": ("소리 작게", "Quieter"),
    "video.subtitles.on": ("자막 켜기", "Subtitles on"),
    "video.subtitles.off": ("자막 끄기", "Subtitles off"),
    "video.no_subtitles": ("이 영상에는 자막이 없습니다.", "This video has no subtitles."),
    "video.volume": ("소리 크기 {volume}", "Volume {volume}"),
    "video.volume.off": ("소리 꺼짐", "Sound off"),
    "video.position": ("{position} / {length}", "{position} / {length}"),
    "video.state.playing": ("재생 중", "Playing"),
    "video.state.paused": ("멈춤", "Paused"),
    "video.state.ended": ("끝까지 보셨습니다", "Finished"),
    "video.error": (
        "이 영상을 틀 수 없습니다. 이전을 눌러 다른 영상을 골라 주세요.",
        "This video cannot be played. Touch Back and choose another one.",
    ),
    # Sharing
    "share.button": ("휴대폰으로 보기", "View on your phone"),
    "share.title": ("휴대폰으로 보기", "View on your phone"),
    "share.how": (
        "휴대폰 카메라를 켜고 아래 네모 무늬(QR 코드)를 비춰 보세요.\n"
        "화면에 뜨는 주소를 누르면 같은 내용이 휴대폰에서 열립니다.",
        "Open your phone camera and point it at the square code below.\n"
        "Touch the address that appears to open the same page on your phone.",
    ),
    "share.default": ("온통중구 누리집", "The Ontong Jung-gu website"),
    "sns.title": ("중구 소식 채널", "Jung-gu news channels"),
    "sns.hint": (
        "보고 싶은 채널의 네모 무늬(QR 코드)를 휴대폰 카메라로 비춰 보세요.",
        "Point your phone camera at the code of the channel you want.",
    ),
    "sns.empty": ("알려 드릴 채널이 아직 없습니다.", "There are no channels to show yet."),
}
