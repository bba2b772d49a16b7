"""Paragraph composition: text → measured characters and gaps → lines broken over the whole paragraph
→ justified glyph positions.

Pure functions over a font's metrics (anything with `advance`, `halt`), in em units internally.
The model follows clreq (W3C Requirements for Chinese Text Layout):
- every character is a box on the em square; between neighbours is a gap that may carry natural space
  (Han–Latin spacing, Latin word spaces), shrink and stretch;
- full-width punctuation has a blank half that may be squeezed away (§3.1.4, 标点挤压);
- lines are chosen by total fit over the paragraph (Knuth–Plass style dynamic programme), with
  clreq's order of adjustment: squeeze punctuation before pushing a character to the next line
  (§3.8.2 先挤进，后推出), stretch Western spaces and Han–Latin gaps before spreading evenly between all
  characters, never compress Han characters, never stretch inside ——/…….
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate
from typing import Literal, Protocol, Sequence

from . import cjk

Align = Literal["justify", "left", "center", "right"]
Breaking = Literal["total-fit", "first-fit"]
INF = float("inf")
EPS = 1e-6

# Adjustment ranges, in em of the text's size.
PUNCT_SQUEEZE = 0.5  # a full-width mark may lose its blank half (clreq §3.1.4)
HAN_LATIN_SHRINK = 0.125  # Han–Latin gap may shrink from latin_spacing by this much (clreq §3.2.2)
HAN_LATIN_STRETCH = 0.25  # ... and grow by this much before characters are spread
SPACE_STRETCH = 0.5  # a Western word space may grow by this much
SPACE_BY_HAN_STRETCH = 0.15  # ... but a space beside a Han character (本报讯 截至) hardly at all
SPACE_SHRINK_RATIO = 1 / 3  # ... and shrink by this share of itself

# Costs (badness units; a line's demerits are (LINE_PENALTY + badness)² + penalty², as in TeX).
LINE_PENALTY = 10.0
SQUEEZE_COST = 20.0  # per half-em of punctuation squeezed
SPREAD_UNIT = 0.1  # inter-character spread (em per gap) that costs 100
LONE_HAN_PENALTY = 1e5  # a paragraph whose last line is one Han character (孤字)
URL_BREAK_PENALTY = 50.0
# After a hyphen a URL break reads as a word hyphenated, and text extraction drops such a hyphen.
URL_HYPHEN_PENALTY = 20000.0
UNJUSTIFIABLE = 1e6  # a line that cannot reach the column edge: anything justifiable is better
LOOSE_SPREAD_FACTOR = 2.0  # Han–Latin gaps and spaces opened past their stretch: no other gap can
LOOSE_WEIGHT = 4.0  # ... each taking this many times what a gap between two letters takes
WORD_SPREAD_FACTOR = 4.0  # letter-spacing inside Latin words: only when nothing else can stretch
MID_PHRASE_PENALTY = 150.0  # display lines: a break inside a phrase rather than between phrases
MAGNITUDE_BREAK_PENALTY = 300.0  # 12.8万|元: kept together unless that costs a very loose line
RAGGED_COST = 100.0  # display lines: badness of a line left empty across its whole width
FAST_PATH_BADNESS = 1.0  # greedy lines this good need no total-fit search
LOOSE_LINE = 2.5  # em short of the measure: such lines are tried only when no tighter one fits
EMERGENCY_PENALTY = 1e5  # a break inside a word, only when nothing else fits
# A paragraph set a line longer or shorter (to keep a widow off a column top) may have lines this
# bad: about 0.17 em between characters, or punctuation squeezed in most of its lines.
VARIANT_BADNESS = 300.0


class Metrics(Protocol):
    def advance(self, ch: str) -> float: ...  # em

    def halt(self, ch: str) -> tuple[float, float] | None: ...  # (x placement, x advance) in em


@dataclass(frozen=True)
class ComposedLine:
    """One set line. `glyphs` holds (character, x) with x in pt from the line's start edge; `width` is
    the pen position after the last glyph. `start`/`end` index the paragraph text."""

    glyphs: tuple[tuple[str, float], ...]
    width: float
    start: int
    end: int
    first: bool
    last: bool

    @property
    def text(self) -> str:
        return "".join(ch for ch, _ in self.glyphs)


@dataclass
class _Prepared:
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


def _char_kind(ch: str) -> str:
    kind = _KINDS.get(ch)
    if kind is None:
        kind = _KINDS[ch] = _classify(ch)
    return kind


_KINDS: dict[str, str] = {}


def _classify(ch: str) -> str:
    if cjk.is_space(ch):
        return "space"
    if cjk.is_han(ch) or ("\u3040" <= ch <= "\u30ff"):
        return "han"
    if cjk.is_latin(ch):
        return "latin"
    if cjk.is_cjk(ch):
        return "cjkpunct"
    return "latinpunct"


def _blank_side(ch: str, metrics: Metrics) -> str | None:
    """Where a full-width mark's blank is: "right" (mainland ，。), "left" (opening brackets) or
    "centre" (Traditional Chinese ，。、：；, centred in the em box), as the font's GPOS `halt`
    says: its x placement is the share of the squeeze taken from the left."""
    halt = metrics.halt(ch)
    if halt is not None:
        place, adv = halt
        if adv >= -EPS:
            return None
        share = place / adv
        return "left" if share > 0.75 else "right" if share < 0.25 else "centre"
    return cjk.fallback_blank_side(ch)


_SHIFT = {"left": 1.0, "centre": 0.5, "right": 0.0}
_LEFT_BLANK = {"left": 0.5, "centre": 0.25, "right": 0.0, None: 0.0}
_RIGHT_BLANK = {"left": 0.0, "centre": 0.25, "right": 0.5, None: 0.0}


def _latin_word_spans(text: str) -> list[tuple[int, int]]:
    """Runs of letters/digits with the joiners between them (3.5, e-mail, www.example.com)."""
    spans = []
    i, n = 0, len(text)
    while i < n:
        if cjk.is_latin(text[i]):
            j = i + 1
            while j < n and (
                cjk.is_latin(text[j])
                or (text[j] in cjk.WORD_JOINERS and j + 1 < n and cjk.is_latin(text[j + 1]))
                or (text[j] in cjk.UNIT_AFTER)
            ):
                j += 1
            spans.append((i, j))
            i = j
        else:
            i += 1
    return spans


def _is_url(word: str) -> bool:
    return "://" in word or "@" in word or word.startswith("www.") or word.count(".") >= 2 and "/" in word


# A URL or an e-mail address: its scheme's "://" is not a word joiner, so the run is found whole
# here, not from word spans (which would see `https` and `south.npm.gov.tw` as two words). Marks
# that end a sentence or close a bracket after it are not part of it.
_URL = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+"
                  r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_URL_TRAILING = ".,;:!?'"


def _url_spans(text: str, words: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where URLs and e-mail addresses are: by their form, and Latin words that read as one
    (`example.com/path`)."""
    spans = []
    for m in _URL.finditer(text):
        end = m.end()
        while end > m.start() + 1 and text[end - 1] in _URL_TRAILING:
            end -= 1
        spans.append((m.start(), end))
    covered = {i for s, e in spans for i in range(s, e)}
    spans += [(s, e) for s, e in words if s not in covered and _is_url(text[s:e])]
    return spans


