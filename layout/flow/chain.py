"""Column flow: a story's composed lines → slots in the columns of its chain of modules.

Lines are broken once (every body column of the grid has the same width) and then distributed, so
flow is pure bookkeeping over counts. Running out of room is a return value (`overset`), never an
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


def flow_story(lines: Sequence[ComposedLine], boxes: Sequence[BodyBox], *,
               balance_end: bool = True, rebreak: Rebreak | None = None) -> Flowed:
    """Distribute `lines` over the chain `boxes`, writing jump lines where the story moves on;
    with `rebreak`, paragraphs are re-broken to keep their last lines off column tops."""
    flowed = _flow(lines, boxes, balance_end)
    if rebreak is None or not widows(flowed):
        return flowed
    return _avoid_widows(list(lines), boxes, balance_end, rebreak, flowed)


def widows(flowed: Flowed) -> list[ComposedLine]:
    """Lines that end a paragraph of two or more lines and stand first in a column (under the jump
    line in a continuation), the story's opening column apart."""
    out = []
    for i, slot in enumerate(flowed.slots):
        item = slot.item
        if not isinstance(item, ComposedLine) or not item.last or item.first:
            continue
        top = slot.row == 0 or (slot.row == 1 and isinstance(flowed.slots[i - 1].item, Jump)
                                and flowed.slots[i - 1].column == slot.column)
        if top and (slot.box, slot.column) != (0, 0):
            out.append(item)
    return out


def _paragraph_starts(lines: Sequence[ComposedLine]) -> list[int]:
    return [i for i, line in enumerate(lines) if line.first] + [len(lines)]


def _avoid_widows(lines: list[ComposedLine], boxes: Sequence[BodyBox], balance_end: bool,
                  rebreak: Rebreak, flowed: Flowed) -> Flowed:
    """Re-break paragraphs, one at a time, while that removes a widow: the widow's own paragraph
    one line shorter (its last line pulled up) or longer (two lines at the top), else the paragraph
    before it one line longer (pushing a second line over) or shorter."""
    variants: dict[tuple[int, int], Sequence[ComposedLine] | None] = {}
    for _ in range(MAX_WIDOW_FIXES):
        found = widows(flowed)
        if not found:
            break
        starts = _paragraph_starts(lines)
        best: tuple[list[ComposedLine], Flowed] | None = None
        for widow in found:
            k = next(j for j, line in enumerate(lines) if line is widow)
            para = max(j for j, s in enumerate(starts) if s <= k)
            for target, delta in ((para, -1), (para, 1), (para - 1, 1), (para - 1, -1)):
                tried = _try_variant(lines, starts, target, delta, boxes, balance_end, rebreak,
                                     variants, flowed)
                if tried is not None:
                    best = tried
                    break
            if best is not None:
                break
        if best is None:
            break
        lines, flowed = best
    return flowed


def _try_variant(lines: list[ComposedLine], starts: list[int], para: int, delta: int,
                 boxes: Sequence[BodyBox], balance_end: bool, rebreak: Rebreak,
                 variants: dict[tuple[int, int], Sequence[ComposedLine] | None],
                 flowed: Flowed) -> tuple[list[ComposedLine], Flowed] | None:
    """The story with paragraph `para` set `delta` lines longer, flowed, if that is better."""
    if para < 0:
        return None
    a, b = starts[para], starts[para + 1]
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
    if len(result.overset) > len(flowed.overset) or len(widows(result)) >= len(widows(flowed)):
        return None
    return candidate, result


def _flow(lines: Sequence[ComposedLine], boxes: Sequence[BodyBox], balance_end: bool) -> Flowed:
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
