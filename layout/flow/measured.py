"""Flow with a measure per line slot (issue 15): a story whose modules set body columns of their own
(变栏) or whose insets narrow part of a column is composed as it is flowed, block by block, each
paragraph broken at the widths of the very slots its lines will take.

The slots are a chain's body lines in reading order (down each column in turn, round the insets);
jump lines take the last slot of a part that continues on another page and the first of its
continuation, as in `chain`. A subhead (a tall item) goes whole into one run of free lines. Such a
story is filled column by column, not balanced: a line moved to another slot would not fit it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from .chain import BodyBox, FlowItem, Flowed, Jump, Slot, rows_of
from .keeps import keep_by_counts, keep_score
from .regions import free_runs

# (block index, the widths of the slots from where it starts, one a line, the lines wanted or
# None) → its flow items; None when it cannot be set in that many lines
ComposeBlock = Callable[[int, Sequence[float], "int | None"], "Sequence[FlowItem] | None"]
LOOKAHEAD = 400  # slot widths handed to the composer at most (a paragraph is never that long)


@dataclass(frozen=True)
class _Cell:
    box: int
    column: int
    row: int
    width: float
    run: int  # cells of one run of free lines share it


def flow_measured(blocks: int, boxes: Sequence[BodyBox], compose: ComposeBlock, *,
                  balance_end: bool = True) -> Flowed:
    """Compose and flow `blocks` blocks through `boxes`, each at the measures of its slots, with
    paragraphs set a line longer or shorter where that keeps the story better (flow/keeps.py);
    the box the story ends in balanced (the lowest column height that holds the rest, or one of
    the next few if that keeps better)."""
    counts: dict[int, int] = {}
    fill = _fill(blocks, boxes, compose, {}, counts)
    assert fill is not None  # no count asked: every block composes
    fill, counts = _keep(blocks, boxes, compose, fill, counts)
    flowed = fill.flowed
    if not balance_end or flowed.overset or not any(flowed.used):
        return flowed
    k = max(i for i, n in enumerate(flowed.used) if n)
    box = boxes[k]
    if box.columns == 1:
        return flowed
    best, found = (keep_score(flowed.slots), box.rows), flowed
    low = max(1, -(-flowed.used[k] // box.columns))
    tried = 0
    for limit in range(low, box.rows):
        trial = _fill(blocks, boxes, compose, {k: limit}, counts)
        if trial is None:
            continue
        result = trial.flowed
        if result.overset or max(i for i, n in enumerate(result.used) if n) != k:
            continue
        score = (keep_score(result.slots), limit)
        if score < best:
            best, found = score, result
        tried += 1
        if tried > BALANCE_TRIES or score[0] == 0:
            break
    return found


BALANCE_TRIES = 3  # column heights tried past the lowest that fits, for a better keep
MAX_KEEP_FIXES = 8  # re-breaks kept per story, at most


@dataclass(frozen=True)
class _Fill:
    flowed: Flowed
    owner: dict[int, int]  # id of a flow item → its block
    sizes: tuple[int, ...]  # items of each block (a paragraph's lines)
    tall: frozenset[int]  # the blocks that are subheads


def _keep(blocks: int, boxes: Sequence[BodyBox], compose: ComposeBlock, fill: _Fill,
          counts: dict[int, int]) -> tuple[_Fill, dict[int, int]]:
    """Widows, orphans and subheads at a column's foot fixed as `chain` fixes them: a paragraph
    (the one at fault, or the one before) one line shorter or longer, kept when the story keeps
    better and oversets no more."""
    def tries(fill: _Fill, kind: str, item: object, counts: dict[int, int]):
        b = fill.owner[id(item)]
        targets = ((b, -1), (b, 1), (b - 1, 1), (b - 1, -1)) if kind == "widow" else \
            ((b - 1, 1), (b - 1, -1))
        return [(target, fill.sizes[target] + delta) for target, delta in targets
                if target >= 0 and target not in fill.tall and fill.sizes[target] + delta >= 1]

    return keep_by_counts(lambda trial: _fill(blocks, boxes, compose, {}, trial), fill, counts,
                          lambda f: f.flowed.slots, lambda f: len(f.flowed.overset), tries,
                          MAX_KEEP_FIXES)


def _fill(blocks: int, boxes: Sequence[BodyBox], compose: ComposeBlock,
          limits: dict[int, int], counts: dict[int, int]) -> _Fill | None:
    """The story filled slot by slot; None when a block cannot be set in the lines `counts`
    asks of it at the widths it now meets."""
    cells, jump_to, jump_from = _cells(boxes, limits)
    slots: list[Slot] = []
    overset: list[FlowItem] = []
    owner: dict[int, int] = {}
    sizes: list[int] = []
    tall: set[int] = set()
    pos = 0
    for i in range(blocks):
        widths = [c.width for c in cells[pos:pos + LOOKAHEAD]] or [cells[-1].width if cells
                                                                    else 0.0]
        found = compose(i, widths, counts.get(i))
        if found is None:
            return None
        items = list(found)
        sizes.append(len(items))
        owner.update((id(item), i) for item in items)
        if items and rows_of(items[0]) > 1:  # a subhead: whole in one run
            tall.add(i)
            start = _room(cells, pos, rows_of(items[0]))
            if start is None:
                overset.extend(items)
                pos = len(cells)
                continue
            if start != pos:
                pos = start
                items = list(compose(i, [c.width for c in cells[pos:pos + LOOKAHEAD]], None))
                owner.update((id(item), i) for item in items)
        for item in items:
            h = rows_of(item)
            if pos + h > len(cells) or (h > 1 and _room(cells, pos, h) != pos):
                overset.append(item)
                pos = len(cells)
                continue
            cell = cells[pos]
            slots.append(Slot(cell.box, cell.column, cell.row, item))
            pos += h
    slots = _with_jumps(slots, cells, jump_to, jump_from)
    used = [0] * len(boxes)
    for slot in slots:
        used[slot.box] += rows_of(slot.item)
    return _Fill(Flowed(tuple(slots), tuple(overset), tuple(used)), owner, tuple(sizes),
                 frozenset(tall))


def _cells(boxes: Sequence[BodyBox], limits: dict[int, int]
           ) -> tuple[list[_Cell], dict[int, _Cell], dict[int, _Cell]]:
    """The text slots of the chain (box k's columns `limits[k]` lines deep at most), and the
    slots kept for jump lines (by box)."""
    cells: list[_Cell] = []
    jump_to: dict[int, _Cell] = {}
    jump_from: dict[int, _Cell] = {}
    run_id = 0
    for k, box in enumerate(boxes):
        mine = []
        for column, first, rows in free_runs(box.columns, box.rows, box.blocked, limits.get(k)):
            mine.extend(_Cell(k, column, r, box.measure(column, r), run_id)
                        for r in range(first, first + rows))
            run_id += 1
        if k > 0 and not box.same_page and mine:
            jump_from[k] = mine.pop(0)
        if k + 1 < len(boxes) and not boxes[k + 1].same_page and mine:
            jump_to[k] = mine.pop()
        cells.extend(mine)
    return cells, jump_to, jump_from


def _room(cells: Sequence[_Cell], pos: int, rows: int) -> int | None:
    """The first slot from `pos` that starts `rows` slots of one run."""
    for start in range(pos, len(cells)):
        end = start + rows - 1
        if end < len(cells) and cells[end].run == cells[start].run \
                and cells[end].row == cells[start].row + rows - 1:
            return start
    return None


def _with_jumps(slots: list[Slot], cells: Sequence[_Cell], jump_to: dict[int, _Cell],
                jump_from: dict[int, _Cell]) -> list[Slot]:
    """Jump lines where the story moved on to another page's module: the last slot of the part
    before, the first of the continuation."""
    reached = {slot.box for slot in slots}
    out: list[Slot] = []
    opened: set[int] = set()
    for slot in slots:
        if slot.box in jump_from and slot.box not in opened:
            opened.add(slot.box)
            cell = jump_from[slot.box]
            out.append(Slot(cell.box, cell.column, cell.row, Jump("from", slot.box - 1)))
        out.append(slot)
    for k, cell in sorted(jump_to.items()):
        if k + 1 in reached:
            at = max((i for i, s in enumerate(out) if s.box == k), default=-1) + 1
            out.insert(at, Slot(cell.box, cell.column, cell.row, Jump("to", k + 1)))
    return out