_MAGNITUDE = frozenset("十百千万亿兆")
PHRASE_SEPARATOR = cjk.IDEOGRAPHIC_SPACE  # in a headline: where its writer wants a line to break
_NO_SPACE_BEFORE = cjk.CLOSING | cjk.PAUSE_STOP | cjk.UNIT_AFTER
_WESTERN = ("latin", "latinpunct")


def phrase_break_cost(before: str, after: str) -> float:
    """How much a headline break between `before` and `after` splits a phrase: 0 at a space (a
    headline's own phrase separator, U+3000 or ASCII) or after a CJK mark, ½ before an opening
    bracket or quote (“过早” may start a line, but the phrase before it often runs on), 1 between
    two characters of one phrase."""
    if any(cjk.is_space(c) or c == PHRASE_SEPARATOR for c in (before, after)):
        return 0.0
    if _char_kind(before) == "cjkpunct" and before not in cjk.OPENING:
        return 0.0
    if after in cjk.OPENING:
        return 0.5
    return 1.0


def prepare(text: str, metrics: Metrics, prohibition: cjk.Prohibition = "basic",
            latin_spacing: float = 0.25, display: bool = False,
            phrases_only: bool = False) -> _Prepared:
    """Measure a paragraph once. `display` (headlines) prefers breaks between phrases: after a
    space or a mark, before an opening bracket, rather than between two characters of a phrase.
    `phrases_only` (a display line whose writer separated its phrases with U+3000, each of which
    fits a line) breaks only beside those separators."""
    n = len(text)
    kinds = [_char_kind(c) for c in text]
    adv = [metrics.advance(c) for c in text]
    place = [0.0] * n
    squeeze = [0.0] * n
    squeeze_left = [False] * n
    shift = [0.0] * n
    sides: list[str | None] = [None] * n
    for i, c in enumerate(text):
        if kinds[i] == "cjkpunct" and c not in cjk.INSEPARABLE:
            side = _blank_side(c, metrics)
            if side and adv[i] >= 0.9:  # only marks that are full-width in this font
                sides[i] = side
                squeeze[i] = PUNCT_SQUEEZE
                squeeze_left[i] = side == "left"
                shift[i] = _SHIFT[side]
    start_restore = _squeeze_pairs(sides, adv, place, squeeze)
    end_squeeze = list(squeeze)
    for i in range(n):
        # An opening mark's blank half is squeezed only after a letter: after another mark (a pair
        # already set tight, or a narrow Western quote) the two would touch or overlap ("”（").
        # A centred mark loses blank on both sides, so it needs a letter on both.
        after_mark = i > 0 and kinds[i - 1] not in ("han", "latin")
        before_mark = i + 1 < n and kinds[i + 1] in ("cjkpunct", "latinpunct")
        if squeeze[i] and shift[i] > 0 and after_mark:
            squeeze[i] = end_squeeze[i] = 0.0
        elif squeeze[i] and sides[i] == "centre" and before_mark:
            squeeze[i] = 0.0  # ... but at a line end the next mark is on the next line

    gap = [0.0] * n
    gap_shrink = [0.0] * n
    gap_stretch = [0.0] * n
    spreadable = [False] * n
    loose_gap = [False] * n
    penalty = [0.0] * n
    space = [k == "space" for k in kinds]
    edge_blank = _edge_blanks(text, space)
    not_start = cjk.not_at_line_start(prohibition)
    not_end = cjk.not_at_line_end(prohibition)
    in_word = [False] * n  # gap i is inside a Latin word (or a URL)
    url_break = [False] * n
    words = _latin_word_spans(text)
    for s, e in words:
        for i in range(s + 1, e):
            in_word[i] = True
    # A URL breaks only after / . @ (after - at a high cost), never inside a run of letters.
    for s, e in _url_spans(text, words):
        for i in range(s + 1, e):
            in_word[i] = True
            url_break[i] = text[i - 1] in cjk.URL_BREAK_AFTER and text[i] not in cjk.URL_BREAK_AFTER
    word_gap = [in_word[i] and not space[i] for i in range(n)]
    # Between two letters only: never beside a digit (2024) or a mark (UTF-8, a.b@c), where a gap
    # reads as a break in the word and text extraction takes a spaced hyphen for a soft one.
    letter_gap = [word_gap[i] and text[i - 1].isalpha() and text[i].isalpha() for i in range(n)]

    for i, c in enumerate(text):
        if space[i]:
            by_han = (i > 0 and kinds[i - 1] == "han") or (i + 1 < n and kinds[i + 1] == "han")
            gap_shrink[i] = adv[i] * SPACE_SHRINK_RATIO
            gap_stretch[i] = SPACE_BY_HAN_STRETCH if by_han else SPACE_STRETCH
    spacing_kinds = _number_run_kinds(text, kinds)
    for i in range(1, n):
        ka, kb = kinds[i - 1], kinds[i]
        pa, cb = text[i - 1], text[i]
        # clreq §3.2.2: a quarter em between Han and Latin letters or digits; a number's signs
        # count as the number, so the gap falls outside them on both sides (的 20% 上调, 的 ￥5 元).
        if {spacing_kinds[i - 1], spacing_kinds[i]} == {"han", "latin"}:
            gap[i] = latin_spacing
            gap_shrink[i] = min(HAN_LATIN_SHRINK, latin_spacing)
            gap_stretch[i] = HAN_LATIN_STRETCH
        inseparable_pair = pa in cjk.INSEPARABLE and cb == pa
        # Never spread: before a closing or pause mark (日 ，), after an opening one, inside ——/……,
        # and inside a run of Western letters, digits and marks ("Inc." is one piece).
        # A centred mark (Traditional Chinese ，。) takes the spread on both sides, staying centred.
        tight = ((cb in _NO_SPACE_BEFORE and sides[i] != "centre") or pa in cjk.OPENING
                 or inseparable_pair or (ka in _WESTERN and kb in _WESTERN))
        # Han–Latin gaps and spaces have their own stretch and take no share of the even spread,
        # so that they never open wider than half an em while other gaps can take the rest.
        loose_gap[i] = not tight and (gap[i] > 0 or space[i])
        spreadable[i] = not (tight or in_word[i] or space[i] or space[i - 1] or gap[i] > 0)
        # Where a line may break (clreq §3.1.6 prohibitions, plus words and numbers kept whole).
        p = 0.0
        if space[i] or edge_blank[i]:
            p = INF  # break after the space (or the U+3000), not before it
        elif space[i - 1]:
            p = 0.0
        elif cb in not_start or pa in not_end or _before_blanks(text, edge_blank, i) in not_end:
            p = INF  # (a U+3000 not set at the break does not keep `（` off the line end)
        elif inseparable_pair:
            p = INF  # GB/T 15834 §4.9, §4.11: —— and …… are never split
        elif in_word[i]:
            if not url_break[i]:
                p = INF
            else:
                p = URL_HYPHEN_PENALTY if pa == "-" else URL_BREAK_PENALTY
        elif ka == "latin" and kb == "latin":
            p = INF
        elif pa.isdigit() and cb in cjk.NUMBER_UNITS:
            p = INF  # a number keeps its unit: 2024年, 12.8万元
        elif ka == "han" and pa in _MAGNITUDE and i >= 2 and text[i - 2].isdigit() and kb == "han":
            p = MAGNITUDE_BREAK_PENALTY  # ... and its magnitude, unless a loose line is worse: 12.8万|元
        elif pa in cjk.PREFIX_SIGN and cb.isdigit():
            p = INF  # and its sign: ￥5, +3
        elif ((pa.isdigit() or pa in cjk.UNIT_AFTER) and cb in cjk.RANGE_MARKS) or (
                pa in cjk.RANGE_MARKS and cb.isdigit() and i >= 2
                and (text[i - 2].isdigit() or text[i - 2] in cjk.UNIT_AFTER)):
            p = INF  # a range of numbers stays whole: 1—2月, 3～5天, 24℃—29℃ (GB/T 15834 连接号)
        elif pa == "/" or cb == "/":
            p = INF  # a slash binds its neighbours: 美元/盎司, 3/4, 和/或 (URLs break on their own)
        elif ka in ("latin", "latinpunct") and kb in ("latin", "latinpunct"):
            p = INF  # inside a run of Western text with no space
        if display and p == 0.0:
            p = MID_PHRASE_PENALTY * phrase_break_cost(pa, cb)
            if phrases_only and PHRASE_SEPARATOR not in (pa, cb):
                p = INF
        penalty[i] = p
    loose_share = [LOOSE_WEIGHT if lo else (1.0 if le else 0.0) for lo, le in zip(loose_gap, letter_gap)]
    return _Prepared(text, adv, place, squeeze, squeeze_left, shift, end_squeeze, start_restore, gap, gap_shrink, gap_stretch,
                     spreadable, loose_gap, letter_gap, loose_share, word_gap, penalty, space, edge_blank,
                     kinds, ragged=display)


