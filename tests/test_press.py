"""The reference edition rendered for press (--pdfx): PDF/X-4 markers, CMYK everywhere, black
overprint, boxes — read back from the file with pikepdf, and our own preflight passes it."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from layout.press.preflight import check_pdf
from layout.desk.render import render_spec

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "issue_specs" / "xuchang-2022-06-16.yaml"


@pytest.fixture(scope="module")
def pdfx(tmp_path_factory):
    out = tmp_path_factory.mktemp("press") / "ref-x4.pdf"
    render_spec(SPEC, out, pdfx=True)
    return out


def test_pdfx4_markers(pdfx):
    with pikepdf.open(pdfx) as pdf:
        assert pdf.pdf_version == "1.6"
        assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-4"
        assert str(pdf.docinfo["/Trapped"]) == "/False"
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == pikepdf.Name.GTS_PDFX
        assert int(intent.DestOutputProfile.N) == 4
        assert b"GTS_PDFXVersion" in pdf.Root.Metadata.read_bytes()


def _images(page):
    """The page's image XObjects (pikepdf ≥ 10.18 renamed `images` to `get_images()`)."""
    return page.get_images() if hasattr(page, "get_images") else page.images


def test_boxes_and_cmyk_images(pdfx):
    with pikepdf.open(pdfx) as pdf:
        for page in pdf.pages:
            trim, bleed = [float(v) for v in page.TrimBox], [float(v) for v in page.BleedBox]
            assert bleed[0] < trim[0] and bleed[2] > trim[2]
        images = [x for p in pdf.pages for x in _images(p).values()]
        assert len(images) == 2
        assert all(img.ColorSpace == pikepdf.Name.DeviceCMYK for img in images)


def test_body_text_is_black_and_overprints(pdfx):
    with pikepdf.open(pdfx) as pdf:
        page = pdf.pages[0]
        states = page.Resources.ExtGState
        op_fill = False
        black_text_overprinted = 0
        rgb = 0
        for operands, op in pikepdf.parse_content_stream(page):
            name = str(op)
            if name == "gs":
                gs = states[operands[0]]
                if "/op" in gs:
                    op_fill = bool(gs.op)
            elif name in ("rg", "RG"):
                rgb += 1
            elif name in ("Tj", "TJ") and op_fill:
                black_text_overprinted += 1
        assert rgb == 0
        assert black_text_overprinted > 300  # one TJ per line: every body line of the two pages


def test_preflight_passes_and_same_bytes(pdfx, tmp_path):
    problems = check_pdf(pdfx, pdfx=True)
    assert [p for p in problems if p.severity == "error"] == []
    again = tmp_path / "again.pdf"
    render_spec(SPEC, again, pdfx=True)
    assert again.read_bytes() == pdfx.read_bytes()


@pytest.mark.skipif(not shutil.which("qpdf"), reason="qpdf not installed")
def test_qpdf_check(pdfx):
    proc = subprocess.run(["qpdf", "--check", str(pdfx)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.skipif(not shutil.which("gs"), reason="Ghostscript not installed")
def test_ghostscript_renders_without_warnings(pdfx):
    proc = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=nullpage", str(pdfx)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and not proc.stdout.strip() and not proc.stderr.strip()


def test_check_command_catches_rgb_rule_missing_bleedbox_and_unembedded_font(tmp_path):
    from click.testing import CliRunner
    from reportlab.pdfgen.canvas import Canvas

    from layout.desk.cli import main

    bad = tmp_path / "bad.pdf"
    c = Canvas(str(bad), pagesize=(200, 200), invariant=1)
    c.setTrimBox((10, 10, 190, 190))  # and no BleedBox
    c.setStrokeColorRGB(1, 0, 0)
    c.line(20, 20, 180, 20)
    c.setFont("Helvetica", 12)  # a base-14 font: never embedded
    c.drawString(20, 100, "unembedded")
    c.showPage()
    c.save()
    result = CliRunner().invoke(main, ["check", str(bad)])
    assert result.exit_code == 1
    out = result.output
    assert "RGB" in out and "BleedBox" in out and "not embedded" in out


def test_check_command_passes_the_press_render(pdfx):
    from click.testing import CliRunner

    from layout.desk.cli import main

    result = CliRunner().invoke(main, ["check", "--pdfx", str(pdfx)])
    assert result.exit_code == 0, result.output


def test_marks_grow_the_media_box_and_stay_outside_the_bleed(tmp_path):
    out = tmp_path / "marks.pdf"
    render_spec(SPEC, out, pdfx=True, marks=True)
    with pikepdf.open(out) as pdf:
        page = pdf.pages[0]
        media = [float(v) for v in page.MediaBox]
        bleed = [float(v) for v in page.BleedBox]
        trim = [float(v) for v in page.TrimBox]
        assert media[0] < bleed[0] < trim[0] and media[2] > bleed[2] > trim[2]
        assert trim[2] - trim[0] == pytest.approx(390 * 72 / 25.4, abs=0.1)
    from pdftext import page_glyphs
    glyphs = page_glyphs(out)[0]  # trimmed-page coordinates: the slug lies outside it
    slug = "".join(g.ch for g in glyphs if g.baseline > 545 * 72 / 25.4 + 3 * 72 / 25.4)
    assert "第1版" in slug and "许昌日报" in slug
    assert [p for p in check_pdf(out, pdfx=True) if p.severity == "error"] == []
