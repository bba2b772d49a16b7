"""A paragraph measured once: per character its advance and squeezable blank, per gap (gap i sits
before character i) its natural space, shrink, stretch, spread share and break penalty.

Everything is in em of the paragraph's size. A paragraph of several runs (`prepare_runs`) is
measured run by run with each run's own metrics and scaled to the first run's size.
"""
from __future__ import annotations

import re

from dataclasses import dataclass
from typing import Callable, Sequence

from . import cjk
from .compiled import PREPARE as _COMPILED  # ports of the loops below, or None
from .classes import LEFT_BLANK, RIGHT_BLANK, SHIFT, WESTERN, blank_side, char_kind, \
    latin_word_spans, number_run_kinds, url_spans
from .costs import EPS, HAN_LATIN_SHRINK, HAN_LATIN_STRETCH, LOOSE_WEIGHT, PUNCT_SQUEEZE, \
    SPACE_BY_HAN_STRETCH, SPACE_SHRINK_RATIO, SPACE_STRETCH
from .rules import BreakRule, GapContext, break_penalties, display_penalty, matching_rule
from .types import Metrics, Run

_NO_SPACE_BEFORE = cjk.CLOSING | cjk.PAUSE_STOP | cjk.UNIT_AFTER


@dataclass
class Prepared:
    """The paragraph measured once: per character and per gap (gap i sits before character i)."""

    text: str
    adv: list[float]  # advance after fixed adjacent-punctuation squeeze
    place: list[float]  # x placement of each glyph
    squeeze: list[float]  # how much more the character may be squeezed (blank half)
    squeeze_left: list[bool]  # the blank is all on the left (the glyph moves left when squeezed)
    shift: list[float]  # share of a squeeze that moves the glyph left: 0 right blank, ½ centred, 1 left
    end_squeeze: list[float]  # how much character i may be squeezed when it ends a line
    start_restore: list[float]  # em given back to character i when it starts a line (pair squeeze)
    gap: list[float]  # natural space before character i
    gap_shrink: list[float]
    gap_stretch: list[float]  # first-tier stretch: word spaces, Han–Latin gaps
    spreadable: list[bool]  # gap i takes part in the even inter-character spread
    loose_gap: list[bool]  # gap i is a Han–Latin gap or a word space: spread when no gap above can
    letter_gap: list[bool]  # gap i is between two letters of a word: spread lightly with those
    loose_share: list[float]  # at that level, gap i's share of the spread unit (LOOSE_WEIGHT, 1, 0)
    word_gap: list[bool]  # gap i is inside a Latin word or number (spread only as a last resort)
    penalty: list[float]  # break before character i; INF = no break
    space: list[bool]  # character i is a Western space (no glyph: natural space of its gap)
    edge_blank: list[bool]  # character i is not set at a line's edge: a space or a U+3000 in the text
    kinds: list[str]  # character class: han, latin, cjkpunct, latinpunct, space
    ragged: bool = False  # display lines: set unjustified, so a short line costs little


@dataclass
class _Marks:
    """Full-width marks' blank halves (per character), before and after pair squeezing."""

    sides: list[str | None]
    place: list[float]
    squeeze: list[float]
    squeeze_left: list[bool]
    shift: list[float]
    end_squeeze: list[float]
    start_restore: list[float]


@dataclass
class _Glue:
    gap: list[float]
    gap_shrink: list[float]
    gap_stretch: list[float]
    spreadable: list[bool]
    loose_gap: list[bool]


def prepare(text: str, metrics: Metrics, prohibition: cjk.Prohibition = "basic",
            latin_spacing: float = 0.25, display: bool = False,
            phrases_only: bool = False) -> Prepared:
    """Measure a paragraph once. `display` (headlines) prefers breaks between phrases: after a
    space or a mark, before an opening bracket, rather than between two characters of a phrase.
    `phrases_only` (a display line whose writer separated its phrases with U+3000, each of which
    fits a line) breaks only beside those separators."""
    many = getattr(metrics, "advances", None)  # fonts.Face measures a whole text in one call
    adv = many(text) if many is not None else [metrics.advance(c) for c in text]
    _kern_latin(text, adv, lambda i: metrics)
    return _prepare(text, adv, lambda i: metrics, prohibition, latin_spacing, display,
                    phrases_only)


