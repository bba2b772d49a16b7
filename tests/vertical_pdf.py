"""Reading vertical text back from a PDF we wrote, independently of the writer: the page's content
stream parsed with pikepdf and interpreted for text (Tf, Tm, Tc, Tr, TJ, marked-content spans
with ActualText), each font's encoding (Identity-H or -V), widths (W, DW), vertical metrics (W2,
DW2) and ToUnicode read from its dictionaries. Coordinates on the trimmed page, origin top-left,
y down, pt, like layout.model.grid.

A placed glyph says how it was drawn: `vertical` (a font with Identity-V: upright, advancing down),
`rotated` (a horizontal font under a text matrix turned 90° clockwise) or plain horizontal, and
the ActualText of the span it is in (縱中橫 numbers and rotated runs are in one).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from pdftext import w_array


@dataclass(frozen=True)
class Placed:
    text: str
    x: float  # the pen: a vertical glyph's vertical origin (top centre of its em cell), else origin
    y: float
    size: float
    vertical: bool
    rotated: bool
    advance: float  # pt along the writing direction (down for vertical and rotated glyphs)
    width: float  # the horizontal advance, pt
    span: str | None  # ActualText of the enclosing span
    invisible: bool
    ascent: float  # the font's Ascent/Descent, em (a rotated glyph's centre line)
    descent: float

    @property
    def top(self) -> float:
        return self.y

    @property
    def bottom(self) -> float:
        return self.y + self.advance if (self.vertical or self.rotated) else self.y

    @property
    def centre(self) -> float:
        """The centre line (x) of the vertical line the glyph belongs to."""
        if self.rotated:
            return self.x + (self.ascent + self.descent) / 2 * self.size
        return self.x


@dataclass
class _Font:
    vertical: bool
    widths: dict[int, float]
    default: float
    w1y: dict[int, float]
    default_w1y: float
    unicode: dict[int, str]
    ascent: float
    descent: float


def _font(font: pikepdf.Dictionary) -> _Font:
    cid = font.DescendantFonts[0]
    widths = w_array(list(cid.get("/W", [])))
    w1y: dict[int, float] = {}
    items = list(cid.get("/W2", []))
    k = 0
    while k < len(items):
        first = int(items[k])
        if isinstance(items[k + 1], pikepdf.Array):
            vals = [float(v) for v in items[k + 1]]
            for n in range(0, len(vals), 3):
                w1y[first + n // 3] = vals[n]
            k += 2
        else:
            for code in range(first, int(items[k + 1]) + 1):
                w1y[code] = float(items[k + 2])
            k += 5
    dw2 = [float(v) for v in cid.get("/DW2", [880, -1000])]
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    unicode = {int(code, 16): bytes.fromhex(text).decode("utf-16-be")
               for code, text in re.findall(r"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]+)>", cmap)}
    desc = cid.FontDescriptor
    return _Font(str(font.Encoding) == "/Identity-V", widths, float(cid.get("/DW", 1000)), w1y,
                 dw2[1], unicode, float(desc.Ascent) / 1000, float(desc.Descent) / 1000)


def page_text(path: Path) -> list[list[Placed]]:
    """Every glyph drawn on each page, in stream order."""
    out = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            box = [float(v) for v in page.obj.get("/TrimBox", page.obj.MediaBox)]
            fonts = {str(name): _font(f) for name, f in page.Resources.get("/Font", {}).items()}
            out.append(_walk(pikepdf.parse_content_stream(page), fonts, box[0], box[3]))
    return out


def _walk(ops, fonts: dict[str, _Font], left: float, top: float) -> list[Placed]:
    """Long because it is one interpreter loop over the text operators."""
    placed: list[Placed] = []
    font = None
    size = tc = 0.0
    tr = 0
    tm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    pen = 0.0
    spans: list[str | None] = []
    for operands, op in ops:
        op = str(op)
        if op == "Tf":
            font, size = fonts[str(operands[0])], float(operands[1])
        elif op == "Tm":
            tm = tuple(float(v) for v in operands)
            pen = 0.0
        elif op == "Tc":
            tc = float(operands[0])
        elif op == "Tr":
            tr = int(operands[0])
        elif op == "BDC":
            props = operands[1] if len(operands) > 1 else None
            text = None
            if isinstance(props, pikepdf.Dictionary) and "/ActualText" in props:
                text = str(props.ActualText)
            spans.append(text)
        elif op == "EMC":
            if spans:
                spans.pop()
        elif op == "TJ" and font is not None:
            for part in operands[0]:
                if not isinstance(part, pikepdf.String):
                    # a TJ number is subtracted from the coordinate along the writing direction:
                    # rightwards for horizontal text, upwards (so the pen goes down) for vertical
                    pen += (1 if font.vertical else -1) * float(part) / 1000 * size
                    continue
                data = bytes(part)
                for i in range(0, len(data), 2):
                    code = int.from_bytes(data[i:i + 2], "big")
                    w0 = font.widths.get(code, font.default) / 1000 * size
                    w1 = -font.w1y.get(code, font.default_w1y) / 1000 * size
                    a, b, c, d, e, f = tm
                    # the pen along the text x axis (horizontal) or down the text y axis (vertical)
                    tx, ty = (0.0, -pen) if font.vertical else (pen, 0.0)
                    px, py = a * tx + c * ty + e, b * tx + d * ty + f
                    rotated = not font.vertical and abs(a) < 1e-6 and b < 0
                    placed.append(Placed(font.unicode.get(code, ""), px - left, top - py, size,
                                         font.vertical, rotated, w1 if font.vertical else w0, w0,
                                         next((s for s in reversed(spans) if s), None), tr == 3,
                                         font.ascent, font.descent))
                    pen += (w1 - tc) if font.vertical else (w0 + tc)
    return placed


@dataclass
class VLine:
    """A vertical line as read back: its centre, and its pieces top to bottom (a piece: the text,
    its top and bottom, and how it was drawn: "v", "r" rotated, "t" 縱中橫)."""

    centre: float
    pieces: list[tuple[str, float, float, str]]

    @property
    def text(self) -> str:
        return "".join(p[0] for p in self.pieces)

    @property
    def top(self) -> float:
        return self.pieces[0][1]

    @property
    def bottom(self) -> float:
        return self.pieces[-1][2]


def vertical_lines(glyphs: list[Placed], x0: float, x1: float, y0: float, y1: float,
                   size: float) -> list[VLine]:
    """The vertical lines of body `size` whose centre lies in the rectangle, right to left; a
    span's glyphs (rotated run, 縱中橫 number) count once, as its ActualText."""
    lines: dict[float, list] = {}
    for g in glyphs:
        if g.invisible or not (g.vertical or g.rotated):
            continue
        if abs(g.size - size) > 0.01 and g.span is None:
            continue
        cx = g.centre
        if not (x0 <= cx <= x1 and y0 - 0.5 <= g.top <= y1):
            continue
        key = round(cx * 2) / 2
        near = next((k for k in lines if abs(k - cx) < 0.3 * size), key)
        if g.span is not None:
            kind = "r" if g.rotated else "t"
            group = lines.setdefault(near, [])
            if group and group[-1][3] == kind and group[-1][0] == g.span \
                    and g.top <= group[-1][2] + 0.5 * size:
                t, top, bottom, k = group[-1]
                group[-1] = (t, top, max(bottom, g.bottom), k)
                continue
            cell = (g.top, g.bottom) if kind == "r" else (g.top - (size - g.size) / 2,
                                                        g.top - (size - g.size) / 2 + size)
            group.append((g.span, cell[0], cell[1], kind))
            continue
        lines.setdefault(near, []).append((g.text, g.top, g.bottom, "v"))
    out = []
    for k, pieces in lines.items():  # one centre holds a line of each tier: split at the gaps
        run: list = []
        for piece in sorted(pieces, key=lambda p: p[1]):
            if run and piece[1] > run[-1][2] + 0.6 * size:
                out.append(VLine(k, run))
                run = []
            run.append(piece)
        if run:
            out.append(VLine(k, run))
    return sorted(out, key=lambda line: (-line.centre, line.top))


