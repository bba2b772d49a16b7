"""Vertical text in the PDF.

- The vertical forms of a face (its key marked `|V`, fonts/harfbuzz.VERTICAL_SUFFIX) are a Type0
  font of their own with Identity-V encoding: each character drawn as the glyph HarfBuzz gives it
  in a top-to-bottom run (GSUB `vert`/`vrt2`), the CIDFont's W2 giving every glyph whose
  vertical metrics differ from the default DW2 [880 -1000] its advance and origin (vmtx, VORG).
  A viewer then advances down the page itself, and extracts the text in reading order.
- A vertical line (`TextLine.mode == "v"`) is a text matrix at the line's centre and top for its
  first glyph, then one for the rest and one TJ whose numbers move the pen further down (in vertical writing a TJ number subtracts from the
  downward advance's negative: a positive number moves down), with `Tc` the line's usual gap
  (negative: Tc is added to a y that grows upwards).
- A rotated run (`mode == "r"`, Latin words and long numbers) is a horizontal line under the text
  matrix [0 -1 1 0 x y]: its x axis points down the page, its glyphs' tops to the right (90°
  clockwise).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, Mapping, Sequence

from .fontembed import Subset, make_subset
from ..fonts.harfbuzz import FaceData, data_of_key

DEFAULT_VY, DEFAULT_W1Y = 880.0, -1000.0  # the PDF's DW2 default
PRECISION = 0.05  # 1/1000 em, as textdraw


class VerticalForms:
    """A face whose cmap answers with the vertical forms (what make_subset asks of a face)."""

    def __init__(self, data: FaceData):
        self._data = data

    def glyph(self, code: int) -> int | None:
        return self._data.vertical_glyph(code)

    def __getattr__(self, name: str):
        return getattr(self._data, name)


def vertical_subset(data: FaceData, chars: list[str], resource: str) -> Subset:
    """The face's vertical forms of `chars` subset, with their vertical metrics (code, w1y, vx,
    vy) where they are not DW2's."""
    subset = make_subset(VerticalForms(data), chars, resource)  # type: ignore[arg-type]
    metrics: dict[int, tuple[int, float, float, float]] = {}
    for ch in chars:
        gid = data.vertical_glyph(ord(ch)) or 0
        code = int(subset.glyphs[ch].hex, 16)
        w0 = subset.glyphs[ch].width
        vx, vy = data.vertical_origin(gid)
        w1y = -data.vertical_advance(gid)
        if (round(w1y, 3), round(vy, 3), round(vx, 3)) != (DEFAULT_W1Y, DEFAULT_VY, round(w0 / 2, 3)):
            metrics[code] = (code, round(w1y, 3), round(vx, 3), round(vy, 3))
    return replace(subset, vertical=tuple(sorted(metrics.values())), is_vertical=True)


def w2_array(vertical: Sequence[tuple[int, float, float, float]]) -> list:
    """The CIDFont /W2 array: `c [w1y vx vy]` for each glyph off the default."""
    out: list = []
    for code, w1y, vx, vy in vertical:
        out += [code, [w1y, vx, vy]]
    return out


def _num(v: float, places: int = 3) -> str:
    text = f"{v:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


_ADVANCE: dict[tuple[str, str], float] = {}


def _v_advance(font: str, ch: str) -> float:
    """The vertical advance of `ch` in the vertical forms of face `font`, 1/1000 em."""
    found = _ADVANCE.get((font, ch))
    if found is None:
        data = data_of_key(font)
        found = _ADVANCE[(font, ch)] = data.vertical_advance(data.vertical_glyph(ord(ch)) or 0)
    return found


