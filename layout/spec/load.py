"""Load an issue spec (YAML, format v1) into the frozen model of `layout.model`.

The YAML is only *composed* (safe loader, no Python objects, no constructor): we convert the node tree
ourselves so that every value keeps its line, and every mistake can be reported as
`file:line: key.path: what is wrong` with an optional hint line (see docs/spec.md, "Errors").

Each spec mapping is described by a key table (`dict[str, Key]`): allowed keys, which are required, and
the converter of each value. Adding a key to the format is one line in its table (plus the model field,
a row in docs/spec.md and `python -m layout.schema`).

The key tables are also the source of the format's JSON Schema (`json_schema()`, published as
layout/spec.schema.json by layout/schema.py): every converter carries its *shape*, which writes its
schema fragment. Loading is: compose the YAML; check `spec_version`; validate the whole spec against
the schema with jsonschema, recording every problem at its YAML node in the loader's own words
(`check_structure`); then convert section by section, with the checks a schema cannot express (grid,
overlaps, references, chains, files). Every independent problem is collected (`_Context.record`) and
all are raised at the end as one error, in file order (`errors.SpecProblems`); a part whose value has
a problem is not converted, and what depends on it is not checked (see `_Loader`).
"""
from __future__ import annotations

import calendar
import datetime as dt
import difflib
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Mapping, NoReturn

import yaml
from yaml.constructor import SafeConstructor

from . import schemacheck
from ..util.errors import SpecError, escape, spec_problems
from ..model.grid import column_width, lines_per_page, type_height, type_width
from ..model.issue import (
    STYLE_NAMES, Article, Format, Image, Index, IndexItem, Issue, IssueInfo, Jumps, Module, Page, Paper,
    Output, SourceRef, Style, Typography, module_of_kind,
)
from ..model.story import Block, plain_body
from ..util.text import join_lines, split_paragraphs
from ..util.units import EXPECTED_LENGTH, UnitError, format_pt, parse_em, parse_length, split_length

SPEC_VERSIONS = (1,)
MODULE_KINDS = ("masthead", "article", "continue", "image", "index")

_TAG = "tag:yaml.org,2002:"
# Scalar construction only (int, bool, timestamp): these methods keep no state between calls.
_YAML = SafeConstructor()
_MISSING = object()


# --- Nodes with their place in the spec ---------------------------------------------------------------

@dataclass
class _Context:
    """What converters need besides their node. Mutable on purpose: `em` (the body size) is known only
    once `styles.body.size` has been read, which must happen before any other length is converted;
    and `problems` collects every independent problem of the spec, to be reported in one run."""

    file: str  # the spec path as the user gave it, for messages
    folder: Path  # absolute folder of the spec, for relative file names
    em: float | None = None
    problems: list[SpecError] = field(default_factory=list)
    _at: set[str] = field(default_factory=set)  # the key paths of the problems
    _within: set[str] = field(default_factory=set)  # ... and every path around them

    def record(self, problem: SpecError) -> None:
        self.problems.append(problem)
        self._at.add(problem.path)
        self._within.update(_outer_paths(problem.path))

    def has_problem_at(self, path: str) -> bool:
        """A problem of the value at `path` itself (not inside it): wrong type, unknown key in it."""
        return path in self._at

    def has_problem_in(self, path: str) -> bool:
        """A problem at `path` or anywhere inside its value: converting it would meet it again."""
        return path in self._within

    def covered(self, path: str) -> bool:
        """A problem already recorded at `path` or around it, of which a problem here is a consequence."""
        return any(outer in self._at for outer in _outer_paths(path))


def _outer_paths(path: str) -> list[str]:
    """`pages[0].modules[1].cols` → itself, `pages[0].modules[1]`, `pages[0].modules`, `pages[0]`,
    `pages` (never the root `""`: a problem of the root mapping blocks no section)."""
    ends = [m.start() for m in re.finditer(r"[.\[]", path) if m.start() > 0]
    return [path[:end] for end in ends] + ([path] if path else [])


@dataclass(frozen=True)
class Item:
    """A YAML node, its key path (`pages[0].modules[3].cols`) and the line to report it at."""

    node: yaml.Node
    path: str
    line: int
    ctx: _Context

    def fail(self, problem: str, hint: str | None = None) -> NoReturn:
        raise self.error(problem, hint)

    def error(self, problem: str, hint: str | None = None) -> SpecError:
        return SpecError(self.ctx.file, self.line, self.path, problem, hint)

    @property
    def source(self) -> SourceRef:
        return SourceRef(self.ctx.file, self.line, self.path)

    @property
    def is_null(self) -> bool:
        return isinstance(self.node, yaml.ScalarNode) and self.node.tag == _TAG + "null"


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _join(path: str, key: str) -> str:
    """A mapping key added to a key path. Keys come from the user: a long or odd one is shown
    shortened and escaped, as values are, and quoted (`fonts["a b"]`)."""
    plain = len(key) <= 40 and re.fullmatch(r"[\w-]+", key)
    if not path:
        return key if plain else f'"{_shown(key)}"'
    return f"{path}.{key}" if plain else f'{path}["{_shown(key)}"]'


def _describe(node: yaml.Node) -> str:
    """How a found value is named in "expected X, found Y"."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == _TAG + "null":
        return "nothing"
    value = _shown(node.value)
    return f'"{value}"' if node.tag == _TAG + "str" else value


def _shown(text: str, limit: int = 40) -> str:
    """A value as messages show it: at most `limit` characters, control characters escaped."""
    return escape(text if len(text) <= limit else text[:limit - 1] + "…")


def _scalar_value(node: yaml.Node) -> Any:
    """A scalar as YAML types it: int, float, bool or None; dates and everything else stay text.
    For the JSON instance that the schema checks, and for the integer and boolean converters."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    try:
        if node.tag == _TAG + "int":
            return _YAML.construct_yaml_int(node)
        if node.tag == _TAG + "float":
            return _YAML.construct_yaml_float(node)
        if node.tag == _TAG + "bool":
            return _YAML.construct_yaml_bool(node)
    except (ValueError, KeyError):  # shaped like a number but not one: `0b_`, `._`
        return node.value
    if node.tag == _TAG + "null":
        return None
    return node.value


def _did_you_mean(word: str, options: Any) -> str | None:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f'did you mean "{close[0]}"?' if close else None


# --- Mappings, lists and key tables -------------------------------------------------------------------

Converter = Callable[[Item], Any]


@dataclass(frozen=True)
class Key:
    """One key of a spec mapping. `convert` None: the loader converts the value itself (root sections),
    and `shape` says what the value looks like; otherwise the converter carries its shape."""

    convert: Converter | None = None
    required: bool = False
    attr: str | None = None  # model field name, when it is not the key (`jumps.from` → `from_`)
    default: Any = _MISSING  # filled in when the key is absent; else the model's own default applies
    shape: Shape | None = None

    @property
    def kind(self) -> Shape:
        shape = self.shape or getattr(self.convert, "shape", None)
        assert shape is not None, "a key needs a shape: a shaped converter or Key(shape=…)"
        return shape


# --- Shapes: what each value looks like, for the JSON schema and for phrasing its errors -------------
#
# Every converter carries a shape (`convert.shape`). `Shape.schema()` writes the JSON Schema fragment
# of a value (layout/spec.schema.json is generated from the key tables through them, see
# layout/schema.py); when jsonschema rejects a value, the shape at that place phrases the message.

@dataclass
class SchemaWriter:
    """Collects `$defs` while shapes write their fragments. `describe` maps a doc path
    (`format.trim.width`, `pages[].modules[].col`, `articles.*.body`, `style.size`) to the
    description shown as hover help; the loader's own schema has none."""

    describe: Callable[[str], str | None] = lambda doc: None
    defs: dict[str, Any] = field(default_factory=dict)

    def described(self, doc: str, fragment: dict[str, Any]) -> dict[str, Any]:
        text = self.describe(doc)
        return {"description": text, **fragment} if text else fragment


class Shape:
    """Subclasses have `expected`: the start of a message about a value of this shape."""

    expected: str

    def schema(self, doc: str, out: SchemaWriter) -> dict[str, Any]:
        raise NotImplementedError

    def child(self, step: str | int) -> Shape | None:
        return None


@dataclass(frozen=True, eq=False)
class Scalar(Shape):
    """A leaf value. Its converter phrases the message when the schema rejects the value."""

    fragment: dict[str, Any]
    expected: str  # "expected an integer": the message when the converter itself finds nothing wrong
    convert: Converter

    def schema(self, doc: str, out: SchemaWriter) -> dict[str, Any]:
        return json.loads(json.dumps(self.fragment))  # a copy: callers add to it


