"""Issue 16 on the PDF written: tables (alignment, baselines, header font, rules, tint, overset),
rule modules, page labels in the header, jump lines and index box, the masthead logo."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pikepdf
import pytest

from layout.desk.render import render_spec
from layout.model.grid import page_grid
from layout.spec.load import load_issue
from layout.util.errors import LayoutError
from pdftext import cells, lines_in, page_glyphs
from tabledition import STOCKS_LINE, WEATHER_LINE, line_of, table_edition


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tables")
    spec = table_edition(folder, logo="pdf")
    pdf = folder / "tables.pdf"
    render_spec(spec, pdf)
    return spec, pdf


@pytest.fixture(scope="module")
def glyphs(rendered):
    return page_glyphs(rendered[1])


def grid_of(spec: Path, page: int):
    issue = load_issue(spec)
    return page_grid(issue.format, issue.styles["body"].leading, page)


def module_lines(spec, glyphs, page, col, line, cols, lines):
    g = grid_of(spec, page)
    x0 = g.column_x(col)
    return lines_in(glyphs[page - 1], x0, x0 + g.span_width(cols), g.band_top(line),
                    g.band_top(line + lines))


def column_of(line, k_from_right: int) -> list:
    """The glyphs of a table row's cell, counted from the right."""
    row = cells(line)
    return row[len(row) - 1 - k_from_right]


def test_decimal_points_align_on_the_pdf(rendered, glyphs):
    spec, _ = rendered
    rows = module_lines(spec, glyphs, 2, 4, STOCKS_LINE, 3, 8)[1:]  # below the header row
    assert len(rows) == 7  # 7 rows and the header in 8 lines; 3 rows continue
    for k in (0, 1):  # 涨跌幅, 收盘
        points = [next(g.x for g in column_of(r, k) if g.ch == ".") for r in rows]
        assert max(points) - min(points) < 0.1, points
    closing = ["".join(g.ch for g in column_of(r, 1)) for r in rows]
    assert closing == ["22.15", "18.06", "4.5", "5.83", "12.3", "3.41", "6.02"]


def test_right_aligned_and_decimal_without_point(rendered, glyphs):
    spec, _ = rendered
    rows = module_lines(spec, glyphs, 2, 1, WEATHER_LINE, 3, 12)[1:6]
    rights = [column_of(r, 1)[-1].right for r in rows]  # 气温, right-aligned
    assert max(rights) - min(rights) < 0.1
    rain = [column_of(r, 0) for r in rows]
    # "0" has no point: it ends where the point of 0.0 stands.
    point = next(g.x for g in rain[0] if g.ch == ".")
    assert abs(rain[3][-1].right - point) < 0.1


def test_rows_sit_on_the_body_baseline_grid(rendered, glyphs):
    spec, _ = rendered
    g = grid_of(spec, 2)
    rows = module_lines(spec, glyphs, 2, 1, WEATHER_LINE, 3, 12)
    assert rows[1].text.startswith("许昌")
    for j, row in enumerate(rows[1:6]):
        assert abs(row.baseline - g.baseline(WEATHER_LINE + 1 + j, 9.0)) < 0.05


def test_header_row_in_the_headline_font(rendered, glyphs):
    spec, _ = rendered
    head, first = module_lines(spec, glyphs, 2, 4, STOCKS_LINE, 3, 8)[:2]
    assert head.text == "股票收盘涨跌幅"
    assert {g.font.split("+")[-1] for g in head.glyphs} == {"NotoSansCJKsc-Bold"}
    assert {g.font.split("+")[-1] for g in first.glyphs if not g.ch.isascii()} == {"NotoSerifCJKsc-Regular"}


def test_continuation_repeats_the_header_and_takes_the_rest(rendered, glyphs):
    spec, _ = rendered
    rows = module_lines(spec, glyphs, 2, 7, STOCKS_LINE, 2, 10)
    assert [r.text[:4] for r in rows] == ["股票收盘", "金汇科技", "许昌智能", "恒达电子"]


def drawn(pdf: Path, page: int):
    """(rules as (x1, y1, x2, y2, width), fills as (x, y, w, h, cmyk)) in page coordinates, y down."""
    with pikepdf.open(pdf) as doc:
        p = doc.pages[page - 1]
        left, _, _, top = (float(v) for v in p.trimbox)
        width, fill, start, rules, fills = None, None, None, [], []
        for operands, op in pikepdf.parse_content_stream(p):
            op = str(op)
            values = [float(v) for v in operands if isinstance(v, (int, float, Decimal))]
            if op == "w":
                width = values[0]
            elif op == "k":
                fill = tuple(values)
            elif op == "m":
                start = values
            elif op == "l":
                rules.append((start[0] - left, top - start[1], values[0] - left, top - values[1], width))
            elif op == "re":
                x, y, w, h = values
                fills.append((x - left, top - y - h, w, h, fill))
    return rules, fills


