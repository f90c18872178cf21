"""Messages of 설문·공모: the list, survey and quiz questions, review, contests, thank-you, and
the problems that keep a resident on a step (``survey.problem.<rule>``, see kiosk.domain.survey).
"""

_CANNOT_TAKE = (
    "이 답은 받을 수 없습니다. 다시 골라 주세요.",
    "This answer cannot be taken. Please choose again.",
)

MESSAGES: dict[str, tuple[str, str]] = {
    # The list of what is open now
    "survey.list.hint": (
        "참여하고 싶은 것을 눌러 주세요.",
        "Touch the one you would like to join.",
    ),
    "survey.list.empty": (
        "지금 참여할 수 있는 설문이나 공모가 없습니다.\n다음에 다시 찾아 주세요.",
        "There are no surveys or contests open right now.\nPlease come back another time.",
    ),
    "survey.kind.survey": ("설문", "Survey"),
    "survey.kind.quiz": ("정책퀴즈", "Policy quiz"),
    "survey.kind.contest": ("공모", "Contest"),
    "survey.until": ("{year}년 {month}월 {day}일까지", "Until {year}/{month}/{day}"),
    "survey.points": ("참여 포인트 {points}점", "{points} participation points"),
    "survey.card.done": ("참여 완료: 이미 보내셨습니다", "Done: you have sent this"),
    "survey.closed_now": (
        "참여 기간이 방금 끝났습니다. 다른 것을 골라 주세요.",
        "This has just closed. Please choose another one.",
    ),
    # Before the first question
    "survey.intro.start": ("시작하기", "Start"),
    "survey.intro.how": (
        "한 화면에 질문이 하나씩 나옵니다. 답을 고르고 '다음'을 누르세요. "
        "'이전'을 누르면 앞 질문으로 돌아갑니다.",
        "One question per screen. Choose your answer and touch Next. "
        "Touch Back to go to the question before.",
    ),
    # A question
    "survey.progress": ("질문 {n} / {total}", "Question {n} of {total}"),
    "survey.hint.single": ("하나를 골라 주세요.", "Choose one."),
    "survey.hint.image": ("사진 하나를 골라 주세요.", "Choose one picture."),
    "survey.hint.multiple": ("{min}개에서 {max}개까지 골라 주세요.", "Choose {min} to {max}."),
    "survey.hint.multiple_upto": ("{max}개까지 골라 주세요.", "Choose up to {max}."),
    "survey.hint.multiple_all": ("맞는 것을 모두 골라 주세요.", "Choose all that apply."),
    "survey.hint.multiple_exact": ("{max}개를 골라 주세요.", "Choose {max}."),
    "survey.hint.scale": ("얼굴 그림 가운데 하나를 골라 주세요.", "Choose one of the faces."),
    "survey.hint.yes_no": ("'예' 또는 '아니요'를 눌러 주세요.", "Touch Yes or No."),
    "survey.hint.text": ("{max}자까지 적을 수 있어요.", "Up to {max} characters."),
    "survey.optional": (
        "답하지 않아도 됩니다. 건너뛰려면 '다음'을 누르세요.",
        "You may skip this question: touch Next.",
    ),
    "survey.hidden_now": (
        "앞에서 고친 답 때문에 이 질문은 답하지 않아도 됩니다. '다음'을 눌러 주세요.",
        "Because of an earlier answer, this question is skipped. Please touch Next.",
    ),
    "survey.locked": (
        "정답을 확인한 문제입니다. 답은 바꿀 수 없어요.",
        "You have seen the answer to this question, so it cannot be changed.",
    ),
    "survey.chosen": ("고른 답", "chosen"),
    "survey.yes": ("예", "Yes"),
    "survey.no": ("아니요", "No"),
    "survey.scale.point": ("{n}점", "{n}"),
    "survey.text.chars": ("{count} / {max}자", "{count} / {max} characters"),
    "flow.back": ("이전", "Back"),
    "flow.next": ("다음", "Next"),
    "quiz.check": ("정답 확인", "Check answer"),
    # Quiz feedback
    "quiz.right": ("정답입니다!", "Correct!"),
    "quiz.wrong": ("아쉽지만 틀렸어요.", "Not quite."),
    "quiz.your_answer": ("고른 답: {answer}", "Your answer: {answer}"),
    "quiz.right_answer": ("정답: {answer}", "Answer: {answer}"),
    "quiz.mark.right": ("맞음", "Right"),
    "quiz.mark.wrong": ("틀림", "Wrong"),
    "quiz.score": (
        "{total}문제 가운데 {correct}문제를 맞혔어요.",
        "You got {correct} of {total} right.",
    ),
    # Review
    "survey.review.title": ("보내기 전에 확인해 주세요", "Check before sending"),
    "survey.review.hint": (
        "고칠 답이 있으면 '고치기'를 누르세요. 모두 맞으면 맨 아래 '보내기'를 누르세요.",
        "To change an answer, touch Change. If all is right, touch Send at the bottom.",
    ),
    "survey.review.fix": ("고치기", "Change"),
    "survey.review.skipped": ("답하지 않음", "Not answered"),
    "survey.review.submit": ("보내기", "Send"),
    "survey.review.sent": (
        "이미 보내셨습니다. '처음으로'를 누르면 처음 화면으로 갑니다.",
        "You have sent this already. Touch Start over to go to the start.",
    ),
    "survey.submit.failed": (
        "보내지 못했습니다. 잠시 뒤에 '보내기'를 다시 눌러 주세요. "
        "계속 안 되면 직원을 불러 주세요.",
        "It could not be sent. Please touch Send again in a moment. "
        "If it still does not work, please call a member of staff.",
    ),
    # Thank-you
    "thanks.title": ("잘 보냈습니다", "Sent"),
    "thanks.survey": ("설문에 답해 주셔서 고맙습니다.", "Thank you for answering the survey."),
    "thanks.quiz": ("정책퀴즈에 참여해 주셔서 고맙습니다.", "Thank you for taking the quiz."),
    "thanks.vote": ("투표해 주셔서 고맙습니다.", "Thank you for voting."),
    "thanks.idea": ("보내 주신 글은 잘 받았습니다.", "We have received what you wrote."),
    "thanks.points": (
        "참여 포인트 {points}점을 드립니다.",
        "You earn {points} participation points.",
    ),
    "thanks.saved": (
        "보내신 내용은 이 키오스크에 안전하게 저장되었고, 구청으로 전달됩니다.",
        "What you sent is safely stored in this kiosk and passed on to the district office.",
    ),
    "thanks.countdown": (
        "{seconds}초 뒤에 처음 화면으로 돌아갑니다.",
        "Going back to the start in {seconds} seconds.",
    ),
    "thanks.stopped": (
        "이 화면이 그대로 있습니다. 다 보셨으면 '처음으로'를 눌러 주세요.",
        "This screen stays. When you are done, touch Start over.",
    ),
    "thanks.stay": ("이 화면 계속 보기", "Stay on this screen"),
    "thanks.home": ("처음으로", "Start over"),
    # Contests
    "contest.vote": ("작품 보고 투표하기", "See the entries and vote"),
    "contest.idea": ("내 글 보내기", "Send your own story"),
    "contest.vote.hint": (
        "마음에 드는 작품을 {max}개까지 골라 주세요. 다 고르셨으면 맨 아래 '다음'을 누르세요.",
        "Choose up to {max} entries you like, then touch Next at the bottom.",
    ),
    "contest.vote.count": ("{max}개 가운데 {count}개 골랐어요", "{count} of {max} chosen"),
    "contest.choose": ("이 작품 고르기", "Choose this entry"),
    "contest.chosen": ("고른 작품", "Chosen"),
    "contest.vote.review": ("이 작품에 투표할까요?", "Vote for these entries?"),
    "contest.vote.again": ("다시 고르기", "Choose again"),
    "contest.vote.submit": ("투표하기", "Vote"),
    "contest.idea.title": ("제목을 적어 주세요", "Write a title"),
    "contest.idea.text": ("하고 싶은 이야기를 적어 주세요", "Write your story"),
    "contest.idea.progress": ("{n} / {total} 단계", "Step {n} of {total}"),
    "contest.idea.review": ("이렇게 보낼까요?", "Send this?"),
    "contest.idea.field.title": ("제목", "Title"),
    "contest.idea.field.text": ("내용", "Story"),
    "contest.idea.required.title": ("제목을 적어 주세요.", "Please write a title."),
    "contest.idea.required.text": ("내용을 적어 주세요.", "Please write your story."),
    "contest.idea.privacy": (
        "이름, 전화번호, 주소는 적지 마세요.",
        "Please do not write your name, phone number or address.",
    ),
    # Problems, by rule (kiosk.domain.survey.Rule)
    "survey.problem.required": (
        "꼭 답해야 하는 질문입니다. 답을 고르거나 적은 뒤 '다음'을 눌러 주세요.",
        "This question needs an answer. Choose or write one, then touch Next.",
    ),
    "survey.problem.min_select": (
        "{min}개 이상 골라 주세요. 지금 {count}개를 고르셨어요.",
        "Please choose at least {min}. You have chosen {count}.",
    ),
    "survey.problem.max_select": (
        "{max}개까지만 고를 수 있어요. 고른 것을 다시 눌러 빼고 골라 주세요.",
        "You can choose up to {max}. Touch a chosen one again to remove it first.",
    ),
    "survey.problem.max_length": (
        "글이 너무 깁니다. {max}자까지 적을 수 있어요.",
        "That is too long: up to {max} characters.",
    ),
    "survey.problem.locked": (
        "정답을 확인한 문제는 답을 바꿀 수 없어요.",
        "After seeing the answer, you cannot change yours.",
    ),
    "survey.problem.closed": (
        "참여 기간이 끝나서 보낼 수 없습니다. 죄송합니다. '처음으로'를 눌러 주세요.",
        "Sorry, this has closed and cannot be sent. Please touch Start over.",
    ),
    "survey.problem.already_submitted": (
        "이미 보내셨습니다. 한 번만 보낼 수 있어요.",
        "You have sent this already; it can be sent only once.",
    ),
    "survey.problem.no_vote": (
        "마음에 드는 작품을 하나 이상 골라 주세요.",
        "Please choose at least one entry.",
    ),
    "survey.problem.max_votes": (
        "{max}개까지만 고를 수 있어요. 고른 작품을 다시 눌러 빼고 골라 주세요.",
        "You can choose up to {max}. Touch a chosen entry again to remove it first.",
    ),
    "survey.problem.wrong_type": _CANNOT_TAKE,
    "survey.problem.unknown_option": _CANNOT_TAKE,
    "survey.problem.duplicate_option": _CANNOT_TAKE,
    "survey.problem.scale_range": _CANNOT_TAKE,
    "survey.problem.not_shown": _CANNOT_TAKE,
    "survey.problem.unknown_question": _CANNOT_TAKE,
    "survey.problem.unknown_entry": _CANNOT_TAKE,
}
