"""YAML nodes with their place in the spec: the key path and line every message names.

The YAML is only composed (see yamlread.py); these helpers walk the node tree without constructing
Python objects, so that every value keeps its line. `mapping_pairs` and `list_items` refuse what a
spec may not be (odd keys, duplicate keys, tags, empty lists); `first_pairs` never fails, for looking
values up once the structural check has reported what is wrong.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Mapping, NoReturn

import yaml
from yaml.constructor import SafeConstructor

from ..model.issue import SourceRef
from ..util.errors import SpecError, escape
from .problems import SpecContext


YAML_TAG = "tag:yaml.org,2002:"
# Scalar construction only (int, bool, timestamp): these methods keep no state between calls.
YAML_SCALARS = SafeConstructor()
# Tags the safe loader gives plain values: the explicit `!!str 2022` is fine, `!!python/…` and `!foo` not.
_PLAIN_TAGS = {"str", "int", "float", "bool", "null", "timestamp", "map", "seq"}
# What PyYAML resolves the plain keys `<<` and `=` to: unknown keys (with a hint for `<<`), not tags.
_RESOLVED_KEY_TAGS = {YAML_TAG + "merge", YAML_TAG + "value"}


@dataclass(frozen=True)
class Item:
    """A YAML node, its key path (`pages[0].modules[3].cols`) and the line to report it at."""

    node: yaml.Node
    path: str
    line: int
    ctx: SpecContext

    def fail(self, problem: str, hint: str | None = None) -> NoReturn:
        raise self.error(problem, hint)

    def error(self, problem: str, hint: str | None = None) -> SpecError:
        return SpecError(self.ctx.file, self.line, self.path, problem, hint)

    @property
    def source(self) -> SourceRef:
        return SourceRef(self.ctx.file, self.line, self.path)

    @property
    def is_null(self) -> bool:
        return isinstance(self.node, yaml.ScalarNode) and self.node.tag == YAML_TAG + "null"


def node_line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def join_path(path: str, key: str) -> str:
    """A mapping key added to a key path. Keys come from the user: a long or odd one is shown
    shortened and escaped, as values are, and quoted (`fonts["a b"]`)."""
    plain = len(key) <= 40 and re.fullmatch(r"[\w-]+", key)
    if not path:
        return key if plain else f'"{shown(key)}"'
    return f"{path}.{key}" if plain else f'{path}["{shown(key)}"]'


def describe_node(node: yaml.Node) -> str:
    """How a found value is named in "expected X, found Y"."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == YAML_TAG + "null":
        return "nothing"
    value = shown(node.value)
    return f'"{value}"' if node.tag == YAML_TAG + "str" else value


def shown(text: str, limit: int = 40) -> str:
    """A value as messages show it: at most `limit` characters, control characters escaped."""
    return escape(text if len(text) <= limit else text[:limit - 1] + "…")


def scalar_value(node: yaml.Node) -> Any:
    """A scalar as YAML types it: int, float, bool or None; dates and everything else stay text.
    For the JSON instance that the schema checks, and for the integer and boolean converters."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    try:
        if node.tag == YAML_TAG + "int":
            return YAML_SCALARS.construct_yaml_int(node)
        if node.tag == YAML_TAG + "float":
            return YAML_SCALARS.construct_yaml_float(node)
        if node.tag == YAML_TAG + "bool":
            return YAML_SCALARS.construct_yaml_bool(node)
    except (ValueError, KeyError):  # shaped like a number but not one: `0b_`, `._`
        return node.value
    if node.tag == YAML_TAG + "null":
        return None
    return node.value


def did_you_mean(word: str, options: Any) -> str | None:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f'did you mean "{close[0]}"?' if close else None


def mapping_pairs(item: Item) -> list[tuple[str, Item]]:
    """The key/value items of a mapping, in order; rejects non-mappings, odd keys and duplicate keys."""
    if not isinstance(item.node, yaml.MappingNode):
        item.fail(f"expected a mapping, found {describe_node(item.node)}")
    pairs: list[tuple[str, Item]] = []
    first_line: dict[str, int] = {}
    for key_node, value_node in item.node.value:
        line = node_line(key_node)
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == YAML_TAG + "null":
            raise SpecError(item.ctx.file, line, item.path, f"expected a key name, found {describe_node(key_node)}")
        key = key_node.value
        tag = None if key_node.tag in _RESOLVED_KEY_TAGS else tag_problem(key_node)
        if tag:  # `!!python/object:os.system name: …`: refused on a key as on a value
            raise SpecError(item.ctx.file, line, join_path(item.path, key), *tag)
        if key in first_line:
            raise SpecError(item.ctx.file, line, item.path, f'duplicate key "{shown(key)}"',
                            f"first given at line {first_line[key]}")
        first_line[key] = line
        pairs.append((key, Item(value_node, join_path(item.path, key), line, item.ctx)))
    return pairs


def first_pairs(item: Item | None) -> dict[str, Item]:
    """The keys of a mapping and their values, the first of duplicates, skipping odd keys; never
    fails (the structural check has reported what is wrong): for looking values up."""
    if item is None or not isinstance(item.node, yaml.MappingNode):
        return {}
    pairs: dict[str, Item] = {}
    for key_node, value_node in item.node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value not in pairs:
            key = key_node.value
            pairs[key] = Item(value_node, join_path(item.path, key), node_line(key_node), item.ctx)
    return pairs


def tag_problem(node: yaml.Node) -> tuple[str, str] | None:
    """The problem and hint for a YAML tag a spec may not use (`!!python/…`, `!foo`), or None."""
    if node.tag.startswith(YAML_TAG) and node.tag[len(YAML_TAG):] in _PLAIN_TAGS:
        return None
    return (f"unsupported YAML tag {shown(node.tag.replace(YAML_TAG, '!!'), 80)}",
            "a spec is plain YAML: mappings, lists, text, numbers, true/false and dates")


def map_entries(item: Item) -> list[tuple[str, Item]]:
    """A mapping with free keys (ids, font roles)."""
    return mapping_pairs(item)


def list_items(item: Item, what: str) -> list[Item]:
    """The items of a non-empty list."""
    if not isinstance(item.node, yaml.SequenceNode):
        item.fail(f"expected a list of {what}, found {describe_node(item.node)}")
    if not item.node.value:
        item.fail(f"expected a list of {what}, found an empty list")
    return [Item(node, f"{item.path}[{i}]", node_line(node), item.ctx) for i, node in enumerate(item.node.value)]


def given_value(fields: Mapping[str, Item], key: str) -> Item | None:
    """A key's value; None when it is absent or empty (empty means absent)."""
    item = fields.get(key)
    return None if item is None or item.is_null else item
