"""The copyfit report: how every module of an edition is filled, for the production desk.

`copyfit(issue, plan)` is pure: it reads the loaded `Issue` (module geometry, story chains) and the
`EditionPlan` (story fits, placed lines, missing glyphs) and returns frozen `Report` data, which
`to_json` turns into JSON for scripts and `render_table` into a rich table for the terminal.

Units: a *line* is one column line of the body grid (one slot of a module's body area, 行), so a
3-column module of 20 body lines has 60 lines available. *Characters* (字) are the glyphs set,
punctuation included, as in the overset check.

For each story module: lines available and used (jump lines included), fill %, the characters that
did not fit (`overflow_chars`: carried on to the next module when the story jumps, `jump_to` names
its page; overset when nothing follows), the lines to spare, and the pages it jumps to/from.
`plan_spec(spec)` (not pure) loads a spec and plans it without the render's overset/missing-glyph
checks, so a report or preview can show an edition that does not render yet.
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..model.grid import page_grid
from ..flow.jumps import chain_links
from ..model.issue import Issue, Module, ModuleId
from ..pages.plan import EditionPlan, TextLine

if TYPE_CHECKING:
    from rich.console import RenderableType

STORY_KINDS = ("article", "continue")


@dataclass(frozen=True)
class ModuleFit:
    page: int
    kind: str  # article, continue, image, index, masthead
    ref: str | None  # story, image or index id; None for the masthead
    col: int
    line: int
    cols: int
    lines: int
    # Story modules only (None for furniture): body slots of the module, in column lines.
    available: int | None = None
    used: int | None = None  # slots used, jump lines included
    body_lines: int | None = None  # story lines set here (jump lines excluded)
    chars: int | None = None  # characters set here
    fill: float | None = None  # used / available, in %
    spare_lines: int | None = None  # 缺 N 行: lines left empty
    overflow_chars: int = 0  # 超 N 字: characters that did not fit this module…
    overflow_lines: int = 0
    jump_to: int | None = None  # …and moved on to this page (None: they are overset)
    jump_from: int | None = None  # page of the part before this one
    jump_label: str | None = None  # the label of the jump_to page (A2), when it has one
    overset_chars: int = 0  # characters past the story's last module: lost
    overset_lines: int = 0
    missing: tuple[str, ...] = ()  # characters of this module's texts that no assigned face has
    crowded_lines: int = 0  # furniture only: grid lines its text needs beyond the module's (超 N 行)

    @property
    def is_story(self) -> bool:
        return self.kind in STORY_KINDS

    @property
    def label(self) -> str:
        """The module as the desk names it: the story id, `image street`, `masthead`."""
        if self.kind in STORY_KINDS:
            return str(self.ref)
        return self.kind if self.ref is None else f"{self.kind} {self.ref}"

    @property
    def status(self) -> str:
        """`超 N 字` (overset or moved on), `缺 N 行` (lines to spare), `满` (exactly full), or ``."""
        if not self.is_story:
            return f"超 {self.crowded_lines} 行" if self.crowded_lines else ""
        if self.overflow_chars:
            return f"超 {self.overflow_chars} 字"
        if self.spare_lines:
            return f"缺 {self.spare_lines} 行"
        return "满"


@dataclass(frozen=True)
class PageTotals:
    page: int
    stories: int  # story modules on the page
    available: int
    used: int
    fill: float  # %
    spare_lines: int
    chars: int
    moved_chars: int  # characters carried from this page's modules to a later part
    overset_chars: int  # characters lost past a story's last module on this page
    missing: int  # characters no face has, in this page's modules


@dataclass(frozen=True)
class MissingEntry:
    where: str  # "article renda (headline)", "index daodu", "masthead", "jumps", …
    char: str
    codepoint: str  # "U+4E00"
    font: str
    page: int | None  # the page of the module that sets it, None for edition-wide texts


@dataclass(frozen=True)
class Report:
    spec: str
    modules: tuple[ModuleFit, ...]
    pages: tuple[PageTotals, ...]
    overset_chars: int
    overset_lines: int
    missing: tuple[MissingEntry, ...]
    crowded: tuple[str, ...] = ()  # furniture that does not fit its module, as the render says it
    missing_fatal: bool = True  # typography.missing_glyphs is "error" (a render refuses them)

    @property
    def ok(self) -> bool:
        """The render would pass: as `broadsheet render` judges (missing glyphs under the `warn`
        policy are shown but do not fail)."""
        return (not self.overset_chars and not self.crowded
                and not (self.missing and self.missing_fatal))

    def story_modules(self, story: str) -> list[ModuleFit]:
        return [m for m in self.modules if m.is_story and m.ref == story]


# --------------------------------------------------------------------------------------------------
# Building the report


def _where_key(where: str) -> tuple[str, str | None]:
    """`article renda (headline)` → ("article", "renda"); `masthead (paper name)` → ("masthead", None)."""
    head = where.split(" (", 1)[0].split()
    if not head:
        return "", None
    return head[0], (head[1] if len(head) > 1 else None)


def _set_per_module(plan: EditionPlan) -> dict[ModuleId, tuple[int, int]]:
    """Module → (body lines, characters) the flow set there, read from the placed lines' facts."""
    out: dict[ModuleId, tuple[int, int]] = {}
    for page in plan.pages:
        for item in page.items:
            if isinstance(item, TextLine) and item.role == "body" and item.at is not None:
                lines, chars = out.get(item.at.module, (0, 0))
                out[item.at.module] = (lines + 1, chars + len(item.glyphs))
    return out


