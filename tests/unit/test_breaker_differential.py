"""The breaker's hot loop against the reference definition of a line's cost.

`compose._best_breaks` rates every candidate line with `line_demerits`, a hand-fused copy of
`_Fitter.fit` + `_badness` (issue 13). This test takes that very closure, as `_best_breaks` binds it
for a paragraph, and compares it with `(LINE_PENALTY + _badness(fit))² (+ the 孤字 penalty)` over
every line of many seeded random paragraphs, widths, indents and metrics: they must agree to 1e-9.
"""
from __future__ import annotations

import math
import random
import sys

import pytest

from fakefont import FakeFace
from layout.compose import composer as compose
from layout.compose.composer import INF, LINE_PENALTY, LONE_HAN_PENALTY, Paragraph, _badness, _lone_han

PARAGRAPHS = 160
TOLERANCE = 1e-9

HAN = "全市中招考试安全工作视频会召开本报讯记者武芳人大常委会主任座谈马正兰出席讲话一二三年月日万元"
MARKS = "，。、；：？！“”‘’（）《》「」【】…—・"
LATIN = "abcdefghijkMNOPQRxyz"
DIGITS = "0123456789"
SIGNS = "%％℃￥$+-./@:~"
PIECES = ["https://www.example.com/a/b", "editor@example.com", "COVID-19", "3.5%", "12.8万元",
          "1—2月", "美元/盎司", "——", "……", " ", "　", "iPhone 13", "5G-Advanced"]


class CentredFace(FakeFace):
    """Traditional Chinese marks: ，。、：； centred in the em box (halt moves them by a quarter)."""

    def halt(self, ch: str):
        if ch in "，。、：；！？":
            return (-0.25, -0.5)
        return super().halt(ch)


class ProportionalFace(FakeFace):
    """Latin advances that are not multiples of ½ em, so prefix sums carry float rounding."""

    def advance(self, ch: str) -> float:
        if ch.isascii() and not ch.isspace():
            return 0.27 + (ord(ch) * 0.0137) % 0.45
        return super().advance(ch)


FACES = (FakeFace(), CentredFace(), ProportionalFace())


def random_text(rng: random.Random) -> str:
    out = []
    for _ in range(rng.randint(4, 28)):
        pool = rng.choices(["han", "marks", "latin", "digits", "signs", "piece"],
                           weights=[8, 4, 3, 2, 1, 1])[0]
        if pool == "piece":
            out.append(rng.choice(PIECES))
        else:
            chars = {"han": HAN, "marks": MARKS, "latin": LATIN, "digits": DIGITS,
                     "signs": SIGNS}[pool]
            out.append("".join(rng.choice(chars) for _ in range(rng.randint(1, 4))))
    return "".join(out).strip() or "中"


def hot_loop_closure(para: Paragraph, width: float, first_width: float):
    """`line_demerits` exactly as `_best_breaks` makes it for this paragraph and measure, caught
    at its first call (a profile hook reads it from the caller's frame)."""
    caught = []

    def hook(frame, event, arg):
        if event == "call" and frame.f_code.co_name == "line_demerits" and not caught:
            caught.append(frame.f_back.f_locals["line_demerits"])

    old = sys.getprofile()
    sys.setprofile(hook)
    try:
        compose._best_breaks(para.prepared, para.fitter, width, first_width, emergency=False)
    finally:
        sys.setprofile(old)
    assert caught, "_best_breaks no longer calls a nested line_demerits: update this test"
    return caught[0]


def reference_demerits(para: Paragraph, i: int, j: int, width: float, first_width: float,
                       last: bool) -> float | None:
    """The definition: badness of the fitted line, squared with the line penalty, plus 孤字."""
    p, fz = para.prepared, para.fitter
    bad = _badness(fz.fit(i, j), first_width if i == 0 else width, last, p.ragged)
    if bad == INF:
        return None
    dem = (LINE_PENALTY + bad) ** 2
    if last and i > 0 and _lone_han(fz, i, j):
        dem += LONE_HAN_PENALTY ** 2
    return dem


def branch(para: Paragraph, i: int, j: int, width: float, last: bool) -> str:
    """Which part of the definition rates the line (to check that every part is exercised)."""
    f = para.fitter.fit(i, j)
    d = width - f.natural
    if d < -compose.EPS:
        return "too long" if -d > f.squeeze + f.shrink + compose.EPS else \
            "squeeze" if -d <= f.squeeze + compose.EPS else "shrink"
    if last:
        return "last"
    if para.prepared.ragged:
        return "ragged"
    return "stretch" if d <= f.stretch + compose.EPS else "spread"


def _cases():
    rng = random.Random(20261203)
    for k in range(PARAGRAPHS):
        face = FACES[k % len(FACES)]
        para = Paragraph(random_text(rng), face, 10.0,
                         prohibition=rng.choice(["none", "basic", "gb", "strict"]),
                         latin_spacing=rng.choice([0.0, 0.25]), display=rng.random() < 0.2)
        width = rng.uniform(2.0, 18.0)
        first_width = width - rng.choice([0.0, 0.0, 1.0, 2.0, width / 3])
        yield para, width, first_width


def test_hot_loop_demerits_agree_with_fit_and_badness():
    seen: set[str] = set()
    compared = 0
    for para, width, first_width in _cases():
        hot = hot_loop_closure(para, width, first_width)
        n = len(para.prepared.text)
        for i in range(n):
            for j in range(i + 1, n + 1):
                b = para.fitter.last_ink[j]
                for last in (j == n, j != n):
                    want = reference_demerits(para, i, j, width, first_width, last)
                    got = hot(i, j, b, last)
                    compared += 1
                    seen.add(branch(para, i, j, first_width if i == 0 else width, last))
                    ok = (got is None and want is None) or (
                        got is not None and want is not None
                        and math.isclose(got, want, rel_tol=TOLERANCE, abs_tol=TOLERANCE))
                    if not ok:
                        pytest.fail(
                            f"hot loop {got!r} ≠ reference {want!r} for line [{i}, {j}) "
                            f"{para.prepared.text[i:j]!r} of {para.prepared.text!r} "
                            f"(width {width!r} em, first {first_width!r} em, last={last}, "
                            f"ragged={para.prepared.ragged})", pytrace=False)
    assert compared > 50_000
    assert seen >= {"too long", "squeeze", "shrink", "last", "ragged", "stretch", "spread"}
