"""Text dumps of composed output for golden tests: which line landed where, one dump line per placed
line, in an order that does not depend on the order the pipeline happened to place items in.

A placed text line reads
    p1 | article:shoulashou | c2 | 245.50 | body song 9 | 本报讯（记者武芳）… | 132.45 9×3 4.5 …
that is: page, module (kind:ref, or the furniture role when no module holds the line), page column
holding the line's start, baseline (pt), role, font role and size, the text, and the glyph x
positions: the first absolute (pt on the trimmed page), then the step to each next glyph, all
rounded to 0.01 pt (steps are taken between rounded values, so they add up exactly), with runs of
equal steps written `step×count`.

Which module holds a line, and for a flowed line its column, are the planner's own facts carried
in the plan (`TextLine.at`); only a furniture line's column is read from its x on the page grid.
Pure: no file is read or written here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from ..fonts.harfbuzz import VERTICAL_SUFFIX
from ..compose.paragraph import Paragraph
from ..compose.types import ComposedLine
from ..model.grid import Grid, page_grid
from ..model.issue import Issue, Module, Page
from ..pages.plan import Dots, EditionPlan, MarkLine, Fill, PagePlan, PdfPage, Picture, Rule, Spot, TextLine

DUMP_FORMAT = 1
TOLERANCE = 0.5  # pt: a line starting this far left of a column's edge still starts in it


@dataclass(frozen=True)
class FontStamp:
    """A face an edition uses, as the golden header names it: the installed file by name (not
    folder, so the dump does not depend on where fonts are installed) and the start of its hash."""

    role: str
    name: str  # as the spec names it
    face_key: str  # how the plan's TextLine.font names it (fonts.Face.key)
    file: str
    index: int
    sha256: str  # first 12 hex digits

    def header_line(self) -> str:
        return f"# font {self.role}: {self.name} = {self.file}#{self.index} sha256 {self.sha256}"


def hundredths(value: float) -> int:
    return round(value * 100)


def fmt(h: int) -> str:
    """Hundredths of a pt as text: 13245 → 132.45, 900 → 9, 450 → 4.5 (integer arithmetic only)."""
    sign = "-" if h < 0 else ""
    whole, frac = divmod(abs(h), 100)
    text = f"{whole}.{frac:02d}".rstrip("0").rstrip(".")
    return sign + text


def fixed(h: int) -> str:
    """Hundredths of a pt with both decimals (baselines line up in a column): 26750 → 267.50."""
    whole, frac = divmod(abs(h), 100)
    return f"{'-' if h < 0 else ''}{whole}.{frac:02d}"


def positions(xs: Sequence[float]) -> str:
    """Absolute x of the first glyph, then the steps between rounded positions, runs compressed."""
    if not xs:
        return "-"
    rounded = [hundredths(x) for x in xs]
    parts = [fmt(rounded[0])]
    steps = [b - a for a, b in zip(rounded, rounded[1:])]
    k = 0
    while k < len(steps):
        run = 1
        while k + run < len(steps) and steps[k + run] == steps[k]:
            run += 1
        parts.append(fmt(steps[k]) + (f"×{run}" if run > 1 else ""))
        k += run
    return " ".join(parts)


# --------------------------------------------------------------------------------------------------
# A planned edition


def module_label(page: Page, m: Module) -> str:
    """`kind:ref`, numbered when a page holds two modules of the same kind and ref."""
    base = f"{m.kind}:{m.ref}" if m.ref else m.kind
    same = [o for o in page.modules if (o.kind, o.ref) == (m.kind, m.ref)]
    return base if len(same) == 1 else f"{base}#{same.index(m) + 1}"


def page_column(grid: Grid, x: float) -> int:
    """The page column (1-based) whose column-plus-gutter span holds `x` (for furniture lines,
    which the flow did not place in a column)."""
    step = grid.column_width + grid.gutter
    col = int((x - grid.left + TOLERANCE) // step) + 1
    return min(max(col, 1), grid.columns)


def line_column(page: Page, grid: Grid, line: TextLine) -> int:
    """The page column of the line's start: the flow's column for body and jump lines."""
    at = line.at
    if at is not None and at.column is not None:
        return page.modules[at.module.index].col + at.column
    return page_column(grid, line.x)


def _text_entry(page: Page, grid: Grid, line: TextLine, roles: Mapping[str, str]):
    k = line.at.module.index if line.at is not None else None
    where = module_label(page, page.modules[k]) if k is not None else f"({line.role})"
    column = line_column(page, grid, line)
    xs = [line.x + x for _, x in line.glyphs]
    text = "".join(ch for ch, _ in line.glyphs)
    fields = (f"p{page.number}", where, f"c{column}",
              fixed(hundredths(line.baseline)),
              f"{line.role} {roles.get(line.font, line.font)} {fmt(hundredths(line.size))}",
              text, positions(xs))
    key = (len(page.modules) if k is None else k, column,
           hundredths(line.baseline), hundredths(line.x), text)
    return key, " | ".join(fields)


def _box(x: float, y: float, w: float, h: float) -> str:
    return " ".join(fmt(hundredths(v)) for v in (x, y, w, h))


def _ink(colour) -> str:
    """A fill's colour: process CMYK, or a spot ink by name and tint."""
    if isinstance(colour, Spot):
        return f"spot {colour.name} {colour.tint:g}"
    return "cmyk " + " ".join(f"{c:g}" for c in colour)