def _edge_blanks(text: str, space: list[bool]) -> list[bool]:
    """The blanks that are not set where a line breaks at them: Western spaces, and U+3000 (the
    writer's 1-em space, `胡晨　通讯员`) as a space is, so that the line before ends flush on the
    column edge and the next does not start indented; mid-line a U+3000 keeps its full em. The
    U+3000s that open the paragraph are its writer's indent and stay (text.strip keeps them)."""
    lead = len(text) - len(text.lstrip(cjk.IDEOGRAPHIC_SPACE))
    return [sp or (i >= lead and c == cjk.IDEOGRAPHIC_SPACE)
            for i, (c, sp) in enumerate(zip(text, space))]


def _before_blanks(text: str, edge_blank: list[bool], i: int) -> str:
    """The character a line broken before character i ends with once the blanks before the break
    are dropped ("" when there is none or no blank stands before i)."""
    k = i - 1
    if not edge_blank[k]:
        return ""
    while k >= 0 and edge_blank[k]:
        k -= 1
    return text[k] if k >= 0 else ""


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
        if a is None or b is None or _RIGHT_BLANK[a] + _LEFT_BLANK[b] < PUNCT_SQUEEZE - EPS:
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


def _number_run_kinds(text: str, kinds: list[str]) -> list[str]:
    """`kinds`, with the signs of a number (a unit sign after it: % ％ ‰ ℃; a currency or plus/minus
    sign before it: ￥ $ −) counted as digits, for the Han–Latin gap only."""
    out = list(kinds)
    n = len(text)
    for i, c in enumerate(text):
        if c in cjk.UNIT_AFTER:
            j = i - 1
            while j >= 0 and text[j] in cjk.UNIT_AFTER:
                j -= 1
            if j >= 0 and text[j].isdigit():
                out[i] = "latin"
        elif c in cjk.PREFIX_SIGN and i + 1 < n and text[i + 1].isdigit():
            out[i] = "latin"
    return out


