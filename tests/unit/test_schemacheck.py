"""The quick schema check (layout/schemacheck.py) must answer exactly as jsonschema does: the loader
trusts its "valid" without asking jsonschema."""
from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from layout.spec import schemacheck
from layout.spec.load import load_issue
from layout.spec.structure import json_schema, spec_instance
from layout.spec.yamlread import compose_spec

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted((ROOT / "issue_specs").glob("*.yaml"))
SCHEMA = json_schema()
JSONSCHEMA = Draft202012Validator(SCHEMA)

# Values a mutation puts in place of another: every JSON type, edge numbers, text that units,
# dates and colours patterns accept or refuse.
ODD_VALUES = [None, True, False, 0, 1, -1, 2.5, 1.0, 0.0, -0.0, 10**6, "", "x", "12pt", "3 mm",
              "0mm", "1.5em", "2022-06-16", "#ff0000", "cmyk(0,0,0,100)", "top", [], [1], ["a"],
              {}, {"x": 1}, {"col": 1}]


def spec_data(path: Path):
    return spec_instance(compose_spec(str(path), path))


def mutations(data, rng: random.Random, count: int):
    """`count` copies of `data`, each changed in one to three places: a value replaced, a key
    dropped or added, a list item dropped or duplicated."""
    for _ in range(count):
        mutated = copy.deepcopy(data)
        for _ in range(rng.randint(1, 3)):
            _mutate_somewhere(mutated, rng)
        yield mutated


def _mutate_somewhere(data, rng: random.Random) -> None:
    node = data
    while True:  # walk down to a random container
        children = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        containers = [(k, v) for k, v in children if isinstance(v, (dict, list)) and v]
        if not containers or rng.random() < 0.3:
            break
        node = rng.choice(containers)[1]
    keys = list(node.keys()) if isinstance(node, dict) else list(range(len(node)))
    action = rng.choice(("replace", "replace", "drop", "add"))
    if action == "replace" and keys:
        node[rng.choice(keys)] = copy.deepcopy(rng.choice(ODD_VALUES))
    elif action == "drop" and keys:
        node.pop(rng.choice(keys))
    elif isinstance(node, dict):
        node[rng.choice(["extra", "name", "size", "col", "lines", "font", "file"])] = \
            copy.deepcopy(rng.choice(ODD_VALUES))
    elif keys:
        node.append(copy.deepcopy(node[rng.choice(keys)]))


@pytest.mark.parametrize("path", SPECS, ids=[p.stem for p in SPECS])
def test_valid_specs_are_valid(path):
    data = spec_data(path)
    assert JSONSCHEMA.is_valid(data)
    assert schemacheck.is_valid(data, SCHEMA)


@pytest.mark.parametrize("path", SPECS, ids=[p.stem for p in SPECS])
def test_agrees_with_jsonschema_on_broken_specs(path):
    rng = random.Random(path.stem)
    data = spec_data(path)
    verdicts = {True: 0, False: 0}
    for mutated in mutations(data, rng, 400):
        expected = JSONSCHEMA.is_valid(mutated)
        assert schemacheck.is_valid(mutated, SCHEMA) == expected, mutated
        verdicts[expected] += 1
    assert verdicts[False] > 200  # the mutations do break specs (and some stay valid)
    assert verdicts[True] > 0


def test_json_equality_in_enum():
    schema = {"enum": [1, [1, 2]]}
    assert schemacheck.is_valid(1, schema) and schemacheck.is_valid(1.0, schema)
    assert not schemacheck.is_valid(True, schema)
    assert not schemacheck.is_valid([True, 2], schema)
    assert schemacheck.is_valid([1, 2], schema)


def test_integer_type_and_bounds():
    schema = {"type": "integer", "minimum": 1}
    assert schemacheck.is_valid(2.0, schema)
    assert not schemacheck.is_valid(2.5, schema)
    assert not schemacheck.is_valid(True, schema)
    assert not schemacheck.is_valid(0, schema)


def test_unknown_keyword_is_left_to_jsonschema():
    with pytest.raises(schemacheck.Unsupported):
        schemacheck.is_valid("x", {"type": "string", "minLength": 3})
    with pytest.raises(schemacheck.Unsupported):
        schemacheck.is_valid({}, {"$ref": "https://example.org/schema"})


def test_loader_reports_errors_through_jsonschema_wording(tmp_path):
    """A spec the quick check rejects still gets the loader's message (worded from jsonschema's
    error path): here, a misspelt key with its suggestion."""
    text = (ROOT / "issue_specs" / "xuchang-2022-06-16.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace("  editor_in_chief:", "  editor_in_chef:", 1), encoding="utf-8")
    with pytest.raises(Exception) as caught:
        load_issue(broken)
    assert "editor_in_chef" in str(caught.value) and "editor_in_chief" in str(caught.value)
