"""Follow-ups of issue 16, judged on the PDF written: 套红 for one story's headline
(`headline_colour` on its module), an SVG masthead logo drawn as vectors, and the rules where a
table stands under a box."""
from __future__ import annotations

import ctypes
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest

from layout.desk.render import render_spec
from layout.model.grid import page_grid
from layout.spec.load import load_issue
from layout.util.errors import SpecError

from editions import MINIMAL_SPEC

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "issue_specs" / "xuchang-2022-06-17-ads.yaml"


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    pdf = tmp_path_factory.mktemp("follow16") / "ed.pdf"
    render_spec(SPEC, pdf)
    return pdf


def text_by_fill(pdf: Path, page: int) -> dict[tuple[int, int, int], str]:
    """The page's characters grouped by their fill colour as pdfium renders it (RGB 0–255)."""
    textpage = pdfium.PdfDocument(str(pdf))[page - 1].get_textpage()
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    out: dict[tuple[int, int, int], str] = {}
    for i in range(textpage.count_chars()):
        ch = textpage.get_text_range(i, 1)
        if not ch.strip():
            continue
        raw.FPDFText_GetFillColor(textpage.raw, i, r, g, b, a)
        key = (r.value, g.value, b.value)
        out[key] = out.get(key, "") + ch
    return out


def spot_red(pdf: Path) -> tuple[int, int, int]:
    """How pdfium shows the edition's 套红 spot ink: the fill of the lead headline's characters."""
    fills = text_by_fill(pdf, 1)
    return next(colour for colour, text in fills.items() if text.startswith("「手拉手」"))


# -- 1. 套红 for one story ---------------------------------------------------------------------------

def test_only_the_lead_storys_headline_is_taohong(edition):
    issue = load_issue(SPEC)
    lead = issue.articles["shoulashou"]
    fills = text_by_fill(edition, 1)
    red = spot_red(edition)
    assert fills[red] == lead.headline  # the lead's headline, and nothing else on A1
    assert red[0] > 200 and red[1] < 80 and red[2] < 80
    for number in (1, 2):
        for colour, text in text_by_fill(edition, number).items():
            if colour != red:
                continue
            assert number == 1 and text == lead.headline
    for other in ("law_society", "renda", "duanping"):  # the other headlines of A1: black
        headline = issue.articles[other].headline.replace("(", "（").replace(")", "）")
        assert not any(headline[:4] in text for colour, text in fills.items()
                       if colour[0] > 200 and colour[1] < 80), other


def test_the_spot_ink_of_the_headline_is_its_separation(edition):
    import pikepdf

    with pikepdf.open(edition) as pdf:
        page = pdf.pages[0]
        spaces = {str(k): v for k, v in page.Resources.ColorSpace.items()}
        (name,) = [k for k, s in spaces.items() if s[0] == "/Separation"]
        assert str(spaces[name][1]) == "/PANTONE 485 C"
        text_colours = []
        fill = None
        for operands, op in pikepdf.parse_content_stream(page):
            op = str(op)
            if op == "cs":
                fill = str(operands[0])
            elif op in ("g", "k", "rg"):
                fill = op
            elif op in ("TJ", "Tj"):
                text_colours.append(fill)
        assert text_colours.count(name) == 1  # the lead headline, one display line: no other text


def minimal(tmp_path: Path, module_extra: str = "", style_extra: str = "",
            colours: str = "") -> Path:
    (tmp_path / "photo.jpg").write_bytes((ROOT / "issue_specs" / "photo-1.jpg").read_bytes())
    text = MINIMAL_SPEC.replace("{article: a, col: 1, line: 1, cols: 2, lines: 10}",
                                "{article: a, col: 1, line: 1, cols: 2, lines: 10" + module_extra + "}")
    text = text.replace("body: {font: song, size: 10pt, leading: 12pt}",
                        "body: {font: song, size: 10pt, leading: 12pt}" + style_extra)
    spec = tmp_path / "spec.yaml"
    spec.write_text(text + colours, encoding="utf-8")
    return spec