def _missing_by_module(issue: Issue, plan: EditionPlan
                       ) -> tuple[dict[ModuleId, list[str]], list[MissingEntry]]:
    """Missing glyphs: which module sets the text (the story's first module for an article)."""
    first_module: dict[tuple[str, str | None], ModuleId] = {}
    for page in issue.pages:
        for mid, m in page.module_ids():
            key = ("article" if m.kind in STORY_KINDS else m.kind, m.ref)
            first_module.setdefault(key, mid)
    missing_at: dict[ModuleId, list[str]] = {}
    missing: list[MissingEntry] = []
    for g in plan.missing:
        where = first_module.get(_where_key(g.where))
        if where is not None:
            chars = missing_at.setdefault(where, [])
            if g.char not in chars:
                chars.append(g.char)
        missing.append(MissingEntry(g.where, g.char, f"U+{ord(g.char):04X}", g.font,
                                    where.page if where else None))
    return missing_at, missing


def _story_rows(issue: Issue, plan: EditionPlan,
                missing_at: dict[ModuleId, list[str]]) -> dict[ModuleId, ModuleFit]:
    set_here = _set_per_module(plan)
    fits = {f.story: f for f in plan.fits}
    rows: dict[ModuleId, ModuleFit] = {}
    for story, chain in chain_links(issue).items():
        fit = fits.get(story)
        if fit is None:
            continue
        counted = [set_here.get(link.id, (0, 0)) for link in chain]
        total_chars = sum(c for _, c in counted) + fit.overset_chars
        done_lines = done_chars = 0
        for k, (link, (nlines, nchars), (_, available, used)) in enumerate(
                zip(chain, counted, fit.modules)):
            done_lines += nlines
            done_chars += nchars
            last = k == len(chain) - 1
            continues = not last and fit.modules[k + 1][2] > 0
            left_chars, left_lines = total_chars - done_chars, fit.lines - done_lines
            m = link.module
            rows[link.id] = ModuleFit(
                link.page.number, m.kind, m.ref, m.col, m.line, m.cols, m.lines,
                available=available, used=used, body_lines=nlines, chars=nchars,
                fill=round(100.0 * used / available, 1) if available else 0.0,
                spare_lines=max(0, available - used),
                overflow_chars=left_chars if (continues or last) else 0,
                overflow_lines=left_lines if (continues or last) else 0,
                jump_to=chain[k + 1].page.number if continues else None,
                jump_from=chain[k - 1].page.number if k > 0 and used > 0 else None,
                jump_label=chain[k + 1].page.label if continues else None,
                overset_chars=fit.overset_chars if last else 0,
                overset_lines=fit.overset_lines if last else 0,
                missing=tuple(missing_at.get(link.id, ())))
    return rows