@dataclass
class _LineFit:
    natural: float
    squeeze: float
    shrink: float
    stretch: float
    spread_gaps: int
    loose_gaps: int
    letter_gaps: int
    word_gaps: int


def _prefix(values: Sequence[float]) -> list[float]:
    return list(accumulate(values, initial=0.0))


class _Fitter:
    """Line measures from prefix sums, so each candidate line costs O(1)."""

    def __init__(self, p: _Prepared):
        self.p = p
        n = len(p.text)
        sp = p.space
        self.c_adv = _prefix([0.0 if sp[i] else p.adv[i] for i in range(n)])
        self.c_squeeze = _prefix(p.squeeze)
        # Gaps and spaces: a space character counts as a gap (its advance is natural space).
        self.c_gap = _prefix([p.gap[i] + (p.adv[i] if sp[i] else 0.0) for i in range(n)])
        self.c_shrink = _prefix(p.gap_shrink)
        self.c_stretch = _prefix(p.gap_stretch)
        self.c_spread = _prefix([1.0 if s else 0.0 for s in p.spreadable])
        self.c_loose = _prefix([1.0 if s else 0.0 for s in p.loose_gap])
        self.c_letter = _prefix([1.0 if s else 0.0 for s in p.letter_gap])
        self.c_word = _prefix([1.0 if s else 0.0 for s in p.word_gap])
        # For the 孤字 test: Han characters, and characters that are neither Han nor CJK marks.
        self.c_han = _prefix([1.0 if k == "han" and cjk.is_han(c) else 0.0
                              for k, c in zip(p.kinds, p.text)])
        self.c_latin = _prefix([1.0 if k in ("latin", "latinpunct") else 0.0 for k in p.kinds])
        # Line edges skip Western spaces and U+3000 (`_edge_blanks`).
        blank = p.edge_blank
        self.first_ink = list(range(n + 1))
        for i in range(n - 1, -1, -1):
            if blank[i]:
                self.first_ink[i] = self.first_ink[i + 1]
        self.last_ink = list(range(n + 1))  # end index after dropping trailing blanks
        for j in range(1, n + 1):
            if blank[j - 1]:
                self.last_ink[j] = self.last_ink[j - 1]

    def fit(self, a: int, b: int) -> _LineFit:
        """Measures of the line holding characters [a, b) once edge spaces are dropped."""
        a = self.first_ink[a]
        b = self.last_ink[b]
        if b <= a:
            return _LineFit(0.0, 0.0, 0.0, 0.0, 0, 0, 0, 0)
        p = self.p
        natural = (self.c_adv[b] - self.c_adv[a] + self.c_gap[b] - self.c_gap[a + 1]
                   + p.start_restore[a])
        # A squeezable mark at the line start keeps its blank (squeezing a left blank there would
        # push the glyph out of the column); one at the end may lose it (GB/T 15834 §5.1.10).
        squeeze = self.c_squeeze[b] - self.c_squeeze[a] + p.end_squeeze[b - 1] - p.squeeze[b - 1]
        if p.squeeze_left[a]:
            squeeze -= p.squeeze[a]
        return _LineFit(
            natural,
            squeeze,
            self.c_shrink[b] - self.c_shrink[a + 1],
            self.c_stretch[b] - self.c_stretch[a + 1],
            int(self.c_spread[b] - self.c_spread[a + 1]),
            int(self.c_loose[b] - self.c_loose[a + 1]),
            int(self.c_letter[b] - self.c_letter[a + 1]),
            int(self.c_word[b] - self.c_word[a + 1]),
        )


