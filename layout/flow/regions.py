"""Body boxes with insets (a photo, a pull quote or a lead set into a story): the free runs of each
column, and items filled into them in order.

A column that meets an inset continues below it: the column's grid lines are cut into runs of free
lines, and a flow item (a line, or a subhead several lines tall, kept whole) goes into the first
run, in reading order, with room for it. Balancing a box's ending is the lowest column height (grid
lines from the box's top, insets included) at which every item still fits: columns end level.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True)
class Blocked:
    """Grid lines of one column of a box that hold no body text (an inset covers them)."""

    column: int  # 0-based, in the box
    first_row: int  # 0-based grid line of the box's body area
    rows: int


Run = tuple[int, int, int]  # (column, first row, rows)


def free_runs(columns: int, rows: int, blocked: Sequence[Blocked],
              limit: int | None = None) -> list[Run]:
    """The free runs of each column in reading order (down each column in turn), above `limit`."""
    top = rows if limit is None else min(limit, rows)
    out: list[Run] = []
    for c in range(columns):
        row = 0
        for a, b in sorted((x.first_row, x.first_row + x.rows) for x in blocked if x.column == c):
            end = min(a, top)
            if end > row:
                out.append((c, row, end - row))
            row = max(row, b)
        if row < top:
            out.append((c, row, top - row))
    return out


def blocked_cells(columns: int, rows: int, blocked: Sequence[Blocked]) -> int:
    """How many line slots the insets take from the box."""
    return columns * rows - sum(r for _, _, r in free_runs(columns, rows, blocked))


def place(heights: Sequence[int], runs: Sequence[Run]) -> list[tuple[int, int]]:
    """(column, row) of each item, in order, as many as fit the runs: an item goes into the
    current run if it has room, else into the next that has."""
    out: list[tuple[int, int]] = []
    k, used = 0, 0
    for h in heights:
        while k < len(runs) and runs[k][2] - used < h:
            k, used = k + 1, 0
        if k == len(runs):
            break
        out.append((runs[k][0], runs[k][1] + used))
        used += h
    return out


def positions(heights: Sequence[int], columns: int, rows: int, blocked: Sequence[Blocked],
              balance: bool) -> list[tuple[int, int]]:
    """Where the items that fit go; balanced: at the lowest column height that takes them all."""
    if balance and columns > 1:
        need = -(-sum(heights) // columns)
        for limit in range(max(1, need), rows + 1):
            found = place(heights, free_runs(columns, rows, blocked, limit))
            if len(found) == len(heights):
                return found
    return place(heights, free_runs(columns, rows, blocked))
