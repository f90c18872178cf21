"""Messages of 정책제안, 주민참여예산 and 포인트: a proposal's figures, identity on the keypad, and
the refusals of the civic rules (``civic.problem.<rule>``, see contract.civic).
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # A proposal's figures: "73 / 100 · 27명 남음 · D-12"
    "civic.proposal.count": ("{total:,} / {threshold:,}", "{total:,} / {threshold:,}"),
    "civic.proposal.remaining": ("{remaining:,}명 남음", "{remaining:,} more needed"),
    "civic.proposal.reached": ("정책 검토 대상", "Under policy review"),
    "civic.proposal.days_left": ("D-{days}", "D-{days}"),
    "civic.proposal.d_day": ("D-day", "Last day"),
    "civic.proposal.archived": ("마감", "Closed"),
    "civic.proposal.withdrawn": ("철회됨", "Withdrawn"),
    "civic.proposal.count_published": (
        "공감 {published:,}명 (구청 서버 집계)",
        "{published:,} agrees (counted by the district server)",
    ),
    "civic.proposal.count_parts": (
        "구청 서버 집계 {published:,}명 + 이 기기에서 보낸 공감 {pending:,}명 (확인 전)",
        "{published:,} counted by the district server"
        " + {pending:,} sent from this kiosk, not yet confirmed",
    ),
    # Identity on the keypad
    "civic.identity.why": (
        "한 사람이 한 번만 참여하도록 확인합니다. 번호는 구청 서버만 열 수 있게 잠가서 보내고, "
        "이 기기에는 남기지 않습니다.",
        "This checks that each resident takes part once. Your numbers are locked so that only "
        "the district server can open them, and are not kept on this kiosk.",
    ),
    "civic.identity.bad_phone": (
        "휴대전화 번호를 010으로 시작하는 11자리로 눌러 주세요.",
        "Please enter your mobile number: 11 digits starting with 010.",
    ),
    "civic.identity.bad_birth": (
        "생년월일을 8자리로 눌러 주세요. 예: 1950년 3월 15일은 19500315",
        "Please enter your birth date as 8 digits, e.g. 19500315 for 15 March 1950.",
    ),
    "civic.identity.age_range": (
        "만 14세 이상 주민만 참여할 수 있습니다. 생년월일을 다시 확인해 주세요.",
        "Residents aged 14 and over can take part. Please check your birth date.",
    ),
    "civic.identity.no_server_key": (
        "지금은 이 기기에서 본인 확인을 할 수 없습니다. 직원을 불러 주세요.",
        "This kiosk cannot check identity right now. Please call staff.",
    ),
    # Refusals: what happened and what to do
    "civic.problem.proposal_closed": (
        "공감 기간이 끝난 제안입니다. 다른 제안을 살펴보세요.",
        "This proposal no longer takes agrees. Please look at another one.",
    ),
    "civic.problem.proposal_withdrawn": (
        "제안한 분이 거두어들인 제안이라 공감할 수 없습니다. 다른 제안을 살펴보세요.",
        "This proposal was withdrawn and takes no agrees. Please look at another one.",
    ),
    "civic.problem.already_agreed": (
        "이 제안에는 이미 공감하셨습니다. 공감은 한 사람에 한 번입니다.",
        "You have already agreed with this proposal. Each resident agrees once.",
    ),
    "civic.problem.required": ("이 칸을 채워 주세요.", "Please fill this in."),
    "civic.problem.too_short": (
        "{min}자 이상 적어 주세요.",
        "Please write at least {min} characters.",
    ),
    "civic.problem.too_long": ("{max}자까지 적을 수 있습니다.", "Up to {max} characters."),
    "civic.problem.unknown_dong": (
        "목록에 있는 동을 골라 주세요.",
        "Please choose a dong from the list.",
    ),
    "civic.problem.unknown_topic": (
        "목록에 있는 분야를 골라 주세요.",
        "Please choose a topic from the list.",
    ),
    "civic.problem.not_open_yet": (
        "아직 투표 기간이 아닙니다. 기간이 시작되면 다시 찾아 주세요.",
        "Voting has not started yet. Please come back when it opens.",
    ),
    "civic.problem.ballot_closed": (
        "투표 기간이 끝났습니다. 결과가 발표되면 이곳에서 볼 수 있습니다.",
        "Voting has closed. The results will be shown here once published.",
    ),
    "civic.problem.no_ballot": (
        "이 동에는 투표할 사업이 없습니다. 다른 동을 골라 주세요.",
        "This dong has no ballot. Please choose another dong.",
    ),
    "civic.problem.no_dong": ("먼저 투표할 동을 골라 주세요.", "Please choose your dong first."),
    "civic.problem.not_on_ballot": (
        "이 사업은 투표 대상이 아닙니다. 다른 사업을 골라 주세요.",
        "This project is not on the ballot. Please choose another one.",
    ),
    "civic.problem.max_selections": (
        "{max}개까지 고를 수 있습니다. 다른 사업을 고르려면 고른 사업 하나를 먼저 빼 주세요.",
        "You can choose up to {max}. To choose another, first take one off.",
    ),
    "civic.problem.over_budget": (
        "예산을 넘습니다: 남은 예산 {remaining}, 이 사업 {cost}. "
        "고르려면 고른 사업을 먼저 빼 주세요.",
        "Over the budget: {remaining} left, this project costs {cost}. "
        "To choose it, first take a project off.",
    ),
    "civic.problem.min_selections": (
        "{min}개 이상 골라 주세요.",
        "Please choose at least {min}.",
    ),
    "civic.problem.already_voted": (
        "이 기기에서 이미 투표하셨습니다. 투표는 한 사람에 한 번입니다.",
        "You have already voted at this kiosk. Each resident votes once.",
    ),
    "civic.problem.already_submitted": (
        "이미 보냈습니다. '처음으로'를 눌러 주세요.",
        "This has been sent. Please touch Home.",
    ),
    "civic.problem.points_positive": (
        "포인트를 1점 이상 적어 주세요.",
        "Please enter at least 1 point.",
    ),
    "civic.problem.below_exchange_minimum": (
        "상품권은 {minimum:,}점부터 바꿀 수 있습니다.",
        "Gift certificates start at {minimum:,} points.",
    ),
    "civic.problem.over_balance": (
        "가진 포인트 {balance:,}점보다 많습니다. 더 적게 적어 주세요.",
        "That is more than your {balance:,} points. Please enter less.",
    ),
}
