"""Stacks of modules for `broadsheet fit` (layout.desk.fit): what a plan says about each module of a
stack (its role in its story's chain, the lines its story needs), and the pure arithmetic that fits
one stack — the heights each module may take and a distribution of the stack's lines among them."""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal, Sequence

FILL_MIN = 0.92
ASPECT_TOLERANCE = 0.15
CAPTION_GAP = 0.2  # lines between picture and caption (layout.pages.furniture.picture)
MIN_BODY_ROWS = 2  # a story module needs at least 2 body lines (layout.pages.planner)
# fit never resizes these (an ad is booked at its size)
FIXED_KINDS = ("masthead", "index", "table", "table_continue", "rule", "ad")

Role = Literal["ends", "jumps", "empty", "image"]

# --------------------------------------------------------------------------------------------------
# Facts read from a plan


@dataclass(frozen=True)
class Member:
    """One module of a stack, with what the plan says about it."""

    path: str  # "pages[0].modules[3]", where it is in the spec
    page: int
    kind: str  # article, continue, image
    ref: str
    col: int
    cols: int
    line: int
    lines: int
    role: Role
    head: int  # story: lines above and below its body (its least less 2); image: caption lines
    need: int = 0  # "ends": column lines the story needs here (its jump line included)
    rest: int = 0  # "jumps": column lines the rest of the story would need if it ended here
    available: int = 0  # story: body slots now
    used: int = 0  # story: slots used now (overset included for the chain's last module)
    before: str | None = None  # story: path of the module before this one in its chain
    body_cols: int = 0  # story: body columns (slots a line more at its foot adds); 0: cols
    least_lines: int = 0  # story: the fewest lines it may have (its headline block, lead and
    # insets); 0: head + MIN_BODY_ROWS

    @property
    def per_line(self) -> int:
        return self.body_cols or self.cols

    @property
    def least(self) -> int:
        return self.least_lines or self.head + MIN_BODY_ROWS

    @property
    def is_story(self) -> bool:
        return self.role != "image"

    def slots(self, lines: int) -> int:
        """Body slots at `lines`: the plan's count now, one a body column for each line more or
        less (photos, the pull quote and the lead keep their cells from the module's top)."""
        return self.available + (lines - self.lines) * self.per_line

    @property
    def label(self) -> str:
        if self.kind == "image":
            return f"image {self.ref}"
        return f"{self.ref} (续)" if self.kind == "continue" else self.ref

    def fill(self, lines: int | None = None) -> float:
        """% full at `lines` (now, by default): jumping stories are full by construction."""
        if self.role == "image":
            return 0.0
        if self.role == "jumps":
            return 100.0
        room = self.slots(self.lines if lines is None else lines)
        return 100.0 * min(self.need, room) / max(1, room)


@dataclass(frozen=True)
class Stack:
    page: int
    col: int
    cols: int
    members: tuple[Member, ...]

    @property
    def top(self) -> int:
        return self.members[0].line

    @property
    def total(self) -> int:
        return sum(m.lines for m in self.members)

    @property
    def name(self) -> str:
        last = self.col + self.cols - 1
        columns = f"column {self.col}" if self.cols == 1 else f"columns {self.col}-{last}"
        stories = ", ".join(m.label for m in self.members if m.is_story)
        return f"page {self.page}, {columns} ({stories})"


def _caption_lines(plan, page: int, rect, leading: float) -> int:
    """Grid lines the caption takes under the picture drawn at `rect` (the plan's picture area is
    the module less the caption and its gap)."""
    from ..pages.plan import Picture

    for item in next(p for p in plan.pages if p.number == page).items:
        if isinstance(item, Picture) and abs(item.clip.x - rect.x) < 0.5 \
                and abs(item.clip.y - rect.y) < 0.5:
            gap = rect.h - item.clip.h
            return 0 if gap < 0.01 else round(gap / leading - CAPTION_GAP)
    return 0


