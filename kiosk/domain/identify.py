"""The identify step of a flow (본인 확인): the phone number, then the birth date, on the large
keypad. No Qt, no I/O.

The typed digits live in an `IdentityEntry` held by the flow (so a rebuild keeps them) until
the runner turns them into an `Identified` (kiosk.services) and wipes them. The digits are
shown masked except the parts an elder needs to check (010-****-5678, 1950.**.**).

A kiosk that has never reached the server has no key to seal to: the step says so before
anything is typed, because keeping the numbers until a key arrives would mean storing them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

from contract.identity import IdentityError, normalise_phone
from kiosk.domain.steps import Action, At, Line, Move, Step, Worded, msg

IDENTITY: Final = "identity"
# The first page of 본인 확인 (its At's key): what it is for, what will be asked and that the
# numbers are not kept here, before the keypad; the keypad pages keep only their prompt, so
# that at 200 % their words and every key fit the window without scrolling.
INTRO: Final = "intro"
Field = Literal["phone", "birth"]
LENGTHS: Final[dict[Field, int]] = {"phone": 11, "birth": 8}
MASK: Final = "*"
EMPTY: Final = "○"
# Only for pictures of the screens: no identity is ever sealed to it.
SAMPLE_SERVER_KEY: Final = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="


def masked(field: Field, digits: str) -> str:
    """What the readout shows: 010-****-5678 for the phone, 1950.**.** for the birth date;
    digits not typed yet are empty circles, so the resident sees how many are left."""
    shown = [
        (d if (i < 3 or i >= 7) else MASK) if field == "phone" else (d if i < 4 else MASK)
        for i, d in enumerate(digits)
    ]
    shown += [EMPTY] * (LENGTHS[field] - len(digits))
    if field == "phone":
        return f"{''.join(shown[:3])}-{''.join(shown[3:7])}-{''.join(shown[7:])}"
    return f"{''.join(shown[:4])}.{''.join(shown[4:6])}.{''.join(shown[6:])}"


@dataclass
class IdentityEntry:
    """What the resident typed for one identify step, and the key it will be sealed to.

    Attributes:
        purpose_id: message id of the line that says what the identity is for.
        server_key: the server's public key (base64); None on a kiosk never enrolled.
        digits: per field, the digits typed so far (wiped once identified).
    """

    purpose_id: str
    server_key: str | None
    digits: dict[Field, str] = field(default_factory=lambda: {"phone": "", "birth": ""})

    def __repr__(self) -> str:
        return f"IdentityEntry({self.purpose_id}, <hidden>)"

    def type(self, field: Field, digit: str) -> None:
        if len(self.digits[field]) < LENGTHS[field]:
            self.digits[field] += digit

    def erase(self, field: Field) -> None:
        self.digits[field] = self.digits[field][:-1]

    def wipe(self) -> None:
        self.digits = {"phone": "", "birth": ""}


def field_of(at: At) -> Field:
    return "birth" if at.key == "birth" else "phone"


def identity_start(editing: bool = False) -> At:
    """Where 본인 확인 begins: its intro page, then the phone number and the birth date."""
    return At(IDENTITY, INTRO, editing)


def is_intro(at: At) -> bool:
    return at.step == IDENTITY and at.key == INTRO


def identify_step(entry: IdentityEntry | None, at: At) -> Step:
    """The identify step at `at` (its key is the page: INTRO, then a field)."""
    assert entry is not None, "the runner sets the entry on arrival"
    title = msg("civic.identity.title")
    purpose = Line(msg(entry.purpose_id), "strong", "identityPurpose")
    if entry.server_key is None:
        head = [
            Line(title, "title"),
            purpose,
            Line(msg("civic.identity.no_key.title"), "notice", "noServerKey"),
            Line(msg("civic.identity.no_key.body")),
        ]
        return Step(IDENTITY, "identify", title, tuple(head), action=None)
    if at.key == INTRO:
        head = [
            Line(title, "title"),
            purpose,
            Line(msg("civic.identity.intro.asks"), "strong"),
            Line(msg("civic.identity.why"), None, "identityWhy"),
        ]
        return Step(IDENTITY, "info", title, tuple(head), action=Action(msg("flow.next")))
    field = field_of(at)
    head = [
        Line(msg("civic.identity.step", n=1 if field == "phone" else 2), "muted", "progress"),
        Line(msg(f"civic.identity.{field}.prompt"), "question", "prompt"),
    ]
    if field == "birth":
        head.append(Line(msg("civic.identity.birth.example"), "muted"))
    done = msg("flow.next" if field == "phone" else "civic.identity.done")
    return Step(IDENTITY, "identify", title, tuple(head), action=Action(done))


def identify_next(entry: IdentityEntry | None, at: At, then: At) -> Move:
    """다음 at the identify step: from the phone number to the birth date; from the birth date
    (once the runner has identified the resident) to `then`."""
    assert entry is not None, "the runner sets the entry on arrival"
    if at.key == INTRO:
        return Move(At(IDENTITY, "phone", at.editing))
    return phone_checked(entry, at) if field_of(at) == "phone" else Move(then)


def phone_checked(entry: IdentityEntry, at: At) -> Move:
    """다음 after the phone number: on to the birth date, or why the number is refused."""
    try:
        normalise_phone(entry.digits["phone"])
    except IdentityError as e:
        return Move(None, (Worded("identity", e.message_id),))
    return Move(At(IDENTITY, "birth", at.editing))
