"""The published JSON Schema of the issue spec: `layout/spec.schema.json`, for editors (completion and
hover help through a `# yaml-language-server: $schema=…` line) and for `broadsheet schema`.

The schema is generated: its structure from the loader's key tables (`layout.spec.structure.json_schema`), its
descriptions from the key tables of docs/spec.md, so that code, docs and schema cannot drift apart.
Regenerate it after changing either:

    python -m layout.spec.schema            # writes layout/spec.schema.json
    python -m layout.spec.schema --check    # exit 1 if the committed file is stale

tests/test_schema.py fails when the committed file differs from what this generates.
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .structure import json_schema

PACKAGE = Path(__file__).resolve().parents[1]  # the layout package, home of spec.schema.json
SCHEMA_FILE = PACKAGE / "spec.schema.json"
DOCS_FILE = PACKAGE.parent / "docs" / "spec.md"

# Which table of docs/spec.md describes which mapping: (section heading, n-th table in it) → the doc
# path of the mapping (see layout.spec.shapes.SchemaWriter: `.` between keys, `[]` list items, `*` any id).
# A row's first cell names its keys in backticks; dotted names reach into sub-mappings (`trim.width`).
DOC_TABLES: dict[tuple[str, int], str] = {
    ("Top level", 0): "",
    ("`paper`", 0): "paper",
    ("`issue`", 0): "issue",
    ("`format`", 0): "format",
    ("`format`", 1): "format",
    ("`styles`", 0): "style",  # the keys of every style (the `$defs/style` of the schema)
    ("`styles`", 1): "styles",  # the style names
    ("`typography` (Broadsheet)", 0): "typography",
    ("`jumps`", 0): "jumps",
    ("`output` (Broadsheet)", 0): "output",
    ("`pages`", 0): "pages[]",
    ("`pages`", 1): "pages[].modules[]",
    ("`images`", 0): "images.*",
    ("`indexes`", 0): "indexes.*",
    ("`indexes`", 1): "indexes.*.items[]",
    ("`articles`", 0): "articles.*",
    ("`pages`", 2): "pages[].modules[].rule",
    ("`tables` (Broadsheet)", 0): "tables.*",
    ("`tables` (Broadsheet)", 1): "tables.*.columns[]",
    ("`header` (Broadsheet)", 0): "header",
    ("`header` (Broadsheet)", 1): "header.rule",
    ("`colours` (Broadsheet)", 0): "colours.*",
    ("`ads` (Broadsheet)", 0): "ads.*",
    ("`box` (Broadsheet)", 0): "pages[].modules[].box",
    ("Photos and pull quotes in a story (Broadsheet)", 0): "photo",
    ("Photos and pull quotes in a story (Broadsheet)", 1): "pull quote",
}
# Values described by a section's first paragraph rather than by a table row.
DOC_PROSE: dict[str, str] = {
    "": "The issue spec (format v1)",
    "fonts.*": "`fonts`",
}
# Doc paths that share their descriptions: the body style has the keys of every style.
DOC_ALIASES: dict[str, str] = {"styles.body.": "style."}
# Columns of a table that hold the description itself; the others are added as "header: value".
MAIN_COLUMNS = ("what", "used for", "")


class DocsError(ValueError):
    """docs/spec.md and the key tables disagree (a key without a row, or a row without a key)."""


@dataclass
class Descriptions:
    """Descriptions by doc path, read from docs/spec.md; records which paths the schema asked for."""

    texts: dict[str, str]
    asked: set[str] = field(default_factory=set)
    missing: list[str] = field(default_factory=list)

    def __call__(self, doc: str) -> str | None:
        self.asked.add(doc)
        text = self.texts.get(doc)
        if text is None:
            for alias, target in DOC_ALIASES.items():
                if doc.startswith(alias):
                    self.asked.add(target + doc[len(alias):])
                    text = self.texts.get(target + doc[len(alias):])
        if text is None and _is_key(doc):
            self.missing.append(doc)
        return text


def _is_key(doc: str) -> bool:
    """A key of a mapping (must have a row in the docs), not a list item or an id's value."""
    return bool(doc) and not doc.endswith(("[]", "*"))


