"""The checks a schema cannot express: a module's place on the grid, page numbers past the last page,
overlapping modules, and article chains (docs/spec.md, conventions 4 and 6).

Each returns the problems it finds (or raises one at its item), for the loader to record.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from ..model.grid import type_height
from ..model.issue import Article, Format, Index, Module, Page, Style
from ..util.errors import SpecError
from ..util.units import format_pt, split_length
from .nodes import Item, first_pairs, join_path, list_items, shown
from .shapes import fields_of
from .tables import INDEX, INDEX_ITEM
from .vertical import TierRoom


def a_or_an(number: int) -> str:
    """The article before a number said aloud: "an 8-column grid", "an 18-line page", "a 120-line page"."""
    digits = str(number)
    head = digits[:len(digits) % 3 or 3]  # the group that is said first: 18 in 18000, 120 in 120
    return "an" if head.startswith("8") or head in ("11", "18") else "a"


@dataclass(frozen=True)
class GridLimits:
    """The grid a module's place is checked against: columns across, body lines down."""

    columns: int
    lines: int
    why: str  # how `lines` was computed, for the hint of line errors
    tiers: "TierRoom | None" = None  # what a vertical module's tiers are measured by

    def problems(self, fields: Mapping[str, Item], values: Mapping[str, int]) -> list[SpecError]:
        """A module's problems with the grid: at most one across and one down."""
        found = (self._check_axis(fields["col"], fields["cols"], values["col"], values["cols"],
                                  self.columns, "column", f"{a_or_an(self.columns)} {self.columns}-column grid", None),
                 self._check_axis(fields["line"], fields["lines"], values["line"], values["lines"],
                                  self.lines, "line", f"{a_or_an(self.lines)} {self.lines}-line page", self.why))
        return [problem for problem in found if problem is not None]

    @staticmethod
    def _check_axis(start_item: Item, size_item: Item, start: int, size: int, limit: int,
                    unit: str, grid: str, why: str | None) -> SpecError | None:
        if size > limit:
            return size_item.error(f"{size} {unit}s on {grid}", why)
        if start > limit:
            return start_item.error(f"{unit} {start} on {grid}", why)
        if start + size - 1 > limit:
            room = f"starting at {unit} {start}, the module can take at most {limit - start + 1} {unit}s"
            return size_item.error(f"{unit}s {start}-{start + size - 1} on {grid}", f"{room}; {why}" if why else room)
        return None


def grid_why(styles: Item, fmt: Format, body: Style, lines: int) -> str:
    """How the lines per page follow from the type height and the body leading, as the leading was
    written; and, when the leading (or the body size it defaults from) is in mm where a number of
    points was plainly meant (`leading: 12mm` for a 10pt body), what was meant."""
    given = first_pairs(first_pairs(styles).get("body"))
    leading, size = given.get("leading"), given.get("size")
    written = format_pt(body.leading or 0)
    meant = None
    if leading is not None and not leading.is_null:
        number, unit = split_length(str(leading.node.value))
        if unit != "pt":
            written = f"{leading.node.value.strip()} = {written}"
        if unit == "mm" and body.size <= number <= 2.5 * body.size:
            meant = f"did you mean leading: {number:g}pt?"
    else:
        written = f"{written} (1.2 × the body size)"
        number, unit = split_length(str(size.node.value)) if size is not None else (0.0, "")
        if unit == "mm" and 5 <= number <= 14:  # a body size in points, written in mm by mistake
            meant = f"did you mean size: {number:g}pt?"
    why = f"lines per page = floor(type height {format_pt(type_height(fmt))} ÷ body leading {written}) = {lines}"
    return f"{why}; {meant}" if meant else why


@dataclass(frozen=True)
class LastPage:
    """`issue.pages_total`, when given, bounds page numbers: those of the pages (so no story continues
    on a page the issue does not have) and those an index box refers to."""

    total: int | None
    item: Item | None

    def check(self, item: Item, number: int) -> None:
        if self.total is not None and self.item is not None and number > self.total:
            item.fail(f"page {number} in {a_or_an(self.total)} {self.total}-page issue",
                      f"issue.pages_total is {self.total} (line {self.item.line})")

    def index_problems(self, indexes_item: Item | None, indexes: Mapping[str, Index]) -> list[SpecError]:
        """The index items (of the indexes that were read) that name a page past the last."""
        if self.total is None or indexes_item is None:
            return []
        problems = []
        for index_id, entry in first_pairs(indexes_item).items():
            if index_id not in indexes:
                continue
            for k, index_item in enumerate(indexes[index_id].items):
                if index_item.page is not None and index_item.page > self.total:
                    element = list_items(fields_of(entry, INDEX)["items"], "index items")[k]
                    try:
                        self.check(fields_of(element, INDEX_ITEM)["page"], index_item.page)
                    except SpecError as problem:
                        problems.append(problem)
        return problems


