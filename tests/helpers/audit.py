"""Checks on a live widget tree: clipped text and small touch targets."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractButton, QLabel, QStyle, QStyleOptionButton, QWidget

from kiosk.ui.theme import FONT_FAMILY


def visible(widget: QWidget) -> bool:
    return widget.isVisibleTo(widget.window()) and widget.isVisible()


def describe(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
    text = text or widget.accessibleName()
    return f"{type(widget).__name__}#{widget.objectName()} {text[:40]!r}"


def clipped_labels(root: QWidget) -> list[str]:
    """Visible labels, and buttons drawing their own text, that need more room than they have."""
    problems = []
    for lab in root.findChildren(QLabel):
        if not visible(lab) or not lab.text().strip():
            continue
        hint = lab.sizeHint()
        if lab.wordWrap():
            needed_h = lab.heightForWidth(lab.width())
            if needed_h > lab.height() + 1:
                problems.append(f"{describe(lab)} needs {needed_h}px high, has {lab.height()}")
            if lab.minimumSizeHint().width() > lab.width() + 1:
                problems.append(
                    f"{describe(lab)} has a word {lab.minimumSizeHint().width()}px wide "
                    f"in {lab.width()}px"
                )
        elif hint.width() > lab.width() + 1 or hint.height() > lab.height() + 1:
            problems.append(f"{describe(lab)} needs {hint.toTuple()}, has {lab.size().toTuple()}")
    # Buttons that draw their own text (the keyboard's letter keys) hold it on one line.
    for button in root.findChildren(QAbstractButton):
        if not visible(button) or not button.text().strip():
            continue
        metrics = button.fontMetrics()
        option = QStyleOptionButton()
        option.initFrom(button)
        contents = QStyle.SubElement.SE_PushButtonContents
        inner = button.style().subElementRect(contents, option, button)
        needed = metrics.size(0, button.text())
        if needed.width() > inner.width() or needed.height() > inner.height():
            problems.append(
                f"{describe(button)} needs {needed.toTuple()}, has {inner.size().toTuple()}"
            )
    return problems


def small_targets(root: QWidget, min_px: int) -> list[str]:
    """Visible buttons smaller than `min_px` on either side."""
    return [
        f"{describe(b)} is {b.width()}x{b.height()}"
        for b in root.findChildren(QAbstractButton)
        if visible(b) and (b.width() < min_px or b.height() < min_px)
    ]


def missing_glyphs(root: QWidget) -> list[str]:
    """Visible labels and buttons showing a character the bundled font lacks (it would need a
    system font)."""
    font = QFont(FONT_FAMILY)
    font.setStyleStrategy(QFont.StyleStrategy.NoFontMerging)
    metrics = QFontMetrics(font)
    problems = []
    shown: list[QLabel | QAbstractButton] = [*root.findChildren(QLabel)]
    shown += root.findChildren(QAbstractButton)
    for lab in shown:
        if not visible(lab):
            continue
        missing = {ch for ch in lab.text() if not ch.isspace() and not metrics.inFontUcs4(ord(ch))}
        if missing:
            problems.append(f"{describe(lab)} needs {''.join(sorted(missing))!r} from another font")
    return problems
