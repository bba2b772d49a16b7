"""The compiled text operators (layout/press/textkernel.pyx) against their specification,
textdraw.line_operators: the same string and spacing for any line."""
from __future__ import annotations

import random

import pytest

from layout.press import textdraw

textkernel = pytest.importorskip("layout.press.textkernel",
                                 reason="the compiled kernels were not built (no compiler at install)")

TABLE = {ch: (f"{k + 1:04x}", w) for k, (ch, w) in enumerate(
    [("中", 1000.0), ("，", 1000.0), ("A", 655.5), ("v", 512.125), ("　", 1000.0), ("𠮷", 1000.0)])}


def _line(rng: random.Random, n: int, size: float) -> tuple[tuple[str, float], ...]:
    """Glyphs on an even rhythm with now and then a squeeze, a gap, or a tiny float error."""
    gap = rng.choice([0.0, 0.37, -0.1, 1.2345678])
    glyphs, x = [], rng.uniform(0, 30)
    for _ in range(n):
        ch = rng.choice(list(TABLE))
        glyphs.append((ch, x))
        x += TABLE[ch][1] * size / 1000 + gap + rng.choice([0.0, 0.0, 0.0, 1e-12, -4.5, 2.25, 0.0004])
    return tuple(glyphs)


def test_compiled_text_operators_are_the_reference():
    rng = random.Random(14)
    spacing = None
    for k in range(3000):
        size = rng.choice([9.0, 10.5, 28.0, 61.69, 6.0])
        glyphs = _line(rng, rng.randint(0, 20), size)
        x0, y = rng.uniform(0, 1000), rng.uniform(0, 1500)
        if k % 7 == 0:
            spacing = None
        expected = textdraw.line_operators(glyphs, TABLE, size, x0, y, spacing)
        assert textkernel.line_operators(glyphs, TABLE, size, x0, y, spacing) == expected, glyphs
        assert textkernel.line_operators(list(glyphs), TABLE, size, x0, y, spacing) == expected
        spacing = expected[1]


def test_the_drawing_uses_the_compiled_operators(monkeypatch):
    assert textdraw.LINE_OPERATORS is textkernel.line_operators
    monkeypatch.setenv("BROADSHEET_PURE_PYTHON", "1")
    assert textdraw._compiled_line_operators() is None
