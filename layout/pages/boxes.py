"""Boxes round modules (`box:`): the tint behind, the rule round (solid, double, dashed, or 花边, a
repeated border pattern drawn as vectors), and the padded area inside where the module's text is
set. The rule lies inside the module, its outer edge on the module's edge, so that a boxed module
takes no more room than its grid cells; the padding is measured from that edge.

Padding at the top and bottom is rounded up to whole grid lines, so that the text of a boxed
story stays on the page's baseline grid; at the sides it is exact, and the module's columns share
what is left."""
from __future__ import annotations

import math
from typing import NamedTuple

from ..model.grid import Grid, Rect
from ..model.issue import Box, Module, Page
from .plan import Fill, Item, Rule, ink

DASH = (3.0, 2.0)  # on, off, in multiples of the rule width (with a floor of 1 pt)
BORDER_SQUARE = 2.4  # pt: the side of a 花边 square, and the gap between two


class Inner(NamedTuple):
    """Where a module's text goes: the padded rectangle, its columns, the grid lines kept free."""

    rect: Rect
    column_width: float
    gutter: float
    pad_lines: int  # grid lines kept free above and below the text

    def column_x(self, k: int) -> float:
        """The left edge of the module's column k (0-based)."""
        return self.rect.x + k * (self.column_width + self.gutter)


def inner(module: Module, grid: Grid) -> Inner:
    """The module's text area: the module itself without a box or with no padding."""
    rect = grid.module_rect(module)
    pad = module.box.padding if module.box is not None else 0.0
    if pad <= 0:
        return Inner(rect, grid.column_width, grid.gutter, 0)
    lines = math.ceil(pad / grid.leading - 1e-6)
    area = Rect(rect.x + pad, rect.y + lines * grid.leading, rect.w - 2 * pad,
                rect.h - 2 * lines * grid.leading)
    width = (area.w - (module.cols - 1) * grid.gutter) / module.cols
    return Inner(area, width, grid.gutter, lines)


def under_a_box(page: Page, module: Module) -> bool:
    """Whether a box's frame runs along the whole top of `module` (a boxed module ends on the
    grid line above it, over all its columns): that frame is then the rule between the two, and
    no rule of the module's own, or hairline between modules, is drawn against it (two rules
    touching read as one heavy or double line)."""
    above = {c for m in page.modules if m.box is not None and m.box.rule > 0
             and m.line + m.lines == module.line for c in range(m.col, m.col + m.cols)}
    return all(c in above for c in range(module.col, module.col + module.cols))


def box_items(box: Box, rect: Rect) -> list[Item]:
    """The tint and the rule of a box round `rect`."""
    items: list[Item] = []
    if box.tint > 0:
        items.append(Fill(rect, ink(box.colour, box.tint)))
    if box.rule <= 0:
        return items
    if box.style == "double":
        items += _frame(rect, box.rule, box, ())
        items += _frame(_inset(rect, 2 * box.rule), box.rule, box, ())
    elif box.style == "dashed":
        items += _frame(rect, box.rule, box, tuple(max(1.0, box.rule) * d for d in DASH))
    elif box.style == "花边":
        items += _border(rect, box)
    else:
        items += _frame(rect, box.rule, box, ())
    return items


def _inset(rect: Rect, d: float) -> Rect:
    return Rect(rect.x + d, rect.y + d, rect.w - 2 * d, rect.h - 2 * d)


def _frame(rect: Rect, width: float, box: Box, dash: tuple[float, ...]) -> list[Item]:
    """Four rules whose outer edges are `rect`'s edges (each rule's centre half its width in)."""
    r = _inset(rect, width / 2)
    colour = ink(box.colour)
    # The horizontals run the full width (their ends square with the corners), the verticals between.
    return [Rule(rect.x, r.y, rect.right, r.y, width, colour, dash),
            Rule(rect.x, r.bottom, rect.right, r.bottom, width, colour, dash),
            Rule(r.x, rect.y, r.x, rect.bottom, width, colour, dash),
            Rule(r.right, rect.y, r.right, rect.bottom, width, colour, dash)]


def _border(rect: Rect, box: Box) -> list[Item]:
    """花边: a thin rule at the edge, a band of a figure repeated evenly along every side (a whole
    number of repeats, so the corners match), and a hairline inside the band. The figures:
    `squares` (small squares), `bars` (a heavy dashed rule), `ticks` (short rules across the band)."""
    side = BORDER_SQUARE
    items: list[Item] = _frame(rect, box.rule, box, ())
    band = _inset(rect, box.rule + side / 2)  # the figures' centre line
    colour = ink(box.colour)
    for k, (x0, y0, x1, y1) in enumerate(((band.x, band.y, band.right, band.y),
                                          (band.x, band.bottom, band.right, band.bottom),
                                          (band.x, band.y, band.x, band.bottom),
                                          (band.right, band.y, band.right, band.bottom))):
        figures = _figures(box.pattern, (x0, y0, x1, y1), side, colour)
        if k >= 2 and box.pattern != "bars":  # the corners' figures are the horizontals' already
            figures = figures[1:-1]
        items += figures
    items += _frame(_inset(rect, box.rule + 1.5 * side), box.rule / 2, box, ())
    return items


def _figures(pattern: str, side_line: tuple[float, float, float, float], side: float,
             colour) -> list[Item]:
    x0, y0, x1, y1 = side_line
    length = max(abs(x1 - x0), abs(y1 - y0))
    count = max(1, int(length // (2 * side)))
    if pattern == "bars":
        step = length / count
        return [Rule(x0, y0, x1, y1, side * 0.6, colour, (step / 2, step / 2))]
    items: list[Item] = []
    across = (0.0, 1.0) if y0 == y1 else (1.0, 0.0)  # unit vector across the side
    for k in range(count + 1):
        t = k / count
        cx, cy = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
        if pattern == "ticks":
            dx, dy = across[0] * side / 2, across[1] * side / 2
            items.append(Rule(cx - dx, cy - dy, cx + dx, cy + dy, 0.5, colour))
        else:
            items.append(Fill(Rect(cx - side / 4, cy - side / 4, side / 2, side / 2), colour))
    return items
