"""Typographic defaults: the styles a spec may leave out, derived from the body (docs/spec.md, "Styles").

SMALL_PRINT is defined here once; the page furniture sets the header and the masthead's small print
at it too.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, Mapping

from ..model.issue import Style


BODY_LEADING = 1.2  # × body size, when styles.body.leading is left out
SMALL_PRINT = 10.5  # 五号: page header and masthead particulars, independent of the body size


def round_pt(value: float) -> float:
    return round(value, 2)  # derived sizes: 0.9 × 9 pt is 8.1 pt, not 8.100000000000001


# Every style but `body` may be left out or given in part; what is missing comes from here. Each entry
# sees the styles before it in STYLE_NAMES (final, with the spec's values), so `continued_headline`
# follows a headline style the spec changed. Documented in docs/spec.md, "Styles".
DEFAULT_STYLES: dict[str, Callable[[Mapping[str, Style]], Style]] = {
    "kicker": lambda s: Style(s["body"].font, 12.0),
    "headline": lambda s: Style(s["body"].font, 20.0),
    "subtitle": lambda s: Style(s["body"].font, 12.0),
    "byline": lambda s: Style(s["body"].font, s["body"].size),
    "caption": lambda s: Style(s["body"].font, round_pt(0.9 * s["body"].size)),
    "jump": lambda s: replace(s["body"], indent=0.0),
    "continued_headline": lambda s: Style(
        s["headline"].font, round_pt(max(1.6 * s["body"].size, 0.6 * s["headline"].size))),
    "index_title": lambda s: Style(s["headline"].font, round_pt(1.8 * s["body"].size)),
    "index_item": lambda s: Style(s["headline"].font, round_pt(1.35 * s["body"].size)),
    # Not the body size: index copy must not read as a column of body text.
    "index_small": lambda s: Style(s["subtitle"].font, round_pt(1.15 * s["body"].size)),
    "header": lambda s: Style(s["body"].font, SMALL_PRINT),
    "masthead": lambda s: Style(s["headline"].font, round_pt(3 * s["headline"].size)),
    "masthead_small": lambda s: Style(s["body"].font, SMALL_PRINT),
    # Body markup (docs/spec.md, "Body markup"). A subhead sits on whole grid lines, so its leading
    # is the grid's; `strong` is the headline face unless the fonts have a `bold` role (with_fonts).
    "subhead": lambda s: Style(s["headline"].font, round_pt(1.1 * s["body"].size)),
    "strong": lambda s: Style(s["headline"].font, s["body"].size),
    "emphasis": lambda s: Style(s["body"].font, s["body"].size, mark="dots"),
    "quote": lambda s: Style(s["body"].font, s["body"].size, indent=s["body"].indent,
                             inset=round_pt(2 * s["body"].size)),
    "lead": lambda s: Style(s["strong"].font, s["body"].size),
    "pull_quote": lambda s: Style(s["subtitle"].font, round_pt(1.5 * s["body"].size)),
    # `[…]{.专名}` and `[…]{.书名}`: the body's face with a line (专名号) or a wave (书名号) beside it
    "proper_noun": lambda s: Style(s["body"].font, s["body"].size, mark="line"),
    "book_title": lambda s: Style(s["body"].font, s["body"].size, mark="wave"),
}

BOLD_ROLE = "bold"  # a font role of that name is the bold face of body text (style `strong`)


def with_fonts(name: str, style: Style, fonts: Mapping[str, str]) -> Style:
    """A default style once the spec's font roles are known: `strong` takes the `bold` role when
    the spec has one (and the `lead` follows `strong`'s font)."""
    if name == "strong" and BOLD_ROLE in fonts:
        return replace(style, font=BOLD_ROLE)
    return style


def like_body(styles: Mapping[str, Style]) -> Style:
    """Fallback for a style name added to the model before it got a default here (a test flags it)."""
    return Style(styles["body"].font, styles["body"].size)


def given_style(name: str, default: Style, given: Mapping[str, object]) -> Style:
    """A style as the spec gives it over its default. Emphasis given a font of its own is set in
    that font, without the default's 着重号 (unless `mark` is given too)."""
    style = replace(default, **given)
    if name == "emphasis" and "font" in given and "mark" not in given:
        style = replace(style, mark="none")
    return style
