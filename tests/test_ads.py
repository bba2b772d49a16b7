"""Ads, the ad list, colours and boxes (issue 16), judged on the PDF written: the ad a form XObject
with its own embedded font at the module's rectangle, spot colours as Separation colour spaces,
box rules at the module's edge, text inside the padding; and the errors, with their exact text."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from adfixtures import (AD_TEXT, COLUMN, LEADING, MM, ad_spec, damaged_pdf, encrypted_pdf,
                        module_size, pdf_ad, png_ad)
from layout.desk.render import render_spec
from layout.pages.plan import Fill, PdfPage, Picture, Rule, TextLine
from layout.util.errors import SpecError
from pdftext import page_glyphs

ROOT = Path(__file__).resolve().parent.parent
PAGE_H = 100 * MM
LEFT, TOP = 10 * MM, 10 * MM  # page 1 is a right-hand page: the inside margin on the left
AD_MODULE = "- {ad: hq, col: 3, line: 1, cols: 2, lines: 10}\n"


def module_rect(col: int, line: int, cols: int, lines: int) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) in PDF coordinates (y up) of a module of the test grid."""
    x = LEFT + (col - 1) * (COLUMN + 10)
    w, h = module_size(cols, lines)
    top = PAGE_H - TOP - (line - 1) * LEADING
    return x, top - h, x + w, top


def render(spec: Path, **kw):
    out = spec.parent / "out" / (spec.stem + ".pdf")
    return render_spec(spec, out, **kw), out


def problem(spec: Path) -> str:
    with pytest.raises(SpecError) as info:
        render(spec)
    e = info.value
    return str(e).replace(str(spec), spec.name)  # with its hint line


@pytest.fixture
def ad_pdf(tmp_path) -> Path:
    return pdf_ad(tmp_path / "hq.pdf", *module_size(2, 10))


def _ad_do(page) -> tuple[float, float, str]:
    """The translation and name of the page's ad form (`q 1 0 0 1 tx ty cm /AdN Do Q`)."""
    content = page.get_contents().get_data().decode("latin-1")
    match = re.search(r"q 1 0 0 1 (\S+) (\S+) cm /(Ad\w+) Do Q", content)
    assert match, "no ad form drawn"
    return float(match[1]), float(match[2]), match[3]


def test_a_pdf_ad_is_a_form_xobject_with_its_embedded_font_at_the_module(tmp_path, ad_pdf):
    spec = ad_spec(tmp_path, modules=AD_MODULE, ads="ads:\n  hq: {file: hq.pdf, client: 红旗}\n")
    result, out = render(spec)
    page = pypdf.PdfReader(out).pages[0]
    tx, ty, name = _ad_do(page)
    form = page["/Resources"]["/XObject"][f"/{name}"].get_object()
    assert form["/Subtype"] == "/Form"
    x0, y0, x1, y1 = (float(v) for v in form["/BBox"])
    want = module_rect(3, 1, 2, 10)
    placed = (tx + x0, ty + y0, tx + x1, ty + y1)
    assert all(abs(a - b) <= 0.1 for a, b in zip(placed, want)), (placed, want)
    fonts = form["/Resources"]["/Font"]
    font = next(iter(fonts.values())).get_object()
    assert font["/BaseFont"].endswith("DejaVuSans")
    assert "/FontFile2" in font["/FontDescriptor"]  # embedded, as the client made it
    assert AD_TEXT in page.extract_text()  # still text, not pixels
    # Nothing of ours is drawn over the ad: no plan item but the ad itself meets its rectangle.
    items = result.plan.pages[0].items
    ad = [i for i in items if isinstance(i, PdfPage) and i.ad]
    assert len(ad) == 1 and ad[0].ad == "hq"
    r = ad[0].place
    for item in items:
        if isinstance(item, TextLine):
            assert not (r.x <= item.x < r.right and r.y <= item.baseline <= r.bottom), item


