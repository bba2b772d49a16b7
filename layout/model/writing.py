"""The writing mode of a story module (`direction`, `headline_direction`, `tiers`,
`tcy_max_digits`, `tier_rules`): horizontal (the default) or vertical (竖排), its body in tiers (批)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Direction = Literal["horizontal", "vertical"]
DIRECTIONS: tuple[Direction, ...] = ("horizontal", "vertical")
MIN_TIER_CHARS = 8  # a tier shorter than this is no longer a line of text (clreq: 批 of 8+ 字)


@dataclass(frozen=True)
class Writing:
    """How a story module is written. `headline` is the headline block's direction (橫標豎排:
    body vertical, headline horizontal; 竖题: headline vertical beside a horizontal body).
    `tiers` splits a vertical body's height into bands (批); `tcy_max_digits` is the longest
    number set upright across one em (縱中橫); `tier_rules` draws a hairline in the gutter
    between tiers that both hold text (as Taiwan dailies print between 批)."""

    direction: Direction = "horizontal"
    headline: Direction = "horizontal"
    tiers: int = 1
    tcy_max_digits: int = 2
    tier_rules: bool = True

    @property
    def vertical(self) -> bool:
        return self.direction == "vertical"

    @property
    def any_vertical(self) -> bool:
        return self.direction == "vertical" or self.headline == "vertical"


HORIZONTAL = Writing()
