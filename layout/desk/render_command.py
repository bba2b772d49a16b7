"""`broadsheet render SPEC… [--jobs N] [--split-pages]`: the specs rendered (in worker processes
when asked), each outcome reported, a summary at the end (a table on a terminal, plain lines in logs).
Apart from the other commands so that a render imports only what rendering needs."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Sequence

from .batch import INTERRUPTED, Outcome, render_many
from .echo import echo



def render_command_body(specs: Sequence[Path], out_dir: Path, allow_overset: bool, jobs: int = 1,
                        split_pages: bool = False, *, pdfx: bool = False,
                        marks: bool = False) -> int:
    """`broadsheet render`: every spec rendered (in `jobs` processes; 0: one per CPU), each spec's
    messages on stderr as before, a progress bar on a terminal, a summary table for several specs;
    `split_pages` also writes OUTPUT/<spec name>-p01.pdf …; `pdfx`, `marks` as render_spec's.
    Returns the exit code: the highest of the specs' codes.

    rich (progress bar, coloured table) is imported only for a terminal: scripts, CI and batch
    logs get plain lines, and a render does not pay for rich's import when nobody watches."""
    specs, clashes = _distinct_outputs(specs, out_dir)
    for outcome in clashes:
        echo(outcome.message)
    todo = [s for s in specs if s not in {o.spec for o in clashes}]
    options = dict(allow_overset=allow_overset, split_pages=split_pages, pdfx=pdfx, marks=marks)
    workers = (os.cpu_count() or 1) if jobs <= 0 else jobs
    start = time.perf_counter()
    if len(specs) > 1 and _stderr_is_terminal():
        done, console = _render_with_progress_bar(todo, out_dir, workers, options)
        outcomes = _in_order(specs, done + clashes)
        console.print(summary_table(outcomes, time.perf_counter() - start, workers))
    else:
        def say(outcome: Outcome, done: int, total: int) -> None:
            echo(outcome.message)

        done = render_many(todo, out_dir, jobs=workers if len(todo) > 1 else 1,
                           on_progress=say, **options)
        outcomes = _in_order(specs, done + clashes)
        if len(specs) > 1:
            echo(summary_text(outcomes, time.perf_counter() - start, workers))
    return max((o.code for o in outcomes), default=0)


def _distinct_outputs(specs: Sequence[Path], out_dir: Path) -> tuple[list[Path], list[Outcome]]:
    """The specs to render, each file once (`x.yaml ./x.yaml` is one spec), and a failed outcome
    (exit 2) for each of several files that would write the same PDF (`a/x.yaml c/x.yaml`): which
    one won would depend on timing, and their page files would mix on the plate-maker's side."""
    unique: dict[Path, Path] = {}
    for spec in specs:
        unique.setdefault(Path(os.path.abspath(spec)), spec)
    kept = list(unique.values())
    by_stem: dict[str, list[Path]] = {}
    for spec in kept:
        by_stem.setdefault(spec.stem, []).append(spec)
    clashes = []
    for stem, group in by_stem.items():
        if len(group) > 1:
            for spec in group:
                others = ", ".join(str(o) for o in group if o is not spec)
                clashes.append(Outcome(spec, 2, f"{spec}: would write {out_dir / (stem + '.pdf')}, "
                                                f"as {others} would; none of them is rendered\n"
                                                "  rename one, or render them into different "
                                                "folders (-o)", None, 0.0))
    return kept, clashes


def _in_order(specs: Sequence[Path], outcomes: Sequence[Outcome]) -> list[Outcome]:
    by_spec = {o.spec: o for o in outcomes}
    return [by_spec[s] for s in specs]


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed stream
        return False


def _render_with_progress_bar(specs, out_dir, jobs, options):
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                               TimeElapsedColumn)

    console = Console(stderr=True, highlight=False)
    progress = Progress(TextColumn("rendering"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), TextColumn("{task.description}"),
                        console=console, transient=True)
    task = progress.add_task("", total=len(specs))
    started = False

    def on_progress(outcome: Outcome, done: int, total: int) -> None:
        nonlocal started
        if not started:  # a pool's processes start at the first submit, before the bar's thread
            progress.start()
            started = True
        progress.console.print(outcome.message, markup=False, highlight=False, soft_wrap=True,
                               style=None if outcome.ok else "red")
        progress.update(task, completed=done, description=outcome.spec.name)

    if jobs == 1:
        progress.start()
        started = True
    try:
        return render_many(specs, out_dir, jobs=jobs, on_progress=on_progress, **options), console
    finally:
        progress.stop()


SUMMARY_COLUMNS = ("spec", "exit", "pages", "s", "result")


def _summary_title(outcomes: Sequence[Outcome], wall: float, jobs: int) -> str:
    ok = sum(o.ok for o in outcomes)
    return (f"{ok} of {len(outcomes)} specs rendered in {wall:.1f} s"
            + (f" ({jobs} jobs)" if jobs != 1 and len(outcomes) > 1 else ""))


def _summary_rows(outcomes: Sequence[Outcome]) -> list[tuple[tuple[str, ...], str]]:
    """Each outcome's cells (as SUMMARY_COLUMNS) and its colour: the PDF written, or the first line
    of what went wrong."""
    rows = []
    for o in outcomes:
        lines = o.message.strip().splitlines() or [""]
        result = next((x for x in lines if x.startswith("wrote ")), lines[-1]) if o.ok else lines[0]
        if not o.ok:
            result = result.removeprefix(f"{o.spec}: ")
        style = "green" if o.ok else ("yellow" if o.code == INTERRUPTED else "red")
        rows.append(((str(o.spec), str(o.code), str(o.pages or ""), f"{o.seconds:.2f}", result), style))
    return rows


def summary_table(outcomes: Sequence[Outcome], wall: float, jobs: int):
    """The summary as a rich table (terminal)."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=_summary_title(outcomes, wall, jobs), title_justify="left",
                  header_style="bold")
    for name in SUMMARY_COLUMNS:
        table.add_column(name, overflow="fold", justify="left" if name in ("spec", "result") else "right")
    for (spec, code, pages, seconds, result), style in _summary_rows(outcomes):
        table.add_row(spec, Text(code, style=style), pages, seconds,
                      Text(result, style="" if style == "green" else style))
    return table


def summary_text(outcomes: Sequence[Outcome], wall: float, jobs: int) -> str:
    """The summary as plain aligned columns (logs, scripts)."""
    rows = [SUMMARY_COLUMNS] + [cells for cells, _ in _summary_rows(outcomes)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(SUMMARY_COLUMNS) - 1)]
    lines = [_summary_title(outcomes, wall, jobs)]
    for row in rows:
        cells = [cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells + [row[-1]]))
    return "\n".join(lines)
