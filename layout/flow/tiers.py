"""Tiers (批) of a vertical body: where each vertical line of a module's body area stands.

A vertical module's body area is split across its height into `tiers` bands separated by the
gutter; each band holds vertical lines a body leading apart (the line grid of horizontal text
turned into a column grid), the first at the band's right edge. A line is a whole number of
body characters long. The flow treats a tier as a column and a vertical line as a grid line
(`BodyBox(columns=tiers, rows=lines)`): it fills tier after tier, right to left in each.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..model.grid import Rect
from .chain import BodyBox


@dataclass(frozen=True)
class Tiers:
    rect: Rect  # the body area
    tiers: int
    gutter: float  # between tiers
    size: float  # the body size: one character
    pitch: float  # from one vertical line to the next (the body leading)

    @property
    def band(self) -> float:
        """The height of one tier's band (its lines may be a little shorter: whole characters)."""
        return (self.rect.h - (self.tiers - 1) * self.gutter) / self.tiers

    @property
    def chars(self) -> int:
        return math.floor(self.band / self.size + 1e-9)

    @property
    def length(self) -> float:
        """A vertical line's length: whole characters of the body size."""
        return self.chars * self.size

    @property
    def lines(self) -> int:
        """Vertical lines in a tier: as many em boxes as fit across, a pitch apart."""
        if self.rect.w < self.size:
            return 0
        return math.floor((self.rect.w - self.size) / self.pitch + 1e-9) + 1

    def box(self) -> BodyBox:
        return BodyBox(self.tiers, self.lines)

    def top(self, tier: int) -> float:
        """The top of tier `tier` (0-based, from the top)."""
        return self.rect.y + tier * (self.band + self.gutter)

    def centre(self, row: int) -> float:
        """The centre line (x) of vertical line `row` of a tier (0-based, from the right)."""
        return self.rect.right - row * self.pitch - self.size / 2