def test_nothing_of_ours_on_an_ad_between_an_index_box_and_a_story(tmp_path):
    """Column rules on, an index box above the ad and a story below it: the box's rules and the
    hairline over the story keep off the ad (with the ad taken out, its rectangle is blank paper)."""
    from pdftext import ink_under

    pdf_ad(tmp_path / "hq.pdf", *module_size(2, 5))
    spec = ad_spec(tmp_path, ads="ads:\n  hq: {file: hq.pdf}\nindexes:\n  ix:\n    title: 导读\n"
                   "    items:\n      - {headline: 标题, page: 1}\n",
                   modules="- {index: ix, col: 3, line: 1, cols: 2, lines: 7}\n"
                           "- {ad: hq, col: 3, line: 8, cols: 2, lines: 5}\n"
                           "- {article: b, col: 3, line: 13, cols: 2, lines: 6}\n")
    text = spec.read_text(encoding="utf-8").replace("  gutter: 1em\n", "  gutter: 1em\n  column_rules: true\n")
    spec.write_text(text.replace("articles:\n", "articles:\n  b: {headline: 乙, body: 正文。}\n"),
                    encoding="utf-8")
    _, out = render(spec)
    assert ink_under(out, 1, "/Ad", module_rect(3, 8, 2, 5), tmp_path / "x.pdf") == (255, 255)


def test_pdffonts_lists_the_ads_font_embedded(tmp_path, ad_pdf):
    spec = ad_spec(tmp_path, modules=AD_MODULE, ads="ads:\n  hq: {file: hq.pdf}\n")
    _, out = render(spec)
    listing = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    row = next(line for line in listing.splitlines() if "DejaVuSans" in line)
    assert row.split()[-5:-2] == ["yes", "yes", "yes"]  # emb sub uni


def test_a_wrong_sized_ad_is_refused_with_both_sizes(tmp_path):
    pdf_ad(tmp_path / "hq.pdf", *module_size(2, 8))
    spec = ad_spec(tmp_path, modules=AD_MODULE, ads="ads:\n  hq: {file: hq.pdf}\n")
    assert problem(spec) == (
        'ads.yaml:16: pages[0].modules[1]: ad "hq" (hq.pdf) is 38.2 × 33.9 mm, its module '
        "(2 columns × 10 lines) is 38.2 × 42.3 mm (more than 1 mm apart)\n"
        "  a smaller ad may be placed centred with fit: contain; an ad is never cropped or "
        "scaled: ask for the ad at the module's size, or size the module to the ad")


def test_a_larger_ad_is_refused_even_with_fit_contain(tmp_path):
    pdf_ad(tmp_path / "hq.pdf", *module_size(3, 10))
    spec = ad_spec(tmp_path, modules=AD_MODULE, ads="ads:\n  hq: {file: hq.pdf, fit: contain}\n")
    assert problem(spec).startswith(
        'ads.yaml:16: pages[0].modules[1]: ad "hq" (hq.pdf) is 59.1 × 42.3 mm, its module '
        "(2 columns × 10 lines) is 38.2 × 42.3 mm (more than 1 mm apart)\n"
        "  an ad is never cropped")


def test_fit_contain_centres_a_smaller_ad_with_a_warning(tmp_path):
    w, h = module_size(2, 10)
    pdf_ad(tmp_path / "hq.pdf", w - 20, h - 30)
    spec = ad_spec(tmp_path, modules=AD_MODULE, ads="ads:\n  hq: {file: hq.pdf, fit: contain}\n")
    result, out = render(spec)
    assert (f'{spec}:16: pages[0].modules[1]: ad "hq" (hq.pdf) is 31.2 × 31.8 mm, its module '
            "(2 columns × 10 lines) is 38.2 × 42.3 mm: placed centred (fit: contain)") in result.warnings
    tx, ty, _ = _ad_do(pypdf.PdfReader(out).pages[0])
    x0, y0, x1, y1 = module_rect(3, 1, 2, 10)
    from adfixtures import BLEED
    assert abs(tx + BLEED - (x0 + 10)) <= 0.1 and abs(ty + BLEED - (y0 + 15)) <= 0.1


def test_an_image_ad_is_placed_whole_at_its_size(tmp_path):
    png_ad(tmp_path / "im.png", *module_size(2, 8), ppi=200)
    spec = ad_spec(tmp_path, modules="- {ad: im, col: 1, line: 11, cols: 2, lines: 8}\n",
                   ads="ads:\n  im: {file: im.png}\n")
    result, _ = render(spec)
    pictures = [i for i in result.plan.pages[0].items if isinstance(i, Picture)]
    assert len(pictures) == 1
    p = pictures[0]
    assert p.clip == p.place  # never cropped
    w, h = module_size(2, 8)
    assert abs(p.place.w - w) < 0.4 and abs(p.place.h - h) < 0.4  # whole pixels at 200 ppi


