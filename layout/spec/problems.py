"""Collecting the independent problems of a spec, so that one run reports them all.

The loader converts every independent part (a section, an image, index or article, a page, a module)
on its own (`attempt`): a part's problem is recorded in the `SpecContext` and the next part goes on.
A part whose value has a problem already is not converted (`FAILED`), and what depends on it is not
checked; at the end every problem is raised at once, in file order (`in_file_order`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ..util.errors import SpecError

if TYPE_CHECKING:
    from .nodes import Item


# A part that could not be read: its problem has been recorded. (A required section that is missing
# has been reported by the structural check, so it counts as failed too.)
FAILED: Any = object()


@dataclass
class SpecContext:
    """What converters need besides their node. Mutable on purpose: `em` (the body size) is known only
    once `styles.body.size` has been read, which must happen before any other length is converted;
    and `problems` collects every independent problem of the spec, to be reported in one run."""

    file: str  # the spec path as the user gave it, for messages
    folder: Path  # absolute folder of the spec, for relative file names
    em: float | None = None
    colours: dict[str, Any] | None = None  # name → model Colour, once `colours:` is read (colours.py)
    problems: list[SpecError] = field(default_factory=list)
    _at: set[str] = field(default_factory=set)  # the key paths of the problems
    _within: set[str] = field(default_factory=set)  # ... and every path around them

    def record(self, problem: SpecError) -> None:
        self.problems.append(problem)
        self._at.add(problem.path)
        self._within.update(_outer_paths(problem.path))

    def has_problem_at(self, path: str) -> bool:
        """A problem of the value at `path` itself (not inside it): wrong type, unknown key in it."""
        return path in self._at

    def has_problem_in(self, path: str) -> bool:
        """A problem at `path` or anywhere inside its value: converting it would meet it again."""
        return path in self._within

    def covered(self, path: str) -> bool:
        """A problem already recorded at `path` or around it, of which a problem here is a consequence."""
        return any(outer in self._at for outer in _outer_paths(path))


def _outer_paths(path: str) -> list[str]:
    """`pages[0].modules[1].cols` → itself, `pages[0].modules[1]`, `pages[0].modules`, `pages[0]`,
    `pages` (never the root `""`: a problem of the root mapping blocks no section)."""
    ends = [m.start() for m in re.finditer(r"[.\[]", path) if m.start() > 0]
    return [path[:end] for end in ends] + ([path] if path else [])


def in_file_order(problems: list[SpecError]) -> list[SpecError]:
    """Problems by line (in the order found within a line), each once."""
    seen: set[tuple[int | None, str, str]] = set()
    ordered = []
    for problem in sorted(problems, key=lambda p: p.line or 0):
        if (problem.line, problem.path, problem.problem) not in seen:
            seen.add((problem.line, problem.path, problem.problem))
            ordered.append(problem)
    return ordered


@dataclass(frozen=True)
class Records:
    """An id → record section (images, indexes, articles) as far as it could be read: the records
    that converted, the ids whose records did not, and whether the section could be read at all.
    A module that names a broken id is not told that the id is missing."""

    records: dict[str, Any]
    broken: frozenset[str] = frozenset()
    readable: bool = True

    def can_tell(self, ref: str) -> bool:
        return self.readable and ref not in self.broken


def attempt(ctx: SpecContext, item: Item | None, convert: Callable[[Item], Any], absent: Any = None) -> Any:
    """`convert(item)`, or `absent` when there is no item. `FAILED` when the item has a problem
    already (found by the structural check) or its conversion meets one (recorded in `ctx`)."""
    if item is None:
        return absent
    if ctx.has_problem_in(item.path):
        return FAILED
    try:
        return convert(item)
    except SpecError as problem:
        ctx.record(problem)
        return FAILED
