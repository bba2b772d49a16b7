"""Advertisements (Broadsheet additions, issue 16; docs/spec.md, "Ads, colours and boxes"): `ads:`
records, the ad list `ads_from:` (CSV or YAML, one row per booked ad) whose rows become ad
modules before layout, and the checks that an ad fits its module: never cropped or distorted,
so its printed size must be the module's within `ad_tolerance` (a smaller ad with `fit:
contain`, centred, with a warning).

CSV cells are read through the same converters as YAML values: each row is made into a YAML
mapping node whose values carry the row's line, so a message names the CSV file, row and column.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, NamedTuple

import yaml

from ..model.grid import column_width
from ..model.issue import Ad, AdModule, Format, Page
from ..util.adfile import AdFileError, ad_size
from ..util.errors import SpecError
from .convert import LIMITS, choice, count, image_file, positive_length, text
from .nodes import YAML_TAG, Item, did_you_mean, first_pairs, list_items, shown
from .problems import Records, SpecContext, attempt
from .shapes import Key, fields_of, read_record, scalar

if TYPE_CHECKING:  # checks.py imports the key tables, which import this module's
    from .checks import GridLimits

MM = 72 / 25.4
MAX_LIST_BYTES = 32 * 2**20  # as a spec file
MAX_ROWS = 2000  # booked ads of one edition: a 100-page daily has a few hundred


@scalar({"type": "string"}, "expected a file name")
def ad_file(item: Item) -> Path:
    """An ad file: a PDF, JPEG or PNG, relative to the spec's folder; it must exist."""
    return image_file(item, "an ad file")


AD = {
    "file": Key(ad_file, required=True),
    "client": Key(text("a client name", LIMITS["caption"])),
    "page": Key(count),
    "fit": Key(choice("exact", "contain")),
}


def read_ad(ad_id: str, item: Item) -> Ad:
    """`ads.<id>`: the file read far enough to know its printed size (errors at its keys)."""
    fields = fields_of(item, AD)
    values = read_record(item, AD)
    ad = sized_ad(Ad(id=ad_id, source=item.source, **values), fields)
    if ad.kind == "image" and "page" in fields:
        fields["page"].fail(f"{ad.file.name} is an image, not a PDF: it has no pages",
                            "page: picks the page of a PDF ad")
    return ad


def sized_ad(ad: Ad, fields: Mapping[str, Item]) -> Ad:
    try:
        size = ad_size(ad.file, ad.page)
    except AdFileError as e:
        where = fields["page"] if e.of_page and "page" in fields else fields["file"]
        where.fail(f"cannot use ad {ad.file.name}: {e}",
                   "an ad is a PDF (its first page, or page: N) or a JPEG or PNG at its printed size")
    return replace(ad, width=size.width, height=size.height, kind=size.kind)


@scalar({"type": "string"}, "expected a CSV or YAML file name")
def ads_from_file(item: Item) -> Path:
    path = image_file(item, "an ad list (CSV or YAML)")
    if path.suffix.lower() not in (".csv", ".yaml", ".yml"):
        item.fail(f'"{shown(item.node.value, 80)}" is not a .csv, .yaml or .yml file',
                  "an ad list is a CSV with the columns id, page, col, line, cols, lines, file, client")
    return path


@scalar({"type": ["string", "number"]}, "expected a size in mm (a number) or a length")
def booked_size(item: Item) -> float:
    """An ad list's `width` or `height`: a plain number is mm, as booking systems export sizes
    (`353`); a length with its unit (`353mm`, `1000pt`) as written."""
    value = item.node.value if isinstance(item.node, yaml.ScalarNode) else None
    try:
        number = float(value) if isinstance(value, str) and value.strip() else None
    except ValueError:
        number = None
    if number is None:
        return positive_length(item)
    if not 0 < number < 10_000 or number != number:
        item.fail(f"expected a size in mm greater than 0, found {shown(value)}",
                  "a size is in mm (353) or a length with its unit (353mm)")
    return number * MM


ROW = {
    "id": Key(text("an ad id", 200), required=True),
    "page": Key(count, required=True),
    "col": Key(count, required=True),
    "line": Key(count, required=True),
    "cols": Key(count),
    "lines": Key(count),
    "width": Key(booked_size),
    "height": Key(booked_size),
    "file": Key(ad_file),
    "client": Key(text("a client name", LIMITS["caption"])),
    "ad_page": Key(count, attr="pdf_page"),
    "fit": Key(choice("exact", "contain")),
}


