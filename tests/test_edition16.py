"""Issue 16's edition (issue_specs/xuchang-2022-06-17-ads.yaml, its ads booked in the CSV beside it,
its ad and logo files made by scripts/make_edition_assets.py), judged on the PDF written: the PDF ad
a form XObject of vector text in embedded fonts at its module's rectangle, nothing of ours drawn on
either ad, the 套红 (the lead story's headline, A2's rule) in a Separation named as given, the logo as paths, the labels in the
header, jump lines and index box, table digits aligned, the box's rule at the module's edge, PDF/X
preflight with the ads in it, and a wrong-sized booking refused."""
from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pypdf
import pytest

from layout.desk.render import render_spec
from layout.model.grid import page_grid
from layout.spec.load import load_issue
from layout.util.errors import SpecError
from pdftext import cells, ink_under, lines_in, page_glyphs

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "issue_specs" / "xuchang-2022-06-17-ads.yaml"
AD_LIST = SPEC.with_suffix(".csv")
MM = 72 / 25.4


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    pdf = tmp_path_factory.mktemp("edition16") / "ed.pdf"
    render_spec(SPEC, pdf)
    return pdf


@pytest.fixture(scope="module")
def issue():
    return load_issue(SPEC)


def booking(ad_id: str) -> dict[str, str]:
    return next(r for r in csv.DictReader(io.StringIO(AD_LIST.read_text(encoding="utf-8")))
                if r["id"] == ad_id)


def pdf_rect(issue, page: int, col: int, line: int, cols: int, lines: int) -> tuple[float, ...]:
    """(x0, y0, x1, y1) in the PDF's user space (y up, the media box with the bleed) of a module."""
    g = page_grid(issue.format, issue.styles["body"].leading, page)
    bleed, height = issue.format.bleed, issue.format.trim_height
    x0 = bleed + g.column_x(col)
    top = bleed + height - g.band_top(line)
    return x0, top - lines * g.leading, x0 + g.span_width(cols), top


def booked_rect(issue, ad_id: str) -> tuple[float, ...]:
    r = booking(ad_id)
    return pdf_rect(issue, int(r["page"]), int(r["col"]), int(r["line"]), int(r["cols"]), int(r["lines"]))


def ad_form(page: pikepdf.Page) -> tuple[str, tuple[float, ...]]:
    """The ad form drawn on the page (`q 1 0 0 1 tx ty cm /AdN Do Q`): its name and where its BBox lands."""
    ops = pikepdf.parse_content_stream(page)
    for k, (operands, op) in enumerate(ops):
        if str(op) == "Do" and str(operands[0]).startswith("/Ad"):
            a, b, c, d, tx, ty = (float(v) for v in ops[k - 1][0])
            assert (a, b, c, d) == (1, 0, 0, 1)  # never scaled, never rotated
            x0, y0, x1, y1 = (float(v) for v in page.Resources.XObject[str(operands[0])].BBox)
            return str(operands[0]), (tx + x0, ty + y0, tx + x1, ty + y1)
    raise AssertionError("no ad form on the page")


def test_the_pdf_ad_is_vector_text_at_its_module(edition, issue):
    with pikepdf.open(edition) as pdf:
        page = pdf.pages[0]
        name, placed = ad_form(page)
        want = booked_rect(issue, "xudu")
        assert all(abs(a - b) <= 0.1 for a, b in zip(placed, want)), (placed, want)
        form = page.Resources.XObject[name]
        assert "/XObject" not in form.Resources  # no picture of text: the text is text
        fonts = {str(f.BaseFont) for f in form.Resources.Font.values()}
    assert "以旧换新" in pypdf.PdfReader(edition).pages[0].extract_text()
    listing = subprocess.run(["pdffonts", "-f", "1", "-l", "1", str(edition)], capture_output=True,
                             text=True, check=True).stdout
    rows = {line.split()[0]: line.split() for line in listing.splitlines()[2:]}
    for font in fonts:  # the ad's own subsets, embedded as it made them
        name = font.lstrip("/")
        assert name in rows, (name, listing)
        assert rows[name][-5:-2] == ["yes", "yes", "yes"]  # emb sub uni


