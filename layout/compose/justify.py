"""Justification: how one line meets its measure (which squeezes, shrinks and stretches it uses, in
clreq's order), and the glyph positions that follow."""
from __future__ import annotations

from dataclasses import dataclass

from .costs import EPS, LOOSE_WEIGHT
from .fit import Fitter, LineFit
from .prepare import Prepared

Glyphs = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Adjust:
    """How one line meets its measure: which squeezes, shrinks and stretches are used."""

    squeeze_ratio: float = 0.0  # share of each mid-line mark's blank half squeezed
    squeeze_end: bool = False  # the mark ending the line gives up its blank half whole
    shrink_ratio: float = 0.0
    stretch_ratio: float = 0.0
    spread: float = 0.0  # em added at every gap of the level below
    spread_level: str = "chars"  # "chars" (spreadable), "loose" (Han–Latin, spaces; letters), "words"


def adjust(p: Prepared, f: LineFit, a: int, b: int, width: float, justify: bool) -> Adjust:
    """The adjustment of the ink [a, b) measured `f` at `width` em."""
    d = width - f.natural
    end = b - 1
    end_sq = p.end_squeeze[end] if end > a and not p.squeeze_left[end] else 0.0
    mid_sq = f.squeeze - end_sq
    squeeze_end = False
    # A line-end mark is squeezed whole or not at all, so that its glyph either fills the column
    # edge or ends at it with its blank half hanging (GB/T 15834 §5.1.10); a partly squeezed mark
    # would leave a ragged edge. Mid-line marks are squeezed first.
    if d < -EPS and end_sq and -d > mid_sq + EPS:
        squeeze_end = True
        d += end_sq
    if d < -EPS:
        need = -d
        sq = min(need, mid_sq)
        rest = need - sq
        return Adjust(sq / mid_sq if mid_sq > EPS else 0.0, squeeze_end,
                      min(1.0, rest / f.shrink) if f.shrink > EPS else 0.0)
    if justify and d > EPS:
        first = min(d, f.stretch)
        rest = d - first
        level, gaps = next(((name, count) for name, count in (
            ("chars", f.spread_gaps), ("loose", LOOSE_WEIGHT * f.loose_gaps + f.letter_gaps),
            ("words", f.word_gaps)) if count), ("chars", 0))
        spread = rest / gaps if rest > EPS and gaps else 0.0
        return Adjust(0.0, squeeze_end, 0.0, first / f.stretch if f.stretch > EPS else 0.0,
                      spread, spread_level=level)
    return Adjust(squeeze_end=squeeze_end)


def line_adjustment(p: Prepared, fitter: Fitter, start: int, end: int, width: float,
                    justify: bool) -> Adjust:
    """The adjustment of the line holding characters [start, end) at `width` em."""
    a, b = fitter.first_ink[start], fitter.last_ink[end]
    return adjust(p, fitter.fit(start, end), a, b, width, justify)


def set_line(p: Prepared, fitter: Fitter, a: int, b: int, width: float, size: float,
             justify: bool) -> tuple[Glyphs, float]:
    """Positions of the glyphs of [a, b), justified to `width` (em) when asked; x in pt."""
    f = fitter.fit(a, b)
    a, b = fitter.first_ink[a], fitter.last_ink[b]
    adj = adjust(p, f, a, b, width, justify)
    # Each gap's share of the spread unit at the adjustment's level (bools count as 0 or 1).
    shares = {"chars": p.spreadable, "loose": p.loose_share, "words": p.word_gap}[adj.spread_level]
    glyphs = []
    x = 0.0
    for i in range(a, b):
        if i > a:
            x += p.gap[i] - p.gap_shrink[i] * adj.shrink_ratio \
                + p.gap_stretch[i] * adj.stretch_ratio
            if adj.spread:
                x += adj.spread * shares[i]
        if p.space[i]:
            x += p.adv[i]
            continue
        restore = p.start_restore[i] if i == a else 0.0
        if i == b - 1 and i > a and not p.squeeze_left[i]:
            sq = p.end_squeeze[i] if adj.squeeze_end else 0.0
        elif i == a and p.squeeze_left[i]:
            sq = 0.0
        else:
            sq = p.squeeze[i] * adj.squeeze_ratio
        place = p.place[i] + restore - sq * p.shift[i]  # a centred mark: both sides equally
        glyphs.append((p.text[i], (x + place) * size))
        x += p.adv[i] + restore - sq
    return tuple(glyphs), x * size