def test_headline_colour_overrides_a_red_headline_style(tmp_path):
    """A desk whose headline style is red keeps one story black with `headline_colour: K`."""
    spec = minimal(tmp_path, ", headline_colour: K", "\n  headline: {colour: red}")
    pdf = tmp_path / "a.pdf"
    render_spec(spec, pdf)
    fills = text_by_fill(pdf, 1)
    headline = next(c for c, t in fills.items() if "标题" in t)
    assert headline[0] < 80  # black, not the style's red


def test_headline_colour_names_a_colour_of_the_spec(tmp_path):
    spec = minimal(tmp_path, ", headline_colour: taohongg",
                   colours="colours:\n  taohong: {cmyk: [0, 100, 100, 0]}\n")
    with pytest.raises(SpecError) as caught:
        load_issue(spec)
    lines = str(caught.value).splitlines()
    assert lines[0] == f'{spec}:15: pages[0].modules[0].headline_colour: no colour "taohongg" in colours'
    assert lines[1].strip() == 'did you mean "taohong"?'


def test_headline_colour_only_on_story_modules(tmp_path):
    spec = minimal(tmp_path)
    text = spec.read_text(encoding="utf-8").replace("{image: p, col: 3", "{image: p, headline_colour: red, col: 3")
    spec.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_issue(spec)
    lines = str(caught.value).splitlines()
    assert lines[0] == f"{spec}:16: pages[0].modules[1].headline_colour: an image module has no headline"
    assert lines[1].strip() == "headline_colour applies to article and continue modules"


# -- 2. an SVG logo --------------------------------------------------------------------------------

def logo_form(pdf_path: Path):
    """(the logo's form XObject, the page's content ops) of page 1: the form with no font."""
    import pikepdf

    pdf = pikepdf.open(pdf_path)
    page = pdf.pages[0]
    forms = [(name, x) for name, x in page.Resources.XObject.items()
             if x.Subtype == "/Form" and "/Font" not in x.get("/Resources", {})]
    assert len(forms) == 1
    return pdf, forms[0]


def test_the_svg_logo_is_drawn_as_cmyk_paths_in_the_masthead(edition):
    import pikepdf

    issue = load_issue(SPEC)
    assert issue.paper.logo.kind == "svg" and issue.paper.logo.file.suffix == ".svg"
    pdf, (name, form) = logo_form(edition)
    with pdf:
        resources = form.get("/Resources", pikepdf.Dictionary())
        assert not any(x.Subtype == "/Image" for x in resources.get("/XObject", {}).values())
        ops = [str(op) for _, op in pikepdf.parse_content_stream(form)]
        assert ops.count("f") + ops.count("f*") >= 4 and ops.count("c") > 100  # four glyphs' curves
        assert not {"Tj", "TJ", "BT", "rg", "RG", "Do", "BI"} & set(ops)  # no text, no RGB, no image
        fills = [[float(v) for v in o] for o, op in pikepdf.parse_content_stream(form) if str(op) == "k"]
        assert [0.0, 1.0, 0.9217, 0.098] in fills  # #E60012 on the press's plates
        # placed inside the masthead module
        page = pdf.pages[0]
        content = pikepdf.parse_content_stream(page)
        k = next(i for i, (o, op) in enumerate(content) if str(op) == "Do" and str(o[0]) == name)
        sx, _, _, sy, tx, ty = (float(v) for v in content[k - 1][0])
        x0, y0, x1, y1 = (float(v) for v in form.BBox)
    g = page_grid(issue.format, issue.styles["body"].leading, 1)
    bleed, height = issue.format.bleed, issue.format.trim_height
    left, right = bleed + g.column_x(1), bleed + g.column_x(1) + g.span_width(5)
    top, bottom = bleed + height - g.band_top(1), bleed + height - g.band_top(21)
    assert left - 0.01 <= tx + x0 * sx and tx + x1 * sx <= right + 0.01
    assert bottom - 0.01 <= ty + y0 * sy and ty + y1 * sy <= top + 0.01
    assert (x1 - x0) * sx > 0.6 * (right - left)  # as large as the masthead allows


