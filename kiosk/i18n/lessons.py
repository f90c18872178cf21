"""Texts of lessons and the practice kiosks (``lesson.*``, ``everyday.*``). The lessons' own
steps and titles are content (the pack's `lessons`); these are the frame around them."""

MESSAGES: dict[str, tuple[str, str]] = {
    # The coach menu's entry and the lesson list
    "lesson.entry": ("배우기 (단계별 레슨)", "Lessons, step by step"),
    "lesson.list.title": ("배우기", "Lessons"),
    "lesson.list.hint": (
        "레슨을 고르면 보기 → 따라하기 → 혼자하기 → 실전 순서로 배웁니다.",
        "Choose a lesson: watch, follow, alone, then for real.",
    ),
    "lesson.list.resident": ("온통중구 사용법", "Using 온통중구"),
    "lesson.list.everyday": ("생활 속 키오스크 연습", "Everyday kiosks to practise"),
    "lesson.list.none": (
        "이 키오스크에는 레슨이 없습니다. 구청 담당자에게 문의해 주세요.",
        "There are no lessons on this kiosk. Please ask the district office.",
    ),
    "lesson.list.no_coach": (
        "레슨은 코치와 함께 합니다. 코치 로그인을 먼저 해 주세요.",
        "Lessons are taken with a coach. Please sign in as a coach first.",
    ),
    "lesson.stages.title": ("어떻게 배울까요?", "How shall we learn?"),
    "lesson.stages.done": ("마침", "done"),
    "lesson.stage.watch": ("1. 보기", "1. Watch"),
    "lesson.stage.watch.desc": (
        "화면이 스스로 하나씩 눌러 보여 드립니다",
        "The screen shows each step by itself",
    ),
    "lesson.stage.follow": ("2. 따라하기", "2. Follow"),
    "lesson.stage.follow.desc": (
        "밝게 표시된 곳을 직접 눌러 보세요",
        "Tap the place that is lit up",
    ),
    "lesson.stage.alone": ("3. 혼자하기", "3. On your own"),
    "lesson.stage.alone.desc": (
        "표시 없이 혼자 해 보세요. 모르면 '도움'을 누르세요",
        "Try it alone; press Help if you are unsure",
    ),
    "lesson.stage.real": ("4. 실전", "4. For real"),
    "lesson.stage.real.desc": (
        "코치와 함께 실제로 해 봅니다 (코치 비밀번호 필요)",
        "Do it for real beside the coach (coach PIN needed)",
    ),
    # The lesson panel
    "lesson.panel.step": ("{stage} · {n} / {total} 단계", "{stage} · step {n} of {total}"),
    "lesson.panel.help": ("도움", "Help"),
    "lesson.panel.next": ("다음", "Next"),
    "lesson.panel.value": ("누를 숫자: {value}", "Digits to press: {value}"),
    "lesson.panel.stop": ("레슨 그만하기", "Stop the lesson"),
    "lesson.panel.hint": (
        "괜찮아요. 밝게 표시된 곳을 눌러 주세요. {say}",
        "That's all right. Please tap the place that is lit up. {say}",
    ),
    "lesson.panel.hint.shown": (
        "괜찮아요. 밝게 표시된 곳을 눌러 주세요.",
        "That's all right. Please tap the place that is lit up.",
    ),
    "lesson.panel.go_back": (
        "레슨 화면이 아닙니다. '이전'을 눌러 돌아가 주세요.",
        "This is not the lesson's screen. Press Back to return.",
    ),
    "lesson.panel.stage_done": (
        "잘 하셨습니다! {stage} 단계를 마쳤습니다.",
        "Well done! You finished the {stage} stage.",
    ),
    "lesson.panel.next_stage": ("다음 단계: {stage}", "Next stage: {stage}"),
    "lesson.panel.to_list": ("레슨 목록", "Lesson list"),
    "lesson.panel.real": (
        "실전: 코치와 함께 직접 해 보세요. 이제 실제로 제출됩니다.",
        "For real: do it yourself beside the coach. This is really submitted now.",
    ),
    "lesson.panel.real_everyday": (
        "실전: 코치와 함께 처음부터 끝까지 혼자 해 보세요.",
        "For real: do it all by yourself, with the coach beside you.",
    ),
    "lesson.panel.finish": ("마침", "Finish"),
    "lesson.desc.help": ("다음에 누를 곳을 밝게 보여 줍니다.", "Lights up what to press next."),
    "lesson.desc.next": (
        "이 설명을 봤으면 다음 단계로 넘어갑니다.",
        "Goes on to the next step once you have seen this.",
    ),
    "lesson.desc.stop": (
        "레슨을 끝내고 보통 화면으로 돌아갑니다.",
        "Ends the lesson and returns to the usual screens.",
    ),
    "lesson.desc.next_stage": (
        "같은 레슨의 다음 단계를 처음부터 시작합니다.",
        "Starts the next stage of the same lesson from the beginning.",
    ),
    "lesson.desc.to_list": ("레슨 목록으로 돌아갑니다.", "Returns to the list of lessons."),
    "lesson.desc.finish": (
        "주민이 다 했으면 코치가 눌러 실전을 마칩니다.",
        "The coach presses this when the resident is done, to end the real-use stage.",
    ),
    # The practice kiosks
    "everyday.practice_band": (
        "연습용 화면 — 실제로 주문·결제·접수되지 않습니다",
        "Practice screen — nothing is really ordered, paid or booked",
    ),
    "everyday.cafe.title": ("온통 카페 주문", "Ontong Café order"),
    "everyday.cafe.menu": ("마실 것을 고르세요", "Choose a drink"),
    "everyday.cafe.item.americano": ("아메리카노", "Americano"),
    "everyday.cafe.item.latte": ("카페라테", "Caffè latte"),
    "everyday.cafe.item.yuja": ("유자차", "Yuja tea"),
    "everyday.cafe.cart_empty": ("담은 것이 없습니다", "Nothing chosen yet"),
    "everyday.cafe.cart": ("담은 것: {cups}잔 · {total}", "In your order: {cups} · {total}"),
    "everyday.cafe.order": ("주문하기", "Order"),
    "everyday.cafe.pay.title": ("결제 방법을 고르세요", "Choose how to pay"),
    "everyday.cafe.pay.total": ("결제할 금액: {total}", "To pay: {total}"),
    "everyday.cafe.pay.card": ("카드 결제", "Pay by card"),
    "everyday.cafe.card.title": ("카드를 꽂아 주세요", "Insert your card"),
    "everyday.cafe.card.hint": (
        "카드 단말기의 투입구에 카드를 끝까지 꽂습니다. 결제가 끝날 때까지 빼지 마세요.",
        "Push the card all the way into the reader's slot. Leave it in until payment is done.",
    ),
    "everyday.cafe.card.insert": ("카드 꽂기 (연습)", "Insert the card (practice)"),
    "everyday.cafe.card.reader": ("카드 단말기", "Card reader"),
    "everyday.cafe.card.paying": ("결제 중입니다…", "Paying…"),
    "everyday.cafe.done.title": ("결제가 끝났습니다 (연습)", "Payment done (practice)"),
    "everyday.cafe.done.number": ("주문 번호 {number}번", "Order number {number}"),
    "everyday.cafe.done.hint": (
        "카드를 빼고, 화면에 번호가 나오면 음료를 받으세요.",
        "Take your card back; collect your drink when your number is shown.",
    ),
    "everyday.cafe.finish": ("처음 화면으로", "Back to the start"),
    "everyday.clinic.title": ("온통병원 접수", "Ontong Clinic check-in"),
    "everyday.clinic.question": ("이 병원에 처음 오셨나요?", "Is this your first visit?"),
    "everyday.clinic.first": ("처음 왔어요", "First visit"),
    "everyday.clinic.return": ("전에 온 적이 있어요", "I have been here before"),
    "everyday.clinic.dept": ("진료받을 과를 고르세요", "Choose the department"),
    "everyday.clinic.dept.internal": ("내과", "Internal medicine"),
    "everyday.clinic.dept.ortho": ("정형외과", "Orthopaedics"),
    "everyday.clinic.dept.eye": ("안과", "Ophthalmology"),
    "everyday.clinic.dept.dental": ("치과", "Dentistry"),
    "everyday.clinic.ticket.title": ("접수되었습니다 (연습)", "Checked in (practice)"),
    "everyday.clinic.ticket.number": ("번호표 {number}번", "Ticket number {number}"),
    "everyday.clinic.ticket.waiting": (
        "{dept} · 앞에 {waiting}명이 기다리고 있습니다.",
        "{dept} · {waiting} people are ahead of you.",
    ),
    "everyday.clinic.ticket.hint": (
        "실제 병원에서는 신분증이나 주민등록번호가 필요할 수 있습니다.",
        "A real clinic may ask for an ID card or your registration number.",
    ),
    "everyday.clinic.finish": ("처음 화면으로", "Back to the start"),
}
