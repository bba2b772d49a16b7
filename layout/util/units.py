"""Lengths of the issue spec: strings with a unit (mm, pt, em), converted to PostScript points.

Spec format v1 (convention 8) writes every length with its unit and every count as a bare integer, so a
number without a unit is an error here rather than a guess. `em` means the body size of the issue.
"""
from __future__ import annotations

import re

PT_PER_MM = 72 / 25.4
UNITS = ("mm", "pt", "em")

# A decimal number, optional blank, unit. No exponents: nobody writes 1e1mm on purpose.
_LENGTH = re.compile(r"([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*([a-zA-Z]*)")

EXPECTED_LENGTH = "expected a length in mm, pt or em"
EXPECTED_EM = "expected a length in em"


class UnitError(ValueError):
    """A length that cannot be read. `str()` completes "key.path: ..."; `hint` is an optional next line."""

    def __init__(self, problem: str, hint: str | None = None):
        super().__init__(problem)
        self.problem = problem
        self.hint = hint


def mm_to_pt(mm: float) -> float:
    return mm * PT_PER_MM


def pt_to_mm(pt: float) -> float:
    return pt / PT_PER_MM


def split_length(text: str) -> tuple[float, str]:
    """`"9pt"` → `(9.0, "pt")`. The unit is returned as written, possibly empty or unknown."""
    match = _LENGTH.fullmatch(text.strip())
    if not match:
        raise UnitError(f'{EXPECTED_LENGTH}, found "{text}"')
    return float(match[1]), match[2]


def parse_length(text: str, em: float | None = None) -> float:
    """A length in pt. `em` is the body size in pt; None where em is not allowed (the body size itself)."""
    number, unit = split_length(text)
    if unit == "mm":
        return mm_to_pt(number)
    if unit == "pt":
        return number
    if unit == "em":
        if em is None:
            raise UnitError(f'"{text}" is in em, which is not allowed here',
                            "em is the body size; write this length in pt or mm")
        return number * em
    if not unit:
        raise UnitError(f'{EXPECTED_LENGTH}, found "{text}"', f"lengths carry a unit, e.g. {text.strip()}pt")
    raise UnitError(f'{EXPECTED_LENGTH}, found "{text}"')


def parse_em(text: str) -> float:
    """A length that must be written in em (relative to the text it applies to); returns the em fraction."""
    number, unit = split_length(text)
    if unit != "em":
        raise UnitError(f'{EXPECTED_EM}, found "{text}"', "this length is relative to the text size, e.g. 0.25em")
    return number


def format_pt(value: float, decimals: int = 2) -> str:
    """A length for messages: `11.5 pt`, at most `decimals` decimals (never in exponent form)."""
    text = f"{round(value, decimals):.{decimals}f}".rstrip("0").rstrip(".")
    return f"{'0' if text == '-0' else text} pt"