def test_an_ad_whose_font_is_not_embedded_is_refused(tmp_path):
    pdf_ad(tmp_path / "hq.pdf", *module_size(2, 10), embed=False)
    spec = ad_spec(tmp_path, modules=AD_MODULE, ads="ads:\n  hq: {file: hq.pdf}\n")
    assert problem(spec) == (
        'ads.yaml:22: ads.hq.file: ad "hq" (hq.pdf): font /F1 (Helvetica) is not embedded\n'
        "  a press ad embeds every font it uses: ask the client for a PDF/X-4 export")


def test_an_rgb_ad_is_refused_for_pdfx_and_a_warning_otherwise(tmp_path):
    pdf_ad(tmp_path / "hq.pdf", *module_size(2, 10), rgb=True)
    spec = ad_spec(tmp_path, modules=AD_MODULE, ads="ads:\n  hq: {file: hq.pdf}\n")
    result, _ = render(spec)
    assert any('ad "hq" (hq.pdf): content stream: DeviceRGB fill colour' in w for w in result.warnings)
    with pytest.raises(SpecError, match=r"and the output is PDF/X-4"):
        render(spec, pdfx=True)


def test_pdfx_with_an_ad_passes_preflight(tmp_path, ad_pdf):
    from layout.press.findings import failures
    from layout.press.preflight import check_pdf

    spec = ad_spec(tmp_path, modules=AD_MODULE, ads="ads:\n  hq: {file: hq.pdf}\n")
    _, out = render(spec, pdfx=True)
    assert failures(check_pdf(out, pdfx=True)) == []


@pytest.mark.parametrize("make, message", [
    (lambda d: damaged_pdf(d / "hq.pdf"),
     "cannot use ad hq.pdf: the PDF is damaged (root of pages tree has no /Kids array)"),
    (lambda d: encrypted_pdf(d / "hq.pdf", pdf_ad(d / "src.pdf", 100, 100)),
     "cannot use ad hq.pdf: the PDF is encrypted with a password; ask the client for an unprotected file"),
    (lambda d: None, 'no file "hq.pdf"'),
])
def test_bad_ad_files_are_errors_at_their_file_key(tmp_path, make, message):
    make(tmp_path)
    spec = ad_spec(tmp_path, modules=AD_MODULE, ads="ads:\n  hq: {file: hq.pdf}\n")
    assert problem(spec).splitlines()[0] == f"ads.yaml:22: ads.hq.file: {message}"


# --- the ad list ------------------------------------------------------------------------------------

def test_ad_list_rows_become_ad_modules(tmp_path, ad_pdf):
    png_ad(tmp_path / "im.png", *module_size(2, 8))
    (tmp_path / "ads.csv").write_text("id,page,col,line,cols,lines,file,client\n"
                                      "hq,1,3,1,2,10,hq.pdf,红旗\n"
                                      "im,1,1,11,2,8,im.png,某某\n", encoding="utf-8")
    spec = ad_spec(tmp_path, extra="ads_from: ads.csv\n")
    result, out = render(spec)
    items = result.plan.pages[0].items
    assert [i.ad for i in items if isinstance(i, PdfPage) and i.ad] == ["hq"]
    assert [i.source for i in items if isinstance(i, Picture)] == ["im.png"]
    tx, ty, _ = _ad_do(pypdf.PdfReader(out).pages[0])
    assert tx > 0 and ty > 0


def test_ad_list_errors_name_the_file_and_row(tmp_path, ad_pdf):
    (tmp_path / "ads.csv").write_text("id,page,col,line,cols,lines,file\n"
                                      "hq,1,3,1,2,10,hq.pdf\n"
                                      "x,1,1,5,2,10,hq.pdf\n"
                                      "y,1,4,1,2,10,hq.pdf\n"
                                      "z,2,1,1,2,10,hq.pdf\n", encoding="utf-8")
    spec = ad_spec(tmp_path, extra="ads_from: ads.csv\n")
    lines = problem(spec).replace(str(tmp_path) + "/", "").splitlines()
    assert lines == [
        'ads.csv:3: ads_from[1]: ad "x" overlaps article "a" at pages[0].modules[0] (line 15)',
        "  both take columns 1-2, lines 5-10",
        "ads.csv:4: ads_from[2].cols: columns 4-5 on a 4-column grid",
        "  starting at column 4, the module can take at most 1 columns",
        "ads.csv:5: ads_from[3].page: no page 2 in pages",
        "  pages has: 1",
        "3 problems",
    ]


