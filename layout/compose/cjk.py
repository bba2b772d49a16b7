"""Character classes of Chinese composition: pure tables and predicates, no layout.

Sections cited are those of W3C "Requirements for Chinese Text Layout" (clreq, 2020 Note) and of
GB/T 15834-2011 (punctuation). Everything here works on single characters.
"""
from __future__ import annotations

from typing import Literal

Prohibition = Literal["none", "basic", "gb", "strict"]

# clreq §3.1.6 (opening brackets) and §3.1.7 (closing brackets), plus their ASCII forms.
OPENING = frozenset("（〔［｛〈《「『【〖〘〚“‘([{")
CLOSING = frozenset("）〕］｝〉》」』】〗〙〛”’)]}")
# clreq §3.1.2: pause and stop marks (顿号 逗号 句号 分号 冒号 问号 叹号) and their ASCII forms.
PAUSE_STOP = frozenset("、，。．：；？！,.;:?!‼⁇⁈⁉")  # ‼ ⁇ ⁈ ⁉: doubled forms of ！？
# Marks that must not be split between lines (GB/T 15834 §4.9, §4.11; clreq §3.1.3).
INSEPARABLE = frozenset("—…⋯")
MIDDLE_DOT = frozenset("·・‧･")
# Signs that belong to the number before them (Unicode line-break class PO): percent and per-mille
# in every width (﹪ ％), degrees, primes (‵ is the reversed prime), the cent sign ￠.
UNIT_AFTER = frozenset("%％﹪‰℃℉°′″‵￠")
# Han characters that, written after a number, are its unit or counter (2024年, 12.8万元, 3.5万名,
# 42.195公里): the number and this character are not split between lines.
NUMBER_UNITS = frozenset(
    "年月日号时点分秒个万亿千百十元角毛米里克吨度岁人名次家件条项位台辆户套张本册页版期届倍成折"
    "斤两升亩天周级层座所股票元美磅篇首部集场例批轮季代辈公毫厘微纳兆")
RANGE_MARKS = frozenset("—–~～-")  # 连接号 between two numbers: 1—2月, 3~5天
PREFIX_SIGN = frozenset("$＄￥¥£€₩#＃№+＋-−±")  # signs that belong to the number after them

# clreq §3.1.6 "Line-start prohibition rules", basic level: closing brackets, pause/stop marks,
# the middle dot, the wave dash, and unit signs. A unit sign closes the quantity written before it
# (clreq §3.1.8 keeps a number and its unit together) and has no other use, so it never starts a
# line, whatever precedes it: the stricter reading, which CSS `line-break: normal` also takes.
_START_BASIC = CLOSING | PAUSE_STOP | MIDDLE_DOT | UNIT_AFTER | frozenset("～")
# GB/T 15834 adds connecting marks (连接号) that may not begin a line.
_START_GB = _START_BASIC | frozenset("‐‑–〜゠")
# Strict: also iteration marks and the prolonged sound mark in both widths (clreq §3.1.6, "strict"
# tier; ゝゞヽヾ are the kana iteration marks). Small kana are not forbidden: that is Japanese
# practice (JLREQ), and kana in Chinese text are rare.
_START_STRICT = _START_GB | frozenset("々〻ゝゞヽヾーｰ")

# clreq §3.1.6 "Line-end prohibition rules": opening brackets; strict also keeps prefix currency
# signs with the number they precede.
_END_BASIC = OPENING
_END_STRICT = OPENING | frozenset("$＄￥¥£€₩#＃№")

_NOT_AT_START: dict[str, frozenset[str]] = {
    "none": frozenset(),
    "basic": _START_BASIC,
    "gb": _START_GB,
    "strict": _START_STRICT,
}
_NOT_AT_END: dict[str, frozenset[str]] = {
    "none": frozenset(),
    "basic": _END_BASIC,
    "gb": _END_BASIC,
    "strict": _END_STRICT,
}


def not_at_line_start(level: Prohibition) -> frozenset[str]:
    return _NOT_AT_START[level]


def not_at_line_end(level: Prohibition) -> frozenset[str]:
    return _NOT_AT_END[level]


def is_han(ch: str) -> bool:
    """Han ideographs (CJK Unified, Extension A–H, compatibility) and the ideographic number zero."""
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x323AF
        or o == 0x3007
    )


def is_cjk(ch: str) -> bool:
    """A character that is set on the em-square grid: Han, kana, CJK and full-width punctuation."""
    o = ord(ch)
    return (
        is_han(ch)
        or 0x3000 <= o <= 0x30FF  # CJK symbols and punctuation, kana
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
        or 0x2E80 <= o <= 0x2FDF  # radicals
        or 0x3100 <= o <= 0x31FF  # bopomofo, kanbun, strokes
        or 0xFE10 <= o <= 0xFE4F  # vertical forms, CJK compatibility forms
        or ch in "“”‘’—…·"  # set full-width in Chinese text (clreq §3.1)
    )


def is_latin(ch: str) -> bool:
    """Letters and digits of proportional scripts (Latin, Greek, Cyrillic, and the like)."""
    return ch.isalnum() and not is_cjk(ch)


def is_space(ch: str) -> bool:
    """A Western space: its width is the natural space of a gap, with shrink and stretch."""
    return ch in " \t\u00a0\u2009\u202f"


# U+3000 is not one: it is a full-width character, set 1 em as the writer spaced (`胡晨　通讯员`),
# except where a line breaks at it (compose.py).
IDEOGRAPHIC_SPACE = "\u3000"


# Punctuation whose glyph fills half of the em square, the other half being blank; clreq §3.1.4
# (half-width adjustment). Which half is blank comes from the font's GPOS `halt` feature when it has
# one; these tables are the fallback for fonts without it (mainland Chinese glyph positions).
BLANK_RIGHT = frozenset("、，。．：；）〕］｝〉》」』】〗〙〛”’")
BLANK_LEFT = frozenset("（〔［｛〈《「『【〖〘〚“‘")

BlankSide = Literal["left", "right"] | None


def fallback_blank_side(ch: str) -> BlankSide:
    if ch in BLANK_RIGHT:
        return "right"
    if ch in BLANK_LEFT:
        return "left"
    return None


# Latin "word" characters that stay glued to letters and digits (3.5, 1,000, e-mail, it's, 9:30).
WORD_JOINERS = frozenset(".,:'’-_@/&+%#~=?")
# Characters after which a URL or e-mail address may break (issue spec: after / . - @).
URL_BREAK_AFTER = frozenset("/.-@")