def vertical_operators(line, table: Mapping[str, tuple[str, float]], x: float, y: float,
                       spacing: float | None) -> tuple[str, float]:
    """Operators for a vertical line (mode "v") whose first glyph's vertical origin is at page
    (x, y) (PDF coordinates); returns them and the character spacing now in force.

    The line's first glyph is a text object of its own: pdfium takes consecutive text objects
    that start level (within half a glyph) for one line and sorts them left to right, which
    would read the vertical lines of a tier backwards; starting each line's second object a
    glyph lower keeps every line apart, in the stream's order, the reading order."""
    glyphs = line.glyphs
    size = line.size
    scale, inv = size / 1000.0, 1000.0 / size
    first, y_first = glyphs[0]
    head = f"1 0 0 1 {_num(x)} {_num(y - y_first)} Tm [<{table[first][0]}>] TJ"
    if len(glyphs) == 1:
        return head, spacing or 0.0
    second, y_second = glyphs[1]
    gap = 0.0
    if len(glyphs) > 2:
        gap = round(glyphs[2][1] - y_second - _v_advance(line.font, second) * scale, 4)
    tc = -gap
    parts = [head, f" 1 0 0 1 {_num(x)} {_num(y - y_second)} Tm"]
    if spacing is None or abs(tc - spacing) > 1e-9:
        parts.append(f" {_num(tc, 4)} Tc")
    parts += [" [<", table[second][0]]
    pen = y_second + _v_advance(line.font, second) * scale + gap
    for ch, down in glyphs[2:]:
        adjust = (down - pen) * inv
        if adjust > PRECISION or adjust < -PRECISION:
            parts.append(f">{round(adjust, 3):g}<")
            pen = down
        parts.append(table[ch][0])
        pen += _v_advance(line.font, ch) * scale + gap
    parts.append(">] TJ")
    return "".join(parts), tc


def rotated_operators(line, table: Mapping[str, tuple[str, float]], x: float, y: float,
                      spacing: float | None, horizontal: Callable, fonts: tuple[str, str],
                      upright: Mapping[str, tuple[str, float]] | None) -> tuple[str, float]:
    """Operators for a run rotated 90° clockwise (mode "r"): the horizontal line operators
    (`horizontal`, textdraw's) under a rotated text matrix at page (x, y), in a marked-content
    span whose ActualText is the run. The span opens with the run's first character drawn
    invisibly (Tr 3) in the face's vertical forms at the line's centre (`fonts`: the resource
    names of the vertical forms and of the face; `upright`: the vertical forms' glyph table),
    so that a viewer files the run's text with the vertical line it is part of, in order."""
    x_first = line.glyphs[0][1]
    glyphs = tuple((ch, gx - x_first) for ch, gx in line.glyphs)
    ops, tc = horizontal(glyphs, table, line.size, 0.0, 0.0, spacing)
    plain = "1 0 0 1 0 0 Tm"
    if not ops.startswith(plain):
        raise AssertionError(f"unexpected line head {ops[:30]!r}")
    text = "".join(ch for ch, _ in line.glyphs)
    head = f"/Span <</ActualText <FEFF{text.encode('utf-16-be').hex().upper()}>>> BDC "
    if upright is not None and line.glyphs[0][0] in upright:
        data = data_of_key(line.font)
        m = data.vertical_metrics()
        centre = x + (m.ascent + m.descent) / 2 / data.upem * line.size
        head += (f"3 Tr /{fonts[0]} {_num(line.size)} Tf 1 0 0 1 {_num(centre)} "
                 f"{_num(y - x_first)} Tm [<{upright[line.glyphs[0][0]][0]}>] TJ 0 Tr "
                 f"/{fonts[1]} {_num(line.size)} Tf ")
    return head + f"0 -1 1 0 {_num(x)} {_num(y - x_first)} Tm" + ops[len(plain):] + " EMC", tc


def tcy_operators(line, table: Mapping[str, tuple[str, float]], x: float, y: float,
                  spacing: float | None) -> tuple[str, float]:
    """Operators for a 縱中橫 number (mode "t"): each digit of the vertical forms at its own
    centre (`x` + its offset) and the em box's top `y`, inside a marked-content span whose
    ActualText is the number, so that a viewer reads it once, in the vertical line's order."""
    text = "".join(ch for ch, _ in line.glyphs)
    parts = [f"/Span <</ActualText <FEFF{text.encode('utf-16-be').hex().upper()}>>> BDC"]
    tc = 0.0
    if spacing is None or abs(spacing) > 1e-9:
        parts.append("0 Tc")
    for ch, dx in line.glyphs:
        parts.append(f"1 0 0 1 {_num(x + dx)} {_num(y)} Tm [<{table[ch][0]}>] TJ")
    parts.append("EMC")
    return " ".join(parts), tc
