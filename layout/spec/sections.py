"""Reading the root sections other than `pages`: issue, fonts, format, styles (with the grid they
define), and the id → record sections (images, indexes, articles).

Each function converts one section and raises its first problem; the loader records it (`attempt`).
`read_styles` and `read_records` read each style and each record on its own, recording their problems.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, Mapping

from ..model.grid import column_width, lines_per_page, type_height, type_width
from ..model.issue import STYLE_NAMES, Format, IssueInfo, Style
from ..util.units import format_pt
from .checks import GridLimits, LastPage, grid_why
from .vertical import TierRoom
from .convert import font
from .defaults import BODY_LEADING, DEFAULT_STYLES, given_style, like_body, round_pt, with_fonts
from .nodes import Item, did_you_mean, first_pairs, map_entries, shown
from .problems import FAILED, Records, SpecContext, attempt
from .shapes import Key, convert_fields, fields_of, read_record
from .tables import BODY_STYLE, FORMAT, ISSUE, STYLE, STYLES, TRIM


MAX_PAGE = 14400.0  # pt: the largest page PDF readers accept (200 in, without UserUnit)


def read_issue(item: Item) -> tuple[IssueInfo, LastPage]:
    fields = fields_of(item, ISSUE)
    issue = IssueInfo(**convert_fields(fields, ISSUE))
    return issue, LastPage(issue.pages_total, fields.get("pages_total"))


def read_fonts(item: Item) -> dict[str, str]:
    fonts = {role: font(value) for role, value in map_entries(item)}
    if not fonts:
        item.fail("expected at least one font role, found an empty mapping")
    return fonts


def read_format(item: Item) -> Format:
    fields = fields_of(item, FORMAT)
    values = convert_fields(fields, FORMAT)
    fmt = Format(**values.pop("trim"), **values.pop("margins"), **values)
    if type_width(fmt) <= 0 or type_height(fmt) <= 0:
        fields["margins"].fail("the margins leave no type area",
                               f"trim {format_pt(fmt.trim_width)} × {format_pt(fmt.trim_height)}")
    for length, key in ((fmt.trim_width, "width"), (fmt.trim_height, "height")):
        sheet = length + 2 * fmt.bleed
        if _exceeds(sheet, MAX_PAGE):
            where = fields["bleed"] if "bleed" in fields and not _exceeds(length, MAX_PAGE) else \
                fields_of(fields["trim"], TRIM)[key]
            where.fail(f"a sheet of {_pt_above(sheet, MAX_PAGE)} with its bleed is larger than "
                       f"a PDF page can be ({format_pt(MAX_PAGE)}, 5080 mm)",
                       f"trim {key} {format_pt(length, 3)}, bleed {format_pt(fmt.bleed, 3)} on each side")
    if column_width(fmt) <= 0:
        fields["columns"].fail(f"{fmt.columns} columns with {format_pt(fmt.gutter)} gutters do not fit "
                               f"the type width of {format_pt(type_width(fmt))}")
    return fmt


# Styles set in a story's body columns (a column's measure at least: `body_cols` are wider).
IN_COLUMNS = ("body", "subhead", "strong", "emphasis", "quote", "lead", "jump")


def read_styles(ctx: SpecContext, item: Item, fonts: Any, fmt: Any) -> Any:
    """The styles, each given style read on its own; font roles checked when the fonts could be
    read, indents when the format could."""
    items = fields_of(item, STYLES)
    given = {name: attempt(ctx, value, lambda v, name=name: _style_values(
                 v, BODY_STYLE if name == "body" else STYLE, None if fonts is FAILED else fonts))
             for name, value in items.items()}
    if any(values is FAILED for values in given.values()):
        return FAILED
    column = None if fmt is FAILED else column_width(fmt)
    for name, values in given.items():
        fields = fields_of(items[name], BODY_STYLE if name == "body" else STYLE)
        if column is not None and values.get("indent") is not None and values["indent"] >= column:
            fields["indent"].fail(
                f"an indent of {format_pt(values['indent'])} is as wide as the column or wider "
                f"({format_pt(column)})", "a paragraph indent is usually 2em")
        if column is not None and name in IN_COLUMNS and values.get("size") is not None \
                and values["size"] > column:
            fields["size"].fail(
                f"a size of {format_pt(values['size'])} is wider than a column "
                f"({format_pt(column)}): not one character of {name} text would fit a line",
                "body text is usually 9–10.5pt, a subhead about 1.1 × that")
        if column is not None and values.get("inset") is not None and \
                values["inset"] >= column / 2:
            fields["inset"].fail(
                f"an inset of {format_pt(values['inset'])} leaves less than half the column "
                f"({format_pt(column)}) for text", "a quote is usually set in by 2em")
    body_style = Style(**given["body"])
    if body_style.leading is None:  # the grid needs it; fill it in so every stage uses the same value
        body_style = replace(body_style, leading=round_pt(BODY_LEADING * body_style.size))
    styles = {"body": body_style}
    for name in STYLE_NAMES[1:]:  # in order: derived styles see the final headline style
        default = with_fonts(name, DEFAULT_STYLES.get(name, like_body)(styles),
                             {} if fonts is FAILED else fonts)
        styles[name] = given_style(name, default, given.get(name, {}))
    for name, values in given.items():  # against the final size, given or by default
        style = styles[name]
        if values.get("leading") is not None and style.leading < style.size:
            fields_of(items[name], BODY_STYLE if name == "body" else STYLE)["leading"].fail(
                f"a leading of {format_pt(style.leading)} is less than the type size of "
                f"{format_pt(style.size)}", "lines would overprint; a leading is usually 1.2–1.5 × the size")
    return styles


def read_grid(styles: Item, fmt: Format, body_style: Style) -> GridLimits:
    lines = lines_per_page(fmt, body_style.leading or BODY_LEADING * body_style.size)
    why = grid_why(styles, fmt, body_style, lines)
    if lines < 1:
        styles.fail("the body leading is taller than the type area", why)
    leading = body_style.leading or BODY_LEADING * body_style.size
    return GridLimits(fmt.columns, lines, why, TierRoom(leading, fmt.gutter, body_style.size))


def _style_values(item: Item, table: Mapping[str, Key], fonts: Mapping[str, str] | None) -> dict[str, Any]:
    fields = fields_of(item, table)
    values = convert_fields(fields, table)
    role = values.get("font")
    if role is not None and fonts is not None and role not in fonts:
        fields["font"].fail(f'no font role "{shown(role)}" in fonts',
                            did_you_mean(role, fonts) or "fonts has: " + ", ".join(fonts))
    return values


def read_records(ctx: SpecContext, item: Item | None, build: Callable[[str, Item], Any]) -> Records:
    """An id → record mapping (images, indexes, articles), each record read on its own."""
    if item is None:
        return Records({})
    if ctx.has_problem_at(item.path):  # not a mapping, or a duplicate id: no id can be told
        return Records({}, readable=False)
    records: dict[str, Any] = {}
    broken: set[str] = set()
    for key, value in first_pairs(item).items():
        record = attempt(ctx, value, lambda v: build(key, v))
        if record is FAILED:
            broken.add(key)
        else:
            records[key] = record
    return Records(records, frozenset(broken))


def record_builder(cls: type, table: Mapping[str, Key]) -> Callable[[str, Item], Any]:
    """Builds the record `cls` of one id (images, indexes) from its mapping."""
    return lambda record_id, item: cls(id=record_id, source=item.source, **read_record(item, table))


def _exceeds(value: float, limit: float) -> bool:
    """`value > limit`, for lengths made of mm: 5074 mm + 2 × 3 mm is 5080 mm, not 5080.000000001."""
    return round(value, 6) > limit


def _pt_above(value: float, limit: float) -> str:
    """`value` in pt with enough decimals to show that it is more than `limit` (which `_exceeds` said)."""
    digits = next((d for d in range(2, 6) if round(value, d) > limit), 6)
    return format_pt(value, digits)
