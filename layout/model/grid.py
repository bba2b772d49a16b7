"""Page geometry: type area, columns, the baseline grid, and module rectangles.

Coordinates are in pt on the trimmed page, origin at its top-left corner, y growing downwards
(the PDF writer flips them). Conventions 1–4 of format v1 (shared/reference/README.md).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .issue import Format, Module

# The em box of CJK faces sits 0.88 em above the baseline and 0.12 em below it (the ideographic
# em box of Noto CJK and of most Chinese fonts). Convention 3 puts the em box top at the band top.
EM_BOX_ASCENT = 0.88


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass(frozen=True)
class Grid:
    """The grid of one page (it depends on the page's parity through the inside margin)."""

    left: float
    top: float
    width: float
    height: float
    columns: int
    gutter: float
    column_width: float
    leading: float
    lines: int

    def column_x(self, col: int) -> float:
        return self.left + (col - 1) * (self.column_width + self.gutter)

    def band_top(self, line: int) -> float:
        return self.top + (line - 1) * self.leading

    def baseline(self, line: int, size: float) -> float:
        return self.band_top(line) + EM_BOX_ASCENT * size

    def span_width(self, cols: int) -> float:
        return cols * self.column_width + (cols - 1) * self.gutter

    def module_rect(self, m: Module) -> Rect:
        return Rect(self.column_x(m.col), self.band_top(m.line), self.span_width(m.cols),
                    m.lines * self.leading)

    @property
    def type_area(self) -> Rect:
        return Rect(self.left, self.top, self.width, self.lines * self.leading)


def type_width(fmt: Format) -> float:
    return fmt.trim_width - fmt.margin_inside - fmt.margin_outside


def column_width(fmt: Format) -> float:
    """Convention 2: (type width − (columns − 1) × gutter) ÷ columns."""
    return (type_width(fmt) - (fmt.columns - 1) * fmt.gutter) / fmt.columns


def type_height(fmt: Format) -> float:
    return fmt.trim_height - fmt.margin_top - fmt.margin_bottom


def lines_per_page(fmt: Format, leading: float) -> int:
    """Convention 3: floor(type height ÷ leading); the epsilon keeps an exact fit from losing a line
    to float rounding (mm → pt)."""
    return math.floor(type_height(fmt) / leading + 1e-9)


def page_grid(fmt: Format, leading: float, page_number: int) -> Grid:
    """Odd pages are right-hand pages: their inside margin is on the left (convention 1)."""
    left = fmt.margin_inside if page_number % 2 == 1 else fmt.margin_outside
    width, height = type_width(fmt), type_height(fmt)
    return Grid(left, fmt.margin_top, width, height, fmt.columns, fmt.gutter, column_width(fmt), leading,
                lines_per_page(fmt, leading))
