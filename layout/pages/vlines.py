"""Vertical lines as plan items: a composed vertical line (compose/vertical.py) becomes one
TextLine per piece of one way of drawing — the vertical forms (`mode="v"`, drawn Identity-V), a
run rotated 90° clockwise (`mode="r"`), a 縱中橫 number upright across one em (`mode="t"`) — and
vertical display lines (竖题: headline, kicker, subtitle) set beside the body."""
from __future__ import annotations

from typing import Sequence

from ..compose.vertical import VerticalLine, VerticalMetrics, VerticalParagraph, glyph_pieces
from ..fonts.harfbuzz import VERTICAL_SUFFIX
from ..model.grid import Rect
from ..model.issue import Article
from .plan import BLACK, Ink, Placement, TextLine, ink
from .typeset import Setter

TCY_WIDTH = 0.96  # em: a 縱中橫 number wider than this is set smaller to fit its em
_METRICS: dict[str, VerticalMetrics] = {}


def vertical_metrics(face) -> VerticalMetrics:
    """The face measured for vertical text, once per face key."""
    found = _METRICS.get(face.key)
    if found is None or found.face is not face:
        found = _METRICS[face.key] = VerticalMetrics(face)
    return found


def vertical_paragraph(setter: Setter, text: str, style: str, writing, *,
                       size: float | None = None, display: bool = False) -> VerticalParagraph:
    t = setter.typography
    return VerticalParagraph(setter.prepare_text(text), vertical_metrics(setter.face(style)),
                             size or setter.styles[style].size,
                             tcy_max_digits=writing.tcy_max_digits, prohibition=t.prohibition,
                             latin_spacing=t.latin_spacing, display=display)


def place_vertical(setter: Setter, line: VerticalLine, centre: float, top: float, style: str, *,
                   size: float | None = None, role: str = "", story: str | None = None,
                   at: Placement | None = None, color: Ink | None = None) -> list[TextLine]:
    """The line's pieces on the page: its em boxes centred on `centre`, its first at `top`."""
    st = setter.styles[style]
    size = size or st.size
    if color is None:
        color = BLACK if st.colour is None else ink(st.colour)
    face = setter.face(style)
    role = role or style
    out: list[TextLine] = []
    digits = iter(line.tcy)
    for kind, a, b in glyph_pieces(line):
        glyphs = line.glyphs[a:b]
        y0 = glyphs[0][1]
        if kind == "tcy":
            out.append(_tcy(face, next(digits, ""), centre, top + y0, size, color, role, story,
                            at))
            continue
        rel = tuple((ch, round(y - y0, 3)) for ch, y in glyphs)
        if kind == "upright":
            out.append(TextLine(centre, top + y0, face.key + VERTICAL_SUFFIX, size, rel, color,
                                role, story, at, mode="v"))
        else:  # rotated: the Latin baseline left of the centre by half the em box's height
            shift = (face.ascent + face.descent) / 2 * size
            out.append(TextLine(centre - shift, top + y0, face.key, size, rel, color, role,
                                story, at, mode="r"))
    return out


def _tcy(face, digits: str, centre: float, cell_top: float, size: float, color: Ink, role: str,
         story: str | None, at: Placement | None) -> TextLine:
    """A 縱中橫 number: its digits upright side by side, centred in the em cell whose top is
    `cell_top`, set smaller when their natural width would pass TCY_WIDTH em; drawn with the
    vertical forms (`mode="t"`: glyph offsets are each digit's centre from `x`, `baseline` the
    top of their em box), so a viewer reads them as part of the vertical line."""
    natural = sum(face.advance(ch) for ch in digits)
    scale = min(1.0, TCY_WIDTH / natural) if natural > 0 else 1.0
    s = round(size * scale, 3)
    top = cell_top + (size - s) / 2  # the digits' em box centred in the cell
    glyphs, x = [], -natural * s / 2
    for ch in digits:
        w = face.advance(ch) * s
        glyphs.append((ch, round(x + w / 2, 3)))
        x += w
    return TextLine(round(centre, 3), round(top, 3), face.key + VERTICAL_SUFFIX, s,
                    tuple(glyphs), color, role, story, at, mode="t")


HEADLINE_PITCH = 1.15  # a vertical headline's columns, in em of its size
DISPLAY_GAP = 0.3  # em of the headline: between the kicker, headline and subtitle columns


def vertical_headline(setter: Setter, article: Article, rect: Rect, writing, *,
                      headline_size: float | None, continued: bool, story: str,
                      byline: bool = False) -> tuple[list[TextLine], float]:
    """A vertical headline block (竖题) at the right of `rect`: kicker, headline, subtitle (and,
    with `byline`, the byline) each in vertical columns, right to left, from the top; returns the items and the width it takes
    (the body is set in what is left, to its left)."""
    display: list[tuple[str, str, float | None]] = []
    if continued:
        if article.headline:
            display.append(("continued_headline", article.headline, headline_size))
    else:
        for style, text, size in (("kicker", article.kicker, None),
                                  ("headline", article.headline, headline_size),
                                  ("subtitle", article.subtitle, None)):
            if text:
                display.append((style, text, size))
        if byline and article.byline:  # a vertical module's byline: a column of its own
            display.append(("byline", article.byline, None))
    items: list[TextLine] = []
    right = rect.right
    pad = 0.25 * setter.styles["body"].size
    for k, (style, text, size) in enumerate(display):
        size = size or setter.styles[style].size
        if k:
            right -= DISPLAY_GAP * size
        para = vertical_paragraph(setter, text, style, writing, size=size, display=True)
        lines = balanced_vertical_lines(para, rect.h - 2 * pad)
        for line in lines:
            centre = right - size / 2
            items.extend(place_vertical(setter, line, centre, rect.y + pad, style, size=size,
                                        role=style, story=story))
            right -= size * HEADLINE_PITCH
    width = rect.right - right + (setter.styles["body"].size if display else 0.0)
    return items, width


def balanced_vertical_lines(para: VerticalParagraph, length: float) -> Sequence[VerticalLine]:
    """A display paragraph in as few vertical lines as `length` allows, of even length."""
    lines = para.lines(length, align="left") or []
    if len(lines) <= 1:
        return lines
    count, low, high = len(lines), length / len(lines), length
    for _ in range(12):
        mid = (low + high) / 2
        trial = para.lines(mid, align="left") or []
        if len(trial) <= count:
            high, lines = mid, trial
        else:
            low = mid
    return lines