def _badness(f: _LineFit, width: float, last: bool, ragged: bool = False) -> float:
    d = width - f.natural
    if d < -EPS:
        need = -d
        if need > f.squeeze + f.shrink + EPS:
            return INF
        sq = min(need, f.squeeze)
        rest = need - sq
        bad = SQUEEZE_COST * sq / PUNCT_SQUEEZE
        if rest > EPS:
            bad += 100.0 * (rest / f.shrink) ** 2
        return bad
    if last:
        return 0.0
    if ragged:
        return RAGGED_COST * (d / width) ** 2
    first = min(d, f.stretch)
    bad = 100.0 * (first / f.stretch) ** 3 if f.stretch > EPS else 0.0
    rest = d - first
    if rest > EPS:
        bad += _spread_badness(rest, f.spread_gaps, f.loose_gaps, f.letter_gaps, f.word_gaps)
    return bad


def _spread_badness(rest: float, gaps: float, loose_gaps: float, letter_gaps: float,
                    word_gaps: float) -> float:
    """Cost of spreading `rest` em: evenly between characters; else at the Han–Latin gaps and word
    spaces, LOOSE_WEIGHT times what each gap between two letters takes (so a long word beside one
    Han character is neither letter-spaced hard nor cut off by a hole); else (a long number alone
    on a line) inside numbers too; else the line cannot be justified."""
    if gaps >= 0.5:
        return 100.0 * (rest / gaps / SPREAD_UNIT) ** 2
    if loose_gaps + letter_gaps >= 0.5:
        unit = rest / (LOOSE_WEIGHT * loose_gaps + letter_gaps)
        if loose_gaps >= 0.5:
            return LOOSE_SPREAD_FACTOR * 100.0 * (LOOSE_WEIGHT * unit / SPREAD_UNIT) ** 2
        return WORD_SPREAD_FACTOR * 100.0 * (unit / SPREAD_UNIT) ** 2
    if word_gaps >= 0.5:
        return WORD_SPREAD_FACTOR * 100.0 * (rest / word_gaps / SPREAD_UNIT) ** 2
    return UNJUSTIFIABLE


def _lone_han(fz: _Fitter, a: int, b: int) -> bool:
    """clreq §3.8.1 (孤字): the line holds one Han character, with punctuation at most."""
    return fz.c_han[b] - fz.c_han[a] == 1 and fz.c_latin[b] - fz.c_latin[a] == 0


def break_paragraph(p: _Prepared, width: float, first_width: float,
                    fitter: _Fitter | None = None, method: Breaking = "total-fit") -> list[int]:
    """Line breaking. Returns the break indices (the end of each line, the last = len)."""
    n = len(p.text)
    if n == 0:
        return []
    fitter = fitter or _Fitter(p)
    greedy = _first_fit(p, fitter, width, first_width)
    # Display lines are short and choose between phrases: always the full search.
    if method == "first-fit" or (not p.ragged and _near_perfect(p, fitter, greedy, width, first_width)):
        return greedy
    for emergency in (False, True):
        breaks = _best_breaks(p, fitter, width, first_width, emergency)
        if breaks is not None:
            return breaks
    raise AssertionError("emergency breaking always finds a solution")


def _near_perfect(p: _Prepared, fz: _Fitter, breaks: list[int], width: float,
                  first_width: float) -> bool:
    """The fast path: greedy breaking already gives the fewest lines, so when none of its lines
    needs more than a trace of adjustment (and the last is no 孤字) its demerits are within a few
    per cent of the optimum, and the total-fit search cannot improve it visibly. Most lines of
    plain Chinese text are like this."""
    a = 0
    for k, b in enumerate(breaks):
        last = k == len(breaks) - 1
        if _badness(fz.fit(a, b), first_width if a == 0 else width, last,
                    p.ragged) > FAST_PATH_BADNESS:
            return False
        if last and a > 0 and _lone_han(fz, a, b):
            return False
        a = b
    return True


