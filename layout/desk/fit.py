"""`broadsheet fit`: module heights that fill the stories, proposed stack by stack.

A *stack* is a run of modules of one page that take the same columns, each directly under the one
before (story and picture modules; the masthead and index boxes are fixed and end a stack). Fitting
a stack redistributes its grid lines among its modules — their order and the stack's total kept —
so that every story module in it ends `FILL_MIN`–100 % full, while each picture keeps the aspect of
its picture area within ±`ASPECT_TOLERANCE`:

- a story that *ends* in a module needs a known number of column lines (the planner's own count:
  lines are broken once per column width, so a module's height does not change them); its module
  may take from ⌈need ÷ cols⌉ body rows (100 %) to ⌊need ÷ (0.92 × cols)⌋ (92 %), plus its headline
  block;
- a story that *jumps on* from a module fills it whatever its height (it carries what it holds), so
  that module keeps its height unless the stack cannot be fitted otherwise; changing it moves text
  to or from the continuation, which the next pass sees;
- a picture may take the heights whose picture area is within ±15 % of its aspect now.

A continuation that no height of its own stack can fill moves its jump instead: the module the story
jumps from (in another stack) gives up or takes the fewest rows that let it be fitted, and that
module's stack makes up the difference (`through_jump`).

Where the stack's lines cannot hold its stories (or are more than they can fill), the stack is named
with how many grid lines it is short or long. The proposal is checked by planning it (propose,
re-plan, adjust: at most `MAX_PASSES` plans). `--write` splices the new numbers into the spec's text
in place — the positions come from ruamel.yaml's round-trip parser, every other byte is kept
(comments, key order, alignment) — and replaces the file atomically.
"""
from __future__ import annotations

import math
import os
import re
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, Sequence

import click

FILL_MIN = 0.92
ASPECT_TOLERANCE = 0.15
CAPTION_GAP = 0.2  # lines between picture and caption (layout.furniture.picture)
MIN_BODY_ROWS = 2  # a story module needs at least 2 body lines (layout.pages)
MAX_PASSES = 5
FIXED_KINDS = ("masthead", "index")

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
    head: int  # story: headline block lines; image: caption lines
    need: int = 0  # "ends": column lines the story needs here (its jump line included)
    rest: int = 0  # "jumps": column lines the rest of the story would need if it ended here
    available: int = 0  # story: body slots now
    used: int = 0  # story: slots used now (overset included for the chain's last module)
    before: str | None = None  # story: path of the module before this one in its chain

    @property
    def is_story(self) -> bool:
        return self.role != "image"

    @property
    def label(self) -> str:
        if self.kind == "image":
            return f"image {self.ref}"
        return f"{self.ref} (续)" if self.kind == "continue" else self.ref

    def fill(self, lines: int | None = None) -> float:
        """% full at `lines` (now, by default): jumping stories are full by construction."""
        if self.role == "image":
            return 0.0
        rows = (self.lines if lines is None else lines) - self.head
        if self.role == "jumps":
            return 100.0
        return 100.0 * min(self.need, rows * self.cols) / max(1, rows * self.cols)


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


