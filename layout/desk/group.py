"""The `broadsheet` command group (click): every command and option. desk/cli.py's `run` hands a
plain `broadsheet render SPEC [-o DIR]` to its click-free fast path and everything else to `main`."""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

import click

# Commands defined in modules of their own, imported only when called (or listed by --help): a
# `render` should not pay for loading `fit`, `new`, `watch` and the rest (~15 ms a process).
LAZY_COMMANDS = {
    "report": ("commands", "report"), "preview": ("commands", "preview"),
    "watch": ("commands", "watch"), "fonts": ("commands", "fonts"),
    "new": ("starter", "new_command"), "fit": ("fit", "fit_command"),
    "cache": ("cache", "cache_command"),
}


class LazyGroup(click.Group):
    """A click group that imports a command's module the first time the command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS and name not in self.commands:
            module, attribute = LAZY_COMMANDS[name]
            self.add_command(getattr(importlib.import_module(f".{module}", __package__), attribute), name)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup)
@click.version_option(package_name="broadsheet")
def main() -> None:
    """Broadsheet: typeset newspaper issue specs (YAML) into print-ready PDF pages."""


@main.command()
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("out"), show_default=True, help="Folder for the PDFs.")
@click.option("--allow-overset", is_flag=True,
              help="Render even when a story does not fit its modules (still reported).")
@click.option("--pdfx", is_flag=True,
              help="Write PDF/X-4 for the press (as output.standard: pdf/x-4 in the spec).")
@click.option("--marks", is_flag=True,
              help="Add crop and registration marks and a slug line outside the bleed.")
@click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(min=0),
              help="Render this many specs at a time, in worker processes (0: one per CPU).")
@click.option("--split-pages", is_flag=True,
              help="Also write one PDF per page, OUTPUT/<spec name>-p01.pdf …, for plate-making.")
def render(specs: tuple[Path, ...], out_dir: Path, allow_overset: bool, pdfx: bool,
           marks: bool, jobs: int, split_pages: bool) -> None:
    """Render each SPEC to OUTPUT/<spec name>.pdf (OUTPUT relative to the current folder). The
    exit code is the worst of the specs': 0 rendered, 1 layout problem (overset, a character no
    font has, furniture too small), 2 bad spec or usage; a broken spec never stops the others."""
    from .render_command import render_command_body

    sys.exit(render_command_body(specs, out_dir, allow_overset, jobs, split_pages,
                                 pdfx=pdfx, marks=marks))


@main.command()
def schema() -> None:
    """Print the JSON Schema of issue specs (for editors: completion and hover help)."""
    from ..spec.schema import published
    click.echo(published(), nl=False)


@main.command()
@click.argument("pdfs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pdfx", is_flag=True, help="Require PDF/X-4 (OutputIntent, markers).")
@click.option("--ink-limit", type=click.IntRange(100, 400), default=None,
              help="Report images whose total ink exceeds this (per cent).")
def check(pdfs: tuple[Path, ...], pdfx: bool, ink_limit: int | None) -> None:
    """Preflight PDFs for the press: boxes, fonts, colour, overprint, transparency, PDF/X.
    Exit 1 when any file has a failure."""
    from ..press.findings import exit_code, format_report
    from ..press.inks import ink_report, inks_per_page
    from ..press.preflight import PreflightError, check_pdf

    worst = 0
    for pdf in pdfs:
        try:
            problems = check_pdf(pdf, pdfx=pdfx or None, ink_limit=ink_limit)
        except PreflightError as e:
            click.echo(f"{pdf}: {e}", err=True)
            worst = max(worst, 2)
            continue
        click.echo(format_report(pdf, problems), err=True)
        click.echo(ink_report(pdf, inks_per_page(pdf)))
        worst = max(worst, exit_code(problems))
    sys.exit(worst)
