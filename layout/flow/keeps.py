"""What the desk keeps together at column ends (issue 15): no paragraph's last line alone at the
top of a column (a widow; under a continuation's jump line too), no paragraph's first line alone
at the bottom of one (an orphan), no subhead without two lines of its paragraph under it.

Read from the flowed slots in reading order: a slot stands first in its column when the slot
before it is in another column or box (or is the jump line heading its column), last when the
slot after it is. A column that continues below a photo is the same column. Items are told apart
by their shape, not their type, so that this module needs nothing of `chain` (which imports it):
a tall item has `rows` and `content`, a jump line `direction`.
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator, Sequence, TypeVar

from ..compose.types import ComposedLine

KEEP_WITH_SUBHEAD = 2  # lines of its paragraph a subhead keeps under it in its column


def _tall(item: object) -> bool:
    return hasattr(item, "content") and hasattr(item, "rows")


def _jump(item: object) -> bool:
    return hasattr(item, "direction")


def _same_column(a, b) -> bool:
    return (a.box, a.column) == (b.box, b.column)


def _first_in_column(slots: Sequence, i: int) -> bool:
    if i == 0 or not _same_column(slots[i - 1], slots[i]):
        return True
    return _jump(slots[i - 1].item) and (i == 1 or not _same_column(slots[i - 2], slots[i]))


def _last_in_column(slots: Sequence, i: int) -> bool:
    """The slot ends its column and the story goes on in another (a jump line after it counts as
    the column's end: the reader turns the page there)."""
    n = len(slots)
    if i + 1 >= n:
        return False
    if _jump(slots[i + 1].item):
        return slots[i + 1].item.direction == "to"
    return not _same_column(slots[i], slots[i + 1])


def widow_slots(slots: Sequence) -> list[int]:
    """Indexes of lines that end a paragraph of two or more lines and stand first in a column,
    the story's opening column apart."""
    return [i for i, slot in enumerate(slots)
            if isinstance(slot.item, ComposedLine) and slot.item.last and not slot.item.first
            and _first_in_column(slots, i) and (slot.box, slot.column) != (0, 0)]


def orphan_slots(slots: Sequence) -> list[int]:
    """Indexes of lines that open a paragraph of two or more lines and stand last in a column."""
    return [i for i, slot in enumerate(slots)
            if isinstance(slot.item, ComposedLine) and slot.item.first and not slot.item.last
            and _last_in_column(slots, i)]


def subhead_slots(slots: Sequence) -> list[tuple[int, int]]:
    """(index, lines missing) of subheads with fewer than KEEP_WITH_SUBHEAD lines under them in
    their column while the story goes on in the next."""
    out = []
    n = len(slots)
    for i, slot in enumerate(slots):
        if not _tall(slot.item):
            continue
        j = i + 1
        while (j < n and j - i - 1 < KEEP_WITH_SUBHEAD and _same_column(slot, slots[j])
               and not _jump(slots[j].item)):
            j += 1
        below = j - i - 1
        if below < KEEP_WITH_SUBHEAD and j < n:  # the column ends there and the story goes on
            out.append((i, KEEP_WITH_SUBHEAD - below))
    return out


def problems(slots: Sequence) -> Iterator[tuple[str, object]]:
    """Each problem as (kind, the item at fault): "widow", "orphan" or "subhead"."""
    for i in widow_slots(slots):
        yield "widow", slots[i].item
    for i in orphan_slots(slots):
        yield "orphan", slots[i].item
    for i, _ in subhead_slots(slots):
        yield "subhead", slots[i].item


def keep_score(slots: Sequence) -> int:
    """How badly the flow keeps: one a widow or orphan, one a line a subhead lacks under it."""
    return (len(widow_slots(slots)) + len(orphan_slots(slots))
            + sum(missing for _, missing in subhead_slots(slots)))


F = TypeVar("F")  # a flow's result as its caller keeps it (the flowed slots and what it needs)


def keep_by_counts(flow: Callable[[dict[int, int]], F | None], first: F, counts: dict[int, int],
                   slots_of: Callable[[F], Sequence], overset_of: Callable[[F], int],
                   tries: Callable[[F, str, object, dict[int, int]], Iterable[tuple[int, int]]],
                   max_fixes: int) -> tuple[F, dict[int, int]]:
    """Widows, orphans and lonely subheads fixed by flowing the story again with one more
    paragraph set in a given number of lines (`counts`: paragraph → lines), for flows that
    re-compose what follows a re-break (a measure per line, tiers of several lengths) rather than
    re-break in place as `chain` does. `tries(result, kind, item, counts)` names the (paragraph,
    lines) to try for a problem; `flow(counts)` is None where it cannot set them. A try is kept
    when it keeps better (`keep_score`) and oversets no more; at most `max_fixes` are kept."""
    result = first
    for _ in range(max_fixes):
        better = None
        for kind, item in list(problems(slots_of(result))):
            for target, lines in tries(result, kind, item, counts):
                trial_counts = {**counts, target: lines}
                trial = flow(trial_counts)
                if trial is not None and overset_of(trial) <= overset_of(result) \
                        and keep_score(slots_of(trial)) < keep_score(slots_of(result)):
                    better = trial, trial_counts
                    break
            if better is not None:
                break
        if better is None:
            break
        result, counts = better
    return result, counts