def list_problem(folder: Path, rows: str) -> str:
    """The loader's message for a spec whose ad list (ads.csv) holds `rows`, its folder left out."""
    (folder / "ads.csv").write_text(rows, encoding="utf-8")
    return problem(ad_spec(folder, extra="ads_from: ads.csv\n")).replace(str(folder) + "/", "")


def test_ad_list_header_problems_are_at_its_first_row(tmp_path, ad_pdf):
    lines = list_problem(tmp_path, "id,col,line,colz,lines,file,file\n"
                                   "hq,3,1,2,10,hq.pdf,hq.pdf\n"
                                   "x,1,11,2,8,hq.pdf,hq.pdf\n").splitlines()
    assert lines == [  # once for the header, not again for every row
        'ads.csv:1: ads_from: unknown column "colz" (header cell 4)',
        '  did you mean "col"?',
        'ads.csv:1: ads_from: column "file" is given twice (header cell 7)',
        'ads.csv:1: ads_from: the header has no column "page"',
        "  its first row names the columns: id,page,col,line,cols,lines,file,client",
        "3 problems",
    ]


def test_an_ad_list_row_with_more_cells_than_the_header(tmp_path, ad_pdf):
    assert list_problem(tmp_path, "id,page,col,line,cols,lines,file,client\n"
                                  "hq,1,3,1,2,10,hq.pdf,许昌,魏都区\n") == (
        "ads.csv:2: ads_from[0]: the row has 9 cells, the header 8\n"
        '  a cell holding a comma is written in double quotes ("许昌, 魏都区")')


def test_a_cell_of_the_wrong_kind_is_named_by_row_and_column(tmp_path, ad_pdf):
    assert list_problem(tmp_path, "id,page,col,line,cols,lines,file\n"
                                  "hq,1,three,1,2,10,hq.pdf\n").splitlines()[0] == (
        'ads.csv:2: ads_from[0].col: expected an integer, found "three"')


def test_a_spot_colour_in_an_ad_is_a_warning_naming_the_ink(tmp_path):
    import pikepdf

    w, h = module_size(2, 10)
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(w, h))
    tint = pdf.make_stream(b"{dup 0 mul exch dup 0.95 mul exch dup 1 mul exch 0 mul}",
                           FunctionType=4, Domain=[0, 1], Range=[0, 1, 0, 1, 0, 1, 0, 1])
    page = pdf.pages[0]
    page.Resources = pikepdf.Dictionary(ColorSpace=pikepdf.Dictionary(
        CS0=pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name("/PANTONE 485 C"),
                           pikepdf.Name.DeviceCMYK, tint])))
    page.Contents = pdf.make_stream(f"/CS0 cs 1 scn 0 0 {w:.2f} {h:.2f} re f".encode())
    pdf.save(tmp_path / "hq.pdf")
    spec = ad_spec(tmp_path, modules=AD_MODULE, ads="ads:\n  hq: {file: hq.pdf}\n")
    result, _ = render(spec)
    (warning,) = [w for w in result.warnings if 'ad "hq"' in w]
    assert warning.startswith(f'{spec}:22: ads.hq.file: ad "hq" (hq.pdf): spot colour')
    assert "PANTONE" in warning


def test_an_ad_list_past_its_limits(tmp_path, ad_pdf, monkeypatch):
    from layout.spec import ads

    monkeypatch.setattr(ads, "MAX_ROWS", 2)
    rows = "id,page,col,line,cols,lines,file\n" + "".join(f"a{k},1,3,{k},2,1,hq.pdf\n" for k in (1, 2, 3))
    assert list_problem(tmp_path, rows) == "ads.csv:4: ads_from: more than 2 rows in the ad list"
    assert list_problem(tmp_path, 'id,page\n"hq,1\n').splitlines()[0].startswith(
        "ads.csv:2: ads_from: the ad list is not CSV: unexpected end of data")


