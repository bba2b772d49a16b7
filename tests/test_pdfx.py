"""PDF/X-4 pass (layout/pdfx.py) on a small reportlab PDF drawn the way the writer draws for press:
read back with pikepdf and pypdf, checked with qpdf, Ghostscript, pdffonts and our preflight."""
from __future__ import annotations

import base64
import io
import shutil
import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pikepdf
import pypdf
import pytest
from PIL import Image
from reportlab import rl_config
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from layout.press.colour import (NEWSPRINT_CONDITION, NEWSPRINT_CONDITION_TEXT, NEWSPRINT_PROFILE,
                           to_cmyk_jpeg)
from layout.press.pdfx import PdfxError, doc_id_for, make_pdfx4
from layout.press.preflight import check_pdf

FONT_FILE = Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf")
FONT = "PdfxTestWenKai"
TITLE = "许昌日报 2022-06-16"
DOC_ID = doc_id_for("许昌日报", date(2022, 6, 16))

pytestmark = [
    pytest.mark.skipif(not FONT_FILE.is_file(), reason="fonts-lxgw-wenkai not installed"),
    pytest.mark.skipif(not NEWSPRINT_PROFILE.is_file(), reason="newsprint profile not built"),
]


def press_pdf(tmp: Path, *, pages: int = 2, a85: bool = False) -> bytes:
    """A reportlab PDF as the writer makes it with --pdfx: DeviceCMYK, 100 % K text and rules
    overprinting (OPM 1), a CMYK photo, TrimBox/BleedBox on every page."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE)))
    photo = tmp / "photo.png"
    Image.radial_gradient("L").convert("RGB").resize((400, 300)).save(photo)
    jpeg = to_cmyk_jpeg(photo, NEWSPRINT_PROFILE, 240, tmp / "cache")
    bleed, w, h = 8.5, 300.0, 400.0
    buf = io.BytesIO()
    saved = rl_config.useA85
    rl_config.useA85 = 1 if a85 else 0
    try:
        c = Canvas(buf, pagesize=(w + 2 * bleed, h + 2 * bleed), invariant=1, pageCompression=1,
                   initialFontName=FONT, initialFontSize=9)
        c.setTitle(TITLE)
        c.setAuthor("许昌日报社出版")
        c.setCreator("Broadsheet")
        c.setProducer("Broadsheet (reportlab)")
        for n in range(pages):
            c.setBleedBox((0, 0, w + 2 * bleed, h + 2 * bleed))
            c.setTrimBox((bleed, bleed, bleed + w, bleed + h))
            c.setOverprintMask(True)
            c.setStrokeOverprint(True)
            c.setFillOverprint(False)  # a lone /OP true would turn fill overprint on too
            c.setStrokeColorCMYK(0, 0, 0, 1)
            c.setLineWidth(0.5)
            c.line(bleed + 20, bleed + h - 40, bleed + w - 20, bleed + h - 40)
            c.setFillColorCMYK(0, 0, 0, 0.1)
            c.rect(bleed + 20, bleed + 20, 100, 60, stroke=0, fill=1)
            # an ImageReader: the XObject is named by its pixels, not by the cache's path
            c.drawImage(ImageReader(str(jpeg)), bleed + 150, bleed + 150, 120, 90)  # 240 dpi
            t = c.beginText()
            t.setFont(FONT, 10)
            t.setFillOverprint(True)
            t.setFillColorCMYK(0, 0, 0, 1)
            t.setTextOrigin(bleed + 20, bleed + h - 60)
            t.textOut(f"第{n + 1}版 报纸正文 Body text")
            t.setFillOverprint(False)
            t.setFillColorCMYK(0, 1, 1, 0)
            t.setTextOrigin(bleed + 20, bleed + h - 80)
            t.textOut("红色标题")
            c.drawText(t)
            c.showPage()
        c.save()
    finally:
        rl_config.useA85 = saved
    return buf.getvalue()


def pdfx(data: bytes, **kw) -> bytes:
    args = dict(profile=NEWSPRINT_PROFILE, title=TITLE, output_condition=NEWSPRINT_CONDITION_TEXT,
                output_condition_id=NEWSPRINT_CONDITION, doc_id=DOC_ID, created=date(2022, 6, 16))
    args.update(kw)
    return make_pdfx4(data, **args)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pdfx")
    source = press_pdf(tmp)
    out = tmp / "x4.pdf"
    out.write_bytes(pdfx(source))
    return source, out


def test_header_is_pdf_1_6(made):
    _, out = made
    assert out.read_bytes().startswith(b"%PDF-1.6")
    with pikepdf.open(out) as pdf:
        assert pdf.pdf_version == "1.6"


def test_output_intent_carries_the_cmyk_profile(made):
    _, out = made
    with pikepdf.open(out) as pdf:
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1
        oi = intents[0]
        assert oi.Type == "/OutputIntent" and oi.S == "/GTS_PDFX"
        assert str(oi.OutputConditionIdentifier) == NEWSPRINT_CONDITION
        assert str(oi.OutputCondition) == NEWSPRINT_CONDITION_TEXT
        assert str(oi.RegistryName) == "http://www.color.org"
        assert "240%" in str(oi.Info)  # the profile's description
        prof = oi.DestOutputProfile
        assert prof.N == 4
        icc = prof.read_bytes()
        assert icc == NEWSPRINT_PROFILE.read_bytes()
        assert icc[12:20] == b"prtrCMYK"


def test_info_dictionary(made):
    _, out = made
    with pikepdf.open(out) as pdf:
        info = pdf.docinfo
        assert str(info.GTS_PDFXVersion) == "PDF/X-4"
        assert info.Trapped == pikepdf.Name("/False")
        assert str(info.Title) == TITLE
        assert str(info.CreationDate) == str(info.ModDate) == "D:20220616000000+00'00'"
        assert "/Subject" not in info and "/Keywords" not in info  # reportlab's placeholders
    reader = pypdf.PdfReader(out)  # a second reader agrees
    assert reader.metadata["/GTS_PDFXVersion"] == "PDF/X-4"
    assert reader.metadata["/Trapped"] == "/False"
    assert reader.metadata.title == TITLE


def test_xmp_agrees_with_info(made):
    _, out = made
    with pikepdf.open(out) as pdf:
        meta_stream = pdf.Root.Metadata
        assert meta_stream.Type == "/Metadata" and meta_stream.Subtype == "/XML"
        assert "/Filter" not in meta_stream  # left readable, as PDF/X tools expect
        raw = meta_stream.read_bytes().decode("utf-8")
        assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in raw
        meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
        assert meta["{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion"] == "PDF/X-4"
        assert meta["pdf:Trapped"] == "False"
        assert meta["dc:title"] == TITLE
        assert meta["dc:creator"] == ["许昌日报社出版"]
        assert meta["xmp:CreateDate"] == meta["xmp:ModifyDate"] == "2022-06-16T00:00:00+00:00"
        assert meta["xmp:CreatorTool"] == str(pdf.docinfo.Creator)
        assert meta["pdf:Producer"] == str(pdf.docinfo.Producer)
        assert meta["xmpMM:DocumentID"].startswith("uuid:")
        assert meta["xmpMM:RenditionClass"] == "default"


def test_same_input_same_bytes(made, tmp_path):
    source, out = made
    assert pdfx(source) == out.read_bytes()
    again = press_pdf(tmp_path)  # a fresh reportlab run too
    assert pdfx(again) == out.read_bytes()


def test_trailer_id_derives_from_doc_id(made):
    source, out = made
    other = pdfx(source, doc_id=doc_id_for("许昌日报", date(2022, 6, 17)))
    with pikepdf.open(out) as a, pikepdf.open(io.BytesIO(other)) as b:
        assert len(a.trailer.ID) == 2 and len(bytes(a.trailer.ID[0])) == 16
        assert bytes(a.trailer.ID[0]) != bytes(b.trailer.ID[0])


def test_dates_with_a_time_zone(made):
    source, _ = made
    when = datetime(2022, 6, 16, 5, 30, tzinfo=timezone(timedelta(hours=8)))
    with pikepdf.open(io.BytesIO(pdfx(source, created=when))) as pdf:
        assert str(pdf.docinfo.CreationDate) == "D:20220616053000+08'00'"
        meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
        assert meta["xmp:CreateDate"] == "2022-06-16T05:30:00+08:00"


def test_boxes_colours_and_overprint_survive(made):
    _, out = made
    with pikepdf.open(out) as pdf:
        for page in pdf.pages:
            assert "/TrimBox" in page.obj and "/BleedBox" in page.obj
            ops = [(str(i.operator), list(i.operands)) for i in pikepdf.parse_content_stream(page)]
            names = {op for op, _ in ops}
            assert not names & {"rg", "RG", "sc", "scn", "SC", "SCN"}
            assert {"k", "K", "gs"} <= names
            states = page.Resources.ExtGState
            assert any(gs.get("/op") is True for gs in states.values())
            assert any(gs.get("/OPM") == 1 for gs in states.values())
            for xo in page.Resources.XObject.values():
                assert xo.ColorSpace == "/DeviceCMYK"


def test_ascii85_image_layer_is_dropped(tmp_path):
    source = press_pdf(tmp_path, pages=1, a85=True)
    with pikepdf.open(io.BytesIO(source)) as pdf:
        xobjects = list(pdf.pages[0].Resources.XObject.values())
        assert all(list(x.Filter) == ["/ASCII85Decode", "/DCTDecode"] for x in xobjects)
        before = [base64.a85decode(bytes(x.read_raw_bytes()).strip()[:-2], ignorechars=b" \n\r")
                  for x in xobjects]
        assert all(b.startswith(b"\xff\xd8") for b in before)  # a JPEG under the ASCII85
    with pikepdf.open(io.BytesIO(pdfx(source))) as pdf:
        xobjects = list(pdf.pages[0].Resources.XObject.values())
        assert all(x.Filter == "/DCTDecode" for x in xobjects)
        assert [bytes(x.read_raw_bytes()) for x in xobjects] == before


def test_refuses_a_profile_that_is_not_cmyk_output(made, tmp_path):
    from PIL import ImageCms

    srgb = tmp_path / "srgb.icc"
    srgb.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    with pytest.raises(PdfxError, match="CMYK"):
        pdfx(made[0], profile=srgb)
    with pytest.raises(PdfxError, match="cannot read"):
        pdfx(made[0], profile=tmp_path / "none.icc")


def test_our_preflight_finds_nothing(made):
    _, out = made
    assert check_pdf(out, pdfx=True, ink_limit=240) == []


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf not installed")
def test_qpdf_check_passes(made):
    _, out = made
    run = subprocess.run(["qpdf", "--check", str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No syntax or stream encoding errors" in run.stdout


@pytest.mark.skipif(shutil.which("gs") is None, reason="ghostscript not installed")
def test_ghostscript_renders_without_warnings(made):
    _, out = made
    run = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=nullpage",
                          str(out)], capture_output=True, text=True)
    assert run.returncode == 0
    assert run.stdout.strip() == "" and run.stderr.strip() == ""


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_pdffonts_lists_every_font_embedded(made):
    _, out = made
    run = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True)
    rows = run.stdout.splitlines()[2:]
    assert rows
    for row in rows:
        emb = row.split()[-5]  # name type encoding emb sub uni object ID
        assert emb == "yes", row


def test_title_is_escaped_and_reportlab_date_kept(made):
    source, _ = made
    title = 'A & B <c> "d"'
    with pikepdf.open(io.BytesIO(pdfx(source, title=title, created=None))) as pdf:
        assert str(pdf.docinfo.CreationDate) == "D:20000101000000+00'00'"  # reportlab invariant
        meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
        assert meta["dc:title"] == title == str(pdf.docinfo.Title)
        assert meta["xmp:CreateDate"] == "2000-01-01T00:00:00+00:00"
