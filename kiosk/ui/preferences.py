"""How this visit looks and reads: text size, contrast and language.

Every setting goes back to its default when the visit ends (idle reset or 처음으로 after a
submission), so the next resident meets the kiosk as designed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from kiosk.domain.a11y import TEXT_SCALES
from kiosk.i18n import Language


class ViewPreferences(QObject):
    """Signals:
    changed(): any setting changed; the shell restyles and rebuilds the current screen.
    """

    changed = Signal()

    def __init__(self, default_language: Language = "ko") -> None:
        super().__init__()
        self.default_language: Language = default_language
        self.language: Language = default_language
        self.text_scale: int = TEXT_SCALES[0]
        self.high_contrast: bool = False

    def next_text_scale(self) -> None:
        i = TEXT_SCALES.index(self.text_scale)
        self.text_scale = TEXT_SCALES[(i + 1) % len(TEXT_SCALES)]
        self.changed.emit()

    def set_text_scale(self, scale: int) -> None:
        if scale not in TEXT_SCALES:
            raise ValueError(f"text scale must be one of {TEXT_SCALES}")
        self.text_scale = scale
        self.changed.emit()

    def toggle_contrast(self) -> None:
        self.high_contrast = not self.high_contrast
        self.changed.emit()

    def toggle_language(self) -> None:
        self.language = "en" if self.language == "ko" else "ko"
        self.changed.emit()

    def set(self, *, language: Language, text_scale: int, high_contrast: bool) -> None:
        self.language, self.text_scale, self.high_contrast = language, text_scale, high_contrast
        self.changed.emit()

    def reset(self) -> None:
        self.set(language=self.default_language, text_scale=TEXT_SCALES[0], high_contrast=False)
