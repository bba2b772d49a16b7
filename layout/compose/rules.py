"""Where a line may break: an ordered table of named rules, each matching the gap before character
`i` (between `text[i-1]` and `text[i]`) and giving the penalty of a break there (INF: never).

The rules are tried in `RULES` order and the first that matches decides; a gap no rule matches
may break freely (clreq §3.1.6: between two Han characters, or a Han character and a mark that
does not forbid it). Display lines (headlines) then price a free break by how much it splits a
phrase (`display_penalty`). The order (a test holds the table to it):

1. before-blank                  never before a space or a mid-text U+3000 (break after it)
2. after-space                   free after a space
3. not-at-line-start             clreq §3.1.6: closing marks, pause/stop marks, … never start a line
4. not-at-line-end               clreq §3.1.6: opening marks never end one
5. not-at-line-end-across-blank  ... nor do they once the blank after them is dropped
6. inseparable-pair              —— and …… are never split
7. inside-word                   a Latin word, number or URL is kept whole
8. url-after-hyphen              a URL may break after a hyphen, at a high price
9. url-break                     ... and after / . @ at a small one
10. between-letters              two letters never part
11. number-unit                  2024年, 12.8万元: a number keeps its unit
12. magnitude-unit               12.8万|元 only when a loose line costs more
13. prefix-sign                  ￥5, +3: a sign keeps its number
14. number-range                 1—2月, 24℃—29℃ stay whole
15. slash                        美元/盎司, 3/4 stay whole
16. western-run                  a run of Western letters and marks with no space is one piece
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from . import cjk
from .classes import WESTERN, char_kind
from .costs import INF, MAGNITUDE_BREAK_PENALTY, MID_PHRASE_PENALTY, URL_BREAK_PENALTY, \
    URL_HYPHEN_PENALTY

MAGNITUDE = frozenset("十百千万亿兆")
PHRASE_SEPARATOR = cjk.IDEOGRAPHIC_SPACE  # in a headline: where its writer wants a line to break


@dataclass(frozen=True)
class GapContext:
    """What the rules read about a paragraph, per character (gap i sits before character i)."""

    text: str
    kinds: Sequence[str]
    space: Sequence[bool]  # a Western space
    edge_blank: Sequence[bool]  # a blank not set at a line's edge (spaces, U+3000 mid-text)
    in_word: Sequence[bool]  # gap i is inside a Latin word, number or URL
    url_break: Sequence[bool]  # gap i is a place where a URL may break
    not_start: frozenset[str]  # the prohibition level's line-start and line-end tables
    not_end: frozenset[str]


@dataclass(frozen=True)
class BreakRule:
    name: str
    source: str  # the clreq / GB/T 15834 section the rule follows
    matches: Callable[[GapContext, int], bool]
    penalty: float


def before_blanks(text: str, edge_blank: Sequence[bool], i: int) -> str:
    """The character a line broken before character i ends with once the blanks before the break
    are dropped ("" when there is none or no blank stands before i)."""
    k = i - 1
    if not edge_blank[k]:
        return ""
    while k >= 0 and edge_blank[k]:
        k -= 1
    return text[k] if k >= 0 else ""


def _number_range(c: GapContext, i: int) -> bool:
    t = c.text
    pa, cb = t[i - 1], t[i]
    if (pa.isdigit() or pa in cjk.UNIT_AFTER) and cb in cjk.RANGE_MARKS:
        return True
    return (pa in cjk.RANGE_MARKS and cb.isdigit() and i >= 2
            and (t[i - 2].isdigit() or t[i - 2] in cjk.UNIT_AFTER))


def _magnitude(c: GapContext, i: int) -> bool:
    t = c.text
    return (c.kinds[i - 1] == "han" and t[i - 1] in MAGNITUDE and i >= 2 and t[i - 2].isdigit()
            and c.kinds[i] == "han")


RULES: tuple[BreakRule, ...] = (
    BreakRule("before-blank", "clreq §3.8.2 (spaces are not set at a line's edge)",
              lambda c, i: c.space[i] or c.edge_blank[i], INF),  # break after the blank instead
    BreakRule("after-space", "UAX #14 LB18 (a break after a space)",
              lambda c, i: c.space[i - 1], 0.0),
    BreakRule("not-at-line-start", "clreq §3.1.6 line-start prohibition",
              lambda c, i: c.text[i] in c.not_start, INF),
    BreakRule("not-at-line-end", "clreq §3.1.6 line-end prohibition",
              lambda c, i: c.text[i - 1] in c.not_end, INF),
    # A U+3000 not set at the break does not keep `（` off the line end.
    BreakRule("not-at-line-end-across-blank", "clreq §3.1.6 line-end prohibition",
              lambda c, i: before_blanks(c.text, c.edge_blank, i) in c.not_end, INF),
    BreakRule("inseparable-pair", "GB/T 15834 §4.9, §4.11 (—— and …… are never split)",
              lambda c, i: c.text[i - 1] in cjk.INSEPARABLE and c.text[i] == c.text[i - 1], INF),
    BreakRule("inside-word", "clreq §3.1.8 (a Latin word, number or URL is kept whole)",
              lambda c, i: c.in_word[i] and not c.url_break[i], INF),
    BreakRule("url-after-hyphen", "issue spec: a URL breaks after / . - @ (- reads as a hyphen)",
              lambda c, i: c.in_word[i] and c.text[i - 1] == "-", URL_HYPHEN_PENALTY),
    BreakRule("url-break", "issue spec: a URL breaks after / . @",
              lambda c, i: c.in_word[i], URL_BREAK_PENALTY),
    BreakRule("between-letters", "clreq §3.1.8 (Western text breaks at spaces only)",
              lambda c, i: c.kinds[i - 1] == "latin" and c.kinds[i] == "latin", INF),
    BreakRule("number-unit", "clreq §3.1.8 (a number keeps its unit: 2024年, 12.8万元)",
              lambda c, i: c.text[i - 1].isdigit() and c.text[i] in cjk.NUMBER_UNITS, INF),
    BreakRule("magnitude-unit", "clreq §3.1.8 (12.8万|元 only if a loose line is worse)",
              _magnitude, MAGNITUDE_BREAK_PENALTY),
    BreakRule("prefix-sign", "clreq §3.1.8 (a sign keeps its number: ￥5, +3)",
              lambda c, i: c.text[i - 1] in cjk.PREFIX_SIGN and c.text[i].isdigit(), INF),
    BreakRule("number-range", "GB/T 15834 §4.13 连接号 (1—2月, 3～5天, 24℃—29℃ stay whole)",
              _number_range, INF),
    BreakRule("slash", "GB/T 15834 §4.15 分隔号 (美元/盎司, 3/4, 和/或; URLs break on their own)",
              lambda c, i: c.text[i - 1] == "/" or c.text[i] == "/", INF),
    BreakRule("western-run", "UAX #14 (a run of Western text with no space is one piece)",
              lambda c, i: c.kinds[i - 1] in WESTERN and c.kinds[i] in WESTERN, INF),
)


def matching_rule(c: GapContext, i: int) -> BreakRule | None:
    """The first rule of `RULES` that matches gap i, or None (a free break)."""
    for rule in RULES:
        if rule.matches(c, i):
            return rule
    return None


def break_penalty(c: GapContext, i: int) -> float:
    rule = matching_rule(c, i)
    return 0.0 if rule is None else rule.penalty


_MEMOS: dict[tuple[frozenset[str], frozenset[str]], dict[tuple[str, str, bool, bool], float]] = {}
_MEMO_LIMIT = 200_000


def break_penalties(c: GapContext) -> list[float]:
    """The penalty of every gap of the paragraph by `RULES` (gap 0, before the text: 0).

    A gap away from blanks and words matches rules by its two characters alone, and by whether a
    digit or a unit sign comes before them (magnitude-unit, number-range), so its penalty is
    memoised on those, per prohibition level: most gaps of a paragraph are such, and the table is
    then evaluated once per pair of characters rather than once per gap."""
    t, space, edge, in_word = c.text, c.space, c.edge_blank, c.in_word
    memo = _MEMOS.setdefault((c.not_start, c.not_end), {})
    if len(memo) > _MEMO_LIMIT:
        memo.clear()
    out = [0.0] * len(t)
    for i in range(1, len(t)):
        if space[i] or edge[i] or space[i - 1] or edge[i - 1] or in_word[i]:
            out[i] = break_penalty(c, i)
            continue
        t2 = t[i - 2] if i >= 2 else ""
        key = (t[i - 1], t[i], t2.isdigit(), t2 in cjk.UNIT_AFTER)
        p = memo.get(key)
        if p is None:
            p = memo[key] = break_penalty(c, i)
        out[i] = p
    return out


def phrase_break_cost(before: str, after: str) -> float:
    """How much a headline break between `before` and `after` splits a phrase: 0 at a space (a
    headline's own phrase separator, U+3000 or ASCII) or after a CJK mark, ½ before an opening
    bracket or quote (“过早” may start a line, but the phrase before it often runs on), 1 between
    two characters of one phrase."""
    if any(cjk.is_space(c) or c == PHRASE_SEPARATOR for c in (before, after)):
        return 0.0
    if char_kind(before) == "cjkpunct" and before not in cjk.OPENING:
        return 0.0
    if after in cjk.OPENING:
        return 0.5
    return 1.0


def display_penalty(before: str, after: str, phrases_only: bool) -> float:
    """A display line's price for a break the rules leave free: dearer inside a phrase; with
    `phrases_only` (its writer separated the phrases with U+3000), only beside a separator."""
    if phrases_only and PHRASE_SEPARATOR not in (before, after):
        return INF
    return MID_PHRASE_PENALTY * phrase_break_cost(before, after)
