"""Our preflight (layout/press/preflight.py and the modules it puts together): each problem a plant would reject is found, with its page
and object, in small PDFs made for the purpose; warnings do not fail a file."""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Callable

import pikepdf
import pytest
from PIL import Image
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from layout.press.colour import NEWSPRINT_PROFILE, to_cmyk_jpeg
from layout.press.pdfx import doc_id_for, make_pdfx4
from layout.press.findings import ERROR, WARNING, Problem, exit_code, failures, format_report
from layout.press.preflight import PreflightError, check_pdf

FONT_FILE = Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf")
FONT = "PreflightTestWenKai"
W, H, BLEED = 200.0, 260.0, 8.5

pytestmark = pytest.mark.skipif(not FONT_FILE.is_file(), reason="fonts-lxgw-wenkai not installed")


def make_pdf(path: Path, draw: Callable[[Canvas, int], None] | None = None, *, pages: int = 1,
             font: str | None = None) -> Path:
    """A clean press page (boxes, embedded font, 100 % K text overprinting) plus `draw`'s extra."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE)))
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(W + 2 * BLEED, H + 2 * BLEED), invariant=1, initialFontName=FONT)
    for n in range(1, pages + 1):
        c.setBleedBox((0, 0, W + 2 * BLEED, H + 2 * BLEED))
        c.setTrimBox((BLEED, BLEED, BLEED + W, BLEED + H))
        c.setOverprintMask(True)
        t = c.beginText()
        t.setFont(font or FONT, 10)
        t.setFillOverprint(True)
        t.setFillColorCMYK(0, 0, 0, 1)
        t.setTextOrigin(BLEED + 20, BLEED + H - 30)
        t.textOut(f"第{n}版 正文")
        c.drawText(t)
        if draw:
            draw(c, n)
        c.showPage()
    c.save()
    path.write_bytes(buf.getvalue())
    return path


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


def only(problems: list[Problem], severity: str, needle: str) -> list[Problem]:
    return [p for p in problems if p.severity == severity and needle in f"{p.object}: {p.message}"]


def test_a_clean_page_passes(tmp_path):
    problems = check_pdf(make_pdf(tmp_path / "clean.pdf", pages=2))
    assert errors(problems) == []
    # a plain PDF says it is no PDF/X, and nothing else
    assert [p.object for p in problems] == ["PDF/X"]
    assert exit_code(problems) == 0


def test_planted_rgb_rule_is_found(tmp_path):
    def rgb_rule(c: Canvas, n: int) -> None:
        if n == 2:
            c.setFillColorRGB(0, 0, 1)  # 0 0 1 rg
            c.rect(BLEED + 20, BLEED + 100, 150, 1, stroke=0, fill=1)
            c.setStrokeColorRGB(1, 0, 0)  # 1 0 0 RG
            c.line(BLEED + 20, BLEED + 90, BLEED + 170, BLEED + 90)

    problems = check_pdf(make_pdf(tmp_path / "rgb.pdf", rgb_rule, pages=2))
    found = errors(problems)
    assert {(p.page, p.object) for p in found} == {(2, "content stream")}
    messages = " | ".join(p.message for p in found)
    assert "DeviceRGB fill colour (0 0 1 rg" in messages
    assert "DeviceRGB stroke colour (1 0 0 RG" in messages
    assert exit_code(problems) == 1


def test_missing_bleedbox_is_found(tmp_path):
    path = make_pdf(tmp_path / "nobleed.pdf", pages=3)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        del pdf.pages[1].obj["/BleedBox"]
        pdf.save(path)
    found = errors(check_pdf(path))
    assert found == [Problem(2, "BleedBox", "missing", ERROR)]


def test_missing_trimbox_and_boxes_out_of_order(tmp_path):
    path = make_pdf(tmp_path / "boxes.pdf", pages=3)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        del pdf.pages[0].obj["/TrimBox"]
        pdf.pages[1].obj.BleedBox = pikepdf.Array([20, 20, 100, 100])  # inside the trim
        pdf.pages[2].obj.BleedBox = pdf.pages[2].obj.TrimBox  # no bleed
        pdf.save(path)
    problems = check_pdf(path)
    assert Problem(1, "TrimBox", "missing", ERROR) in problems
    assert [(p.page, p.object) for p in only(problems, ERROR, "does not contain the TrimBox")] == \
        [(2, "BleedBox")]
    assert [p.page for p in only(problems, WARNING, "no bleed")] == [3]


def test_unembedded_font_is_found(tmp_path):
    def helvetica(c: Canvas, n: int) -> None:
        c.setFont("Helvetica", 9)
        c.setFillColorCMYK(0, 0, 0, 1)
        c.drawString(BLEED + 20, BLEED + 50, "Helvetica is not embedded")

    problems = check_pdf(make_pdf(tmp_path / "helv.pdf", helvetica))
    found = errors(problems)
    assert len(found) == 1
    assert found[0].page == 1 and found[0].message == "not embedded"
    assert "(Helvetica)" in found[0].object and found[0].object.startswith("font /")


def test_embedded_type0_font_passes(tmp_path):
    """A CID-keyed (Type0) font: embedded in its descendant."""
    path = make_pdf(tmp_path / "t0.pdf")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        fonts = pdf.pages[0].Resources.Font
        name, simple = next(iter(fonts.items()))
        fonts[name] = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=simple.BaseFont,
            Encoding=pikepdf.Name("/Identity-H"),
            DescendantFonts=pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2, BaseFont=simple.BaseFont,
                FontDescriptor=simple.FontDescriptor))])))
        pdf.save(path)
    assert errors(check_pdf(path)) == []
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        font = next(iter(pdf.pages[0].Resources.Font.values()))
        del font.DescendantFonts[0].FontDescriptor["/FontFile2"]
        pdf.save(path)
    assert [p.message for p in errors(check_pdf(path))] == ["not embedded"]


def test_rgb_and_icc_rgb_colour_spaces_and_images(tmp_path):
    png = tmp_path / "rgb.png"
    Image.new("RGB", (600, 600), (200, 30, 30)).save(png)

    def draw(c: Canvas, n: int) -> None:
        c.drawImage(str(png), BLEED + 20, BLEED + 20, 100, 100)

    path = make_pdf(tmp_path / "img.pdf", draw)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        icc = pikepdf.Stream(pdf, b"\0" * 128)
        icc.N = 3
        page.Resources.ColorSpace = pikepdf.Dictionary(
            CS0=pikepdf.Array([pikepdf.Name.ICCBased, icc]))
        page.contents_add(pdf.make_stream(b"/CS0 cs 1 0 0 scn 30 30 40 40 re f"))
        pdf.save(path)
    found = errors(check_pdf(path))
    image = [p for p in found if p.object.startswith("image /")]
    assert len(image) == 1 and "RGB colour space (/DeviceRGB)" in image[0].message
    assert "(600×600 px)" in image[0].object
    icc_found = [p.message for p in found if p.object == "content stream"]
    assert any("ICCBased, N=3" in m for m in icc_found)
    assert any("RGB fill colour (1 0 0 scn" in m for m in icc_found)


def test_rgb_inside_a_form_xobject(tmp_path):
    def form(c: Canvas, n: int) -> None:
        c.beginForm("Logo")
        c.setFillColorRGB(0, 0.5, 0)
        c.rect(0, 0, 10, 10, fill=1, stroke=0)
        c.endForm()
        c.doForm("Logo")

    found = errors(check_pdf(make_pdf(tmp_path / "form.pdf", form)))
    assert len(found) == 1 and found[0].object.startswith("form /")
    assert "DeviceRGB fill colour (0 .5 0 rg" in found[0].message or \
        "DeviceRGB fill colour (0 0.5 0 rg" in found[0].message


def test_transparency_is_found(tmp_path):
    rgba = tmp_path / "alpha.png"
    im = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    im.paste((0, 0, 0, 255), (0, 0, 200, 400))
    im.convert("LA").save(rgba)

    def draw(c: Canvas, n: int) -> None:
        c.setFillAlpha(0.5)
        c.setFillColorCMYK(0, 1, 0, 0)
        c.rect(BLEED + 20, BLEED + 20, 50, 50, fill=1, stroke=0)
        c.setFillAlpha(1)
        c.drawImage(str(rgba), BLEED + 100, BLEED + 20, 60, 60, mask="auto")

    problems = check_pdf(make_pdf(tmp_path / "alpha.pdf", draw))
    messages = [f"{p.object}: {p.message}" for p in errors(problems)]
    assert any(m.startswith("ExtGState /") and "ca 0.5 (transparency)" in m for m in messages)
    assert any(m.startswith("image /") and "soft mask (transparency)" in m for m in messages)


def test_blend_mode_and_transparency_group(tmp_path):
    path = make_pdf(tmp_path / "blend.pdf")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        page.Resources.ExtGState = pikepdf.Dictionary(
            BM1=pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, BM=pikepdf.Name.Multiply))
        page.contents_add(pdf.make_stream(b"/BM1 gs 0 0 0 1 k 10 10 20 20 re f"))
        page.obj.Group = pikepdf.Dictionary(S=pikepdf.Name.Transparency)
        pdf.save(path)
    messages = [f"{p.object}: {p.message}" for p in errors(check_pdf(path))]
    assert "ExtGState /BM1: blend mode /Multiply (transparency)" in messages
    assert "page: transparency group (no transparency allowed)" in messages


def test_low_resolution_image_is_a_warning(tmp_path):
    photo = tmp_path / "small.png"
    Image.radial_gradient("L").resize((100, 100)).convert("RGB").save(photo)
    jpeg = to_cmyk_jpeg(photo, NEWSPRINT_PROFILE, 240, tmp_path / "cache")

    def draw(c: Canvas, n: int) -> None:
        c.drawImage(str(jpeg), BLEED + 20, BLEED + 20, 144, 72)  # 100 px over 2 in: 50 dpi

    problems = check_pdf(make_pdf(tmp_path / "lowres.pdf", draw))
    low = only(problems, WARNING, "dpi")
    assert len(low) == 1
    assert "50 dpi at its placed size 144.0×72.0 pt, under 200 dpi" in low[0].message
    assert "(100×100 px)" in low[0].object
    assert errors(problems) == [] and exit_code(problems) == 0


def draw_named_image(c: Canvas, jpeg: Path, name: str, x: float, y: float, w: float, h: float) -> None:
    """What the writer does for a picture: its image XObject registered under `name` (reportlab's
    drawImage would name it by a digest of the file's path)."""
    from reportlab.pdfbase import pdfdoc

    reg = c._doc.getXObjectName(name)
    if reg not in c._doc.idToObject:
        image = pdfdoc.PDFImageXObject(name, str(jpeg))
        image.name = name
        c._setXObjects(image)
        c._doc.Reference(image, reg)
        c._doc.addForm(name, image)
    c.saveState()
    c.translate(x, y)
    c.scale(w, h)
    c._code.append(f"/{reg} Do")
    c.restoreState()
    c._formsinuse.append(name)


@pytest.mark.parametrize("source", ["photo-1.jpg", "街景 图片.jpg"])
def test_an_image_is_named_by_its_source_file(tmp_path, source):
    """`check` said "image /FormXob.0bd9cc…" where render said the file's name (issue 11): the
    writer names each picture's XObject after its source (layout/imagenames.py)."""
    from layout.press.imagenames import image_xobject_name

    photo = tmp_path / "small.png"
    Image.radial_gradient("L").resize((100, 100)).convert("RGB").save(photo)
    jpeg = to_cmyk_jpeg(photo, NEWSPRINT_PROFILE, 240, tmp_path / "cache")
    name = image_xobject_name(source, jpeg.stem)

    def draw(c: Canvas, n: int) -> None:
        draw_named_image(c, jpeg, name, BLEED + 20, BLEED + 20, 144, 72)

    low = only(check_pdf(make_pdf(tmp_path / "named.pdf", draw)), WARNING, "dpi")
    assert [str(p) for p in low] == [
        f"warning: page 1: image {source} (100×100 px): 50 dpi at its placed size 144.0×72.0 pt, "
        "under 200 dpi"]


def test_an_image_of_another_writer_keeps_its_pdf_name(tmp_path):
    photo = tmp_path / "small.png"
    Image.new("RGB", (100, 100), (10, 20, 30)).save(photo)
    jpeg = to_cmyk_jpeg(photo, NEWSPRINT_PROFILE, 240, tmp_path / "cache")
    low = only(check_pdf(make_pdf(tmp_path / "plain.pdf", lambda c, n: c.drawImage(
        str(jpeg), BLEED + 20, BLEED + 20, 144, 72))), WARNING, "dpi")
    assert len(low) == 1 and low[0].object.startswith("image /FormXob.")
    assert len(low[0].object.split()[1]) == len("/FormXob.") + 32  # reportlab's md5 digest


def test_image_names_round_trip():
    from layout.press.imagenames import MAX_NAME_BYTES, PREFIX, image_xobject_name, source_of_xobject

    for source in ("photo-1.jpg", "街景 图片 (1).jpg", "a~b#c%d.png"):
        name = image_xobject_name(source, "5C991BCB93AA0000")
        assert name.startswith("5c991bcb.") and all(c.isascii() and c not in "#%()<>[]{}/ " for c in name)
        assert source_of_xobject("/" + PREFIX + name) == source
    long = image_xobject_name("图" * 100, "5c991bcb")
    assert len(PREFIX + long) <= MAX_NAME_BYTES and source_of_xobject(PREFIX + long) == "图" * 12
    assert source_of_xobject("/FormXob.0380dce4205e7da96d8ecfb14c79e54a") is None
    assert source_of_xobject("/Im0") is None


def test_black_text_without_overprint_is_a_warning(tmp_path):
    def knockout(c: Canvas, n: int) -> None:
        t = c.beginText()
        t.setFont(FONT, 10)
        t.setFillOverprint(False)
        t.setFillColorCMYK(0, 0, 0, 1)
        t.setTextOrigin(BLEED + 20, BLEED + 60)
        t.textOut("knocks out")
        t.textOut(" twice")
        t.setFillColorCMYK(0, 1, 1, 0)  # red knocks out, as it should: no warning
        t.textOut(" red")
        c.drawText(t)

    problems = check_pdf(make_pdf(tmp_path / "ko.pdf", knockout))
    ko = only(problems, WARNING, "100 % K text knocks out")
    assert len(ko) == 1 and ko[0].page == 1
    assert "overprint off" in ko[0].message and "(2 times" in ko[0].message
    assert errors(problems) == []


def test_overprint_state_follows_save_and_restore(tmp_path):
    path = make_pdf(tmp_path / "qQ.pdf")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        page.Resources.ExtGState.OPon = pikepdf.Dictionary(OP=True, OPM=1)  # /op follows /OP
        page.Resources.ExtGState.OPoff = pikepdf.Dictionary(OP=False)
        page.contents_add(pdf.make_stream(
            b"/OPoff gs q /OPon gs BT /F1+0 9 Tf 0 0 0 1 k 10 10 Td (a) Tj ET Q "
            b"BT /F1+0 9 Tf 0 0 0 1 k 10 30 Td (b) Tj ET"))
        pdf.save(path)
    ko = only(check_pdf(path), WARNING, "knocks out")
    assert len(ko) == 1 and "(2 times" not in ko[0].message  # only the text after Q


def test_ink_limit_on_vector_colours(tmp_path):
    def rich_black(c: Canvas, n: int) -> None:
        c.setFillColorCMYK(0.6, 0.6, 0.6, 1)
        c.rect(BLEED + 20, BLEED + 20, 50, 50, fill=1, stroke=0)

    path = make_pdf(tmp_path / "ink.pdf", rich_black)
    assert only(check_pdf(path), WARNING, "total ink") == []  # not asked
    over = only(check_pdf(path, ink_limit=240), WARNING, "total ink")
    assert len(over) == 1 and "280 % total ink, over the 240 % limit" in over[0].message


def test_ink_limit_on_cmyk_images(tmp_path):
    heavy = tmp_path / "heavy.jpg"
    Image.new("CMYK", (400, 400), (230, 230, 230, 230)).save(heavy, quality=95)  # ~360 %

    def draw(c: Canvas, n: int) -> None:
        c.drawImage(str(heavy), BLEED + 20, BLEED + 20, 100, 100)

    over = only(check_pdf(make_pdf(tmp_path / "heavy.pdf", draw), ink_limit=240), WARNING,
                "total ink up to")
    assert len(over) == 1 and over[0].object.startswith("image /")
    assert "over the 240 % limit" in over[0].message
    total = float(over[0].message.split("total ink up to ")[1].split(" %")[0])
    assert 350 < total < 370  # read as the PDF means it (Adobe JPEG inversion undone once)


def pdfx_file(tmp_path: Path) -> Path:
    src = make_pdf(tmp_path / "src.pdf", pages=2)
    out = tmp_path / "x4.pdf"
    out.write_bytes(make_pdfx4(src.read_bytes(), profile=NEWSPRINT_PROFILE, title="Test",
                               output_condition="newsprint",
                               doc_id=doc_id_for("T", date(2022, 6, 16)),
                               created=date(2022, 6, 16)))
    return out


@pytest.mark.skipif(not NEWSPRINT_PROFILE.is_file(), reason="newsprint profile not built")
def test_pdfx_file_passes_and_broken_markers_are_found(tmp_path):
    out = pdfx_file(tmp_path)
    assert check_pdf(out) == []
    with pikepdf.open(out, allow_overwriting_input=True) as pdf:
        del pdf.docinfo["/Trapped"]
        pdf.Root.OutputIntents[0].DestOutputProfile.N = 3
        del pdf.Root.OutputIntents[0]["/OutputConditionIdentifier"]
        pdf.save(out)
    messages = {f"{p.object}: {p.message}" for p in errors(check_pdf(out))}
    assert "Info: Trapped must be /True or /False, is None" in messages
    assert "OutputIntent profile: /N is 3, must be 4" in messages
    assert "OutputIntent: no OutputConditionIdentifier" in messages
    with pikepdf.open(out, allow_overwriting_input=True) as pdf:
        del pdf.Root["/OutputIntents"]
        del pdf.Root["/Metadata"]
        pdf.save(out)
    messages = {f"{p.object}: {p.message}" for p in errors(check_pdf(out))}
    assert "OutputIntent: no GTS_PDFX output intent" in messages
    assert "XMP metadata: missing (PDF/X-4 requires it)" in messages


def test_pdfx_flag(tmp_path):
    plain = make_pdf(tmp_path / "plain.pdf")
    assert errors(check_pdf(plain)) == []
    forced = {f"{p.object}: {p.message}" for p in errors(check_pdf(plain, pdfx=True))}
    assert "OutputIntent: no GTS_PDFX output intent" in forced
    assert "XMP metadata: missing (PDF/X-4 requires it)" in forced
    assert [p.object for p in check_pdf(plain, pdfx=False)] == []


def test_report_and_exit_code(tmp_path):
    def helvetica(c: Canvas, n: int) -> None:
        c.setFont("Helvetica", 9)
        c.drawString(BLEED + 20, BLEED + 50, "x")

    path = make_pdf(tmp_path / "r.pdf", helvetica, pages=2)
    problems = check_pdf(path)
    report = format_report(path, problems)
    assert f"{path}: error: page 1: font /" in report
    assert "(Helvetica): not embedded" in report
    assert report.splitlines()[-1] == f"{path}: preflight FAILED: 1 error(s), 1 warning(s)"
    assert exit_code(problems) == 1 and len(failures(problems)) == 1
    assert str(Problem(None, "Info", "no Title")) == "error: document: Info: no Title"


def test_not_a_pdf(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf at all")
    with pytest.raises(PreflightError, match="cannot read as PDF"):
        check_pdf(bad)


def test_stroke_overprint_alone_turns_fill_overprint_on(tmp_path):
    """PDF: an ExtGState with /OP but no /op sets both. A white box after an overprinting black
    rule vanishes on press (error); a tint overprints (warning)."""
    path = make_pdf(tmp_path / "op.pdf")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        page.Resources.ExtGState.StrokeOP = pikepdf.Dictionary(OP=True)
        page.Resources.ExtGState.FillKO = pikepdf.Dictionary(op=False)
        page.contents_add(pdf.make_stream(
            b"/StrokeOP gs 0 0 0 1 K 10 10 m 100 10 l S "
            b"0 0 0 0 k 10 20 50 50 re f 0 0 0 .6 k 70 20 50 50 re f "
            b"/FillKO gs 0 0 0 0 k 10 80 50 50 re f"))
        pdf.save(path)
    problems = check_pdf(path)
    assert [p.message for p in errors(problems)] == [
        "white fill set to overprint: it disappears on press"]  # once: the last box knocks out
    assert len(only(problems, WARNING, "fill in CMYK 0 0 0 0.6 overprints (OPM 1)")) == 1
