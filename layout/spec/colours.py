"""`colours:` (named process and spot colours), the `colour:` key of styles and boxes, and `box:`
of a module (Broadsheet additions, issue 16; docs/spec.md, "Ads, colours and boxes").

`colours` is read before the styles and the pages, so that every `colour:` names a colour that is
checked where it is written (`SpecContext.colours`)."""
from __future__ import annotations

import re
import yaml

from ..model.issue import BLACK_COLOUR, Box, Colour
from ..util.errors import SpecError
from .convert import EXPECTED_LENGTH, LENGTH_PATTERN, TEXT, choice, length, scalar_text, text
from .nodes import Item, describe_node, did_you_mean, map_entries, scalar_value, shown
from .shapes import Key, MapOf, Record, fields_of, read_record, scalar, shaped

# Names every spec has: black (the K plate), the newspaper red of the masthead, paper white.
BUILT_IN = {
    "K": BLACK_COLOUR, "black": Colour("black", (0.0, 0.0, 0.0, 100.0)),
    "red": Colour("red", (0.0, 100.0, 100.0, 0.0)), "white": Colour("white", (0.0, 0.0, 0.0, 0.0)),
}
MAX_SPOT_NAME = 127  # bytes of a PDF name


@scalar({"type": "array", "minItems": 4, "maxItems": 4,
         "items": {"type": "number", "minimum": 0, "maximum": 100}},
        "expected four percentages [C, M, Y, K]")
def cmyk(item: Item) -> tuple[float, float, float, float]:
    expected = "expected four percentages [C, M, Y, K], each 0–100"
    node = item.node
    if not isinstance(node, yaml.SequenceNode) or len(node.value) != 4:
        found = (f"a list of {len(node.value)}" if isinstance(node, yaml.SequenceNode)
                 else describe_node(node))
        item.fail(f"{expected}, found {found}", "e.g. cmyk: [0, 100, 100, 0] for red")
    values = [scalar_value(n) for n in node.value]
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 100 for v in values):
        shown_values = ", ".join(shown(str(n.value)) if isinstance(n, yaml.ScalarNode) else "…"
                                 for n in node.value)
        item.fail(f"{expected}, found [{shown_values}]", "e.g. cmyk: [0, 100, 100, 0] for red")
    return tuple(float(v) for v in values)  # type: ignore[return-value]


COLOUR = {
    "cmyk": Key(cmyk, required=True),
    "spot": Key(text("an ink name", MAX_SPOT_NAME)),
}


class AnyColour(dict):
    """The colours when `colours:` itself could not be read (its problem recorded): every name
    counts as known, so that no `colour:` key is told its colour is missing because of that one
    problem. The spec does not load, so the stand-in colour is never drawn."""

    def __contains__(self, name: object) -> bool:
        return True

    def __missing__(self, name: str) -> Colour:
        return BLACK_COLOUR


def read_colours(item: Item) -> dict[str, Colour]:
    """The spec's colours, with the built-in names (a spec may redefine them). Each colour is read
    on its own: a broken one is recorded and stands in as black (the spec does not load), so that
    the keys naming it are not also told it is missing."""
    colours = dict(BUILT_IN)
    for name, value in map_entries(item):
        try:
            colours[name] = _colour(name, value)
        except SpecError as problem:
            item.ctx.record(problem)
            colours[name] = BLACK_COLOUR
    return colours


def _colour(name: str, value: Item) -> Colour:
    fields = fields_of(value, COLOUR)
    spot = COLOUR["spot"].convert(fields["spot"]) if "spot" in fields else None
    if spot is not None and len(spot.encode()) > MAX_SPOT_NAME:
        fields["spot"].fail(f"an ink name of {len(spot.encode())} bytes is too long: at most "
                            f"{MAX_SPOT_NAME} (a PDF name)")
    return Colour(name, cmyk(fields["cmyk"]), spot)


@scalar({"type": TEXT}, "expected a colour name")
def colour_name(item: Item) -> Colour:
    """A name in `colours:` (or a built-in one: K, black, red, white)."""
    name = scalar_text(item, "expected a colour name").strip()
    known = item.ctx.colours if item.ctx.colours is not None else BUILT_IN
    if name not in known:
        item.fail(f'no colour "{shown(name)}" in colours',
                  did_you_mean(name, known) or "colours has: " + ", ".join(shown(k) for k in known))
    return known[name]


_PERCENT = re.compile(r"^\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*%\s*$")


@scalar({"type": "string", "pattern": r"^\s*([0-9]+(\.[0-9]*)?|\.[0-9]+)\s*%\s*$"},
        "expected a percentage like 10%")
def percentage(item: Item) -> float:
    """`10%` → 0.1; at most 100%."""
    value = item.node.value if isinstance(item.node, yaml.ScalarNode) else None
    match = _PERCENT.match(value) if isinstance(value, str) else None
    if match is None or float(match[1]) > 100:
        item.fail(f"expected a percentage from 0% to 100%, found {describe_node(item.node)}",
                  "a tint is written like 10%")
    return float(match[1]) / 100


BOX_STYLES = ("solid", "double", "dashed", "花边")
BORDER_PATTERNS = ("squares", "bars", "ticks")
MAX_BOX_RULE = 12.0  # pt: a frame heavier than this is a tint or a picture, not a rule


@scalar({"type": "string", "pattern": LENGTH_PATTERN}, EXPECTED_LENGTH)
def box_rule(item: Item) -> float:
    """A box's rule width: 0 (no rule) to MAX_BOX_RULE."""
    value = length(item)
    if value > MAX_BOX_RULE:
        item.fail(f"a box rule of {value:g} pt is too heavy: at most {MAX_BOX_RULE:g} pt",
                  "a box's rule is a hairline to a few points (0.5pt, 1pt); for a heavy frame "
                  "use a tint")
    return value


BOX = {
    "rule": Key(box_rule),
    "style": Key(choice(*BOX_STYLES)),
    "tint": Key(percentage),
    "colour": Key(colour_name),
    "padding": Key(length),
    "pattern": Key(choice(*BORDER_PATTERNS)),
}


@shaped(lambda _: Record(BOX))
def box(item: Item) -> Box:
    """`box:` of a module, into the model's Box (its defaults for what is not given)."""
    return Box(**read_record(item, BOX))
COLOURS_SHAPE = MapOf(Record(COLOUR), "colour")
