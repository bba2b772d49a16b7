"""Column flow: a story's composed lines → slots in the columns of its chain of modules.

Lines are broken once (every body column of the grid has the same width) and then distributed, so
flow is pure bookkeeping over counts. An item may be taller than one grid line (`Tall`: a subhead
set over two lines); it is kept whole in one column. A box may narrow some of its lines (a photo
set into the story): `line_measures` gives the measure of each slot, for a composer that breaks
each line at its own width; such a box is filled column by column, not balanced, so that every
line lands in the slot it was broken for. Running out of room is a return value (`overset`), never an
exception. Jump lines (convention 6) take one slot each: the last slot of a part that continues, and
the first slot of a continuation.

Widows: a paragraph's last line alone at the top of a column (or right under a jump line) is
avoided, when the caller can re-break paragraphs (`rebreak`), by setting that paragraph or the one
before it one line longer or shorter, as a desk does; each try is flowed again, so a story's
balanced ending stays balanced, and a try is kept only if it leaves fewer widows and no more
overset.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Literal, Sequence, Union

from ..compose.types import ComposedLine
from . import regions
from .keeps import KEEP_WITH_SUBHEAD, keep_score, problems, widow_slots
from .regions import Blocked


@dataclass(frozen=True)
class Narrowing:
    """Grid lines of one column of a box set to another measure (pt)."""

    column: int  # 0-based, in the box
    first_row: int  # 0-based grid line of the box's body area
    rows: int
    width: float
    offset: float = 0.0  # pt from the column's start edge to the narrowed lines' start


@dataclass(frozen=True)
class BodyBox:
    """The body area of one module of a chain: `columns` columns of `rows` grid lines, each line
    `width` wide (0: the story's one measure) except where `narrowed`; grid lines an inset covers
    are `blocked` (the column continues below it). `same_page`: the box continues the one before
    on its page, with no jump lines between them."""

    columns: int
    rows: int
    width: float = 0.0
    narrowed: tuple[Narrowing, ...] = ()
    blocked: tuple[Blocked, ...] = ()
    same_page: bool = False

    @property
    def capacity(self) -> int:
        if self.blocked:
            return self.columns * self.rows - regions.blocked_cells(self.columns, self.rows,
                                                                    self.blocked)
        return self.columns * self.rows

    def narrowing(self, column: int, row: int) -> Narrowing | None:
        return next((n for n in self.narrowed if n.column == column
                     and n.first_row <= row < n.first_row + n.rows), None)

    def measure(self, column: int, row: int) -> float:
        """The width of one line slot of the box."""
        for n in self.narrowed:
            if n.column == column and n.first_row <= row < n.first_row + n.rows:
                return n.width
        return self.width


def line_measures(box: BodyBox) -> tuple[float, ...]:
    """The measure of each line slot of the box in reading order (down each column in turn,
    round its insets)."""
    runs = regions.free_runs(box.columns, box.rows, box.blocked)
    return tuple(box.measure(c, r) for c, first, n in runs for r in range(first, first + n))


@dataclass(frozen=True)
class Tall:
    """A flow item more than one grid line high (a subhead over two lines): what the planner
    places (`content`) and its height in grid lines; never split between columns."""

    content: object
    rows: int


@dataclass(frozen=True)
class Jump:
    direction: Literal["to", "from"]  # "to": 下转 (ends a part); "from": 上接 (opens a continuation)
    other_box: int  # the chain index of the module at the other end


FlowItem = Union[ComposedLine, Tall]  # what a story gives the flow
Item = Union[ComposedLine, Tall, Jump]


def rows_of(item: Item) -> int:
    """An item's height in grid lines: a body or jump line is one."""
    return item.rows if isinstance(item, Tall) else 1


@dataclass(frozen=True)
class Slot:
    box: int  # index in the chain
    column: int  # 0-based column within the module
    row: int  # 0-based grid line within the module's body area (an item's first, if tall)
    item: Item


@dataclass(frozen=True)
class Flowed:
    slots: tuple[Slot, ...]
    overset: tuple[FlowItem, ...]  # items left when the chain ran out
    used: tuple[int, ...]  # slots used per box (jump lines included)

    @property
    def overset_chars(self) -> int:
        return sum(len(line.glyphs) for line in self.overset if isinstance(line, ComposedLine))

    @property
    def line_count(self) -> int:
        """The story's body lines as flowed (widow control may have set a paragraph a line
        longer or shorter than it was composed)."""
        return sum(isinstance(s.item, ComposedLine) for s in self.slots) + len(self.overset)


def _column_counts(n: int, box: BodyBox, balance: bool) -> list[int]:
    """How many of `n` items go into each column: fill columns in turn, or balance them so that the
    columns end level with any shortfall in the last column (issue: balanced story endings)."""
    if not balance or box.columns == 1:
        counts = []
        left = n
        for _ in range(box.columns):
            counts.append(min(left, box.rows))
            left -= counts[-1]
        return counts
    per = -(-n // box.columns)  # ceil
    if n >= box.columns and per * (box.columns - 1) >= n:
        # Level columns would leave the last ones empty (17 lines over 8 columns: 3,3,3,3,3,2,0,0):
        # every column gets its share instead, the first ones a line more (3,2,2,2,2,2,2,2).
        q, r = divmod(n, box.columns)
        return [q + 1 if c < r else q for c in range(box.columns)]
    counts = []
    left = n
    for _ in range(box.columns):
        counts.append(min(left, per))
        left -= counts[-1]
    return counts


# (paragraph index, wanted line count) → that paragraph set in exactly so many lines, or None when
# it cannot be without lines looser or tighter than the desk accepts.
Rebreak = Callable[[int, int], Sequence[ComposedLine] | None]
MAX_WIDOW_FIXES = 12  # re-breaks tried per story, at most (each is a cheap re-flow)


def flow_story(lines: Sequence[FlowItem], boxes: Sequence[BodyBox], *,
               balance_end: bool = True, rebreak: Rebreak | None = None) -> Flowed:
    """Distribute `lines` over the chain `boxes`, writing jump lines where the story moves on;
    with `rebreak`, paragraphs are re-broken to keep their last lines off column tops."""
    flowed = _flow(lines, boxes, balance_end)
    if rebreak is None or not keep_score(flowed.slots):
        return flowed
    return _avoid_widows(list(lines), boxes, balance_end, rebreak, flowed)


def widows(flowed: Flowed) -> list[ComposedLine]:
    """Lines that end a paragraph of two or more lines and stand first in a column (under the jump
    line in a continuation), the story's opening column apart."""
    return [flowed.slots[i].item for i in widow_slots(flowed.slots)]


def _paragraph_spans(lines: Sequence[FlowItem]) -> list[tuple[int, int]]:
    """[start, end) of each paragraph's lines (a tall item, such as a subhead, is in none)."""
    spans: list[tuple[int, int]] = []
    for i, line in enumerate(lines):
        if not isinstance(line, ComposedLine):
            continue
        if line.first or not spans or spans[-1][1] != i:
            spans.append((i, i + 1))
        else:
            spans[-1] = (spans[-1][0], i + 1)
    return spans


def _avoid_widows(lines: list[FlowItem], boxes: Sequence[BodyBox], balance_end: bool,
                  rebreak: Rebreak, flowed: Flowed) -> Flowed:
    """Re-break paragraphs, one at a time, while that keeps the story better (flow/keeps.py): for
    a widow, its own paragraph one line shorter (its last line pulled up) or longer (two lines at
    the top), else the paragraph before it one line longer (pushing a second line over) or
    shorter; for an orphan or a subhead at a column's foot, the paragraph before it one line
    longer (pushing it over) or shorter (pulling the next lines up), for a subhead else the one
    before that (orphans are common and each try costs a re-break: two tries)."""
    variants: dict[tuple[int, int], Sequence[ComposedLine] | None] = {}
    for _ in range(MAX_WIDOW_FIXES):
        found = list(problems(flowed.slots))
        if not found:
            break
        spans = _paragraph_spans(lines)
        best: tuple[list[FlowItem], Flowed] | None = None
        for kind, at_fault in found:
            k = next(j for j, line in enumerate(lines) if line is at_fault)
            if kind == "widow":
                para = next(j for j, (a, b) in enumerate(spans) if a <= k < b)
                targets = ((para, -1), (para, 1), (para - 1, 1), (para - 1, -1))
            else:  # the paragraph before the orphan's (or before the subhead)
                before = sum(1 for a, _ in spans if a < k) - 1
                targets = ((before, 1), (before, -1)) if kind == "orphan" else \
                    ((before, 1), (before, -1), (before - 1, 1), (before - 1, -1))
            for target, delta in targets:
                best = _try_variant(lines, spans, target, delta, boxes, balance_end, rebreak,
                                    variants, flowed)
                if best is not None:
                    break
            if best is not None:
                break
        if best is None:
            break
        lines, flowed = best
    return flowed


def _try_variant(lines: list[FlowItem], spans: list[tuple[int, int]], para: int, delta: int,
                 boxes: Sequence[BodyBox], balance_end: bool, rebreak: Rebreak,
                 variants: dict[tuple[int, int], Sequence[ComposedLine] | None],
                 flowed: Flowed) -> tuple[list[FlowItem], Flowed] | None:
    """The story with paragraph `para` set `delta` lines longer, flowed, if that is better."""
    if para < 0:
        return None
    a, b = spans[para]
    count = b - a + delta
    if count < 1:
        return None
    key = (para, count)
    if key not in variants:
        variants[key] = rebreak(para, count)
    alt = variants[key]
    if alt is None or len(alt) != count:
        return None
    candidate = lines[:a] + list(alt) + lines[b:]
    result = _flow(candidate, boxes, balance_end)
    if len(result.overset) > len(flowed.overset) or \
            keep_score(result.slots) >= keep_score(flowed.slots):
        return None
    return candidate, result


def _flow(lines: Sequence[FlowItem], boxes: Sequence[BodyBox], balance_end: bool) -> Flowed:
    """Distribute `lines` over the chain `boxes`, writing jump lines where the story moves on."""
    slots: list[Slot] = []
    used: list[int] = []
    pos = 0
    total = len(lines)
    tall = any(isinstance(line, Tall) for line in lines)
    for k, box in enumerate(boxes):
        if pos >= total:
            used.append(0)
            continue
        # A continuation on the same page goes on with no jump lines (the reader sees it).
        items: list[Item] = [Jump("from", k - 1)] if k > 0 and not box.same_page else []
        counted = tall or bool(box.blocked)
        if counted:
            fit = _fit_count([*items, *lines[pos:]], box) - len(items)
        else:  # one line a slot: plain counting (the hot path of widow control)
            fit = max(0, min(total - pos, box.capacity - len(items)))
        continues = fit < total - pos and k + 1 < len(boxes)
        jump = continues and not boxes[k + 1].same_page
        if jump:
            take = (_take_before_jump(items, lines[pos:pos + fit], box, k + 1) if counted
                    else max(0, fit - 1))
        else:
            take = fit
        items.extend(lines[pos:pos + take])
        pos += take
        if jump:
            items.append(Jump("to", k + 1))
        # Level columns matter more to the desk than a paragraph's last line at a column top
        # (common in Chinese dailies): no line is moved to avoid one.
        balance = balance_end and pos >= total and not box.narrowed
        if box.blocked:  # round the box's insets
            at = regions.positions([rows_of(item) for item in items], box.columns, box.rows,
                                   box.blocked, balance)
            slots.extend(Slot(k, col, row, item) for (col, row), item in zip(at, items))
        else:
            for col, column in enumerate(_columns(items, box, balance)):
                row = 0
                for item in column:
                    slots.append(Slot(k, col, row, item))
                    row += rows_of(item)
        used.append(sum(rows_of(item) for item in items))
    return Flowed(tuple(slots), tuple(lines[pos:]), tuple(used))


def _fit_count(items: Sequence[Item], box: BodyBox, rows: int | None = None) -> int:
    """How many of `items`, in order, fit the box filled column by column (`rows` per column)."""
    limit = box.rows if rows is None else rows
    if box.blocked:
        runs = regions.free_runs(box.columns, box.rows, box.blocked, limit)
        return len(regions.place([rows_of(item) for item in items], runs))
    if all(not isinstance(item, Tall) for item in items):
        return min(len(items), box.columns * limit)
    col, row = 0, 0
    for n, item in enumerate(items):
        h = rows_of(item)
        if row + h > limit:
            col, row = col + 1, 0
        if col >= box.columns or h > limit:
            return n
        row += h
    return len(items)


def _take_before_jump(head: list[Item], fitting: Sequence[FlowItem], box: BodyBox,
                      other: int) -> int:
    """How many of the items that fit stay in the box when its last slot goes to a jump line."""
    take = len(fitting)
    while take > 0 and _fit_count([*head, *fitting[:take], Jump("to", other)], box) \
            < len(head) + take + 1:
        take -= 1
    return take


def _columns(items: list[Item], box: BodyBox, balance: bool) -> list[list[Item]]:
    """The box's items split into its columns (see `_column_counts`; tall items: the lowest
    column height that holds them all, when balancing)."""
    if all(not isinstance(item, Tall) for item in items):
        out, i = [], 0
        for count in _column_counts(len(items), box, balance):
            out.append(items[i:i + count])
            i += count
        return out
    limit = box.rows
    if balance and box.columns > 1:
        # The lowest level height that holds every item, and keeps each subhead with the lines
        # after it (a height that strands one at a column's foot is passed over, if another is
        # not: the desk's keep matters more than level ends).
        need = -(-sum(rows_of(item) for item in items) // box.columns)
        heights = [h for h in range(need, box.rows + 1) if _fit_count(items, box, h) == len(items)]
        limit = next((h for h in heights if not _strands_a_subhead(_split(items, box, h))),
                     heights[0] if heights else box.rows)
    return _split(items, box, limit)


def _split(items: list[Item], box: BodyBox, limit: int) -> list[list[Item]]:
    """The items filled column by column, at most `limit` rows a column."""
    out: list[list[Item]] = [[] for _ in range(box.columns)]
    col, row = 0, 0
    for item in items[:_fit_count(items, box, limit)]:
        if row + rows_of(item) > limit:
            col, row = col + 1, 0
        out[col].append(item)
        row += rows_of(item)
    return out


def _strands_a_subhead(columns: list[list[Item]]) -> bool:
    """A tall item (a subhead) with fewer than its keep of lines under it in its column while
    the story goes on in the next."""
    for c, column in enumerate(columns):
        later = any(columns[c + 1:])
        for i, item in enumerate(column):
            if isinstance(item, Tall) and len(column) - i - 1 < KEEP_WITH_SUBHEAD and later:
                return True
    return False
