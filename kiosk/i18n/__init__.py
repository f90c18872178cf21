"""The one catalogue of interface messages, by id, in Korean and English.

Widgets never hold Korean or English literals: they ask a `Translator` for a message id.
Each part of the app keeps its messages in a module of this package (shell, survey, …);
they are merged here, and an id may be defined only once. Content texts (surveys,
proposals…) come from the content pack in both languages instead.
"""

from __future__ import annotations

from typing import Literal

from kiosk.i18n import (
    a11y,
    assist,
    board,
    civic,
    civic_screens,
    coach,
    keyboard,
    lessons,
    points,
    settings,
    shell,
    survey,
    sync,
)

Language = Literal["ko", "en"]
LANGUAGES: tuple[Language, ...] = ("ko", "en")

PARTS = (
    shell,
    keyboard,
    sync,
    survey,
    board,
    civic,
    civic_screens,
    points,
    assist,
    coach,
    a11y,
    lessons,
    settings,
)


def _merge() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for part in PARTS:
        clash = merged.keys() & part.MESSAGES.keys()
        if clash:
            raise ValueError(f"{part.__name__} defines message ids again: {sorted(clash)}")
        merged.update(part.MESSAGES)
    return merged


# id -> (Korean, English). Placeholders use str.format names.
CATALOGUE: dict[str, tuple[str, str]] = _merge()


class Translator:
    """Looks up message ids in the current language.

    Attributes:
        language: "ko" or "en"; the app switches it from the top bar.
    """

    def __init__(self, language: Language = "ko") -> None:
        self.language: Language = language

    def tr(self, message_id: str, **values: object) -> str:
        ko, en = CATALOGUE[message_id]
        text = en if self.language == "en" else ko
        return text.format(**values) if values else text
