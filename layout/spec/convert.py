"""Scalar converters: one spec value (text, a count, a length, a date, a file …) into a model value.

Each carries its JSON Schema fragment (`@scalar`) and phrases its own messages, which the structural
check reuses when the schema rejects a value. Text is any scalar (`headline: 2022` is the text "2022").
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from pathlib import Path

import yaml

from ..util.text import join_lines
from ..util.units import EXPECTED_LENGTH, UnitError, format_pt, parse_em, parse_length
from .nodes import YAML_SCALARS, YAML_TAG, Item, describe_node, did_you_mean, scalar_value, shown
from .shapes import Converter, scalar


SPEC_VERSIONS = (1,)


# Characters (as written) of each kind of furniture text, and of a jump template: far above any real
# paper's (the longest headline of the examples has 25), far below what would take long to set. Text
# within them that its module cannot hold is the renderer's to refuse, as a layout problem (overset
# furniture, type below 4 pt). docs/spec.md, "Limits", lists them.
LIMITS = {
    "paper.name": 2000,
    "paper.*": 2000,  # the masthead's small print: name_latin, organ_of, serial, …
    "section": 1000,
    "kicker": 1000,
    "headline": 1000,
    "subtitle": 1000,
    "byline": 1000,
    "caption": 5000,
    "lead": 5000,
    "index title": 1000,
    "jump": 200,
    "body": 200_000,  # a long feature is ~10 000; a wire dump pasted by mistake is refused at once
    "bodies": 1_000_000,  # all bodies of an issue: a 100-page daily holds ~1 000 000 characters
}


# Patterns are written for both Python's re and ECMA 262 (editors): ASCII digits, no \Z.


TEXT = ["string", "number", "boolean"]
_NUMBER = r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
_NONZERO = r"(?=[0.]*[1-9])"  # at least one digit that is not 0
LENGTH_PATTERN = rf"^\s*\+?{_NUMBER}\s*(?:mm|pt|em)\s*$"
POSITIVE_LENGTH_PATTERN = rf"^\s*\+?{_NONZERO}{_NUMBER}\s*(?:mm|pt|em)\s*$"
BODY_SIZE_PATTERN = rf"^\s*\+?{_NONZERO}{_NUMBER}\s*(?:mm|pt)\s*$"
EM_PATTERN = rf"^\s*\+?{_NUMBER}\s*em\s*$"
DATE_PATTERN = r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\s*$"


def scalar_text(item: Item, expected: str) -> str:
    """The text of a non-empty scalar as written (so `headline: 2022` is the text "2022")."""
    if not isinstance(item.node, yaml.ScalarNode) or item.is_null:
        item.fail(f"{expected}, found {describe_node(item.node)}")
    _check_characters(item, item.node.value)
    return item.node.value


_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_characters(item: Item, value: str) -> None:
    """Lone surrogates (`"\\ud800"` in a quoted YAML string) are not characters: no font or PDF has them."""
    bad = _SURROGATE.search(value)
    if bad is not None:
        item.fail(f"U+{ord(bad[0]):04X} is half of a surrogate pair, not a character",
                  'write the character itself, or escape it whole, e.g. "\\U0001F600"')


def one_line_text(item: Item) -> str:
    """One line of text (headline, caption, name): line breaks joined as in paragraphs (convention 9)."""
    value = join_lines(scalar_text(item, "expected text"))
    if not value:
        item.fail("expected text, found an empty string")
    return value


def text(what: str, limit: int) -> Converter:
    """Furniture text (`what`: "a headline") of at most `limit` characters as written. Checked before
    anything else looks at the text: a 30 MB byline is refused at once, not set (docs/spec.md, Limits)."""
    @scalar({"type": TEXT, "maxLength": limit}, "expected text")
    def convert(item: Item) -> str:
        node = item.node
        if isinstance(node, yaml.ScalarNode) and len(node.value) > limit:
            item.fail(f"{what} of {len(node.value)} characters is too long: at most {limit}",
                      "furniture is set on a few lines of its module; docs/spec.md (Limits) lists every text limit")
        return one_line_text(item)
    return convert


@scalar({"type": TEXT}, "expected a name")
def ident(item: Item) -> str:
    value = scalar_text(item, "expected a name").strip()
    if not value:
        item.fail("expected a name, found an empty string")
    return value


def integer(minimum: int) -> Converter:
    @scalar({"type": "integer", "minimum": minimum}, "expected an integer")
    def convert(item: Item) -> int:
        value = scalar_value(item.node)
        if not (isinstance(value, int) and not isinstance(value, bool)):
            item.fail(f"expected an integer, found {describe_node(item.node)}")
        if value < minimum:
            item.fail(f"expected an integer of at least {minimum}, found {shown(str(value))}")
        return value
    return convert


count = integer(1)  # columns, col, line, cols, lines, page numbers: all 1-based or at least one


@scalar({"type": "boolean"}, "expected true or false")
def boolean(item: Item) -> bool:
    value = scalar_value(item.node)
    if not isinstance(value, bool):
        item.fail(f"expected true or false, found {describe_node(item.node)}")
    return value


def choice(*options: str) -> Converter:
    @scalar({"type": "string", "enum": list(options)}, f"expected one of {', '.join(options)}")
    def convert(item: Item) -> str:
        value = scalar_text(item, f"expected one of {', '.join(options)}")
        if value not in options:
            item.fail(f"expected one of {', '.join(options)}, found {describe_node(item.node)}",
                      did_you_mean(value, options))
        return value
    return convert


MAX_LENGTH_TEXT = "10000mm"  # 10 m: far beyond any press, and well inside what floats and PDF can hold
MAX_LENGTH = 10000 * 72 / 25.4


def _length(item: Item, em: float | None) -> float:
    node = item.node
    if isinstance(node, yaml.ScalarNode) and node.tag in (YAML_TAG + "int", YAML_TAG + "float"):
        item.fail(f"{EXPECTED_LENGTH}, found {node.value}", f"lengths carry a unit, e.g. {node.value.strip()}pt")
    try:
        value = parse_length(scalar_text(item, EXPECTED_LENGTH), em)
    except UnitError as error:
        item.fail(error.problem, error.hint)
    if not abs(value) <= MAX_LENGTH:  # also catches inf and nan
        item.fail(f"expected a length of at most {MAX_LENGTH_TEXT}, found {describe_node(node)}")
    return value


@scalar({"type": "string", "pattern": LENGTH_PATTERN}, EXPECTED_LENGTH)
def length(item: Item) -> float:
    """A length of zero or more (margins, bleed, gutter, indent), in pt."""
    value = _length(item, item.ctx.em)
    if value < 0:
        item.fail(f"expected a length of 0 or more, found {describe_node(item.node)}")
    return value


@scalar({"type": "string", "pattern": POSITIVE_LENGTH_PATTERN}, EXPECTED_LENGTH)
def positive_length(item: Item) -> float:
    """A length greater than zero (sizes, leadings, trim), in pt."""
    value = _length(item, item.ctx.em)
    if value <= 0:
        item.fail(f"expected a length greater than 0, found {describe_node(item.node)}")
    return value


MIN_TYPE_SIZE = 4.0  # pt; 八号, the smallest size of the Chinese series, is 5 pt


def _check_type_size(item: Item, value: float) -> float:
    if value <= 0:
        item.fail(f"expected a length greater than 0, found {describe_node(item.node)}")
    if value < MIN_TYPE_SIZE:
        item.fail(f"expected a type size of at least {format_pt(MIN_TYPE_SIZE)}, found {describe_node(item.node)}",
                  "type smaller than that cannot be printed on newsprint or read (八号 is 5pt)")
    return value


@scalar({"type": "string", "pattern": POSITIVE_LENGTH_PATTERN}, EXPECTED_LENGTH)
def type_size(item: Item) -> float:
    """A font size (styles, headline_size), in pt; in em it is a multiple of the body size."""
    return _check_type_size(item, _length(item, item.ctx.em))


@scalar({"type": "string", "pattern": BODY_SIZE_PATTERN}, "expected a length in mm or pt")
def body_size(item: Item) -> float:
    """`styles.body.size`: the em of the whole spec, so not itself in em."""
    return _check_type_size(item, _length(item, None))


@scalar({"type": "string", "pattern": EM_PATTERN}, "expected a length in em")
def em_fraction(item: Item) -> float:
    """A length written in em, stored as the fraction of an em (typography.latin_spacing)."""
    try:
        value = parse_em(scalar_text(item, "expected a length in em"))
    except UnitError as error:
        item.fail(error.problem, error.hint)
    if value < 0:
        item.fail(f"expected a length of 0em or more, found {describe_node(item.node)}")
    if not value <= 1:  # also inf
        item.fail(f"expected a length of at most 1em, found {describe_node(item.node)}",
                  "the Han–Latin gap is a fraction of an em; clreq suggests 0.25em")
    return value


@scalar({"type": "string", "pattern": DATE_PATTERN}, "expected a date like 2022-06-16")
def date(item: Item) -> dt.date:
    """YAML reads `2022-06-16` as a date; a quoted "2022-06-16" is accepted too."""
    node = item.node
    if isinstance(node, yaml.ScalarNode) and node.tag == YAML_TAG + "timestamp":
        try:
            value = YAML_SCALARS.construct_yaml_timestamp(node)
        except ValueError:  # shaped like a date, but not one: 2024-13-02, 2024-11-31
            value = None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
    elif isinstance(node, yaml.ScalarNode) and node.tag == YAML_TAG + "str":
        try:
            return dt.date.fromisoformat(node.value.strip())
        except ValueError:
            pass
    if isinstance(node, yaml.ScalarNode):
        _check_day(item, node.value.strip())
    item.fail(f"expected a date like 2022-06-16, found {describe_node(node)}")


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def _check_day(item: Item, value: str) -> None:
    """`2024-11-31`: a real month, but a day it does not have."""
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", value)
    if not match:
        return
    year, month, day = (int(part) for part in match.groups())
    if 1 <= month <= 12 and year >= 1:
        days = calendar.monthrange(year, month)[1]
        if day > days or day == 0:
            item.fail(f"{value} does not exist: {_MONTHS[month - 1]} {year} has {days} days")


@scalar({"type": "integer", "enum": list(SPEC_VERSIONS)}, "expected a supported spec version")
def spec_version(item: Item) -> int:
    version = integer(0)(item)
    if version not in SPEC_VERSIONS:
        item.fail(f"unsupported spec version {version}",
                  f"this Broadsheet reads spec_version {', '.join(map(str, SPEC_VERSIONS))}")
    return version


# Text, `{{`, `}}`, and `{page}` at least once: the template language, and nothing more of str.format.
_TEMPLATE_PART = r"(?:[^{}]|\{\{|\}\}|\{page\})"
JUMP_PATTERN = rf"^{_TEMPLATE_PART}*\{{page\}}{_TEMPLATE_PART}*$"
_TEMPLATE_TOKEN = re.compile(r"\{\{|\}\}|\{page\}|\{[^{}]*\}|[{}]")
_TEMPLATE_RULE = "a jump template allows only {page}, and {{ and }} for literal braces"


@scalar({"type": "string", "pattern": JUMP_PATTERN, "maxLength": LIMITS["jump"]}, "expected text with {page}")
def jump_template(item: Item) -> str:
    """A jump line with `{page}` where the page number goes (`（下转第{page}版）`); `{{` and `}}` are
    braces. Nothing else of Python's format strings: `{page:>99999999}` would print 100 MB."""
    value = scalar_text(item, "expected text")
    if len(value) > LIMITS["jump"]:
        item.fail(f"a jump template of {len(value)} characters is too long: at most {LIMITS['jump']}",
                  "a jump line is one line of a column, e.g. （下转第{page}版）")
    tokens = _TEMPLATE_TOKEN.findall(value)
    for token in tokens:
        if token in ("{{", "}}", "{page}"):
            continue
        if len(token) == 1:
            item.fail(f'a lone "{token}" in "{shown(value)}"', _TEMPLATE_RULE)
        item.fail(f"unknown placeholder {shown(token)}", _TEMPLATE_RULE)
    if "{page}" not in tokens:
        item.fail(f'"{shown(value)}" has no {{page}}', "write {page} where the page number goes, e.g. （下转第{page}版）")
    return value