def _other_entry(page_no: int, item) -> tuple[tuple, str]:
    """Rules, fills and pictures, after the text of their page, ordered by position."""
    if isinstance(item, Rule):
        coords = (item.x1, item.y1, item.x2, item.y2)
        line = f"p{page_no} | rule | {_box(*coords)} | width {fmt(hundredths(item.width))}"
        return (0, *(hundredths(v) for v in coords)), line
    if isinstance(item, Fill):
        r = item.rect
        return (1, hundredths(r.y), hundredths(r.x)), \
            f"p{page_no} | fill | {_box(r.x, r.y, r.w, r.h)} | {_ink(item.color)}"
    if isinstance(item, Picture):
        c, p = item.clip, item.place
        return (2, hundredths(c.y), hundredths(c.x)), (
            f"p{page_no} | picture {item.file.name} | clip {_box(c.x, c.y, c.w, c.h)} | "
            f"place {_box(p.x, p.y, p.w, p.h)}")
    if isinstance(item, PdfPage) and item.ad is None:
        p = item.place
        return (2, hundredths(p.y), hundredths(p.x)), (
            f"p{page_no} | pdf {item.file.name} page {item.page} | place {_box(p.x, p.y, p.w, p.h)}")
    if isinstance(item, PdfPage):
        p = item.place
        return (2, hundredths(p.y), hundredths(p.x)), (
            f"p{page_no} | ad {item.ad} {item.file.name} page {item.page} | "
            f"place {_box(p.x, p.y, p.w, p.h)}")
    if isinstance(item, Dots):
        first = item.centres[0]
        return (3, hundredths(first[1]), hundredths(first[0])), (
            f"p{page_no} | dots {len(item.centres)} | first {_box(first[0], first[1], 0, 0)} | "
            f"radius {fmt(hundredths(item.radius))}")
    if isinstance(item, MarkLine):
        kind = "wave" if item.wave else "line"
        return (3, hundredths(item.y1), hundredths(item.x1)), (
            f"p{page_no} | mark {kind} | from {_box(item.x1, item.y1, 0, 0)} | "
            f"to {_box(item.x2, item.y2, 0, 0)}")
    raise TypeError(f"unknown plan item {type(item).__name__}")


def _page_lines(issue: Issue, page: Page, plan: PagePlan, roles: Mapping[str, str]) -> list[str]:
    grid = page_grid(issue.format, issue.styles["body"].leading, page.number)
    texts = sorted(_text_entry(page, grid, item, roles)
                   for item in plan.items if isinstance(item, TextLine))
    others = sorted(_other_entry(page.number, item)
                    for item in plan.items if not isinstance(item, TextLine))
    head = (f"== page {page.number}: {fmt(hundredths(plan.width))} × {fmt(hundredths(plan.height))}"
            f" pt, bleed {fmt(hundredths(plan.bleed))}, {grid.columns} columns of "
            f"{fmt(hundredths(grid.column_width))}, {grid.lines} lines")
    return [head, *(line for _, line in texts), *(line for _, line in others)]


def dump_edition(issue: Issue, plan: EditionPlan, fonts: Sequence[FontStamp], *, title: str,
                 tools: str) -> str:
    """The dump of a planned edition: a header naming what it depends on, then each page."""
    roles: dict[str, str] = {}
    for stamp in fonts:
        roles.setdefault(stamp.face_key, stamp.role)
        roles.setdefault(stamp.face_key + VERTICAL_SUFFIX, stamp.role + VERTICAL_SUFFIX)
    out = [f"# golden dump of {title} (layout.dump format {DUMP_FORMAT})",
           *(stamp.header_line() for stamp in fonts), f"# tools: {tools}",
           "# page | module | column | baseline | role font size | text | glyph x: first, then steps"]
    by_number = {p.number: p for p in issue.pages}
    for page_plan in plan.pages:
        out.extend(_page_lines(issue, by_number[page_plan.number], page_plan, roles))
    for fit in plan.fits:
        modules = ", ".join(f"p{p} {used}/{avail}" for p, avail, used in fit.modules)
        out.append(f"fit {fit.story}: {fit.lines} lines in {modules}; overset {fit.overset_lines} "
                   f"lines, {fit.overset_chars} chars")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------------
# A paragraph set by the composer directly (the fake-font corpus)


def adjustment(para: Paragraph, line: ComposedLine, width: float, indent: float,
               justify: bool) -> str:
    """How the composer met the measure on this line: the parts of its adjustment that are used
    (sq: share of mid-line marks' blank halves squeezed, sqend: the line-end mark squeezed whole,
    sh: shrink ratio, st: stretch ratio, sp: em added per gap at a spread level); `-` for none.
    Read from the composer's own justification step, so it says what set the glyphs."""
    adj = para.adjustment(line, width, indent, justify)
    parts = []
    if adj.squeeze_ratio:
        parts.append(f"sq={adj.squeeze_ratio:.4f}")
    if adj.squeeze_end:
        parts.append("sqend")
    if adj.shrink_ratio:
        parts.append(f"sh={adj.shrink_ratio:.4f}")
    if adj.stretch_ratio:
        parts.append(f"st={adj.stretch_ratio:.4f}")
    if adj.spread:
        parts.append(f"sp={adj.spread:.4f}/{adj.spread_level}")
    return " ".join(parts) or "-"


def dump_paragraph(name: str, setting: str, lines: Iterable[ComposedLine],
                   adjustments: Iterable[str]) -> list[str]:
    """One dump line per composed line: paragraph, setting, line number, text, adjustment, x."""
    return [f"{name} | {setting} | L{k} | {line.text} | {adj} | "
            f"{positions([x for _, x in line.glyphs])} | w {fmt(hundredths(line.width))}"
            for k, (line, adj) in enumerate(zip(lines, adjustments), 1)]
