"""Reading back the PDFs we wrote: glyphs with positions (pypdfium2), grouped into lines and modules.

Coordinates are converted to the trimmed page, origin top-left, y down, in pt, like layout.model.grid.
pdfplumber is not used: it misplaces glyphs set with character spacing (Tc). A glyph's box is its
origin and advance (the width the PDF's font gives it), not pdfium's loose char box: that box is the
union of the advance box and the outline's control box, which for cubic (CFF) outlines can reach
past the advance (Noto Serif CJK's 小: control points to 1019/1000 em).
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


def w_array(items: list) -> dict[int, float]:
    """A CIDFont's /W (or /W2's first numbers) as code → width: `c [w1 w2 …]` and `c1 c2 w` forms."""
    import pikepdf

    w: dict[int, float] = {}
    k = 0
    while k < len(items):
        first = int(items[k])
        if isinstance(items[k + 1], pikepdf.Array):
            for n, v in enumerate(items[k + 1]):
                w[first + n] = float(v)
            k += 2
        else:
            for code in range(first, int(items[k + 1]) + 1):
                w[code] = float(items[k + 2])
            k += 3
    return w


def advance_widths(path: Path) -> dict[str, dict[str, float]]:
    """Per font (BaseFont without its subset tag and encoding suffix): character → advance in em,
    from the Type0 fonts' width arrays and ToUnicode maps."""
    import re

    import pikepdf

    widths: dict[str, dict[str, float]] = {}
    with pikepdf.open(path) as doc:
        for page in doc.pages:
            fonts = page.Resources.get("/Font", {})
            for font in fonts.values():
                if font.get("/Subtype") != "/Type0" or "/ToUnicode" not in font:
                    continue
                cid = font.DescendantFonts[0]
                name = str(cid.BaseFont)[1:].split("+")[-1]
                if name in widths:
                    continue
                default = float(cid.get("/DW", 1000))
                w = w_array(list(cid.get("/W", [])))
                cmap = font.ToUnicode.read_bytes().decode("latin-1")
                table = {}
                for code, text in re.findall(r"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]+)>", cmap):
                    ch = bytes.fromhex(text).decode("utf-16-be")
                    table[ch] = w.get(int(code, 16), default) / 1000
                widths[name] = table
    return widths


def page_glyphs(path: Path) -> list[list[Glyph]]:
    widths = advance_widths(path)
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
            advance = widths.get(font.split("+")[-1], {}).get(ch)
            x = ox.value - left
            right = x + advance * size if advance is not None else r - left
            out.append(Glyph(ch, x, right, top - oy.value, round(size, 2), font))
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


def cells(line: Line, gap: float = 4.0) -> list[list[Glyph]]:
    """A table row's glyphs split into cells where two neighbours are more than `gap` pt apart."""
    out, current = [], [line.glyphs[0]]
    for a, b in zip(line.glyphs, line.glyphs[1:]):
        if b.x - a.right > gap:
            out.append(current)
            current = []
        current.append(b)
    out.append(current)
    return out


def ink_under(pdf: Path, page_no: int, xobject_prefix: str, rect, out: Path) -> tuple[int, int]:
    """(darkest, lightest) pixel values (0–255) of `rect` (PDF user space, y up), 1 pt in from its
    edges, on page `page_no` rendered at 144 dpi with the XObjects named `xobject_prefix…` taken
    out (written to `out`): (255, 255) when nothing else is drawn there (on an ad, say)."""
    import pikepdf

    with pikepdf.open(pdf) as doc:
        page = doc.pages[page_no - 1]
        ops = [(o, op) for o, op in pikepdf.parse_content_stream(page)
               if not (str(op) == "Do" and str(o[0]).startswith(xobject_prefix))]
        assert len(ops) < len(pikepdf.parse_content_stream(page))
        page.Contents = doc.make_stream(pikepdf.unparse_content_stream(ops))
        top = float(page.mediabox[3])
        doc.save(out)
    bitmap = pdfium.PdfDocument(out)[page_no - 1].render(scale=2).to_pil().convert("L")
    x0, y0, x1, y1 = rect
    box = (round((x0 + 1) * 2), round((top - y1 + 1) * 2), round((x1 - 1) * 2), round((top - y0 - 1) * 2))
    return bitmap.crop(box).getextrema()
