"""What a refused staff request says: one Korean message, and the form field it belongs beside."""

from __future__ import annotations


class FieldProblem(Exception):
    """A staff request that cannot be done; the message (Korean) says why.

    Attributes:
        field: the form field the message belongs beside (None: the form as a whole).
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
