"""A line on stderr as `click.echo(message, err=True)` writes it, without importing click: the
`broadsheet render SPEC [-o DIR]` fast path (desk/cli.py) never loads click (~18 ms a process)."""
from __future__ import annotations

import re
import sys

# click's own pattern for the colour and style codes it removes off a terminal
_ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")


def echo(message: str) -> None:
    """`message` and a newline on stderr, flushed. When click is loaded (every command but the fast
    path) it is click.echo itself; otherwise the same result for a text stream whose encoding is
    not ASCII (the fast path checks that first): ANSI codes stripped unless stderr is a terminal."""
    if "click" in sys.modules:
        sys.modules["click"].echo(message, err=True)
        return
    stream = sys.stderr
    if stream is None:
        return
    out = message + "\n"
    if not _isatty(stream):
        out = _ANSI.sub("", out)
    stream.write(out)
    stream.flush()


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