def logo_spec(tmp_path: Path, svg: str, name: str = "masthead.svg") -> Path:
    spec = minimal(tmp_path)
    (tmp_path / name).write_text(svg, encoding="utf-8")
    text = spec.read_text(encoding="utf-8").replace(
        "paper: {name: 测试日报}", f"paper:\n  name: 测试日报\n  logo: {name}")
    text = text.replace("{article: a, col: 1, line: 1, cols: 2, lines: 10}",
                        "{masthead: true, col: 1, line: 1, cols: 4, lines: 8}\n      - "
                        "{article: a, col: 1, line: 9, cols: 2, lines: 10}")
    text = text.replace("{image: p, col: 3, line: 1,", "{image: p, col: 3, line: 9,")
    spec.write_text(text, encoding="utf-8")
    return spec


GOOD_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50" viewBox="0 0 200 50">'
            '<rect x="5" y="5" width="190" height="40" fill="#000"/></svg>')


@pytest.mark.parametrize("svg, why", [
    ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50"><rect x="1"',
     "it is not well-formed XML (line 1: "),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50"><text x="5" y="30">许昌'
     '</text></svg>', "it has text (<text> elements)"),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"></svg>', "it has no size"),
    ('<?xml version="1.0"?>\n<html><svg/></html>', "its root element is <html>, not <svg>"),
])
def test_a_bad_svg_logo_is_an_error_at_paper_logo_naming_the_file(tmp_path, svg, why):
    spec = logo_spec(tmp_path, svg)
    with pytest.raises(SpecError) as caught:
        load_issue(spec)
    first = str(caught.value).splitlines()[0]
    assert first.startswith(f'{spec}:4: paper.logo: cannot use the logo "masthead.svg": {why}'), first


def test_an_svg_logo_renders_as_a_vector_form(tmp_path):
    spec = logo_spec(tmp_path, GOOD_SVG, "报头.svg")
    out = tmp_path / "a.pdf"
    render_spec(spec, out)
    pdf, (_, form) = logo_form(out)
    with pdf:
        import pikepdf
        ops = [(list(o), str(op)) for o, op in pikepdf.parse_content_stream(form)]
    assert ([0, 0, 0, 1], "k") in [([float(v) for v in o], op) for o, op in ops if op == "k"]  # black: K only
    assert any(op == "re" for _, op in ops) and any(op == "f" for _, op in ops)


