"""The spec of issue 16's page elements other than ads: newspaper tables (`tables.<id>`, not the key
tables of tables.py), rule modules, the 报眉's options (`header`), page labels and the masthead logo.

Key tables and converters here; the loader reads `tables` and `header` with them, the module table
gains the kinds `table`, `table_continue` and `rule`, and pages gain `label`.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import yaml

from ..model.issue import (STYLE_NAMES, Header, Logo, Page, RuleSpec, Table, TableColumn,
                           TablePart)
from ..util.logofile import LogoFileError, logo_size
from ..util.svgfile import is_svg
from ..util.errors import SpecError
from ..util.text import join_lines
from .convert import (LIMITS, TEXT, _check_characters, _starts_with, choice, image_file, length,
                      positive_length, scalar_text, text)
from .nodes import Item, did_you_mean, describe_node, first_pairs, list_items, node_line, shown
from .problems import SpecContext
from .colours import colour_name
from .shapes import Key, ListOf, Record, fields_of, convert_fields, list_of, record_of, scalar


TABLE_LIMITS = {"cell": 200, "title": 200, "note": 1000, "rows": 2000}


@scalar({"type": [*TEXT, "null"], "maxLength": TABLE_LIMITS["cell"]}, "expected text")
def cell(item: Item) -> str:
    """A table cell: any scalar as written (`12.50` stays `12.50`); empty (`""`, `~`) is an
    empty cell. Line breaks are joined as in a paragraph: a cell is one line."""
    if item.is_null:
        return ""
    if not isinstance(item.node, yaml.ScalarNode):
        item.fail(f"expected text, found {describe_node(item.node)}",
                  "a cell is one text; a row is a list of cells")
    value = item.node.value
    if len(value) > TABLE_LIMITS["cell"]:
        item.fail(f"a cell of {len(value)} characters is too long: at most {TABLE_LIMITS['cell']}",
                  "a table cell is a figure or a few words")
    _check_characters(item, value)
    return join_lines(value)


_PERCENT = r"^\s*(?:100(?:\.0*)?|[0-9]{1,2}(?:\.[0-9]*)?)\s*%\s*$"


@scalar({"type": "string", "pattern": _PERCENT}, "expected a percentage like 10%")
def percent(item: Item) -> float:
    """A tint, `10%` → 0.1 (of black)."""
    value = scalar_text(item, "expected a percentage like 10%")
    if not re.match(_PERCENT, value):
        item.fail(f"expected a percentage like 10%, found {describe_node(item.node)}",
                  "a tint is 0% to 100% of black, written with %")
    return float(value.strip().rstrip("%").strip()) / 100


@scalar({"type": TEXT}, "expected a style name")
def style_name(item: Item) -> str:
    """The name of a style in `styles` (given or by default)."""
    value = scalar_text(item, "expected a style name").strip()
    if value not in STYLE_NAMES:
        item.fail(f'no style "{shown(value)}" in styles',
                  did_you_mean(value, STYLE_NAMES) or "styles has: " + ", ".join(STYLE_NAMES))
    return value


COLUMN = {
    "title": Key(text("a column title", TABLE_LIMITS["title"]), default=""),
    "align": Key(choice("left", "right", "center", "decimal")),
}


TABLE = {
    "columns": Key(list_of(record_of(TableColumn, COLUMN), "columns"), required=True),
    "rows": Key(required=True, shape=ListOf(ListOf(cell.shape, "cells"), "rows")),  # read_table
    "note": Key(text("a table note", TABLE_LIMITS["note"]), default=None),
    "style": Key(style_name),
    "head_style": Key(style_name),
    "rules": Key(choice("rows", "none")),
    "zebra": Key(percent),
}


RULE = {
    "weight": Key(positive_length),
    "style": Key(choice("solid", "double", "thick-thin")),
    "colour": Key(colour_name),  # any colour of `colours:` (black, red, K, white built in)
}


HEADER_RULE = {**RULE, "weight": Key(length)}  # 0pt: no rule under the header


_FIELDS = ("page", "section", "paper", "date")


@scalar({"type": TEXT, "maxLength": LIMITS["jump"]}, "expected text")
def header_template(item: Item) -> str:
    """Header text with `{page}`, `{section}`, `{paper}`, `{date}` where those go."""
    value = text("a header text", LIMITS["jump"])(item)
    for token in re.findall(r"\{[^{}]*\}?", value):
        if token.strip("{}") not in _FIELDS:
            item.fail(f"unknown placeholder {shown(token)}",
                      "a header text may hold " + ", ".join("{" + f + "}" for f in _FIELDS))
    return value


def _header_rule(item: Item) -> RuleSpec | None:
    spec = RuleSpec(**{"weight": 0.75, **convert_fields(fields_of(item, HEADER_RULE), HEADER_RULE)})
    return spec if spec.weight > 0 else None


HEADER = {
    "outside": Key(header_template),
    "inside": Key(header_template),
    "rule": Key(shape=Record(HEADER_RULE)),  # converted by read_header
}


def read_header(item: Item) -> Header:
    fields = fields_of(item, HEADER)
    values = convert_fields(fields, HEADER)
    if "rule" in fields:
        values["rule"] = _header_rule(fields["rule"])
    return Header(**values)


_LABEL = r"^[0-9A-Za-z一-龥-]{1,8}$"


@scalar({"type": TEXT, "maxLength": 8}, "expected a page label like A3")
def label(item: Item) -> str:
    value = scalar_text(item, "expected a page label like A3").strip()
    if not re.match(_LABEL, value):
        item.fail(f"expected a page label like A3, found {describe_node(item.node)}",
                  "a label is at most 8 letters, digits or Han characters, without spaces")
    return value


@scalar({"type": "string"}, "expected a file name")
def logo_file(item: Item) -> Logo:
    """`paper.logo`: a PDF or an SVG (drawn as a vector form) or a PNG/JPEG (drawn as it is),
    with its size."""
    path = image_file(item, "a logo file")
    name = shown(item.node.value, 80)
    if is_svg(path):
        kind = "svg"
    elif any(_starts_with(path, magic) for magic in (b"%PDF-", b"\x89PNG", b"\xff\xd8")):
        kind = "pdf" if _starts_with(path, b"%PDF-") else "image"
    else:
        item.fail(f'"{name}" is not a PDF, SVG, PNG or JPEG file', "give the 报头 artwork as a PDF "
                  "or SVG (vector) or a PNG at the printed size")
    try:
        width, height = logo_size(path, kind)
    except LogoFileError as e:
        item.fail(f'cannot use the logo "{name}": {e}', "give the 报头 artwork as a well-formed SVG "
                  "of paths, or a PDF (both stay vector) or a PNG" if kind == "svg" else
                  "give the 报头 artwork as a readable PDF (it stays vector) or a PNG")
    return Logo(path, kind, width, height)


def read_table(table_id: str, item: Item) -> Table:
    """`tables.<id>`; every row with the wrong number of cells is a problem at its line (all of
    them recorded, the first raised)."""
    fields = fields_of(item, TABLE)
    values, problems = {}, []
    for key, value in fields.items():  # each key on its own: every problem in one run
        try:
            values.update(convert_fields({key: value}, {key: TABLE[key]}))
        except SpecError as problem:
            problems.append(problem)
    width = len(values["columns"]) if "columns" in values else None
    rows = []
    for row_item in list_items(fields["rows"], "rows"):
        try:
            cells = tuple(cell(c) for c in list_items(row_item, "cells"))
        except SpecError as problem:
            problems.append(problem)
            continue
        if width is not None and len(cells) != width:
            problems.append(_row_problem(row_item, len(cells), width))
        rows.append(cells)
    if len(rows) > TABLE_LIMITS["rows"]:
        problems.append(fields["rows"].error(f"{len(rows)} rows: at most {TABLE_LIMITS['rows']}",
                                             "split the table"))
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        for problem in problems[1:]:
            item.ctx.record(problem)
        raise problems[0]
    return Table(id=table_id, rows=tuple(rows), source=item.source, **values)


def _row_problem(row: Item, cells: int, columns: int) -> SpecError:
    return row.error(f"a row of {cells} cell{'s' if cells != 1 else ''}, the table has "
                     f"{columns} column{'s' if columns != 1 else ''}",
                     'give every row one cell per column; an empty cell is ""')


def row_count_problems(section: Item | None) -> Iterator[SpecError]:
    """Rows with the wrong number of cells, found on the YAML itself: a table with another
    problem is not converted, and a desk wants every bad row in one run."""
    for _, table in first_pairs(section).items():
        fields = first_pairs(table)
        columns, rows = fields.get("columns"), fields.get("rows")
        if not (columns and rows and isinstance(columns.node, yaml.SequenceNode)
                and isinstance(rows.node, yaml.SequenceNode)):
            continue
        width = len(columns.node.value)
        for k, node in enumerate(rows.node.value):
            if isinstance(node, yaml.SequenceNode) and node.value and len(node.value) != width:
                yield _row_problem(Item(node, f"{rows.path}[{k}]", node_line(node), rows.ctx),
                                   len(node.value), width)


def table_chain_problems(ctx: SpecContext, pages: tuple[Page, ...]) -> Iterator[SpecError]:
    """Each table starts in one `table:` module; `table_continue:` modules come after it."""
    started: dict[str, TablePart] = {}
    for page in sorted(pages, key=lambda p: p.number):
        for m in page.modules:
            if not isinstance(m, TablePart):
                continue
            src = m.source
            at = (src.file, src.line, src.path) if src else (ctx.file, None, "pages")
            if not m.continued and m.table in started:
                first = started[m.table].source
                yield SpecError(*at, f'table "{shown(m.table)}" is started twice',
                                f"first at {first.path} (line {first.line}); a later part is "
                                "table_continue" if first else None)
            elif m.continued and m.table not in started:
                yield SpecError(*at, f'table_continue "{shown(m.table)}" comes before the '
                                     'table starts', "a table_continue follows the table's table: "
                                     "module (an earlier page, or earlier in the list)")
            else:
                started.setdefault(m.table, m)
