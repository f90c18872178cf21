"""The large notice of 직원 호출 over the whole window: what the call's state says (called, how
long the resident has waited, "직원이 오고 있습니다"), 다시 부르기 when offered, and 닫기.

The window decides (kiosk.domain.staff_call) and queues the call; this only shows the words.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.i18n import Translator
from kiosk.ui.widgets import WrapButton, label


class StaffCallNotice(QWidget):
    """An opaque sheet over the window with a card: a title, a line, 다시 부르기 when offered,
    and a large 닫기.

    Signals:
        closed(): the resident closed it.
        call_again(): the resident asked to call staff once more.
    """

    closed = Signal()
    call_again = Signal()

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
        self.again_button = WrapButton(
            [(translator.tr("staff.call_again"), None)], role="secondary", margin=gap * 2
        )
        self.again_button.setObjectName("staffCallAgain")
        self.again_button.clicked.connect(self.call_again)
        self.again_button.hide()
        self.close_button = WrapButton(
            [(translator.tr("staff.close"), None)], role="primary", margin=gap * 2
        )
        self.close_button.setObjectName("staffCallClose")
        self.close_button.clicked.connect(self.on_close_clicked)
        box.addWidget(self.title)
        box.addWidget(self.body)
        box.addWidget(self.again_button)
        box.addWidget(self.close_button)
        outer.addStretch(1)
        outer.addWidget(card)
        outer.addStretch(1)
        self.hide()

    def show_message(
        self,
        title_id: str,
        body_id: str,
        values: dict[str, object] | None = None,
        *,
        call_again: bool = False,
    ) -> list[str]:
        """Show the notice with these messages; returns its words, for read-aloud."""
        tr = self.translator.tr
        self.title.setText(tr(title_id))
        self.body.setText(tr(body_id, **(values or {})))
        self.close_button.set_lines([tr("staff.close")])
        self.again_button.set_lines([tr("staff.call_again")])
        self.again_button.setVisible(call_again)
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        was_visible = self.isVisible()
        self.show()
        self.raise_()
        if not was_visible:
            (self.again_button if call_again else self.close_button).setFocus()
        words = [self.title.text(), self.body.text()]
        if call_again:
            words.append(self.again_button.accessibleName())
        return words

    def on_close_clicked(self) -> None:
        self.hide()
        self.closed.emit()
