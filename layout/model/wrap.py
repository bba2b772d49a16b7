"""What a story module holds besides its headline block and body text (issue 15): photos set into
the story (图文绕排, 压题照片), a pull quote, and body columns of its own (变栏).

Positions are counted within the module: its top-left grid cell is col 1, line 1, as in the spec.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .issue import SourceRef


@dataclass(frozen=True)
class Inset:
    """A rectangle of whole grid cells inside a story module, which the body flows around."""

    col: int
    line: int
    cols: int
    lines: int
    source: "SourceRef | None" = field(default=None, compare=False)


@dataclass(frozen=True)
class StoryPhoto(Inset):
    """`photos:` of an article or continue module: an image of `images:` (caption inside)."""

    image: str = ""


@dataclass(frozen=True)
class PullQuote(Inset):
    """`pull_quote:` of a story module: display lines in style `pull_quote`, rules above and below."""

    text: str = ""


@dataclass(frozen=True)
class StoryLayout:
    """A story module's own layout; the default is the plain module (the grid's columns)."""

    body_cols: int | None = None  # None: one body column per grid column
    photos: tuple[StoryPhoto, ...] = ()
    pull_quote: PullQuote | None = None

    @property
    def insets(self) -> tuple[Inset, ...]:
        return (*self.photos, *((self.pull_quote,) if self.pull_quote else ()))

    @property
    def plain(self) -> bool:
        return self.body_cols is None and not self.photos and self.pull_quote is None


def headline_photo(layout: StoryLayout, module_cols: int) -> StoryPhoto | None:
    """A 压题照片: the photo at line 1 across the module's full width (the headline goes under it)."""
    return next((p for p in layout.photos if p.line == 1 and p.col == 1 and p.cols == module_cols),
                None)
