"""Production-desk commands: `report`, `preview`, `watch`, `fonts`, and the body of a parallel
`render` (`render_command_body`). Standalone click commands; cli.py registers them on its group:

    main.add_command(report); main.add_command(preview); main.add_command(watch); main.add_command(fonts)

Exit codes follow `broadsheet render`: 0 fine; 1 layout problem (overset, a character no font has);
2 bad spec, usage or unwritable output; 3 internal error; 130 interrupted.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from .batch import say_failure
from .preview import OVERLAYS, parse_overlays, parse_pages

SPEC = click.Path(dir_okay=False, path_type=Path)
# A broadsheet page at 600 dpi is ~110 megapixels, about what Pillow opens without calling it a
# decompression bomb; above that a preview would fail, and no screen needs it.
MAX_DPI = 600.0


def _overlay_option(default: str):
    return click.option(
        "--overlay", "overlay", default=default, show_default=True, metavar="LIST",
        help=f"Overlays, comma-separated: {','.join(OVERLAYS)}; 'all' or 'none'.")


def _check_options(pages: str | None, overlay: str) -> tuple[tuple[int, ...] | None, tuple[str, ...]]:
    try:
        page_list = parse_pages(pages)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--pages") from None
    try:
        return page_list, parse_overlays(overlay)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--overlay") from None


# --------------------------------------------------------------------------------------------------
# report


@click.command("report")
@click.argument("spec", type=SPEC)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (for scripts).")
def report(spec: Path, as_json: bool) -> None:
    """Copyfit report of SPEC: every module's lines available and used, fill %, characters overset
    (超 N 字) or lines to spare (缺 N 行), jumps, missing glyphs; totals per page.
    Exits 1 when `broadsheet render` would refuse the spec: a story overset, furniture too small
    for its text (超 N 行), a character no font has (unless typography.missing_glyphs: warn)."""
    from .report import copyfit, plan_spec, print_report, to_json

    try:
        issue, plan = plan_spec(spec)
        result = copyfit(issue, plan)
    except Exception as e:  # noqa: BLE001 - worded like `broadsheet render` words it
        sys.exit(say_failure(spec, e))
    if as_json:
        click.echo(to_json(result))
    else:
        print_report(result, file=sys.stdout,
                     width=None if sys.stdout.isatty() else 160)
    sys.exit(0 if result.ok else 1)


# --------------------------------------------------------------------------------------------------
# preview


@click.command("preview")
@click.argument("spec", type=SPEC)
@click.option("--pages", default=None, metavar="LIST", help="Pages to preview, e.g. 1,2 or 1-3 "
              "(default: all).")
@click.option("--dpi", default=72.0, show_default=True, type=click.FloatRange(min=10, max=MAX_DPI),
              help=f"Resolution of the PNGs (10–{MAX_DPI:.0f}).")
@_overlay_option("none")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("out/preview"), show_default=True, help="Folder for the PNGs.")
def preview(spec: Path, pages: str | None, dpi: float, overlay: str, out_dir: Path) -> None:
    """Write a PNG of each page of SPEC (<spec name>-p01.png …), optionally with overlays: the
    column grid, the baseline grid, module outlines with story ids and fill % (overset in red),
    jumps. An overset story is previewed too (the PDF is not written)."""
    from ..press.pdf import render_pdf
    from .preview import png_name, preview_pngs
    from .render import refuse_inputs_as_outputs
    from .report import copyfit, plan_spec

    page_list, overlays = _check_options(pages, overlay)
    try:
        issue, plan = plan_spec(spec)
        known = [p.number for p in plan.pages]
        if page_list and not set(page_list) <= set(known):
            raise click.BadParameter(f"no page {', '.join(str(n) for n in page_list if n not in known)}"
                                     f" in {spec} (pages {', '.join(map(str, known))})",
                                     param_hint="--pages")
        refuse_inputs_as_outputs(spec, issue, [out_dir / png_name(spec.stem, n)
                                               for n in page_list or known])
        result = copyfit(issue, plan)
        data = render_pdf(plan.pages, title=f"{issue.paper.name} {issue.issue.date.isoformat()}",
                          author=issue.paper.publisher or issue.paper.name,
                          initial_font=plan.body_font)
        written = preview_pngs(data, issue, plan, page_list, dpi, overlays, out_dir,
                               stem=spec.stem, report=result)
    except click.ClickException:
        raise
    except Exception as e:  # noqa: BLE001
        sys.exit(say_failure(spec, e))
    for path in written:
        click.echo(str(path))
    click.echo(_verdict(result), err=True)


def _verdict(report) -> str:
    parts = []
    for m in report.modules:
        if m.overset_chars:
            parts.append(f"story {m.ref!r} is overset by {m.overset_chars} characters "
                         f"({m.overset_lines} lines) on page {m.page}")
    if report.missing:
        parts.append(f"{len(report.missing)} characters no font has")
    parts.extend(report.crowded)
    return "; ".join(parts) if parts else "copyfit: 0 overset, no missing glyphs"


# --------------------------------------------------------------------------------------------------
# watch


@click.command("watch")
@click.argument("spec", type=SPEC)
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("out"), show_default=True,
              help="Folder for the PDF; previews go to OUTPUT/preview.")
@click.option("--pages", default=None, metavar="LIST", help="Pages to preview (default: all).")
@click.option("--dpi", default=72.0, show_default=True, type=click.FloatRange(min=10, max=MAX_DPI),
              help=f"Resolution of the preview PNGs (10–{MAX_DPI:.0f}).")
@_overlay_option("modules,jumps")
@click.option("--allow-overset", is_flag=True, help="Write the PDF even when a story is overset.")
@click.option("--serve", is_flag=True, help="Serve the previews and the report on a local page "
              "(127.0.0.1 only) that refreshes itself after each render.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535),
              help="Port of --serve (0: any free port).")
@click.option("--open", "open_browser", is_flag=True, help="Open the --serve page in a browser.")
def watch(spec: Path, out_dir: Path, pages: str | None, dpi: float, overlay: str,
          allow_overset: bool, serve: bool, port: int, open_browser: bool) -> None:
    """Re-render SPEC on every save (of the spec or an image it uses): write the PDF when it passes
    the checks, refresh the page previews and print the copyfit report. Ctrl-C ends."""
    from rich.console import Console

    from .report import render_table
    from .watch import Desk, PreviewServer, watch_spec

    page_list, overlays = _check_options(pages, overlay)
    if not spec.is_file():
        raise click.BadParameter(f"{spec}: no such file", param_hint="SPEC")
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    desk = Desk(spec, out_dir, pages=page_list, dpi=dpi, overlays=overlays,
                allow_overset=allow_overset)
    server = None
    if serve:
        taken = False
        try:
            server = PreviewServer(desk, port)
        except OSError:  # port taken (another watch?): any free one, and say so
            server, taken = PreviewServer(desk, 0), True
        url = server.start()
        console.print(f"serving {url} (127.0.0.1 only)"
                      + (f" — port {port} is in use, by another watch perhaps" if taken else ""))
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    def show(snap) -> None:
        console.rule(f"{spec} · render {snap.version} · {time.strftime('%H:%M:%S')} · "
                     f"{snap.seconds:.2f} s")
        if snap.report is not None and snap.code in (0, 1):
            console.print(render_table(snap.report))
        style = "green" if snap.ok else "bold red"
        console.print(snap.message, style=style, markup=False, soft_wrap=True)
        if snap.pages:
            stale = snap.code not in (0, 1)  # nothing was planned: these are an earlier render's
            console.print(("previews, not updated (from the last render that could be planned): "
                           if stale else "previews: ") + f"{snap.pages[0][1].parent}/ "
                          + " ".join(p.name for _, p in snap.pages), style="dim", soft_wrap=True)
        console.print("watching for changes (Ctrl-C ends)…", style="dim")

    try:
        watch_spec(desk, on_render=show)
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.stop()
    sys.exit(0)


# --------------------------------------------------------------------------------------------------
# fonts


@click.command("fonts")
@click.argument("spec", type=SPEC, required=False)
@click.option("--all", "show_all", is_flag=True,
              help="With SPEC: list every face found too, not just the spec's.")
@click.option("--filter", "name_filter", default=None, metavar="TEXT",
              help="Only faces whose full name contains TEXT.")
def fonts(spec: Path | None, show_all: bool, name_filter: str | None) -> None:
    """The faces Broadsheet finds (bundled with the project, installed on the system, given by
    path in a spec), by full name; with SPEC, the face of each of its font roles and the characters
    of each story that no assigned face covers (exit 1 if there are any, unless the spec sets
    typography.missing_glyphs: warn)."""
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=False,
                      width=None if sys.stdout.isatty() else 160)
    code = 0
    if spec is None or show_all:
        console.print(face_table(name_filter))
    if spec is not None:
        try:
            roles, gaps = spec_fonts(spec)
        except Exception as e:  # noqa: BLE001
            sys.exit(say_failure(spec, e))
        console.print(roles)
        console.print(gaps[0])
        code = 1 if gaps[1] else 0
    sys.exit(code)


def face_inventory() -> list[tuple[str, str, str, str]]:
    """(source, full name, file#index, outlines) of every face found: `bundled` (a project font
    folder or its manifest), `system` (the system font folders)."""
    from ..fonts.find import FontFinder
    from ..fonts.book import default_cache_dir

    finder = FontFinder(None, default_cache_dir())
    project = [str(d) for d in finder.project_dirs]
    rows: dict[tuple[str, str], tuple[str, str, str, str]] = {}
    for name, (path, index) in finder.manifest().items():
        rows[(name, str(path))] = ("bundled", name, f"{path}#{index}" if index else str(path), "")
    for record in finder.index().records():
        source = "bundled" if any(record.path.startswith(d + os.sep) for d in project) else "system"
        where = f"{record.path}#{record.index}" if record.index else record.path
        rows.setdefault((record.full_name.casefold(), record.path),
                        (source, record.full_name, where, record.outlines.strip()))
    return sorted(rows.values(), key=lambda r: (r[0] != "bundled", r[1].casefold(), r[2]))


def face_table(name_filter: str | None = None):
    from rich.table import Table

    table = Table(title="font faces found", title_justify="left", header_style="bold")
    table.add_column("source")
    table.add_column("full name")
    table.add_column("outlines", style="dim")
    table.add_column("file", style="dim", overflow="fold")
    for source, name, where, outlines in face_inventory():
        if name_filter and name_filter.casefold() not in name.casefold():
            continue
        table.add_row(source, name, outlines, where)  # embedded as they are: CFF as CFF
    return table


def spec_fonts(spec: Path):
    """(table of the spec's font roles, (table of uncovered characters, how many of them fail the
    spec: all of them, none under `typography.missing_glyphs: warn`)) for `fonts SPEC`."""
    from rich.table import Table

    from ..pages.planner import find_missing_glyphs, load_faces
    from .render import fonts_named_at, shared_fontbook
    from ..spec.load import load_issue
    from ..pages.typeset import Setter

    issue = load_issue(spec)
    book = shared_fontbook()
    with fonts_named_at(spec):
        faces = load_faces(issue, book)
    project = [str(d) for d in book.finder.project_dirs]
    roles = Table(title=f"fonts of {spec}", title_justify="left", header_style="bold")
    for column in ("role", "spec names", "source", "styles", "file"):
        roles.add_column(column, overflow="fold")
    for role, name in issue.fonts.items():
        found, index = book.finder.find(name)
        src = str(found)
        if book.finder.manifest().get(" ".join(name.split()).casefold()):
            source = "bundled"
        elif Path(name.rpartition("#")[0] if "#" in name else name).expanduser().is_file():
            source = "spec path"
        elif any(src.startswith(d + os.sep) for d in project):
            source = "bundled"
        else:
            source = "system"
        styles = ", ".join(s for s, st in issue.styles.items() if st.font == role)
        roles.add_row(role, name, source, styles, src + (f"#{index}" if index else ""))

    setter = Setter(faces, issue.styles, issue.typography)
    by_where: dict[str, tuple[str, list[str]]] = {}
    for g in find_missing_glyphs(issue, setter):
        entry = by_where.setdefault(g.where, (g.font, []))
        if g.char not in entry[1]:
            entry[1].append(g.char)
    gaps = Table(title="characters no assigned face covers", title_justify="left",
                 header_style="bold")
    gaps.add_column("where (story, field)")
    gaps.add_column("face")
    gaps.add_column("characters", style="red", overflow="fold")
    count = 0
    for where, (font, chars) in by_where.items():
        count += len(chars)
        gaps.add_row(where, font, " ".join(f"{c} U+{ord(c):04X}" for c in chars))
    if not by_where:
        gaps.add_row("—", "—", "none: every character has a glyph")
    elif issue.typography.missing_glyphs == "warn":
        gaps.caption = "typography.missing_glyphs: warn — a render draws these as .notdef boxes"
        count = 0  # not a failure under this policy, as for `broadsheet render`
    return roles, (gaps, count)