@dataclass(frozen=True, eq=False)
class Record(Shape):
    """A mapping with the keys of a key table. `name`: emitted once under `$defs` (styles)."""

    table: Mapping[str, Key]
    name: str | None = None
    expected = "expected a mapping"

    def schema(self, doc: str, out: SchemaWriter) -> dict[str, Any]:
        if self.name is None:
            return {"type": "object", **self._body(doc, out)}
        if self.name not in out.defs:
            out.defs[self.name] = {}  # reserved first: a record may not contain itself, but be safe
            out.defs[self.name] = self._body(self.name, out)
        # No "type" in the def, so that an optional use may add "null" beside the reference.
        return {"type": "object", "$ref": f"#/$defs/{self.name}"}

    def _body(self, doc: str, out: SchemaWriter) -> dict[str, Any]:
        properties = {}
        for key, spec in self.table.items():
            fragment = spec.kind.schema(_doc_join(doc, key), out)
            if not spec.required:
                fragment = _nullable(fragment)
            properties[key] = out.described(_doc_join(doc, key), fragment)
        body: dict[str, Any] = {"properties": properties}
        required = [key for key, spec in self.table.items() if spec.required]
        if required:
            body["required"] = required
        body["additionalProperties"] = False
        return body

    def child(self, step: str | int) -> Shape | None:
        return self.table[step].kind if step in self.table else None


@dataclass(frozen=True, eq=False)
class MapOf(Shape):
    """A mapping with free keys (ids, font roles), each value of one shape."""

    values: Shape
    what: str  # "font role": for "expected at least one font role"
    minimum: int = 0
    expected = "expected a mapping"

    def schema(self, doc: str, out: SchemaWriter) -> dict[str, Any]:
        values = out.described(_doc_join(doc, "*"), self.values.schema(_doc_join(doc, "*"), out))
        fragment: dict[str, Any] = {"type": "object", "additionalProperties": values}
        if self.minimum:
            fragment["minProperties"] = self.minimum
        return fragment

    def child(self, step: str | int) -> Shape | None:
        return self.values if isinstance(step, str) else None


@dataclass(frozen=True, eq=False)
class ListOf(Shape):
    """A non-empty list, each item of one shape."""

    items: Shape
    what: str  # "modules": for "expected a list of modules"

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"expected a list of {self.what}"

    def schema(self, doc: str, out: SchemaWriter) -> dict[str, Any]:
        items = out.described(doc + "[]", self.items.schema(doc + "[]", out))
        return {"type": "array", "minItems": 1, "items": items}

    def child(self, step: str | int) -> Shape | None:
        return self.items if isinstance(step, int) else None


def _doc_join(doc: str, key: str) -> str:
    return f"{doc}.{key}" if doc else key


def _nullable(fragment: dict[str, Any]) -> dict[str, Any]:
    """An optional key may be left empty (`number:`): empty means absent (docs/spec.md)."""
    fragment = dict(fragment)
    types = fragment.get("type")
    if isinstance(types, str):
        fragment["type"] = [types, "null"]
    elif isinstance(types, list) and "null" not in types:
        fragment["type"] = [*types, "null"]
    if "enum" in fragment and None not in fragment["enum"]:
        fragment["enum"] = [*fragment["enum"], None]
    return fragment


def _shaped(shape_of: Callable[[Converter], Shape]) -> Callable[[Converter], Converter]:
    """Decorator: attach a shape to a converter (the shape may refer back to the converter)."""
    def attach(convert: Converter) -> Converter:
        convert.shape = shape_of(convert)  # type: ignore[attr-defined]
        return convert
    return attach


def scalar(fragment: dict[str, Any], expected: str) -> Callable[[Converter], Converter]:
    return _shaped(lambda convert: Scalar(fragment, expected, convert))


def _pairs(item: Item) -> list[tuple[str, Item]]:
    """The key/value items of a mapping, in order; rejects non-mappings, odd keys and duplicate keys."""
    if not isinstance(item.node, yaml.MappingNode):
        item.fail(f"expected a mapping, found {_describe(item.node)}")
    pairs: list[tuple[str, Item]] = []
    first_line: dict[str, int] = {}
    for key_node, value_node in item.node.value:
        line = _line(key_node)
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _TAG + "null":
            raise SpecError(item.ctx.file, line, item.path, f"expected a key name, found {_describe(key_node)}")
        key = key_node.value
        tag = None if key_node.tag in _RESOLVED_KEY_TAGS else _tag_problem(key_node)
        if tag:  # `!!python/object:os.system name: …`: refused on a key as on a value
            raise SpecError(item.ctx.file, line, _join(item.path, key), *tag)
        if key in first_line:
            raise SpecError(item.ctx.file, line, item.path, f'duplicate key "{_shown(key)}"',
                            f"first given at line {first_line[key]}")
        first_line[key] = line
        pairs.append((key, Item(value_node, _join(item.path, key), line, item.ctx)))
    return pairs


def _first_pairs(item: Item | None) -> dict[str, Item]:
    """The keys of a mapping and their values, the first of duplicates, skipping odd keys; never
    fails (the structural check has reported what is wrong): for looking values up."""
    if item is None or not isinstance(item.node, yaml.MappingNode):
        return {}
    pairs: dict[str, Item] = {}
    for key_node, value_node in item.node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value not in pairs:
            pairs[key_node.value] = Item(value_node, _join(item.path, key_node.value), _line(key_node), item.ctx)
    return pairs


def _tag_problem(node: yaml.Node) -> tuple[str, str] | None:
    """The problem and hint for a YAML tag a spec may not use (`!!python/…`, `!foo`), or None."""
    if node.tag.startswith(_TAG) and node.tag[len(_TAG):] in _PLAIN_TAGS:
        return None
    return (f"unsupported YAML tag {_shown(node.tag.replace(_TAG, '!!'), 80)}",
            "a spec is plain YAML: mappings, lists, text, numbers, true/false and dates")


def _unknown_key(item: Item, index: int, table: Mapping[str, Key]) -> SpecError:
    """The error for the key at `index` of the mapping `item`, which `table` does not have."""
    key_node = item.node.value[index][0]
    key = key_node.value
    hint = (_did_you_mean(key, table) if len(key) <= 100 else None) or "expected one of: " + ", ".join(table)
    if key == "<<":
        hint = "YAML merge keys (<<) are not supported; anchors and aliases are"
    split = _split_by_comma(item, index)
    if split:
        hint = split
    return SpecError(item.ctx.file, _line(key_node), item.path, f'unknown key "{_shown(key)}"', hint)


def _split_by_comma(item: Item, index: int) -> str | None:
    """`{caption: 成交額20,953點}`: in a {…} mapping the comma ends the value, and `953點` reads as a
    key. Recognised by a key that starts with a digit and has no value, after a value that ends with
    one; the hint says to quote the text."""
    node = item.node
    if not node.flow_style or index == 0:
        return None
    key_node, value_node = node.value[index]
    before_key, before = node.value[index - 1]
    plain = (isinstance(n, yaml.ScalarNode) and not n.style for n in (key_node, before))  # libyaml: ""
    if not all(plain) or not isinstance(before_key, yaml.ScalarNode):
        return None
    empty = isinstance(value_node, yaml.ScalarNode) and value_node.tag == _TAG + "null"
    if not (empty and key_node.value[:1].isdigit() and before.value[-1:].isdigit()):
        return None
    whole = _shown(f"{before.value},{key_node.value}", 60)
    return (f'the comma in {whole} ends the value inside {{…}}; quote the text: '
            f'{_shown(before_key.value)}: "{whole}"')


def _fields(item: Item, table: Mapping[str, Key]) -> dict[str, Item]:
    """The values of a mapping described by `table`. An optional key with an empty value counts as absent."""
    fields: dict[str, Item] = {}
    for index, (key, value) in enumerate(_pairs(item)):
        if key not in table:
            raise _unknown_key(item, index, table)
        if not (value.is_null and not table[key].required):
            fields[key] = value
    for key, spec in table.items():
        if spec.required and key not in fields:
            item.fail(f'missing required key "{key}"')
    return fields


def _convert(fields: Mapping[str, Item], table: Mapping[str, Key]) -> dict[str, Any]:
    """Converted values by model field name, with the table's defaults for absent keys."""
    values: dict[str, Any] = {}
    for key, spec in table.items():
        name = spec.attr or key
        if spec.convert is None:  # the loader converts this one itself (it needs other sections)
            continue
        if key in fields:
            values[name] = spec.convert(fields[key])
        elif spec.default is not _MISSING:
            values[name] = spec.default
    return values


def _read(item: Item, table: Mapping[str, Key]) -> dict[str, Any]:
    return _convert(_fields(item, table), table)


def _record(cls: type, table: Mapping[str, Key]) -> Converter:
    """Converter of a mapping straight into a model dataclass."""
    return _shaped(lambda _: Record(table))(lambda item: cls(**_read(item, table)))


def _nested(table: Mapping[str, Key]) -> Converter:
    """Converter of a sub-mapping whose values are merged into the parent's record (`format.trim`)."""
    return _shaped(lambda _: Record(table))(lambda item: _read(item, table))


def _entries(item: Item) -> list[tuple[str, Item]]:
    """A mapping with free keys (ids, font roles)."""
    return _pairs(item)


