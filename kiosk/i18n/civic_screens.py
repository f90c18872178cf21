"""Screen texts of 정책제안, 주민참여예산 and 본인 확인 (the rules' messages: civic.py)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # Identity on the keypad
    "civic.identity.title": ("본인 확인", "Confirm it is you"),
    "civic.identity.purpose.agree": (
        "공감은 한 사람에 한 번입니다. 본인 확인을 해 주세요.",
        "Each resident agrees once. Please confirm it is you.",
    ),
    "civic.identity.purpose.ballot": (
        "투표는 한 사람에 한 번입니다. 본인 확인을 해 주세요.",
        "Each resident votes once. Please confirm it is you.",
    ),
    "civic.identity.step": ("{n} / 2 단계", "Step {n} of 2"),
    "civic.identity.phone.prompt": (
        "휴대전화 번호를 눌러 주세요",
        "Enter your mobile phone number",
    ),
    "civic.identity.birth.prompt": (
        "생년월일 8자리를 눌러 주세요",
        "Enter your date of birth (8 digits)",
    ),
    "civic.identity.birth.example": (
        "예: 1950년 3월 15일은 19500315",
        "e.g. 19500315 for 15 March 1950",
    ),
    "civic.identity.count": (
        "{total}자리 가운데 {count}자리 눌렀습니다",
        "{count} of {total} digits",
    ),
    "civic.identity.done": ("확인", "OK"),
    "civic.identity.no_key.title": (
        "이 기기에서는 아직 공감과 투표를 할 수 없습니다",
        "This kiosk cannot take agrees or votes yet",
    ),
    "civic.identity.no_key.body": (
        "이 기기가 구청 서버에 한 번 연결되어야 번호를 안전하게 잠가 보낼 수 있습니다. "
        "번호를 입력하지 마시고 직원을 불러 주세요. 휴대폰의 온통중구에서도 참여할 수 있습니다.",
        "This kiosk must connect to the district server once before it can lock your numbers "
        "safely. Please do not enter them; call staff, or take part on 온통중구 on your phone.",
    ),
    # After sending
    "civic.thanks.agree": ("공감해 주셔서 고맙습니다.", "Thank you for agreeing."),
    "civic.thanks.ballot": ("투표해 주셔서 고맙습니다.", "Thank you for voting."),
    "civic.thanks.receipt": ("접수 번호 {number}", "Receipt number {number}"),
    "civic.thanks.server": (
        "구청 서버가 확인하면 집계됩니다. 다른 곳에서 먼저 참여하셨다면 처음 것만 셉니다.",
        "It counts once the district server confirms it. If you took part elsewhere first, "
        "only the first one counts.",
    ),
    # Proposals
    "civic.proposals.hint": (
        "제안을 누르면 내용을 읽고 공감할 수 있습니다. "
        "공감이 {threshold}명이 되면 구청이 답합니다.",
        "Touch a proposal to read it and agree. At {threshold} agrees the district answers.",
    ),
    "civic.proposals.dong": ("동: {name}", "Dong: {name}"),
    "civic.proposals.topic": ("분야: {name}", "Topic: {name}"),
    "civic.proposals.all": ("전체", "All"),
    "civic.proposals.sort.agrees": ("공감 많은 순", "Most agrees"),
    "civic.proposals.sort.newest": ("최신 순", "Newest"),
    "civic.proposals.sorted": ("지금 순서", "current order"),
    "civic.proposals.shown": ("제안 {count}건", "{count} proposals"),
    "civic.proposals.empty": (
        "고른 동과 분야에 맞는 제안이 없습니다. '전체'를 골라 보세요.",
        "No proposal matches. Please choose 'All'.",
    ),
    "civic.proposals.choose.dong": ("어느 동의 제안을 볼까요?", "Proposals of which dong?"),
    "civic.proposals.choose.topic": ("어느 분야의 제안을 볼까요?", "Proposals on which topic?"),
    "civic.proposals.write": ("새 제안 쓰기", "Write a proposal"),
    "civic.proposal.by": (
        "제안: {author} · {year}년 {month}월 {day}일",
        "By {author}, {year}-{month}-{day}",
    ),
    "civic.proposal.agree": ("공감하기", "Agree"),
    "civic.proposal.threshold": (
        "공감이 {threshold}명이 되면 '정책 검토 대상'이 되어 구청이 답합니다.",
        "At {threshold} agrees it comes under policy review and the district answers.",
    ),
    "civic.proposal.readonly.archived": (
        "공감 기간이 끝난 제안입니다. 읽기만 할 수 있습니다.",
        "This proposal no longer takes agrees. You can read it.",
    ),
    "civic.proposal.readonly.withdrawn": (
        "제안한 분이 거두어들인 제안입니다. 읽기만 할 수 있습니다.",
        "The author withdrew this proposal. You can read it.",
    ),
    "civic.proposal.answer": ("구청 답변", "The district's answer"),
    "civic.proposal.gone": (
        "이 제안은 지금 볼 수 없습니다. 목록에서 다른 제안을 골라 주세요.",
        "This proposal is no longer available. Please choose another from the list.",
    ),
    # Participatory budget
    "civic.budget.none": (
        "지금은 주민참여예산 투표가 없습니다.",
        "There is no participatory budget vote now.",
    ),
    "civic.budget.vote": ("투표하기", "Vote"),
    "civic.budget.results": ("동별 결과 보기", "Results by dong"),
    "civic.budget.choose_dong": ("어느 동에 사시나요?", "Which dong do you live in?"),
    "civic.budget.choose_dong.hint": (
        "사시는 동의 사업에 투표합니다. 한 사람이 한 동에서 한 번 투표할 수 있습니다.",
        "You vote for the projects of your own dong, once, in one dong.",
    ),
    "civic.budget.rule.picks": ("{max}개까지 고를 수 있습니다.", "Choose up to {max}."),
    "civic.budget.rule.picks_min": (
        "{min}개부터 {max}개까지 고를 수 있습니다.",
        "Choose from {min} to {max}.",
    ),
    "civic.budget.rule.budget": (
        "고른 사업비의 합이 예산 {budget}을 넘지 않게 고르세요.",
        "Choose projects that together cost no more than the budget of {budget}.",
    ),
    "civic.budget.status.budget": (
        "고른 사업 {total} · 남은 예산 {remaining}",
        "Chosen {total} · {remaining} left",
    ),
    "civic.budget.status.picks": (
        "{count}개 골랐습니다 · {remaining}개 더 고를 수 있습니다",
        "{count} chosen · {remaining} more possible",
    ),
    "civic.budget.budget": ("{dong} 예산 {budget}", "{dong} budget {budget}"),
    "civic.budget.cost": ("사업비 {cost}", "Cost {cost}"),
    "civic.budget.chosen": ("고른 사업", "chosen"),
    "civic.budget.review.title": ("고른 사업을 확인해 주세요", "Please check your choice"),
    "civic.budget.review.total": (
        "합계 {total} (예산 {budget})",
        "Total {total} (budget {budget})",
    ),
    "civic.budget.review.again": ("다시 고르기", "Choose again"),
    "civic.budget.review.submit": ("본인 확인하고 투표하기", "Confirm and vote"),
    "civic.budget.results.choose": ("결과를 볼 동을 고르세요", "Choose a dong to see its result"),
    "civic.budget.results.none": (
        "아직 발표된 결과가 없습니다. 발표되면 이곳에서 볼 수 있습니다.",
        "No result has been published yet. It will be shown here.",
    ),
    "civic.budget.results.title": ("{dong} 투표 결과", "{dong}: result"),
    "civic.budget.results.voters": ("투표한 주민 {voters:,}명", "{voters:,} residents voted"),
    "civic.budget.results.line": (
        "{rank}위 · {votes:,}표 · {verdict}",
        "#{rank} · {votes:,} votes · {verdict}",
    ),
    "civic.budget.results.selected": ("선정", "funded"),
    "civic.budget.results.not_selected": ("선정 안 됨", "not funded"),
}