def prepare_runs(runs: Sequence[Run], prohibition: cjk.Prohibition = "basic",
                 latin_spacing: float = 0.25) -> Prepared:
    """Measure a paragraph of runs in several styles: each character with its run's metrics, then
    every length scaled to em of the first run's size (a gap by the larger of its neighbours)."""
    text = "".join(r.text for r in runs)
    owner = [k for k, r in enumerate(runs) for _ in r.text]
    adv = [runs[owner[i]].metrics.advance(c) for i, c in enumerate(text)]
    _kern_latin(text, adv, lambda i: runs[owner[i]].metrics if owner[i] == owner[i + 1] else None)
    p = _prepare(text, adv, lambda i: runs[owner[i]].metrics, prohibition, latin_spacing,
                 False, False)
    scale = [runs[k].size / runs[0].size for k in owner]
    gap_scale = [max(scale[i - 1], scale[i]) if i else scale[i] for i in range(len(text))]
    for name in ("adv", "place", "squeeze", "end_squeeze", "start_restore"):
        setattr(p, name, [v * s for v, s in zip(getattr(p, name), scale)])
    for name in ("gap", "gap_shrink", "gap_stretch"):
        setattr(p, name, [v * s for v, s in zip(getattr(p, name), gap_scale)])
    return p


def _kern_latin(text: str, adv: list[float], metrics_at: Callable[[int], Metrics | None]) -> None:
    """Kern each pair of adjacent Latin letters or digits of one run by the face's `kern`: the
    advance of the first takes the adjustment (a Latin word is never broken inside)."""
    for word in _LATIN_RUN.finditer(text):
        for i in range(word.start(), word.end() - 1):
            metrics = metrics_at(i)
            kern = getattr(metrics, "kern", None) if metrics is not None else None
            if kern is not None:
                adv[i] += kern(text[i], text[i + 1])


_LATIN_RUN = re.compile(r"[A-Za-z0-9]{2,}")  # where a pair may be kerned


def _prepare(text: str, adv: list[float], metrics_at: Callable[[int], Metrics],
             prohibition: cjk.Prohibition, latin_spacing: float, display: bool,
             phrases_only: bool) -> Prepared:
    n = len(text)
    kinds, space = _COMPILED.kinds_and_spaces(text) if _COMPILED else _kinds_and_spaces(text)
    marks = _Marks(*_COMPILED.marks(text, kinds, adv, metrics_at)) if _COMPILED else \
        _marks(text, kinds, adv, metrics_at)
    edge_blank = (_COMPILED.edge_blanks if _COMPILED else _edge_blanks)(text, space)
    in_word, url_break = _word_gaps(text, kinds)
    word_gap, letter_gap = (_COMPILED.word_and_letter_gaps if _COMPILED else _word_and_letter_gaps)(
        text, in_word, space)
    glue = _Glue(*_COMPILED.glue(text, kinds, adv, space, in_word, marks.sides, latin_spacing)) \
        if _COMPILED else _glue(text, kinds, adv, space, in_word, marks.sides, latin_spacing)
    ctx = _gap_context(text, kinds, space, edge_blank, in_word, url_break, prohibition)
    penalty = (_COMPILED.break_penalties if _COMPILED else break_penalties)(ctx)
    if display:
        for i in range(1, n):
            if penalty[i] == 0.0:
                penalty[i] = display_penalty(text[i - 1], text[i], phrases_only)
    loose_share = _COMPILED.loose_shares(glue.loose_gap, letter_gap) if _COMPILED else \
        _loose_shares(glue.loose_gap, letter_gap)
    return Prepared(text, adv, marks.place, marks.squeeze, marks.squeeze_left, marks.shift,
                    marks.end_squeeze, marks.start_restore, glue.gap, glue.gap_shrink,
                    glue.gap_stretch, glue.spreadable, glue.loose_gap, letter_gap, loose_share,
                    word_gap, penalty, space, edge_blank, kinds, ragged=display)


def _kinds_and_spaces(text: str) -> tuple[list[str], list[bool]]:
    """Each character's kind, and whether it is a Western space."""
    kinds = [char_kind(c) for c in text]
    return kinds, [k == "space" for k in kinds]


