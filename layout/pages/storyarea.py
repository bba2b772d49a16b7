"""A story module's body area (issue 15): its body columns (the grid's, or `body_cols` of its
own), the lead, photos and pull quote set into it, and the body box the flow fills round them.

Insets are placed on whole grid cells counted within the module. The body flows round each: a body
column an inset covers (all but a sliver) continues below it (`Blocked`); one it covers part of
is set narrower beside it (`Narrowing`), its lines ending (or starting) a gutter from the inset.
A photo at line 1 across the module's width is a 压题照片: the headline block goes under it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

from ..flow.chain import BodyBox, Narrowing
from ..flow.regions import Blocked
from ..model.grid import EM_BOX_ASCENT, Grid, Rect
from ..model.issue import Article, ImageModule, Issue, StoryModule
from ..model.wrap import Inset, PullQuote, StoryPhoto, headline_photo
from ..util.errors import SpecError
from . import furniture
from .boxes import Inner
from .plan import Item, Rule
from .typeset import Setter

MIN_MEASURE = 4.0  # em of the body: a narrower piece of a column beside an inset is left empty
WIDE_WHITE = 8.0  # em of the body: a side left white this wide is worth a note to the desk
PHOTO_CLEAR = 0.25  # grid lines kept white between a photo and body text above or below it
PULL_RULE = 0.75  # pt: the rules above and below a pull quote
PULL_LINE_HEIGHT = 1.3  # em of the pull quote's size


@dataclass(frozen=True)
class Columns:
    """The body columns of a module: the left edge of each (pt on the page) and their measure."""

    xs: tuple[float, ...]
    width: float
    gutter: float


def body_columns(module: StoryModule, area: Inner) -> Columns:
    """The grid's columns inside the module, or `body_cols` equal columns across its width."""
    n = module.layout.body_cols
    if n is None or n == module.cols:
        return Columns(tuple(area.column_x(c) for c in range(module.cols)), area.column_width,
                       area.gutter)
    width = (area.rect.w - (n - 1) * area.gutter) / n
    return Columns(tuple(area.rect.x + c * (width + area.gutter) for c in range(n)), width,
                   area.gutter)


def top_lines(module: StoryModule, headline: bool) -> int:
    """Grid lines above the headline block: a 压题照片's. A module with no headline block (a
    same-page continuation) has none: a photo across its top is an inset the body goes under."""
    photo = headline_photo(module.layout, module.cols) if headline else None
    return photo.lines if photo is not None else 0


def head_rect(area: Inner, grid: Grid, top: int) -> Rect:
    r = area.rect
    return Rect(r.x, r.y + top * grid.leading, r.w, r.h - top * grid.leading)


@dataclass(frozen=True)
class Area:
    box: BodyBox
    columns: Columns
    items: tuple[Item, ...]  # the photos, pull quote and lead as drawn
    # Grid cells (col, line on the page) no column rule crosses: insets, the lead, and the whole
    # body of a module in body columns of its own (its gutters are not the grid's).
    unruled: frozenset[tuple[int, int]] = frozenset()
    # Body rows the lead and the insets need from the body's top (for `fit`: the module may not
    # be cut shorter than that).
    least_rows: int = 0
    notes: tuple[str, ...] = ()  # for the desk: white left beside an inset (render's warnings)