def _elements(item: Item, what: str) -> list[Item]:
    """The items of a non-empty list."""
    if not isinstance(item.node, yaml.SequenceNode):
        item.fail(f"expected a list of {what}, found {_describe(item.node)}")
    if not item.node.value:
        item.fail(f"expected a list of {what}, found an empty list")
    return [Item(node, f"{item.path}[{i}]", _line(node), item.ctx) for i, node in enumerate(item.node.value)]


def _list_of(convert: Converter, what: str) -> Converter:
    return _shaped(lambda _: ListOf(convert.shape, what))(  # type: ignore[attr-defined]
        lambda item: tuple(convert(element) for element in _elements(item, what)))


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
    "index title": 1000,
    "jump": 200,
}


# --- Scalar converters --------------------------------------------------------------------------------
#
# Each carries its JSON Schema fragment. Text is any scalar (`headline: 2022` is the text "2022").
# Patterns are written for both Python's re and ECMA 262 (editors): ASCII digits, no \Z.

TEXT = ["string", "number", "boolean"]
_NUMBER = r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
_NONZERO = r"(?=[0.]*[1-9])"  # at least one digit that is not 0
LENGTH_PATTERN = rf"^\s*\+?{_NUMBER}\s*(?:mm|pt|em)\s*$"
POSITIVE_LENGTH_PATTERN = rf"^\s*\+?{_NONZERO}{_NUMBER}\s*(?:mm|pt|em)\s*$"
BODY_SIZE_PATTERN = rf"^\s*\+?{_NONZERO}{_NUMBER}\s*(?:mm|pt)\s*$"
EM_PATTERN = rf"^\s*\+?{_NUMBER}\s*em\s*$"
DATE_PATTERN = r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\s*$"


def _scalar(item: Item, expected: str) -> str:
    """The text of a non-empty scalar as written (so `headline: 2022` is the text "2022")."""
    if not isinstance(item.node, yaml.ScalarNode) or item.is_null:
        item.fail(f"{expected}, found {_describe(item.node)}")
    _check_characters(item, item.node.value)
    return item.node.value


_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_characters(item: Item, value: str) -> None:
    """Lone surrogates (`"\\ud800"` in a quoted YAML string) are not characters: no font or PDF has them."""
    bad = _SURROGATE.search(value)
    if bad is not None:
        item.fail(f"U+{ord(bad[0]):04X} is half of a surrogate pair, not a character",
                  'write the character itself, or escape it whole, e.g. "\\U0001F600"')


def _text(item: Item) -> str:
    """One line of text (headline, caption, name): line breaks joined as in paragraphs (convention 9)."""
    value = join_lines(_scalar(item, "expected text"))
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
        return _text(item)
    return convert


@scalar({"type": TEXT}, "expected a name")
def ident(item: Item) -> str:
    value = _scalar(item, "expected a name").strip()
    if not value:
        item.fail("expected a name, found an empty string")
    return value


def integer(minimum: int) -> Converter:
    @scalar({"type": "integer", "minimum": minimum}, "expected an integer")
    def convert(item: Item) -> int:
        value = _scalar_value(item.node)
        if not (isinstance(value, int) and not isinstance(value, bool)):
            item.fail(f"expected an integer, found {_describe(item.node)}")
        if value < minimum:
            item.fail(f"expected an integer of at least {minimum}, found {_shown(str(value))}")
        return value
    return convert


count = integer(1)  # columns, col, line, cols, lines, page numbers: all 1-based or at least one


@scalar({"type": "boolean"}, "expected true or false")
def boolean(item: Item) -> bool:
    value = _scalar_value(item.node)
    if not isinstance(value, bool):
        item.fail(f"expected true or false, found {_describe(item.node)}")
    return value


def choice(*options: str) -> Converter:
    @scalar({"type": "string", "enum": list(options)}, f"expected one of {', '.join(options)}")
    def convert(item: Item) -> str:
        value = _scalar(item, f"expected one of {', '.join(options)}")
        if value not in options:
            item.fail(f"expected one of {', '.join(options)}, found {_describe(item.node)}",
                      _did_you_mean(value, options))
        return value
    return convert


MAX_LENGTH_TEXT = "10000mm"  # 10 m: far beyond any press, and well inside what floats and PDF can hold
MAX_LENGTH = 10000 * 72 / 25.4
MAX_PAGE = 14400.0  # pt: the largest page PDF readers accept (200 in, without UserUnit)


def _length(item: Item, em: float | None) -> float:
    node = item.node
    if isinstance(node, yaml.ScalarNode) and node.tag in (_TAG + "int", _TAG + "float"):
        item.fail(f"{EXPECTED_LENGTH}, found {node.value}", f"lengths carry a unit, e.g. {node.value.strip()}pt")
    try:
        value = parse_length(_scalar(item, EXPECTED_LENGTH), em)
    except UnitError as error:
        item.fail(error.problem, error.hint)
    if not abs(value) <= MAX_LENGTH:  # also catches inf and nan
        item.fail(f"expected a length of at most {MAX_LENGTH_TEXT}, found {_describe(node)}")
    return value


@scalar({"type": "string", "pattern": LENGTH_PATTERN}, EXPECTED_LENGTH)
def length(item: Item) -> float:
    """A length of zero or more (margins, bleed, gutter, indent), in pt."""
    value = _length(item, item.ctx.em)
    if value < 0:
        item.fail(f"expected a length of 0 or more, found {_describe(item.node)}")
    return value


@scalar({"type": "string", "pattern": POSITIVE_LENGTH_PATTERN}, EXPECTED_LENGTH)
def positive_length(item: Item) -> float:
    """A length greater than zero (sizes, leadings, trim), in pt."""
    value = _length(item, item.ctx.em)
    if value <= 0:
        item.fail(f"expected a length greater than 0, found {_describe(item.node)}")
    return value


MIN_TYPE_SIZE = 4.0  # pt; 八号, the smallest size of the Chinese series, is 5 pt