def test_ad_list_sizes_in_mm_are_snapped_to_the_grid(tmp_path, ad_pdf):
    (tmp_path / "ads.yaml.list.yaml").write_text(
        "- {id: hq, page: 1, col: 3, line: 1, width: 39mm, height: 42mm, file: hq.pdf}\n",
        encoding="utf-8")
    spec = ad_spec(tmp_path, extra="ads_from: ads.yaml.list.yaml\n")
    result, _ = render(spec)
    assert f"{tmp_path}/ads.yaml.list.yaml:1: ads_from[0].width: width 39.0 mm snapped to 2 cols (38.2 mm)" \
        in result.warnings
    assert [i.ad for i in result.plan.pages[0].items if isinstance(i, PdfPage) and i.ad] == ["hq"]


# --- colours and boxes ------------------------------------------------------------------------------

COLOURS = 'colours:\n  pantone485: {spot: "PANTONE 485 C", cmyk: [0, 95, 100, 0]}\n'


def boxed_spec(tmp_path: Path, box: str, styles: str = "") -> Path:
    spec = ad_spec(tmp_path, extra=COLOURS)
    text = spec.read_text(encoding="utf-8")
    text = text.replace("{article: a, col: 1, line: 1, cols: 2, lines: 10}",
                        "{article: a, col: 1, line: 1, cols: 2, lines: 10, box: %s}" % box)
    text = text.replace("body: {font: song, size: 10pt, leading: 12pt}\n",
                        "body: {font: song, size: 10pt, leading: 12pt}\n" + styles)
    spec.write_text(text, encoding="utf-8")
    return spec


def test_a_spot_colour_is_a_separation_named_as_given(tmp_path):
    spec = boxed_spec(tmp_path, "{rule: 1pt}", styles="  headline: {colour: pantone485}\n")
    result, out = render(spec)
    page = pypdf.PdfReader(out).pages[0]
    spaces = page["/Resources"]["/ColorSpace"]
    (space,) = [s.get_object() for s in spaces.values()]
    assert space[0] == "/Separation" and space[1] == "/PANTONE 485 C" and space[2] == "/DeviceCMYK"
    function = space[3].get_object()
    assert [float(v) for v in function["/C1"]] == [0, 0.95, 1, 0]
    content = page.get_contents().get_data().decode("latin-1")
    resource = next(iter(spaces))
    assert f"{resource} cs 1 scn" in content  # the headline is set in it


def test_box_rules_sit_at_the_module_edge_and_the_tint_fills_it(tmp_path):
    spec = boxed_spec(tmp_path, "{rule: 1pt, tint: 10%, colour: pantone485}")
    result, out = render(spec)
    items = result.plan.pages[0].items
    x0, y0 = LEFT, TOP
    w, h = module_size(2, 10)
    rules = [i for i in items if isinstance(i, Rule)]
    assert {(r.y1, r.width) for r in rules if r.y1 == r.y2} == {(y0 + 0.5, 1.0), (y0 + h - 0.5, 1.0)}
    assert {r.x1 for r in rules if r.x1 == r.x2} == {x0 + 0.5, x0 + w - 0.5}
    (tint,) = [i for i in items if isinstance(i, Fill)]
    assert (tint.rect.x, tint.rect.y, tint.rect.w, tint.rect.h) == pytest.approx((x0, y0, w, h))
    assert tint.color.name == "PANTONE 485 C" and tint.color.tint == pytest.approx(0.1)
    content = pypdf.PdfReader(out).pages[0].get_contents().get_data().decode("latin-1")
    assert re.search(r"/CS\w+ cs 0\.1 scn\n\S+ \S+ \S+ \S+ re f", content)  # the tint, in the PDF


def test_text_inside_a_box_is_set_within_the_padded_measure(tmp_path):
    spec = boxed_spec(tmp_path, "{rule: 0.5pt, padding: 12pt}")
    text = spec.read_text(encoding="utf-8").replace("body: 正文。", "body: " + "正文" * 30 + "。")
    spec.write_text(text, encoding="utf-8")
    _, out = render(spec, allow_overset=True)
    glyphs = [g for g in page_glyphs(out)[0] if g.size == 10]
    w, _ = module_size(2, 10)
    assert glyphs
    assert min(g.x for g in glyphs) >= LEFT + 12 - 0.01
    assert max(g.right for g in glyphs) <= LEFT + w - 12 + 0.01
    tops = sorted({round(g.baseline - 0.88 * 10 - TOP, 2) for g in glyphs})
    assert tops[0] >= LEADING and all(t % LEADING == pytest.approx(0) or
                                      t % LEADING == pytest.approx(LEADING) for t in tops)


