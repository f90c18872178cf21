"""The large notice of 직원 호출: "직원을 불렀습니다", over the whole window, closed with one tap.

The window decides (kiosk.domain.staff_call) and queues the call; this only shows the words.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.i18n import Translator
from kiosk.ui.widgets import WrapButton, label


class StaffCallNotice(QWidget):
    """An opaque sheet over the window with a card: a title, a line, and a large 닫기.

    Signals:
        closed(): the resident closed it.
    """

    closed = Signal()

    def __init__(self, parent: QWidget, translator: Translator, gap: int) -> None:
        super().__init__(parent)
        self.setObjectName("staffCallNotice")
        # The bars' opaque surface: the notice hides the screen behind it completely.
        self.setProperty("role", "bar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.translator = translator
        outer = QVBoxLayout(self)
        outer.setContentsMargins(gap * 4, gap * 4, gap * 4, gap * 4)
        card = QFrame()
        card.setProperty("role", "card")
        box = QVBoxLayout(card)
        box.setContentsMargins(gap * 3, gap * 3, gap * 3, gap * 3)
        box.setSpacing(gap * 3)
        self.title = label("", "notice")
        self.title.setObjectName("staffCallTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = label("")
        self.body.setObjectName("staffCallBody")
        self.close_button = WrapButton(
            [(translator.tr("staff.close"), None)], role="primary", margin=gap * 2
        )
        self.close_button.setObjectName("staffCallClose")
        self.close_button.clicked.connect(self.on_close_clicked)
        box.addWidget(self.title)
        box.addWidget(self.body)
        box.addWidget(self.close_button)
        outer.addStretch(1)
        outer.addWidget(card)
        outer.addStretch(1)
        self.hide()

    def show_message(self, title_id: str, body_id: str) -> list[str]:
        """Show the notice with these messages; returns its words, for read-aloud."""
        tr = self.translator.tr
        self.title.setText(tr(title_id))
        self.body.setText(tr(body_id))
        self.close_button.set_lines([tr("staff.close")])
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self.close_button.setFocus()
        return [self.title.text(), self.body.text()]

    def on_close_clicked(self) -> None:
        self.hide()
        self.closed.emit()