def _check_type_size(item: Item, value: float) -> float:
    if value <= 0:
        item.fail(f"expected a length greater than 0, found {_describe(item.node)}")
    if value < MIN_TYPE_SIZE:
        item.fail(f"expected a type size of at least {format_pt(MIN_TYPE_SIZE)}, found {_describe(item.node)}",
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
        value = parse_em(_scalar(item, "expected a length in em"))
    except UnitError as error:
        item.fail(error.problem, error.hint)
    if value < 0:
        item.fail(f"expected a length of 0em or more, found {_describe(item.node)}")
    if not value <= 1:  # also inf
        item.fail(f"expected a length of at most 1em, found {_describe(item.node)}",
                  "the Han–Latin gap is a fraction of an em; clreq suggests 0.25em")
    return value


@scalar({"type": "string", "pattern": DATE_PATTERN}, "expected a date like 2022-06-16")
def date(item: Item) -> dt.date:
    """YAML reads `2022-06-16` as a date; a quoted "2022-06-16" is accepted too."""
    node = item.node
    if isinstance(node, yaml.ScalarNode) and node.tag == _TAG + "timestamp":
        try:
            value = _YAML.construct_yaml_timestamp(node)
        except ValueError:  # shaped like a date, but not one: 2024-13-02, 2024-11-31
            value = None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
    elif isinstance(node, yaml.ScalarNode) and node.tag == _TAG + "str":
        try:
            return dt.date.fromisoformat(node.value.strip())
        except ValueError:
            pass
    if isinstance(node, yaml.ScalarNode):
        _check_day(item, node.value.strip())
    item.fail(f"expected a date like 2022-06-16, found {_describe(node)}")


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
    value = _scalar(item, "expected text")
    if len(value) > LIMITS["jump"]:
        item.fail(f"a jump template of {len(value)} characters is too long: at most {LIMITS['jump']}",
                  "a jump line is one line of a column, e.g. （下转第{page}版）")
    tokens = _TEMPLATE_TOKEN.findall(value)
    for token in tokens:
        if token in ("{{", "}}", "{page}"):
            continue
        if len(token) == 1:
            item.fail(f'a lone "{token}" in "{_shown(value)}"', _TEMPLATE_RULE)
        item.fail(f"unknown placeholder {_shown(token)}", _TEMPLATE_RULE)
    if "{page}" not in tokens:
        item.fail(f'"{_shown(value)}" has no {{page}}', "write {page} where the page number goes, e.g. （下转第{page}版）")
    return value


_EMPTY_BODY = "an article needs its text; remove the article if it has none"


@scalar({"type": TEXT}, "expected text")
def body(item: Item) -> tuple[Block, ...]:
    """Article text split into paragraphs (convention 9); not made full-width here (the composer does)."""
    if item.is_null:
        item.fail("empty body", _EMPTY_BODY)
    paragraphs = split_paragraphs(_scalar(item, "expected text"))
    if not paragraphs:
        item.fail("empty body", _EMPTY_BODY)
    return plain_body(paragraphs)


@scalar({"type": "string"}, "expected a file name")
def image_file(item: Item, what: str = "an image file") -> Path:
    """An image file (or `what`), relative to the spec's folder; it must exist."""
    name = _scalar(item, "expected a file name")
    path = _file_path(item, name)
    try:
        found = path.is_file()
    except (OSError, ValueError) as error:
        item.fail(f'cannot use the file name "{_shown(name)}"', str(getattr(error, "strerror", None) or error))
    if not found:
        if path.exists():  # a folder, a device, a pipe: there, but not a file to read
            item.fail(f'"{_shown(name, 80)}" is not a regular file', f"{path} is there but is not {what}")
        item.fail(f'no file "{_shown(name, 80)}"', f"looked for {path}")
    return path


@scalar({"type": "string"}, "expected a file name")
def picture_file(item: Item) -> Path:
    """`images.*.file`: an existing file that is not a PDF (the usual ad format, which an image
    module does not place yet); the renderer judges the picture itself."""
    path = image_file(item)
    if _starts_with(path, b"%PDF-"):
        item.fail(f'"{_shown(item.node.value, 80)}" is a PDF, not a picture file (JPEG or PNG)',
                  "an image module does not place PDF ads yet; export the ad as a JPEG or PNG at its printed size")
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
    value = _scalar_value(item.node)
    if not (isinstance(value, int) and not isinstance(value, bool)) or not 100 <= value <= 400:
        item.fail(f"expected a total ink limit between 100 and 400 (per cent), found {_describe(item.node)}")
    return float(value)


def _file_path(item: Item, name: str) -> Path:
    """A file name relative to the spec's folder, absolute; `~` is the home folder."""
    try:
        return (item.ctx.folder / Path(name).expanduser()).resolve()
    except (OSError, ValueError, RuntimeError) as error:  # NUL in the name, ~nosuchuser, …
        item.fail(f'cannot use the file name "{_shown(name)}"', str(getattr(error, "strerror", None) or error))


@scalar({"type": "string"}, "expected a font name or font file")
def font(item: Item) -> str:
    """A face's full name, or a font file (resolved against the spec's folder, not checked here)."""
    value = _scalar(item, "expected a font name or font file").strip()
    if "/" in value or value.lower().endswith((".ttf", ".otf", ".ttc")):
        return str(_file_path(item, value))
    return value


# --- Key tables: one per spec mapping -----------------------------------------------------------------

PAPER = {
    "name": Key(text("a paper name", LIMITS["paper.name"]), required=True),
    **{key: Key(text("a masthead text", LIMITS["paper.*"]))
       for key in ("name_latin", "organ_of", "rating", "serial", "sponsor", "publisher", "editor_in_chief")},
}

ISSUE = {
    "date": Key(date, required=True),
    "number": Key(count),
    "pages_total": Key(count),
}

TRIM = {
    "width": Key(positive_length, required=True, attr="trim_width"),
    "height": Key(positive_length, required=True, attr="trim_height"),
}

MARGINS = {
    "top": Key(length, required=True, attr="margin_top"),
    "bottom": Key(length, required=True, attr="margin_bottom"),
    "inside": Key(length, required=True, attr="margin_inside"),
    "outside": Key(length, required=True, attr="margin_outside"),
}

FORMAT = {
    "trim": Key(_nested(TRIM), required=True),
    "bleed": Key(length, default=0.0),
    "margins": Key(_nested(MARGINS), required=True),
    "columns": Key(count, required=True),
    "gutter": Key(length, required=True),
    "column_rules": Key(boolean),
}

STYLE = {
    "font": Key(ident),
    "size": Key(type_size),
    "leading": Key(positive_length),
    "indent": Key(length),
}
BODY_STYLE = {**STYLE, "font": Key(ident, required=True), "size": Key(body_size, required=True)}
STYLES = {name: Key(required=True, shape=Record(BODY_STYLE)) if name == "body" else
          Key(shape=Record(STYLE, name="style")) for name in STYLE_NAMES}

TYPOGRAPHY = {
    "fullwidth_punctuation": Key(boolean),
    "prohibition": Key(choice("none", "basic", "gb", "strict")),
    "latin_spacing": Key(em_fraction),
    "missing_glyphs": Key(choice("error", "warn")),
}

OUTPUT = {
    "standard": Key(choice("none", "pdf/x-4")),
    "profile": Key(profile_file),
    "ink_limit": Key(ink_limit),
}

JUMPS = {
    "to": Key(jump_template),
    "from": Key(jump_template, attr="from_"),
    "numerals": Key(choice("chinese", "arabic")),
}

IMAGE = {
    "file": Key(picture_file, required=True),
    "caption": Key(text("a caption", LIMITS["caption"])),
}

INDEX_ITEM = {
    "kicker": Key(text("a kicker", LIMITS["kicker"])),
    "headline": Key(text("a headline", LIMITS["headline"]), required=True),
    "subtitle": Key(text("a subtitle", LIMITS["subtitle"])),
    "page": Key(count),
}

INDEX = {
    "title": Key(text("an index title", LIMITS["index title"]), default=None),
    "items": Key(_list_of(_record(IndexItem, INDEX_ITEM), "index items"), required=True),
}

ARTICLE = {
    "kicker": Key(text("a kicker", LIMITS["kicker"])),
    "headline": Key(text("a headline", LIMITS["headline"]), default=None),
    "subtitle": Key(text("a subtitle", LIMITS["subtitle"])),
    "byline": Key(text("a byline", LIMITS["byline"])),
    "body": Key(body, required=True),
}

MODULE = {
    "masthead": Key(boolean),
    "article": Key(ident),
    "continue": Key(ident),
    "image": Key(ident),
    "index": Key(ident),
    "col": Key(count, required=True),
    "line": Key(count, required=True),
    "cols": Key(count, required=True),
    "lines": Key(count, required=True),
    "headline_size": Key(type_size),
}

PAGE = {
    "number": Key(count, required=True),
    "section": Key(text("a section name", LIMITS["section"]), default=None),
    "modules": Key(required=True, shape=ListOf(Record(MODULE), "modules")),  # converted by the loader
}

ROOT = {
    "spec_version": Key(spec_version, required=True),
    "paper": Key(required=True, shape=Record(PAPER)),
    "issue": Key(required=True, shape=Record(ISSUE)),
    "format": Key(required=True, shape=Record(FORMAT)),
    "fonts": Key(required=True, shape=MapOf(font.shape, "font role", minimum=1)),  # type: ignore[attr-defined]
    "styles": Key(required=True, shape=Record(STYLES)),
    "typography": Key(shape=Record(TYPOGRAPHY)),
    "jumps": Key(shape=Record(JUMPS)),
    "output": Key(shape=Record(OUTPUT)),
    "pages": Key(required=True, shape=ListOf(Record(PAGE), "pages")),
    "images": Key(shape=MapOf(Record(IMAGE), "image")),
    "indexes": Key(shape=MapOf(Record(INDEX), "index")),
    "articles": Key(shape=MapOf(Record(ARTICLE), "article")),
}
ROOT_SHAPE = Record(ROOT)


# --- The JSON schema and the structural check -----------------------------------------------------------

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
MAX_VALUES = 100_000  # values of a spec once YAML aliases are expanded ("billion laughs" guard)
MAX_SPEC_BYTES = 32 * 2**20
MAX_DEPTH = 64  # nesting of mappings and lists; a spec needs 6
# Tags the safe loader gives plain values: the explicit `!!str 2022` is fine, `!!python/…` and `!foo` not.
_PLAIN_TAGS = {"str", "int", "float", "bool", "null", "timestamp", "map", "seq"}
# What PyYAML resolves the plain keys `<<` and `=` to: unknown keys (with a hint for `<<`), not tags.
_RESOLVED_KEY_TAGS = {_TAG + "merge", _TAG + "value"}


def json_schema(describe: Callable[[str], str | None] | None = None) -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of format v1, generated from the key tables. `describe` adds
    hover help (layout/schema.py takes it from docs/spec.md); the loader validates without it."""
    out = SchemaWriter(describe) if describe else SchemaWriter()
    body = ROOT_SHAPE.schema("", out)
    document: dict[str, Any] = {
        "$schema": SCHEMA_DIALECT,
        "title": f"Broadsheet issue spec (format v{SPEC_VERSIONS[-1]})",
    }
    text = out.describe("")
    if text:
        document["description"] = text
    document.update(body)
    if out.defs:
        document["$defs"] = out.defs
    return document


_VALIDATOR: Any = None
_SCHEMA: dict[str, Any] | None = None


def _schema() -> dict[str, Any]:
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = json_schema()
    return _SCHEMA


def _validator() -> Any:
    global _VALIDATOR
    if _VALIDATOR is None:
        from jsonschema import Draft202012Validator  # imported only to word a broken spec's errors
        _VALIDATOR = Draft202012Validator(_schema())
    return _VALIDATOR


def check_structure(root: Item) -> None:
    """Validate the spec against the JSON schema; record every problem (in `root.ctx`) as a SpecError
    at the line of its YAML node, phrased by the shape of the value (as the converters phrase it).
    Raises only for a spec that cannot be walked at all (recursive aliases, too deep, too large)."""
    ctx = root.ctx
    instance = _instance(root)
    try:
        if not ctx.problems and schemacheck.is_valid(instance, _schema()):
            return
    except schemacheck.Unsupported:
        pass  # a keyword the quick check does not know: jsonschema decides
    walked = list(ctx.problems)  # tags and duplicate keys: what the schema finds inside them follows
    # Lengths in em can be phrased before the body size (the em) has been read.
    phrasing = Item(root.node, root.path, root.line, replace(ctx, em=1.0, problems=[]))
    found: list[SpecError] = []
    for error in _validator().iter_errors(instance):
        found.extend(_schema_errors(phrasing, error))
    seen = {(p.line, p.path, p.problem) for p in walked}
    for problem in sorted(found, key=lambda p: p.line or 0):
        if (problem.line, problem.path, problem.problem) in seen or ctx.covered(problem.path):
            continue
        seen.add((problem.line, problem.path, problem.problem))
        ctx.record(problem)


def _instance(root: Item) -> Any:
    """The spec as JSON-like data (dicts, lists, str, int, float, bool, None) for jsonschema. Records
    what JSON cannot hold (duplicate keys, keys that are not text, tags); raises for what would not
    end: recursive aliases, too deep nesting, and aliases that expand beyond MAX_VALUES values."""
    done: dict[int, tuple[Any, int]] = {}  # id(node) → (value, values it expands to); aliases share nodes
    active: set[int] = set()
    ctx = root.ctx

    def walk(item: Item, depth: int) -> tuple[Any, int]:
        node = item.node
        if id(node) in done:
            return done[id(node)]
        if id(node) in active:
            item.fail("this value contains itself (a recursive alias)", "an alias cannot refer to a value around it")
        if depth > MAX_DEPTH:
            item.fail(f"the spec is nested more than {MAX_DEPTH} levels deep")
        tag = _tag_problem(node)
        if tag:
            ctx.record(SpecError(ctx.file, item.line, item.path, *tag))
        active.add(id(node))
        size = 1
        value: Any
        if isinstance(node, yaml.MappingNode):
            value = {}
            for key, child in _walkable_pairs(item):
                value[key], n = walk(child, depth + 1)
                size += n
        elif isinstance(node, yaml.SequenceNode):
            value = []
            for i, child_node in enumerate(node.value):
                child_value, n = walk(Item(child_node, f"{item.path}[{i}]", _line(child_node), item.ctx), depth + 1)
                value.append(child_value)
                size += n
        else:
            value = _scalar_value(node)
        if size > MAX_VALUES:
            item.fail(f"more than {MAX_VALUES} values once YAML aliases are expanded",
                      "an alias repeats everything its anchor holds")
        active.discard(id(node))
        done[id(node)] = (value, size)
        return value, size

    return walk(root, 0)[0]


def _walkable_pairs(item: Item) -> list[tuple[str, Item]]:
    """`_pairs`, recording its problem instead of raising it: then the first of each key, for the
    schema to look at (what it finds in this mapping is not reported: it follows from this one)."""
    try:
        return _pairs(item)
    except SpecError as problem:
        item.ctx.record(problem)
        return list(_first_pairs(item).items())


def _child(item: Item, step: str | int) -> Item:
    """The item at one step of a jsonschema error path (the first of duplicate keys)."""
    node = item.node
    if isinstance(step, int):
        assert isinstance(node, yaml.SequenceNode)
        return Item(node.value[step], f"{item.path}[{step}]", _line(node.value[step]), item.ctx)
    assert isinstance(node, yaml.MappingNode)
    for key_node, value_node in node.value:
        if key_node.value == step:
            return Item(value_node, _join(item.path, step), _line(key_node), item.ctx)
    raise KeyError(step)


def _schema_errors(root: Item, error: Any) -> list[SpecError]:
    """A jsonschema error as SpecErrors at its YAML node, in the words of the loader: one per key
    for unknown and missing keys. A missing key that an unknown key in the same mapping misspells
    ("did you mean") is not reported twice."""
    item, shape = root, ROOT_SHAPE
    for step in error.absolute_path:
        item = _child(item, step)
        shape = shape.child(step) if shape is not None else None
    kind = error.validator
    if kind == "required" and isinstance(shape, Record):
        unknown = [k.value for k, _ in item.node.value if isinstance(k, yaml.ScalarNode) and k.value not in shape.table]
        meant = {difflib.get_close_matches(key, list(shape.table), n=1)[0] for key in unknown
                 if len(key) <= 100 and difflib.get_close_matches(key, list(shape.table), n=1)}
        return [SpecError(item.ctx.file, item.line, item.path, f'missing required key "{key}"')
                for key, spec in shape.table.items()
                if spec.required and key not in error.instance and key not in meant]
    if kind == "additionalProperties" and isinstance(shape, Record):
        return [_unknown_key(item, index, shape.table) for index, (k, _) in enumerate(item.node.value)
                if isinstance(k, yaml.ScalarNode) and k.value not in shape.table]
    try:
        if kind == "minItems" and isinstance(shape, ListOf):
            item.fail(f"{shape.expected}, found an empty list")
        if kind == "minProperties" and isinstance(shape, MapOf):
            item.fail(f"expected at least one {shape.what}, found an empty mapping")
        if isinstance(shape, Scalar):
            shape.convert(item)  # the converter says what is wrong, as it would without the schema
        if shape is not None:  # ... or it is stricter than the converter: say what the schema wants
            item.fail(f"{shape.expected}, found {_describe(item.node)}")
        item.fail(error.message)  # not reached while every value has a shape
    except SpecError as spec_error:
        return [spec_error]


# --- Style defaults -----------------------------------------------------------------------------------

def _pt(value: float) -> float:
    return round(value, 2)  # derived sizes: 0.9 × 9 pt is 8.1 pt, not 8.100000000000001


# Every style but `body` may be left out or given in part; what is missing comes from here. Each entry
# sees the styles before it in STYLE_NAMES (final, with the spec's values), so `continued_headline`
# follows a headline style the spec changed. Documented in docs/spec.md, "Styles".
DEFAULT_STYLES: dict[str, Callable[[Mapping[str, Style]], Style]] = {
    "kicker": lambda s: Style(s["body"].font, 12.0),
    "headline": lambda s: Style(s["body"].font, 20.0),
    "subtitle": lambda s: Style(s["body"].font, 12.0),
    "byline": lambda s: Style(s["body"].font, s["body"].size),
    "caption": lambda s: Style(s["body"].font, _pt(0.9 * s["body"].size)),
    "jump": lambda s: replace(s["body"], indent=0.0),
    "continued_headline": lambda s: Style(
        s["headline"].font, _pt(max(1.6 * s["body"].size, 0.6 * s["headline"].size))),
    "index_title": lambda s: Style(s["headline"].font, _pt(1.8 * s["body"].size)),
    "index_item": lambda s: Style(s["headline"].font, _pt(1.35 * s["body"].size)),
    # Not the body size: index copy must not read as a column of body text.
    "index_small": lambda s: Style(s["subtitle"].font, _pt(1.15 * s["body"].size)),
    "header": lambda s: Style(s["body"].font, SMALL_PRINT),
    "masthead": lambda s: Style(s["headline"].font, _pt(3 * s["headline"].size)),
    "masthead_small": lambda s: Style(s["body"].font, SMALL_PRINT),
}
BODY_LEADING = 1.2  # × body size, when styles.body.leading is left out
SMALL_PRINT = 10.5  # 五号: page header and masthead particulars, independent of the body size


def _like_body(styles: Mapping[str, Style]) -> Style:
    """Fallback for a style name added to the model before it got a default here (a test flags it)."""
    return Style(styles["body"].font, styles["body"].size)


# --- Geometry the loader checks against ---------------------------------------------------------------

def _a(number: int) -> str:
    """The article before a number said aloud: "an 8-column grid", "an 18-line page", "a 120-line page"."""
    digits = str(number)
    head = digits[:len(digits) % 3 or 3]  # the group that is said first: 18 in 18000, 120 in 120
    return "an" if head.startswith("8") or head in ("11", "18") else "a"


@dataclass(frozen=True)
class _Grid:
    columns: int
    lines: int
    why: str  # how `lines` was computed, for the hint of line errors

    def problems(self, fields: Mapping[str, Item], values: Mapping[str, int]) -> list[SpecError]:
        """A module's problems with the grid: at most one across and one down."""
        found = (self._check_axis(fields["col"], fields["cols"], values["col"], values["cols"],
                                  self.columns, "column", f"{_a(self.columns)} {self.columns}-column grid", None),
                 self._check_axis(fields["line"], fields["lines"], values["line"], values["lines"],
                                  self.lines, "line", f"{_a(self.lines)} {self.lines}-line page", self.why))
        return [problem for problem in found if problem is not None]

    @staticmethod
    def _check_axis(start_item: Item, size_item: Item, start: int, size: int, limit: int,
                    unit: str, grid: str, why: str | None) -> SpecError | None:
        if size > limit:
            return size_item.error(f"{size} {unit}s on {grid}", why)
        if start > limit:
            return start_item.error(f"{unit} {start} on {grid}", why)
        if start + size - 1 > limit:
            room = f"starting at {unit} {start}, the module can take at most {limit - start + 1} {unit}s"
            return size_item.error(f"{unit}s {start}-{start + size - 1} on {grid}", f"{room}; {why}" if why else room)
        return None


def _grid_why(styles: Item, fmt: Format, body: Style, lines: int) -> str:
    """How the lines per page follow from the type height and the body leading, as the leading was
    written; and, when the leading (or the body size it defaults from) is in mm where a number of
    points was plainly meant (`leading: 12mm` for a 10pt body), what was meant."""
    given = _first_pairs(_first_pairs(styles).get("body"))
    leading, size = given.get("leading"), given.get("size")
    written = format_pt(body.leading or 0)
    meant = None
    if leading is not None and not leading.is_null:
        number, unit = split_length(str(leading.node.value))
        if unit != "pt":
            written = f"{leading.node.value.strip()} = {written}"
        if unit == "mm" and body.size <= number <= 2.5 * body.size:
            meant = f"did you mean leading: {number:g}pt?"
    else:
        written = f"{written} (1.2 × the body size)"
        number, unit = split_length(str(size.node.value)) if size is not None else (0.0, "")
        if unit == "mm" and 5 <= number <= 14:  # a body size in points, written in mm by mistake
            meant = f"did you mean size: {number:g}pt?"
    why = f"lines per page = floor(type height {format_pt(type_height(fmt))} ÷ body leading {written}) = {lines}"
    return f"{why}; {meant}" if meant else why


@dataclass(frozen=True)
class _LastPage:
    """`issue.pages_total`, when given, bounds page numbers: those of the pages (so no story continues
    on a page the issue does not have) and those an index box refers to."""

    total: int | None
    item: Item | None

    def check(self, item: Item, number: int) -> None:
        if self.total is not None and self.item is not None and number > self.total:
            item.fail(f"page {number} in {_a(self.total)} {self.total}-page issue",
                      f"issue.pages_total is {self.total} (line {self.item.line})")

    def index_problems(self, indexes_item: Item | None, indexes: Mapping[str, Index]) -> list[SpecError]:
        """The index items (of the indexes that were read) that name a page past the last."""
        if self.total is None or indexes_item is None:
            return []
        problems = []
        for index_id, entry in _first_pairs(indexes_item).items():
            if index_id not in indexes:
                continue
            for k, index_item in enumerate(indexes[index_id].items):
                if index_item.page is not None and index_item.page > self.total:
                    element = _elements(_fields(entry, INDEX)["items"], "index items")[k]
                    try:
                        self.check(_fields(element, INDEX_ITEM)["page"], index_item.page)
                    except SpecError as problem:
                        problems.append(problem)
        return problems


@dataclass(frozen=True)
class _Records:
    """An id → record section (images, indexes, articles) as far as it could be read: the records
    that converted, the ids whose records did not, and whether the section could be read at all.
    A module that names a broken id is not told that the id is missing."""

    records: dict[str, Any]
    broken: frozenset[str] = frozenset()
    readable: bool = True

    def can_tell(self, ref: str) -> bool:
        return self.readable and ref not in self.broken


# --- The loader ---------------------------------------------------------------------------------------

def load_issue(path: str | Path) -> Issue:
    """Read and check an issue spec. Raises SpecError (with file, line and key path) on any mistake."""
    file = str(path)
    root = _compose(file, Path(path))
    return _Loader(root.ctx).load(root)


_FAILED = object()


def _compose_fast(source: str) -> Any:
    """libyaml's composer when PyYAML has it (about 5× faster); `_FAILED` on any error, which the
    pure-Python composer then reports in its own (tested) words."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        return _FAILED
    try:
        return yaml.compose(source, Loader=loader)
    except (yaml.YAMLError, RecursionError, ValueError):
        return _FAILED


def _check_depth(file: str, source: str) -> None:
    """Refuse a spec nested more than MAX_DEPTH levels before composing it: libyaml's composer
    recurses in C and a few ten thousand levels crash the process. The parser is iterative, so
    its events are followed instead (~1 ms for a spec), keeping the key path for the message; a
    syntax error is left to the composer to word."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    frames: list[list] = []  # per open collection: [path, is_mapping, expecting_key, key or index]
    try:
        for event in yaml.parse(source, Loader=loader):
            if isinstance(event, yaml.CollectionEndEvent):
                frames.pop()
                continue
            if not isinstance(event, (yaml.NodeEvent)):
                continue
            path = ""
            if frames:
                frame = frames[-1]
                if frame[1] and frame[2]:  # a mapping key: scalars in a spec, but YAML allows more
                    frame[2], frame[3] = False, getattr(event, "value", "?")
                    if isinstance(event, yaml.CollectionStartEvent):  # `? [k]`: its own frame
                        frames.append([f"{frame[0]}?", isinstance(event, yaml.MappingStartEvent),
                                       True, 0])
                    continue
                if frame[1]:
                    frame[2] = True
                    path = _join(frame[0], str(frame[3]))
                else:
                    path = f"{frame[0]}[{frame[3]}]"
                    frame[3] += 1
                if len(frames) > MAX_DEPTH:
                    raise SpecError(file, event.start_mark.line + 1, path,
                                    f"the spec is nested more than {MAX_DEPTH} levels deep")
            if isinstance(event, yaml.CollectionStartEvent):
                frames.append([path, isinstance(event, yaml.MappingStartEvent), True, 0])
    except (yaml.YAMLError, ValueError, RecursionError):
        return


def _compose(file: str, path: Path) -> Item:
    try:
        if path.exists() and not path.is_file() and not path.is_dir():  # a pipe would block forever
            raise SpecError(file, None, "", "cannot read the spec: not a regular file")
        with open(path, "rb") as f:  # bounded: a device or a runaway file must not fill the memory
            data = f.read(MAX_SPEC_BYTES + 1)
    except OSError as error:
        raise SpecError(file, None, "", f"cannot read the spec: {error.strerror or error}") from None
    if len(data) > MAX_SPEC_BYTES:
        raise SpecError(file, None, "", f"the spec is larger than {MAX_SPEC_BYTES // 2**20} MB",
                        "a spec is text: a whole 24-page edition is under 1 MB")
    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise SpecError(file, line, "", "the spec is not UTF-8 text") from None
    _check_depth(file, source)
    node = _compose_fast(source)
    try:
        if node is _FAILED:  # let the pure-Python loader phrase the error, with its line
            node = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        raise _tab_error(file, source, error) or _yaml_error(file, error) from None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow (control characters)
        line = source[:error.position].count("\n") + 1
        what = f"U+{error.character:04X}" if isinstance(error.character, int) else repr(error.character)
        raise SpecError(file, line, "", f"YAML syntax error: unacceptable character {what}: {error.reason}",
                        "YAML text may not contain control characters; remove it") from None
    except yaml.YAMLError as error:  # any other unmarked error
        raise SpecError(file, None, "", f"YAML syntax error: {error}") from None
    except RecursionError:  # PyYAML composes nested collections recursively
        raise SpecError(file, None, "", "the spec is nested too deeply to read",
                        f"a spec needs a few levels; at most {MAX_DEPTH} are allowed") from None
    if node is None:
        raise SpecError(file, 1, "", "the spec is empty")
    return Item(node, "", 1, _Context(file, path.resolve().parent))


_TAB_INDENT = re.compile(r"^[ ]*\t[ \t]*(?=\S)", re.MULTILINE)
_TAB_REACH = 2  # lines before the error at which a tab is still its cause


def _tab_error(file: str, source: str, error: yaml.MarkedYAMLError) -> SpecError | None:
    """A spec that does not parse, with a line indented with a tab at or just before the error
    (PyYAML words it "mapping values are not allowed here", on the next line): the error is that
    line's tab. Only then, and only near the error: a tab may stand in the text of a `|` block."""
    mark = error.problem_mark or error.context_mark
    last = mark.line + 1 if mark else source.count("\n") + 1
    line, at, counted = None, 1, 0
    for match in _TAB_INDENT.finditer(source):
        at += source.count("\n", counted, match.start())  # counted on from the last match: linear
        counted = match.start()
        if at > last:
            break
        line, column = at, match.group().index("\t") + 1
    if line is None or line < last - _TAB_REACH:
        return None
    return SpecError(file, line, "", "YAML syntax error: this line is indented with a tab; YAML forbids tabs "
                     "for indentation", f"indent with spaces (the tab is at column {column})")


def _yaml_error(file: str, error: yaml.MarkedYAMLError) -> SpecError:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else None
    hint = None
    if error.context and error.context_mark and error.context_mark.line + 1 != line:
        hint = f"{error.context} at line {error.context_mark.line + 1}"
    elif error.context:
        hint = error.context
    return SpecError(file, line, "", f"YAML syntax error: {error.problem or error.context}", hint)


class _Loader:
    """Converts the root mapping section by section; sections that depend on others come after them.

    Every independent part (a section, an image, index or article, a page, a module) is converted on
    its own: its problem is recorded and the next part goes on, so that one run reports every problem
    that does not follow from another. What depends on a part that failed is not checked: without
    `styles.body.size` (the em) neither `format`, `styles` nor `pages`; without the format or the
    styles no module's place on the grid; without every page and module no chain; a module that
    names a broken article, image or index is not told that it does not exist."""

    def __init__(self, ctx: _Context):
        self.ctx = ctx

    def load(self, root: Item) -> Issue:
        version = self._spec_version(root)  # first: a newer spec may have keys we do not know
        check_structure(root)  # then everything the JSON schema says: types, units, keys
        ctx, sections = self.ctx, _first_pairs(root)
        section = lambda key: _given(sections, key)  # noqa: E731
        body = _first_pairs(section("styles")).get("body")
        em = self._try(_first_pairs(body).get("size"), body_size)
        ctx.em = None if em is _FAILED else em
        # A required section that is missing has been reported: it counts as failed (`_FAILED`).
        paper = self._try(section("paper"), _record(Paper, PAPER), _FAILED)
        issue_read = self._try(section("issue"), self._issue, _FAILED)
        issue, last_page = (_FAILED, _LastPage(None, None)) if issue_read is _FAILED else issue_read
        fonts = self._try(section("fonts"), self._fonts, _FAILED)
        fmt = styles = grid = pages = _FAILED
        if ctx.em is not None:  # lengths in em can be converted
            fmt = self._try(section("format"), self._format, _FAILED)
            styles = self._try(section("styles"), lambda item: self._styles(item, fonts, fmt), _FAILED)
        if fmt is not _FAILED and styles is not _FAILED:
            grid = self._try(section("styles"), lambda item: self._grid(item, fmt, styles["body"]))
        typography = self._try(section("typography"), _record(Typography, TYPOGRAPHY), Typography())
        jumps = self._try(section("jumps"), _record(Jumps, JUMPS), Jumps())
        output = self._try(section("output"), _record(Output, OUTPUT), Output())
        images = self._records(section("images"), Image, IMAGE)
        indexes = self._records(section("indexes"), Index, INDEX)
        for problem in last_page.index_problems(section("indexes"), indexes.records):
            ctx.record(problem)
        articles = self._records(section("articles"), Article, ARTICLE)
        refs = {"article": articles, "continue": articles, "image": images, "index": indexes}
        if ctx.em is not None:
            pages = self._pages(section("pages"), None if grid is _FAILED else grid, refs, last_page)
        if pages is not _FAILED and articles.readable:
            for problem in _chain_problems(pages, articles.records):
                ctx.record(problem)
        if ctx.problems:
            raise spec_problems(_in_file_order(ctx.problems))
        parts = (paper, issue, fmt, fonts, styles, typography, jumps, output, pages)
        assert all(part is not _FAILED for part in parts), "a part failed without a problem"
        return Issue(
            source=Path(self.ctx.file).resolve(),
            spec_version=version,
            paper=paper,
            issue=issue,
            format=fmt,
            fonts=fonts,
            styles=styles,
            typography=typography,
            jumps=jumps,
            pages=pages,
            images=images.records,
            indexes=indexes.records,
            articles=articles.records,
            output=output,
        )

    def _try(self, item: Item | None, convert: Callable[[Item], Any], absent: Any = None) -> Any:
        """`convert(item)`, or `absent` when there is no item. `_FAILED` when the item has a problem
        already (found by the structural check) or its conversion meets one (recorded here)."""
        if item is None:
            return absent
        if self.ctx.has_problem_in(item.path):
            return _FAILED
        try:
            return convert(item)
        except SpecError as problem:
            self.ctx.record(problem)
            return _FAILED

    # Sections ----------------------------------------------------------------------------------------

    def _spec_version(self, root: Item) -> int:
        found = [value for key, value in _pairs(root) if key == "spec_version"]
        if not found:
            root.fail('missing required key "spec_version"', f"this Broadsheet reads spec_version {SPEC_VERSIONS[-1]}")
        return spec_version(found[0])

    @staticmethod
    def _issue(item: Item) -> tuple[IssueInfo, _LastPage]:
        fields = _fields(item, ISSUE)
        issue = IssueInfo(**_convert(fields, ISSUE))
        return issue, _LastPage(issue.pages_total, fields.get("pages_total"))

    @staticmethod
    def _fonts(item: Item) -> dict[str, str]:
        fonts = {role: font(value) for role, value in _entries(item)}
        if not fonts:
            item.fail("expected at least one font role, found an empty mapping")
        return fonts

    def _format(self, item: Item) -> Format:
        fields = _fields(item, FORMAT)
        values = _convert(fields, FORMAT)
        fmt = Format(**values.pop("trim"), **values.pop("margins"), **values)
        if type_width(fmt) <= 0 or type_height(fmt) <= 0:
            fields["margins"].fail("the margins leave no type area",
                                   f"trim {format_pt(fmt.trim_width)} × {format_pt(fmt.trim_height)}")
        for length, key in ((fmt.trim_width, "width"), (fmt.trim_height, "height")):
            sheet = length + 2 * fmt.bleed
            if _exceeds(sheet, MAX_PAGE):
                where = fields["bleed"] if "bleed" in fields and not _exceeds(length, MAX_PAGE) else \
                    _fields(fields["trim"], TRIM)[key]
                where.fail(f"a sheet of {_pt_above(sheet, MAX_PAGE)} with its bleed is larger than "
                           f"a PDF page can be ({format_pt(MAX_PAGE)}, 5080 mm)",
                           f"trim {key} {format_pt(length, 3)}, bleed {format_pt(fmt.bleed, 3)} on each side")
        if column_width(fmt) <= 0:
            fields["columns"].fail(f"{fmt.columns} columns with {format_pt(fmt.gutter)} gutters do not fit "
                                   f"the type width of {format_pt(type_width(fmt))}")
        return fmt

    def _styles(self, item: Item, fonts: Any, fmt: Any) -> Any:
        """The styles, each given style read on its own; font roles checked when the fonts could be
        read, indents when the format could."""
        items = _fields(item, STYLES)
        given = {name: self._try(value, lambda v, name=name: self._style_values(
                     v, BODY_STYLE if name == "body" else STYLE, None if fonts is _FAILED else fonts))
                 for name, value in items.items()}
        if any(values is _FAILED for values in given.values()):
            return _FAILED
        column = None if fmt is _FAILED else column_width(fmt)
        for name, values in given.items():
            fields = _fields(items[name], BODY_STYLE if name == "body" else STYLE)
            if column is not None and values.get("indent") is not None and values["indent"] >= column:
                fields["indent"].fail(
                    f"an indent of {format_pt(values['indent'])} is as wide as the column or wider "
                    f"({format_pt(column)})", "a paragraph indent is usually 2em")
        body_style = Style(**given["body"])
        if body_style.leading is None:  # the grid needs it; fill it in so every stage uses the same value
            body_style = replace(body_style, leading=_pt(BODY_LEADING * body_style.size))
        styles = {"body": body_style}
        for name in STYLE_NAMES[1:]:  # in order: derived styles see the final headline style
            default = DEFAULT_STYLES.get(name, _like_body)(styles)
            styles[name] = replace(default, **given.get(name, {}))
        for name, values in given.items():  # against the final size, given or by default
            style = styles[name]
            if values.get("leading") is not None and style.leading < style.size:
                _fields(items[name], BODY_STYLE if name == "body" else STYLE)["leading"].fail(
                    f"a leading of {format_pt(style.leading)} is less than the type size of "
                    f"{format_pt(style.size)}", "lines would overprint; a leading is usually 1.2–1.5 × the size")
        return styles

    @staticmethod
    def _grid(styles: Item, fmt: Format, body_style: Style) -> _Grid:
        lines = lines_per_page(fmt, body_style.leading or BODY_LEADING * body_style.size)
        why = _grid_why(styles, fmt, body_style, lines)
        if lines < 1:
            styles.fail("the body leading is taller than the type area", why)
        return _Grid(fmt.columns, lines, why)

    @staticmethod
    def _style_values(item: Item, table: Mapping[str, Key], fonts: Mapping[str, str] | None) -> dict[str, Any]:
        fields = _fields(item, table)
        values = _convert(fields, table)
        role = values.get("font")
        if role is not None and fonts is not None and role not in fonts:
            fields["font"].fail(f'no font role "{_shown(role)}" in fonts',
                                _did_you_mean(role, fonts) or "fonts has: " + ", ".join(fonts))
        return values

    def _records(self, item: Item | None, cls: type, table: Mapping[str, Key]) -> _Records:
        """An id → record mapping (images, indexes, articles), each record read on its own."""
        if item is None:
            return _Records({})
        if self.ctx.has_problem_at(item.path):  # not a mapping, or a duplicate id: no id can be told
            return _Records({}, readable=False)
        records: dict[str, Any] = {}
        broken: set[str] = set()
        for key, value in _first_pairs(item).items():
            record = self._try(value, lambda v: cls(id=key, source=v.source, **_read(v, table)))
            if record is _FAILED:
                broken.add(key)
            else:
                records[key] = record
        return _Records(records, frozenset(broken))

    # Pages and modules -------------------------------------------------------------------------------

    def _pages(self, item: Item | None, grid: _Grid | None, refs: Mapping[str, _Records],
               last_page: _LastPage) -> Any:
        """The pages, each page and module read on its own; `_FAILED` when any could not be."""
        if item is None or self.ctx.has_problem_at(item.path):
            return _FAILED
        numbers: dict[int, Item] = {}
        pages = [self._page(page_item, grid, refs, last_page, numbers) for page_item in _elements(item, "pages")]
        return _FAILED if _FAILED in pages else tuple(pages)

    def _page(self, item: Item, grid: _Grid | None, refs: Mapping[str, _Records],
              last_page: _LastPage, numbers: dict[int, Item]) -> Any:
        if self.ctx.has_problem_at(item.path):  # not a mapping, an unknown or a missing key
            return _FAILED
        fields = _first_pairs(item)

        def page_number(number_item: Item) -> int:
            number = count(number_item)
            if number in numbers:
                first = numbers[number]
                number_item.fail(f"page {number} is defined twice", f"first at {first.path} (line {first.line})")
            numbers[number] = item
            last_page.check(number_item, number)
            return number

        number = self._try(fields.get("number"), page_number)
        section = self._try(_given(fields, "section"), PAGE["section"].convert)
        modules = self._modules(fields["modules"], grid, refs)
        if _FAILED in (number, section, modules):
            return _FAILED
        return Page(number=number, section=section, modules=modules, source=item.source)

    def _modules(self, item: Item, grid: _Grid | None, refs: Mapping[str, _Records]) -> Any:
        if self.ctx.has_problem_at(item.path):
            return _FAILED
        modules = [self._try(m, lambda m: self._module(m, grid, refs)) for m in _elements(item, "modules")]
        read = tuple(module for module in modules if module is not _FAILED)
        for problem in _overlaps(read):
            self.ctx.record(problem)
        return read if len(read) == len(modules) else _FAILED

    def _module(self, item: Item, grid: _Grid | None, refs: Mapping[str, _Records]) -> Module:
        """A module; its problems with the grid are recorded (its place is still known, for overlaps)."""
        fields = _fields(item, MODULE)
        values = _convert(fields, MODULE)
        kind = _module_kind(item, fields)
        if kind == "masthead" and not values["masthead"]:
            fields["masthead"].fail("expected true, found false", "a masthead module is written masthead: true")
        ref = None if kind == "masthead" else values[kind]
        if ref is not None and refs[kind].can_tell(ref) and ref not in refs[kind].records:
            what, section = _REFERS_TO[kind]
            known = list(refs[kind].records) + sorted(refs[kind].broken)
            listed = ", ".join(_shown(k) for k in known[:12]) + (", …" if len(known) > 12 else "")
            fields[kind].fail(f'no {what} "{_shown(ref)}" in {section}', _did_you_mean(ref, known)
                              or (f"{section} has: {listed}" if known else f"the spec has no {section}"))
        if "headline_size" in fields and kind not in ("article", "continue"):
            fields["headline_size"].fail(f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} module has no headline",
                                         "headline_size applies to article and continue modules")
        for problem in grid.problems(fields, values) if grid is not None else ():
            self.ctx.record(problem)
        return module_of_kind(kind=kind, ref=ref, col=values["col"], line=values["line"], cols=values["cols"],
                      lines=values["lines"], headline_size=values.get("headline_size"), source=item.source)


