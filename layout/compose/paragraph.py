"""A paragraph measured once and set at any measure: the composer's entry points.

`Paragraph(text, metrics, size)` is one style (the fast path); `Paragraph.of_runs(runs)` a
sequence of runs in different styles measured each with its own metrics. A measure is a width in
pt, or a sequence of widths, one a line, the last repeating.
"""
from __future__ import annotations

from typing import Sequence

from . import cjk, native
from .breaker import break_into_widths, worst_badness, worst_badness_widths
from .costs import VARIANT_BADNESS
from .justify import Adjust, line_adjustment
from .measures import break_measures
from .native import break_into, break_paragraph, set_line
from .prepare import Prepared, prepare, prepare_runs
from .types import Align, Breaking, ComposedLine, Metrics, Run

Measure = float | Sequence[float]


class Paragraph:
    """A paragraph measured once (`prepare`), to be broken and set at any measure: headlines try
    several measures to balance their lines, and pay for measuring only once."""

    def __init__(self, text: str, metrics: Metrics, size: float, *,
                 prohibition: cjk.Prohibition = "basic", latin_spacing: float = 0.25,
                 display: bool = False, phrases_only: bool = False):
        self._bind(prepare(text, metrics, prohibition, latin_spacing, display, phrases_only), size)

    def _bind(self, prepared: Prepared, size: float, run_of: tuple[int, ...] = ()) -> None:
        self.size = size  # pt: the unit of the prepared lengths (em of this size)
        self.prepared = prepared
        self.fitter = native.fitter(prepared)  # compiled sums when built
        self.run_of = run_of  # runs only: the run index of each character
        self._own: dict[tuple[float, float], list[int]] = {}  # breaks_exactly's own breaks

    @classmethod
    def of_runs(cls, runs: Sequence[Run], *, prohibition: cjk.Prohibition = "basic",
                latin_spacing: float = 0.25) -> "Paragraph":
        """A paragraph of runs of different styles; lengths are in em of the first run's size,
        glyph x in pt as always. Spacing between runs follows the same rules as within one."""
        if not runs:
            raise ValueError("a paragraph needs at least one run")
        para = cls.__new__(cls)  # measured from runs, not from one text and face
        para._bind(prepare_runs(runs, prohibition, latin_spacing), runs[0].size,
                   tuple(k for k, r in enumerate(runs) for _ in r.text))
        return para

    def glyph_runs(self, line: ComposedLine) -> tuple[int, ...]:
        """The run of each glyph of `line` (a paragraph of runs; one style: all 0)."""
        fz, p = self.fitter, self.prepared
        a, b = fz.first_ink[line.start], fz.last_ink[line.end]
        return tuple(self.run_of[i] if self.run_of else 0 for i in range(a, b) if not p.space[i])

    def breaks(self, width: Measure, indent: float = 0.0,
               method: Breaking = "total-fit") -> list[int]:
        """Where the lines end at `width` (pt; a sequence: one a line, always total fit)."""
        if not isinstance(width, (int, float)):
            ems = [w / self.size for w in width]
            ems[0] -= indent / self.size
            return break_measures(self.prepared, self.fitter, ems)
        w_em = width / self.size
        return break_paragraph(self.prepared, w_em, w_em - indent / self.size, self.fitter, method)

    def breaks_exactly(self, width: Measure, count: int, indent: float = 0.0) -> list[int] | None:
        """Breaks into exactly `count` lines, none much looser or tighter than the paragraph's own
        setting has (VARIANT_BADNESS, or its worst line if that is worse); None if impossible.
        `width` may be one a line (pt), as in `breaks`."""
        if not isinstance(width, (int, float)):
            ems = [w / self.size for w in width]
            ems[0] -= indent / self.size
            own = break_measures(self.prepared, self.fitter, ems)
            if len(own) == count:
                return own
            limit = max(VARIANT_BADNESS, worst_badness_widths(self.fitter, own, ems))
            return break_into_widths(self.prepared, self.fitter, ems, count, limit)
        w_em = width / self.size
        first = w_em - indent / self.size
        own = self._own.get((w_em, first))  # its own breaks, once for every count tried
        if own is None:
            own = self._own[(w_em, first)] = break_paragraph(self.prepared, w_em, first,
                                                             self.fitter)
        if len(own) == count:
            return own
        limit = max(VARIANT_BADNESS, worst_badness(self.fitter, own, w_em, first))
        return break_into(self.prepared, self.fitter, w_em, first, count, limit)

    def set(self, width: Measure, *, indent: float = 0.0, align: Align = "justify",
            method: Breaking = "total-fit") -> list[ComposedLine]:
        """Break and set at `width` (pt, or one width a line); glyph x in pt from the column's
        start edge, the first line's indent already applied."""
        if not self.prepared.text:
            return []
        return self.set_breaks(self.breaks(width, indent, method), width, indent=indent, align=align)

    def set_breaks(self, breaks: Sequence[int], width: Measure, *, indent: float = 0.0,
                   align: Align = "justify") -> list[ComposedLine]:
        """Set the lines ending before each index of `breaks` (the last is the text's length)."""
        size, p = self.size, self.prepared
        ind_em = indent / size
        lines = []
        a = 0
        for k, b in enumerate(breaks):
            first, last = k == 0, k == len(breaks) - 1
            avail = _line_width(width, k) / size - (ind_em if first else 0.0)
            glyphs, w = set_line(p, self.fitter, a, b, avail, size,
                                 justify=align == "justify" and not last)
            offset = ind_em * size if first else 0.0
            if align == "center":
                offset += (avail * size - w) / 2
            elif align == "right":
                offset += avail * size - w
            if offset:
                glyphs = tuple((c, x + offset) for c, x in glyphs)
            lines.append(ComposedLine(glyphs, w + offset, a, b, first, last))
            a = b
        return lines

    def adjustment(self, line: ComposedLine, width: float, indent: float,
                   justify: bool) -> Adjust:
        """How `line` (set at `width` pt) met its measure: what the justifier used for it."""
        avail = (width - (indent if line.first else 0.0)) / self.size
        return line_adjustment(self.prepared, self.fitter, line.start, line.end, avail,
                               justify and not line.last)


def _line_width(width: Measure, k: int) -> float:
    if isinstance(width, (int, float)):
        return width
    return width[min(k, len(width) - 1)]


def compose_paragraph(text: str, metrics: Metrics, size: float, width: Measure, *,
                      indent: float = 0.0, align: Align = "justify",
                      prohibition: cjk.Prohibition = "basic",
                      latin_spacing: float = 0.25, display: bool = False,
                      method: Breaking = "total-fit") -> list[ComposedLine]:
    """Break and set one paragraph. `width` and `indent` in pt; returns lines with glyph x in pt
    measured from the column's start edge (the indent is already applied to the first line)."""
    para = Paragraph(text, metrics, size, prohibition=prohibition, latin_spacing=latin_spacing,
                     display=display)
    return para.set(width, indent=indent, align=align, method=method)


def compose_runs(runs: Sequence[Run], width: Measure, *, indent: float = 0.0,
                 align: Align = "justify", prohibition: cjk.Prohibition = "basic",
                 latin_spacing: float = 0.25) -> list[ComposedLine]:
    """Break and set one paragraph of runs in different styles (see `Paragraph.of_runs`)."""
    para = Paragraph.of_runs(runs, prohibition=prohibition, latin_spacing=latin_spacing)
    return para.set(width, indent=indent, align=align)