class AdRows:
    """What the rows of `ads_from` gave: ad modules by page number, their ads, and warnings.
    (Plain classes here: a spec without an ad list should not pay for dataclasses.)"""

    def __init__(self) -> None:
        self.modules: dict[int, list[AdModule]] = {}
        self.ads: dict[str, Ad] = {}
        self.notes: list[str] = []


def read_ads_from(ctx: SpecContext, item: Item, ads: Records, fmt: Format, leading: float,
                  grid: GridLimits | None) -> AdRows:
    """The rows of the ad list named by `item`, each read on its own (problems recorded in `ctx`)."""
    path = ads_from_file(item)
    shown_name = item.node.value.strip()
    rows_ctx = SpecContext(str(Path(ctx.file).parent / shown_name) if not Path(shown_name).is_absolute()
                           else shown_name, path.parent, em=ctx.em, colours=ctx.colours)
    rows = _csv_rows(rows_ctx, path) if path.suffix.lower() == ".csv" else _yaml_rows(rows_ctx, path)
    out = AdRows()
    for row in rows:
        attempt(rows_ctx, row, lambda r: _read_row(r, ads, fmt, leading, grid, out))
    for problem in rows_ctx.problems:
        ctx.record(problem)
    return out


def _read_row(row: Item, ads: Records, fmt: Format, leading: float, grid: GridLimits | None,
              out: AdRows) -> None:
    fields = fields_of(row, ROW)
    values = read_record(row, ROW)
    ad_id = values["id"]
    place = _row_place(row, fields, values, fmt, leading, out.notes)
    if grid is not None:
        for problem in grid.problems(place.fields, place.values):
            raise problem
    known = ads.records.get(ad_id)
    if "file" in fields:
        ad = Ad(id=ad_id, file=values["file"], client=values.get("client"),
                page=values.get("pdf_page", 1), fit=values.get("fit", "exact"), source=row.source)
        ad = sized_ad(ad, {"file": fields["file"], **({"page": fields["ad_page"]} if "ad_page" in fields else {})})
    elif known is not None:
        ad = known
    else:
        if not ads.can_tell(ad_id):
            return  # its record in ads has a problem, reported there
        row.fail(f'ad "{shown(ad_id)}" has no file', did_you_mean(ad_id, ads.records)
                 or "give the row a file, or define the ad under ads: in the spec")
    if ad_id in out.ads:
        fields["id"].fail(f'ad "{shown(ad_id)}" is booked twice in the ad list')
    out.ads[ad_id] = ad
    module = AdModule(ad=ad_id, source=row.source, **place.values)
    out.modules.setdefault(values["page"], []).append(module)


class _Place(NamedTuple):
    values: dict[str, int]  # col, line, cols, lines
    fields: dict[str, Item]  # the items to blame for each


def _row_place(row: Item, fields: Mapping[str, Item], values: Mapping[str, Any], fmt: Format,
               leading: float, notes: list[str]) -> _Place:
    """The row's module on the grid: cols/lines as given, or width/height snapped to the grid."""
    place = {"col": values["col"], "line": values["line"]}
    items = {"col": fields["col"], "line": fields["line"]}
    for grid_key, size_key, step, gap in (("cols", "width", column_width(fmt), fmt.gutter),
                                          ("lines", "height", leading, 0.0)):
        if grid_key in fields and size_key in fields:
            fields[size_key].fail(f"give {grid_key} or {size_key}, not both")
        if grid_key in fields:
            place[grid_key], items[grid_key] = values[grid_key], fields[grid_key]
            continue
        if size_key not in fields:
            row.fail(f'missing "{grid_key}" (or "{size_key}" in mm)',
                     "an ad list row gives id, page, col, line, cols, lines, file, client")
        size = values[size_key]
        cells = max(1, round((size + gap) / (step + gap)))
        snapped = cells * step + (cells - 1) * gap
        place[grid_key], items[grid_key] = cells, fields[size_key]
        if abs(snapped - size) > 0.01:
            notes.append(f"{fields[size_key].source}: {size_key} {size / MM:.1f} mm snapped to "
                         f"{cells} {grid_key} ({snapped / MM:.1f} mm)")
    return _Place(place, items)


