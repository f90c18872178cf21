"""Messages of the accessibility switches and of what screen readers say about controls."""

MESSAGES: dict[str, tuple[str, str]] = {
    # 낮은 화면: in the bottom bar, the part of the screen everyone can reach.
    "bar.low_screen.on": ("낮은 화면", "Lower screen"),
    "bar.low_screen.off": ("원래 높이로", "Normal height"),
    # 간편 모드, on the home screen
    "home.simple.on": ("간편 모드", "Simple mode"),
    "home.simple.off": ("모든 메뉴 보기", "Show all menus"),
    "home.simple.hint": (
        "오늘 참여할 수 있는 일만 크게 보여 드려요.",
        "Only what you can take part in today, in large buttons.",
    ),
    "home.simple.none": (
        "오늘 참여할 수 있는 일이 없습니다. 모든 메뉴 보기를 눌러 주세요.",
        "Nothing is open today. Touch Show all menus.",
    ),
    "home.simple.survey": ("설문", "Survey"),
    "home.simple.contest": ("공모", "Contest"),
    "home.simple.vote": ("주민참여예산 투표", "Budget vote"),
    # Accessible descriptions (QAccessible), read by a platform screen reader after the name
    "a11y.desc.button": (
        "누르거나 확인 키를 눌러 선택합니다.",
        "Touch it or press Enter to choose it.",
    ),
    "a11y.desc.choice": (
        "누르거나 확인 키를 눌러 고르거나 고른 것을 취소합니다.",
        "Touch it or press Enter to choose it or to undo the choice.",
    ),
    "a11y.desc.text_size": (
        "글자 크기를 보통, 크게, 아주 크게 순서로 바꿉니다.",
        "Changes the text size: normal, large, largest.",
    ),
    "a11y.desc.contrast": (
        "검은 바탕에 노란 글자와 흰 글자로 또렷하게 보여 줍니다.",
        "Shows yellow and white text on black, easier to read.",
    ),
    "a11y.desc.language": (
        "화면의 말을 영어와 한국어로 바꿉니다.",
        "Switches the screen between Korean and English.",
    ),
    "a11y.desc.voice": (
        "화면의 내용을 소리 내어 읽어 줍니다.",
        "Reads the screen aloud.",
    ),
    "a11y.desc.voice_settings": (
        "말 빠르기와 소리 크기를 바꾸는 화면을 엽니다.",
        "Opens the screen to change the voice's speed and volume.",
    ),
    "a11y.desc.settings": (
        "글자 크기, 고대비, 음성 안내, 영어, 낮은 화면을 바꾸는 창을 엽니다.",
        "Opens the panel for text size, contrast, voice guide, language and lower screen.",
    ),
    "a11y.desc.settings_close": (
        "설정 창을 닫고 하던 화면으로 돌아갑니다.",
        "Closes the panel and goes back to the screen.",
    ),
    "a11y.desc.staff_call": (
        "센터 직원을 부릅니다.",
        "Calls a member of the centre's staff.",
    ),
    "a11y.desc.low_screen": (
        "모든 버튼과 내용을 화면 아래쪽, 휠체어에서도 닿는 높이로 옮깁니다.",
        "Moves every button and the content down, within reach from a wheelchair.",
    ),
    "a11y.desc.simple_mode": (
        "오늘 참여할 수 있는 일만 하나씩 크게 보여 줍니다.",
        "Shows only what is open today, one large button each.",
    ),
    "a11y.desc.home": (
        "입력한 내용을 지우고 첫 화면으로 돌아갑니다.",
        "Clears what you entered and goes back to the first screen.",
    ),
    "a11y.desc.back": ("바로 앞 화면으로 돌아갑니다.", "Goes back to the previous screen."),
    "a11y.desc.scroll": (
        "화면의 내용을 위나 아래로 넘겨 봅니다.",
        "Moves the content up or down.",
    ),
}
