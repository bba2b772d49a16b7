"""Text as PDF operators, written directly from the placed glyphs: per line one text matrix, one
character spacing (`Tc`, the line's usual gap) and one TJ array of 2-byte glyph codes with an
adjustment only where a glyph is not where the spacing alone would put it (a squeezed mark, a
Han–Latin gap, an indent). The widths the viewer adds are the font's width array (fontembed.py),
so every glyph lands where composition placed it.
"""
from __future__ import annotations

import os
from typing import Callable, Mapping, Sequence

from ..fonts.harfbuzz import VERTICAL_SUFFIX
from .vertical import rotated_operators, tcy_operators, vertical_operators



# 1/1000 em: a smaller TJ adjustment is not written (0.0005 pt at 9 pt). The pen then goes on from
# where the viewer puts the glyph, so what is left out never adds up along a line.
PRECISION = 0.05


def _num(v: float, places: int = 3) -> str:
    """A PDF number, short: at most `places` decimals, no trailing zeros."""
    text = f"{v:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def line_operators(glyphs: Sequence[tuple[str, float]], table: Mapping[str, tuple[str, float]],
                   size: float, x0: float, y: float, spacing: float | None) -> tuple[str, float]:
    """Operators for one line: `x y Tm`, `Tc` when the line's spacing differs from `spacing` (the
    character spacing in force), and TJ. `glyphs` are (character, x) with x relative to `x0`;
    `table` gives each character's (code in hex, advance in 1/1000 em). Returns the operators and
    the character spacing now in force."""
    if not glyphs:
        return "", spacing or 0.0
    scale = size / 1000.0
    first, x_first = glyphs[0]
    code, width = table[first]
    tc = 0.0
    if len(glyphs) > 1:  # the gap after the first glyph is the line's usual one (justified text)
        tc = round(glyphs[1][1] - x_first - width * scale, 4)
    head = f"1 0 0 1 {_num(x0 + x_first)} {_num(y)} Tm"
    if spacing is None or abs(tc - spacing) > 1e-9:
        head += f" {_num(tc, 4)} Tc"
    parts: list[str] = [head, " [<", code]
    append = parts.append
    pen = x_first + width * scale + tc
    inv = 1000.0 / size
    for ch, x in glyphs[1:]:
        code, width = table[ch]
        adjust = (pen - x) * inv
        if adjust > PRECISION or adjust < -PRECISION:
            append(f">{round(adjust, 3):g}<")
            pen = x
        append(code)
        pen += width * scale + tc
    append(">] TJ")
    return "".join(parts), tc


def _compiled_line_operators() -> Callable | None:
    """textkernel.pyx's twin of `line_operators` when it was built (setup.py) and
    BROADSHEET_PURE_PYTHON is not "1"; else None (this module's is used)."""
    if os.environ.get("BROADSHEET_PURE_PYTHON") == "1":
        return None
    try:
        from .textkernel import line_operators as compiled
    except ImportError:  # not built: no compiler or headers at install time
        return None
    return compiled


LINE_OPERATORS = _compiled_line_operators() or line_operators


def text_block(lines: Sequence, tables: Mapping[str, tuple[str, Mapping[str, tuple[str, float]]]],
               X: Callable[[float], float], Y: Callable[[float], float],
               on_colour: Callable[[tuple], None], code: list[str]) -> None:
    """Append one text object with every line of a page to `code` (the page's content list).
    `tables` maps a face key to (resource name, its glyph table: character → (code, advance));
    `on_colour` is called before the first line of each fill colour (it appends the colour and
    overprint operators)."""
    code.append("BT")
    font = colour = spacing = None
    for line in lines:
        if line.color != colour:
            on_colour(line.color)
            colour = line.color
        resource, table = tables[line.font]
        if (line.font, line.size) != font:
            code.append(f"/{resource} {_num(line.size)} Tf")
            font = (line.font, line.size)
        if line.mode == "v":  # vertical text: press/vertical.py
            ops, spacing = vertical_operators(line, table, X(line.x), Y(line.baseline), spacing)
        elif line.mode == "t":
            ops, spacing = tcy_operators(line, table, X(line.x), Y(line.baseline), spacing)
        elif line.mode == "r":
            upright = tables.get(line.font + VERTICAL_SUFFIX)
            ops, spacing = rotated_operators(
                line, table, X(line.x), Y(line.baseline), spacing, LINE_OPERATORS,
                (upright[0] if upright else "", resource), upright[1] if upright else None)
        else:
            ops, spacing = LINE_OPERATORS(line.glyphs, table, line.size, X(line.x),
                                          Y(line.baseline), spacing)
        if ops:
            code.append(ops)
    code.append("ET")
