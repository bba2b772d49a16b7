"""Our line-start/line-end prohibitions against the W3C web-platform-tests for Chinese line breaking
(css/css-text/i18n/zh/css-text-line-break-zh-{cpm,hyphens,in,iteration,po}-{strict,normal,loose}
and css/css-text/i18n/css3-text-line-break-opclns-001), adapted to our `prohibition` levels: CSS
`strict` is our `strict`, CSS `normal` and `loose` are both our `basic`.

Every WPT case puts the character after a Han character (文X字) and asks whether a line may start
with it. Each case either matches WPT or is one of the deliberate differences documented in
docs/composition.md ("Where lines may break"), listed in DELIBERATE with the reason."""
from __future__ import annotations

import pytest

from fakefont import FakeFace
from layout.compose import cjk
from layout.compose.costs import INF
from layout.compose.prepare import prepare

OURS = {"strict": "strict", "normal": "basic", "loose": "basic"}

# Each WPT file: its characters, and whether each may start a line after a Han character at the
# CSS level (strict, normal, loose). Written from the WPT sources, our own table.
WPT = {
    "cpm": ("・：；･‼⁇⁈⁉！？", (False, False, True)),  # centred punctuation marks
    "hyphens": ("‐–〜゠", (False, True, True)),
    "in": ("․‥…⋯︙\U00010AF6", (False, False, True)),  # inseparable characters
    "iteration": ("々〻ゝゞヽヾ", (False, False, True)),
    "po": ("°‰′″‵℃℉﹪％￠", (False, False, True)),  # postfix (unit) signs
}
# CSS Text 3 `strict` rules for Chinese that the WPT files above do not cover.
CSS_STRICT_EXTRA = {"prolonged": ("ーｰ", (False, True, True)), "small-kana": ("ぁァㇰ", (False, True, True))}

# (category, CSS level) → why we differ, as docs/composition.md says.
DELIBERATE = {
    ("cpm", "loose"): "pause and stop marks and the middle dot never start a line, at any level",
    ("in", "strict"): "an ellipsis (or a leader) may start a line; only ……/—— are never split",
    ("in", "normal"): "an ellipsis (or a leader) may start a line; only ……/—— are never split",
    ("iteration", "normal"): "iteration marks are kept off a line start only at strict",
    ("po", "loose"): "a unit sign never starts a line, whatever precedes it",
    ("small-kana", "strict"): "small kana are Japanese practice (JLREQ), not clreq",
}


def cases():
    for table in (WPT, CSS_STRICT_EXTRA):
        for category, (chars, expected) in table.items():
            for level, may_start in zip(("strict", "normal", "loose"), expected):
                for ch in chars:
                    yield category, level, ch, may_start


def may_start_after_han(ch: str, level: str) -> bool:
    """Whether the composer allows a break between 文 and `ch` (文文文文文文X字), at our level."""
    p = prepare("文文" + ch + "字", FakeFace(), OURS[level])
    return p.penalty[2] < INF


@pytest.mark.parametrize("category,level,ch,may_start", list(cases()))
def test_line_start_matches_wpt_or_a_documented_difference(category, level, ch, may_start):
    ours = may_start_after_han(ch, level)
    assert ours == (ch not in cjk.not_at_line_start(OURS[level]))  # the table is what the composer uses
    if (category, level) in DELIBERATE:
        assert ours != may_start, f"{category}/{level} {ch!r} now matches WPT: drop it from DELIBERATE"
    else:
        assert ours == may_start, f"U+{ord(ch):04X} {ch} ({category}, CSS {level})"


def test_an_opening_bracket_never_ends_a_line():
    """css3-text-line-break-opclns-001: 中中(文 breaks before the bracket, not after it."""
    p = prepare("中中(文", FakeFace(), "basic")
    assert p.penalty[3] == INF and p.penalty[2] < INF


def test_match_count():
    """What the adaptation comes to: most cases match, the rest are the deliberate differences."""
    all_cases = list(cases())
    matching = sum(may_start_after_han(ch, level) == may for _, level, ch, may in all_cases)
    deliberate = sum(len((WPT | CSS_STRICT_EXTRA)[c][0]) for c, _ in DELIBERATE)
    # 108 WPT line-start cases and 15 from CSS strict; the opening bracket case is tested above.
    assert matching + deliberate == len(all_cases) == 123
    assert matching == 82
