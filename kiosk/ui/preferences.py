"""How this visit looks and reads: text size, contrast, language, 낮은 화면 and 간편 모드.

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
        # 낮은 화면: everything in the lower part of a tall panel, within reach from a wheelchair.
        self.low_screen: bool = False
        # 간편 모드: the home screen shows only today's open tasks, one large button each.
        self.simple_mode: bool = False

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

    def toggle_low_screen(self) -> None:
        self.low_screen = not self.low_screen
        self.changed.emit()

    def toggle_simple_mode(self) -> None:
        self.simple_mode = not self.simple_mode
        self.changed.emit()

    def set(
        self,
        *,
        language: Language,
        text_scale: int,
        high_contrast: bool,
        low_screen: bool | None = None,
        simple_mode: bool | None = None,
    ) -> None:
        """Set several at once (one rebuild); 낮은 화면 and 간편 모드 stay as they are unless
        given."""
        self.language, self.text_scale, self.high_contrast = language, text_scale, high_contrast
        if low_screen is not None:
            self.low_screen = low_screen
        if simple_mode is not None:
            self.simple_mode = simple_mode
        self.changed.emit()

    def reset(self) -> None:
        self.set(
            language=self.default_language,
            text_scale=TEXT_SCALES[0],
            high_contrast=False,
            low_screen=False,
            simple_mode=False,
        )
