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
the schema with jsonschema, reporting the first problem in the file at its YAML node in the loader's
own words (`check_structure`); then convert section by section, with the checks a schema cannot
express (grid, overlaps, references, chains, files).
"""
from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import string
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Mapping, NoReturn

import yaml
from yaml.constructor import SafeConstructor

from . import schemacheck
from .errors import SpecError
from .grid import column_width, lines_per_page, type_height, type_width
from .model import (
    STYLE_NAMES, Article, Format, Image, Index, IndexItem, Issue, IssueInfo, Jumps, Module, Page, Paper,
    Output, SourceRef, Style, Typography,
)
from .text import join_lines, split_paragraphs
from .units import EXPECTED_LENGTH, UnitError, format_pt, parse_em, parse_length

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
    once `styles.body.size` has been read, which must happen before any other length is converted."""

    file: str  # the spec path as the user gave it, for messages
    folder: Path  # absolute folder of the spec, for relative file names
    em: float | None = None


@dataclass(frozen=True)
class Item:
    """A YAML node, its key path (`pages[0].modules[3].cols`) and the line to report it at."""

    node: yaml.Node
    path: str
    line: int
    ctx: _Context

    def fail(self, problem: str, hint: str | None = None) -> NoReturn:
        raise SpecError(self.ctx.file, self.line, self.path, problem, hint)

    @property
    def source(self) -> SourceRef:
        return SourceRef(self.ctx.file, self.line, self.path)

    @property
    def is_null(self) -> bool:
        return isinstance(self.node, yaml.ScalarNode) and self.node.tag == _TAG + "null"


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _join(path: str, key: str) -> str:
    if not path:
        return key
    return f"{path}.{key}" if re.fullmatch(r"[\w-]+", key) else f'{path}["{key}"]'


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
    text = text if len(text) <= limit else text[:limit - 1] + "…"
    return "".join(f"\\x{ord(c):02x}" if ord(c) < 32 or 0x7F <= ord(c) < 0xA0 else c for c in text)


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
        if key in first_line:
            raise SpecError(item.ctx.file, line, item.path, f'duplicate key "{key}"',
                            f"first given at line {first_line[key]}")
        first_line[key] = line
        pairs.append((key, Item(value_node, _join(item.path, key), line, item.ctx)))
    return pairs


def _unknown_key(item: Item, key: str, line: int, table: Mapping[str, Key]) -> SpecError:
    hint = _did_you_mean(key, table) or "expected one of: " + ", ".join(table)
    if key == "<<":
        hint = "YAML merge keys (<<) are not supported; anchors and aliases are"
    return SpecError(item.ctx.file, line, item.path, f'unknown key "{key}"', hint)


def _fields(item: Item, table: Mapping[str, Key]) -> dict[str, Item]:
    """The values of a mapping described by `table`. An optional key with an empty value counts as absent."""
    fields: dict[str, Item] = {}
    for key, value in _pairs(item):
        if key not in table:
            raise _unknown_key(item, key, value.line, table)
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


def _check_characters(item: Item, value: str) -> None:
    """Lone surrogates (`"\\ud800"` in a quoted YAML string) are not characters: no font or PDF has them."""
    bad = next((char for char in value if "\ud800" <= char <= "\udfff"), None)
    if bad is not None:
        item.fail(f"U+{ord(bad):04X} is half of a surrogate pair, not a character",
                  'write the character itself, or escape it whole, e.g. "\\U0001F600"')


@scalar({"type": TEXT}, "expected text")
def text(item: Item) -> str:
    """One line of text (headline, caption, name): line breaks joined as in paragraphs (convention 9)."""
    value = join_lines(_scalar(item, "expected text"))
    if not value:
        item.fail("expected text, found an empty string")
    return value


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
            item.fail(f"expected an integer of at least {minimum}, found {value}")
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
        except ValueError:  # shaped like a date, but not one: 2024-13-02
            value = None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
    elif isinstance(node, yaml.ScalarNode) and node.tag == _TAG + "str":
        try:
            return dt.date.fromisoformat(node.value.strip())
        except ValueError:
            pass
    item.fail(f"expected a date like 2022-06-16, found {_describe(node)}")