@scalar({"type": "string"}, "expected a file name")
def image_file(item: Item, what: str = "an image file") -> Path:
    """An image file (or `what`), relative to the spec's folder; it must exist."""
    name = scalar_text(item, "expected a file name")
    path = file_path(item, name)
    try:
        found = path.is_file()
    except (OSError, ValueError) as error:
        item.fail(f'cannot use the file name "{shown(name)}"', str(getattr(error, "strerror", None) or error))
    if not found:
        if path.exists():  # a folder, a device, a pipe: there, but not a file to read
            item.fail(f'"{shown(name, 80)}" is not a regular file', f"{path} is there but is not {what}")
        item.fail(f'no file "{shown(name, 80)}"', f"looked for {path}")
    return path


@scalar({"type": "string"}, "expected a file name")
def picture_file(item: Item) -> Path:
    """`images.*.file`: an existing file that is not a PDF (a PDF ad is an `ad:` module's, placed
    whole as a form); the renderer judges the picture itself."""
    path = image_file(item)
    if _starts_with(path, b"%PDF-"):
        item.fail(f'"{shown(item.node.value, 80)}" is a PDF, not a picture file (JPEG or PNG)',
                  "an ad is placed by an ad: module, whole and at its own size: list it under ads: "
                  "(ads: {ID: {file: ad.pdf}}) and place it with {ad: ID, col: …}")
    return path