@pytest.mark.parametrize("ad_id, page, prefix", [("xudu", 1, "/Ad"), ("bank", 2, "/FormXob")])
def test_nothing_of_ours_is_drawn_on_an_ad(edition, issue, tmp_path, ad_id, page, prefix):
    lo, hi = ink_under(edition, page, prefix, booked_rect(issue, ad_id), tmp_path / "x.pdf")
    assert lo == hi == 255  # blank paper once the ad is taken out: no rule, tint or text on it


def test_the_image_ad_is_placed_whole_at_its_size(edition, issue):
    from PIL import Image

    with pikepdf.open(edition) as pdf:
        ops = pikepdf.parse_content_stream(pdf.pages[1])
        k = next(k for k, (o, op) in enumerate(ops) if str(op) == "Do" and "ad-bank" in str(o[0]))
        w, _, _, h, x, y = (float(v) for v in ops[k - 1][0])
    image = SPEC.parent / booking("bank")["file"]
    px, py = Image.open(image).size
    ppi = Image.open(image).info["dpi"][0]
    assert (w, h) == pytest.approx((px / ppi * 72, py / ppi * 72), abs=0.01)  # its own size
    x0, y0, x1, y1 = booked_rect(issue, "bank")
    assert abs(x + w / 2 - (x0 + x1) / 2) < 0.01 and abs(y + h / 2 - (y0 + y1) / 2) < 0.01  # centred
    assert abs(w - (x1 - x0)) < 1 * MM and abs(h - (y1 - y0)) < 1 * MM  # within ad_tolerance


def test_taohong_is_a_separation_named_as_given(edition):
    """A1's 套红 is the lead story's headline (a fill), A2's the 通栏 rule (a stroke)."""
    reader = pypdf.PdfReader(edition)
    for page, paint in zip(reader.pages, ("cs 1 scn", "CS 1 SCN")):
        spaces = {k: v.get_object() for k, v in page["/Resources"]["/ColorSpace"].items()}
        (name,) = [k for k, s in spaces.items() if s[0] == "/Separation"]
        space = spaces[name]
        assert space[1] == "/PANTONE 485 C" and space[2] == "/DeviceCMYK"
        assert [float(v) for v in space[3].get_object()["/C1"]] == [0, 0.95, 1, 0]
        assert f"{name} {paint}" in page.get_contents().get_data().decode("latin-1")