def _csv_rows(ctx: SpecContext, path: Path) -> list[Item]:
    """Each data row of the CSV as a mapping item (header names as keys, empty cells absent), at
    the line it starts on (a quoted cell may hold line breaks)."""
    try:
        if path.stat().st_size > MAX_LIST_BYTES:
            raise SpecError(ctx.file, None, "ads_from", f"the ad list is larger than "
                            f"{MAX_LIST_BYTES // 2**20} MB", "an edition's bookings fit in far less")
        source = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise SpecError(ctx.file, None, "ads_from", f"cannot read the ad list: {e}") from None
    rows = _csv_lines(ctx, source)
    if not rows:
        raise SpecError(ctx.file, 1, "ads_from", "the ad list is empty",
                        "its first row names the columns: id,page,col,line,cols,lines,file,client")
    header = [h.strip() for h in rows[0][1]]
    if _header_problems(ctx, header):
        return []  # every row would repeat the header's problem
    items: list[Item] = []
    for line, cells in rows[1:]:
        if any(c.strip() for c in cells):
            items.append(_row_item(ctx, header, cells, line, len(items)))
    return items


def _csv_lines(ctx: SpecContext, source: str) -> list[tuple[int, list[str]]]:
    """(line the row starts on, its cells) for each row; strict quoting, at most MAX_ROWS rows."""
    import csv
    import io

    reader = csv.reader(io.StringIO(source, newline=""), strict=True,
                        delimiter=_delimiter(source))
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
            if len(rows) > MAX_ROWS + 1:  # and the header
                raise SpecError(ctx.file, rows[-1][0], "ads_from",
                                f"more than {MAX_ROWS} rows in the ad list")
    except csv.Error as e:
        raise SpecError(ctx.file, start, "ads_from", f"the ad list is not CSV: {e}",
                        "a cell holding a quote is written in double quotes, the quote doubled") from None
    return rows


def _delimiter(source: str) -> str:
    """Commas, unless the header row has none but semicolons (a spreadsheet's CSV where the comma
    is the decimal mark) or tabs (a list copied from a spreadsheet): what the header is split by."""
    header = source.split("\n", 1)[0]
    if "," in header:
        return ","
    return max((";", "\t"), key=header.count) if any(d in header for d in ";\t") else ","


def _header_problems(ctx: SpecContext, header: list[str]) -> bool:
    """The CSV's first row names its columns: each a key of a row, the required ones there, none twice."""
    found = False
    for k, name in enumerate(header):
        if name not in ROW:
            ctx.record(SpecError(ctx.file, 1, "ads_from",
                                 f'unknown column "{shown(name)}" (header cell {k + 1})',
                                 did_you_mean(name, ROW) or "the columns: " + ", ".join(ROW)))
            found = True
        elif name in header[:k]:
            ctx.record(SpecError(ctx.file, 1, "ads_from",
                                 f'column "{name}" is given twice (header cell {k + 1})'))
            found = True
    missing = [key for key, spec in ROW.items() if spec.required and key not in header]
    if missing:
        ctx.record(SpecError(ctx.file, 1, "ads_from", "the header has no column "
                             + ", ".join(f'"{m}"' for m in missing),
                             "its first row names the columns: id,page,col,line,cols,lines,file,client"))
        found = True
    return found


def _row_item(ctx: SpecContext, header: list[str], cells: list[str], line: int, index: int) -> Item:
    mark = yaml.Mark(ctx.file, 0, line - 1, 0, None, None)
    resolver = yaml.resolver.Resolver()  # what YAML would type each cell as (int, bool, …)
    pairs = []
    for key, cell in zip(header, cells):
        cell = cell.strip()
        tag = resolver.resolve(yaml.ScalarNode, cell, (True, False)) if cell else YAML_TAG + "null"
        pairs.append((yaml.ScalarNode(YAML_TAG + "str", key, mark, mark),
                      yaml.ScalarNode(tag, cell, mark, mark)))
    if len(cells) > len(header):
        raise SpecError(ctx.file, line, f"ads_from[{index}]",
                        f"the row has {len(cells)} cells, the header {len(header)}",
                        'a cell holding a comma is written in double quotes ("许昌, 魏都区")')
    lost = _cut_off(header, cells)
    if lost:
        raise SpecError(ctx.file, line, f"ads_from[{index}]",
                        f"the row has {len(cells)} cells, the header {len(header)}: no "
                        + ", ".join(f'"{name}"' for name in lost),
                        "give every row a cell per column; an empty cell is nothing between two "
                        "commas (,,)")
    return Item(yaml.MappingNode(YAML_TAG + "map", pairs, mark, mark), f"ads_from[{index}]", line, ctx)