def _first_fit(p: _Prepared, fz: _Fitter, width: float, first_width: float) -> list[int]:
    """Greedy breaking as a desk typesetter does it: fill the line; when the next unit does not fit,
    either squeeze it in (先挤进) or push the last one down (后推出), whichever line is the better.
    The baseline that total-fit is measured against, and the fast path of `break_paragraph`."""
    n = len(p.text)
    legal = [i for i in range(1, n) if p.penalty[i] < INF] + [n]
    breaks: list[int] = []
    start, k = 0, 0
    while start < n:
        w = first_width if start == 0 else width
        natural_end = squeezed_end = None
        j = k
        while j < len(legal):
            f = fz.fit(start, legal[j])
            if f.natural - f.squeeze - f.shrink > w + EPS:
                break
            squeezed_end = j
            if f.natural <= w + EPS:
                natural_end = j
            j += 1
        if squeezed_end is None:  # one unit wider than the line: it gets a line of its own
            choice = k
        elif natural_end is None or natural_end == squeezed_end:
            choice = squeezed_end
        else:
            def cost(idx: int) -> float:
                return _badness(fz.fit(start, legal[idx]), w, legal[idx] == n, p.ragged)
            choice = natural_end if cost(natural_end) <= cost(squeezed_end) else squeezed_end
        breaks.append(legal[choice])
        start = legal[choice]
        k = choice + 1
    return breaks


def _too_wide_runs(p: _Prepared, fz: _Fitter, width: float, first_width: float) -> set[int]:
    """Positions inside the unbreakable runs (a long word, a URL) wider than a line: the only
    places where an emergency break may go, so that one overlong word does not let the breaker
    split COVID-19 elsewhere in the paragraph. Only the run that opens the paragraph must fit the
    (indented) first line; any other can start a full line."""
    legal = [0, *(i for i in range(1, len(p.text)) if p.penalty[i] < INF), len(p.text)]
    inside: set[int] = set()
    for a, b in zip(legal, legal[1:]):
        if b - a > 1 and fz.fit(a, b).natural > (first_width if a == 0 else width) + EPS:
            inside.update(range(a + 1, b))
    return inside


def _best_breaks(p: _Prepared, fz: _Fitter, width: float, first_width: float,
                 emergency: bool) -> list[int] | None:
    """The DP over break candidates; `emergency` also allows breaks inside words (and, when even a
    single unit is wider than the line, an overfull line) so that no text is ever dropped.

    `line_demerits` is `_Fitter.fit` and `_badness` fused by hand: it runs for every (start, end)
    pair and is the composer's hot loop."""
    n = len(p.text)
    penalty = p.penalty
    c_adv, c_gap, c_sq, c_sh = fz.c_adv, fz.c_gap, fz.c_squeeze, fz.c_shrink
    c_st, c_sp, c_lo, c_le, c_wd = fz.c_stretch, fz.c_spread, fz.c_loose, fz.c_letter, fz.c_word
    first_ink, last_ink = fz.first_ink, fz.last_ink
    sq, sq_left, end_sq, restore = p.squeeze, p.squeeze_left, p.end_squeeze, p.start_restore
    ragged = p.ragged

    def line_demerits(i: int, j: int, b: int, last: bool) -> float | None:
        """Demerits of the line [i, j); None when it is too long even squeezed."""
        a = first_ink[i]
        w = first_width if i == 0 else width
        if b > a:
            natural = c_adv[b] - c_adv[a] + c_gap[b] - c_gap[a + 1] + restore[a]
            squeeze = (c_sq[b] - c_sq[a] - (sq[a] if sq_left[a] else 0.0)
                       + end_sq[b - 1] - sq[b - 1])
            shrink = c_sh[b] - c_sh[a + 1]
        else:
            natural = squeeze = shrink = 0.0
        d = w - natural
        if -d > squeeze + shrink + EPS:
            return None
        if d < -EPS:
            s1 = min(-d, squeeze)
            bad = SQUEEZE_COST * s1 / PUNCT_SQUEEZE
            if -d - s1 > EPS:
                bad += 100.0 * ((-d - s1) / shrink) ** 2
        elif last:
            bad = 0.0
        elif ragged:
            bad = RAGGED_COST * (d / w) ** 2
        elif b > a:
            stretch = c_st[b] - c_st[a + 1]
            s1 = min(d, stretch)
            bad = 100.0 * (s1 / stretch) ** 3 if stretch > EPS else 0.0
            if d - s1 > EPS:
                bad += _spread_badness(d - s1, c_sp[b] - c_sp[a + 1], c_lo[b] - c_lo[a + 1],
                                       c_le[b] - c_le[a + 1], c_wd[b] - c_wd[a + 1])
        else:
            bad = UNJUSTIFIABLE
        dem = (LINE_PENALTY + bad) ** 2
        if last and i > 0 and _lone_han(fz, i, j):
            dem += LONE_HAN_PENALTY ** 2
        return dem

    forced = _too_wide_runs(p, fz, width, first_width) if emergency else set()
    if emergency and not forced:  # no single run explains the failure: allow any in-word break
        candidates = list(range(1, n))
    else:
        candidates = [i for i in range(1, n) if penalty[i] < INF or i in forced]
    candidates.append(n)
    best = {0: 0.0}
    back: dict[int, int] = {}
    starts = [0]
    # starts[hi + 1:] give lines more than LOOSE_LINE short of the measure: they are tried only when
    # no tighter line fits, and for the last line (which may be short). `hi` moves forward with j.
    hi = 0
    for j in candidates:
        last = j == n
        pen_j = 0.0 if last else (penalty[j] if penalty[j] < INF else EMERGENCY_PENALTY)
        b = last_ink[j]
        while hi + 1 < len(starts):
            a = first_ink[starts[hi + 1]]
            if b <= a or c_adv[b] - c_adv[a] + c_gap[b] - c_gap[a + 1] < width - LOOSE_LINE:
                break
            hi += 1
        best_d, best_i = INF, -1
        for idx in range(hi, -1, -1):
            dem = line_demerits(starts[idx], j, b, last)
            if dem is None:
                break  # too long; lines from earlier starts are longer still
            total = best[starts[idx]] + dem + pen_j * pen_j
            if total < best_d:
                best_d, best_i = total, starts[idx]
        if best_i < 0 or last:
            for idx in range(len(starts) - 1, hi, -1):
                dem = line_demerits(starts[idx], j, b, last)
                if dem is None:
                    continue
                total = best[starts[idx]] + dem + pen_j * pen_j
                if total < best_d:
                    best_d, best_i = total, starts[idx]
        if best_i < 0 and emergency:
            best_i, best_d = starts[-1], best[starts[-1]] + EMERGENCY_PENALTY ** 2
        if best_i >= 0:
            best[j] = best_d
            back[j] = best_i
            starts.append(j)
    if n not in back:
        return None
    out = []
    j = n
    while j > 0:
        out.append(j)
        j = back[j]
    return out[::-1]