def test_check_reports_the_inks_of_each_page(edition):
    run = subprocess.run([sys.executable, "-m", "layout", "check", str(edition)], capture_output=True,
                         text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [f"{edition}: page {n} inks: C M Y K + PANTONE 485 C (5 plates)"
                                       for n in (1, 2)]


def test_the_logo_is_paths_in_the_masthead(edition, issue):
    with pikepdf.open(edition) as pdf:
        forms = [x for x in pdf.pages[0].Resources.XObject.values() if x.Subtype == "/Form"]
        logos = [f for f in forms if "/Font" not in f.get("/Resources", {})]
        assert len(logos) == 1  # the logo: outlines, no font, no picture
    g = page_grid(issue.format, issue.styles["body"].leading, 1)
    masthead = lines_in(page_glyphs(edition)[0], 0, g.column_x(6), g.top, g.band_top(21))
    assert not any("许昌日报" in line.text and line.glyphs[0].size > 20 for line in masthead)


def test_labels_in_the_header_jump_lines_and_index(edition, issue):
    glyphs = page_glyphs(edition)
    g = page_grid(issue.format, issue.styles["body"].leading, 2)
    header = lines_in(glyphs[1], 0, 2000, g.top - 2 * g.leading, g.top)
    assert any(line.text.startswith("A2要闻") for line in header)
    front = "".join(line.text for line in lines_in(glyphs[0], 0, 2000, 0, 2000))
    back = "".join(line.text for line in lines_in(glyphs[1], 0, 2000, 0, 2000))
    assert front.count("（下转A2版）") == 2 and back.count("（上接A1版）") == 2
    assert front.count("详见A2版") == 3 and "第二版" not in front


def test_the_stock_tables_decimal_points_align(edition, issue):
    g = page_grid(issue.format, issue.styles["body"].leading, 1)
    rows = lines_in(page_glyphs(edition)[0], g.column_x(6), g.column_x(6) + g.span_width(3),
                    g.band_top(63), g.band_top(79))
    assert rows[0].text.startswith("许继电气")
    for column in (1, 2):  # 收盘, 涨跌幅: the cells after the name
        points = [next(g.x for g in cells(row)[column] if g.ch == ".") for row in rows]
        assert max(points) - min(points) < 0.1, points


def test_the_boxs_rule_lies_at_the_module_edge(edition, issue):
    """The 短评's 花边 box: its outer rule's outer edge on the module's edge, on every side."""
    module = next(m for m in issue.pages[0].modules if getattr(m, "story", None) == "duanping")
    x0, y0, x1, y1 = pdf_rect(issue, 1, module.col, module.line, module.cols, module.lines)
    width, start, lines = None, None, []
    with pikepdf.open(edition) as pdf:
        for operands, op in pikepdf.parse_content_stream(pdf.pages[0]):
            op = str(op)
            if op == "w":
                width = float(operands[0])
            elif op == "m":
                start = [float(v) for v in operands]
            elif op == "l":
                lines.append((*start, *(float(v) for v in operands), width))
    rule = module.box.rule
    sides = {"top": (y1 - rule / 2, "y"), "bottom": (y0 + rule / 2, "y"),
             "left": (x0 + rule / 2, "x"), "right": (x1 - rule / 2, "x")}
    for side, (at, axis) in sides.items():
        found = [ln for ln in lines if ln[4] == rule and (
            (axis == "y" and ln[1] == ln[3] and abs(ln[1] - at) < 0.01 and ln[0] <= x0 + 0.01 and ln[2] >= x1 - 0.01)
            or (axis == "x" and ln[0] == ln[2] and abs(ln[0] - at) < 0.01
                and min(ln[1], ln[3]) <= y0 + 0.01 and max(ln[1], ln[3]) >= y1 - 0.01))]
        assert found, side


def test_pdfx_passes_preflight_with_the_ads(tmp_path):
    from layout.press.findings import failures
    from layout.press.preflight import check_pdf

    out = tmp_path / "x.pdf"
    render_spec(SPEC, out, pdfx=True)
    assert failures(check_pdf(out, pdfx=True)) == []


def _copy_edition(folder: Path) -> Path:
    for name in (SPEC.name, AD_LIST.name, "photo-1.jpg", "photo-2.jpg"):
        shutil.copy(SPEC.parent / name, folder)
    shutil.copytree(SPEC.parent / "assets", folder / "assets")
    return folder / SPEC.name


def test_a_wrong_sized_booking_is_refused_with_both_sizes(tmp_path, issue):
    spec = _copy_edition(tmp_path)
    ad_list = tmp_path / AD_LIST.name
    ad_list.write_text(ad_list.read_text(encoding="utf-8").replace("xudu,1,1,101,8,20,",
                                                                   "xudu,1,1,103,8,18,"), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        render_spec(spec, tmp_path / "out.pdf")
    g = page_grid(issue.format, issue.styles["body"].leading, 1)
    with pikepdf.open(SPEC.parent / booking("xudu")["file"]) as ad:
        aw, ah = (float(v) for v in ad.pages[0].trimbox[2:])
    assert str(caught.value) == (
        f'{ad_list}:2: ads_from[0]: ad "xudu" (ad-xudu.pdf) is {aw / MM:.1f} × {ah / MM:.1f} mm, '
        f"its module (8 columns × 18 lines) is {g.span_width(8) / MM:.1f} × {18 * g.leading / MM:.1f} mm "
        "(more than 1 mm apart)\n"
        "  an ad is never cropped or scaled: ask for the ad at the module's size, or size the module "
        "to the ad")  # larger than its module: fit: contain would not help, so no word of it


def test_a_booking_over_a_story_names_the_ad(tmp_path):
    spec = _copy_edition(tmp_path)
    ad_list = tmp_path / AD_LIST.name
    ad_list.write_text(ad_list.read_text(encoding="utf-8").replace("xudu,1,1,101,", "xudu,1,1,99,")
                       , encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        render_spec(spec, tmp_path / "out.pdf")
    first = str(caught.value).splitlines()[0]
    assert re.match(rf'{re.escape(str(ad_list))}:2: ads_from\[0\]: ad "xudu" overlaps article "law_society"', first), first


def test_a_rule_in_a_spot_colour_strokes_in_its_separation(edition, issue):
    """The 通栏 rule over A2's ad is 套红: its strokes are painted in the Separation, not CMYK."""
    module = next(m for m in issue.pages[1].modules if m.kind == "rule")
    assert module.rule.colour.spot == "PANTONE 485 C"
    x0, y0, x1, y1 = pdf_rect(issue, 2, module.col, module.line, module.cols, module.lines)
    with pikepdf.open(edition) as pdf:
        page = pdf.pages[1]
        separations = {str(k) for k, v in page.Resources.ColorSpace.items() if v[0] == "/Separation"}
        stroke, width, start, strokes = None, None, None, []
        for operands, op in pikepdf.parse_content_stream(page):
            op = str(op)
            if op == "CS":
                stroke = str(operands[0])
            elif op in ("K", "RG", "G"):
                stroke = op
            elif op == "w":
                width = float(operands[0])
            elif op == "m":
                start = [float(v) for v in operands]
            elif op == "l" and y0 <= start[1] <= y1 and start[0] <= x0 + 0.01 and float(operands[0]) >= x1 - 0.01:
                strokes.append((round(width, 4), stroke))
    assert [w for w, _ in strokes] == [2.0, 0.6667]  # thick-thin
    assert all(s in separations for _, s in strokes), strokes


def test_fit_leaves_the_booked_ads_alone(tmp_path):
    """`fit` sizes the stories round the ads of the ad list and never an ad (it crashed on them)."""
    from click.testing import CliRunner

    from layout.desk.cli import main

    spec = _copy_edition(tmp_path)
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("{article: liutao,             col: 1, line: 26,  cols: 4, lines: 24}",
                                 "{article: liutao,             col: 1, line: 26,  cols: 4, lines: 20}"),
                    encoding="utf-8")
    ads = (tmp_path / AD_LIST.name).read_bytes()
    result = CliRunner().invoke(main, ["fit", str(spec)])
    assert result.exit_code == 1, result.output  # liutao's stack is 2 lines short: fit says so
    assert "page 2, columns 1-4 (liutao): 2 lines short" in result.output
    assert not re.search(r"\b(xudu|bank)\b|ads_from", result.output)  # no ad is a fit's business
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert (tmp_path / AD_LIST.name).read_bytes() == ads


def test_the_edition_renders_without_a_warning(tmp_path):
    """Its 200 ppi PNG ad (pHYs stores 7874 px/m, read back as 199.9994 dpi) is not "under 200"."""
    result = render_spec(SPEC, tmp_path / "ed.pdf")
    assert not result.warnings, result.warnings


def test_the_copyfit_report_names_the_labelled_page_a_story_jumps_to():
    from layout.desk.render import plan_spec
    from layout.desk.report import copyfit, to_dict

    report = to_dict(copyfit(*plan_spec(SPEC)))
    law = [m for m in report["modules"] if m["ref"] == "law_society"]
    assert [(m["page"], m["jump_to"], m["jump_label"]) for m in law] == [(1, 2, "A2"), (2, None, None)]
