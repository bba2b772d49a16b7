"""Issue 16's tables, rules, header, labels and logo in the spec: every problem at its line and key,
all in one run, in the loader's words."""
from __future__ import annotations

from pathlib import Path

import pytest

from layout.model.issue import RuleModule, RuleSpec, TableContinueModule, TableModule
from layout.spec.load import load_issue
from layout.util.errors import SpecError
from tabledition import line_of, table_edition


def problems(tmp_path: Path, *edits: tuple[str, str], files: dict[str, bytes] | None = None) -> str:
    spec = table_edition(tmp_path)
    text = spec.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    spec.write_text(text, encoding="utf-8")
    for name, data in (files or {}).items():
        (tmp_path / name).write_bytes(data)
    with pytest.raises(SpecError) as caught:
        load_issue(spec)
    return str(caught.value).replace(f"{spec}:", "")


def test_the_edition_loads_its_tables_rules_and_labels(tmp_path):
    issue = load_issue(table_edition(tmp_path))
    weather = issue.tables["weather"]
    assert [c.align for c in weather.columns] == ["left", "center", "right", "decimal"]
    assert weather.rows[0] == ("许昌", "晴", "26～35", "0.0")  # as written, 0.0 not 0
    assert weather.zebra == 0.1 and weather.rules == "none" and weather.style == "body"
    kinds = [type(m) for m in issue.pages[1].modules[2:]]
    assert kinds == [RuleModule, TableModule, TableModule, TableContinueModule]
    assert issue.pages[1].modules[2].rule == RuleSpec(2.0, "thick-thin")  # black
    assert issue.pages[1].label == "A2" and issue.pages[0].label is None


def test_every_bad_row_and_value_in_one_run(tmp_path):
    assert problems(tmp_path, ("[许昌, 晴, 26～35, 0.0]", "[许昌, 晴, 26～35]"),
                    ("[开封, 晴, 26～36, 0]", "[开封, 晴, 26～36, 0, 1, 2]"),
                    ("zebra: 10%", "zebra: 10"), ("{title: 股票}", "{title: 股票, align: middle}")) == (
        '209: tables.weather.rows[0]: a row of 3 cells, the table has 4 columns\n'
        '  give every row one cell per column; an empty cell is ""\n'
        '212: tables.weather.rows[3]: a row of 6 cells, the table has 4 columns\n'
        '  give every row one cell per column; an empty cell is ""\n'
        '215: tables.weather.zebra: expected a percentage like 10%, found 10\n'
        '  a tint is 0% to 100% of black, written with %\n'
        '219: tables.stocks.columns[0].align: expected one of left, right, center, decimal, '
        'found "middle"\n'
        '4 problems')


def test_references_styles_and_rule_colours(tmp_path):
    text = problems(tmp_path, ("{table: weather,", "{table: wether,"),
                    ("    rules: none\n", "    rules: none\n    style: tabel\n"),
                    ("{weight: 2pt, style: thick-thin}", "{weight: 2pt, style: thick-thin, colour: blue}"))
    assert text.splitlines()[:5] == [
        '75: pages[1].modules[2].rule.colour: no colour "blue" in colours',
        '  colours has: K, black, red, white',
        '76: pages[1].modules[3].table: no table "wether" in tables',
        '  did you mean "weather"?',
        '217: tables.weather.style: no style "tabel" in styles']


def test_continuation_before_its_table(tmp_path):
    text = problems(tmp_path, ("{table: stocks, col: 4", "{table_continue: stocks, col: 4"),
                    ("{table_continue: stocks, col: 7", "{table: stocks, col: 7"))
    assert text == ('77: pages[1].modules[4]: table_continue "stocks" comes before the table '
                    "starts\n  a table_continue follows the table's table: module (an earlier "
                    "page, or earlier in the list)")


def test_a_label_names_one_page(tmp_path):
    assert problems(tmp_path, ("  - number: 1\n", "  - number: 1\n    label: A2\n")) == (
        '72: pages[1].label: label "A2" is given twice\n'
        '  first at pages[0].label (line 56); every page has its own label')


def test_sizeless_svg_and_damaged_logos_are_refused(tmp_path):
    logo = ("  name_latin: XUCHANG DAILY\n", "  name_latin: XUCHANG DAILY\n  logo: logo.svg\n")
    assert problems(tmp_path, logo, files={"logo.svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>'}) == (
        '13: paper.logo: cannot use the logo "logo.svg": it has no size: give its <svg> element a '
        'width and height (or a viewBox)\n'
        "  give the 报头 artwork as a well-formed SVG of paths, or a PDF (both stay vector) or a PNG")
    broken = (logo[0], logo[1].replace("svg", "pdf"))
    assert problems(tmp_path, broken, files={"logo.pdf": b"%PDF-1.4\ngarbage"}).startswith(
        '13: paper.logo: cannot use the logo "logo.pdf": the PDF is damaged (')


def test_header_templates_know_their_fields(tmp_path):
    assert problems(tmp_path, ("spec_version: 1\n", "spec_version: 1\nheader: {outside: '{page}{sektion}'}\n")) == (
        "9: header.outside: unknown placeholder {sektion}\n"
        "  a header text may hold {page}, {section}, {paper}, {date}")


def test_header_options(tmp_path):
    spec = table_edition(tmp_path, extra="header: {outside: '{section}·{page}', rule: {weight: 0pt}}\n")
    issue = load_issue(spec)
    assert issue.header.outside == "{section}·{page}" and issue.header.rule is None
    assert line_of(spec, "header:") > 200


def test_logo_with_fonts_not_embedded_is_refused(tmp_path):
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(tmp_path / "ad-hoc.pdf"), pagesize=(300, 100), invariant=1)
    c.drawString(10, 10, "XUCHANG")  # Helvetica: a base font, never embedded by reportlab
    c.save()
    logo = ("  name_latin: XUCHANG DAILY\n", "  name_latin: XUCHANG DAILY\n  logo: ad-hoc.pdf\n")
    assert problems(tmp_path, logo) == (
        '13: paper.logo: cannot use the logo "ad-hoc.pdf": its font Helvetica is not embedded; '
        "export it with fonts embedded or as outlines\n"
        "  give the 报头 artwork as a readable PDF (it stays vector) or a PNG")


def test_a_rotated_or_encrypted_logo_is_refused(tmp_path):
    """The logo's PDF is read as an ad's is (util/pdfpage.py): a /Rotate page would print on its side."""
    import pikepdf

    from tabledition import logo_pdf

    logo = ("  name_latin: XUCHANG DAILY\n", "  name_latin: XUCHANG DAILY\n  logo: turned.pdf\n")
    source = logo_pdf(tmp_path / "src.pdf")
    with pikepdf.open(source) as pdf:
        pdf.pages[0].obj["/Rotate"] = 270
        pdf.save(tmp_path / "turned.pdf")
    assert problems(tmp_path, logo).splitlines()[0] == (
        '13: paper.logo: cannot use the logo "turned.pdf": page 1 is rotated by 270° (/Rotate): '
        "placed as it is it would print on its side; ask for the logo upright")
    with pikepdf.open(source) as pdf:
        pdf.save(tmp_path / "turned.pdf", encryption=pikepdf.Encryption(owner="o", user="secret"))
    assert problems(tmp_path, logo).splitlines()[0] == (
        '13: paper.logo: cannot use the logo "turned.pdf": the PDF is encrypted with a password; '
        "export it as an unprotected file")
