"""Is a spec valid under our JSON schema? A fast yes/no for the subset of JSON Schema 2020-12 that
`spec.json_schema()` generates.

Importing jsonschema (with its referencing and attrs machinery) costs more than a whole render's
spec loading, and nearly every spec an editor renders is valid. So the loader asks this module
first and imports jsonschema only to word the errors of an invalid spec. The answer must equal
jsonschema's: a keyword this module does not know raises `Unsupported`, and the loader then asks
jsonschema (tests/unit/test_schemacheck.py compares the two on valid and broken specs).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Mapping

# Keywords that only describe: they never make an instance invalid.
ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "title", "description", "default",
                         "examples", "deprecated", "readOnly", "writeOnly", "markdownDescription"})


class Unsupported(Exception):
    """The schema uses a keyword (or a form of one) this checker does not implement."""


def is_valid(instance: Any, schema: Mapping[str, Any]) -> bool:
    """True when `instance` (JSON-like data) is valid under `schema`, as Draft 2020-12 says."""
    return _valid(instance, schema, schema)


def _valid(value: Any, schema: Mapping[str, Any] | bool, root: Mapping[str, Any]) -> bool:
    if schema is True:
        return True
    if schema is False:
        return False
    for keyword in schema:
        if keyword not in _KEYWORDS and keyword not in ANNOTATIONS:
            raise Unsupported(keyword)
    if "$ref" in schema and not _valid(value, _resolve(schema["$ref"], root), root):
        return False
    if "type" in schema and not _has_type(value, schema["type"]):
        return False
    if "enum" in schema and not any(_equal(value, choice) for choice in schema["enum"]):
        return False
    if _is_number(value):
        if "minimum" in schema and value < schema["minimum"]:
            return False
        if "maximum" in schema and value > schema["maximum"]:
            return False
    elif isinstance(value, str):
        if "maxLength" in schema and len(value) > schema["maxLength"]:  # code points, as JSON counts
            return False
        if "pattern" in schema and not _regex(schema["pattern"]).search(value):
            return False
    elif isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            return False
        if "maxItems" in schema and len(value) > schema["maxItems"]:  # colours' cmyk: four numbers
            return False
        if "items" in schema:
            if not isinstance(schema["items"], (dict, bool)):
                raise Unsupported("items (array form)")
            if not all(_valid(v, schema["items"], root) for v in value):
                return False
    elif isinstance(value, dict):
        return _valid_object(value, schema, root)
    return True


def _valid_object(value: dict, schema: Mapping[str, Any], root: Mapping[str, Any]) -> bool:
    if len(value) < schema.get("minProperties", 0):
        return False
    if any(key not in value for key in schema.get("required", ())):
        return False
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for key, item in value.items():
        sub = properties.get(key, extra)
        if not _valid(item, sub, root):
            return False
    return True


_KEYWORDS = frozenset({"$ref", "$defs", "type", "enum", "minimum", "maximum", "pattern", "maxLength", "minItems",
                       "maxItems", "items", "required", "properties", "additionalProperties", "minProperties"})


def _resolve(ref: str, root: Mapping[str, Any]) -> Mapping[str, Any] | bool:
    if not ref.startswith("#/"):
        raise Unsupported(f"$ref {ref}")
    node: Any = root
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            raise Unsupported(f"$ref {ref}")
        node = node[part]
    return node


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": _is_number,
    # 2020-12: a number with a zero fractional part is an integer (1.0 is).
    "integer": lambda v: _is_number(v) and (isinstance(v, int) or v.is_integer()),
}


def _has_type(value: Any, expected: str | list[str]) -> bool:
    names = [expected] if isinstance(expected, str) else expected
    for name in names:
        if name not in _TYPES:
            raise Unsupported(f"type {name}")
    return any(_TYPES[name](value) for name in names)


def _equal(a: Any, b: Any) -> bool:
    """JSON equality: true and 1 differ (Python says they are equal)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if _is_number(a) and _is_number(b):
        return a == b
    return type(a) is type(b) and a == b


@lru_cache(maxsize=None)
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)