def test_an_unknown_colour_is_an_error_at_its_key(tmp_path):
    spec = boxed_spec(tmp_path, "{rule: 1pt, colour: pantone458}")
    assert problem(spec) == ('ads.yaml:15: pages[0].modules[0].box.colour: no colour "pantone458" '
                             'in colours\n  did you mean "pantone485"?')


def test_check_reports_the_inks_of_each_page(tmp_path):
    spec = boxed_spec(tmp_path, "{rule: 1pt}", styles="  headline: {colour: pantone485}\n")
    _, out = render(spec)
    run = subprocess.run([sys.executable, "-m", "layout", "check", str(out)], capture_output=True,
                         text=True, cwd=ROOT)
    assert f"{out}: page 1 inks: K + PANTONE 485 C (2 plates)" in run.stdout.splitlines()


def test_an_ad_module_takes_no_box(tmp_path, ad_pdf):
    spec = ad_spec(tmp_path, modules="- {ad: hq, col: 3, line: 1, cols: 2, lines: 10, box: {tint: 10%}}\n",
                   ads="ads:\n  hq: {file: hq.pdf}\n")
    assert problem(spec) == ("ads.yaml:16: pages[0].modules[1].box: an ad module has no box: nothing "
                             "of ours is drawn on an ad\n  a rule round an ad is part of the ad; ask "
                             "the client for it")


def test_an_ad_file_is_never_overwritten_by_the_render(tmp_path):
    from layout.util.atomic import OutputError

    out = tmp_path / "out"
    out.mkdir()
    pdf_ad(out / "ads.pdf", *module_size(2, 10))
    spec = ad_spec(tmp_path, modules=AD_MODULE, ads="ads:\n  hq: {file: out/ads.pdf}\n")
    with pytest.raises(OutputError, match='is the file of ad "hq"'):
        render(spec)


def test_dashed_and_double_boxes(tmp_path):
    spec = boxed_spec(tmp_path, "{rule: 1pt, style: dashed}")
    _, out = render(spec)
    content = pypdf.PdfReader(out).pages[0].get_contents().get_data().decode("latin-1")
    assert "[3 2] 0 d" in content
    spec = boxed_spec(tmp_path, "{rule: 1pt, style: double}")
    result, _ = render(spec)
    rules = [i for i in result.plan.pages[0].items if isinstance(i, Rule)]
    assert sorted({r.y1 for r in rules if r.y1 == r.y2})[:2] == [TOP + 0.5, TOP + 2.5]


def test_box_keys_are_checked_where_written(tmp_path):
    spec = boxed_spec(tmp_path, "{rul: 1pt, tint: 10}")
    assert problem(spec) == (
        "ads.yaml:15: pages[0].modules[0].box.tint: expected a percentage from 0% to 100%, found 10\n"
        "  a tint is written like 10%\n"
        'ads.yaml:15: pages[0].modules[0].box: unknown key "rul"\n  did you mean "rule"?\n'
        "2 problems")


def test_a_rotated_ad_page_is_refused(tmp_path):
    import pikepdf

    source = pdf_ad(tmp_path / "src.pdf", *module_size(2, 10))
    with pikepdf.open(source) as pdf:
        pdf.pages[0].obj["/Rotate"] = 90
        pdf.save(tmp_path / "hq.pdf")
    spec = ad_spec(tmp_path, modules=AD_MODULE, ads="ads:\n  hq: {file: hq.pdf}\n")
    assert problem(spec).splitlines()[0] == (
        "ads.yaml:22: ads.hq.file: cannot use ad hq.pdf: page 1 is rotated by 90° (/Rotate): "
        "placed as it is it would print on its side; ask for the ad upright")


def test_a_pdf_page_past_the_last_is_an_error_at_page(tmp_path, ad_pdf):
    spec = ad_spec(tmp_path, modules=AD_MODULE, ads="ads:\n  hq: {file: hq.pdf, page: 3}\n")
    assert problem(spec).splitlines()[0] == (
        "ads.yaml:22: ads.hq.page: cannot use ad hq.pdf: the PDF has 1 page, not a page 3")