def story_members(issue, plan) -> dict[int, Member]:
    """Every story module (by id of its Module) as a Member: its role in its chain and its need."""
    from ..flow.jumps import story_chains

    fits = {f.story: f for f in plan.fits}
    out: dict[int, Member] = {}
    for story, chain in story_chains(issue).items():
        fit = fits[story]
        placed = 0  # story lines set before module k
        before = None
        for k, ((page, m), (_, available, used)) in enumerate(zip(chain, fit.modules)):
            rows = available // m.cols
            last = k == len(chain) - 1
            continues = not last and fit.modules[k + 1][2] > 0
            jumps_here = (1 if k else 0) + (1 if continues else 0)
            rest = fit.lines - placed + (1 if k else 0)
            if continues:
                role, need = "jumps", 0
            elif used == 0 and k:
                role, need = "empty", 0
            else:
                role, need = "ends", used + (fit.overset_lines if last else 0)
            out[id(m)] = Member(m.source.path, page.number, m.kind, m.ref, m.col, m.cols, m.line,
                                m.lines, role, m.lines - rows, need, rest, available,
                                used + (fit.overset_lines if last else 0), before)
            placed += max(0, used - jumps_here)
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
            if m.kind not in FIXED_KINDS:
                by_columns.setdefault((m.col, m.cols), []).append(m)
        for (col, cols), modules in sorted(by_columns.items()):
            run: list[Member] = []
            for m in sorted(modules, key=lambda m: m.line):
                if m.kind == "image":
                    caption = _caption_lines(plan, page.number, grid.module_rect(m), grid.leading)
                    member = Member(m.source.path, page.number, "image", m.ref, m.col, m.cols,
                                    m.line, m.lines, "image", caption)
                else:
                    member = stories[id(m)]
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
    floor_lines = m.head + MIN_BODY_ROWS
    if m.role == "image":
        cap = m.head
        extra = cap + (CAPTION_GAP if cap else 0.0)
        area = m.lines - extra
        lo = max(math.ceil(area / (1 + ASPECT_TOLERANCE) + extra - 1e-6), 2 * cap, cap + 2)
        hi = max(lo, math.floor(area / (1 - ASPECT_TOLERANCE) + extra + 1e-6))
        return Range(lo, hi, min(max(m.lines, lo), hi))
    if m.role == "ends":
        rows_lo = max(MIN_BODY_ROWS, math.ceil(m.need / m.cols))
        rows_hi = max(rows_lo, math.floor(m.need / (FILL_MIN * m.cols) + 1e-9))
        lo, hi = m.head + rows_lo, m.head + rows_hi
        return Range(lo, hi, min(max(m.lines, lo), hi))  # the least change that fills it
    if m.role == "jumps" and free_jumps:
        # Any height at which the story still jumps on: it stays 100 % full.
        hi = max(floor_lines, m.head + (m.rest - 1) // m.cols)
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
    rows = max(MIN_BODY_ROWS, math.ceil(m.need / m.cols))
    return m.need >= FILL_MIN * rows * m.cols - 1e-9


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
            moved = rows * up.cols * (1 if more else -1)  # column lines carried over the jump
            after = tuple(replace(m, need=m.need + moved) if m is c else m
                          for m in failed.stack.members)
            if solve(replace(failed.stack, members=after)).lines is None:
                continue
            ranges = [Range(height, height, height) if m is up else member_range(m, False)
                      for m in home.members]
            if sum(r.lo for r in ranges) <= home.total <= sum(r.hi for r in ranges):
                return placements(Solution(home, tuple(_distribute(home, ranges))))
    return {}


# --------------------------------------------------------------------------------------------------
# Proposals: heights for the whole spec, checked by planning


@dataclass(frozen=True)
class Change:
    path: str
    label: str
    page: int
    old_line: int
    old_lines: int
    new_line: int
    new_lines: int
    fill_before: float | None  # story modules; None for pictures
    fill_after: float | None = None
    aspect: float | None = None  # pictures: new aspect ÷ old − 1


@dataclass(frozen=True)
class Proposal:
    changes: tuple[Change, ...]
    failures: tuple[str, ...]  # stacks that cannot be fitted, worded for the desk
    text: str  # the spec's text with the changes
    passes: int
    overset: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failures and not self.overset


def fitted(stack: Stack) -> bool:
    """Every story of the stack is 92–100 % full as planned (jumping stories always are)."""
    return all(m.role in ("image", "jumps")
               or (m.role == "ends" and FILL_MIN * 100 <= _real_fill(m) <= 100.0)
               for m in stack.members)


def placements(solution: Solution) -> dict[str, tuple[int, int]]:
    """path → (line, lines) for a fitted stack."""
    out, line = {}, solution.stack.top
    for m, n in zip(solution.stack.members, solution.lines or ()):
        out[m.path] = (line, n)
        line += n
    return out


def _lines(n: int) -> str:
    return f"{n} line" if n == 1 else f"{n} lines"


def failure_text(s: Solution, column_width_em: float) -> str:
    stack = s.stack
    if s.short:
        chars = round(s.short * stack.cols * column_width_em)
        return (f"{stack.name}: {_lines(s.short)} short: its stories need {stack.total + s.short} "
                f"lines, the stack has {stack.total} (cut about {chars} characters)")
    if s.long:
        chars = round(s.long * stack.cols * column_width_em)
        return (f"{stack.name}: {_lines(s.long)} long: its stories fill at most "
                f"{stack.total - s.long} of its {stack.total} lines 92 % full "
                f"(add about {chars} characters)")
    return f"{stack.name}: {', '.join(s.unfillable)} cannot be filled 92 % at any height"


def _empty_note(stack: Stack) -> str | None:
    empty = [m.label for m in stack.members if m.role == "empty"]
    return (f"{stack.name}: {', '.join(empty)} is never reached: the story ends before it "
            "(remove the continue: module, or lengthen the story)" if empty else None)


def propose(spec: Path, text: str, plan_text) -> Proposal:
    """Fit every stack of the spec `text`: solve, write into a copy, re-plan, repeat until the
    heights stay (at most MAX_PASSES plans). `plan_text(text)` returns (issue, plan)."""
    issue, plan = plan_text(text)
    first = {m.path: m for s in find_stacks(issue, plan) for m in s.members}
    current = text
    passes = 1
    for passes in range(1, MAX_PASSES + 1):
        moves: dict[str, tuple[int, int]] = {}
        stacks = find_stacks(issue, plan)
        for stack in stacks:
            if not fitted(stack):
                solution = solve(stack)
                moves.update(placements(solution) if solution.lines is not None
                             else through_jump(solution, stacks))
        now = {m.path: (m.line, m.lines) for s in stacks for m in s.members}
        moves = {p: v for p, v in moves.items() if now[p] != v}
        if not moves:
            break
        current = splice(current, moves)
        issue, plan = plan_text(current)
    stacks = find_stacks(issue, plan)
    final = {m.path: m for s in stacks for m in s.members}
    changes = [change(old, final[path]) for path, old in first.items()
               if (old.line, old.lines) != (final[path].line, final[path].lines)]
    width_em = _column_width_em(issue)
    failures = [f for f in (judge(s, width_em, passes) for s in stacks) if f]
    overset = tuple(f"story {f.story!r} is overset by {_lines(f.overset_lines)}"
                    for f in plan.overset)
    return Proposal(tuple(changes), tuple(failures), current, passes, overset)


def change(old: Member, new: Member) -> Change:
    aspect = None
    if old.role == "image":
        extra = old.head + (CAPTION_GAP if old.head else 0)
        aspect = (old.lines - extra) / (new.lines - extra) - 1
    return Change(old.path, old.label, old.page, old.line, old.lines, new.line, new.lines,
                  None if old.role == "image" else _real_fill(old),
                  None if new.role == "image" else _real_fill(new), aspect)


def judge(stack: Stack, width_em: float, passes: int) -> str | None:
    """Why the stack, as planned, is not fitted; None when every story in it is 92–100 % full."""
    empty = _empty_note(stack)
    if empty:
        return empty
    s = solve(stack)
    if s.lines is None or s.unfillable:
        return failure_text(s, width_em)
    if not fitted(stack):
        return (f"{stack.name}: no heights found that fill every story 92 % after {passes} "
                "plans")
    return None


def _real_fill(m: Member) -> float:
    """% full as the report counts it: slots used (overset included) over slots available."""
    if m.role == "jumps":
        return 100.0
    return round(100.0 * m.used / m.available, 1) if m.available else 0.0


def _column_width_em(issue) -> float:
    from ..model.grid import column_width

    return column_width(issue.format) / issue.styles["body"].size


# --------------------------------------------------------------------------------------------------
# Editing the spec's text in place


def _positions(text: str, moves: dict[str, tuple[int, int]]) -> list[tuple[int, int, str]]:
    """(offset, length of the old number, new number) of each `line`/`lines` value to change, from
    ruamel.yaml's round-trip parse (which knows where every value was written)."""
    from ruamel.yaml import YAML

    data = YAML(typ="rt").load(text)
    starts = [0]  # offset of each line, with YAML's line breaks (not str.splitlines' many)
    starts.extend(m.end() for m in re.finditer(r"\r\n|\r|\n", text))
    out = []
    for path, (line, lines) in moves.items():
        pi, mi = map(int, re.fullmatch(r"pages\[(\d+)\]\.modules\[(\d+)\]", path).groups())
        node = data["pages"][pi]["modules"][mi]
        for key, value in (("line", line), ("lines", lines)):
            row, col = node.lc.value(key)
            offset = starts[row] + col
            old = str(node[key])
            if text[offset:offset + len(old)] != old:  # a number written another way (0x10, "…")
                raise ValueError(f"{path}.{key}: cannot find its value {old} in the text")
            if int(old) != value:
                out.append((offset, len(old), str(value)))
    return out


def splice(text: str, moves: dict[str, tuple[int, int]]) -> str:
    """The spec's text with the modules' `line`/`lines` changed and nothing else: where a number
    gets shorter or longer, the run of spaces after the next comma (or before a comment) gives or
    takes the difference, so aligned columns stay aligned."""
    for offset, size, new in sorted(_positions(text, moves), reverse=True):
        end = offset + size
        delta = len(new) - size
        text = text[:offset] + new + text[end:]
        text = _realign(text, offset + len(new), delta)
    return text


def _realign(text: str, at: int, delta: int) -> str:
    """After a number at `at` that grew by `delta` characters, take them from (or give them to) the
    spaces before what follows it on the line — where those spaces are padding: more than one, or
    what follows is aligned with the line above or below."""
    if not delta:
        return text
    m = re.compile(r"[,}\]]*( +)(?=[^\s])").match(text, at)
    if m is None:
        return text
    spaces = m.group(1)
    if len(spaces) < 2 and not _aligned(text, m.end(1), m.end(1) - delta):
        return text
    keep = max(1, len(spaces) - delta)
    return text[:m.start(1)] + " " * keep + text[m.end(1):]


def _aligned(text: str, at: int, was: int) -> bool:
    """The word at `at` (at offset `was` before the edit) stands at the same column on the line
    above or below."""
    word = re.compile(r"[^\s,{}\[\]]+").match(text, at)
    if word is None:
        return False
    start, end = _line_span(text, at)
    column = was - start
    neighbours = ([_line_span(text, start - 1)] if start else []) + \
        ([_line_span(text, end + 1)] if end + 1 < len(text) else [])
    return any(text[a + column:a + column + len(word.group())] == word.group() and a + column < b
               for a, b in neighbours)


def _line_span(text: str, offset: int) -> tuple[int, int]:
    """Start and end (before its line break) of the line holding `offset`."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end < 0 else end


def read_spec(path: Path) -> str:
    """The spec's text exactly as stored (its line breaks kept, so that --write keeps them)."""
    return path.read_bytes().decode("utf-8")


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` by `text` through a temporary file in its folder (same mode)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".yaml.tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def planner_for(spec: Path):
    """`plan_text(text)` for `propose`: plans `text` as if it were the spec, from a temporary copy
    beside it (pictures and font files are relative to the spec's folder)."""
    from .report import plan_spec

    def plan_text(text: str):
        if text == read_spec(spec):
            return plan_spec(spec)
        fd, tmp = tempfile.mkstemp(prefix=f".{spec.stem}-fit-", suffix=".yaml", dir=spec.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            return plan_spec(Path(tmp))
        finally:
            Path(tmp).unlink(missing_ok=True)

    return plan_text


# --------------------------------------------------------------------------------------------------
# Output


def _fill_cell(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}%"


def render_table(proposal: Proposal):
    """The proposed changes as a rich table: module, line and lines old → new, fill before → after."""
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, show_edge=False)
    number = {"justify": "right", "no_wrap": True}
    table.add_column("page", **number)
    table.add_column("module", no_wrap=True)
    table.add_column("line", **number)
    table.add_column("lines", **number)
    table.add_column("fill", **number)
    table.add_column("", no_wrap=True)
    for c in proposal.changes:
        note = "" if c.aspect is None else f"aspect {c.aspect:+.0%}"
        table.add_row(str(c.page), c.label, f"{c.old_line} → {c.new_line}",
                      f"{c.old_lines} → {c.new_lines}",
                      "" if c.fill_before is None else
                      f"{_fill_cell(c.fill_before)} → {_fill_cell(c.fill_after)}", note)
    return table


def verdict_lines(proposal: Proposal) -> list[str]:
    """What is left once the proposal is applied: stacks that cannot be fitted, overset stories."""
    lines = list(proposal.failures)
    lines += [f"after the proposal, {o}" for o in proposal.overset]
    if proposal.ok:
        lines.append("every story module 92–100 % full")
    return lines


@click.command("fit")
@click.argument("spec", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--write", "write", is_flag=True,
              help="Apply the proposal to SPEC in place (comments and layout kept).")
def fit_command(spec: Path, write: bool) -> None:
    """Propose module heights that fill the stories of SPEC 92–100 %: for each stack of modules in
    the same columns, its lines are redistributed (order and total kept, pictures within ±15 % of
    their aspect). Stacks that cannot be fitted are named with how many lines they are short or
    long. Exit 0 when every stack fits, 1 when some cannot, 2 for a spec that cannot be planned."""
    from rich.console import Console

    from .batch import error_outcome

    try:
        text = read_spec(spec)
    except (OSError, UnicodeDecodeError) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        click.echo(f"{spec}: cannot read the spec: {reason}", err=True)
        sys.exit(2)
    try:
        proposal = propose(spec, text, planner_for(spec))
        if write and proposal.text != text:
            write_atomically(spec, proposal.text)
    except Exception as e:  # noqa: BLE001 - worded as `broadsheet render` words it
        outcome = error_outcome(spec, e)
        click.echo(outcome.message, err=True)
        sys.exit(outcome.code)
    click.echo(f"fit · {spec}")
    if proposal.changes:
        Console(highlight=False, width=None if sys.stdout.isatty() else 160).print(
            render_table(proposal))
    else:
        click.echo("no module needs another height")
    for line in verdict_lines(proposal):
        click.echo(line)
    if proposal.changes:
        click.echo(f"wrote {spec}" if write else "not written: pass --write to apply it")
    sys.exit(0 if proposal.ok else 1)