def story_members(issue, plan) -> dict[str, Member]:
    """Every story module (by its key path, pages[i].modules[j]) as a Member: its role in its chain and its need."""
    from ..flow.jumps import story_chains
    from ..pages.plan import Room

    fits = {f.story: f for f in plan.fits}
    out: dict[str, Member] = {}
    for story, chain in story_chains(issue).items():
        fit = fits[story]
        placed = 0  # story lines set before module k
        before = None
        # A plan without the flow's rooms (vertical text, which fit leaves as it is) is
        # counted on the grid's columns, a jump line at each end of a part.
        rooms = fit.rooms or tuple(Room(m.cols, m.lines - a // m.cols + MIN_BODY_ROWS,
                                        (1 if k else 0) + (1 if k + 1 < len(chain) else 0))
                                   for k, ((_, m), (_, a, _)) in enumerate(zip(chain, fit.modules)))
        for k, ((page, m), (_, available, used), room) in enumerate(
                zip(chain, fit.modules, rooms)):
            last = k == len(chain) - 1
            continues = not last and fit.modules[k + 1][2] > 0
            # The jump line opening module k (when it is on another page than the one before).
            opens = 1 if k and chain[k - 1][0].number != page.number else 0
            rest = fit.lines - placed + opens
            if continues:
                role, need = "jumps", 0
            elif used == 0 and k:
                role, need = "empty", 0
            else:
                role, need = "ends", used + (fit.overset_lines if last else 0)
            out[m.source.path] = Member(
                m.source.path, page.number, m.kind, m.ref, m.col, m.cols, m.line, m.lines, role,
                room.least_lines - MIN_BODY_ROWS, need, rest, available,
                used + (fit.overset_lines if last else 0), before, room.columns, room.least_lines)
            placed += max(0, used - room.jump_lines)
            before = m.source.path
    return out


def find_stacks(issue, plan) -> list[Stack]:
    """Runs of story and picture modules in the same columns, one directly under the next."""
    from ..model.grid import page_grid

    stories = story_members(issue, plan)
    stacks: list[Stack] = []
    for page in sorted(issue.pages, key=lambda p: p.number):
        grid = page_grid(issue.format, issue.styles["body"].leading, page.number)
        by_columns: dict[tuple[int, int], list] = {}
        for m in page.modules:
            # vertical text (竖排, 竖题) is not fitted yet: its modules stay as they are
            writing = getattr(m, "writing", None)
            if m.kind not in FIXED_KINDS and not (writing is not None and writing.any_vertical):
                by_columns.setdefault((m.col, m.cols), []).append(m)
        for (col, cols), modules in sorted(by_columns.items()):
            run: list[Member] = []
            for m in sorted(modules, key=lambda m: m.line):
                if m.kind == "image":
                    caption = _caption_lines(plan, page.number, grid.module_rect(m), grid.leading)
                    member = Member(m.source.path, page.number, "image", m.ref, m.col, m.cols,
                                    m.line, m.lines, "image", caption)
                else:
                    member = stories[m.source.path]
                if run and run[-1].line + run[-1].lines != m.line:
                    stacks.append(Stack(page.number, col, cols, tuple(run)))
                    run = []
                run.append(member)
            if run:
                stacks.append(Stack(page.number, col, cols, tuple(run)))
    return [s for s in stacks if any(m.is_story for m in s.members)]


# --------------------------------------------------------------------------------------------------
# Solving one stack: pure arithmetic on lines


@dataclass(frozen=True)
class Range:
    lo: int
    hi: int
    prefer: int