def test_rule_module_drawn_at_its_rectangle(rendered):
    spec, pdf = rendered
    g = grid_of(spec, 2)
    rules, _ = drawn(pdf, 2)
    y0 = g.band_top(31)
    inside = [r for r in rules if y0 <= r[1] <= y0 + g.leading and r[1] == r[3]
              and abs(r[0] - g.column_x(1)) < 0.01 and abs(r[2] - g.column_x(1) - g.span_width(8)) < 0.01]
    assert [round(r[4], 4) for r in sorted(inside, key=lambda r: r[1])] == [2.0, 0.6667]  # thick-thin
    heavy = next(r for r in inside if r[4] == 2.0)
    thin = next(r for r in inside if r[4] != 2.0)
    height = 1.5 * 2 + 2 / 3  # the heavy line, half its weight of space, the thin line
    assert abs((heavy[1] - 1.0) - (y0 + (g.leading - height) / 2)) < 0.01  # centred in the module
    assert abs(thin[1] - (heavy[1] + 1.0 + 1.0 + 1 / 3)) < 0.01


def test_table_rules_and_zebra_tint(rendered):
    spec, pdf = rendered
    g = grid_of(spec, 2)
    rules, fills = drawn(pdf, 2)
    x0, x1 = g.column_x(1), g.column_x(1) + g.span_width(3)
    top = g.band_top(WEATHER_LINE)
    table_rules = sorted((round(r[1], 2), r[4]) for r in rules
                         if abs(r[0] - x0) < 0.01 and abs(r[2] - x1) < 0.01 and top <= r[1] < top + 8 * g.leading)
    # the 0.75 pt rule over the header, 0.5 under it, 0.75 under the last row: none between rows
    assert [w for _, w in table_rules] == [0.75, 0.5, 0.75]
    assert abs(table_rules[0][0] - (top + 0.375)) < 0.01
    sx0, sx1 = g.column_x(4), g.column_x(4) + g.span_width(3)
    stock_rules = [r[4] for r in sorted(rules, key=lambda r: r[1])
                   if abs(r[0] - sx0) < 0.01 and abs(r[2] - sx1) < 0.01 and top <= r[1] < top + 8 * g.leading]
    assert stock_rules == [0.75, 0.5] + [0.3] * 6 + [0.75]  # rules: rows (the default) between its 7
    tints = [f for f in fills if f[4] == (0.0, 0.0, 0.0, 0.1) and abs(f[0] - x0) < 0.01]
    assert len(tints) == 2  # rows 2 and 4 of 5
    for f, row in zip(tints, (2, 4)):  # each covers its row's grid line
        assert f[1] < g.baseline(WEATHER_LINE + row, 9.0) < f[1] + f[3]


def test_page_label_in_header_jump_line_and_index(rendered, glyphs):
    spec, _ = rendered
    g = grid_of(spec, 2)
    header = lines_in(glyphs[1], 0, 2000, g.top - 2 * g.leading, g.top)
    assert any(line.text.startswith("A2要闻") for line in header)  # the outside edge of page 2
    text = "".join(line.text for line in lines_in(glyphs[0], 0, 2000, 0, 2000))
    assert "（下转A2版）" in text and "第二版" not in text
    assert "详见A2版" in text


def test_logo_drawn_instead_of_the_name(rendered, glyphs):
    spec, pdf = rendered
    with pikepdf.open(pdf) as doc:
        xobjects = doc.pages[0].Resources.XObject
        forms = [x for x in xobjects.values() if x.Subtype == "/Form"]
        assert len(forms) == 1 and "/XObject" not in forms[0].Resources  # paths, not an image
    g = grid_of(spec, 1)
    masthead = lines_in(glyphs[0], 0, g.column_x(6), g.top, g.band_top(21))
    assert masthead and not any("许昌日报" in line.text and line.glyphs[0].size > 20
                                for line in masthead)
    assert any(line.text == "XUCHANGDAILY" for line in masthead)


def test_png_logo_is_a_picture(tmp_path):
    spec = table_edition(tmp_path, logo="png")
    pdf = tmp_path / "png.pdf"
    render_spec(spec, pdf)
    with pikepdf.open(pdf) as doc:
        kinds = sorted(str(x.Subtype) for x in doc.pages[0].Resources.XObject.values())
    assert kinds == ["/Image"] * 3  # the logo and the two photos
    g = grid_of(spec, 1)
    masthead = lines_in(page_glyphs(pdf)[0], 0, g.column_x(6), g.top, g.band_top(21))
    assert masthead and not any("许昌日报" in line.text and line.glyphs[0].size > 20
                                for line in masthead)


