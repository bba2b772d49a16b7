"""The composer's adjustment ranges and costs: the numbers every stage of composition shares.

Ranges are in em of the text's size; costs are in badness units (a line's demerits are
(LINE_PENALTY + badness)² + penalty², as in TeX).
"""
from __future__ import annotations

INF = float("inf")
EPS = 1e-6

# Adjustment ranges, in em of the text's size.
PUNCT_SQUEEZE = 0.5  # a full-width mark may lose its blank half (clreq §3.1.4)
HAN_LATIN_SHRINK = 0.125  # Han–Latin gap may shrink from latin_spacing by this much (clreq §3.2.2)
HAN_LATIN_STRETCH = 0.25  # ... and grow by this much before characters are spread
SPACE_STRETCH = 0.5  # a Western word space may grow by this much
SPACE_BY_HAN_STRETCH = 0.15  # ... but a space beside a Han character (本报讯 截至) hardly at all
SPACE_SHRINK_RATIO = 1 / 3  # ... and shrink by this share of itself

# Costs.
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