@scalar({"type": "integer", "enum": list(SPEC_VERSIONS)}, "expected a supported spec version")
def spec_version(item: Item) -> int:
    version = integer(0)(item)
    if version not in SPEC_VERSIONS:
        item.fail(f"unsupported spec version {version}",
                  f"this Broadsheet reads spec_version {', '.join(map(str, SPEC_VERSIONS))}")
    return version


@scalar({"type": "string", "pattern": r"\{page\}"}, "expected text with {page}")
def jump_template(item: Item) -> str:
    """A jump line with `{page}` where the page number goes (`（下转第{page}版）`)."""
    value = _scalar(item, "expected text")
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(value) if name is not None]
    except ValueError as error:
        item.fail(f"malformed template: {error}", "write {{ and }} for literal braces")
    if "page" not in names:
        item.fail(f'"{value}" has no {{page}}', "write {page} where the page number goes, e.g. （下转第{page}版）")
    for name in names:
        if name != "page":
            item.fail(f"unknown placeholder {{{name}}}", "only {page} is replaced")
    return value


_EMPTY_BODY = "an article needs its text; remove the article if it has none"


@scalar({"type": TEXT}, "expected text")
def body(item: Item) -> tuple[str, ...]:
    """Article text split into paragraphs (convention 9); not made full-width here (the composer does)."""
    if item.is_null:
        item.fail("empty body", _EMPTY_BODY)
    paragraphs = split_paragraphs(_scalar(item, "expected text"))
    if not paragraphs:
        item.fail("empty body", _EMPTY_BODY)
    return paragraphs


@scalar({"type": "string"}, "expected a file name")
def image_file(item: Item) -> Path:
    """An image file, relative to the spec's folder; it must exist."""
    name = _scalar(item, "expected a file name")
    path = _file_path(item, name)
    try:
        found = path.is_file()
    except (OSError, ValueError) as error:
        item.fail(f'cannot use the file name "{_shown(name)}"', str(getattr(error, "strerror", None) or error))
    if not found:
        if path.exists():  # a folder, a device, a pipe: there, but not a file to read
            item.fail(f'"{name}" is not a regular file', f"{path} is there but is not an image file")
        item.fail(f'no file "{name}"', f"looked for {path}")
    return path


@scalar({"type": "string"}, "expected a file name")
def profile_file(item: Item) -> Path:
    """An ICC profile file, relative to the spec's folder; it must exist."""
    return image_file(item)


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
    "name": Key(text, required=True),
    "name_latin": Key(text),
    "organ_of": Key(text),
    "rating": Key(text),
    "serial": Key(text),
    "sponsor": Key(text),
    "publisher": Key(text),
    "editor_in_chief": Key(text),
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
    "file": Key(image_file, required=True),
    "caption": Key(text),
}

INDEX_ITEM = {
    "kicker": Key(text),
    "headline": Key(text, required=True),
    "subtitle": Key(text),
    "page": Key(count),
}

INDEX = {
    "title": Key(text, default=None),
    "items": Key(_list_of(_record(IndexItem, INDEX_ITEM), "index items"), required=True),
}

