"""The building blocks of the key tables: `Key`, the shapes, and reading a mapping by its table.

Each spec mapping is described by a key table (`dict[str, Key]`): allowed keys, which are required, and
the converter of each value. Adding a key to the format is one line in its table (tables.py; plus the
model field, a row in docs/spec.md and `python -m layout.spec.schema`).

Every converter carries its *shape* (the `scalar` decorator attaches it), which writes the value's
JSON Schema fragment and phrases the message when the schema rejects the value.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import yaml

from ..util.errors import SpecError
from .nodes import YAML_TAG, Item, did_you_mean, list_items, mapping_pairs, node_line, shown


MISSING = object()  # a Key's default when it has none

Converter = Callable[[Item], Any]


@dataclass(frozen=True)
class Key:
    """One key of a spec mapping. `convert` None: the loader converts the value itself (root sections),
    and `shape` says what the value looks like; otherwise the converter carries its shape."""

    convert: Converter | None = None
    required: bool = False
    attr: str | None = None  # model field name, when it is not the key (`jumps.from` → `from_`)
    default: Any = MISSING  # filled in when the key is absent; else the model's own default applies
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
# layout/spec/schema.py); when jsonschema rejects a value, the shape at that place phrases the message.


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


def shaped(shape_of: Callable[[Converter], Shape]) -> Callable[[Converter], Converter]:
    """Decorator: attach a shape to a converter (the shape may refer back to the converter)."""
    def attach(convert: Converter) -> Converter:
        convert.shape = shape_of(convert)  # type: ignore[attr-defined]
        return convert
    return attach


def scalar(fragment: dict[str, Any], expected: str) -> Callable[[Converter], Converter]:
    return shaped(lambda convert: Scalar(fragment, expected, convert))


def unknown_key(item: Item, index: int, table: Mapping[str, Key]) -> SpecError:
    """The error for the key at `index` of the mapping `item`, which `table` does not have."""
    key_node = item.node.value[index][0]
    key = key_node.value
    hint = (did_you_mean(key, table) if len(key) <= 100 else None) or "expected one of: " + ", ".join(table)
    if key == "<<":
        hint = "YAML merge keys (<<) are not supported; anchors and aliases are"
    split = _split_by_comma(item, index)
    if split:
        hint = split
    return SpecError(item.ctx.file, node_line(key_node), item.path, f'unknown key "{shown(key)}"', hint)


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
    empty = isinstance(value_node, yaml.ScalarNode) and value_node.tag == YAML_TAG + "null"
    if not (empty and key_node.value[:1].isdigit() and before.value[-1:].isdigit()):
        return None
    whole = shown(f"{before.value},{key_node.value}", 60)
    return (f'the comma in {whole} ends the value inside {{…}}; quote the text: '
            f'{shown(before_key.value)}: "{whole}"')


def fields_of(item: Item, table: Mapping[str, Key]) -> dict[str, Item]:
    """The values of a mapping described by `table`. An optional key with an empty value counts as absent."""
    fields: dict[str, Item] = {}
    for index, (key, value) in enumerate(mapping_pairs(item)):
        if key not in table:
            raise unknown_key(item, index, table)
        if not (value.is_null and not table[key].required):
            fields[key] = value
    for key, spec in table.items():
        if spec.required and key not in fields:
            item.fail(f'missing required key "{key}"')
    return fields


def convert_fields(fields: Mapping[str, Item], table: Mapping[str, Key]) -> dict[str, Any]:
    """Converted values by model field name, with the table's defaults for absent keys."""
    values: dict[str, Any] = {}
    for key, spec in table.items():
        name = spec.attr or key
        if spec.convert is None:  # the loader converts this one itself (it needs other sections)
            continue
        if key in fields:
            values[name] = spec.convert(fields[key])
        elif spec.default is not MISSING:
            values[name] = spec.default
    return values


def read_record(item: Item, table: Mapping[str, Key]) -> dict[str, Any]:
    return convert_fields(fields_of(item, table), table)


def record_of(cls: type, table: Mapping[str, Key]) -> Converter:
    """Converter of a mapping straight into a model dataclass."""
    return shaped(lambda _: Record(table))(lambda item: cls(**read_record(item, table)))


def nested(table: Mapping[str, Key]) -> Converter:
    """Converter of a sub-mapping whose values are merged into the parent's record (`format.trim`)."""
    return shaped(lambda _: Record(table))(lambda item: read_record(item, table))


def list_of(convert: Converter, what: str) -> Converter:
    return shaped(lambda _: ListOf(convert.shape, what))(  # type: ignore[attr-defined]
        lambda item: tuple(convert(element) for element in list_items(item, what)))
