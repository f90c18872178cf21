"""Messages of the window itself: home, bars, idle prompt, attract loop, staff pages."""

MESSAGES: dict[str, tuple[str, str]] = {
    "app.title": ("온통중구", "Ontong Jung-gu"),
    "app.subtitle": ("중구 주민참여 키오스크", "Jung-gu participation kiosk"),
    # Home
    "home.greeting": ("무엇을 하시겠어요?", "What would you like to do?"),
    "home.hint": ("하고 싶은 일을 눌러 주세요.", "Touch what you would like to do."),
    "area.surveys": ("설문·공모", "Surveys & contests"),
    "area.surveys.desc": ("설문에 답하고 공모에 참여해요", "Answer surveys, join contests"),
    "area.proposals": ("정책제안", "Policy proposals"),
    "area.proposals.desc": ("주민 제안에 공감하고 제안해요", "Agree with or write a proposal"),
    "area.budget": ("주민참여예산", "Participatory budget"),
    "area.budget.desc": ("우리 동 사업에 투표해요", "Vote for projects in your dong"),
    "area.videos": ("영상센터", "Video centre"),
    "area.videos.desc": ("구정 소식 영상을 봐요", "Watch videos from the district"),
    "area.points": ("포인트", "Points"),
    "area.points.desc": ("참여 포인트를 확인해요", "Check your participation points"),
    # Bars, present on every screen
    "bar.text_size": ("글자 크기", "Text size"),
    "bar.text_size.100": ("보통", "Normal"),
    "bar.text_size.150": ("크게", "Large"),
    "bar.text_size.200": ("아주 크게", "Largest"),
    "bar.contrast.on": ("고대비 켜기", "High contrast"),
    "bar.contrast.off": ("기본 색으로", "Normal colours"),
    "bar.language": ("English", "한국어"),
    "bar.home": ("처음으로", "Start over"),
    "bar.back": ("이전", "Back"),
    "bar.scroll_up": ("위로", "Up"),
    "bar.scroll_down": ("아래로", "Down"),
    "bar.settings": ("도움·설정", "Help & settings"),
    "settings.panel.title": ("도움·설정", "Help & settings"),
    "settings.panel.close": ("닫기", "Close"),
    "bar.admin.hint": ("관리자 메뉴", "Staff menu"),
    # Idle prompt
    "idle.title": ("계속 사용하시겠어요?", "Are you still using the kiosk?"),
    "idle.countdown": (
        "{seconds}초 뒤에 처음 화면으로 돌아갑니다.\n입력하신 내용은 지워집니다.",
        "In {seconds} seconds the kiosk goes back to the start.\nWhat you entered will be cleared.",
    ),
    "idle.extend": ("시간 연장", "More time"),
    # Attract loop
    "attract.touch": ("화면을 눌러 시작하세요", "Touch the screen to start"),
    "attract.empty": ("온통중구에 참여해 주세요", "Take part in Ontong Jung-gu"),
    # Areas not yet available on the kiosk
    "soon.title": ("준비하고 있어요", "Coming soon"),
    "soon.body": (
        "{area} 기능은 이 키오스크에서 곧 이용하실 수 있습니다.\n"
        "지금은 휴대폰이나 컴퓨터로 온통중구 누리집에서 이용해 주세요.",
        "{area} will soon be available at this kiosk.\n"
        "Until then, please use the Ontong Jung-gu website on a phone or computer.",
    ),
    "soon.available": ("지금 준비된 내용: {count}건", "Items already loaded: {count}"),
    # Staff PIN and status page
    "admin.pin.title": ("관리자 확인", "Staff check"),
    "admin.pin.hint": ("관리자 비밀번호를 눌러 주세요.", "Enter the staff PIN."),
    "admin.pin.wrong": (
        "비밀번호가 맞지 않습니다. 다시 눌러 주세요.",
        "That PIN is not right. Please try again.",
    ),
    "admin.pin.locked": (
        "여러 번 틀려서 잠시 잠겼습니다. {seconds}초 뒤에 다시 해 주세요.",
        "Too many tries. Please wait {seconds} seconds.",
    ),
    "admin.pin.locked_minutes": (
        "여러 번 틀려서 잠겼습니다. {minutes}분 뒤에 다시 해 주세요. 틀릴수록 더 오래 잠깁니다.",
        "Too many tries. Please wait {minutes} minutes; each further lock lasts longer.",
    ),
    # No usable staff PIN (kiosk.domain.admin.StaffPinProblem)
    "admin.pin.unset": (
        "이 기기에는 관리자 비밀번호가 아직 정해지지 않았습니다. 비밀번호는 기기를 서버에"
        " 등록할 때 정합니다. 셸에서 python -m sync enroll 주소 코드 (또는 python -m sync"
        " set-pin)를 실행하세요.",
        "This device has no staff PIN yet. It is set when the device is enrolled: run"
        " python -m sync enroll URL CODE (or python -m sync set-pin) in a shell.",
    ),
    "admin.pin.demo_refused": (
        "체험용 비밀번호(2580)는 체험 모드에서만 쓸 수 있어 이 기기에서는 받지 않습니다."
        " 셸에서 python -m sync set-pin 으로 이 기기의 비밀번호를 정하세요.",
        "The demo PIN (2580) works in demo mode only, so this device refuses it. Set this"
        " device's own PIN in a shell: python -m sync set-pin.",
    ),
    # A new staff PIN (enrolment, python -m sync set-pin)
    "admin.pin.new.digits": ("비밀번호는 숫자로만 정합니다.", "A PIN is digits only."),
    "admin.pin.new.length": (
        "비밀번호는 6자리에서 8자리 숫자로 정합니다.",
        "A PIN has 6 to 8 digits.",
    ),
    "admin.pin.new.simple": (
        "같은 숫자나 차례로 이어지는 숫자(123456 등)는 쓸 수 없습니다.",
        "Not the same digit repeated or digits in a row (such as 123456).",
    ),
    "admin.pin.new.again": ("같은 비밀번호를 한 번 더 눌러 주세요.", "Enter the same PIN again."),
    "admin.pin.new.mismatch": (
        "두 번 누른 비밀번호가 다릅니다. 처음부터 다시 눌러 주세요.",
        "The two PINs differ. Please start again.",
    ),
    "keypad.delete": ("지우기", "Delete"),
    "keypad.ok": ("확인", "OK"),
    "admin.status.title": ("기기 상태", "Device status"),
    "admin.status.content_version": ("콘텐츠 버전", "Content version"),
    "admin.status.content_none": ("없음", "None"),
    "admin.status.outbox": ("보낼 제출물", "Submissions in the outbox"),
    "admin.status.outbox.counts": (
        "대기 {pending} · 전송 완료 {sent} · 보류 {dead}",
        "pending {pending} · sent {sent} · held back {dead}",
    ),
    "admin.status.dead_letters": ("보류된 제출물", "Held-back submissions"),
    "admin.status.dead_letters.none": ("없음", "None"),
    "admin.status.data_dir": ("데이터 폴더", "Data folder"),
    "admin.status.app_version": ("앱 버전", "App version"),
    "admin.status.device": ("기기 이름", "Device name"),
    # Start-up problems
    "error.content.title": ("콘텐츠를 불러오지 못했습니다", "The content could not be loaded"),
    "error.content.body": (
        "이전에 쓰던 내용으로 계속 운영합니다. 직원에게 알려 주세요.",
        "The kiosk keeps running on its previous content. Please tell a member of staff.",
    ),
}