def member_range(m: Member, free_jumps: bool) -> Range:
    """The heights `m` may take in a fitted stack, and the one it keeps if it can."""
    floor_lines = m.least
    if m.role == "image":
        cap = m.head
        extra = cap + (CAPTION_GAP if cap else 0.0)
        area = m.lines - extra
        lo = max(math.ceil(area / (1 + ASPECT_TOLERANCE) + extra - 1e-6), 2 * cap, cap + 2)
        hi = max(lo, math.floor(area / (1 - ASPECT_TOLERANCE) + extra + 1e-6))
        return Range(lo, hi, min(max(m.lines, lo), hi))
    base = m.available - m.lines * m.per_line  # slots(lines) = lines × per_line + base
    if m.role == "ends":
        lo = max(floor_lines, math.ceil((m.need - base) / m.per_line))
        hi = max(lo, math.floor((m.need / FILL_MIN - base) / m.per_line + 1e-9))
        return Range(lo, hi, min(max(m.lines, lo), hi))  # the least change that fills it
    if m.role == "jumps" and free_jumps:
        # Any height at which the story still jumps on: it stays 100 % full.
        hi = max(floor_lines, (m.rest - 1 - base) // m.per_line)
        return Range(floor_lines, hi, min(max(m.lines, floor_lines), hi))
    return Range(m.lines, m.lines, m.lines)


@dataclass(frozen=True)
class Solution:
    stack: Stack
    lines: tuple[int, ...] | None  # new heights, in member order; None when it cannot be fitted
    short: int = 0  # grid lines the stack lacks to hold its stories
    long: int = 0  # grid lines more than its stories can fill at 92 %
    unfillable: tuple[str, ...] = ()  # members that no height in the stack can fill


def _fill_after(m: Member, lines: int) -> float:
    return m.fill(lines) if m.role == "ends" else 0.0


def _distribute(stack: Stack, ranges: Sequence[Range]) -> list[int]:
    """Heights within `ranges` summing to the stack's total (the caller checked it can): start from
    the preferred heights, then give or take one line at a time — extra lines to the fullest story
    first (it stays fullest), then to pictures, then to jumping stories; lines taken from pictures
    first, then from the loosest stories."""
    members = stack.members
    lines = [r.prefer for r in ranges]
    order = {"ends": 0, "image": 1, "jumps": 2, "empty": 3}

    def give_key(i: int):
        m = members[i]
        return (order[m.role], -_fill_after(m, lines[i] + 1), i)

    def take_key(i: int):
        m = members[i]
        rank = {"image": 0, "ends": 1, "jumps": 2, "empty": 3}[m.role]
        return (rank, _fill_after(m, lines[i]) if m.role == "ends" else -lines[i], i)

    while sum(lines) < stack.total:
        i = min((i for i in range(len(lines)) if lines[i] < ranges[i].hi), key=give_key)
        lines[i] += 1
    while sum(lines) > stack.total:
        i = min((i for i in range(len(lines)) if lines[i] > ranges[i].lo), key=take_key)
        lines[i] -= 1
    return lines


def fillable(m: Member) -> bool:
    """Some height fills the module 92–100 %: not so for a continuation the story never reaches,
    nor for a few lines of text over many columns (9 lines over 8 columns fill 2 rows 56 %)."""
    if m.role == "empty":
        return False
    if m.role != "ends":
        return True
    return m.need >= FILL_MIN * m.slots(member_range(m, False).lo) - 1e-9


def solve(stack: Stack) -> Solution:
    """The stack's new heights, keeping jumping stories' heights where it can."""
    unfillable = tuple(m.label for m in stack.members if not fillable(m))
    ranges: list[Range] = []
    for free in (False, True):
        ranges = [member_range(m, free) for m in stack.members]
        lo, hi = sum(r.lo for r in ranges), sum(r.hi for r in ranges)
        if lo <= stack.total <= hi:
            return Solution(stack, tuple(_distribute(stack, ranges)), unfillable=unfillable)
    lo, hi = sum(r.lo for r in ranges), sum(r.hi for r in ranges)
    return Solution(stack, None, short=max(0, lo - stack.total), long=max(0, stack.total - hi),
                    unfillable=unfillable)


def through_jump(failed: Solution, stacks: Sequence[Stack]) -> dict[str, tuple[int, int]]:
    """A stack that cannot be fitted because a continuation in it gets too little (or too much) of
    its story: move the jump instead. The module the story jumps from, in another stack, gives up
    (or takes) the fewest rows that let the continuation's stack be fitted, and its own stack makes
    up the difference — a picture there growing or shrinking within its aspect, say. The next plan
    then fits the continuation's stack. Returns the placements of the jumping module's stack, or
    nothing when no such move fits."""
    more = failed.long > 0  # the continuation needs more of its story
    members = {m.path: (m, s) for s in stacks for m in s.members}
    for c in failed.stack.members:
        if c.role != "ends" or c.before not in members:
            continue
        up, home = members[c.before]
        if up.role != "jumps" or home is failed.stack:
            continue
        limit = member_range(up, free_jumps=True)
        for rows in range(1, up.lines):
            height = up.lines - rows if more else up.lines + rows
            if not limit.lo <= height <= limit.hi:
                break
            moved = rows * up.per_line * (1 if more else -1)  # lines carried over the jump
            after = tuple(replace(m, need=m.need + moved) if m is c else m
                          for m in failed.stack.members)
            if solve(replace(failed.stack, members=after)).lines is None:
                continue
            ranges = [Range(height, height, height) if m is up else member_range(m, False)
                      for m in home.members]
            if sum(r.lo for r in ranges) <= home.total <= sum(r.hi for r in ranges):
                return placements(Solution(home, tuple(_distribute(home, ranges))))
    return {}


def placements(solution: Solution) -> dict[str, tuple[int, int]]:
    """path → (line, lines) for a fitted stack."""
    out, line = {}, solution.stack.top
    for m, n in zip(solution.stack.members, solution.lines or ()):
        out[m.path] = (line, n)
        line += n
    return out
