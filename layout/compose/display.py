"""Display lines (headlines): as few lines as the full width needs, of even length, broken between
phrases where possible. Pure: a `Paragraph` prepared with `display=True` in, set lines out."""
from __future__ import annotations

from .paragraph import Paragraph
from .rules import PHRASE_SEPARATOR, phrase_break_cost
from .types import Align, Breaking, ComposedLine

DISPLAY_MEASURES = 6
INF_SCORE = float("inf")
MID_PHRASE_COST = 3.0  # em of unevenness that a break inside a phrase is worth


def balance(para: Paragraph, width: float, widest: float, align: Align = "center",
            method: Breaking = "total-fit") -> list[ComposedLine]:
    """Tries measures from the narrowest that keeps the line count up to the full width (pt) and
    keeps the best by phrase breaks and evenness. `widest` is the widest of the phrases its writer
    separated with U+3000 when each fits a line (no measure is narrower), else 0."""
    count = len(para.breaks(width, method=method))
    if count <= 1:
        return para.set(width, align=align, method=method)
    # No measure narrower than the widest phrase: there the phrase would be cut.
    lo, hi = max(width / count, min(widest, width)), width
    for _ in range(10):
        mid = (lo + hi) / 2
        if len(para.breaks(mid, method=method)) <= count:
            hi = mid
        else:
            lo = mid
    best, best_score, best_w = None, INF_SCORE, width
    for k in range(DISPLAY_MEASURES):
        measure = hi + (width - hi) * k / (DISPLAY_MEASURES - 1)
        lines = [_trim_separators(line) for line in para.set(measure, align="left", method=method)]
        if len(lines) > count:
            continue
        score = _display_score(lines, para.prepared.text, para.size)
        if best is None or score < best_score - 1e-9:
            best, best_score, best_w = lines, score, measure
    shift = {"center": (width - best_w) / 2, "right": width - best_w}.get(align, 0.0)
    return [_shift_line(line, shift + _align_offset(line, best_w, align)) for line in best]


def _display_score(lines: list[ComposedLine], text: str, size: float) -> float:
    """Unevenness of the lines (em) plus what their breaks cost in split phrases."""
    widths = [line.width / size for line in lines]
    costs = [phrase_break_cost(text[b.start - 1], text[b.start]) for b in lines[1:]]
    # A headline written with spaces between its phrases (做了二十年早餐　她把…) says where its
    # lines should break: a break anywhere else costs one more phrase.
    spaced = any(c == "\u3000" or c == " " for c in text.strip())
    split = sum(c + (1.0 if spaced and c > 0 else 0.0) for c in costs)
    return max(widths) - min(widths) + MID_PHRASE_COST * split


def _trim_separators(line: ComposedLine) -> ComposedLine:
    """A display line without the U+3000 it breaks at: the separator is not set at a line's edge
    (as a space is not), so a centred line is centred on its text."""
    glyphs = line.glyphs
    width = line.width
    if len(glyphs) > 1 and glyphs[-1][0] == PHRASE_SEPARATOR:
        glyphs, width = glyphs[:-1], glyphs[-1][1]
    if len(glyphs) > 1 and glyphs[0][0] == PHRASE_SEPARATOR:
        dx = glyphs[1][1] - glyphs[0][1]
        glyphs, width = tuple((c, x - dx) for c, x in glyphs[1:]), width - dx
    if glyphs is line.glyphs:
        return line
    return ComposedLine(glyphs, width, line.start, line.end, line.first, line.last)


def _align_offset(line: ComposedLine, width: float, align: Align) -> float:
    if align == "center":
        return (width - line.width) / 2
    if align == "right":
        return width - line.width
    return 0.0


def _shift_line(line: ComposedLine, dx: float) -> ComposedLine:
    if not dx:
        return line
    return ComposedLine(tuple((c, x + dx) for c, x in line.glyphs), line.width + dx, line.start,
                        line.end, line.first, line.last)
