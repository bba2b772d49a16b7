"""Placed pages: the only things the PDF writer draws. Coordinates in pt on the trimmed page, origin
top-left, y down; text lines are placed by baseline."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from ..model.grid import Rect
from ..model.issue import Colour, ModuleId, SourceRef

CMYK = tuple[float, float, float, float]
BLACK: CMYK = (0.0, 0.0, 0.0, 1.0)
RED: CMYK = (0.0, 1.0, 1.0, 0.0)  # newspaper spot red built from process inks
GREY: CMYK = (0.0, 0.0, 0.0, 0.6)
WHITE: CMYK = (0.0, 0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Spot:
    """A spot ink (a Separation colour space in the PDF): its name, the CMYK (0–1) it is proofed
    as, and the tint (0–1) drawn. Never equal to a process colour, so the writer always sets it."""

    name: str
    alternate: CMYK
    tint: float = 1.0


Ink = Union[CMYK, Spot]


def ink(colour: Colour, tint: float = 1.0) -> Ink:
    """A spec colour (per cent) as drawn: process CMYK 0–1 scaled by the tint, or a spot ink."""
    cmyk = tuple(v / 100 for v in colour.cmyk)
    if colour.spot is not None:
        return Spot(colour.spot, cmyk, tint)  # type: ignore[arg-type]
    return tuple(v * tint for v in cmyk)  # type: ignore[return-value]


@dataclass(frozen=True)
class Placement:
    """A flow fact carried forward: the module a placed line belongs to and, for a line of a
    story's body (or a jump line), the column of the module it landed in (0-based) and its grid
    line on the page (1-based, as the spec counts). Reports and dumps read this instead of
    guessing from rectangles."""

    module: ModuleId
    column: int | None = None
    line: int | None = None


@dataclass(frozen=True)
class TextLine:
    x: float
    baseline: float
    font: str  # the face's key (fonts.Face.key); the PDF writer resolves it to a font it embeds
    size: float
    glyphs: tuple[tuple[str, float], ...]  # (character, x offset from `x`)
    color: Ink = BLACK
    role: str = ""  # "body", "headline", "jump", … (for tests and reports)
    story: str | None = None
    at: Placement | None = None  # None: not in a module (the page header)
    # "": horizontal (glyph x along the baseline). Vertical text (press/vertical.py): "v" the
    # vertical forms, `x` the line's centre, `baseline` its top, glyph offsets down the page;
    # "r" rotated 90° clockwise, `x` the rotated baseline, offsets down the page.
    mode: str = ""


@dataclass(frozen=True)
class Dots:
    """着重号: filled circles of `radius` at `centres` (x, y), in `color`; drawn with the text."""

    centres: tuple[tuple[float, float], ...]
    radius: float
    color: Ink = BLACK


@dataclass(frozen=True)
class MarkLine:
    """专名号 (straight, `wave` 0) or 书名号 (wavy: `wave` the amplitude, `period` the length of
    one wave) beside a run of marked characters, from (x1, y1) to (x2, y2): level under a
    horizontal line, upright left of a vertical one; in `color`, `width` thick."""

    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    wave: float = 0.0
    period: float = 0.0
    color: Ink = BLACK


@dataclass(frozen=True)
class Rule:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.3
    color: Ink = BLACK
    dash: tuple[float, ...] = ()  # a dash pattern (on, off, …) in pt; () solid


@dataclass(frozen=True)
class Fill:
    rect: Rect
    color: Ink


@dataclass(frozen=True)
class Picture:
    file: Path
    clip: Rect  # the visible area
    place: Rect  # where the whole image is drawn (larger than clip when cropped)
    source: str = ""  # the picture's own file name (the PDF names its XObject after it)


@dataclass(frozen=True)
class PdfPage:
    """A page of another PDF drawn as a form XObject, vectors, fonts and images kept as their
    maker made them: its trim box (else crop, else media box) on `place`. The masthead logo is
    scaled to `place`; an ad (`ad`: its id) is placed at its own size and knocks out what is
    under it."""

    file: Path
    page: int  # 1-based
    place: Rect
    source: str = ""  # the file's own name
    ad: str | None = None


Item = Union[TextLine, Rule, Fill, Picture, PdfPage, Dots, MarkLine]


@dataclass(frozen=True)
class PagePlan:
    number: int
    width: float  # trim
    height: float
    bleed: float
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Room:
    """How a story module's room changes with its height, as the flow has it (for `fit`): each
    grid line added at its foot adds one slot per body column (photos, the pull quote and the
    lead keep their cells, counted from the module's top)."""

    columns: int  # body columns: `body_cols`, else the module's grid columns
    least_lines: int  # the fewest lines the module may have: its headline block, lead and insets
    jump_lines: int = 0  # jump lines the flow set in it (none into a same-page continuation)


@dataclass(frozen=True)
class StoryFit:
    """How a story fitted its chain: for reports and the overset check."""

    story: str
    lines: int
    modules: tuple[tuple[int, int, int], ...]  # (page number, slots available, slots used)
    overset_chars: int
    overset_lines: int
    source: SourceRef | None = field(default=None, compare=False)  # the chain's last module
    rooms: tuple[Room, ...] = ()  # per module of the chain, as `modules`
    notes: tuple[str, ...] = ()  # for the desk (render's warnings): white left beside an inset


@dataclass(frozen=True)
class MissingGlyph:
    where: str  # "article shoulashou", "index daodu", "masthead", …
    char: str
    font: str
    source: SourceRef | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return f"{self.where}: U+{ord(self.char):04X} {self.char!r} is not in {self.font}"


@dataclass(frozen=True)
class Crowded:
    """Furniture (index box, masthead, caption, page header) whose text needs more room than its module has:
    drawn as it is, it would print over its neighbours, so a render refuses it like overset."""

    what: str  # "the index box daodu", "the caption of image street", "the masthead"
    needed: float  # grid lines the content needs
    lines: int  # grid lines the module has (for a caption: half of them, the picture keeps the rest)
    page: int
    source: SourceRef | None = field(default=None, compare=False)  # the module
    room: str = "its module"  # what gives it `lines` ("the top margin" for the page header)

    def __str__(self) -> str:
        where = self.source or f"page {self.page}"
        return (f"{where}: {self.what} needs {math.ceil(self.needed - 1e-6)} lines, "
                f"{self.room} gives it {self.lines}")


@dataclass(frozen=True)
class EditionPlan:
    pages: tuple[PagePlan, ...]
    fits: tuple[StoryFit, ...]
    missing: tuple[MissingGlyph, ...] = field(default=())
    body_font: str = ""  # key of the body face (as TextLine.font): the PDF's initial font
    crowded: tuple[Crowded, ...] = field(default=())

    @property
    def overset(self) -> tuple[StoryFit, ...]:
        return tuple(f for f in self.fits if f.overset_chars)
