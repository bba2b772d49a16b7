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

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click

from ..util.atomic import write_atomically
from .specedit import splice
from .stacks import (CAPTION_GAP, FILL_MIN, Member, Stack, find_stacks, placements, solve,
                     through_jump)

MAX_PASSES = 5


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


def read_spec(path: Path) -> str:
    """The spec's text exactly as stored (its line breaks kept, so that --write keeps them)."""
    return path.read_bytes().decode("utf-8")


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

    from .batch import say_failure

    try:
        text = read_spec(spec)
    except (OSError, UnicodeDecodeError) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        click.echo(f"{spec}: cannot read the spec: {reason}", err=True)
        sys.exit(2)
    try:
        proposal = propose(spec, text, planner_for(spec))
        if write and proposal.text != text:
            write_atomically(proposal.text.encode("utf-8"), spec, mode=spec.stat().st_mode & 0o7777)
    except Exception as e:  # noqa: BLE001 - worded as `broadsheet render` words it
        sys.exit(say_failure(spec, e))
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
