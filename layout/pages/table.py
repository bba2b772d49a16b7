"""Newspaper tables (weather, stocks, results): a header row, rows of cells on the baseline grid,
rules or a tint every other row, a note under the last row. Pure: returns plan items.

What a desk expects, and so what this does:
- A row takes whole grid lines (one, unless the cells' style is taller than the body leading); a
  data row's baseline is the body text's baseline of its grid line, so rows line up with the
  columns of text beside the table.
- Column widths come from the content: each column as wide as its widest cell or title, the room
  left shared equally between the columns. A cell is set on one line as written: never wrapped,
  justified or letter-spaced. A table that is wider than its module at those widths is refused
  (a layout error naming the table, both widths and the fix), as a desk would send it back.
- `decimal` columns align on the decimal point (the last `.` of a cell; a cell without one ends
  where a point would stand), their digits flush right as a block; `right` columns flush right.
- Rows that do not fit go to the table's `table_continue:` modules (header repeated); after the
  last module they are overset, reported like crowded furniture with the rows short.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..compose.types import ComposedLine
from ..model.grid import EM_BOX_ASCENT, Grid, Rect
from ..model.issue import Issue, ModuleId, Table, TablePart
from ..util.errors import LayoutError
from .boxes import under_a_box
from .furniture import Overflow
from .plan import BLACK, GREY, CMYK, Fill, Item, Rule, TextLine
from .typeset import Setter

OUTER_RULE = 0.75  # above the header row and under the last row
HEAD_RULE = 0.5  # under the header row
ROW_RULE = 0.3  # between rows (the furniture hairline)
GAP_EM = 1.0  # between columns, in em of the cells' size
PAD_EM = 0.25  # at the module's left and right edges
NOTE_STYLE = "caption"
DECIMAL_POINTS = ".．·"


@dataclass(frozen=True)
class Cell:
    """A cell set on one line: the line, and how far its decimal point is from its start."""

    line: ComposedLine | None  # None: an empty cell
    point: float  # x of the decimal point in the line (its width when it has none)

    @property
    def width(self) -> float:
        return self.line.width if self.line is not None else 0.0


@dataclass(frozen=True)
class Set:
    """The whole table set once: header cells, data cells, each column's natural width and the
    width right of the decimal point of its decimal cells."""

    head: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    natural: tuple[float, ...]
    after_point: tuple[float, ...]
    size: float
    row_lines: int


def set_table(setter: Setter, table: Table, grid: Grid) -> Set:
    style = setter.styles[table.style]
    head = tuple(_cell(setter, c.title, table.head_style, style.size) for c in table.columns)
    rows = tuple(tuple(_cell(setter, text, table.style, style.size) for text in row)
                 for row in table.rows)
    natural, after = [], []
    for k, column in enumerate(table.columns):
        cells = [row[k] for row in rows]
        if column.align == "decimal":
            right = max((c.width - c.point for c in cells), default=0.0)
            body = max((c.point for c in cells), default=0.0) + right
        else:
            right, body = 0.0, max((c.width for c in cells), default=0.0)
        natural.append(max(body, head[k].width))
        after.append(right)
    leading = style.leading or 1.2 * style.size
    row_lines = max(1, math.ceil(leading / grid.leading - 1e-6))
    return Set(head, rows, tuple(natural), tuple(after), style.size, row_lines)


def _cell(setter: Setter, text: str, style: str, size: float) -> Cell:
    if not text:
        return Cell(None, 0.0)
    line = setter.lines(text, style, 1e6, align="left", size=size)[0]
    point = next((x for ch, x in reversed(line.glyphs) if ch in DECIMAL_POINTS), line.width)
    return Cell(line, point)


def column_edges(done: Set, table: Table, rect: Rect, where: str) -> list[tuple[float, float]]:
    """(x, width) of each column in the module: natural widths, the room left shared equally."""
    gap, pad = GAP_EM * done.size, PAD_EM * done.size
    n = len(done.natural)
    total = sum(done.natural) + gap * (n - 1) + 2 * pad
    if total > rect.w + 0.01:
        widest = max(range(n), key=lambda k: done.natural[k])
        title = table.columns[widest].title or f"column {widest + 1}"
        raise LayoutError(
            f"{where}: table {table.id!r} is {total:.1f} pt wide with each column as wide as its "
            f"widest cell, its module {rect.w:.1f} pt (its widest column: {title!r}, "
            f"{done.natural[widest]:.1f} pt)",
            f"give the module more columns, or a smaller style (tables.{table.id}.style); "
            "cells are never wrapped or letter-spaced")
    share = (rect.w - total) / n
    edges, x = [], rect.x + pad
    for w in done.natural:
        edges.append((x, w + share))
        x += w + share + gap
    return edges


def table_chain(issue: Issue, table_id: str) -> list[tuple[ModuleId, TablePart]]:
    """The table's modules in reading order: its `table:` module, then `table_continue:` ones by
    page number and list order (the loader checked that the start comes first)."""
    found = [(mid, m) for page in sorted(issue.pages, key=lambda p: p.number)
             for mid, m in page.module_ids() if isinstance(m, TablePart) and m.table == table_id]
    return sorted(found, key=lambda pair: pair[1].continued)  # stable: the start first


def _note(setter: Setter, table: Table, width: float) -> list[ComposedLine]:
    return setter.lines(table.note, NOTE_STYLE, width, align="left") if table.note else []


def shares(setter: Setter, table: Table, done: Set, chain: list[tuple[ModuleId, TablePart]],
           grid: Grid) -> tuple[list[range], int]:
    """The rows each module of the chain shows, and how many are left after the last. The note
    goes with the last row: a module that has room for the last rows but not the note leaves its
    last row to the next module."""
    rl, start, n, out = done.row_lines, 0, len(table.rows), []
    for k, (_, m) in enumerate(chain):
        remaining = n - start
        room = max(0, (m.lines - rl) // rl)
        note = len(_note(setter, table, grid.span_width(m.cols)))
        if not remaining or (1 + remaining) * rl + note <= m.lines:
            take = remaining
        elif k == len(chain) - 1 or remaining > room:
            take = min(remaining, room)
        else:
            take = remaining - 1
        out.append(range(start, start + take))
        start += take
    return out, n - start


def place_table(setter: Setter, issue: Issue, mid: ModuleId, module: TablePart, rect: Rect,
                grid: Grid) -> tuple[list[Item], Overflow | None]:
    """The part of the table that falls to this module, and an Overflow with the rows short when
    this is the last module and rows are left."""
    table = issue.tables[module.table]
    done = set_table(setter, table, grid)
    where = str(module.source) if module.source else f"table {table.id}"
    edges = column_edges(done, table, rect, where)
    chain = table_chain(issue, table.id)
    rows_of, left = shares(setter, table, done, chain, grid)
    k = next(i for i, (m_id, _) in enumerate(chain) if m_id == mid)
    rows = rows_of[k]
    last = k == len(chain) - 1
    if not rows and not (last and left):
        return [], None  # a continuation the table never reached stays blank
    page = next(p for p in issue.pages if p.number == mid.page)
    items = _rows(setter, table, done, edges, rows, module.line, rect, grid,
                  top_rule=not under_a_box(page, module))
    note_lines = _note(setter, table, rect.w - 2 * PAD_EM * done.size)
    overflow = None
    if last and left:
        needed = (1 + len(rows) + left) * done.row_lines + len(note_lines)
        overflow = Overflow(f"the table {table.id!r} ({left} row{'s' if left != 1 else ''} short)",
                            needed, module.lines)
    elif rows.stop == len(table.rows):
        first = module.line + (1 + len(rows)) * done.row_lines
        size = setter.styles[NOTE_STYLE].size
        for j, line in enumerate(note_lines):
            base = grid.band_top(first + j) + (grid.leading - size) / 2 + EM_BOX_ASCENT * size
            items.append(setter.place(line, rect.x + PAD_EM * done.size, base, NOTE_STYLE,
                                      role="table_note"))
    return items, overflow


def _rows(setter: Setter, table: Table, done: Set, edges: list[tuple[float, float]],
          rows: range, top_line: int, rect: Rect, grid: Grid, top_rule: bool = True) -> list[Item]:
    """Header row, data rows, their rules and tints; no top rule under a box, whose frame
    stands for it (boxes.under_a_box)."""
    rl, size = done.row_lines, done.size
    body = setter.styles["body"].size
    band = rl * grid.leading
    head_base = grid.band_top(top_line) + (band - size) / 2 + EM_BOX_ASCENT * size
    items: list[Item] = [Rule(rect.x, rect.y + OUTER_RULE / 2, rect.right, rect.y + OUTER_RULE / 2,
                              OUTER_RULE, BLACK)] if top_rule else []
    items += _row(setter, table, done.head, done, edges, head_base, table.head_style, "table_head")
    bottom = head_base + (1 - EM_BOX_ASCENT) * size  # em box bottom of the row above
    for j, r in enumerate(rows):
        line = top_line + (1 + j) * rl
        base = grid.baseline(line + rl - 1, body)
        top = base - EM_BOX_ASCENT * size
        above = (bottom + top) / 2
        below_next = grid.band_top(line + rl)  # the next row's em box top at the latest
        below = (base + (1 - EM_BOX_ASCENT) * size + below_next) / 2
        if j == 0:
            items.append(Rule(rect.x, above, rect.right, above, HEAD_RULE, BLACK))
        elif table.rules == "rows":
            items.append(Rule(rect.x, above, rect.right, above, ROW_RULE, GREY))
        if table.zebra and j % 2 == 1:
            items.append(Fill(Rect(rect.x, above, rect.w, below - above), _tint(table.zebra)))
        items += _row(setter, table, done.rows[r], done, edges, base, table.style, "table_cell")
        bottom = base + (1 - EM_BOX_ASCENT) * size
    end = (bottom + grid.band_top(top_line + (1 + len(rows)) * rl)) / 2
    items.append(Rule(rect.x, end, rect.right, end, OUTER_RULE, BLACK))
    return items


def _row(setter: Setter, table: Table, cells: tuple[Cell, ...], done: Set,
         edges: list[tuple[float, float]], baseline: float, style: str, role: str) -> list[Item]:
    out: list[Item] = []
    head = role == "table_head"
    for k, (cell, (x, w)) in enumerate(zip(cells, edges)):
        if cell.line is None:
            continue
        align = table.columns[k].align
        if align == "decimal" and not head:
            cx = x + w - done.after_point[k] - cell.point
        elif align in ("right", "decimal"):
            cx = x + w - cell.width
        elif align == "center":
            cx = x + (w - cell.width) / 2
        else:
            cx = x
        out.append(setter.place(cell.line, cx, baseline, style, size=done.size, role=role))
    return out


def _tint(share: float) -> CMYK:
    return (0.0, 0.0, 0.0, round(share, 4))


def table_texts(issue: Issue):
    """(where, style, text, source) of every text the tables set, for the glyph check."""
    for tid, table in issue.tables.items():
        for column in table.columns:
            if column.title:
                yield f"table {tid}", table.head_style, column.title, table.source
        for row in table.rows:
            for text in row:
                if text:
                    yield f"table {tid}", table.style, text, table.source
        if table.note:
            yield f"table {tid} (note)", NOTE_STYLE, table.note, table.source
