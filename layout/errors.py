"""User-facing errors. The CLI prints them (never a traceback) and maps them to exit codes."""
from __future__ import annotations


class BroadsheetError(Exception):
    """An error a sub-editor can act on. `str()` is the full message (one or two lines)."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  {self.hint}"


class SpecError(BroadsheetError):
    """The spec is malformed: `file:line: key.path: what is wrong` plus an optional hint line."""

    exit_code = 2

    def __init__(self, file: str, line: int | None, path: str, problem: str, hint: str | None = None):
        where = f"{file}:{line}" if line else file
        message = f"{where}: {path}: {problem}" if path else f"{where}: {problem}"
        super().__init__(message, hint)
        self.file, self.line, self.path, self.problem = file, line, path, problem


class FontError(BroadsheetError):
    """A font face cannot be found or loaded. A spec problem when a spec names it, hence exit 2.
    `role` is set once it is known which `fonts:` entry named the face."""

    exit_code = 2
    role: str | None = None


class LayoutError(BroadsheetError):
    """The spec is valid but the layout fails: overset story, character no font has. Exit 1."""

    exit_code = 1