def test_table_too_tall_is_overset_with_its_rows(tmp_path):
    spec = table_edition(tmp_path, stock_lines=4, continue_lines=6)  # 3 rows, 5 more: 2 short
    with pytest.raises(LayoutError) as caught:
        render_spec(spec, tmp_path / "out.pdf")
    line = line_of(spec, "{table_continue: stocks")
    assert f"{spec}:{line}: pages[1].modules[5]: the table 'stocks' (2 rows short) needs 8 " \
           "lines, its module gives it 6" in str(caught.value)


def test_table_too_wide_is_refused(tmp_path):
    spec = table_edition(tmp_path)
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "{table: weather, col: 1, line: 32, cols: 3", "{table: weather, col: 1, line: 32, cols: 1"),
        encoding="utf-8")
    with pytest.raises(LayoutError) as caught:
        render_spec(spec, tmp_path / "out.pdf")
    assert str(caught.value).startswith(
        f"{spec}:{line_of(spec, '{table: weather')}: pages[1].modules[3]: table 'weather' is "
        "158.9 pt wide with each column as wide as its widest cell, its module 117.2 pt (its "
        "widest column: '降水(mm)', 53.4 pt)\n"
        "  give the module more columns, or a smaller style (tables.weather.style); cells are never "
        "wrapped or letter-spaced")


def test_header_options_on_the_pdf(tmp_path):
    """`header:` sets the outside text from its template and can drop the rule under it."""
    spec = table_edition(tmp_path, extra="header: {outside: '{section}·{page}', "
                                         "rule: {weight: 1.5pt, style: double, colour: red}}\n")
    pdf = tmp_path / "header.pdf"
    render_spec(spec, pdf)
    g = grid_of(spec, 2)
    header = lines_in(page_glyphs(pdf)[1], 0, 2000, g.top - 2 * g.leading, g.top)
    assert any(line.text.startswith("要闻·A2") for line in header)
    rules, _ = drawn(pdf, 2)
    y = g.top - 0.35 * g.leading
    under = sorted((round(r[1] - y, 3), r[4]) for r in rules if y - 0.01 <= r[1] < g.top)
    assert under == [(0.0, 1.5), (3.0, 1.5)]  # double: two lines of the weight, a weight apart
    spec.write_text(spec.read_text(encoding="utf-8").replace("weight: 1.5pt", "weight: 0pt"),
                    encoding="utf-8")
    render_spec(spec, pdf)
    assert not [r for r in drawn(pdf, 2)[0] if y - 0.01 <= r[1] < g.top]


def test_a_logo_is_an_input_a_render_does_not_overwrite(tmp_path):
    from layout.desk.render import OutputError

    spec = table_edition(tmp_path, logo="pdf")
    with pytest.raises(OutputError) as caught:
        render_spec(spec, tmp_path / "logo.pdf")
    assert str(caught.value).startswith(
        f"cannot write output: {tmp_path / 'logo.pdf'} is the masthead logo (paper.logo)")


def test_table_text_is_in_the_glyph_check(tmp_path):
    from layout.desk.render import plan_spec

    spec = table_edition(tmp_path)
    spec.write_text(spec.read_text(encoding="utf-8").replace("[瑞贝卡, 3.41", "[瑞贝卡\U000f0001, 3.41"),
                    encoding="utf-8")
    missing = plan_spec(spec)[1].missing
    assert [(m.where, m.char) for m in missing] == [("table stocks", "\U000f0001")]
    assert missing[0].source.path == "tables.stocks"


def test_small_cells_keep_the_body_baselines(tmp_path):
    """Cells in a style smaller than the body (caption, 8 pt) still sit on the body's baselines."""
    from layout.desk.render import plan_spec

    spec = table_edition(tmp_path)
    spec.write_text(spec.read_text(encoding="utf-8").replace("    zebra: 10%\n",
                                                             "    zebra: 10%\n    style: caption\n"),
                    encoding="utf-8")
    issue, plan = plan_spec(spec)
    g = grid_of(spec, 2)
    cells = sorted({round(i.baseline, 3) for i in plan.pages[1].items
                    if getattr(i, "role", "") == "table_cell" and i.size == 8.0})
    assert cells == [round(g.baseline(WEATHER_LINE + k, 9.0), 3) for k in range(1, 6)]


def test_a_logo_with_no_room_crowds_the_masthead(tmp_path):
    from layout.desk.render import plan_spec

    spec = table_edition(tmp_path, logo="png")
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "{masthead: true,              col: 1, line: 1,   cols: 5, lines: 20}",
        "{masthead: true,              col: 1, line: 1,   cols: 5, lines: 6}"), encoding="utf-8")
    crowded = plan_spec(spec)[1].crowded
    assert [str(c).split(": ", 2)[2] for c in crowded] == [
        "the masthead, with its logo, needs 8 lines, its module gives it 6"]
