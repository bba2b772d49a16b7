"""User-facing errors. The CLI prints them (never a traceback) and maps them to exit codes."""
from __future__ import annotations

import re
from typing import Sequence

# What must not reach a terminal as written: C0 and C1 controls and DEL (escape sequences set window
# titles, move the cursor, ring the bell), and the invisible bidi and line/paragraph separators that
# make a message read other than it is.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROL_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape_one(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: str) -> str:
    """`text` safe to print: every control character written as `\\x1b`, `\\u202e`. Idempotent."""
    return _CONTROL.sub(_escape_one, text)


def _escape_lines(text: str) -> str:
    """As `escape`, but keeps line breaks: for messages made of several lines on purpose."""
    return _CONTROL_BUT_NEWLINE.sub(_escape_one, text)


class BroadsheetError(Exception):
    """An error a sub-editor can act on. `str()` is the full message (one or two lines).
    Control characters (from user keys, ids and file names) are escaped here, once for all."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
        message = _escape_lines(message)
        hint = _escape_lines(hint) if hint else hint
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  {self.hint}"


class SpecError(BroadsheetError):
    """The spec is malformed: `file:line: key.path: what is wrong` plus an optional hint line.
    Each part is escaped whole, line breaks too: one problem is one line (and its hint one more)."""

    exit_code = 2

    def __init__(self, file: str, line: int | None, path: str, problem: str, hint: str | None = None):
        file, path, problem = escape(file), escape(path), escape(problem)
        hint = escape(hint) if hint else hint
        where = f"{file}:{line}" if line else file
        message = f"{where}: {path}: {problem}" if path else f"{where}: {problem}"
        super().__init__(message, hint)
        self.file, self.line, self.path, self.problem = file, line, path, problem


MAX_SHOWN_PROBLEMS = 20  # like a compiler: enough to fix a spec in one pass, not a wall of text


class SpecProblems(SpecError):
    """Several independent problems of one spec, found in one run. `problems` are in file order;
    the attributes of SpecError (`line`, `path`, `problem`, `hint`) are those of the first, so code
    that looks at one problem keeps working. `str()` is every problem (at most MAX_SHOWN_PROBLEMS,
    then "…and N more"), then "N problems"."""

    def __init__(self, problems: Sequence[SpecError]):
        first = problems[0]
        super().__init__(first.file, first.line, first.path, first.problem, first.hint)
        self.problems = tuple(problems)

    def __str__(self) -> str:
        shown = [str(problem) for problem in self.problems[:MAX_SHOWN_PROBLEMS]]
        hidden = len(self.problems) - len(shown)
        if hidden:
            shown.append(f"…and {hidden} more")
        shown.append(f"{len(self.problems)} problems")
        return "\n".join(shown)


def spec_problems(problems: Sequence[SpecError]) -> SpecError:
    """The error to raise for `problems` (in file order): the problem itself when there is one."""
    assert problems, "no problems to raise"
    return problems[0] if len(problems) == 1 else SpecProblems(problems)


class FontError(BroadsheetError):
    """A font face cannot be found or loaded. A spec problem when a spec names it, hence exit 2.
    `role` is set once it is known which `fonts:` entry named the face."""

    exit_code = 2
    role: str | None = None


class LayoutError(BroadsheetError):
    """The spec is valid but the layout fails: overset story, character no font has. Exit 1."""

    exit_code = 1
