"""The writing-mode keys of a story module (`direction`, `headline_direction`, `tiers`,
`tcy_max_digits`, `tier_rules`) into the model's `Writing`, with the checks that need the grid: a kind with no
text, tiers shorter than MIN_TIER_CHARS characters of the body size."""
from __future__ import annotations

import math
from typing import Any, Mapping

from ..model.writing import DIRECTIONS, HORIZONTAL, MIN_TIER_CHARS, Writing
from ..util.errors import SpecError
from ..util.units import format_pt
from .convert import boolean, choice, count, integer
from .nodes import Item
from .shapes import Key

WRITING_KEYS = {
    "direction": Key(choice(*DIRECTIONS)),
    "headline_direction": Key(choice(*DIRECTIONS)),
    "tiers": Key(count),
    "tcy_max_digits": Key(integer(0)),
    "tier_rules": Key(boolean),
}
# Modules with text of their own that is set horizontally only: what to call it in the error.
HORIZONTAL_ONLY = {"image": "captions", "index": "index boxes", "table": "tables",
                   "table_continue": "tables", "masthead": "mastheads"}
VERTICAL_UNSUPPORTED = ("body_cols", "photos", "pull_quote")  # story layout keys (spec/wrap.py)
STORY_KINDS = ("article", "continue")
MAX_TCY_DIGITS = 4  # more digits than this cannot share one em legibly


def writing_of(kind: str, fields: Mapping[str, Item], values: Mapping[str, Any],
               tier_room: "TierRoom | None") -> tuple[Writing, list[SpecError]]:
    """The module's Writing and the problems of its keys (every one, for the loader to record)."""
    given = [k for k in WRITING_KEYS if k in fields]
    if not given:
        return HORIZONTAL, []
    if kind in HORIZONTAL_ONLY:
        return HORIZONTAL, [fields[k].error(
            f"vertical {HORIZONTAL_ONLY[kind]} are not supported: {'an' if kind[0] in 'aeiou' else 'a'} "
            f"{kind} module is set horizontally", f"remove {k}; {k} applies to article and "
            "continue modules") for k in given]
    if kind not in STORY_KINDS:
        return HORIZONTAL, [fields[k].error(
            f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} module has no text to write "
            f"{'vertically' if k != 'tcy_max_digits' else 'in tiers'}",
            f"{k} applies to article and continue modules") for k in given]
    direction = values.get("direction") or "horizontal"
    writing = Writing(direction, values.get("headline_direction") or direction,
                      values.get("tiers") or 1,
                      2 if values.get("tcy_max_digits") is None else values["tcy_max_digits"],
                      values.get("tier_rules", True))
    problems = []
    if direction != "vertical":
        for k in ("tiers", "tcy_max_digits", "tier_rules"):
            if k in fields and (k != "tiers" or writing.tiers > 1):
                problems.append(fields[k].error(f"{k} applies to vertical text only",
                                                "add direction: vertical to the module"))
    if direction == "horizontal" and writing.headline == "vertical" and values["cols"] < 2:
        problems.append(fields["headline_direction"].error(
            "a vertical headline beside horizontal text needs a module of at least 2 columns",
            "give the module more columns, or write the whole module vertically "
            "(direction: vertical)"))
    if direction == "vertical":
        problems += [fields[k].error(
            f"{k} applies to horizontal text: photos, pull quotes and body columns inside a "
            "vertical body are not supported", "place a photo in an image module beside the "
            "vertical story, or write the story horizontally") for k in VERTICAL_UNSUPPORTED
            if k in fields]
    if writing.tcy_max_digits > MAX_TCY_DIGITS:
        problems.append(fields["tcy_max_digits"].error(
            f"expected at most {MAX_TCY_DIGITS} digits, found {writing.tcy_max_digits}",
            "longer numbers are set rotated, like Latin words"))
    if direction == "vertical" and tier_room is not None:
        problem = tier_room.check(fields.get("tiers") or fields["direction"], writing.tiers,
                                  values["lines"])
        if problem is not None:
            problems.append(problem)
    return writing, problems


class TierRoom:
    """What a tier's length follows from: the body leading (a module's height is its grid lines
    × the leading), the gutter between tiers and the body size (one character a body em)."""

    def __init__(self, leading: float, gutter: float, size: float):
        self.leading, self.gutter, self.size = leading, gutter, size

    def chars(self, lines: int, tiers: int) -> int:
        return tier_chars(lines * self.leading, tiers, self.gutter, self.size)

    def check(self, item: Item, tiers: int, lines: int) -> SpecError | None:
        chars = self.chars(lines, tiers)
        if chars >= MIN_TIER_CHARS:
            return None
        most = max((n for n in range(1, tiers) if self.chars(lines, n) >= MIN_TIER_CHARS),
                   default=0)
        height = format_pt(lines * self.leading)
        hint = (f"at most {most} tier{'s' if most > 1 else ''} in {lines} lines ({height})"
                if most else f"give the module more lines: {lines} lines ({height}) hold less "
                f"than {MIN_TIER_CHARS} characters of {format_pt(self.size)}")
        return item.error(f"{tiers} tier{'s' if tiers > 1 else ''} leave{'' if tiers > 1 else 's'}"
                          f" {chars} characters a line, and a tier needs at least "
                          f"{MIN_TIER_CHARS}", hint)


def tier_chars(height: float, tiers: int, gutter: float, size: float) -> int:
    """Whole characters of `size` a line of one of `tiers` bands of `height` takes (the bands
    separated by `gutter`)."""
    return math.floor(((height - (tiers - 1) * gutter) / tiers) / size + 1e-9)
