"""Setting text in a named style: the bridge between the spec's styles/fonts and the composer."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from .compose import Align, ComposedLine, compose_paragraph
from .model import Style, Typography
from .plan import BLACK, CMYK, TextLine
from .text import fullwidth


@dataclass(frozen=True)
class Setter:
    faces: Mapping[str, object]  # role → Face (fonts.Face)
    styles: Mapping[str, Style]
    typography: Typography

    def face(self, style: str):
        return self.faces[self.styles[style].font]

    def prepare_text(self, text: str) -> str:
        return fullwidth(text) if self.typography.fullwidth_punctuation else text

    def lines(self, text: str, style: str, width: float, *, align: Align = "left",
              size: float | None = None, indent: float = 0.0) -> list[ComposedLine]:
        st = self.styles[style]
        return compose_paragraph(
            self.prepare_text(text), self.face(style), size or st.size, width, indent=indent,
            align=align, prohibition=self.typography.prohibition,
            latin_spacing=self.typography.latin_spacing)

    def balanced(self, text: str, style: str, width: float, *, size: float | None = None,
                 align: Align = "center") -> list[ComposedLine]:
        """Display lines of even length (headlines): the narrowest measure that needs no more lines
        than the full width does, so a two-line headline is not one full line and a stub."""
        full = self.lines(text, style, width, align=align, size=size)
        if len(full) <= 1:
            return full
        lo, hi = width / len(full), width
        for _ in range(12):
            mid = (lo + hi) / 2
            if len(self.lines(text, style, mid, size=size)) <= len(full):
                hi = mid
            else:
                lo = mid
        narrow = self.lines(text, style, hi, align="left", size=size)
        shift = {"center": (width - hi) / 2, "right": width - hi}.get(align, 0.0)
        return [_shift_line(line, shift + _align_offset(line, hi, align)) for line in narrow]

    def place(self, line: ComposedLine, x: float, baseline: float, style: str, *,
              size: float | None = None, color: CMYK = BLACK, role: str = "",
              story: str | None = None) -> TextLine:
        return TextLine(x, baseline, self.face(style).rl_name, size or self.styles[style].size,
                        line.glyphs, color, role or style, story)


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
