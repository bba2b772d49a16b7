"""The breaker's hot loop against the definition of a line's cost.

`fit.Fitter.rate` is the one definition of badness and demerits (issue 13): a closure over the
paragraph's prefix sums that every breaker calls. This test holds it to the definition written out
plainly over the line measures the justifier uses (`Fitter.fit`), over every line of many seeded
random paragraphs, widths, indents and metrics (agreement to 1e-9), and checks that the total-fit
search rates lines through it alone: with `rate` swapped for the plain definition it breaks every
paragraph the same way.
"""
from __future__ import annotations

import math
import random

import pytest

from fakefont import FACES
from layout.compose import breaker, costs
from layout.compose.costs import EPS, INF, LINE_PENALTY, LONE_HAN_PENALTY
from layout.compose.fit import LineFit, spread_badness
from layout.compose.paragraph import Paragraph

PARAGRAPHS = 160
TOLERANCE = 1e-9

HAN = "全市中招考试安全工作视频会召开本报讯记者武芳人大常委会主任座谈马正兰出席讲话一二三年月日万元"
MARKS = "，。、；：？！“”‘’（）《》「」【】…—・"
LATIN = "abcdefghijkMNOPQRxyz"
DIGITS = "0123456789"
SIGNS = "%％℃￥$+-./@:~"
PIECES = ["https://www.example.com/a/b", "editor@example.com", "COVID-19", "3.5%", "12.8万元",
          "1—2月", "美元/盎司", "——", "……", " ", "　", "iPhone 13", "5G-Advanced"]


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


def plain_badness(f: LineFit, width: float, last: bool, ragged: bool) -> float:
    """The definition of badness as docs/composition.md states it, over the justifier's measures."""
    d = width - f.natural
    if d < -EPS:
        need = -d
        if need > f.squeeze + f.shrink + EPS:
            return INF
        sq = min(need, f.squeeze)
        bad = costs.SQUEEZE_COST * sq / costs.PUNCT_SQUEEZE
        if need - sq > EPS:
            bad += 100.0 * ((need - sq) / f.shrink) ** 2
        return bad
    if last:
        return 0.0
    if ragged:
        return costs.RAGGED_COST * (d / width) ** 2
    first = min(d, f.stretch)
    bad = 100.0 * (first / f.stretch) ** 3 if f.stretch > EPS else 0.0
    if d - first > EPS:
        bad += spread_badness(d - first, f.spread_gaps, f.loose_gaps, f.letter_gaps, f.word_gaps)
    return bad


def reference_demerits(para: Paragraph, i: int, j: int, width: float, last: bool) -> float | None:
    """The definition: badness of the fitted line, squared with the line penalty, plus 孤字."""
    fz = para.fitter
    bad = plain_badness(fz.fit(i, j), width, last, para.prepared.ragged)
    if bad == INF:
        return None
    dem = (LINE_PENALTY + bad) ** 2
    if last and i > 0 and fz.lone_han(i, j):
        dem += LONE_HAN_PENALTY ** 2
    return dem


def plain_rate(para: Paragraph):
    """`Fitter.rate` written as the definition (slow): to swap in for the real one."""
    def rate(i, j, width, last, demerits=False):
        if demerits:
            return reference_demerits(para, i, j, width, last)
        return plain_badness(para.fitter.fit(i, j), width, last, para.prepared.ragged)
    return rate


def branch(para: Paragraph, i: int, j: int, width: float, last: bool) -> str:
    """Which part of the definition rates the line (to check that every part is exercised)."""
    f = para.fitter.fit(i, j)
    d = width - f.natural
    if d < -EPS:
        return "too long" if -d > f.squeeze + f.shrink + EPS else \
            "squeeze" if -d <= f.squeeze + EPS else "shrink"
    if last:
        return "last"
    if para.prepared.ragged:
        return "ragged"
    return "stretch" if d <= f.stretch + EPS else "spread"


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


def close(got, want) -> bool:
    return (got is None and want is None) or (
        got is not None and want is not None
        and math.isclose(got, want, rel_tol=TOLERANCE, abs_tol=TOLERANCE))


def test_rate_agrees_with_the_definition_on_every_line():
    seen: set[str] = set()
    compared = 0
    for para, width, first_width in _cases():
        n = len(para.prepared.text)
        rate = para.fitter.rate
        for i in range(n):
            w = first_width if i == 0 else width
            for j in range(i + 1, n + 1):
                for last in (j == n, j != n):
                    want = reference_demerits(para, i, j, w, last)
                    got = rate(i, j, w, last, True)
                    bad = rate(i, j, w, last)
                    want_bad = plain_badness(para.fitter.fit(i, j), w, last, para.prepared.ragged)
                    compared += 1
                    seen.add(branch(para, i, j, w, last))
                    if not (close(got, want) and close(bad, want_bad)):
                        pytest.fail(
                            f"rate {got!r}/{bad!r} ≠ definition {want!r}/{want_bad!r} for line "
                            f"[{i}, {j}) {para.prepared.text[i:j]!r} of {para.prepared.text!r} "
                            f"(width {w!r} em, last={last}, ragged={para.prepared.ragged})",
                            pytrace=False)
    assert compared > 50_000
    assert seen >= {"too long", "squeeze", "shrink", "last", "ragged", "stretch", "spread"}


def test_the_total_fit_search_rates_lines_only_through_rate():
    """Swap `rate` for the plain definition: every paragraph breaks the same (the search has no
    cost of its own), and the swapped function is what it called."""
    calls = 0
    for para, width, first_width in list(_cases())[:60]:
        p, fz = para.prepared, para.fitter
        for emergency in (False, True):
            fast = breaker.best_breaks(p, fz, width, first_width, emergency)
            plain = plain_rate(para)

            def counted(*args, _plain=plain):
                nonlocal calls
                calls += 1
                return _plain(*args)

            own, fz.rate = fz.rate, counted
            try:
                slow = breaker.best_breaks(p, fz, width, first_width, emergency)
            finally:
                fz.rate = own
            assert slow == fast, (p.text, width, first_width, emergency)
    assert calls > 1000