def _given(fields: Mapping[str, Item], key: str) -> Item | None:
    """A key's value; None when it is absent or empty (empty means absent)."""
    item = fields.get(key)
    return None if item is None or item.is_null else item


def _in_file_order(problems: list[SpecError]) -> list[SpecError]:
    """Problems by line (in the order found within a line), each once."""
    seen: set[tuple[int | None, str, str]] = set()
    ordered = []
    for problem in sorted(problems, key=lambda p: p.line or 0):
        if (problem.line, problem.path, problem.problem) not in seen:
            seen.add((problem.line, problem.path, problem.problem))
            ordered.append(problem)
    return ordered


def _exceeds(value: float, limit: float) -> bool:
    """`value > limit`, for lengths made of mm: 5074 mm + 2 × 3 mm is 5080 mm, not 5080.000000001."""
    return round(value, 6) > limit


def _pt_above(value: float, limit: float) -> str:
    """`value` in pt with enough decimals to show that it is more than `limit` (which `_exceeds` said)."""
    digits = next((d for d in range(2, 6) if round(value, d) > limit), 6)
    return format_pt(value, digits)


# What the id of each module kind names, and the section that defines it.
_REFERS_TO = {"article": ("article", "articles"), "continue": ("article", "articles"),
              "image": ("image", "images"), "index": ("index", "indexes")}


