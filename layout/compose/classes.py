"""What each character of a paragraph is, for composition: its kind (han, latin, cjkpunct,
latinpunct, space), where a full-width mark's blank half is, and the runs that must stay whole
(Latin words, numbers with their signs, URLs). Pure functions of the text and the font's metrics;
the character tables themselves are in `cjk`."""
from __future__ import annotations

import re
from typing import Sequence

from . import cjk
from .costs import EPS
from .types import Metrics

Kind = str  # "han" | "latin" | "cjkpunct" | "latinpunct" | "space"
WESTERN = ("latin", "latinpunct")

# Share of a squeeze that moves the glyph left, and the blank on each side (em), by blank side.
SHIFT = {"left": 1.0, "centre": 0.5, "right": 0.0}
LEFT_BLANK = {"left": 0.5, "centre": 0.25, "right": 0.0, None: 0.0}
RIGHT_BLANK = {"left": 0.0, "centre": 0.25, "right": 0.5, None: 0.0}

_KINDS: dict[str, Kind] = {}


def char_kind(ch: str) -> Kind:
    kind = _KINDS.get(ch)
    if kind is None:
        kind = _KINDS[ch] = _classify(ch)
    return kind


def _classify(ch: str) -> Kind:
    if cjk.is_space(ch):
        return "space"
    if cjk.is_han(ch) or ("\u3040" <= ch <= "\u30ff"):
        return "han"
    if cjk.is_latin(ch):
        return "latin"
    if cjk.is_cjk(ch):
        return "cjkpunct"
    return "latinpunct"


def blank_side(ch: str, metrics: Metrics) -> str | None:
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


def latin_word_spans(text: str, kinds: Sequence[Kind] | None = None) -> list[tuple[int, int]]:
    """Runs of letters/digits with the joiners between them (3.5, e-mail, www.example.com).
    `kinds` (`char_kind` of each character, when the caller has them) spares testing each
    character again: kind "latin" is exactly `cjk.is_latin`."""
    latin = [k == "latin" for k in kinds] if kinds is not None else [cjk.is_latin(c) for c in text]
    spans = []
    i, n = 0, len(text)
    while i < n:
        if latin[i]:
            j = i + 1
            while j < n and (
                latin[j]
                or (text[j] in cjk.WORD_JOINERS and j + 1 < n and latin[j + 1])
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


def url_spans(text: str, words: list[tuple[int, int]]) -> list[tuple[int, int]]:
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


def number_run_kinds(text: str, kinds: list[Kind]) -> list[Kind]:
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