def _cut_off(header: list[str], cells: list[str]) -> list[str]:
    """The columns a short row needs but does not reach (trailing optional cells may be left off)."""
    given = set(header[:len(cells)])
    lost = [key for key in ("id", "page", "col", "line") if key in header and key not in given]
    for grid, size in (("cols", "width"), ("lines", "height")):
        if not {grid, size} & given:
            lost += [key for key in (grid, size) if key in header]
    return lost if len(cells) < len(header) else []


def _yaml_rows(ctx: SpecContext, path: Path) -> list[Item]:
    from .yamlread import compose_spec

    root = compose_spec(ctx.file, path)
    root = Item(root.node, "ads_from", root.line, ctx)
    found = first_pairs(root).get("ads") if isinstance(root.node, yaml.MappingNode) else root
    if found is None:
        root.fail("expected a list of ad rows (or a mapping with the key ads: and such a list)")
    items = list_items(Item(found.node, "ads_from", found.line, ctx), "ad rows")
    if len(items) > MAX_ROWS:
        items[MAX_ROWS].fail(f"more than {MAX_ROWS} rows in the ad list")
    return items


# --- an ad against its module ----------------------------------------------------------------------

def ad_fit_problems(pages: tuple[Page, ...], ads: Mapping[str, Ad], fmt: Format, leading: float,
                    tolerance: float, notes: list[str]) -> list[SpecError]:
    """Each ad module whose ad is not its size within `tolerance` (a smaller one with `fit:
    contain` is a warning in `notes`)."""
    problems = []
    colw = column_width(fmt)
    for page in pages:
        for module in page.modules:
            if not isinstance(module, AdModule) or module.ad not in ads:
                continue
            ad = ads[module.ad]
            mw = module.cols * colw + (module.cols - 1) * fmt.gutter
            mh = module.lines * leading
            problem = _fit(module, ad, mw, mh, tolerance, notes)
            if problem is not None:
                problems.append(problem)
    return problems


def _fit(module: AdModule, ad: Ad, mw: float, mh: float, tolerance: float,
         notes: list[str]) -> SpecError | None:
    if abs(ad.width - mw) <= tolerance and abs(ad.height - mh) <= tolerance:
        return None
    src = module.source
    sizes = (f'ad "{shown(ad.id)}" ({ad.file.name}) is {_mm(ad.width, ad.height)}, its module '
             f"({module.cols} column{'s' * (module.cols != 1)} × {module.lines} "
             f"line{'s' * (module.lines != 1)}) is {_mm(mw, mh)}")
    smaller = ad.width <= mw + tolerance and ad.height <= mh + tolerance
    if smaller and ad.fit == "contain":
        notes.append(f"{src}: {sizes}: placed centred (fit: contain)")
        return None
    return SpecError(src.file if src else "", src.line if src else None, src.path if src else "ads",
                     sizes + f" (more than {_mm1(tolerance)} apart)",
                     ("a smaller ad may be placed centred with fit: contain; " if smaller else "")
                     + "an ad is never cropped or scaled: ask for the ad at the module's size, "
                       "or size the module to the ad")


def _mm(w: float, h: float) -> str:
    return f"{w / MM:.1f} × {h / MM:.1f} mm"


def _mm1(v: float) -> str:
    return f"{v / MM:g} mm"


def overlaps_with_rows(pages: tuple[Page, ...], rows: AdRows) -> tuple[tuple[Page, ...], list[SpecError]]:
    """The pages with the ad list's modules added (after their own), and every overlap of an ad
    row with a module or another row; rows on pages the spec does not have are errors."""
    from .checks import overlap_problems

    by_number = {p.number: p for p in pages}
    problems = []
    for number, modules in rows.modules.items():
        if number not in by_number:
            for m in modules:
                src = m.source
                problems.append(SpecError(src.file, src.line, f"{src.path}.page",
                                          f"no page {number} in pages",
                                          "pages has: " + ", ".join(str(n) for n in sorted(by_number))))
    out = []
    for page in pages:
        added = tuple(rows.modules.get(page.number, ()))
        if added:
            combined = page.modules + added
            problems += [p for p in overlap_problems(combined)
                         if any(p.line == m.source.line and p.file == m.source.file for m in added)
                         or _names_row(p, added)]
            page = replace(page, modules=combined)
        out.append(page)
    return tuple(out), problems


def _names_row(problem: SpecError, added: tuple[AdModule, ...]) -> bool:
    return any(f'ad "{m.ad}"' in problem.problem for m in added)
