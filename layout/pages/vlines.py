"""Vertical lines as plan items: a composed vertical line (compose/vertical.py) becomes one
TextLine per piece of one way of drawing — the vertical forms (`mode="v"`, drawn Identity-V), a
run rotated 90° clockwise (`mode="r"`), a 縱中橫 number upright across one em (`mode="t"`) — and
vertical display lines (竖题: headline, kicker, subtitle) set beside the body."""
from __future__ import annotations

from typing import Sequence

from ..compose.vertical import (VerticalLine, VerticalMetrics, VerticalParagraph, VerticalRun,
                                glyph_pieces)
from ..fonts.harfbuzz import VERTICAL_SUFFIX
from ..model.grid import Rect
from ..model.issue import Article, Colour
from ..model.story import SPAN_STYLES
from .marks import vertical_marks
from .furniture import display_texts
from .plan import BLACK, Dots, Ink, MarkLine, Placement, TextLine, ink
from .typeset import DOT_RADIUS, Setter, _dotted

SPAN_TAG = "#"  # style#run: the tag of a marked span's run
TCY_WIDTH = 0.96  # em: a 縱中橫 number wider than this is set smaller to fit its em
_METRICS: dict[str, VerticalMetrics] = {}


def vertical_metrics(face) -> VerticalMetrics:
    """The face measured for vertical text, once per face key."""
    found = _METRICS.get(face.key)
    if found is None or found.face is not face:
        found = _METRICS[face.key] = VerticalMetrics(face)
    return found


def vertical_paragraph(setter: Setter, text: str | Sequence[tuple[str, str]], style: str,
                       writing, *, size: float | None = None, display: bool = False,
                       inset: float = 0.0) -> VerticalParagraph:
    """Text (or runs: (text, style) each) composed for vertical lines; `size` overrides the size
    of `style` (a headline_size), full-width punctuation decided on the whole text."""
    runs = ((text, style),) if isinstance(text, str) else tuple(text)
    whole = setter.prepare_text("".join(t for t, _ in runs))
    pieces, at = [], 0
    for k, (piece, name) in enumerate(runs):  # `fullwidth` keeps every character's place
        run_size = size if size and name == style else setter.styles[name].size
        # a marked span's tag names the run too, so that the next span is a piece of its own
        tag = f"{name}{SPAN_TAG}{k}" if name in SPAN_STYLES else name
        pieces.append(VerticalRun(whole[at:at + len(piece)], vertical_metrics(setter.face(name)),
                                  run_size, tag))
        at += len(piece)
    t = setter.typography
    return VerticalParagraph(pieces, tcy_max_digits=writing.tcy_max_digits,
                             prohibition=t.prohibition, latin_spacing=t.latin_spacing,
                             display=display, inset=inset)


def place_vertical(setter: Setter, line: VerticalLine, centre: float, top: float, style: str, *,
                   size: float | None = None, role: str = "", story: str | None = None,
                   at: Placement | None = None, color: Ink | None = None,
                   pitch: float | None = None) -> list[TextLine | Dots | MarkLine]:
    """The line's pieces on the page: its em boxes centred on `centre`, its first at `top`; each
    piece in its glyphs' style (a run of `strong`, `emphasis`), 着重号 to the right of the
    characters of a style with `mark: dots` (clreq: right of the line in vertical writing), 专名号
    and 书名号 (`mark: line`, `wave`) to their left."""
    role = role or style
    out: list[TextLine | Dots | MarkLine] = []
    digits = iter(line.tcy)
    cells: list[tuple[str, float, float]] = []  # the marked run (专名号, 书名号) being gathered
    marking: tuple = ()  # its (style's mark, size, colour, run tag)
    for kind, a, b in glyph_pieces(line):
        name = line.tags[a].partition(SPAN_TAG)[0] if line.tags and line.tags[a] else style
        st = setter.styles[name]
        s = size if size and name == style else st.size
        colour = color if color is not None and name == style else \
            BLACK if st.colour is None else ink(st.colour)
        face = setter.face(name)
        glyphs = line.glyphs[a:b]
        y0 = glyphs[0][1]
        tag = line.tags[a] if line.tags else ""  # a span's run: one mark to a span
        mark = (st.mark, s, colour, tag) if st.mark in ("line", "wave") else ()
        if mark != marking:
            out.extend(_marks(cells, marking, centre))
            cells, marking = [], mark
        if mark:
            cells += [("0" if kind == "tcy" else ch, top + y,  # a 縱中橫 number is marked
                       top + y + (face.advance(ch) * s if kind == "rotated" else s))
                      for ch, y in glyphs]
        if kind == "tcy":
            out.append(_tcy(face, next(digits, ""), centre, top + y0, s, colour, role, story,
                            at))
            continue
        rel = tuple((ch, round(y - y0, 3)) for ch, y in glyphs)
        if kind == "upright":
            out.append(TextLine(centre, top + y0, face.key + VERTICAL_SUFFIX, s, rel, colour,
                                role, story, at, mode="v"))
            if st.mark == "dots":
                out.append(_dots(glyphs, centre, top, s, pitch or 1.5 * s, colour))
        else:  # rotated: the Latin baseline left of the centre by half the em box's height
            shift = (face.ascent + face.descent) / 2 * s
            out.append(TextLine(centre - shift, top + y0, face.key, s, rel, colour, role,
                                story, at, mode="r"))
    out.extend(_marks(cells, marking, centre))
    return out


def _marks(cells, marking: tuple, centre: float) -> list[MarkLine]:
    """专名号/书名号 left of a run of marked cells (clreq: left of the line in vertical text)."""
    if not cells:
        return []
    kind, size, colour, _ = marking
    return vertical_marks(cells, centre - size / 2, size, kind, colour)


def _dots(glyphs, centre: float, top: float, size: float, pitch: float, colour: Ink) -> Dots:
    """着重号 of upright characters: right of each, midway to the next line."""
    r = DOT_RADIUS * size
    x = centre + size / 2 + max((pitch - size) / 2, 2.2 * r)
    return Dots(tuple((round(x, 3), round(top + y + size / 2, 3)) for ch, y in glyphs
                      if _dotted(ch)), round(r, 3), colour)


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
                      byline: bool = False,
                      colour: Colour | None = None) -> tuple[list[TextLine], float]:
    """A vertical headline block (竖题) at the right of `rect`: kicker, headline, subtitle (and,
    with `byline`, the byline) each in vertical columns, right to left, from the top; returns
    the items and the width it takes (the body is set in what is left, to its left). `colour` (the module's `headline_colour`)
    colours the headline only, as horizontally."""
    display = display_texts(article, headline_size, continued)
    if byline and article.byline and not continued:  # a vertical module's byline: its own column
        display.append(("byline", article.byline, None))
    items: list[TextLine] = []
    right = rect.right
    pad = 0.25 * setter.styles["body"].size
    own = None if colour is None else ink(colour)
    for k, (style, text, size) in enumerate(display):
        size = size or setter.styles[style].size
        if k:
            right -= DISPLAY_GAP * size
        para = vertical_paragraph(setter, text, style, writing, size=size, display=True)
        lines = balanced_vertical_lines(para, rect.h - 2 * pad)
        for line in lines:
            centre = right - size / 2
            items.extend(place_vertical(setter, line, centre, rect.y + pad, style, size=size,
                                        role=style, story=story,
                                        color=own if style.endswith("headline") else None))
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

