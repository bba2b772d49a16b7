"""Vertical composition (竖排): the same breaker, rules and justification as horizontal text, measured
with vertical advances. A vertical line's length is its tier's height; `x` of a set glyph is its
distance down from the line's top.

What is measured how (clreq §3.4, vertical writing):
- Han, kana and full-width punctuation stand upright and advance by their vertical metrics (vmtx,
  the em box where a face has none), their punctuation in the `vert` forms; the half-width
  squeeze of brackets and pause marks comes from GPOS `vhal` (the horizontal `halt` of a face
  without it), so the blank half of ，。（ is taken off at a line's end or between marks just as
  in horizontal text.
- A number of at most `tcy_max_digits` digits is set upright across one em (縱中橫): composed as
  one Han-like character one em long (`TCY`), its digits kept in `VerticalLine.tcy`; a `%` after
  it stands upright as the full-width ％.
- Latin words, longer numbers and everything else are rotated 90° clockwise: they advance by their
  horizontal widths, with the Han–Latin gaps of horizontal text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from . import cjk
from .paragraph import Paragraph
from .types import ComposedLine, Metrics, Run
from ..fonts.harfbuzz import data_of_key

# The stand-in of a 縱中橫 number while composing: an unassigned code point that `cjk.is_han`
# counts as Han (so it takes Han spacing and break rules), never found in text.
TCY = "\U0002FFF0"


@dataclass(frozen=True)
class VerticalLine(ComposedLine):
    """A set vertical line: `glyphs` (character, distance down from the line's top, pt), the
    digits of each 縱中橫 stand-in in order, the tag (style) of each glyph."""

    tcy: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()  # each glyph's run tag (its style)

    @property
    def text(self) -> str:
        """The line's text as read, the stand-ins replaced by their digits."""
        digits = iter(self.tcy)
        return "".join(next(digits, "") if ch == TCY else ch for ch, _ in self.glyphs)


def upright(ch: str) -> bool:
    """Whether a character stands upright in a vertical line (drawn with the vertical forms);
    everything else is rotated 90° clockwise."""
    return cjk.is_cjk(ch) or ch == TCY


class VerticalMetrics:
    """A face measured for vertical text (the `Metrics` composition asks of a face)."""

    def __init__(self, face: Metrics):
        self.face = face
        self.data = data_of_key(face.key)  # type: ignore[attr-defined]
        self._advance: dict[str, float] = {}
        self._halt: dict[str, tuple[float, float] | None] = {}

    def advance(self, ch: str) -> float:
        found = self._advance.get(ch)
        if found is None:
            if ch == TCY:
                found = 1.0
            elif upright(ch):
                gid = self.data.vertical_glyph(ord(ch)) or 0
                found = self.data.vertical_advance(gid) / 1000.0
            else:
                found = self.face.advance(ch)
            self._advance[ch] = found
        return found

    def halt(self, ch: str) -> tuple[float, float] | None:
        """The squeeze of a mark along the line: `vhal` as (placement, advance) in em, down the
        line (HarfBuzz's y grows upwards, so its signs are turned), else `halt`."""
        if ch in self._halt:
            return self._halt[ch]
        found = None
        if ch != TCY and upright(ch):
            v = self.data.vertical_halt(ord(ch))
            found = (-v[0], -v[1]) if v is not None else self.face.halt(ch)
        self._halt[ch] = found
        return found

    def kern(self, left: str, right: str) -> float:
        kern = getattr(self.face, "kern", None)
        return kern(left, right) if kern is not None and not upright(left) else 0.0


def tcy_pattern(max_digits: int) -> re.Pattern[str] | None:
    """Numbers set upright in one em: 1 to `max_digits` ASCII digits, or a capital and digits as
    many in all (a page label, A2; 5G), not part of a longer number, a decimal or a Latin word.
    None: no 縱中橫 at all."""
    if max_digits < 1:
        return None
    label = rf"|[A-Z][0-9]{{1,{max_digits - 1}}}" if max_digits > 1 else ""
    return re.compile(rf"(?<![0-9A-Za-z.,:/])(?:[0-9]{{1,{max_digits}}}{label})"
                      rf"(?![0-9A-Za-z]|[.,:/][0-9])")


def with_tcy(text: str, pattern: re.Pattern[str] | None) -> tuple[str, tuple[str, ...]]:
    """`text` with each 縱中橫 number replaced by the stand-in, and the numbers in order."""
    if pattern is None:
        return text, ()
    found = tuple(m.group(0) for m in pattern.finditer(text))
    if not found:
        return text, ()
    # a percent sign after an upright number stands upright too: the full-width ％
    return re.sub(TCY + "%", TCY + "％", pattern.sub(TCY, text)), found


@dataclass(frozen=True)
class VerticalRun:
    """A piece of a vertical paragraph in one style: its text, the face measuring it vertically,
    its size (pt) and a tag the caller knows it by (its style's name), given back per glyph."""

    text: str
    metrics: VerticalMetrics
    size: float
    tag: str = ""


class VerticalParagraph:
    """A paragraph composed for vertical lines: a `Paragraph` (of one run, or of runs in several
    styles) over the text with its 縱中橫 numbers stood in for, measured with `VerticalMetrics`.
    `inset` sets every line that much lower and shorter (a quote)."""

    def __init__(self, runs: Sequence[VerticalRun], *, tcy_max_digits: int = 2,
                 prohibition: cjk.Prohibition = "basic", latin_spacing: float = 0.25,
                 display: bool = False, inset: float = 0.0):
        pattern = tcy_pattern(tcy_max_digits)
        texts, tcy, tags = [], [], []
        for run in runs:  # a number never spans two runs: stood in for run by run
            text, digits = with_tcy(run.text, pattern)
            texts.append(text)
            tcy += digits
            tags += [run.tag] * len(text)
        self.text, self.tcy, self.tags = "".join(texts), tuple(tcy), tuple(tags)
        self.runs, self.inset = tuple(runs), inset
        self._kw = dict(tcy_max_digits=tcy_max_digits, prohibition=prohibition,
                        latin_spacing=latin_spacing, display=display, inset=inset)
        if len(runs) == 1:
            self.para = Paragraph(self.text, runs[0].metrics, runs[0].size,
                                  prohibition=prohibition, latin_spacing=latin_spacing,
                                  display=display)
        else:
            self.para = Paragraph.of_runs(
                [Run(t, r.metrics, r.size) for t, r in zip(texts, runs) if t],
                prohibition=prohibition, latin_spacing=latin_spacing)
        # how many stand-ins come before each index of the text: a line's share of `tcy`
        self._before = [0]
        for ch in self.text:
            self._before.append(self._before[-1] + (ch == TCY))

    @classmethod
    def single(cls, text: str, metrics: VerticalMetrics, size: float, **kw) -> "VerticalParagraph":
        return cls([VerticalRun(text, metrics, size)], **kw)

    def lines(self, length: float, *, indent: float = 0.0, align="justify",
              count: int | None = None) -> list[VerticalLine] | None:
        """Broken and set at `length` (pt, the tier's height); in exactly `count` lines when
        given (None if that cannot be done well)."""
        if not self.text:
            return []
        length -= self.inset
        if count is None:
            lines = self.para.set(length, indent=indent, align=align)
        else:
            breaks = self.para.breaks_exactly(length, count, indent)
            if breaks is None:
                return None
            lines = self.para.set_breaks(breaks, length, indent=indent, align=align)
        return [self.vertical(line) for line in lines]

    def rest(self, start: int) -> "VerticalParagraph | None":
        """The paragraph from index `start` of its composed text (a line's `end`) on, as a
        paragraph of its own (where it goes on in a module whose lines have another length);
        None if nothing is left. Spaces a break consumed are left out."""
        digits = iter(self.tcy[self._before[start]:])
        runs: list[VerticalRun] = []
        at = 0
        for run in self.runs:
            text, _ = with_tcy(run.text, tcy_pattern(self._kw["tcy_max_digits"]))
            lo, hi = max(start, at), at + len(text)
            if lo < hi:
                piece = "".join(next(digits, "") if ch == TCY else ch for ch in self.text[lo:hi])
                if not runs:
                    piece = piece.lstrip(" ")
                if piece:
                    runs.append(VerticalRun(piece, run.metrics, run.size, run.tag))
            at = hi
        return VerticalParagraph(runs, **self._kw) if runs else None

    def vertical(self, line: ComposedLine) -> VerticalLine:
        digits = self.tcy[self._before[line.start]:self._before[line.end]]
        glyphs = line.glyphs
        if self.inset:
            glyphs = tuple((ch, x + self.inset) for ch, x in glyphs)
        tags = self._glyph_tags(line)
        return VerticalLine(glyphs, line.width + self.inset, line.start, line.end, line.first,
                            line.last, digits, tags)

    def _glyph_tags(self, line: ComposedLine) -> tuple[str, ...]:
        """The tag of each glyph of `line` (set glyphs skip spaces)."""
        if len(self.runs) == 1:
            return (self.runs[0].tag,) * len(line.glyphs)
        present = [r.tag for r, t in zip(self.runs, self._run_texts()) if t]
        return tuple(present[k] for k in self.para.glyph_runs(line))

    def _run_texts(self) -> list[str]:
        pattern = tcy_pattern(self._kw["tcy_max_digits"])
        return [with_tcy(r.text, pattern)[0] for r in self.runs]


def glyph_pieces(line: VerticalLine) -> Sequence[tuple[str, int, int]]:
    """The line's glyphs in pieces of one way of drawing, in order: ("upright", a, b) for glyphs
    of the vertical forms, ("tcy", k, k+1) for a 縱中橫 number, ("rotated", a, b) for a run set
    sideways; a, b index `line.glyphs`. A piece is of one tag (style) too."""
    out: list[tuple[str, int, int]] = []
    tags = line.tags
    for i, (ch, _) in enumerate(line.glyphs):
        kind = "tcy" if ch == TCY else "upright" if upright(ch) else "rotated"
        same_tag = not tags or i == 0 or tags[i] == tags[i - 1]
        if out and out[-1][0] == kind and kind != "tcy" and out[-1][2] == i and same_tag:
            out[-1] = (kind, out[-1][1], i + 1)
        else:
            out.append((kind, i, i + 1))
    return out