def _page_totals(page: int, rows: list[ModuleFit]) -> PageTotals:
    stories = [r for r in rows if r.is_story and r.available is not None]
    available = sum(r.available or 0 for r in stories)
    used = sum(r.used or 0 for r in stories)
    return PageTotals(
        page, len(stories), available, used,
        round(100.0 * used / available, 1) if available else 0.0,
        sum(r.spare_lines or 0 for r in stories), sum(r.chars or 0 for r in stories),
        sum(r.overflow_chars for r in stories if r.jump_to is not None),
        sum(r.overset_chars for r in stories), sum(len(r.missing) for r in rows))


def copyfit(issue: Issue, plan: EditionPlan) -> Report:
    missing_at, missing = _missing_by_module(issue, plan)
    story_rows = _story_rows(issue, plan, missing_at)
    crowded = {(c.page, c.source.path if c.source else None): c for c in plan.crowded}
    modules: list[ModuleFit] = []
    totals: list[PageTotals] = []
    for page in sorted(issue.pages, key=lambda p: p.number):
        rows = []
        for mid, m in page.module_ids():
            crowd = crowded.get((page.number, m.source.path if m.source else None))
            rows.append(story_rows.get(mid) or ModuleFit(
                page.number, m.kind, m.ref, m.col, m.line, m.cols, m.lines,
                missing=tuple(missing_at.get(mid, ())),
                crowded_lines=math.ceil(crowd.needed - 1e-6) - crowd.lines if crowd else 0))
        modules.extend(rows)
        totals.append(_page_totals(page.number, rows))
    return Report(str(issue.source), tuple(modules), tuple(totals),
                  sum(f.overset_chars for f in plan.fits), sum(f.overset_lines for f in plan.fits),
                  tuple(missing), tuple(str(c) for c in plan.crowded),
                  issue.typography.missing_glyphs == "error")


# --------------------------------------------------------------------------------------------------
# Output


def to_dict(report: Report) -> dict:
    modules = []
    for m in report.modules:
        d = asdict(m)
        d["missing"] = list(m.missing)
        d["label"] = m.label
        d["status"] = m.status
        modules.append(d)
    return {
        "spec": report.spec,
        "ok": report.ok,
        "overset_chars": report.overset_chars,
        "overset_lines": report.overset_lines,
        "pages": [asdict(p) for p in report.pages],
        "modules": modules,
        "missing": [asdict(g) for g in report.missing],
        "missing_fatal": report.missing_fatal,
        "crowded": list(report.crowded),
    }


def to_json(report: Report, indent: int | None = 2) -> str:
    return json.dumps(to_dict(report), ensure_ascii=False, indent=indent)


def _jumps(m: ModuleFit) -> str:
    parts = []
    if m.jump_from is not None:
        parts.append(f"← p{m.jump_from}")
    if m.jump_to is not None:
        parts.append(f"→ p{m.jump_to}")
    return " ".join(parts)


def _status_cell(m: ModuleFit) -> tuple[str, str]:
    """(text, rich style) of the 超/缺 column."""
    if not m.is_story:
        return (f"超 {m.crowded_lines} 行 does not fit", "bold red") if m.crowded_lines else ("", "")
    if m.overset_chars:
        return f"超 {m.overset_chars} 字 ({m.overset_lines} 行) overset", "bold red"
    if m.overflow_chars and m.jump_to is not None:
        # the page as the jump line names it: its label (→A2版) when it has one
        return f"超 {m.overflow_chars} 字 →{m.jump_label or m.jump_to}版", "yellow"
    if m.spare_lines:
        return f"缺 {m.spare_lines} 行", "cyan" if (m.fill or 0) < 80 else ""
    return "满", "green"