def story_area(setter: Setter, issue: Issue, article: Article, module: StoryModule, area: Inner,
               grid: Grid, above: int, rows: int, *, first: bool, same_page: bool) -> Area:
    """The body box of `module`: its columns of `rows` grid lines from `above` grid lines below
    the module's top (headline block, padding), its insets drawn and flowed round."""
    cols = body_columns(module, area)
    body_line = module.line + above  # the grid line of the body's first row on the page
    items: list[Item] = []
    blocked: list[Blocked] = []
    narrowed: list[Narrowing] = []
    notes: list[str] = []
    lead_rows, lead_right = 0, 0.0
    if first and article.lead:
        lead_items, lead_rows, span = _lead(setter, article, cols, grid, body_line, rows)
        items.extend(lead_items)
        blocked.extend(Blocked(c, 0, min(lead_rows, rows)) for c in range(span))
        lead_right = cols.xs[0] + _span(cols, span)
    photo_on_top = None if same_page else headline_photo(module.layout, module.cols)
    for inset in module.layout.insets:
        if inset is photo_on_top:
            items.extend(_photo(setter, issue, inset, module, area, grid, below_text=False))
            continue
        row = inset.line - 1 - above
        if row < 0:
            raise _into_headline(inset, module, above, headline=not same_page)
        if row < lead_rows and _cells(inset, area)[0] < lead_right:
            raise _inset_error(inset, f"the {_what(inset)} at line {inset.line} reaches into "
                               f"the lead, which takes lines {above + 1}-{above + lead_rows} of "
                               "the module",
                               f"start it at line {above + lead_rows + 1} or later, or beside "
                               "the lead (lead_cols)")
        if isinstance(inset, StoryPhoto):
            items.extend(_photo(setter, issue, inset, module, area, grid, below_text=row > 0))
        else:
            items.extend(_pull_quote(setter, inset, area, grid, module))
        notes.extend(_cover(inset, row, rows, area, cols, setter.styles["body"].size, blocked,
                            narrowed))
    box = BodyBox(len(cols.xs), rows, cols.width, tuple(narrowed), tuple(blocked), same_page)
    least = max([lead_rows + 1 if lead_rows else 0]
                + [i.line - 1 + i.lines - above for i in module.layout.insets])
    return Area(box, cols, tuple(items), _unruled(module, article if first else None, lead_rows,
                                                  body_line, rows), least, tuple(notes))


def _unruled(module: StoryModule, article: Article | None, lead_rows: int, body_line: int,
             rows: int) -> frozenset[tuple[int, int]]:
    layout = module.layout
    cells: set[tuple[int, int]] = set()
    if layout.body_cols is not None and layout.body_cols != module.cols:
        cells.update((c, line) for c in range(module.col, module.col + module.cols)
                     for line in range(body_line, body_line + rows))
    for inset in layout.insets:
        cells.update((module.col + inset.col - 1 + c, module.line + inset.line - 1 + r)
                     for c in range(inset.cols) for r in range(inset.lines))
    if article is not None and lead_rows:
        span = min(article.lead_cols or module.cols, module.cols)
        cells.update((module.col + c, body_line + r) for c in range(span)
                     for r in range(lead_rows))
    return frozenset(cells)


def _span(cols: Columns, n: int) -> float:
    return n * cols.width + (n - 1) * cols.gutter


def _lead(setter: Setter, article: Article, cols: Columns, grid: Grid, body_line: int,
          rows: int) -> tuple[list[Item], int, int]:
    """The 导语 across its body columns on whole grid lines, and the rows it takes (one blank
    line under it): items, rows, columns spanned. A lead the module's body cannot hold is an
    error at the lead (drawn, it would run out of the module over what is below)."""
    n = article.lead_cols or len(cols.xs)
    if n > len(cols.xs):
        raise _article_error(article, "lead_cols", f"a lead across {n} columns in a module of "
                             f"{len(cols.xs)} body columns",
                             f"give lead_cols at most {len(cols.xs)}")
    style = setter.styles["lead"]
    per = grid_lines_a_line(style.size, grid.leading)
    lead, indent = article.lead, setter.styles["body"].indent
    assert lead is not None
    if lead.plain:
        lines: list = setter.lines(lead.text, "lead", _span(cols, n), align="justify",
                                   indent=indent)
        place = lambda line, base: [setter.place(line, cols.xs[0], base, "lead", role="lead",
                                                 story=article.id)]
    else:
        runs_setter = lead_setter(setter)
        runs = tuple((run.text, _in_lead(run.style)) for run in lead.runs)
        lines = runs_setter.run_lines(runs, _span(cols, n), indent=indent, align="justify")
        place = lambda line, base: runs_setter.place_styled(line, cols.xs[0], base, role="lead",
                                                            story=article.id)
    if len(lines) * per > rows:
        wider = f", give it more columns (lead_cols: {len(cols.xs)})" if n < len(cols.xs) else ""
        raise _article_error(article, "lead", f"the lead's {len(lines)} lines take "
                             f"{len(lines) * per} grid lines; its module leaves {rows} under the "
                             "headline block", f"shorten the lead{wider}"
                             f"{', set styles.lead smaller' if per > 1 else ''} or give the "
                             f"module at least {len(lines) * per - rows} more lines")
    items: list[Item] = []
    for k, line in enumerate(lines):
        items.extend(place(line, grid.baseline(body_line + k * per + per - 1, style.size)))
    return items, len(lines) * per + 1, n


