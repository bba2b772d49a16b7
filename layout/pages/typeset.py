"""Setting text in a named style: the bridge between the spec's styles/fonts and the composer."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from ..compose.display import balance
from ..compose.paragraph import Paragraph
from ..compose.rules import PHRASE_SEPARATOR
from ..compose.types import Align, Breaking, ComposedLine
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
        between phrases where possible (compose.display.balance)."""
        widest = self._widest_phrase(text, style, width, size)
        para = self.paragraph(text, style, size=size, display=True, phrases_only=widest > 0)
        return balance(para, width, widest, align, self.breaking)

    def place(self, line: ComposedLine, x: float, baseline: float, style: str, *,
              size: float | None = None, color: CMYK = BLACK, role: str = "",
              story: str | None = None) -> TextLine:
        return TextLine(x, baseline, self.face(style).key, size or self.styles[style].size,
                        line.glyphs, color, role or style, story)


# Styles whose text is a template the desk wrote character by character: set as written, with no
# automatic Han–Latin gap (`（轉A3版）`, not `（轉 A3 版）`).
AS_WRITTEN = frozenset({"jump"})