def _starts_with(path: Path, magic: bytes) -> bool:
    """Whether the file's first bytes are `magic`; an unreadable file is left to the renderer to name."""
    try:
        with open(path, "rb") as f:
            return f.read(len(magic)) == magic
    except OSError:
        return False


@scalar({"type": "string"}, "expected a file name")
def profile_file(item: Item) -> Path:
    """An ICC profile file, relative to the spec's folder; it must exist."""
    return image_file(item, "an ICC profile file")


@scalar({"type": "integer", "minimum": 100, "maximum": 400}, "expected a percentage of ink")
def ink_limit(item: Item) -> float:
    """Total ink in per cent (C+M+Y+K), 100–400."""
    value = scalar_value(item.node)
    if not (isinstance(value, int) and not isinstance(value, bool)) or not 100 <= value <= 400:
        item.fail(f"expected a total ink limit between 100 and 400 (per cent), found {describe_node(item.node)}")
    return float(value)


def file_path(item: Item, name: str) -> Path:
    """A file name relative to the spec's folder, absolute; `~` is the home folder."""
    try:
        return (item.ctx.folder / Path(name).expanduser()).resolve()
    except (OSError, ValueError, RuntimeError) as error:  # NUL in the name, ~nosuchuser, …
        item.fail(f'cannot use the file name "{shown(name)}"', str(getattr(error, "strerror", None) or error))


@scalar({"type": "string"}, "expected a font name or font file")
def font(item: Item) -> str:
    """A face's full name, or a font file (resolved against the spec's folder, not checked here)."""
    value = scalar_text(item, "expected a font name or font file").strip()
    if "/" in value or value.lower().endswith((".ttf", ".otf", ".ttc")):
        return str(file_path(item, value))
    return value
