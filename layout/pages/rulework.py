"""Rules as a desk orders them (`rule:` modules, the rule under the 报眉): solid, double or
thick-thin, of a weight and a colour, as plan Rules. Pure."""
from __future__ import annotations

from ..model.grid import Rect
from ..model.issue import RuleSpec
from .plan import BLACK, Ink, Item, Rule, ink
THIN = 0.25  # pt: the thin line of a thick-thin rule is a third of the weight, no thinner than this


def _ink(spec: RuleSpec) -> Ink:
    return BLACK if spec.colour is None else ink(spec.colour)


def rule_strokes(spec: RuleSpec) -> list[tuple[float, float]]:
    """(offset of the line's centre from the top of the whole rule, line weight), top first."""
    w = spec.weight
    if spec.style == "double":  # two lines of the weight, a weight apart
        return [(w / 2, w), (2.5 * w, w)]
    if spec.style == "thick-thin":  # the heavy line, half a weight of space, the thin one
        thin = max(THIN, w / 3)
        return [(w / 2, w), (1.5 * w + thin / 2, thin)]
    return [(w / 2, w)]


def rule_height(spec: RuleSpec) -> float:
    """The whole rule's height, from the top of its first line to the bottom of its last."""
    offset, weight = rule_strokes(spec)[-1]
    return offset + weight / 2


def horizontal_rule(spec: RuleSpec, x1: float, x2: float, top: float) -> list[Item]:
    """The rule from x1 to x2, its top edge at `top`."""
    colour = _ink(spec)
    return [Rule(x1, top + offset, x2, top + offset, weight, colour)
            for offset, weight in rule_strokes(spec)]


def rule_in(spec: RuleSpec, rect: Rect) -> list[Item]:
    """A rule module: the rule across the module, centred in its height."""
    return horizontal_rule(spec, rect.x, rect.right, rect.y + (rect.h - rule_height(spec)) / 2)


def horizontal_rule_at(spec: RuleSpec, x1: float, x2: float, centre: float) -> list[Item]:
    """The rule from x1 to x2, the centre of its first (top) line at `centre`."""
    colour = _ink(spec)
    strokes = rule_strokes(spec)
    first = strokes[0][0]
    return [Rule(x1, centre if offset == first else centre + offset - first, x2,
                 centre if offset == first else centre + offset - first, weight, colour)
            for offset, weight in strokes]
