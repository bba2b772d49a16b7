"""Command line: `broadsheet render SPEC… [-o DIR] [--allow-overset] [--pdfx]`, `broadsheet check
PDF…` (preflight), `broadsheet schema`.

Exit codes: 0 rendered; 1 layout problem (overset story, character no font has); 2 bad spec or usage.
Messages go to stderr, never as a traceback (BROADSHEET_DEBUG=1 shows one).
"""
from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import click

from .errors import BroadsheetError, LayoutError
from .render import RenderResult, render_spec


INTERRUPTED = 130  # the shell's code for a process ended by SIGINT


def _debug() -> bool:
    return os.environ.get("BROADSHEET_DEBUG", "") not in ("", "0")


def _report(result: RenderResult) -> None:
    for line in result.warnings:
        click.echo(f"warning: {line}", err=True)


@click.group()
@click.version_option(package_name="broadsheet")
def main() -> None:
    """Broadsheet: typeset newspaper issue specs (YAML) into print-ready PDF pages."""


@main.command()
@click.argument("specs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("out"), show_default=True, help="Folder for the PDFs.")
@click.option("--allow-overset", is_flag=True,
              help="Render even when a story does not fit its modules (still reported).")
@click.option("--pdfx", is_flag=True,
              help="Write PDF/X-4 for the press (as output.standard: pdf/x-4 in the spec).")
@click.option("--marks", is_flag=True,
              help="Add crop and registration marks and a slug line outside the bleed.")
def render(specs: tuple[Path, ...], out_dir: Path, allow_overset: bool, pdfx: bool,
           marks: bool) -> None:
    """Render each SPEC to OUTPUT/<spec name>.pdf."""
    worst = 0
    for spec in specs:
        code = _render_one(spec, out_dir, allow_overset, pdfx, marks)
        worst = max(worst, code)
        if code == INTERRUPTED:  # Ctrl-C stops the batch, not just this spec
            break
    sys.exit(worst)


@main.command()
def schema() -> None:
    """Print the JSON Schema of issue specs (for editors: completion and hover help)."""
    from .schema import published
    click.echo(published(), nl=False)


@main.command()
@click.argument("pdfs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pdfx", is_flag=True, help="Require PDF/X-4 (OutputIntent, markers).")
@click.option("--ink-limit", type=click.IntRange(100, 400), default=None,
              help="Report images whose total ink exceeds this (per cent).")
def check(pdfs: tuple[Path, ...], pdfx: bool, ink_limit: int | None) -> None:
    """Preflight PDFs for the press: boxes, fonts, colour, overprint, transparency, PDF/X.
    Exit 1 when any file has a failure."""
    from .preflight import PreflightError, check_pdf, exit_code, format_report

    worst = 0
    for pdf in pdfs:
        try:
            problems = check_pdf(pdf, pdfx=pdfx or None, ink_limit=ink_limit)
        except PreflightError as e:
            click.echo(f"{pdf}: {e}", err=True)
            worst = max(worst, 2)
            continue
        click.echo(format_report(pdf, problems), err=True)
        worst = max(worst, exit_code(problems))
    sys.exit(worst)


def _render_one(spec: Path, out_dir: Path, allow_overset: bool, pdfx: bool = False,
                marks: bool = False) -> int:
    try:
        result = render_spec(spec, out_dir / f"{spec.stem}.pdf", allow_overset=allow_overset,
                             pdfx=pdfx, marks=marks)
    except BroadsheetError as e:
        if _debug():
            traceback.print_exc()
        prefix = "" if str(e).startswith(str(spec)) else f"{spec}: "
        click.echo(f"{prefix}{e}", err=True)
        return e.exit_code
    except OSError as e:
        if _debug():
            traceback.print_exc()
        click.echo(f"{spec}: cannot write output: {e.strerror or e}"
                   + (f": {e.filename}" if e.filename else ""), err=True)
        return 2
    except KeyboardInterrupt:
        if _debug():
            traceback.print_exc()
        click.echo(f"{spec}: interrupted; the previous PDF, if any, is unchanged", err=True)
        return INTERRUPTED
    except Exception as e:  # a bug of ours: say so plainly, without a traceback
        if _debug():
            traceback.print_exc()
        click.echo(f"{spec}: internal error: {type(e).__name__}: {e}\n"
                   "  please report it; BROADSHEET_DEBUG=1 shows the traceback", err=True)
        return 3
    _report(result)
    click.echo(f"wrote {result.output} ({result.pages} pages)", err=True)
    return 0


def run() -> None:
    """The console script. Exits without tearing down the interpreter's heap: freeing a large plan
    object by object costs up to a fifth of a second, and the output is already on disk."""
    code: int
    try:
        main.main(standalone_mode=True)
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()


__all__ = ["main", "LayoutError"]