def break_into(p: _Prepared, fz: _Fitter, width: float, first_width: float, count: int,
               max_badness: float) -> list[int] | None:
    """Breaks that set the paragraph in exactly `count` lines, with the fewest demerits, every
    line but the last within `max_badness` and no 孤字 last line; None when there are none. A
    paragraph is set a line longer or shorter this way to keep its last line off a column top
    (flow.py). A DP over (lines so far, break): each line ends at a break of the layer above."""
    n = len(p.text)
    ends = [i for i in range(1, n) if p.penalty[i] < INF]
    layer: dict[int, float] = {0: 0.0}
    backs: list[dict[int, int]] = []
    for k in range(1, count + 1):
        final = k == count
        starts = sorted(layer)
        nxt: dict[int, float] = {}
        back: dict[int, int] = {}
        for j in ([n] if final else ends):
            pen = 0.0 if final else p.penalty[j]
            for i in reversed(starts):  # the shortest line first: earlier starts are longer
                if i >= j:
                    continue
                w = first_width if i == 0 else width
                f = fz.fit(i, j)
                if f.natural - f.squeeze - f.shrink > w + EPS:
                    break
                bad = _badness(f, w, final, p.ragged)
                if bad > max_badness or (final and i > 0 and _lone_han(fz, i, j)):
                    continue
                total = layer[i] + (LINE_PENALTY + bad) ** 2 + pen * pen
                if total < nxt.get(j, INF):
                    nxt[j], back[j] = total, i
        if not nxt:
            return None
        layer = nxt
        backs.append(back)
    if n not in layer:
        return None
    out = [n]
    for back in reversed(backs[1:]):
        out.append(back[out[-1]])
    return out[::-1]


def worst_badness(p: _Prepared, fz: _Fitter, breaks: Sequence[int], width: float,
                  first_width: float) -> float:
    """The badness of the worst line of a setting, its last line apart."""
    worst, a = 0.0, 0
    for b in breaks[:-1]:
        worst = max(worst, _badness(fz.fit(a, b), first_width if a == 0 else width, False, p.ragged))
        a = b
    return worst


@dataclass(frozen=True)
class _Adjust:
    """How one line meets its measure: which squeezes, shrinks and stretches are used."""

    squeeze_ratio: float = 0.0  # share of each mid-line mark's blank half squeezed
    squeeze_end: bool = False  # the mark ending the line gives up its blank half whole
    shrink_ratio: float = 0.0
    stretch_ratio: float = 0.0
    spread: float = 0.0  # em added at every gap of the level below
    spread_level: str = "chars"  # "chars" (spreadable), "loose" (Han–Latin, spaces; letters), "words"


def _adjust(p: _Prepared, f: _LineFit, a: int, b: int, width: float, justify: bool) -> _Adjust:
    d = width - f.natural
    end = b - 1
    end_sq = p.end_squeeze[end] if end > a and not p.squeeze_left[end] else 0.0
    mid_sq = f.squeeze - end_sq
    squeeze_end = False
    # A line-end mark is squeezed whole or not at all, so that its glyph either fills the column
    # edge or ends at it with its blank half hanging (GB/T 15834 §5.1.10); a partly squeezed mark
    # would leave a ragged edge. Mid-line marks are squeezed first.
    if d < -EPS and end_sq and -d > mid_sq + EPS:
        squeeze_end = True
        d += end_sq
    if d < -EPS:
        need = -d
        sq = min(need, mid_sq)
        rest = need - sq
        return _Adjust(sq / mid_sq if mid_sq > EPS else 0.0, squeeze_end,
                       min(1.0, rest / f.shrink) if f.shrink > EPS else 0.0)
    if justify and d > EPS:
        first = min(d, f.stretch)
        rest = d - first
        level, gaps = next(((name, count) for name, count in (
            ("chars", f.spread_gaps), ("loose", LOOSE_WEIGHT * f.loose_gaps + f.letter_gaps),
            ("words", f.word_gaps)) if count), ("chars", 0))
        spread = rest / gaps if rest > EPS and gaps else 0.0
        return _Adjust(0.0, squeeze_end, 0.0, first / f.stretch if f.stretch > EPS else 0.0,
                       spread, spread_level=level)
    return _Adjust(squeeze_end=squeeze_end)


