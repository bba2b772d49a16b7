"""Column flow: a story's composed lines → slots in the columns of its chain of modules.

Lines are broken once (every body column of the grid has the same width) and then distributed, so
flow is pure bookkeeping over counts. Running out of room is a return value (`overset`), never an
exception. Jump lines (convention 6) take one slot each: the last slot of a part that continues, and
the first slot of a continuation.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Sequence, Union

from .compose import ComposedLine


@dataclass(frozen=True)
class BodyBox:
    """The body area of one module of a chain: `columns` columns of `rows` grid lines."""

    columns: int
    rows: int

    @property
    def capacity(self) -> int:
        return self.columns * self.rows


@dataclass(frozen=True)
class Jump:
    direction: Literal["to", "from"]  # "to": 下转 (ends a part); "from": 上接 (opens a continuation)
    other_box: int  # the chain index of the module at the other end


Item = Union[ComposedLine, Jump]


@dataclass(frozen=True)
class Slot:
    box: int  # index in the chain
    column: int  # 0-based column within the module
    row: int  # 0-based grid line within the module's body area
    item: Item


@dataclass(frozen=True)
class Flowed:
    slots: tuple[Slot, ...]
    overset: tuple[ComposedLine, ...]  # lines left when the chain ran out
    used: tuple[int, ...]  # slots used per box (jump lines included)

    @property
    def overset_chars(self) -> int:
        return sum(len(line.glyphs) for line in self.overset)


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


def flow_story(lines: Sequence[ComposedLine], boxes: Sequence[BodyBox], *,
               balance_end: bool = True) -> Flowed:
    """Distribute `lines` over the chain `boxes`, writing jump lines where the story moves on."""
    slots: list[Slot] = []
    used: list[int] = []
    pos = 0
    total = len(lines)
    for k, box in enumerate(boxes):
        if pos >= total:
            used.append(0)
            continue
        items: list[Item] = []
        if k > 0:
            items.append(Jump("from", k - 1))
        room = box.capacity - len(items)
        rest = total - pos
        continues = rest > room and k + 1 < len(boxes)
        take = max(0, room - 1) if continues else min(rest, max(0, room))
        items.extend(lines[pos:pos + take])
        pos += take
        if continues:
            items.append(Jump("to", k + 1))
        ends_here = pos >= total
        balance = balance_end and ends_here
        # Level columns matter more to the desk than a paragraph's last line at a column top
        # (common in Chinese dailies): no line is moved to avoid one.
        counts = _column_counts(len(items), box, balance)
        i = 0
        for col, count in enumerate(counts):
            for row in range(count):
                slots.append(Slot(k, col, row, items[i]))
                i += 1
        used.append(len(items))
    return Flowed(tuple(slots), tuple(lines[pos:]), tuple(used))