def test_a_render_without_an_svg_logo_never_imports_the_converter(tmp_path):
    """svglib and reportlab are loaded only for an SVG logo: the reference edition (no logo) and a
    render with the PDF logo path do without them."""
    import subprocess
    import sys

    code = ("import sys; from pathlib import Path; from layout.desk.render import render_spec; "
            f"render_spec(Path({str(ROOT / 'issue_specs' / 'xuchang-2022-06-16.yaml')!r}), "
            f"Path({str(tmp_path / 'ref.pdf')!r})); "
            "print('svglib' in sys.modules, 'reportlab' in sys.modules, 'lxml' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert run.stdout.split() == ["False", "False", "False"], run.stderr[-2000:]
    code = code.replace("xuchang-2022-06-16.yaml", "xuchang-2022-06-17-ads.yaml")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert run.stdout.split()[:2] == ["True", "True"], run.stderr[-2000:]


# -- 3. where a box meets what is above and below it ---------------------------------------------

def horizontal_strokes(pdf_path: Path, page_no: int) -> list[tuple[float, float, float, float]]:
    """(x0, x1, y, width) of every horizontal line stroked on the page (PDF user space)."""
    import pikepdf

    width, start, out = 1.0, None, []
    with pikepdf.open(pdf_path) as pdf:
        for operands, op in pikepdf.parse_content_stream(pdf.pages[page_no - 1]):
            op = str(op)
            if op == "w":
                width = float(operands[0])
            elif op == "m":
                start = [float(v) for v in operands]
            elif op == "l" and start is not None:
                x, y = (float(v) for v in operands)
                if abs(y - start[1]) < 1e-6 and abs(x - start[0]) > 1:
                    out.append((min(x, start[0]), max(x, start[0]), y, width))
    return out


def test_the_box_is_clear_of_the_rules_of_its_neighbours(edition):
    """No rule of another module (the table's top rule, the index box's foot, a hairline between
    modules) lies against the 短评 box's frame: within 3 pt of its top or bottom edge, over its
    width, only the frame's own rule is drawn."""
    from test_edition16 import pdf_rect

    issue = load_issue(SPEC)
    box = next(m for m in issue.pages[0].modules if getattr(m, "story", None) == "duanping")
    x0, y0, x1, y1 = pdf_rect(issue, 1, box.col, box.line, box.cols, box.lines)
    rule = box.box.rule
    strokes = horizontal_strokes(edition, 1)
    for edge, frame in ((y1, y1 - rule / 2), (y0, y0 + rule / 2)):
        near = [s for s in strokes if abs(s[2] - edge) < 3 and s[0] < x1 - 1 and s[1] > x0 + 1]
        assert [(round(s[2], 2), s[3]) for s in near] == [(round(frame, 2), rule)], (edge, near)
    table = next(m for m in issue.pages[0].modules if m.kind == "table" and m.ref == "weather")
    assert table.line == box.line + box.lines  # the weather table stands right under the box
    index = next(m for m in issue.pages[0].modules if m.kind == "index")
    assert box.line == index.line + index.lines + 1  # a white line between the index and the box


def test_a_table_not_under_a_box_keeps_its_top_rule(edition):
    """The stock table under the weather table draws its own top rule, at its module's top."""
    from test_edition16 import pdf_rect

    issue = load_issue(SPEC)
    stocks = next(m for m in issue.pages[0].modules if m.kind == "table" and m.ref == "stocks")
    x0, y0, x1, y1 = pdf_rect(issue, 1, stocks.col, stocks.line, stocks.cols, stocks.lines)
    assert any(abs(s[2] - (y1 - 0.375)) < 0.01 and s[3] == 0.75 and s[0] <= x0 + 0.01
               for s in horizontal_strokes(edition, 1))


# -- 4. broken issue-16 keys, as a new user writes them ------------------------------------------

def edition_copy(tmp_path: Path, *edits: tuple[str, str], csv_edit=None) -> Path:
    """The ads edition (spec, ad list, assets, photos) in tmp_path, its spec text edited."""
    import shutil

    folder = SPEC.parent
    shutil.copytree(folder / "assets", tmp_path / "assets")
    for photo in folder.glob("photo-*.jpg"):
        shutil.copy(photo, tmp_path)
    csv = SPEC.with_suffix(".csv").read_text(encoding="utf-8")
    (tmp_path / SPEC.with_suffix(".csv").name).write_text(csv_edit(csv) if csv_edit else csv,
                                                           encoding="utf-8")
    text = SPEC.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    spec = tmp_path / SPEC.name
    spec.write_text(text, encoding="utf-8")
    return spec


def problems_of(spec: Path) -> list[str]:
    with pytest.raises(SpecError) as caught:
        load_issue(spec)
    return str(caught.value).splitlines()


TAOHONG = 'taohong: {spot: "PANTONE 485 C", cmyk: [0, 95, 100, 0]}'


@pytest.mark.parametrize("broken, problem", [
    ('taohong: {spot: "PANTONE 485 C", cmyk: [0, 95, 100]}',
     "colours.taohong.cmyk: expected four percentages [C, M, Y, K], each 0–100, found a list of 3"),
    ("taohong: red", 'colours.taohong: expected a mapping, found "red"'),
    ('taohong: {spot: "", cmyk: [0, 95, 100, 0]}', "colours.taohong.spot: expected text, found an empty string"),
])
def test_a_broken_colour_is_one_problem_not_one_per_use(tmp_path, broken, problem):
    """The colour's own problem only: the headline_colour and the rule naming it are not also told
    that "taohong" is missing from colours."""
    spec = edition_copy(tmp_path, (TAOHONG, broken))
    lines = problems_of(spec)
    assert lines[0] == f"{spec}:59: {problem}"
    assert not any("no colour" in line for line in lines), lines


def test_colours_not_a_mapping_is_one_problem(tmp_path):
    spec = edition_copy(tmp_path, (f"colours:\n  {TAOHONG}", "colours: [taohong]"))
    lines = problems_of(spec)
    assert lines[0] == f"{spec}:58: colours: expected a mapping, found a list"
    assert not any("no colour" in line for line in lines), lines


def test_an_ad_module_naming_an_ad_of_the_ad_list_is_told_where_ads_go(tmp_path):
    spec = edition_copy(tmp_path, ("      # lines 51-120: the half-page ad",
                                   "      - {ad: nope, col: 1, line: 110, cols: 1, lines: 1}\n"
                                   "      # lines 51-120: the half-page ad"))
    lines = problems_of(spec)
    assert lines[0] == f'{spec}:97: pages[1].modules[8].ad: no ad "nope" in ads'
    assert "an ad booked in the ad list (ads_from) is placed by its row" in lines[1]


def test_a_box_rule_too_heavy_is_refused(tmp_path):
    spec = edition_copy(tmp_path, ("box: {rule: 0.75pt", "box: {rule: 200pt"))
    lines = problems_of(spec)
    assert lines[0] == f"{spec}:79: pages[0].modules[6].box.rule: a box rule of 200 pt is too heavy: at most 12 pt"


def test_a_rule_heavier_than_its_module_is_crowded_out(tmp_path):
    from layout.util.errors import LayoutError

    spec = edition_copy(tmp_path, ("weight: 2pt, style: thick-thin", "weight: 40pt, style: thick-thin"))
    with pytest.raises(LayoutError) as caught:
        render_spec(spec, tmp_path / "x.pdf")
    assert str(caught.value).splitlines()[0] == (
        f"{spec}:96: pages[1].modules[7]: the 40 pt thick-thin rule needs 7 lines, its module gives it 1")


def test_a_box_padding_that_leaves_no_body_says_so(tmp_path):
    from layout.util.errors import LayoutError

    spec = edition_copy(tmp_path, ("padding: 1em}}", "padding: 12em}}"))
    with pytest.raises(LayoutError) as caught:
        render_spec(spec, tmp_path / "x.pdf")
    first, hint = str(caught.value).splitlines()[:2]
    assert first.startswith(f"{spec}:78: pages[0].modules[6]: module of story 'duanping' leaves ")
    assert "and its box's padding 20 of its 30 lines" in first and "a smaller box padding" in hint


def test_an_ad_list_problem_is_named_by_the_ad_list_alone(tmp_path):
    """`broadsheet render` prints a problem of the CSV at the CSV's row, without the spec's name
    before it (`spec.yaml: ads.csv:2: …` read as two places)."""
    import subprocess
    import sys

    spec = edition_copy(tmp_path, csv_edit=lambda text: text.replace(",101,", ",200,", 1))
    run = subprocess.run([sys.executable, "-m", "layout", "render", str(spec), "-o", str(tmp_path / "out")],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.splitlines()[0] == (f"{tmp_path / 'xuchang-2022-06-17-ads.csv'}:2: ads_from[0].line: "
                                          "line 200 on a 120-line page")


def test_an_ad_list_gives_sizes_in_mm_as_booking_systems_export_them(tmp_path):
    """`width, height` of 353 and 81 (mm, no unit) snap to the 8 columns × 20 lines booked."""
    spec = edition_copy(tmp_path, csv_edit=lambda text: text.replace(
        "id,page,col,line,cols,lines,file,client", "id,page,col,line,cols,lines,width,height,file,client").replace(
        "xudu,1,1,101,8,20,", "xudu,1,1,101,,,353,81,").replace("bank,2,1,51,8,70,", "bank,2,1,51,8,70,,,"))
    issue = load_issue(spec)
    ad = next(m for m in issue.pages[0].modules if m.kind == "ad")
    assert (ad.col, ad.line, ad.cols, ad.lines) == (1, 101, 8, 20)
    assert [note.split(": ", 2)[2] for note in issue.notes] == [
        "height 81.0 mm snapped to 20 lines (81.1 mm)"]  # the width is 8 columns' to 0.01 pt


@pytest.mark.parametrize("separator", [";", "\t"])
def test_an_ad_list_separated_by_semicolons_or_tabs_is_read(tmp_path, separator):
    spec = edition_copy(tmp_path, csv_edit=lambda text: "\ufeff" + text.replace(",", separator))
    issue = load_issue(spec)
    assert [m.ref for p in issue.pages for m in p.modules if m.kind == "ad"] == ["xudu", "bank"]


def test_a_short_ad_list_row_says_which_cells_it_lacks(tmp_path):
    spec = edition_copy(tmp_path, csv_edit=lambda text: text.replace(
        "xudu,1,1,101,8,20,assets/ad-xudu.pdf,许都电器城", "xudu,1,1,101"))
    lines = problems_of(spec)
    assert lines[0] == (f'{tmp_path / "xuchang-2022-06-17-ads.csv"}:2: ads_from[0]: the row has 4 '
                        'cells, the header 8: no "cols", "lines"')


def test_an_svg_logo_too_large_is_refused_before_it_is_parsed(tmp_path):
    from layout.util import svgfile

    spec = logo_spec(tmp_path, GOOD_SVG + " " * (svgfile.MAX_SVG_BYTES + 1 - len(GOOD_SVG)))
    first = problems_of(spec)[0]
    assert first == (f'{spec}:4: paper.logo: cannot use the logo "masthead.svg": the SVG is 16 MB, '
                     "more than a logo's 16 MB (an embedded photo?)")


def test_a_continuation_is_taohong_only_when_its_module_says_so(tmp_path):
    """law_society's continuation on A2 repeats its headline: black as the story's first module
    is, red once its continue: module has headline_colour."""
    spec = edition_copy(tmp_path, ("{continue: law_society,       col: 1, line: 1,   cols: 2, lines: 25}",
                                   "{continue: law_society,       col: 1, line: 1,   cols: 2, lines: 25, "
                                   "headline_colour: red}"))
    out = tmp_path / "x.pdf"
    render_spec(spec, out)
    reds = [text for colour, text in text_by_fill(out, 2).items() if colour[0] > 200 and colour[1] < 80]
    assert reds and all(text.startswith("市法学会") for text in reds), reds
    assert not [text for colour, text in text_by_fill(out, 1).items()
                if colour[0] > 200 and colour[1] < 80 and "市法学会" in text]


@pytest.mark.parametrize("writing", [", direction: vertical",  # 竖排: headline and body vertical
                                     ", headline_direction: vertical",  # 竖题 beside a horizontal body
                                     ", direction: vertical, headline_direction: horizontal"])
def test_headline_colour_reddens_vertical_headlines_too(tmp_path, writing):
    """套红 is the desk's call whichever way the headline is written: 竖排, 竖题, 橫標豎排."""
    spec = minimal(tmp_path, ", headline_colour: red" + writing)
    # tall enough that a tier under a horizontal headline holds 8 characters
    spec.write_text(spec.read_text(encoding="utf-8").replace("lines: 10, headline", "lines: 16, headline"),
                    encoding="utf-8")
    pdf = tmp_path / "a.pdf"
    render_spec(spec, pdf)
    fills = text_by_fill(pdf, 1)
    red = [c for c in fills if c[0] > 200 and c[1] < 80 and c[2] < 80]
    assert len(red) == 1 and "标题" in fills[red[0]], fills
    body = max(fills.items(), key=lambda kv: len(kv[1]))
    assert body[0] not in red  # the body stays black