def _describe_module(module: Module) -> str:
    return "the masthead" if module.kind == "masthead" else f'{module.kind} "{shown(module.ref or "")}"'


def _where(module: Module) -> str:
    assert module.source is not None
    return f"{module.source.path} (line {module.source.line})"


def _problem_at(module: Module, key: str, problem: str, hint: str | None = None) -> SpecError:
    assert module.source is not None
    src = module.source
    return SpecError(src.file, src.line, join_path(src.path, key) if key else src.path, problem, hint)


def _span(first: int, last: int, unit: str) -> str:
    return f"{unit} {first}" if first == last else f"{unit}s {first}-{last}"


def overlap_problems(modules: tuple[Module, ...]) -> list[SpecError]:
    """Convention 4: modules own whole grid cells, so two must not share one. Each module that
    overlaps an earlier one is named once, with the first it overlaps."""
    problems = []
    for i, later in enumerate(modules):
        for earlier in modules[:i]:
            cols = (max(earlier.col, later.col), min(earlier.col + earlier.cols, later.col + later.cols) - 1)
            lines = (max(earlier.line, later.line), min(earlier.line + earlier.lines, later.line + later.lines) - 1)
            if cols[0] <= cols[1] and lines[0] <= lines[1]:
                problems.append(_problem_at(
                    later, "", f"{_describe_module(later)} overlaps {_describe_module(earlier)} at {_where(earlier)}",
                    f"both take {_span(*cols, 'column')}, {_span(*lines, 'line')}"))
                break
    return problems


def _vertical(module: Module) -> bool:
    writing = getattr(module, "writing", None)
    return writing is not None and writing.vertical


def chain_problems(pages: tuple[Page, ...], articles: Mapping[str, Article]) -> list[SpecError]:
    """Convention 6: a story is one `article:` module, then `continue:` modules after it in page order
    (page number, then list order on the page); every article is placed."""
    placed = sorted((((page.number, i), module) for page in pages for i, module in enumerate(page.modules)),
                    key=lambda entry: entry[0])
    problems = []
    starts: dict[str, tuple[tuple[int, int], Module]] = {}
    for position, module in placed:
        if module.kind == "article" and module.ref is not None:
            if module.ref in starts:
                problems.append(_problem_at(
                    module, "article", f'article "{shown(module.ref)}" is placed twice',
                    f'first at {_where(starts[module.ref][1])}; use "continue: {shown(module.ref)}" '
                    "for the rest of the story"))
                continue
            starts[module.ref] = (position, module)
    for position, module in placed:
        if module.kind != "continue" or module.ref is None:
            continue
        if module.ref not in starts:
            problems.append(_problem_at(
                module, "continue", f'article "{shown(module.ref)}" has no article: module',
                f'a story opens with "article: {shown(module.ref)}"; its continue: modules come after it'))
            continue
        start_position, start = starts[module.ref]
        if position < start_position:
            problems.append(_problem_at(
                module, "continue", f'continues article "{shown(module.ref)}" before it starts',
                f"it starts at {_where(start)}; a continuation goes on a later page, or after it on the same page"))
        elif _vertical(module) != _vertical(start):
            problems.append(_problem_at(
                module, "continue", f'continues article "{shown(module.ref)}" '
                f'{"vertically" if _vertical(module) else "horizontally"}, and it starts '
                f'{"vertically" if _vertical(start) else "horizontally"}',
                f"it starts at {_where(start)}; a story's modules are all written one way "
                "(direction)"))
    for article_id, article in articles.items():
        if article_id not in starts:
            assert article.source is not None
            problems.append(SpecError(article.source.file, article.source.line, article.source.path,
                                      f'article "{shown(article_id)}" is never placed',
                                      f'place it with an "article: {shown(article_id)}" module, or remove it'))
    return problems
