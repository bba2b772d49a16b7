"""Our PDF writer (layout/press/pdfwriter.py): images as the pages drew them, the graphics state it
writes, deterministic bytes and a file structure qpdf, pikepdf and pdfium read back."""
from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image

from layout.press.pdfwriter import Document, Page, jpeg_info, serialise, Name, Ref


def _one_page(draw=None, *, title: str = "t", images: dict[str, Path] | None = None) -> bytes:
    doc = Document()
    page = Page(media=(0, 0, 100, 80), bleed=(5, 5, 95, 75), trim=(10, 10, 90, 70))
    for name, file in (images or {}).items():
        page.image(name, doc.image(name, file), 0, 0, 100, 80)
    if draw:
        draw(page)
    doc.add_page(page)
    return doc.finish({"Title": title, "Author": "a", "Creator": "c", "Producer": "p"})


def _pixel(pdf: bytes, x: int = 50, y: int = 40) -> tuple[int, int, int]:
    bitmap = pdfium.PdfDocument(pdf)[0].render(scale=1).to_pil().convert("RGB")
    return bitmap.getpixel((x, y))


def _image_dict(pdf: bytes) -> tuple[dict, bytes]:
    """The first image XObject's dictionary and its stored bytes."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        xobjects = doc.pages[0].Resources.XObject
        image = xobjects[next(iter(xobjects.keys()))]
        return {k: image[k] for k in image.keys()}, image.read_raw_bytes()


def test_adobe_cmyk_jpeg_passes_through_with_inverting_decode(tmp_path):
    jpeg = tmp_path / "cyan.jpg"
    Image.new("CMYK", (16, 16), (255, 0, 0, 0)).save(jpeg, quality=95)  # Pillow: Adobe, inverted
    assert jpeg_info(jpeg.read_bytes()).adobe
    pdf = _one_page(images={"Im.cyan": jpeg})
    image, raw = _image_dict(pdf)
    assert raw == jpeg.read_bytes()  # byte for byte
    assert str(image["/Filter"]) == "/DCTDecode"
    assert str(image["/ColorSpace"]) == "/DeviceCMYK"
    assert [int(v) for v in image["/Decode"]] == [1, 0, 1, 0, 1, 0, 1, 0]
    r, g, b = _pixel(pdf)
    assert r < 80 and g > 120 and b > 180  # cyan stays cyan (not its inverse, black)


@pytest.mark.parametrize("mode,space", [("L", "/DeviceGray"), ("RGB", "/DeviceRGB")])
def test_grey_and_rgb_jpegs_have_their_colour_space_and_no_decode(tmp_path, mode, space):
    jpeg = tmp_path / "p.jpg"
    Image.new(mode, (9, 7), 200 if mode == "L" else (200, 30, 30)).save(jpeg)
    image, _ = _image_dict(_one_page(images={"Im.p": jpeg}))
    assert str(image["/ColorSpace"]) == space and "/Decode" not in image
    assert (int(image["/Width"]), int(image["/Height"])) == (9, 7)


def test_png_with_alpha_draws_its_colour_channels_without_a_mask(tmp_path):
    png = tmp_path / "a.png"
    im = Image.new("RGBA", (4, 4), (255, 0, 0, 0))  # red, fully transparent
    im.putpixel((0, 0), (0, 0, 255, 255))
    im.save(png)
    pdf = _one_page(images={"Im.a": png})
    image, _ = _image_dict(pdf)
    assert str(image["/ColorSpace"]) == "/DeviceRGB" and "/SMask" not in image
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        xobjects = doc.pages[0].Resources.XObject
        pixels = pikepdf.PdfImage(xobjects[next(iter(xobjects.keys()))]).as_pil_image()
        assert pixels.getpixel((1, 1)) == (255, 0, 0) and pixels.getpixel((0, 0)) == (0, 0, 255)
    r, g, b = _pixel(pdf)
    assert r > 200 and g < 60 and b < 60  # alpha dropped, as the pages drew it with reportlab


def test_same_input_same_bytes_and_the_id_follows_the_content():
    def draw(page: Page) -> None:
        page.stroke_cmyk((0, 0, 0, 1))
        page.line(10, 10, 90, 70)

    first, again, other = _one_page(draw), _one_page(draw), _one_page(draw, title="other")
    assert first == again
    with pikepdf.open(io.BytesIO(first)) as a, \
            pikepdf.open(io.BytesIO(other)) as b:
        assert bytes(a.trailer.ID[0]) != bytes(b.trailer.ID[0])
        assert str(a.docinfo.Title) == "t" and str(a.docinfo.CreationDate) == "D:20000101000000+00'00'"


def test_graphics_state_written_only_on_change_and_restored_by_Q():
    page = Page(media=(0, 0, 1, 1), bleed=(0, 0, 1, 1), trim=(0, 0, 1, 1))
    page.stroke_cmyk((0, 0, 0, 1))
    page.overprint(stroke=True)
    page.save()
    page.stroke_cmyk((0, 1, 1, 0))
    page.overprint(stroke=False)
    page.restore()
    page.stroke_cmyk((0, 0, 0, 1))  # in force again after Q: not written
    page.overprint(stroke=True)
    page.overprint(fill=True)
    assert page.ops == ["0 0 0 1 K", "/OP10 gs", "q", "0 1 1 0 K", "/OP00 gs", "Q", "/OP11 gs"]


def test_overprint_states_set_both_op_and_OP():
    def draw(page: Page) -> None:
        page.gs("OPM1")
        page.overprint(stroke=True)
        page.fill_rect(1, 2, 3, 4)

    with pikepdf.open(io.BytesIO(_one_page(draw))) as doc:
        states = doc.pages[0].Resources.ExtGState
        assert int(states.OPM1.OPM) == 1
        assert bool(states.OP10.OP) is True and bool(states.OP10.op) is False


def test_serialise_names_strings_and_numbers():
    assert serialise({"A b": Name("x#y"), "T": "许昌", "n": [1, 0.5, -0.00001, True, None, Ref(3)]}) \
        == "<</A#20b /x#23y /T <feff8bb8660c> /n [1 0.5 0 true null 3 0 R]>>"
    assert serialise("a (b) \\") == "(a \\(b\\) \\\\)"


@pytest.mark.skipif(not shutil.which("qpdf"), reason="qpdf not installed")
def test_qpdf_accepts_objects_xref_and_trailer(tmp_path):
    jpeg = tmp_path / "p.jpg"
    Image.new("RGB", (8, 8), (10, 200, 10)).save(jpeg)

    def draw(page: Page) -> None:
        page.save()
        page.clip_rect(10, 10, 50, 50)
        page.restore()
        page.fill_cmyk((0, 1, 1, 0))
        page.fill_rect(20, 20, 10, 10)
        page.line_width(0.25)
        page.circle(50, 40, 3)

    pdf = tmp_path / "w.pdf"
    pdf.write_bytes(_one_page(draw, title="许昌日报", images={"Im.p": jpeg}))
    proc = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert proc.returncode == 0 and "No syntax or stream encoding errors" in proc.stdout, proc.stdout
    with pikepdf.open(pdf) as doc:
        assert str(doc.docinfo.Title) == "许昌日报"
        assert [float(v) for v in doc.pages[0].TrimBox] == [10, 10, 90, 70]
