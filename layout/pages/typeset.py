"""Setting text in a named style: the bridge between the spec's styles/fonts and the composer."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from ..compose.composer import PHRASE_SEPARATOR, Align, Breaking, ComposedLine, Paragraph, phrase_break_cost
from ..model.issue import Style, Typography
from .plan import BLACK, CMYK, TextLine
from ..util.text import fullwidth


@dataclass(frozen=True)
class Setter:
    faces: Mapping[str, object]  # role → Face (fonts.Face)
    styles: Mapping[str, Style]
    typography: Typography
    breaking: Breaking = "total-fit"  # "first-fit" only to measure total-fit against it

    def face(self, style: str):
        return self.faces[self.styles[style].font]

    def prepare_text(self, text: str) -> str:
        return fullwidth(text) if self.typography.fullwidth_punctuation else text

    def lines(self, text: str, style: str, width: float, *, align: Align = "left",
              size: float | None = None, indent: float = 0.0,
              display: bool = False) -> list[ComposedLine]:
        para = self.paragraph(text, style, size=size, display=display)
        return para.set(width, indent=indent, align=align, method=self.breaking)

    def lines_exactly(self, text: str, style: str, width: float, count: int, *,
                      indent: float = 0.0) -> list[ComposedLine] | None:
        """`text` justified in exactly `count` lines, or None when that needs lines looser or
        tighter than the desk accepts (flow.py's widow control asks for one line more or less)."""
        para = self.paragraph(text, style)
        breaks = para.breaks_exactly(width, count, indent)
        return None if breaks is None else para.set_breaks(breaks, width, indent=indent)

    def natural_width(self, text: str, style: str, *, size: float | None = None) -> float:
        """The width `text` takes set on one line, unjustified (pt)."""
        lines = self.lines(text, style, 1e6, align="left", size=size)
        return max((line.width for line in lines), default=0.0)

    def paragraph(self, text: str, style: str, *, size: float | None = None,
                  display: bool = False, phrases_only: bool = False) -> Paragraph:
        spacing = 0.0 if style in AS_WRITTEN else self.typography.latin_spacing
        return Paragraph(self.prepare_text(text), self.face(style), size or self.styles[style].size,
                         prohibition=self.typography.prohibition, latin_spacing=spacing,
                         display=display, phrases_only=phrases_only)

    def _widest_phrase(self, text: str, style: str, width: float, size: float | None) -> float:
        """When the writer separated the phrases of a display line with U+3000 and each fits a
        line, the width of the widest (the line then breaks only there); else 0."""
        phrases = [p for p in text.strip().split(PHRASE_SEPARATOR) if p]
        if len(phrases) < 2:
            return 0.0
        widest = max(self.natural_width(p, style, size=size) for p in phrases)
        return widest if widest <= width + 0.01 else 0.0

    def balanced(self, text: str, style: str, width: float, *, size: float | None = None,
                 align: Align = "center") -> list[ComposedLine]:
        """Display lines (headlines): as few lines as the full width needs, of even length, broken
        between phrases where possible. Tries measures from the narrowest that keeps the line
        count up to the full width and keeps the best by phrase breaks and evenness."""
        widest = self._widest_phrase(text, style, width, size)
        para = self.paragraph(text, style, size=size, display=True, phrases_only=widest > 0)
        count = len(para.breaks(width, method=self.breaking))
        if count <= 1:
            return para.set(width, align=align, method=self.breaking)
        # No measure narrower than the widest phrase: there the phrase would be cut.
        lo, hi = max(width / count, min(widest, width)), width
        for _ in range(10):
            mid = (lo + hi) / 2
            if len(para.breaks(mid, method=self.breaking)) <= count:
                hi = mid
            else:
                lo = mid
        best, best_score, best_w = None, INF_SCORE, width
        for k in range(DISPLAY_MEASURES):
            measure = hi + (width - hi) * k / (DISPLAY_MEASURES - 1)
            lines = [_trim_separators(line) for line in
                     para.set(measure, align="left", method=self.breaking)]
            if len(lines) > count:
                continue
            score = _display_score(lines, para.prepared.text, para.size)
            if best is None or score < best_score - 1e-9:
                best, best_score, best_w = lines, score, measure
        shift = {"center": (width - best_w) / 2, "right": width - best_w}.get(align, 0.0)
        return [_shift_line(line, shift + _align_offset(line, best_w, align)) for line in best]

    def place(self, line: ComposedLine, x: float, baseline: float, style: str, *,
              size: float | None = None, color: CMYK = BLACK, role: str = "",
              story: str | None = None) -> TextLine:
        return TextLine(x, baseline, self.face(style).key, size or self.styles[style].size,
                        line.glyphs, color, role or style, story)


# Styles whose text is a template the desk wrote character by character: set as written, with no
# automatic Han–Latin gap (`（轉A3版）`, not `（轉 A3 版）`).
AS_WRITTEN = frozenset({"jump"})
DISPLAY_MEASURES = 6
INF_SCORE = float("inf")
MID_PHRASE_COST = 3.0  # em of unevenness that a break inside a phrase is worth


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
