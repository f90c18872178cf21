"""The accessibility audit's variants and its run over a list of screens, shared by the suite's
audit files: `tests/widget/test_a11y_audit.py` (representative screens in every other variant)
and `tests/widget/test_a11y_every_screen_*.py` (every screen, one variant a file so that the
suite's workers share them: each takes minutes)."""

from __future__ import annotations

from contract.pack import load_pack
from kiosk.paths import asset_path
from kiosk.ui.render import screen_names, show_screen
from tests.helpers.audit import TABLE_HEADER, audit_screen

PORTRAIT, LANDSCAPE = (1080, 1920), (1920, 1080)
# (size, text scale, high contrast, 낮은 화면, panel diagonal in inches)
Variant = tuple[tuple[int, int], int, bool, bool, float]
EVERY_SCREEN: tuple[Variant, ...] = (
    (PORTRAIT, 100, False, False, 32),
    (LANDSCAPE, 200, True, True, 32),
    (PORTRAIT, 200, True, True, 32),
    (PORTRAIT, 100, False, False, 24),
)


def variant_id(v: Variant) -> str:
    (w, h), scale, contrast, low, diagonal = v
    return (
        f"{'portrait' if h > w else 'landscape'}-{scale}-{'contrast' if contrast else 'default'}"
        f"-{'low' if low else 'normal'}-{diagonal:g}in"
    )


def run_audit(make_window, variant: Variant, names, *, tab: bool) -> None:
    size, scale, contrast, low, diagonal = variant
    window = make_window(size, panel_diagonal_inches=diagonal)
    window.prefs.set(language="ko", text_scale=scale, high_contrast=contrast, low_screen=low)
    problems: list[str] = []
    print(f"\n{variant_id(variant)}\n{TABLE_HEADER}")
    for name in names:
        show_screen(window, name)
        found = audit_screen(window, name, tab=tab)
        print(found.row(name))
        problems += [f"{name} [{variant_id(variant)}]: {p}" for p in found.problems]
        window.lifecycle.close_prompt()
    assert not problems, "\n".join(problems)


def audit_every_screen(make_window, variant: Variant) -> None:
    """Every screen of the demo pack, the practice kiosks' pages included, with its Tab walk."""
    run_audit(make_window, variant, screen_names(load_pack(asset_path("demo"))), tab=True)