def render_table(report: Report) -> "RenderableType":
    """The report as rich renderables: one table of modules with per-page total rows, and a verdict."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from rich import box

    table = Table(title=f"copyfit · {report.spec}", title_justify="left", show_lines=False,
                  header_style="bold", box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False,
                  show_edge=False, collapse_padding=True)
    # The numbers never wrap or shrink; in a narrow terminal the names are shortened (…) and the
    # 超/缺 and missing-glyph cells wrap.
    number = {"justify": "right", "no_wrap": True}
    table.add_column("page", min_width=4, **number)
    table.add_column("module", no_wrap=True, overflow="ellipsis", max_width=24)
    table.add_column("size", style="dim", min_width=5, **number)
    table.add_column("avail", min_width=5, **number)
    table.add_column("used", min_width=4, **number)
    table.add_column("fill", min_width=4, **number)
    table.add_column("chars", min_width=5, **number)
    table.add_column("超/缺", overflow="fold", min_width=9)
    table.add_column("jumps", no_wrap=True, min_width=5)
    any_missing = any(m.missing for m in report.modules)
    if any_missing:
        table.add_column("missing", style="red", overflow="fold")
    totals = {t.page: t for t in report.pages}
    pages = sorted(totals)
    for n in pages:
        for m in (m for m in report.modules if m.page == n):
            status, style = _status_cell(m)
            fill = "" if m.fill is None else f"{m.fill:.0f}%"
            label = f"{m.label} (续)" if m.kind == "continue" else m.label
            table.add_row(
                str(m.page), label, f"{m.cols}×{m.lines}",
                "" if m.available is None else str(m.available),
                "" if m.used is None else str(m.used), fill,
                "" if m.chars is None else str(m.chars), Text(status, style=style), _jumps(m),
                *([" ".join(m.missing)] if any_missing else []))
        t = totals[n]
        verdict = []
        if t.overset_chars:
            verdict.append(Text(f"超 {t.overset_chars} 字 overset", style="bold red"))
        if t.moved_chars:
            verdict.append(Text(f"转 {t.moved_chars} 字", style="yellow"))
        if t.spare_lines:
            verdict.append(Text(f"缺 {t.spare_lines} 行"))
        table.add_row(
            str(n), Text(f"page {n} total", style="bold"), "",
            str(t.available), str(t.used), f"{t.fill:.0f}%", str(t.chars),
            Text(", ").join(verdict) if verdict else "", "",
            *([f"{t.missing} chars" if t.missing else ""] if any_missing else []),
            style="bold", end_section=True)
    return Group(table, _verdict(report))


def _verdict(report: Report) -> "RenderableType":
    """The line under the table: what a render would say of the edition."""
    from rich.text import Text

    if report.ok and report.missing:
        verdict = Text(f"0 overset; {len(report.missing)} missing glyphs, drawn as .notdef boxes "
                       "(typography.missing_glyphs: warn): " + " ".join(sorted({g.char for g in report.missing})),
                       style="bold yellow")
    elif report.ok:
        verdict = Text("0 overset, no missing glyphs", style="bold green")
    else:
        parts = []
        if report.overset_chars:
            parts.append(f"{report.overset_chars} character{'' if report.overset_chars == 1 else 's'} "
                         f"({report.overset_lines} line{'' if report.overset_lines == 1 else 's'}) overset")
        if report.missing:
            parts.append(f"{len(report.missing)} missing glyphs: "
                         + " ".join(sorted({g.char for g in report.missing})))
        if report.crowded:
            parts.append(f"{len(report.crowded)} furniture modules too small for their text")
        verdict = Text("; ".join(parts), style="bold red")
    return verdict


def print_report(report: Report, *, file=None, width: int | None = None) -> None:
    from rich.console import Console

    Console(file=file, width=width, highlight=False).print(render_table(report))


# --------------------------------------------------------------------------------------------------
# Planning a spec without the render's checks


def plan_spec(spec: Path, fontbook=None) -> tuple[Issue, EditionPlan]:
    """Load and plan a spec like `render_spec`, but never fail on overset or missing glyphs: the
    report shows them."""
    from .render import plan_spec as plan

    return plan(spec, fontbook)


def module_rect(issue: Issue, page: int, m: Module):
    """The module's rectangle in pt on the trimmed page (for overlays)."""
    return page_grid(issue.format, issue.styles["body"].leading, page).module_rect(m)
