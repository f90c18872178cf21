"""Screen texts of writing a new proposal (``newproposal.*``) and of 포인트 (``points.*``)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # Writing a new proposal
    "newproposal.title": ("정책제안 하기", "Write a proposal"),
    "newproposal.progress": ("{n} / {total} 단계", "Step {n} of {total}"),
    "newproposal.dong": ("어느 동에 대한 제안인가요?", "Which dong is your proposal about?"),
    "newproposal.topic": ("어떤 분야의 제안인가요?", "What is your proposal about?"),
    "newproposal.text.title": ("제안의 제목을 적어 주세요", "Write the title of your proposal"),
    "newproposal.text.body": (
        "무엇을 왜 바꾸면 좋을지 적어 주세요",
        "Write what should change, and why",
    ),
    "newproposal.text.hint": (
        "{min}자부터 {max}자까지 적을 수 있어요.",
        "From {min} to {max} characters.",
    ),
    "newproposal.privacy": (
        "이름과 전화번호는 적지 마세요. 제안은 온통중구에 공개됩니다.",
        "Do not write your name or phone number: proposals are made public on 온통중구.",
    ),
    "newproposal.field.dong": ("동", "Dong"),
    "newproposal.field.topic": ("분야", "Topic"),
    "newproposal.field.title": ("제목", "Title"),
    "newproposal.field.body": ("내용", "Proposal"),
    "newproposal.required.title": ("제목을 적어 주세요.", "Please write a title."),
    "newproposal.required.body": ("내용을 적어 주세요.", "Please write your proposal."),
    "newproposal.required.dong": ("동을 골라 주세요.", "Please choose a dong."),
    "newproposal.required.topic": ("분야를 골라 주세요.", "Please choose a topic."),
    "newproposal.too_short.title": (
        "제목을 {min}자 이상 적어 주세요.",
        "Please write a title of at least {min} characters.",
    ),
    "newproposal.too_short.body": (
        "내용을 {min}자 이상 적어 주세요. 무엇을 왜 바꾸면 좋을지 조금 더 적어 주세요.",
        "Please write at least {min} characters: a little more on what and why.",
    ),
    "newproposal.review": ("제안을 확인해 주세요", "Please check your proposal"),
    "newproposal.review.hint": (
        "고칠 곳이 있으면 '고치기'를 누르세요. 보내기 전에 본인 확인을 합니다.",
        "Touch Change to correct a part. Before sending you confirm it is you.",
    ),
    "newproposal.submit": ("본인 확인하고 보내기", "Confirm and send"),
    "newproposal.purpose": (
        "제안한 분께 참여 포인트를 드리려고 본인 확인을 합니다.",
        "Please confirm it is you, so the points for your proposal go to you.",
    ),
    "newproposal.thanks": (
        "정책제안을 보내 주셔서 고맙습니다.",
        "Thank you for your proposal.",
    ),
    "newproposal.thanks.threshold": (
        "주민 {threshold}명이 공감하면 구청이 답합니다.",
        "When {threshold} residents agree, the district answers.",
    ),
    # Points
    "points.title": ("참여 포인트", "Participation points"),
    "points.intro": (
        "설문, 공모, 제안, 공감, 투표에 참여하면 포인트가 쌓입니다. "
        "{minimum:,}점부터 지역 상품권으로 바꾸거나, 포인트를 기부할 수 있습니다.",
        "Surveys, contests, proposals, agrees and votes earn points. From {minimum:,} points "
        "you can exchange them for local gift certificates, or donate them.",
    ),
    "points.check": ("본인 확인하고 포인트 보기", "Confirm it is you and see your points"),
    "points.purpose": (
        "내 포인트를 보려면 본인 확인을 해 주세요.",
        "Please confirm it is you to see your points.",
    ),
    "points.waiting": (
        "구청 서버에 포인트를 묻고 있습니다. 잠시만 기다려 주세요.",
        "Asking the district server for your points. Please wait a moment.",
    ),
    "points.waiting.seconds": ("{seconds}초 지났습니다", "{seconds} s so far"),
    "points.offline": ("연결되면 확인할 수 있습니다", "You can check once the kiosk is online"),
    "points.offline.body": (
        "지금은 이 키오스크가 구청 서버와 연결되어 있지 않아 포인트를 볼 수 없습니다. "
        "참여하신 포인트는 없어지지 않습니다. 나중에 다시 보시거나, 휴대폰의 온통중구에서 "
        "확인하세요.",
        "This kiosk cannot reach the district server now, so your points cannot be shown. "
        "Your points are not lost. Please look again later, or on 온통중구 on your phone.",
    ),
    "points.failed": (
        "지금은 포인트를 확인할 수 없습니다",
        "Your points cannot be checked right now",
    ),
    "points.failed.body": (
        "구청 서버가 이 확인을 받지 않았습니다. 직원을 불러 주세요. "
        "참여하신 포인트는 없어지지 않습니다.",
        "The district server did not accept this check. Please call staff. "
        "Your points are not lost.",
    ),
    "points.balance": ("지금 포인트 {balance:,}점", "{balance:,} points now"),
    "points.history": ("포인트 내역 (최근 것부터)", "History (newest first)"),
    "points.history.more": (
        "최근 {shown}건만 보여 드립니다 (모두 {total}건).",
        "The latest {shown} of {total} are shown.",
    ),
    "points.history.empty": (
        "아직 포인트 내역이 없습니다. 설문이나 제안에 참여해 보세요.",
        "No points yet. Try a survey or a proposal.",
    ),
    "points.line": ("{year}년 {month}월 {day}일", "{year}-{month}-{day}"),
    "points.line.points": ("{points}점", "{points} points"),
    "points.line.not_counted": ("중복이라 포인트 없음", "counted once only: no points"),
    "points.line.requested": ("{points}점 · 신청함", "{points} points · requested"),
    "points.line.fulfilled": ("{points}점 · 지급 완료", "{points} points · handed over"),
    "points.line.refused": (
        "반려 · {points}점을 돌려받음",
        "refused · {points} points given back",
    ),
    "points.kind.survey_response": ("설문 참여", "Survey"),
    "points.kind.quiz": ("정책퀴즈", "Quiz"),
    "points.kind.contest_vote": ("공모 투표", "Contest vote"),
    "points.kind.contest_entry": ("공모에 글 보내기", "Contest entry"),
    "points.kind.proposal": ("정책제안", "Proposal"),
    "points.kind.proposal_agree": ("제안에 공감", "Agree with a proposal"),
    "points.kind.ballot": ("주민참여예산 투표", "Budget vote"),
    "points.kind.points_exchange": ("상품권으로 바꿈", "Exchanged for certificates"),
    "points.kind.points_donation": ("포인트 기부", "Donated"),
    "points.kind.other": ("그 밖의 참여", "Other activity"),
    "points.exchange": ("지역 상품권으로 바꾸기", "Exchange for local gift certificates"),
    "points.exchange.rule": (
        "상품권은 {minimum:,}점부터 {minimum:,}점 단위로 바꿀 수 있습니다.",
        "Certificates come in steps of {minimum:,} points.",
    ),
    "points.exchange.not_yet": (
        "상품권은 {minimum:,}점부터 바꿀 수 있습니다. 지금 {balance:,}점이라 "
        "{missing:,}점 더 모으면 바꿀 수 있습니다.",
        "Certificates start at {minimum:,} points. You have {balance:,}: "
        "{missing:,} more and you can exchange.",
    ),
    "points.donate": ("포인트 기부하기", "Donate points"),
    "points.donate.rule": (
        "기부한 포인트는 구청이 이웃을 돕는 데 씁니다.",
        "The district uses donated points to help neighbours.",
    ),
    "points.donate.none": (
        "기부할 포인트가 아직 없습니다.",
        "You have no points to donate yet.",
    ),
    "points.amount.exchange": ("몇 점을 상품권으로 바꿀까요?", "How many points to exchange?"),
    "points.amount.donate": ("몇 점을 기부할까요?", "How many points to donate?"),
    "points.amount.choice": ("{points:,}점", "{points:,} points"),
    "points.amount.all": ("{points:,}점 (모두)", "{points:,} points (all)"),
    "points.amount.choose": ("점수를 골라 주세요.", "Please choose an amount."),
    "points.confirm.title": ("이대로 신청할까요?", "Send this request?"),
    "points.confirm.exchange": (
        "{points:,}점을 지역 상품권으로 바꿉니다.",
        "Exchange {points:,} points for local gift certificates.",
    ),
    "points.confirm.donate": ("{points:,}점을 기부합니다.", "Donate {points:,} points."),
    "points.confirm.left": (
        "신청 뒤 남는 포인트: {left:,}점",
        "Points left after this: {left:,}",
    ),
    "points.confirm.send": ("신청하기", "Send the request"),
    "points.confirm.change": ("점수 다시 고르기", "Choose another amount"),
    "points.thanks.exchange": (
        "상품권 교환 신청을 받았습니다. 받는 방법은 구청이 안내합니다.",
        "Your exchange request is in. The district will tell you how to collect it.",
    ),
    "points.thanks.donate": (
        "포인트를 기부해 주셔서 고맙습니다.",
        "Thank you for donating your points.",
    ),
    "points.thanks.server": (
        "구청 서버가 확인하면 포인트에서 빠집니다.",
        "The points are taken off once the district server confirms it.",
    ),
    "points.sent_already": (
        "이번에 이미 신청하셨습니다. 포인트를 다시 보려면 '처음으로'에서 다시 확인해 주세요.",
        "You have already sent a request. To see your points again, start over from Home.",
    ),
}
