"""Messages of read-aloud (음성 안내) and 직원 호출, both in the top bar of every screen."""

MESSAGES: dict[str, tuple[str, str]] = {
    # Read-aloud
    "bar.voice.on": ("음성 안내 켜기", "Voice guide on"),
    "bar.voice.off": ("음성 안내 끄기", "Voice guide off"),
    "bar.voice.unavailable": ("음성 안내를 쓸 수 없습니다", "Voice guide is not available"),
    "voice.slower": ("− 느리게", "− Slower"),
    "voice.faster": ("+ 빠르게", "+ Faster"),
    "voice.quieter": ("− 소리 작게", "− Quieter"),
    "voice.louder": ("+ 소리 크게", "+ Louder"),
    "voice.slower.name": ("말 빠르기 느리게", "Speak slower"),
    "voice.faster.name": ("말 빠르기 빠르게", "Speak faster"),
    "voice.quieter.name": ("소리 작게", "Quieter"),
    "voice.louder.name": ("소리 크게", "Louder"),
    "voice.settings.button": ("음성 설정", "Voice settings"),
    "voice.settings.title": ("음성 설정", "Voice settings"),
    "voice.settings.intro": (
        "말 빠르기와 소리 크기를 바꿉니다. 바꿀 때마다 바뀐 대로 읽어 드립니다.",
        "Change how fast and how loud the voice speaks. Each change is read out as it is now.",
    ),
    "voice.settings.rate": (
        "말 빠르기: {level}단계 (모두 {levels}단계)",
        "Speed: {level} of {levels}",
    ),
    "voice.settings.volume": ("소리 크기: {percent}", "Volume: {percent}"),
    "voice.settings.reset": (
        "처음 화면으로 돌아가면 보통 빠르기와 크기로 돌아갑니다.",
        "When you go back to the start, speed and volume return to normal.",
    ),
    "voice.started": ("음성 안내를 시작합니다.", "Voice guide is on."),
    "voice.rate": ("말 빠르기 {level}단계", "Speed {level}"),
    "voice.volume": ("소리 크기 {percent}", "Volume {percent}"),
    "voice.unavailable.body": (
        "이 키오스크에는 음성 엔진이 없어 음성 안내를 쓸 수 없습니다. 직원에게 알려 주세요.",
        "This kiosk has no speech engine, so the voice guide cannot be used. "
        "Please tell a member of staff.",
    ),
    # The staff page (kiosk.ui.screens.admin): which voice reads Korean.
    "admin.status.voice": ("한국어 음성", "Korean voice"),
    "voice.status.korean": ("{voice} ({engine})", "{voice} ({engine})"),
    "voice.status.no_korean": (
        "한국어 음성이 없습니다 ({engine}): espeak-ng와 speech-dispatcher-espeak-ng를 설치하세요",
        "No Korean voice ({engine}): install espeak-ng and speech-dispatcher-espeak-ng",
    ),
    "voice.status.no_engine": (
        "음성 엔진이 없습니다: speech-dispatcher를 설치하세요",
        "No speech engine: install speech-dispatcher",
    ),
    "voice.status.unchecked": (
        "음성 안내를 한 번 켜면 확인됩니다",
        "Checked once voice guidance is turned on",
    ),
    # 직원 호출
    "bar.staff_call": ("직원 호출", "Call staff"),
    "staff.called.title": ("직원을 불렀습니다", "Staff has been called"),
    "staff.called.body": (
        "직원에게 알렸습니다. 직원이 호출을 확인하면 이 화면에서 알려 드립니다. "
        "잠시만 기다려 주세요.",
        "The staff have been told. This screen will say when they have seen your call. "
        "Please wait a moment.",
    ),
    "staff.already.title": ("이미 직원을 불렀습니다", "Staff is already called"),
    "staff.waiting.title": ("직원을 기다리고 있습니다", "Waiting for staff"),
    "staff.waiting.body": (
        "{minutes}분째 기다리고 계십니다. 직원이 호출을 확인하면 이 화면에서 알려 드립니다.",
        "You have waited {minutes} min. This screen will say when the staff have seen your call.",
    ),
    "staff.waiting.recall": (
        "{minutes}분째 기다리고 계십니다. 아직 직원이 호출을 확인하지 않았습니다. "
        "‘다시 부르기’를 누르면 한 번 더 부릅니다.",
        "You have waited {minutes} min and the staff have not seen your call yet. "
        "Press ‘Call again’ to call once more.",
    ),
    "staff.unheard.body": (
        "호출이 아직 직원에게 전해지지 않았습니다. 급하시면 안내 창구의 직원에게 직접 "
        "말씀해 주세요.",
        "The call has not reached the staff yet. If it is urgent, please speak to a member of "
        "staff at the desk.",
    ),
    "staff.unheard.waited": (
        "{minutes}분째 기다리고 계십니다. 호출이 아직 직원에게 전해지지 않았습니다. 급하시면 "
        "안내 창구의 직원에게 직접 말씀해 주세요.",
        "You have waited {minutes} min. The call has not reached the staff yet. If it is "
        "urgent, please speak to a member of staff at the desk.",
    ),
    "staff.coming.title": ("직원이 오고 있습니다", "Staff are on the way"),
    "staff.coming.body": (
        "직원이 호출을 확인했습니다. 이 자리에서 잠시만 기다려 주세요.",
        "The staff have seen your call. Please wait here a moment.",
    ),
    "staff.call_again": ("다시 부르기", "Call again"),
    "staff.failed.title": ("직원을 부르지 못했습니다", "Staff could not be called"),
    "staff.failed.body": (
        "기기에 문제가 있어 호출을 보내지 못했습니다. 안내 창구의 직원에게 직접 말씀해 주세요.",
        "The kiosk could not send the call. Please speak to a member of staff at the desk.",
    ),
    "staff.close": ("닫기", "Close"),
}