def grid_lines_a_line(size: float, leading: float) -> int:
    """Whole grid lines one line of `size` takes (a lead's, a subhead's): one, unless its em box
    and a little white (1.15 × size) is taller than the grid's line pitch."""
    return max(1, math.ceil(size * 1.15 / leading - 1e-6))


def _article_error(article: Article, key: str, problem: str, hint: str) -> SpecError:
    src = getattr(article, f"{key}_source") or article.source
    path = src.path if src and src.path.endswith(key) else f"articles.{article.id}.{key}"
    return SpecError(src.file if src else "", src.line if src else None, path, problem, hint)


def _in_lead(style: str) -> str:
    return style if style == "lead" else f"lead.{style}"


def lead_setter(setter: Setter) -> Setter:
    """The setter with the lead's strong and emphasis styles: theirs (font, 着重号) at the lead's
    size, so that a marked run is as large as the rest of its line. Emphasis in the body's face
    (its default: the dots mark it) is in the lead's face in a lead, as in the body it is in the
    running text's: a bold lead's 着重号 run stays bold."""
    styles = dict(setter.styles)
    lead = styles["lead"]
    for name in ("strong", "emphasis"):
        style = replace(styles[name], size=lead.size, leading=lead.leading)
        if name == "emphasis" and style.font == styles["body"].font:
            style = replace(style, font=lead.font)
        styles[_in_lead(name)] = style
    return replace(setter, styles=styles)


def _cells(inset: Inset, area: Inner) -> tuple[float, float]:
    """The inset's left and right edges (pt), on the module's grid columns."""
    x = area.column_x(inset.col - 1)
    return x, x + inset.cols * area.column_width + (inset.cols - 1) * area.gutter


def _inset_rect(inset: Inset, module: StoryModule, area: Inner, grid: Grid) -> Rect:
    left, right = _cells(inset, area)
    return Rect(left, grid.band_top(module.line + inset.line - 1), right - left,
                inset.lines * grid.leading)


def _cover(inset: Inset, row: int, rows: int, area: Inner, cols: Columns, em: float,
           blocked: list[Blocked], narrowed: list[Narrowing]) -> list[str]:
    """The body lines the inset takes: whole columns, or the part of a column beside it (on its
    wider side only: docs/spec.md, "Which side of an inset"). Returns a note for each side left
    white that is WIDE_WHITE or wider (the desk would rather move the inset)."""
    first, last = max(row, 0), min(row + inset.lines, rows)
    if last <= first:
        return []
    left, right = _cells(inset, area)
    notes = []
    for c, x in enumerate(cols.xs):
        end = x + cols.width
        if right <= x + 0.01 or left >= end - 0.01:
            continue
        before, after = left - cols.gutter - x, end - (right + cols.gutter)
        if max(before, after) < MIN_MEASURE * em:
            blocked.append(Blocked(c, first, last - first))
            continue
        if before >= after:
            narrowed.append(Narrowing(c, first, last - first, before, 0.0))
        else:
            narrowed.append(Narrowing(c, first, last - first, after, right + cols.gutter - x))
        white = min(before, after)
        if white >= WIDE_WHITE * em - 0.01:
            where = "right" if before >= after else "left"
            notes.append(f"{inset.source or 'an inset'}: the body goes on one side of the "
                         f"{_what(inset)} only, and the {where} side leaves a white strip "
                         f"{int(white / em + 0.01)} characters wide in body column {c + 1}: move "
                         "it against the column's edge, or across two body columns")
    return notes


