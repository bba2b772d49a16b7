"""Reading the `pages` section: each page and each module on its own, with the checks that need the
grid (a module's place), the other sections (the id a module names) and the pages around it (page
numbers defined twice or past the last page, overlapping modules).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Mapping

from ..model.issue import Module, Page, module_of_kind
from .checks import GridLimits, LastPage, overlap_problems
from .convert import count
from .nodes import Item, did_you_mean, first_pairs, given_value, list_items, shown
from .problems import FAILED, Records, SpecContext, attempt
from .shapes import convert_fields, fields_of
from .tables import MODULE, MODULE_KINDS, PAGE
from .wrap import story_layout
from .vertical import writing_of


# What the id of each module kind names, and the section that defines it.
_REFERS_TO = {"article": ("article", "articles"), "continue": ("article", "articles"),
              "image": ("image", "images"), "index": ("index", "indexes"),
              "table": ("table", "tables"), "table_continue": ("table", "tables"),
              "ad": ("ad", "ads")}


def read_pages(ctx: SpecContext, item: Item | None, grid: GridLimits | None, refs: Mapping[str, Records],
               last_page: LastPage) -> Any:
    """The pages, each page and module read on its own; `FAILED` when any could not be. Without the
    grid (`None`: the format or the styles failed) no module's place is checked."""
    if item is None or ctx.has_problem_at(item.path):
        return FAILED
    reader = _PageReader(ctx, grid, refs, last_page)
    pages = [reader.page(page_item) for page_item in list_items(item, "pages")]
    return FAILED if FAILED in pages else tuple(pages)


@dataclass
class _PageReader:
    """What reading a page needs from the other sections, and the page numbers read so far."""

    ctx: SpecContext
    grid: GridLimits | None
    refs: Mapping[str, Records]
    last_page: LastPage
    numbers: dict[int, Item] = field(default_factory=dict)
    labels: dict[str, Item] = field(default_factory=dict)

    def page(self, item: Item) -> Any:
        if self.ctx.has_problem_at(item.path):  # not a mapping, an unknown or a missing key
            return FAILED
        fields = first_pairs(item)
        number = attempt(self.ctx, fields.get("number"), lambda number_item: self.page_number(item, number_item))
        section = attempt(self.ctx, given_value(fields, "section"), PAGE["section"].convert)
        label = attempt(self.ctx, given_value(fields, "label"), self.page_label)
        modules = self.modules(fields["modules"])
        if FAILED in (number, section, label, modules):
            return FAILED
        return Page(number=number, section=section, modules=modules, source=item.source,
                    label=label)

    def page_label(self, label_item: Item) -> str:
        label = PAGE["label"].convert(label_item)
        if label in self.labels:
            first = self.labels[label]
            label_item.fail(f'label "{label}" is given twice',
                            f"first at {first.path} (line {first.line}); every page has its own label")
        self.labels[label] = label_item
        return label

    def page_number(self, page: Item, number_item: Item) -> int:
        number = count(number_item)
        if number in self.numbers:
            first = self.numbers[number]
            number_item.fail(f"page {number} is defined twice", f"first at {first.path} (line {first.line})")
        self.numbers[number] = page
        self.last_page.check(number_item, number)
        return number

    def modules(self, item: Item) -> Any:
        if self.ctx.has_problem_at(item.path):
            return FAILED
        modules = [attempt(self.ctx, m, self.module) for m in list_items(item, "modules")]
        read = tuple(module for module in modules if module is not FAILED)
        for problem in overlap_problems(read):
            self.ctx.record(problem)
        return read if len(read) == len(modules) else FAILED

    def module(self, item: Item) -> Module:
        """A module; its problems with the grid are recorded (its place is still known, for overlaps)."""
        fields = fields_of(item, MODULE)
        values = convert_fields(fields, MODULE)
        kind = module_kind(item, fields)
        if kind == "masthead" and not values["masthead"]:
            fields["masthead"].fail("expected true, found false", "a masthead module is written masthead: true")
        ref = None if kind == "masthead" else values[kind]
        if ref is not None and kind in _REFERS_TO:
            _check_reference(fields[kind], kind, ref, self.refs[kind])
        if "headline_size" in fields and kind not in ("article", "continue"):
            fields["headline_size"].fail(f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} module has no headline",
                                         "headline_size applies to article and continue modules")
        if kind == "ad" and "box" in fields:
            fields["box"].fail("an ad module has no box: nothing of ours is drawn on an ad",
                               "a rule round an ad is part of the ad; ask the client for it")
        for problem in self.grid.problems(fields, values) if self.grid is not None else ():
            self.ctx.record(problem)
        writing, problems = writing_of(kind, fields, values,
                                       self.grid.tiers if self.grid is not None else None)
        for problem in problems:
            self.ctx.record(problem)
        module = module_of_kind(kind=kind, ref=ref, col=values["col"], line=values["line"],
                                cols=values["cols"], lines=values["lines"],
                                headline_size=values.get("headline_size"), source=item.source,
                                box=values.get("box"), writing=writing)
        layout = story_layout(kind, fields, values, self.refs.get("image"), self.ctx.record)
        return module if layout.plain else replace(module, layout=layout)


def _check_reference(item: Item, kind: str, ref: str, records: Records) -> None:
    """The id a module names must be in its section; a broken record there is not called missing."""
    if not records.can_tell(ref) or ref in records.records:
        return
    what, section = _REFERS_TO[kind]
    known = list(records.records) + sorted(records.broken)
    listed = ", ".join(shown(k) for k in known[:12]) + (", …" if len(known) > 12 else "")
    item.fail(f'no {what} "{shown(ref)}" in {section}', did_you_mean(ref, known)
              or (f"{section} has: {listed}" if known else f"the spec has no {section}"))


def module_kind(item: Item, fields: Mapping[str, Item]) -> str:
    kinds = [kind for kind in MODULE_KINDS if kind in fields]
    if len(kinds) != 1:
        found = " and ".join(kinds) if kinds else "none"
        item.fail(f"expected exactly one of {', '.join(MODULE_KINDS)}, found {found}")
    return kinds[0]
