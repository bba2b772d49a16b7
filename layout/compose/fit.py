"""How well a candidate line fits its measure: line measures from prefix sums (O(1) a line), and
THE definition of a line's badness and demerits, which every breaker and the justifier share.

`Fitter.rate(i, j, width, last)` rates the line holding characters [i, j): it is the only
definition of badness (first fit, the total-fit search, exact line counts and the fast path all
call it, as `Fitter.badness`) and, with `demerits=True`, of a line's demerits (`Fitter.demerits`).
It is a closure over the fitter's arrays, bound once per paragraph, because it runs for every
candidate line.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate
from typing import Any, Callable, Sequence

from . import cjk
from .costs import EPS, INF, LINE_PENALTY, LONE_HAN_PENALTY, LOOSE_SPREAD_FACTOR, LOOSE_WEIGHT, \
    PUNCT_SQUEEZE, RAGGED_COST, SPREAD_UNIT, SQUEEZE_COST, UNJUSTIFIABLE, WORD_SPREAD_FACTOR
from .prepare import Prepared

Rate = Callable[..., "float | None"]  # (i, j, width, last, demerits=False)


@dataclass
class LineFit:
    """What a line has to meet its measure with (em; gap counts at each spread level)."""

    natural: float
    squeeze: float
    shrink: float
    stretch: float
    spread_gaps: int
    loose_gaps: int
    letter_gaps: int
    word_gaps: int


def _prefix(values: Sequence[float]) -> list[float]:
    return list(accumulate(values, initial=0.0))


def _flags(values: Sequence[bool]) -> list[float]:
    return _prefix([1.0 if v else 0.0 for v in values])


# The fitter's arrays: prefix sums (c_*[i] sums characters or gaps [0, i)) and ink edges.
SUMS = ("c_adv", "c_squeeze", "c_gap", "c_shrink", "c_stretch", "c_spread", "c_loose", "c_letter",
        "c_word", "c_han", "c_latin", "first_ink", "last_ink")


class Fitter:
    """Line measures from prefix sums, so each candidate line costs O(1)."""

    def __init__(self, p: Prepared, native: Any = None):
        """`native`: the compiled kernel's `Lines(p)` (native.py), which has summed the same
        arrays; this fitter then shares them instead of summing again."""
        self.p = p
        self.native = native
        if native is not None:
            for name in SUMS:
                setattr(self, name, getattr(native, name))
        else:
            self._sum(p)
        # THE rating of a line: `rate(i, j, width, last)` its badness, `rate(..., True)` its
        # demerits (what the total-fit search adds up).
        self.rate: Rate = _line_rating(self)

    def _sum(self, p: Prepared) -> None:
        n = len(p.text)
        sp = p.space
        self.c_adv = _prefix([0.0 if sp[i] else p.adv[i] for i in range(n)])
        self.c_squeeze = _prefix(p.squeeze)
        # Gaps and spaces: a space character counts as a gap (its advance is natural space).
        self.c_gap = _prefix([p.gap[i] + (p.adv[i] if sp[i] else 0.0) for i in range(n)])
        self.c_shrink = _prefix(p.gap_shrink)
        self.c_stretch = _prefix(p.gap_stretch)
        self.c_spread = _flags(p.spreadable)
        self.c_loose = _flags(p.loose_gap)
        self.c_letter = _flags(p.letter_gap)
        self.c_word = _flags(p.word_gap)
        # For the 孤字 test: Han characters, and characters that are neither Han nor CJK marks.
        self.c_han = _flags([k == "han" and cjk.is_han(c) for k, c in zip(p.kinds, p.text)])
        self.c_latin = _flags([k in ("latin", "latinpunct") for k in p.kinds])
        self.first_ink, self.last_ink = _ink_edges(p.edge_blank)

    def badness(self, i: int, j: int, width: float, last: bool) -> float:
        """The badness of the line [i, j) at `width` em; INF when it cannot be set that narrow."""
        return self.rate(i, j, width, last)

    def demerits(self, i: int, j: int, width: float, last: bool) -> float | None:
        """The demerits of the line [i, j) at `width` em; None when it cannot be set so narrow."""
        return self.rate(i, j, width, last, True)

    def fit(self, a: int, b: int) -> LineFit:
        """Measures of the line holding characters [a, b) once edge spaces are dropped (what the
        justifier distributes; `badness` rates the same line from the same sums)."""
        a = self.first_ink[a]
        b = self.last_ink[b]
        if b <= a:
            return LineFit(0.0, 0.0, 0.0, 0.0, 0, 0, 0, 0)
        p = self.p
        natural = (self.c_adv[b] - self.c_adv[a] + self.c_gap[b] - self.c_gap[a + 1]
                   + p.start_restore[a])
        # A squeezable mark at the line start keeps its blank (squeezing a left blank there would
        # push the glyph out of the column); one at the end may lose it (GB/T 15834 §5.1.10).
        squeeze = self.c_squeeze[b] - self.c_squeeze[a] + p.end_squeeze[b - 1] - p.squeeze[b - 1]
        if p.squeeze_left[a]:
            squeeze -= p.squeeze[a]
        return LineFit(
            natural, squeeze,
            self.c_shrink[b] - self.c_shrink[a + 1],
            self.c_stretch[b] - self.c_stretch[a + 1],
            int(self.c_spread[b] - self.c_spread[a + 1]),
            int(self.c_loose[b] - self.c_loose[a + 1]),
            int(self.c_letter[b] - self.c_letter[a + 1]),
            int(self.c_word[b] - self.c_word[a + 1]),
        )

    def lone_han(self, a: int, b: int) -> bool:
        """clreq §3.8.1 (孤字): the line holds one Han character, with punctuation at most."""
        return self.c_han[b] - self.c_han[a] == 1 and self.c_latin[b] - self.c_latin[a] == 0


def _ink_edges(blank: Sequence[bool]) -> tuple[list[int], list[int]]:
    """Line edges skip Western spaces and U+3000 (`prepare._edge_blanks`): the first ink at or
    after each index, and each end index once trailing blanks are dropped."""
    n = len(blank)
    first_ink = list(range(n + 1))
    for i in range(n - 1, -1, -1):
        if blank[i]:
            first_ink[i] = first_ink[i + 1]
    last_ink = list(range(n + 1))
    for j in range(1, n + 1):
        if blank[j - 1]:
            last_ink[j] = last_ink[j - 1]
    return first_ink, last_ink


def _line_rating(fz: Fitter) -> Rate:
    """Bind THE rating of a line to a fitter's arrays (locals, for speed: this runs for every
    candidate line of every paragraph, so badness and demerits are one function, not two calls)."""
    p = fz.p
    c_adv, c_gap, c_sq, c_sh = fz.c_adv, fz.c_gap, fz.c_squeeze, fz.c_shrink
    c_st, c_sp, c_lo, c_le, c_wd = fz.c_stretch, fz.c_spread, fz.c_loose, fz.c_letter, fz.c_word
    c_han, c_latin = fz.c_han, fz.c_latin
    first_ink, last_ink = fz.first_ink, fz.last_ink
    sq, sq_left, end_sq, restore = p.squeeze, p.squeeze_left, p.end_squeeze, p.start_restore
    ragged = p.ragged
    lone = LONE_HAN_PENALTY ** 2

    def rate(i: int, j: int, width: float, last: bool, demerits: bool = False) -> float | None:
        """Badness of the line [i, j) at `width` em (INF when it is too long even squeezed):
        squeezing punctuation costs linearly, then shrinking gaps quadratically; stretching
        spaces and Han–Latin gaps cubically, then spreading (`spread_badness`). With `demerits`:
        (LINE_PENALTY + badness)², plus the 孤字 penalty for a last line of one Han character,
        and None for a line too long (the break's own penalty is the breaker's to add)."""
        a, b = first_ink[i], last_ink[j]
        if b > a:
            natural = c_adv[b] - c_adv[a] + c_gap[b] - c_gap[a + 1] + restore[a]
            squeeze = (c_sq[b] - c_sq[a] - (sq[a] if sq_left[a] else 0.0)
                       + end_sq[b - 1] - sq[b - 1])
            shrink = c_sh[b] - c_sh[a + 1]
        else:
            natural = squeeze = shrink = 0.0
        d = width - natural
        if d < -EPS:
            if -d > squeeze + shrink + EPS:
                return None if demerits else INF
            s1 = min(-d, squeeze)
            bad = SQUEEZE_COST * s1 / PUNCT_SQUEEZE
            if -d - s1 > EPS:
                bad += 100.0 * ((-d - s1) / shrink) ** 2
        elif last:
            bad = 0.0
        elif ragged:
            bad = RAGGED_COST * (d / width) ** 2
        elif b <= a:
            bad = UNJUSTIFIABLE if d > EPS else 0.0
        else:
            stretch = c_st[b] - c_st[a + 1]
            s1 = min(d, stretch)
            bad = 100.0 * (s1 / stretch) ** 3 if stretch > EPS else 0.0
            if d - s1 > EPS:
                bad += spread_badness(d - s1, c_sp[b] - c_sp[a + 1], c_lo[b] - c_lo[a + 1],
                                      c_le[b] - c_le[a + 1], c_wd[b] - c_wd[a + 1])
        if not demerits:
            return bad
        dem = (LINE_PENALTY + bad) ** 2
        if last and i > 0 and c_han[j] - c_han[i] == 1 and c_latin[j] - c_latin[i] == 0:
            dem += lone
        return dem

    return rate


def spread_badness(rest: float, gaps: float, loose_gaps: float, letter_gaps: float,
                   word_gaps: float) -> float:
    """Cost of spreading `rest` em: evenly between characters; else at the Han–Latin gaps and word
    spaces, LOOSE_WEIGHT times what each gap between two letters takes (so a long word beside one
    Han character is neither letter-spaced hard nor cut off by a hole); else (a long number alone
    on a line) inside numbers too; else the line cannot be justified."""
    if gaps >= 0.5:
        return 100.0 * (rest / gaps / SPREAD_UNIT) ** 2
    if loose_gaps + letter_gaps >= 0.5:
        unit = rest / (LOOSE_WEIGHT * loose_gaps + letter_gaps)
        if loose_gaps >= 0.5:
            return LOOSE_SPREAD_FACTOR * 100.0 * (LOOSE_WEIGHT * unit / SPREAD_UNIT) ** 2
        return WORD_SPREAD_FACTOR * 100.0 * (unit / SPREAD_UNIT) ** 2
    if word_gaps >= 0.5:
        return WORD_SPREAD_FACTOR * 100.0 * (rest / word_gaps / SPREAD_UNIT) ** 2
    return UNJUSTIFIABLE
