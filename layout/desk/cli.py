"""Command line: `broadsheet render SPEC… [-o DIR] [--allow-overset] [--pdfx]`, `broadsheet check
PDF…` (preflight), `broadsheet schema`, `broadsheet new NAME` (a starter spec), `broadsheet fit SPEC
[--write]` (module heights that fill the stories). The commands and options are the click group in
desk/group.py (`main`, also importable from here).

Exit codes: 0 rendered; 1 layout problem (overset story, character no font has); 2 bad spec or usage.
Messages go to stderr, never as a traceback (BROADSHEET_DEBUG=1 shows one).

The most common command line, `broadsheet render SPEC [-o DIR]` (with --allow-overset, --pdfx or
--marks), skips click: parsing it needs none of click's machinery, and importing click costs ~18 ms
of a render's ~140 ms of imports. Anything else, and anything click would word as a usage error (a
missing or repeated option, an -o that is a file, a stream click would re-encode), goes to click.
"""
from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path
from typing import NamedTuple, Sequence

from ..util.errors import LayoutError

FAST_FLAGS = ("--allow-overset", "--pdfx", "--marks")
COMPLETION_VAR = "_BROADSHEET_COMPLETE"  # set, click answers shell completion instead of running


class FastRender(NamedTuple):
    """A `broadsheet render` command line the fast path takes: one spec and only these options."""
    spec: Path
    out_dir: Path
    flags: frozenset[str]


def fast_render_args(argv: Sequence[str]) -> FastRender | None:
    """The render that `argv` (without the program name) asks for when it is `render SPEC` with at
    most one `-o DIR` / `--output DIR` / `-oDIR` / `--output=DIR` and the flags in FAST_FLAGS, in
    any order; None for every other command line (click then parses it, errors and all)."""
    if not argv or argv[0] != "render":
        return None
    spec: str | None = None
    out: str | None = None
    flags: set[str] = set()
    rest = list(argv[1:])
    while rest:
        arg = rest.pop(0)
        if arg in FAST_FLAGS:
            flags.add(arg)
            continue
        value = _output_value(arg, rest)
        if value is not None:
            if out is not None or not value or value.startswith("-"):
                return None  # repeated, empty or option-like: click's wording
            out = value
        elif arg.startswith("-") or not arg or spec is not None:
            return None  # another option, `--`, a second spec
        else:
            spec = arg
    if spec is None or not _click_accepts(spec, dir_as_file=True):
        return None
    if out is not None and not _click_accepts(out, dir_as_file=False):
        return None
    return FastRender(Path(spec), Path(out) if out is not None else Path("out"), frozenset(flags))


def _output_value(arg: str, rest: list[str]) -> str | None:
    """The value of an -o/--output option at `arg` (taking it from `rest` when separate), else
    None; "" for a separate option with nothing after it."""
    if arg in ("-o", "--output"):
        return rest.pop(0) if rest else ""
    if arg.startswith("--output="):
        return arg.removeprefix("--output=")
    if arg.startswith("-o") and not arg.startswith("--"):
        return arg[2:]
    return None


def _click_accepts(path: str, *, dir_as_file: bool) -> bool:
    """Whether click.Path (readable; for -o also file_okay=False) would take `path` silently."""
    try:
        st = os.stat(path)
    except OSError:
        return True  # a path that does not exist (yet) is fine for both
    if not dir_as_file and stat.S_ISREG(st.st_mode):
        return False
    return os.access(path, os.R_OK)


def _stderr_as_click_uses_it() -> bool:
    """click writes to sys.stderr as it is unless its encoding is ASCII or unknown (then it
    re-wraps the stream); the fast path's echo matches click only in the first case."""
    import codecs

    encoding = getattr(sys.stderr, "encoding", None) or "ascii"
    try:
        return codecs.lookup(encoding).name != "ascii"
    except LookupError:
        return False


def fast_render(argv: Sequence[str]) -> int | None:
    """The exit code of `broadsheet render SPEC [-o DIR]` run without click, or None when `argv` is
    not such a command line. What click's standalone mode adds is kept: Ctrl-C that reaches here
    prints an empty line and "Aborted!" (exit 1), a closed pipe exits 1."""
    args = fast_render_args(argv)
    if args is None or not _stderr_as_click_uses_it() or COMPLETION_VAR in os.environ:
        return None
    from .echo import echo
    from .render_command import render_command_body

    try:
        return render_command_body([args.spec], args.out_dir, "--allow-overset" in args.flags,
                                   1, False, pdfx="--pdfx" in args.flags,
                                   marks="--marks" in args.flags)
    except (KeyboardInterrupt, EOFError):
        echo("")
        echo("Aborted!")
        return 1
    except OSError as e:
        if e.errno == errno.EPIPE:
            return 1
        raise


def _click_main() -> int:
    from .group import main

    try:
        main.main(prog_name="broadsheet", standalone_mode=True)
        return 0
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)


def run() -> None:
    """The console script. Exits without tearing down the interpreter's heap: freeing a large plan
    object by object costs up to a fifth of a second, and the output is already on disk."""
    code = fast_render(sys.argv[1:])
    if code is None:
        code = _click_main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def __getattr__(name: str):
    """`main` (the click group) and the group module's other names, imported on first use so that
    the fast path never loads click. Dunder look-ups (`from cli import run` asks for __path__)
    are not the group's."""
    if name.startswith("__"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import group

    try:
        return getattr(group, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


if __name__ == "__main__":  # pragma: no cover
    run()


__all__ = ["main", "run", "fast_render", "LayoutError"]