def _module_kind(item: Item, fields: Mapping[str, Item]) -> str:
    kinds = [kind for kind in MODULE_KINDS if kind in fields]
    if len(kinds) != 1:
        found = " and ".join(kinds) if kinds else "none"
        item.fail(f"expected exactly one of {', '.join(MODULE_KINDS)}, found {found}")
    return kinds[0]


# --- Checks across modules ----------------------------------------------------------------------------

def _describe_module(module: Module) -> str:
    return "the masthead" if module.kind == "masthead" else f'{module.kind} "{_shown(module.ref or "")}"'


def _where(module: Module) -> str:
    assert module.source is not None
    return f"{module.source.path} (line {module.source.line})"


def _problem_at(module: Module, key: str, problem: str, hint: str | None = None) -> SpecError:
    assert module.source is not None
    src = module.source
    return SpecError(src.file, src.line, _join(src.path, key) if key else src.path, problem, hint)


def _span(first: int, last: int, unit: str) -> str:
    return f"{unit} {first}" if first == last else f"{unit}s {first}-{last}"


def _overlaps(modules: tuple[Module, ...]) -> list[SpecError]:
    """Convention 4: modules own whole grid cells, so two must not share one. Each module that
    overlaps an earlier one is named once, with the first it overlaps."""
    problems = []
    for i, later in enumerate(modules):
        for earlier in modules[:i]:
            cols = (max(earlier.col, later.col), min(earlier.col + earlier.cols, later.col + later.cols) - 1)
            lines = (max(earlier.line, later.line), min(earlier.line + earlier.lines, later.line + later.lines) - 1)
            if cols[0] <= cols[1] and lines[0] <= lines[1]:
                problems.append(_problem_at(
                    later, "", f"{_describe_module(later)} overlaps {_describe_module(earlier)} at {_where(earlier)}",
                    f"both take {_span(*cols, 'column')}, {_span(*lines, 'line')}"))
                break
    return problems


