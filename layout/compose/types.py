"""The types composition takes and gives: font metrics in, frozen set lines out."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

Align = Literal["justify", "left", "center", "right"]
Breaking = Literal["total-fit", "first-fit"]


class Metrics(Protocol):
    def advance(self, ch: str) -> float: ...  # em

    def halt(self, ch: str) -> tuple[float, float] | None: ...  # (x placement, x advance) in em

    # Optional: `kern(left, right) -> float`, the pair's kerning in em (fonts.Face has it).


@dataclass(frozen=True)
class Run:
    """A piece of a paragraph in one style: its text, the face that measures it, its size (pt)."""

    text: str
    metrics: Metrics
    size: float


@dataclass(frozen=True)
class ComposedLine:
    """One set line. `glyphs` holds (character, x) with x in pt from the line's start edge; `width` is
    the pen position after the last glyph. `start`/`end` index the paragraph text."""

    glyphs: tuple[tuple[str, float], ...]
    width: float
    start: int
    end: int
    first: bool
    last: bool

    @property
    def text(self) -> str:
        return "".join(ch for ch, _ in self.glyphs)