def read_descriptions(markdown: str) -> dict[str, str]:
    """Doc path → description, from the tables (and a few first paragraphs) of docs/spec.md."""
    texts: dict[str, str] = {}
    for heading, blocks in _sections(markdown).items():
        tables = [block for block in blocks if block[0].startswith("|")]
        for (section, index), prefix in DOC_TABLES.items():
            if section != heading:
                continue
            if index >= len(tables):
                raise DocsError(f"docs/spec.md: section {heading} has no table {index + 1}")
            position = blocks.index(tables[index])
            before = blocks[position - 1] if position and not blocks[position - 1][0].startswith("|") else None
            if before and prefix not in texts and prefix.endswith(("[]", "*")):
                texts[prefix] = _plain(" ".join(before)).rstrip(":")
            for keys, text in _rows(tables[index]):
                for key in keys:
                    path = f"{prefix}.{key}" if prefix else key
                    if path in texts:
                        raise DocsError(f"docs/spec.md: {path} is described twice")
                    texts[path] = text
        for path, section in DOC_PROSE.items():
            if section == heading and blocks:
                texts.setdefault(path, _plain(" ".join(blocks[0])))
    return texts


def _sections(markdown: str) -> dict[str, list[list[str]]]:
    """Heading text (without #) → its blocks (paragraphs and tables, as lists of lines)."""
    sections: dict[str, list[list[str]]] = {}
    blocks: list[list[str]] = []
    in_code = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            in_code = not in_code  # code blocks are not descriptions
            blocks.append([])
            continue
        if in_code:
            continue
        if line.startswith("#"):
            blocks = sections.setdefault(line.lstrip("#").strip(), [])
            continue
        if not line.strip():
            blocks.append([])
            continue
        if not blocks or not blocks[-1] or blocks[-1][0].startswith("|") != line.startswith("|"):
            blocks.append([])
        blocks[-1].append(line.strip())
    return {heading: [block for block in found if block] for heading, found in sections.items()}


def _cells(line: str) -> list[str]:
    """The cells of a table row; a `|` inside backticks is text, not a separator."""
    cells, cell, code = [], "", False
    for char in line.strip().strip("|"):
        if char == "`":
            code = not code
        if char == "|" and not code:
            cells.append(cell.strip())
            cell = ""
        else:
            cell += char
    cells.append(cell.strip())
    return cells


def _rows(table: list[str]) -> list[tuple[list[str], str]]:
    headers = [cell.lower() for cell in _cells(table[0])]
    main = next((i for name in MAIN_COLUMNS for i in range(len(headers) - 1, 0, -1) if headers[i] == name), None)
    rows = []
    for line in table[2:]:
        cells = _cells(line)
        keys = re.findall(r"`([^`]+)`", cells[0])
        extras = [cell if not headers[i] else f"{headers[i]}: {cell}"
                  for i, cell in enumerate(cells) if 0 < i != main and cell not in ("", "—")]
        text = cells[main] if main is not None else ""
        if extras:
            text = f"{text} [{'; '.join(extras)}]" if text else "; ".join(extras)
        if "*(Broadsheet)*" in cells[0]:
            text += " (a Broadsheet addition to format v1)"
        rows.append((keys, _plain(text)))
    return rows


def _plain(text: str) -> str:
    """Markdown to hover text: no emphasis or link syntax; backticks stay, they read well as quotes."""
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    text = re.sub(r"(?<![\w*])\*([^*]+)\*(?!\w)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def build(docs: Path = DOCS_FILE) -> dict[str, Any]:
    """The schema with descriptions from `docs`. Raises DocsError where the docs and the key tables
    disagree: every key of the format needs a row, and every row must name a key."""
    describe = Descriptions(read_descriptions(docs.read_text(encoding="utf-8")))
    schema = json_schema(describe)
    unknown = sorted(path for path in describe.texts if path not in describe.asked)
    problems = [f"{path}: no row in docs/spec.md" for path in describe.missing]
    problems += [f"{path}: docs/spec.md describes a key the format does not have" for path in unknown]
    if problems:
        raise DocsError("\n".join(problems))
    return schema


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def published() -> str:
    """The schema as committed (package data), for `broadsheet schema`."""
    return resources.files("layout").joinpath("spec.schema.json").read_text(encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        text = dumps(build())
    except DocsError as error:
        print(f"docs/spec.md and the key tables disagree:\n{error}", file=sys.stderr)
        return 1
    if "--check" in args:
        if not SCHEMA_FILE.exists() or SCHEMA_FILE.read_text(encoding="utf-8") != text:
            print(f"{SCHEMA_FILE} is stale: run python -m layout.spec.schema", file=sys.stderr)
            return 1
        return 0
    SCHEMA_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
