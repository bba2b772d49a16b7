"""The JSON Schema of the spec: generated from the loader's key tables with descriptions from
docs/spec.md, committed as layout/spec.schema.json, printed by `broadsheet schema`, and used by the
loader (through jsonschema) for the structural checks."""
from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from layout.spec import schema as published_schema
from layout.desk.cli import main
from layout.util.errors import SpecError
from layout.spec.schema import DOCS_FILE, SCHEMA_FILE, DocsError, build, dumps
from layout.spec.load import load_issue
from layout.spec.structure import json_schema

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "issue_specs").glob("*.yaml"))
REFERENCE = ROOT / "issue_specs" / "xuchang-2022-06-16.yaml"
MODELINE = "# yaml-language-server: $schema=../layout/spec.schema.json"


@pytest.fixture(scope="module")
def committed() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def without_descriptions(value):
    if isinstance(value, dict):
        return {k: without_descriptions(v) for k, v in value.items() if k != "description"}
    if isinstance(value, list):
        return [without_descriptions(v) for v in value]
    return value


def editor_view(path: Path):
    """The spec as an editor's YAML 1.2 reader sees it: dates are strings."""
    def plain(value):
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.isoformat() if isinstance(value, dt.date) else value
    return plain(yaml.safe_load(path.read_text(encoding="utf-8")))


# --- The committed file ---------------------------------------------------------------------------------

def test_committed_schema_is_the_generated_one():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == dumps(build()), \
        "layout/spec.schema.json is stale: run python -m layout.spec.schema"


