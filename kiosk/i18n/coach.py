"""Texts of coached sessions (``coach.*``): coach sign-in, the banner, practice, the coach menu."""

MESSAGES: dict[str, tuple[str, str]] = {
    # The entry on the staff PIN page
    "coach.entry": ("디지털 코치이신가요? 코치 로그인", "Digital coach? Coach sign-in"),
    # Sign-in
    "coach.sign_in.title": ("코치 로그인", "Coach sign-in"),
    "coach.sign_in.step": ("{n} / 2 단계", "Step {n} of 2"),
    "coach.sign_in.code": ("코치 번호를 눌러 주세요.", "Enter your coach number."),
    "coach.sign_in.pin": ("코치 비밀번호를 눌러 주세요.", "Enter your coach PIN."),
    "coach.sign_in.empty": ("번호를 먼저 눌러 주세요.", "Enter the number first."),
    "coach.sign_in.wrong": (
        "코치 번호나 비밀번호가 맞지 않습니다. 처음부터 다시 눌러 주세요.",
        "The coach number or PIN is not right. Please start again.",
    ),
    "coach.sign_in.revoked": (
        "이 코치 번호는 사용이 중지되었습니다. 구청 담당자에게 문의해 주세요.",
        "This coach number has been stopped. Please ask the district office.",
    ),
    "coach.sign_in.locked": (
        "여러 번 틀려서 잠시 잠겼습니다. {seconds}초 뒤에 다시 해 주세요.",
        "Too many wrong tries: locked for now. Try again in {seconds} seconds.",
    ),
    "coach.sign_in.no_coaches": (
        "이 키오스크에는 등록된 코치가 없습니다. 구청 담당자에게 문의해 주세요.",
        "No coaches are registered on this kiosk. Please ask the district office.",
    ),
    # On every screen
    "coach.banner": ("코치와 함께 · {name}", "With a coach · {name}"),
    "coach.menu": ("코치 메뉴", "Coach menu"),
    "coach.practice.band": (
        "연습 중 — 실제로 제출되지 않습니다",
        "Practice — nothing is really submitted",
    ),
    # The coach menu
    "coach.panel.title": ("코치 메뉴", "Coach menu"),
    "coach.panel.none": (
        "코치 로그인이 되어 있지 않습니다. 처음으로 돌아가 주세요.",
        "No coach is signed in. Please go back to the start.",
    ),
    "coach.panel.session": (
        "{name} 코치 · {minutes}분째 · 가르친 주민 {residents}명",
        "Coach {name} · {minutes} min · {residents} residents taught",
    ),
    "coach.panel.practice_is_on": (
        "지금은 연습 중입니다. 제출해도 실제로 반영되지 않고 포인트도 쌓이지 않습니다.",
        "Practice is on. Nothing submitted counts and no points are earned.",
    ),
    "coach.panel.practice_is_off": (
        "지금은 실제 사용 중입니다. 제출하면 그대로 반영됩니다.",
        "This is real use. What is submitted counts.",
    ),
    "coach.panel.start_practice": ("연습 시작", "Start practice"),
    "coach.panel.leave_practice": ("연습 끝내기", "End practice"),
    "coach.panel.count_resident": ("주민 한 분 더 가르침 (+1)", "One more resident taught (+1)"),
    "coach.panel.end": ("코칭 끝내기", "End the coached session"),
    "coach.panel.end_hint": (
        "연습을 끝내거나 연습 중에 코칭을 끝낼 때는 코치 비밀번호가 필요합니다.",
        "Ending practice, or ending the session during practice, needs the coach PIN.",
    ),
    "coach.panel.back": ("하던 화면으로", "Back to the screen"),
    # The coach's PIN again
    "coach.confirm.start_practice": (
        "연습을 시작하려면 코치 비밀번호를 눌러 주세요. 연습 중 제출은 실제로 반영되지 않습니다.",
        "Enter the coach PIN to start practice. Submissions in practice do not count.",
    ),
    "coach.confirm.leave_practice": (
        "연습을 끝내려면 코치 비밀번호를 눌러 주세요.",
        "Enter the coach PIN to end practice.",
    ),
    "coach.confirm.end": (
        "코칭을 끝내려면 코치 비밀번호를 눌러 주세요.",
        "Enter the coach PIN to end the session.",
    ),
    # Thank-you in practice
    "coach.thanks.practice": (
        "연습이라 실제로 제출되지 않았고, 포인트도 쌓이지 않았습니다.",
        "This was practice: nothing was really submitted and no points were earned.",
    ),
}
