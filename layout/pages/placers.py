"""The registry of module placers: each module type → the function that fills its rectangle.

Story modules are filled by the story pass (`planner._set_story`: headline block, then the flow),
so their placer adds nothing here. A new module kind (a photo inside a story, an ad) adds its type
in model/ and one entry here.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from . import furniture
from ..util.locale import wording
from .furniture import Overflow
from ..util.imagefile import MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, ImageFileError
from ..util.errors import SpecError
from ..model.grid import Grid, Rect
from ..model.issue import (AdModule, ArticleModule, ContinueModule, Image, ImageModule, IndexModule,
                           Issue, MastheadModule, Module, ModuleId, RuleModule, StoryModule,
                           TableContinueModule, TableModule, TablePart)
from .plan import Item, PdfPage, Picture, Placement, TextLine
from ..flow.jumps import page_labels
from .boxes import box_items
from .logo import logo_masthead
from .rulework import rule_height, rule_in
from .table import place_table
from .typeset import Setter

Placed = tuple[list[Item], Overflow | None]  # the items, and text that does not fit


@dataclass(frozen=True)
class Where:
    """What a placer is given: the module, its id, its rectangle and its page's grid."""

    module: Module
    id: ModuleId
    rect: Rect
    grid: Grid


Placer = Callable[[Setter, Issue, Where], Placed]


def _masthead(setter: Setter, issue: Issue, at: Where) -> Placed:
    if issue.paper.logo is not None:
        return logo_masthead(setter, issue, at.rect, at.grid)
    return furniture.masthead(setter, issue, at.rect, at.grid)


def _image(setter: Setter, issue: Issue, at: Where) -> Placed:
    assert isinstance(at.module, ImageModule)
    image = issue.images[at.module.image]
    try:
        return furniture.picture(setter, image, at.rect, at.grid, at.module)
    except ImageFileError as e:
        raise image_error(image, str(e).removeprefix(f"{e.image}: ")) from None


def _index(setter: Setter, issue: Issue, at: Where) -> Placed:
    assert isinstance(at.module, IndexModule)
    words = wording(issue.paper.locale)
    return furniture.index_box(setter, issue.indexes[at.module.index], at.rect, at.grid,
                               issue.jumps.numerals, words.see_page, words.see_label,
                               page_labels(issue))


def _with_its_story(setter: Setter, issue: Issue, at: Where) -> Placed:
    return [], None


def _table(setter: Setter, issue: Issue, at: Where) -> Placed:
    assert isinstance(at.module, TablePart)
    return place_table(setter, issue, at.id, at.module, at.rect, at.grid)


def _rule(setter: Setter, issue: Issue, at: Where) -> Placed:
    assert isinstance(at.module, RuleModule)
    spec = at.module.rule
    overflow = None
    if rule_height(spec) > at.rect.h + 0.01:  # drawn over the modules above and below
        overflow = Overflow(f"the {spec.weight:g} pt {spec.style} rule", rule_height(spec) / at.grid.leading,
                            at.module.lines)
    return rule_in(spec, at.rect), overflow


def _ad(setter: Setter, issue: Issue, at: Where) -> Placed:
    """The ad at its own size, centred in its module (the loader checked that it fits: the same
    size within ad_tolerance, or smaller with fit: contain). Nothing else is drawn on it."""
    assert isinstance(at.module, AdModule)
    ad = issue.ads[at.module.ad]
    r = at.rect
    place = Rect(r.x + (r.w - ad.width) / 2, r.y + (r.h - ad.height) / 2, ad.width, ad.height)
    if ad.kind == "image":
        return [Picture(ad.file, place, place, ad.file.name)], None
    return [PdfPage(ad.file, ad.page, place, ad.file.name, ad=ad.id)], None


PLACERS: dict[type[Module], Placer] = {
    MastheadModule: _masthead,
    ImageModule: _image,
    IndexModule: _index,
    ArticleModule: _with_its_story,
    ContinueModule: _with_its_story,
    TableModule: _table,
    TableContinueModule: _table,
    RuleModule: _rule,
    AdModule: _ad,
}


def place_module(setter: Setter, issue: Issue, at: Where) -> Placed:
    """The module's items, each text line marked with the module it belongs to; a boxed module's
    tint and rules first, its furniture inside the padding (a story's body: planner, `inner`)."""
    box = at.module.box
    if box is None:
        items, overflow = PLACERS[type(at.module)](setter, issue, at)
        return in_module(items, at.id), overflow
    padded = at if isinstance(at.module, StoryModule) else replace(at, rect=_padded(at))
    items, overflow = PLACERS[type(at.module)](setter, issue, padded)
    return in_module(box_items(box, at.rect) + items, at.id), overflow


def _padded(at: Where) -> Rect:
    pad = at.module.box.padding if at.module.box is not None else 0.0
    r = at.rect
    return Rect(r.x + pad, r.y + pad, r.w - 2 * pad, r.h - 2 * pad) if pad > 0 else r


def in_module(items: list[Item], mid: ModuleId) -> list[Item]:
    fact = Placement(mid)
    return [replace(i, at=fact) if isinstance(i, TextLine) else i for i in items]


def image_error(image: Image, problem: str) -> SpecError:
    """A picture that cannot be used, as a spec error at its `images.<id>.file`."""
    src = image.source
    return SpecError(src.file if src else str(image.file), src.line if src else None,
                     f"images.{image.id}.file", f"cannot use image {image.file.name}: {problem}",
                     "give a readable JPEG or PNG file of at most "
                     f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels and sides of at most "
                     f"{MAX_IMAGE_SIDE} pixels")