def _what(inset: Inset) -> str:
    return "photo" if isinstance(inset, StoryPhoto) else "pull quote"


def _photo(setter: Setter, issue: Issue, photo: StoryPhoto, module: StoryModule, area: Inner,
           grid: Grid, *, below_text: bool) -> list[Item]:
    """The photo and its caption inside its cells (as an image module), clear of the text."""
    rect = _inset_rect(photo, module, area, grid)
    image = issue.images[photo.image]
    top = PHOTO_CLEAR * grid.leading if below_text else 0.0
    bottom = 0.0 if image.caption else PHOTO_CLEAR * grid.leading
    cell = ImageModule(image=photo.image, col=module.col + photo.col - 1,
                       line=module.line + photo.line - 1, cols=photo.cols, lines=photo.lines)
    items, overflow = furniture.picture(setter, image, Rect(rect.x, rect.y + top, rect.w,
                                                            rect.h - top - bottom), grid, cell)
    if overflow is not None:
        raise _inset_error(photo, f"its caption needs {overflow.needed} lines and may take "
                           f"{overflow.lines}", "give the photo more lines or shorten its caption")
    return items


def _pull_quote(setter: Setter, quote: PullQuote, area: Inner, grid: Grid,
                module: StoryModule) -> list[Item]:
    """Display lines in style `pull_quote`, flush left and ragged, between a rule above and one
    below, centred in the quote's cells."""
    rect = _inset_rect(quote, module, area, grid)
    style = setter.styles["pull_quote"]
    lines = setter.balanced(quote.text, "pull_quote", rect.w, align="left")
    height = len(lines) * style.size * PULL_LINE_HEIGHT
    room = rect.h - grid.leading  # half a line under the top rule, half over the bottom one
    if height > room + 0.01:
        need = math.ceil((height + grid.leading) / grid.leading - 1e-6)
        raise _inset_error(quote, f"the pull quote's {len(lines)} lines need {need} grid lines; "
                           f"it has {quote.lines}", f"give it lines: {need} or shorten its text")
    top, bottom = rect.y + 0.25 * grid.leading, rect.bottom - 0.25 * grid.leading
    y = top + (bottom - top - height) / 2
    items: list[Item] = [Rule(rect.x, top, rect.right, top, PULL_RULE),
                         Rule(rect.x, bottom, rect.right, bottom, PULL_RULE)]
    for k, line in enumerate(lines):
        base = y + (k * PULL_LINE_HEIGHT + (PULL_LINE_HEIGHT - 1) / 2) * style.size \
            + EM_BOX_ASCENT * style.size
        items.append(setter.place(line, rect.x, base, "pull_quote", role="pull_quote"))
    return items


def _inset_error(inset: Inset, problem: str, hint: str) -> SpecError:
    src = inset.source
    return SpecError(src.file if src else "", src.line if src else None,
                     src.path if src else "photos", problem, hint)


def _into_headline(inset: Inset, module: StoryModule, above: int,
                   headline: bool = True) -> SpecError:
    """An inset in the lines above the body: the headline block's (and a box's padding), or
    with no headline block (a same-page continuation) the box's padding alone."""
    if not headline:
        return _inset_error(
            inset, f"the {_what(inset)} at line {inset.line} reaches into the box's padding, "
            f"which takes lines 1-{above} of the module", f"start it at line {above + 1} or later")
    return _inset_error(
        inset, f"the {_what(inset)} at line {inset.line} reaches into the headline block, which "
        f"takes lines 1-{above} of the module",
        f"start it at line {above + 1} or later; a photo at line 1 across all {module.cols} "
        "columns puts the headline under it (压题照片)")
