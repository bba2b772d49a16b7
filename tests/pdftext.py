"""Reading back the PDFs we wrote: glyphs with positions (pypdfium2), grouped into lines and modules.

Coordinates are converted to the trimmed page, origin top-left, y down, in pt, like layout.model.grid.
pdfplumber is not used: it misplaces glyphs set with character spacing (Tc).
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw


@dataclass(frozen=True)
class Glyph:
    ch: str
    x: float  # left of the advance box
    right: float
    baseline: float
    size: float
    font: str


def page_glyphs(path: Path) -> list[list[Glyph]]:
    pdf = pdfium.PdfDocument(str(path))
    pages = []
    for page in pdf:
        left, bottom, right, top = page.get_trimbox()
        tp = page.get_textpage()
        out = []
        buf = ctypes.create_string_buffer(256)
        for i in range(tp.count_chars()):
            ch = tp.get_text_range(i, 1)
            if not ch or ch.isspace():
                continue
            ox, oy = ctypes.c_double(), ctypes.c_double()
            raw.FPDFText_GetCharOrigin(tp.raw, i, ox, oy)
            l, b, r, t = tp.get_charbox(i, loose=True)
            size = raw.FPDFText_GetFontSize(tp.raw, i)
            n = raw.FPDFText_GetFontInfo(tp.raw, i, buf, 256, None)
            font = buf.raw[: max(0, n - 1)].decode("latin-1")
            out.append(Glyph(ch, l - left, r - left, top - oy.value, round(size, 2), font))
        pages.append(out)
    return pages


@dataclass(frozen=True)
class Line:
    glyphs: tuple[Glyph, ...]

    @property
    def text(self) -> str:
        return "".join(g.ch for g in self.glyphs)

    @property
    def left(self) -> float:
        return self.glyphs[0].x

    @property
    def right(self) -> float:
        return self.glyphs[-1].right

    @property
    def baseline(self) -> float:
        return self.glyphs[0].baseline


def lines_in(glyphs: list[Glyph], x0: float, x1: float, y0: float, y1: float,
             size: float | None = None) -> list[Line]:
    """Glyphs whose box centre lies in the rectangle, as lines (same baseline), top to bottom."""
    inside = [g for g in glyphs if x0 <= (g.x + g.right) / 2 <= x1 and y0 <= g.baseline - g.size * 0.4 <= y1
              and (size is None or abs(g.size - size) < 0.3)]
    rows: dict[float, list[Glyph]] = {}
    for g in inside:
        key = round(g.baseline * 2) / 2
        rows.setdefault(key, []).append(g)
    return [Line(tuple(sorted(rows[k], key=lambda g: g.x))) for k in sorted(rows)]