def filled_dots(path: Path, page_index: int, largest: float) -> list[tuple[float, float, float]]:
    """Filled circles (four curves from a moveto, then `f`) of radius at most `largest` pt on a
    page: (centre x, centre y, radius), trim coordinates."""
    out = []
    with pikepdf.open(path) as pdf:
        page = pdf.pages[page_index]
        box = [float(v) for v in page.obj.get("/TrimBox", page.obj.MediaBox)]
        points: list[tuple[float, float]] = []
        for operands, op in pikepdf.parse_content_stream(page):
            op = str(op)
            if op == "m":
                points = [(float(operands[0]), float(operands[1]))]
            elif op == "c":
                points += [(float(operands[k]), float(operands[k + 1])) for k in (0, 2, 4)]
            elif op == "f" and len(points) == 13:
                xs, ys = [p[0] for p in points], [p[1] for p in points]
                r = (max(xs) - min(xs)) / 2
                if 0 < r <= largest:
                    out.append(((max(xs) + min(xs)) / 2 - box[0],
                                box[3] - (max(ys) + min(ys)) / 2, r))
                points = []
            else:
                points = [] if op not in ("m", "c") else points
    return out


@dataclass
class Stroke:
    """A stroked path as read back (trim coordinates, y down): its points and whether it has
    curves (a wave) or is made of straight segments."""

    points: list[tuple[float, float]]
    curved: bool
    width: float

    @property
    def xs(self) -> tuple[float, float]:
        return min(p[0] for p in self.points), max(p[0] for p in self.points)

    @property
    def ys(self) -> tuple[float, float]:
        return min(p[1] for p in self.points), max(p[1] for p in self.points)


def strokes(path: Path, page_index: int) -> list[Stroke]:
    """Every open path stroked with `S` on a page (outside form XObjects)."""
    out = []
    with pikepdf.open(path) as pdf:
        page = pdf.pages[page_index]
        box = [float(v) for v in page.obj.get("/TrimBox", page.obj.MediaBox)]
        points: list[tuple[float, float]] = []
        curved, width = False, 1.0
        for operands, op in pikepdf.parse_content_stream(page):
            op = str(op)
            if op == "w":
                width = float(operands[0])
            elif op == "m":
                points, curved = [(float(operands[0]), float(operands[1]))], False
            elif op == "l":
                points.append((float(operands[0]), float(operands[1])))
            elif op == "c":
                points += [(float(operands[k]), float(operands[k + 1])) for k in (0, 2, 4)]
                curved = True
            elif op == "S" and points:
                out.append(Stroke([(x - box[0], box[3] - y) for x, y in points], curved, width))
                points = []
            elif op not in ("m", "l", "c"):
                points = []
    return out