ARTICLE = {
    "kicker": Key(text),
    "headline": Key(text, default=None),
    "subtitle": Key(text),
    "byline": Key(text),
    "body": Key(body, required=True, attr="paragraphs"),
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
    "section": Key(text, default=None),
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
    """Validate the spec against the JSON schema; raise the first problem in the file as a SpecError,
    at the line of its YAML node and phrased by the shape of the value (as the converters phrase it)."""
    instance = _instance(root)
    try:
        if schemacheck.is_valid(instance, _schema()):
            return
    except schemacheck.Unsupported:
        pass  # a keyword the quick check does not know: jsonschema decides
    errors = list(_validator().iter_errors(instance))
    if not errors:
        return
    # Lengths in em can be phrased before the body size (the em) has been read.
    phrasing = Item(root.node, root.path, root.line, replace(root.ctx, em=1.0))
    raise min((_schema_error(phrasing, error) for error in errors), key=lambda found: found[0])[1]


def _instance(root: Item) -> Any:
    """The spec as JSON-like data (dicts, lists, str, int, float, bool, None) for jsonschema. Rejects
    what JSON cannot hold or what would not end: duplicate and non-text keys, recursive aliases,
    too deep nesting, and aliases that expand beyond MAX_VALUES values."""
    done: dict[int, tuple[Any, int]] = {}  # id(node) → (value, values it expands to); aliases share nodes
    active: set[int] = set()

    def walk(item: Item, depth: int) -> tuple[Any, int]:
        node = item.node
        if id(node) in done:
            return done[id(node)]
        if id(node) in active:
            item.fail("this value contains itself (a recursive alias)", "an alias cannot refer to a value around it")
        if depth > MAX_DEPTH:
            item.fail(f"the spec is nested more than {MAX_DEPTH} levels deep")
        if node.tag.startswith(_TAG) and node.tag[len(_TAG):] not in _PLAIN_TAGS or node.tag.startswith("!"):
            item.fail(f"unsupported YAML tag {node.tag.replace(_TAG, '!!')}",
                      "a spec is plain YAML: mappings, lists, text, numbers, true/false and dates")
        active.add(id(node))
        size = 1
        value: Any
        if isinstance(node, yaml.MappingNode):
            value = {}
            for key, child in _pairs(item):
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


def _child(item: Item, step: str | int) -> Item:
    """The item at one step of a jsonschema error path (keys are unique: `_instance` checked)."""
    node = item.node
    if isinstance(step, int):
        assert isinstance(node, yaml.SequenceNode)
        return Item(node.value[step], f"{item.path}[{step}]", _line(node.value[step]), item.ctx)
    assert isinstance(node, yaml.MappingNode)
    for key_node, value_node in node.value:
        if key_node.value == step:
            return Item(value_node, _join(item.path, step), _line(key_node), item.ctx)
    raise KeyError(step)


def _schema_error(root: Item, error: Any) -> tuple[tuple[int, int], SpecError]:
    """A jsonschema error as a SpecError at its YAML node, in the words of the loader; and where in
    the file the problem is seen, to report the first one. A missing key is seen at the end of its
    mapping, so a misspelt key inside it (with its "did you mean") is reported first."""
    item, shape = root, ROOT_SHAPE
    for step in error.absolute_path:
        item = _child(item, step)
        shape = shape.child(step) if shape is not None else None
    try:
        kind = error.validator
        if kind == "required" and isinstance(shape, Record):
            missing = next(key for key, spec in shape.table.items()
                           if spec.required and key not in error.instance)
            item.fail(f'missing required key "{missing}"')
        if kind == "additionalProperties" and isinstance(shape, Record):
            key_node = next(k for k, _ in item.node.value if k.value not in shape.table)
            raise _unknown_key(item, key_node.value, _line(key_node), shape.table)
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
        mark = item.node.end_mark if error.validator == "required" else None
        seen = (mark.line + 1, mark.column) if mark else (spec_error.line or 0, 0)
        return seen, spec_error


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

    def check(self, fields: Mapping[str, Item], values: Mapping[str, int]) -> None:
        self._check_axis(fields["col"], fields["cols"], values["col"], values["cols"],
                         self.columns, "column", f"{_a(self.columns)} {self.columns}-column grid", None)
        self._check_axis(fields["line"], fields["lines"], values["line"], values["lines"],
                         self.lines, "line", f"{_a(self.lines)} {self.lines}-line page", self.why)

    @staticmethod
    def _check_axis(start_item: Item, size_item: Item, start: int, size: int, limit: int,
                    unit: str, grid: str, why: str | None) -> None:
        if size > limit:
            size_item.fail(f"{size} {unit}s on {grid}", why)
        if start > limit:
            start_item.fail(f"{unit} {start} on {grid}", why)
        if start + size - 1 > limit:
            size_item.fail(f"{unit}s {start}-{start + size - 1} on {grid}",
                           f"starting at {unit} {start}, the module can take at most {limit - start + 1} {unit}s")


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

    def check_index_items(self, indexes_item: Item | None, indexes: Mapping[str, Index]) -> None:
        if self.total is None or indexes_item is None:
            return
        for index_id, entry in _entries(indexes_item):
            for k, index_item in enumerate(indexes[index_id].items):
                if index_item.page is not None and index_item.page > self.total:
                    element = _elements(_fields(entry, INDEX)["items"], "index items")[k]
                    self.check(_fields(element, INDEX_ITEM)["page"], index_item.page)


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
        raise _yaml_error(file, error) from None
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
    """Converts the root mapping section by section; sections that depend on others come after them."""

    def __init__(self, ctx: _Context):
        self.ctx = ctx

    def load(self, root: Item) -> Issue:
        version = self._spec_version(root)  # first: a newer spec may have keys we do not know
        check_structure(root)  # then everything the JSON schema says: types, units, keys
        fields = _fields(root, ROOT)
        self.ctx.em = self._body_size(fields["styles"])
        paper = _record(Paper, PAPER)(fields["paper"])
        issue_fields = _fields(fields["issue"], ISSUE)
        issue = IssueInfo(**_convert(issue_fields, ISSUE))
        last_page = _LastPage(issue.pages_total, issue_fields.get("pages_total"))
        fmt = self._format(fields["format"])
        fonts = {role: font(value) for role, value in _entries(fields["fonts"])}
        if not fonts:
            fields["fonts"].fail("expected at least one font role, found an empty mapping")
        styles = self._styles(fields["styles"], fonts, fmt)
        grid = self._grid(fields["styles"], fmt, styles["body"])
        typography = self._optional(fields.get("typography"), Typography, TYPOGRAPHY)
        jumps = self._optional(fields.get("jumps"), Jumps, JUMPS)
        output = self._optional(fields.get("output"), Output, OUTPUT)
        images = self._records(fields.get("images"), Image, IMAGE)
        indexes = self._records(fields.get("indexes"), Index, INDEX)
        last_page.check_index_items(fields.get("indexes"), indexes)
        articles = self._records(fields.get("articles"), Article, ARTICLE)
        refs = {"article": articles, "continue": articles, "image": images, "index": indexes}
        pages = self._pages(fields["pages"], grid, refs, last_page)
        _check_chains(pages, articles)
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
            images=images,
            indexes=indexes,
            articles=articles,
            output=output,
        )

    # Sections ----------------------------------------------------------------------------------------

    def _spec_version(self, root: Item) -> int:
        found = [value for key, value in _pairs(root) if key == "spec_version"]
        if not found:
            root.fail('missing required key "spec_version"', f"this Broadsheet reads spec_version {SPEC_VERSIONS[-1]}")
        return spec_version(found[0])

    def _body_size(self, styles: Item) -> float:
        """`styles.body.size`, read before everything else because it is the em of every other length."""
        body_item = _fields(styles, STYLES)["body"]
        return body_size(_fields(body_item, BODY_STYLE)["size"])

    def _format(self, item: Item) -> Format:
        fields = _fields(item, FORMAT)
        values = _convert(fields, FORMAT)
        fmt = Format(**values.pop("trim"), **values.pop("margins"), **values)
        if type_width(fmt) <= 0 or type_height(fmt) <= 0:
            fields["margins"].fail("the margins leave no type area",
                                   f"trim {format_pt(fmt.trim_width)} × {format_pt(fmt.trim_height)}")
        for length, key in ((fmt.trim_width, "width"), (fmt.trim_height, "height")):
            if length + 2 * fmt.bleed > MAX_PAGE:
                where = fields["bleed"] if "bleed" in fields and length <= MAX_PAGE else \
                    _fields(fields["trim"], TRIM)[key]
                where.fail(f"a sheet of {format_pt(length + 2 * fmt.bleed)} with its bleed is larger than "
                           f"a PDF page can be ({format_pt(MAX_PAGE)}, 5080 mm)",
                           f"trim {key} {format_pt(length)}, bleed {format_pt(fmt.bleed)} on each side")
        if column_width(fmt) <= 0:
            fields["columns"].fail(f"{fmt.columns} columns with {format_pt(fmt.gutter)} gutters do not fit "
                                   f"the type width of {format_pt(type_width(fmt))}")
        return fmt

    def _styles(self, item: Item, fonts: Mapping[str, str], fmt: Format) -> dict[str, Style]:
        items = _fields(item, STYLES)
        given = {name: self._style_values(value, BODY_STYLE if name == "body" else STYLE, fonts)
                 for name, value in items.items()}
        column = column_width(fmt)
        for name, values in given.items():
            fields = _fields(items[name], BODY_STYLE if name == "body" else STYLE)
            if values.get("indent") is not None and values["indent"] >= column:
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
        why = (f"lines per page = floor(type height {format_pt(type_height(fmt))} "
               f"÷ body leading {format_pt(body_style.leading or 0)}) = {lines}")
        if lines < 1:
            styles.fail("the body leading is taller than the type area", why)
        return _Grid(fmt.columns, lines, why)

    @staticmethod
    def _style_values(item: Item, table: Mapping[str, Key], fonts: Mapping[str, str]) -> dict[str, Any]:
        fields = _fields(item, table)
        values = _convert(fields, table)
        role = values.get("font")
        if role is not None and role not in fonts:
            fields["font"].fail(f'no font role "{role}" in fonts',
                                _did_you_mean(role, fonts) or "fonts has: " + ", ".join(fonts))
        return values

    @staticmethod
    def _optional(item: Item | None, cls: type, table: Mapping[str, Key]) -> Any:
        return cls() if item is None else _record(cls, table)(item)

    @staticmethod
    def _records(item: Item | None, cls: type, table: Mapping[str, Key]) -> dict[str, Any]:
        """An id → record mapping (images, indexes, articles)."""
        if item is None:
            return {}
        return {key: cls(id=key, source=value.source, **_read(value, table)) for key, value in _entries(item)}

    # Pages and modules -------------------------------------------------------------------------------

    def _pages(self, item: Item, grid: _Grid, refs: Mapping[str, Mapping[str, Any]],
               last_page: _LastPage) -> tuple[Page, ...]:
        pages: list[Page] = []
        numbers: dict[int, Item] = {}
        for page_item in _elements(item, "pages"):
            fields = _fields(page_item, PAGE)
            values = _convert(fields, PAGE)
            number = values["number"]
            if number in numbers:
                first = numbers[number]
                fields["number"].fail(f"page {number} is defined twice", f"first at {first.path} (line {first.line})")
            numbers[number] = page_item
            last_page.check(fields["number"], number)
            modules = tuple(self._module(m, grid, refs) for m in _elements(fields["modules"], "modules"))
            _check_overlaps(modules)
            pages.append(Page(number=number, section=values["section"], modules=modules, source=page_item.source))
        return tuple(pages)

    def _module(self, item: Item, grid: _Grid, refs: Mapping[str, Mapping[str, Any]]) -> Module:
        fields = _fields(item, MODULE)
        values = _convert(fields, MODULE)
        kind = _module_kind(item, fields)
        if kind == "masthead" and not values["masthead"]:
            fields["masthead"].fail("expected true, found false", "a masthead module is written masthead: true")
        ref = None if kind == "masthead" else values[kind]
        if ref is not None and ref not in refs[kind]:
            what, section = _REFERS_TO[kind]
            known = ", ".join(refs[kind]) if len(refs[kind]) <= 12 else ", ".join(list(refs[kind])[:12]) + ", …"
            fields[kind].fail(f'no {what} "{ref}" in {section}', _did_you_mean(ref, refs[kind])
                              or (f"{section} has: {known}" if refs[kind] else f"the spec has no {section}"))
        if "headline_size" in fields and kind not in ("article", "continue"):
            fields["headline_size"].fail(f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} module has no headline",
                                         "headline_size applies to article and continue modules")
        grid.check(fields, values)
        return Module(kind=kind, ref=ref, col=values["col"], line=values["line"], cols=values["cols"],
                      lines=values["lines"], headline_size=values.get("headline_size"), source=item.source)


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
    return "the masthead" if module.kind == "masthead" else f'{module.kind} "{module.ref}"'