def _word_and_letter_gaps(text: str, in_word: list[bool],
                          space: list[bool]) -> tuple[list[bool], list[bool]]:
    """The gaps inside a Latin word or number (not beside a space), and of them those between two
    letters: never beside a digit (2024) or a mark (UTF-8, a.b@c), where a gap reads as a break in
    the word and text extraction takes a spaced hyphen for a soft one."""
    n = len(text)
    word_gap = [in_word[i] and not space[i] for i in range(n)]
    letter_gap = [word_gap[i] and text[i - 1].isalpha() and text[i].isalpha() for i in range(n)]
    return word_gap, letter_gap


def _loose_shares(loose_gap: list[bool], letter_gap: list[bool]) -> list[float]:
    """Each gap's share of the spread unit at the "loose" level (LOOSE_WEIGHT, 1 or 0)."""
    return [LOOSE_WEIGHT if lo else (1.0 if le else 0.0) for lo, le in zip(loose_gap, letter_gap)]


def _gap_context(text: str, kinds: list[str], space: list[bool], edge_blank: list[bool],
                 in_word: list[bool], url_break: list[bool],
                 prohibition: cjk.Prohibition) -> GapContext:
    return GapContext(text, kinds, space, edge_blank, in_word, url_break,
                      cjk.not_at_line_start(prohibition), cjk.not_at_line_end(prohibition))


def deciding_rules(text: str, prohibition: cjk.Prohibition = "basic") -> list[BreakRule | None]:
    """For each gap (gap i before character i; gap 0 is None) the rule of `rules.RULES` that
    decides whether a line may break there, or None where no rule matches (a free break). Says
    why the composer breaks where it does; `prepare` gives the same penalties."""
    kinds = [char_kind(c) for c in text]
    space = [k == "space" for k in kinds]
    in_word, url_break = _word_gaps(text, kinds)
    ctx = _gap_context(text, kinds, space, _edge_blanks(text, space), in_word, url_break,
                       prohibition)
    return [None, *(matching_rule(ctx, i) for i in range(1, len(text)))]


def _marks(text: str, kinds: list[str], adv: list[float],
           metrics_at: Callable[[int], Metrics]) -> _Marks:
    """Which marks have a squeezable blank half (clreq §3.1.4), adjacent pairs set tight (this
    changes `adv` in place), and when a blank may not be squeezed after all."""
    n = len(text)
    m = _Marks([None] * n, [0.0] * n, [0.0] * n, [False] * n, [0.0] * n, [], [])
    for i, c in enumerate(text):
        if kinds[i] == "cjkpunct" and c not in cjk.INSEPARABLE:
            side = blank_side(c, metrics_at(i))
            if side and adv[i] >= 0.9:  # only marks that are full-width in this font
                m.sides[i] = side
                m.squeeze[i] = PUNCT_SQUEEZE
                m.squeeze_left[i] = side == "left"
                m.shift[i] = SHIFT[side]
    m.start_restore = _squeeze_pairs(m.sides, adv, m.place, m.squeeze)
    m.end_squeeze = list(m.squeeze)
    for i in range(n):
        # An opening mark's blank half is squeezed only after a letter: after another mark (a pair
        # already set tight, or a narrow Western quote) the two would touch or overlap ("”（").
        # A centred mark loses blank on both sides, so it needs a letter on both.
        after_mark = i > 0 and kinds[i - 1] not in ("han", "latin")
        before_mark = i + 1 < n and kinds[i + 1] in ("cjkpunct", "latinpunct")
        if m.squeeze[i] and m.shift[i] > 0 and after_mark:
            m.squeeze[i] = m.end_squeeze[i] = 0.0
        elif m.squeeze[i] and m.sides[i] == "centre" and before_mark:
            m.squeeze[i] = 0.0  # ... but at a line end the next mark is on the next line
    return m


def _word_gaps(text: str, kinds: list[str]) -> tuple[list[bool], list[bool]]:
    """The gaps inside a Latin word or a URL, and those of them where a URL may break: after
    / . @ (after - at a high cost), never inside a run of letters."""
    n = len(text)
    in_word = [False] * n
    url_break = [False] * n
    words = latin_word_spans(text, kinds)
    for s, e in words:
        for i in range(s + 1, e):
            in_word[i] = True
    for s, e in url_spans(text, words):
        for i in range(s + 1, e):
            in_word[i] = True
            url_break[i] = text[i - 1] in cjk.URL_BREAK_AFTER and text[i] not in cjk.URL_BREAK_AFTER
    return in_word, url_break