def set_line(p: _Prepared, fitter: _Fitter, a: int, b: int, width: float, size: float,
             justify: bool) -> tuple[tuple[tuple[str, float], ...], float]:
    """Positions of the glyphs of [a, b), justified to `width` (em) when asked; x in pt."""
    f = fitter.fit(a, b)
    a, b = fitter.first_ink[a], fitter.last_ink[b]
    adj = _adjust(p, f, a, b, width, justify)
    # Each gap's share of the spread unit at the adjustment's level (bools count as 0 or 1).
    shares = {"chars": p.spreadable, "loose": p.loose_share, "words": p.word_gap}[adj.spread_level]
    glyphs = []
    x = 0.0
    for i in range(a, b):
        if i > a:
            x += p.gap[i] - p.gap_shrink[i] * adj.shrink_ratio \
                + p.gap_stretch[i] * adj.stretch_ratio
            if adj.spread:
                x += adj.spread * shares[i]
        if p.space[i]:
            x += p.adv[i]
            continue
        restore = p.start_restore[i] if i == a else 0.0
        if i == b - 1 and i > a and not p.squeeze_left[i]:
            sq = p.end_squeeze[i] if adj.squeeze_end else 0.0
        elif i == a and p.squeeze_left[i]:
            sq = 0.0
        else:
            sq = p.squeeze[i] * adj.squeeze_ratio
        place = p.place[i] + restore - sq * p.shift[i]  # a centred mark: both sides equally
        glyphs.append((p.text[i], (x + place) * size))
        x += p.adv[i] + restore - sq
    return tuple(glyphs), x * size


class Paragraph:
    """A paragraph measured once (`prepare`), to be broken and set at any measure: headlines try
    several measures to balance their lines, and pay for measuring only once."""

    def __init__(self, text: str, metrics: Metrics, size: float, *,
                 prohibition: cjk.Prohibition = "basic", latin_spacing: float = 0.25,
                 display: bool = False, phrases_only: bool = False):
        self.size = size
        self.prepared = prepare(text, metrics, prohibition, latin_spacing, display, phrases_only)
        self.fitter = _Fitter(self.prepared)

    def breaks(self, width: float, indent: float = 0.0,
               method: Breaking = "total-fit") -> list[int]:
        w_em = width / self.size
        return break_paragraph(self.prepared, w_em, w_em - indent / self.size, self.fitter, method)

    def breaks_exactly(self, width: float, count: int, indent: float = 0.0) -> list[int] | None:
        """Breaks into exactly `count` lines, none much looser or tighter than the paragraph's own
        setting has (VARIANT_BADNESS, or its worst line if that is worse); None if impossible."""
        w_em = width / self.size
        first = w_em - indent / self.size
        own = break_paragraph(self.prepared, w_em, first, self.fitter)
        if len(own) == count:
            return own
        limit = max(VARIANT_BADNESS, worst_badness(self.prepared, self.fitter, own, w_em, first))
        return break_into(self.prepared, self.fitter, w_em, first, count, limit)

    def set(self, width: float, *, indent: float = 0.0, align: Align = "justify",
            method: Breaking = "total-fit") -> list[ComposedLine]:
        """Break and set at `width` (pt); glyph x in pt from the column's start edge, the first
        line's indent already applied."""
        if not self.prepared.text:
            return []
        return self.set_breaks(self.breaks(width, indent, method), width, indent=indent, align=align)

    def set_breaks(self, breaks: Sequence[int], width: float, *, indent: float = 0.0,
                   align: Align = "justify") -> list[ComposedLine]:
        """Set the lines ending before each index of `breaks` (the last is the text's length)."""
        size, p = self.size, self.prepared
        w_em, ind_em = width / size, indent / size
        lines = []
        a = 0
        for k, b in enumerate(breaks):
            first, last = k == 0, k == len(breaks) - 1
            avail = w_em - (ind_em if first else 0.0)
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


def compose_paragraph(text: str, metrics: Metrics, size: float, width: float, *,
                      indent: float = 0.0, align: Align = "justify",
                      prohibition: cjk.Prohibition = "basic",
                      latin_spacing: float = 0.25, display: bool = False,
                      method: Breaking = "total-fit") -> list[ComposedLine]:
    """Break and set one paragraph. `width` and `indent` in pt; returns lines with glyph x in pt
    measured from the column's start edge (the indent is already applied to the first line)."""
    para = Paragraph(text, metrics, size, prohibition=prohibition, latin_spacing=latin_spacing,
                     display=display)
    return para.set(width, indent=indent, align=align, method=method)