def _chain_problems(pages: tuple[Page, ...], articles: Mapping[str, Article]) -> list[SpecError]:
    """Convention 6: a story is one `article:` module, then `continue:` modules after it in page order
    (page number, then list order on the page); every article is placed."""
    placed = sorted((((page.number, i), module) for page in pages for i, module in enumerate(page.modules)),
                    key=lambda entry: entry[0])
    problems = []
    starts: dict[str, tuple[tuple[int, int], Module]] = {}
    for position, module in placed:
        if module.kind == "article" and module.ref is not None:
            if module.ref in starts:
                problems.append(_problem_at(
                    module, "article", f'article "{_shown(module.ref)}" is placed twice',
                    f'first at {_where(starts[module.ref][1])}; use "continue: {_shown(module.ref)}" '
                    "for the rest of the story"))
                continue
            starts[module.ref] = (position, module)
    for position, module in placed:
        if module.kind != "continue" or module.ref is None:
            continue
        if module.ref not in starts:
            problems.append(_problem_at(
                module, "continue", f'article "{_shown(module.ref)}" has no article: module',
                f'a story opens with "article: {_shown(module.ref)}"; its continue: modules come after it'))
            continue
        start_position, start = starts[module.ref]
        if position < start_position:
            problems.append(_problem_at(
                module, "continue", f'continues article "{_shown(module.ref)}" before it starts',
                f"it starts at {_where(start)}; a continuation goes on a later page, or after it on the same page"))
    for article_id, article in articles.items():
        if article_id not in starts:
            assert article.source is not None
            problems.append(SpecError(article.source.file, article.source.line, article.source.path,
                                      f'article "{_shown(article_id)}" is never placed',
                                      f'place it with an "article: {_shown(article_id)}" module, or remove it'))
    return problems
