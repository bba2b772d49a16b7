"""What preflight reports: `Problem`s (page, object, message, severity), counted per kind while the
content streams are walked, and the report the CLI prints."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    page: int | None  # 1-based; None: the document
    object: str  # what: "font /F1 (Helvetica)", "image /Im0", "content stream", "OutputIntent", …
    message: str
    severity: str = ERROR  # ERROR or WARNING

    def __str__(self) -> str:
        where = f"page {self.page}" if self.page is not None else "document"
        return f"{self.severity}: {where}: {self.object}: {self.message}"


def failures(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


def exit_code(problems: Iterable[Problem]) -> int:
    """0 when nothing fails (warnings allowed), 1 when something does."""
    return 1 if failures(problems) else 0


def format_report(path: Path | str, problems: list[Problem]) -> str:
    """`path: error: page 2: font /F1 (Helvetica): not embedded` lines and a summary line."""
    lines = [f"{path}: {p}" for p in problems]
    n_err, n_warn = len(failures(problems)), len(problems) - len(failures(problems))
    verdict = "FAILED" if n_err else "passed"
    lines.append(f"{path}: preflight {verdict}: {n_err} error(s), {n_warn} warning(s)")
    return "\n".join(lines)


class Tally:
    """Problems found per operator are counted, not listed one by one."""

    def __init__(self) -> None:
        self.order: list[tuple] = []
        self.first: dict[tuple, tuple[str, str, str]] = {}
        self.count: dict[tuple, int] = {}

    def add(self, page: int | None, obj: str, code: str, message: str, severity: str) -> None:
        key = (page, obj, code)
        if key not in self.count:
            self.order.append(key)
            self.first[key] = (obj, message, severity)
            self.count[key] = 0
        self.count[key] += 1

    def problems(self) -> list[Problem]:
        out = []
        for key in self.order:
            obj, message, severity = self.first[key]
            n = self.count[key]
            if n > 1:
                message += f" ({n} times; the first shown)"
            out.append(Problem(key[0], obj, message, severity))
        return out