def test_schema_is_valid_draft_2020_12(committed):
    Draft202012Validator.check_schema(committed)
    assert committed["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_loader_validates_with_the_same_schema(committed):
    assert without_descriptions(committed) == json_schema()


def test_broadsheet_schema_prints_it():
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert result.stdout == SCHEMA_FILE.read_text(encoding="utf-8")
    assert json.loads(result.stdout)["title"].startswith("Broadsheet issue spec")


def test_python_m_layout_schema_check_passes():
    assert published_schema.main(["--check"]) == 0


# --- Hover help from the docs ---------------------------------------------------------------------------

def properties(schema: dict, path: str = ""):
    """(path, fragment) of every key the schema defines, through lists, ids and $defs."""
    for key, fragment in schema.get("properties", {}).items():
        yield f"{path}.{key}".lstrip("."), fragment
        yield from properties(fragment, f"{path}.{key}")
    for sub, suffix in (("items", "[]"), ("additionalProperties", ".*")):
        if isinstance(schema.get(sub), dict):
            yield from properties(schema[sub], path + suffix)
    for name, fragment in schema.get("$defs", {}).items():
        yield from properties(fragment, f"$defs.{name}")


def test_every_key_has_hover_help(committed):
    keys = dict(properties(committed))
    assert len(keys) > 80
    assert [path for path, fragment in keys.items() if not fragment.get("description")] == []


def test_descriptions_are_the_docs_rows(committed):
    keys = dict(properties(committed))
    assert keys["format.gutter"]["description"] == \
        "space between columns (`1em` in the reference) [type: length; default: required]"
    assert keys["typography.missing_glyphs"]["description"] == \
        "what to do with a character no font has [values: `error`, `warn`; default: `error`]"
    assert keys["$defs.style.size"]["description"] == "type size [type: length]"
    assert keys["styles.body.size"]["description"] == "type size [type: length]"
    assert "exactly one thing" in keys["pages[].modules"]["items"]["description"]


def test_a_key_without_a_docs_row_fails_the_build(tmp_path):
    docs = DOCS_FILE.read_text(encoding="utf-8")
    row = "| `gutter` | length | required | space between columns (`1em` in the reference) |\n"
    assert row in docs
    (tmp_path / "spec.md").write_text(docs.replace(row, ""), encoding="utf-8")
    with pytest.raises(DocsError, match=r"^format\.gutter: no row in docs/spec\.md$"):
        build(tmp_path / "spec.md")


def test_a_docs_row_without_a_key_fails_the_build(tmp_path):
    docs = DOCS_FILE.read_text(encoding="utf-8")
    row = "| `column_rules` | boolean | `false` | hairlines in the gutters between columns of text |\n"
    (tmp_path / "spec.md").write_text(docs.replace(row, row + "| `column_gap` | length | `0pt` | nothing |\n"),
                                      encoding="utf-8")
    with pytest.raises(DocsError, match=r"^format\.column_gap: docs/spec\.md describes a key the format does not have$"):
        build(tmp_path / "spec.md")


# --- Editors --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_examples_are_valid_as_an_editor_sees_them(example, committed):
    errors = list(Draft202012Validator(committed).iter_errors(editor_view(example)))
    assert [error.message for error in errors] == []


@pytest.mark.parametrize("example", [p for p in EXAMPLES if p != REFERENCE], ids=lambda p: p.stem)
def test_examples_point_editors_to_the_schema(example):
    first = example.read_text(encoding="utf-8").splitlines()[0]
    assert first == MODELINE
    assert (example.parent / first.split("$schema=")[1]).resolve() == SCHEMA_FILE


def test_the_reference_edition_is_left_as_given():
    shared = Path("/work/shared/reference/xuchang-2022-06-16.yaml")
    if shared.exists():
        assert REFERENCE.read_bytes() == shared.read_bytes()


def test_what_an_editor_flags(committed):
    validator = Draft202012Validator(committed)
    spec = editor_view(REFERENCE)

    def flagged(edit) -> list[str]:
        data = json.loads(json.dumps(spec))
        edit(data)
        return [error.message for error in validator.iter_errors(data)]

    assert flagged(lambda d: d["format"].update(columns="eight"))
    assert flagged(lambda d: d["format"].update(gutter="12px"))
    assert flagged(lambda d: d["format"].update(gutter=12))
    assert flagged(lambda d: d["format"].update(colums=8))
    assert flagged(lambda d: d["styles"]["body"].update(size="1em"))
    assert flagged(lambda d: d["styles"]["kicker"].update(sise="12pt"))
    assert flagged(lambda d: d["typography"].update(prohibition="gbb"))
    assert flagged(lambda d: d["pages"][0].update(modules=[]))
    assert flagged(lambda d: d.update(spec_version=2))
    assert not flagged(lambda d: d["issue"].update(number=None))  # empty means absent
    assert not flagged(lambda d: d["styles"]["kicker"].update(size="1.2em", indent="0pt"))
    assert not flagged(lambda d: d["articles"]["liutao"].update(headline=2022))  # text is any scalar


# --- The loader's structural check ----------------------------------------------------------------------

MINIMAL = textwrap.dedent("""\
    spec_version: 1
    paper: {name: 测试日报}
    issue: {date: 2024-01-02}
    format:
      trim: {width: 100mm, height: 100mm}
      margins: {top: 10mm, bottom: 10mm, inside: 10mm, outside: 10mm}
      columns: 4
      gutter: 1em
    fonts: {song: Noto Serif CJK SC}
    styles:
      body: {font: song, size: 10pt, leading: 12pt}
    pages:
      - number: 1
        modules:
          - {article: a, col: 1, line: 1, cols: 2, lines: 10}
    articles:
      a: {headline: 标题, body: 正文。}
    """)


def message(tmp_path: Path, *edits: tuple[str, str]) -> str:
    text = MINIMAL
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_issue(spec)
    return str(caught.value).removeprefix(f"{spec}:")


def test_every_structural_problem_is_reported_in_file_order(tmp_path):
    spec = tmp_path / "spec.yaml"
    assert message(tmp_path, ("size: 10pt", "size: 10px"), ("columns: 4", 'columns: "four"')) == (
        '7: format.columns: expected an integer, found "four"\n'
        f'{spec}:11: styles.body.size: expected a length in mm, pt or em, found "10px"\n'
        "2 problems")
    assert message(tmp_path, ("columns: 4", "columns: x"), ("paper: {name: 测试日报}", "paper: {}")) == (
        '2: paper: missing required key "name"\n'
        f'{spec}:7: format.columns: expected an integer, found "x"\n'
        "2 problems")


def test_a_misspelt_key_comes_before_the_key_it_misses(tmp_path):
    assert message(tmp_path, ("body: 正文。", "bdy: 正文。")) == \
        '17: articles.a: unknown key "bdy"\n  did you mean "body"?'


def test_messages_inside_styles_and_lists(tmp_path):
    assert message(tmp_path, ("leading: 12pt}", "leading: 12pt}\n  kicker: {sise: 12pt}")) == \
        '12: styles.kicker: unknown key "sise"\n  did you mean "size"?'
    assert message(tmp_path, ("leading: 12pt}", "leading: 12pt}\n  kicker: 12pt")) == \
        '12: styles.kicker: expected a mapping, found "12pt"'
    assert message(tmp_path, ("cols: 2, lines: 10}", "cols: 2, lines: 10, zzz: red}")) == \
        '15: pages[0].modules[0]: unknown key "zzz"\n  expected one of: masthead, article, continue, image, ' \
        'index, table, table_continue, rule, ad, col, line, cols, lines, headline_size, headline_colour, box, ' \
        'body_cols, photos, pull_quote, direction, headline_direction, tiers, tcy_max_digits, ' \
        'tier_rules'
    assert message(tmp_path, ("fonts: {song: Noto Serif CJK SC}", "fonts: {}")) == \
        "9: fonts: expected at least one font role, found an empty mapping"
    assert message(tmp_path, ("body: 正文。}", "body: [正文。]}")) == \
        "17: articles.a.body: expected text, found a list"


def test_lengths_in_em_are_checked_before_the_em_is_known(tmp_path):
    assert message(tmp_path, ("leading: 12pt}", "leading: 12pt, indent: -2em}")) == \
        '11: styles.body.indent: expected a length of 0 or more, found "-2em"'
    assert message(tmp_path, ("size: 10pt", "size: 1em")) == \
        '11: styles.body.size: "1em" is in em, which is not allowed here\n' \
        "  em is the body size; write this length in pt or mm"


def test_stricter_than_the_converter_still_says_what_is_expected(tmp_path):
    # Python's date.fromisoformat reads 20240102, the format does not.
    assert message(tmp_path, ("date: 2024-01-02", "date: '20240102'")) == \
        '3: issue.date: expected a date like 2022-06-16, found "20240102"'
    assert message(tmp_path, ("song: Noto Serif CJK SC", "song: 12")) == \
        "9: fonts.song: expected a font name or font file, found 12"
