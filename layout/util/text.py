"""Text conventions of spec format v1 (convention 9), as pure functions on strings.

`split_paragraphs` turns an article body as written in YAML into paragraphs; `fullwidth` sets ASCII
punctuation full-width where it stands beside Chinese text (the `typography.fullwidth_punctuation`
option, applied by the composer, not by the spec loader).
"""
from __future__ import annotations

import re

# What counts as "Chinese" for both functions: Han ideographs and the punctuation and forms that only
# occur in CJK text. U+3000 (ideographic space) is in the CJK Symbols block, so `胡晨　通讯员` is Chinese
# throughout. General Punctuation (“ ” — …) is shared with Western text, so it does not count by
# itself: the character on its other side decides.
_CHINESE_RANGES = (
    (0x2E80, 0x2FDF),    # CJK radicals, Kangxi radicals
    (0x3000, 0x303F),    # CJK symbols and punctuation: 　、。〈〉《》「」『』【】〔〕〇
    (0x31C0, 0x31EF),    # CJK strokes
    (0x3400, 0x4DBF),    # CJK extension A
    (0x4E00, 0x9FFF),    # CJK unified ideographs
    (0xF900, 0xFAFF),    # CJK compatibility ideographs
    (0xFE10, 0xFE1F),    # vertical forms
    (0xFE30, 0xFE4F),    # CJK compatibility forms
    (0xFF01, 0xFF60),    # fullwidth ASCII variants: ，：；（）？！
    (0xFFE0, 0xFFE6),    # fullwidth signs: ￥
    (0x20000, 0x3FFFF),  # CJK extensions B and later (planes 2 and 3)
)

# Whitespace that ends a line or a paragraph, i.e. every Unicode space except U+3000, which the
# spec uses on purpose (as a 1-em space) and must survive stripping.
_SPACE = r"[^\S\u3000]"
_BLANK_LINE = re.compile(rf"\n{_SPACE}*\n")
_LINE_BREAK = re.compile(rf"{_SPACE}*\n{_SPACE}*")

FULLWIDTH = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}


def is_chinese(char: str) -> bool:
    """True for a Han character or CJK-only punctuation/form (see `_CHINESE_RANGES`)."""
    code = ord(char)
    return any(low <= code <= high for low, high in _CHINESE_RANGES)


def strip(text: str) -> str:
    """`str.strip()` that keeps U+3000, so a paragraph may open with ideographic spaces."""
    return re.sub(rf"\A{_SPACE}+|{_SPACE}+\Z", "", text)


def join_lines(text: str) -> str:
    """One paragraph's lines joined: nothing between Chinese text, one space between Latin words.

    A break needs a space only if neither neighbour is Chinese; a Han–Latin boundary gets no space
    because the composer adds the `latin_spacing` gap there itself.
    """
    text = strip(text.replace("\r\n", "\n").replace("\r", "\n"))
    return _LINE_BREAK.sub(lambda m: _joiner(text, m.start(), m.end()), text)


def _joiner(text: str, start: int, end: int) -> str:
    before, after = text[start - 1], text[end]  # both exist: the text is stripped
    return "" if is_chinese(before) or is_chinese(after) else " "


def split_paragraphs(raw: str) -> tuple[str, ...]:
    """Paragraphs of an article body: separated by blank lines, single line breaks joined, stripped."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = (join_lines(part) for part in _BLANK_LINE.split(text))
    return tuple(p for p in paragraphs if p)


def fullwidth(text: str) -> str:
    """ASCII `, : ; ( ) ? !` beside a Chinese character set full-width; everything else as written.

    A bracket converts when the character on either side of it (its outer or its inner side) is
    Chinese, and then its partner converts too, so `(扩大)` becomes `（扩大）` and a pair is never
    mixed. Conversions cascade through runs of such punctuation (`中?!` → `中？！`, `(扩大),` →
    `（扩大），`), since a converted mark is Chinese punctuation itself. `3:00` and `iPhone (2024)` have
    no Chinese neighbour and stay as written.
    """
    if not any(mark in text for mark in FULLWIDTH):  # most paragraphs: nothing to convert
        return text
    chars = list(text)
    partners = _bracket_partners(text)
    changed = True
    while changed:  # converting only ever adds Chinese neighbours, so this ends; usually two rounds
        changed = False
        for i, char in enumerate(chars):
            if char in FULLWIDTH and _beside_chinese(chars, i):
                chars[i] = FULLWIDTH[char]
                if i in partners:
                    j = partners[i]  # still ASCII: a pair always converts together
                    chars[j] = FULLWIDTH[chars[j]]
                changed = True
    return "".join(chars)


_CURLY_QUOTES = frozenset("“”‘’")


def _beside_chinese(chars: list[str], i: int) -> bool:
    """A Chinese character next to position i; a curly quote counts as one when a Chinese
    character stands on its far side (`“江城好人”;2024年`: the `;` follows Chinese text)."""
    for step in (-1, 1):
        j = i + step
        if not 0 <= j < len(chars):
            continue
        if is_chinese(chars[j]):
            return True
        k = j + step
        if chars[j] in _CURLY_QUOTES and 0 <= k < len(chars) and is_chinese(chars[k]):
            return True
    return False


def _bracket_partners(text: str) -> dict[int, int]:
    """Index of each matched ASCII bracket → index of its partner (nesting respected, strays ignored)."""
    partners: dict[int, int] = {}
    opened: list[int] = []
    for i, char in enumerate(text):
        if char == "(":
            opened.append(i)
        elif char == ")" and opened:
            start = opened.pop()
            partners[start], partners[i] = i, start
    return partners