def _glue(text: str, kinds: list[str], adv: list[float], space: list[bool],
          in_word: list[bool], sides: list[str | None], latin_spacing: float) -> _Glue:
    """Natural space, shrink, stretch and spread of every gap."""
    n = len(text)
    g = _Glue([0.0] * n, [0.0] * n, [0.0] * n, [False] * n, [False] * n)
    for i in range(n):
        if space[i]:
            by_han = (i > 0 and kinds[i - 1] == "han") or (i + 1 < n and kinds[i + 1] == "han")
            g.gap_shrink[i] = adv[i] * SPACE_SHRINK_RATIO
            g.gap_stretch[i] = SPACE_BY_HAN_STRETCH if by_han else SPACE_STRETCH
    spacing_kinds = number_run_kinds(text, kinds)
    for i in range(1, n):
        pa, cb = text[i - 1], text[i]
        # clreq §3.2.2: a quarter em between Han and Latin letters or digits; a number's signs
        # count as the number, so the gap falls outside them on both sides (的 20% 上调, 的 ￥5 元).
        ka, kb = spacing_kinds[i - 1], spacing_kinds[i]
        if (ka == "han" and kb == "latin") or (ka == "latin" and kb == "han"):
            g.gap[i] = latin_spacing
            g.gap_shrink[i] = min(HAN_LATIN_SHRINK, latin_spacing)
            g.gap_stretch[i] = HAN_LATIN_STRETCH
        # Never spread: before a closing or pause mark (日 ，), after an opening one, inside ——/……,
        # and inside a run of Western letters, digits and marks ("Inc." is one piece).
        # A centred mark (Traditional Chinese ，。) takes the spread on both sides, staying centred.
        tight = ((cb in _NO_SPACE_BEFORE and sides[i] != "centre") or pa in cjk.OPENING
                 or (pa in cjk.INSEPARABLE and cb == pa)
                 or (kinds[i - 1] in WESTERN and kinds[i] in WESTERN))
        # Han–Latin gaps and spaces have their own stretch and take no share of the even spread,
        # so that they never open wider than half an em while other gaps can take the rest.
        g.loose_gap[i] = not tight and (g.gap[i] > 0 or space[i])
        g.spreadable[i] = not (tight or in_word[i] or space[i] or space[i - 1] or g.gap[i] > 0)
    return g


def _edge_blanks(text: str, space: list[bool]) -> list[bool]:
    """The blanks that are not set where a line breaks at them: Western spaces, and U+3000 (the
    writer's 1-em space, `胡晨　通讯员`) as a space is, so that the line before ends flush on the
    column edge and the next does not start indented; mid-line a U+3000 keeps its full em. The
    U+3000s that open the paragraph are its writer's indent and stay (text.strip keeps them)."""
    lead = len(text) - len(text.lstrip(cjk.IDEOGRAPHIC_SPACE))
    return [sp or (i >= lead and c == cjk.IDEOGRAPHIC_SPACE)
            for i, (c, sp) in enumerate(zip(text, space))]


def _squeeze_pairs(sides: list[str | None], adv: list[float], place: list[float],
                   squeeze: list[float]) -> list[float]:
    """clreq §3.1.4: adjacent marks are set so that at most one half-em blank remains between
    their glyphs ("。”" "），" "“《" "，“"): the first loses its right blank, or the second its left
    one. A centred mark (Traditional Chinese ，。) is never squeezed here: it would lose blank on
    its outer side too; `。」` keeps its quarter em between the glyphs, `」，` and `，「` lose the
    bracket's half. Returns what each character gets back when it starts a line: an opening
    bracket squeezed here keeps its full width there (`：|「`)."""
    restore = [0.0] * len(sides)
    for i in range(len(sides) - 1):
        a, b = sides[i], sides[i + 1]
        if a is None or b is None or RIGHT_BLANK[a] + LEFT_BLANK[b] < PUNCT_SQUEEZE - EPS:
            continue
        if a == "right" and squeeze[i]:
            adv[i] -= PUNCT_SQUEEZE
            squeeze[i] = 0.0
        elif b == "left" and squeeze[i + 1]:
            adv[i + 1] -= PUNCT_SQUEEZE
            place[i + 1] -= PUNCT_SQUEEZE
            squeeze[i + 1] = 0.0
            restore[i + 1] = PUNCT_SQUEEZE
    return restore