def _where(module: Module) -> str:
    assert module.source is not None
    return f"{module.source.path} (line {module.source.line})"


def _fail_at(module: Module, key: str, problem: str, hint: str | None = None) -> NoReturn:
    assert module.source is not None
    src = module.source
    raise SpecError(src.file, src.line, _join(src.path, key) if key else src.path, problem, hint)


def _span(first: int, last: int, unit: str) -> str:
    return f"{unit} {first}" if first == last else f"{unit}s {first}-{last}"


def _check_overlaps(modules: tuple[Module, ...]) -> None:
    """Convention 4: modules own whole grid cells, so two must not share one."""
    for i, later in enumerate(modules):
        for earlier in modules[:i]:
            cols = (max(earlier.col, later.col), min(earlier.col + earlier.cols, later.col + later.cols) - 1)
            lines = (max(earlier.line, later.line), min(earlier.line + earlier.lines, later.line + later.lines) - 1)
            if cols[0] <= cols[1] and lines[0] <= lines[1]:
                _fail_at(later, "", f"{_describe_module(later)} overlaps {_describe_module(earlier)} at {_where(earlier)}",
                         f"both take {_span(*cols, 'column')}, {_span(*lines, 'line')}")


def _check_chains(pages: tuple[Page, ...], articles: Mapping[str, Article]) -> None:
    """Convention 6: a story is one `article:` module, then `continue:` modules after it in page order
    (page number, then list order on the page); every article is placed."""
    placed = sorted((((page.number, i), module) for page in pages for i, module in enumerate(page.modules)),
                    key=lambda entry: entry[0])
    starts: dict[str, tuple[tuple[int, int], Module]] = {}
    for position, module in placed:
        if module.kind == "article" and module.ref is not None:
            if module.ref in starts:
                _fail_at(module, "article", f'article "{module.ref}" is placed twice',
                         f'first at {_where(starts[module.ref][1])}; use "continue: {module.ref}" for the rest of the story')
            starts[module.ref] = (position, module)
    for position, module in placed:
        if module.kind != "continue" or module.ref is None:
            continue
        if module.ref not in starts:
            _fail_at(module, "continue", f'article "{module.ref}" has no article: module',
                     f'a story opens with "article: {module.ref}"; its continue: modules come after it')
        start_position, start = starts[module.ref]
        if position < start_position:
            _fail_at(module, "continue", f'continues article "{module.ref}" before it starts',
                     f"it starts at {_where(start)}; a continuation goes on a later page, or after it on the same page")
    for article_id, article in articles.items():
        if article_id not in starts:
            assert article.source is not None
            raise SpecError(article.source.file, article.source.line, article.source.path,
                            f'article "{article_id}" is never placed',
                            f'place it with an "article: {article_id}" module, or remove it')