@pytest.mark.parametrize("styles, want", [
    ("", (0.0, 1.0, 1.0, 0.0)),  # red by default, as before
    ("  masthead: {colour: pantone485}\n", "PANTONE 485 C"),
])
def test_the_masthead_takes_its_styles_colour(tmp_path, styles, want):
    spec = boxed_spec(tmp_path, "{rule: 0pt}", styles=styles)
    text = spec.read_text(encoding="utf-8").replace(
        "cols: 2, lines: 10, box: {rule: 0pt}}\n",
        "cols: 2, lines: 10, box: {rule: 0pt}}\n      - {masthead: true, col: 1, line: 11, cols: 4, lines: 8}\n")
    spec.write_text(text, encoding="utf-8")
    result, _ = render(spec)
    items = result.plan.pages[0].items
    lines = [i for i in items if isinstance(i, TextLine) and i.role == "masthead"]
    name = [i for i in lines if i.size == max(line.size for line in lines)]  # not the small print
    rules = [i for i in items if isinstance(i, Rule)]
    assert name and rules
    for colour in [i.color for i in name] + [r.color for r in rules]:
        assert (colour.name if hasattr(colour, "name") else colour) == want


def test_a_jump_line_in_a_box_keeps_to_the_padded_measure(tmp_path):
    spec = boxed_spec(tmp_path, "{rule: 0.5pt, padding: 6pt}")
    text = spec.read_text(encoding="utf-8").replace("body: 正文。", "body: " + "正文" * 40 + "。")
    text = text.replace("  - number: 1\n", "  - number: 2\n    modules:\n"
                        "      - {continue: a, col: 1, line: 1, cols: 4, lines: 18}\n  - number: 1\n")
    spec.write_text(text, encoding="utf-8")
    result, _ = render(spec)
    jumps = [i for i in result.plan.pages[0].items if isinstance(i, TextLine) and i.role == "jump"]
    assert len(jumps) == 1
    w, _ = module_size(2, 10)
    assert jumps[0].x + jumps[0].glyphs[-1][1] + jumps[0].size <= LEFT + w - 6 + 0.01


def test_ad_tolerance_widens_what_counts_as_the_modules_size(tmp_path):
    w, h = module_size(2, 10)
    pdf_ad(tmp_path / "hq.pdf", w - 2 * MM, h - 2 * MM)  # 2 mm short: refused at the default 1 mm
    spec = ad_spec(tmp_path, modules=AD_MODULE, ads="ads:\n  hq: {file: hq.pdf}\n")
    assert "(more than 1 mm apart)" in problem(spec)
    spec = ad_spec(tmp_path, modules=AD_MODULE, ads="ads:\n  hq: {file: hq.pdf}\n",
                   extra="ad_tolerance: 3mm\n")
    result, _ = render(spec)
    (ad,) = [i for i in result.plan.pages[0].items if isinstance(i, PdfPage) and i.ad]
    assert ad.place.w == pytest.approx(w - 2 * MM)  # its own size, centred: never scaled


def test_a_huabian_border_draws_each_square_once(tmp_path):
    """花边 squares go round the box evenly, the corners' squares drawn once (not once a side)."""
    import pikepdf

    spec = boxed_spec(tmp_path, "{rule: 0.75pt, style: 花边}")
    _, out = render(spec)
    with pikepdf.open(out) as pdf:
        squares = [tuple(round(float(v), 2) for v in operands)
                   for operands, op in pikepdf.parse_content_stream(pdf.pages[0])
                   if str(op) == "re" and abs(float(operands[2]) - 1.2) < 0.01]
    assert squares and len(squares) == len(set(squares))
    xs, ys = sorted({s[0] for s in squares}), sorted({s[1] for s in squares})
    corners = [(x, y) for x in (xs[0], xs[-1]) for y in (ys[0], ys[-1])]
    assert all(sum(1 for s in squares if s[:2] == c) == 1 for c in corners)


def test_a_quoted_cell_over_two_lines_keeps_the_rows_lines(tmp_path, ad_pdf):
    assert list_problem(tmp_path, 'id,page,col,line,cols,lines,file,client\n'
                                  'hq,1,3,1,2,10,hq.pdf,"红旗\n汽车"\n'
                                  'x,1,one,11,2,8,hq.pdf,\n').splitlines()[0] == (
        'ads.csv:4: ads_from[1].col: expected an integer, found "one"')
