"""The format's JSON Schema, generated from the key tables, and the structural check against it.

`json_schema()` is published as layout/spec.schema.json (schema.py adds the descriptions). The
loader validates the whole spec against it before converting anything (`check_structure`), and
records every problem at its YAML node in the loader's own words: the shape at that place phrases it.
"""
from __future__ import annotations

import difflib
from dataclasses import replace
from typing import Any, Callable

import yaml

from . import schemacheck
from ..util.errors import SpecError
from .convert import SPEC_VERSIONS
from .nodes import Item, describe_node, first_pairs, join_path, mapping_pairs, node_line, scalar_value, tag_problem
from .shapes import ListOf, MapOf, Record, Scalar, SchemaWriter, unknown_key
from .tables import ROOT_SHAPE
from .yamlread import MAX_DEPTH


SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
MAX_VALUES = 100_000  # values of a spec once YAML aliases are expanded ("billion laughs" guard)


def json_schema(describe: Callable[[str], str | None] | None = None) -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of format v1, generated from the key tables. `describe` adds
    hover help (layout/spec/schema.py takes it from docs/spec.md); the loader validates without it."""
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
    instance = spec_instance(root)
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


def spec_instance(root: Item) -> Any:
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
        tag = tag_problem(node)
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
                child_value, n = walk(Item(child_node, f"{item.path}[{i}]", node_line(child_node), item.ctx), depth + 1)
                value.append(child_value)
                size += n
        else:
            value = scalar_value(node)
        if size > MAX_VALUES:
            item.fail(f"more than {MAX_VALUES} values once YAML aliases are expanded",
                      "an alias repeats everything its anchor holds")
        active.discard(id(node))
        done[id(node)] = (value, size)
        return value, size

    return walk(root, 0)[0]


def _walkable_pairs(item: Item) -> list[tuple[str, Item]]:
    """`mapping_pairs`, recording its problem instead of raising it: then the first of each key, for the
    schema to look at (what it finds in this mapping is not reported: it follows from this one)."""
    try:
        return mapping_pairs(item)
    except SpecError as problem:
        item.ctx.record(problem)
        return list(first_pairs(item).items())


def _child(item: Item, step: str | int) -> Item:
    """The item at one step of a jsonschema error path (the first of duplicate keys)."""
    node = item.node
    if isinstance(step, int):
        assert isinstance(node, yaml.SequenceNode)
        return Item(node.value[step], f"{item.path}[{step}]", node_line(node.value[step]), item.ctx)
    assert isinstance(node, yaml.MappingNode)
    for key_node, value_node in node.value:
        if key_node.value == step:
            return Item(value_node, join_path(item.path, step), node_line(key_node), item.ctx)
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
        return [unknown_key(item, index, shape.table) for index, (k, _) in enumerate(item.node.value)
                if isinstance(k, yaml.ScalarNode) and k.value not in shape.table]
    try:
        if kind == "minItems" and isinstance(shape, ListOf):
            item.fail(f"{shape.expected}, found an empty list")
        if kind == "minProperties" and isinstance(shape, MapOf):
            item.fail(f"expected at least one {shape.what}, found an empty mapping")
        if isinstance(shape, Scalar):
            shape.convert(item)  # the converter says what is wrong, as it would without the schema
        if shape is not None:  # ... or it is stricter than the converter: say what the schema wants
            item.fail(f"{shape.expected}, found {describe_node(item.node)}")
        item.fail(error.message)  # not reached while every value has a shape
    except SpecError as spec_error:
        return [spec_error]
