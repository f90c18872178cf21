"""The one exception a content pack problem raises, with every problem in plain words."""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.domain.content import message

# Enough to fix a pack in one go without burying staff in a wall of text.
_MAX_SHOWN = 20


class PackError(Exception):
    """A content pack that cannot be used.

    Attributes:
        problems: one line per problem, each starting with the file it is about, e.g.
            ``manifest.json: surveys[1].questions[3].type: 알 수 없는 질문 유형 …`` or
            ``media/promo1.png: SHA-256이 매니페스트와 다릅니다 (SHA-256 does not match …)``.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems) or ("?",)
        shown = list(self.problems[:_MAX_SHOWN])
        hidden = len(self.problems) - len(shown)
        if hidden:
            shown.append(f"… 외 {hidden}건 (and {hidden} more)")
        super().__init__("\n".join(shown))

    @classmethod
    def about(cls, source: str, key: str, /, **ctx: object) -> PackError:
        """One problem with `source` (a file of the pack), worded by the content catalogue."""
        return cls([f"{source}: {message(key, **ctx)}"])
