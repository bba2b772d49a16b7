"""The text layer on the PDF: faces embedded by hb-subset as they are (CFF as CFF, TrueType as
TrueType), one Type0 font per face and document whatever the number of glyphs, glyphs drawn where
the plan put them, and text that extracts as written, characters beyond the BMP included."""
from __future__ import annotations

import ctypes
import re
import subprocess
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest

from layout.fonts.book import FontBook, find_font
from layout.pages.plan import PagePlan, TextLine
from layout.press.pdf import render_pdf
from layout.util.errors import FontError

SERIF, KAI = "Noto Serif CJK SC", "LXGW WenKai"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def book() -> FontBook:
    for name in (SERIF, KAI):
        try:
            find_font(name)
        except FontError:
            pytest.skip(f"font {name!r} is not installed")
    return FontBook()


def _line(face, text: str, x: float, baseline: float, size: float, gap: float = 0.0) -> TextLine:
    glyphs, pen = [], 0.0
    for ch in text:
        glyphs.append((ch, pen))
        pen += face.advance(ch) * size + gap
    return TextLine(x, baseline, face.key, size, tuple(glyphs))


def _write(tmp_path: Path, lines: list[TextLine], name: str = "t.pdf") -> Path:
    pdf = tmp_path / name
    pdf.write_bytes(render_pdf([PagePlan(1, 400.0, 300.0, 8.5, tuple(lines))]))
    return pdf


def _origins(pdf: Path) -> list[tuple[str, float, float]]:
    page = pdfium.PdfDocument(str(pdf))[0]
    left, _, _, top = page.get_trimbox()
    tp = page.get_textpage()
    out = []
    for i in range(tp.count_chars()):
        ox, oy = ctypes.c_double(), ctypes.c_double()
        raw.FPDFText_GetCharOrigin(tp.raw, i, ox, oy)
        out.append((tp.get_text_range(i, 1), ox.value - left, top - oy.value))
    return out


def _fonts(pdf: Path) -> list[pikepdf.Dictionary]:
    with pikepdf.open(pdf) as doc:
        return [dict(page.Resources.Font) for page in doc.pages][0]


def test_glyphs_land_where_the_plan_put_them(book, tmp_path) -> None:
    serif, kai = book.face(SERIF), book.face(KAI)
    lines = [_line(serif, "新闻报道，中国。", 20.0, 50.0, 9.0, gap=0.37),
             _line(kai, "记者　王小明", 33.3, 80.25, 12.5),
             # a squeezed mark: one glyph off the line's rhythm
             TextLine(40.0, 120.0, serif.key, 10.0, (("中", 0.0), ("，", 10.2), ("国", 15.4), ("人", 25.6)))]
    pdf = _write(tmp_path, lines)
    found = _origins(pdf)
    expected = [(ch, line.x + x, line.baseline) for line in lines for ch, x in line.glyphs
                if not ch.isspace() and ch != "　"]
    found = [f for f in found if f[0].strip() and f[0] != "　"]
    assert [f[0] for f in found] == [e[0] for e in expected]
    for (ch, x, y), (_, ex, ey) in zip(found, expected):
        assert x == pytest.approx(ex, abs=0.005), ch
        assert y == pytest.approx(ey, abs=0.005), ch


def test_each_face_is_one_font_embedded_as_it_is(book, tmp_path) -> None:
    """600 distinct characters of the serif (reportlab split them into three 256-glyph fonts) and
    a TrueType face: one Type0 font each, CFF kept as CFF."""
    serif, kai = book.face(SERIF), book.face(KAI)
    han = [chr(c) for c in range(0x4E00, 0x9FA5) if serif.has(chr(c))][:600]
    lines = [_line(serif, "".join(han[k:k + 30]), 20.0, 20.0 + k / 2, 9.0) for k in range(0, 600, 30)]
    lines.append(_line(kai, "楷体ABC", 20.0, 280.0, 9.0))
    pdf = _write(tmp_path, lines)
    with pikepdf.open(pdf) as doc:
        fonts = list(doc.pages[0].Resources.Font.values())
        assert len(fonts) == 2
        kinds = {}
        for font in fonts:
            assert font.Subtype == "/Type0" and font.Encoding == "/Identity-H"
            assert "/ToUnicode" in font
            cid = font.DescendantFonts[0]
            descriptor = cid.FontDescriptor
            if "/FontFile3" in descriptor:
                kinds[str(cid.Subtype)] = str(descriptor.FontFile3.Subtype)
            else:
                assert "/FontFile2" in descriptor
                kinds[str(cid.Subtype)] = "FontFile2"
            assert str(font.BaseFont)[7] == "+"  # a subset tag
        assert kinds == {"/CIDFontType0": "/CIDFontType0C", "/CIDFontType2": "FontFile2"}
    pdffonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    rows = pdffonts.stdout.splitlines()[2:]
    assert len(rows) == 2 and all(" yes yes yes " in row for row in rows)
    text = pdfium.PdfDocument(str(pdf))[0].get_textpage().get_text_range()
    assert "".join(han) in text.replace("\r\n", "").replace("\n", "")


def test_characters_beyond_the_bmp_extract_as_written(book, tmp_path) -> None:
    serif = book.face(SERIF)
    assert serif.has("𠮷")
    pdf = _write(tmp_path, [_line(serif, "吉田与𠮷田", 72.0, 100.0, 12.0)])
    text = pdfium.PdfDocument(str(pdf))[0].get_textpage().get_text_range()
    assert text.strip() == "吉田与𠮷田"
    poppler = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    assert poppler.stdout.strip() == "吉田与𠮷田"


def test_readers_accept_the_fonts(book, tmp_path) -> None:
    serif, kai = book.face(SERIF), book.face(KAI)
    pdf = _write(tmp_path, [_line(serif, "报纸排版", 20, 40, 9), _line(kai, "楷体", 20, 60, 9)])
    assert subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True).returncode == 0
    gs = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=nullpage", str(pdf)],
                        capture_output=True, text=True)
    assert gs.returncode == 0 and not gs.stdout.strip() and not gs.stderr.strip()


def test_a_face_never_used_before_needs_no_preparation(tmp_path) -> None:
    """Opening a face writes nothing but the names index: no converted copy, no metrics cache."""
    try:
        source, index = find_font(SERIF)
    except FontError:
        pytest.skip("fonts-noto-cjk is not installed")
    cache = tmp_path / "cache"
    face = FontBook(cache_dir=cache).face(f"{source}#{index}")
    assert face.path == source.resolve() and face.advance("中") == 1.0
    written = sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*") if p.is_file())
    assert all(name.startswith("fonts-index-") for name in written), written


def test_latin_pairs_are_kerned_by_the_face(book, tmp_path) -> None:
    """AV and To of Noto Serif CJK are kerned (GPOS `kern`): composed closer than their advances,
    and drawn where composed; the letters of a Han line keep their plain advances."""
    from layout.compose.paragraph import compose_paragraph

    serif = book.face(SERIF)
    assert serif.kern("A", "V") < -0.05 and serif.kern("中", "国") == 0.0
    size = 10.0
    [line] = compose_paragraph("AVTo", serif, size, 200.0, align="left")
    x = {ch: gx for ch, gx in line.glyphs}
    assert x["V"] - x["A"] == pytest.approx((serif.advance("A") + serif.kern("A", "V")) * size, abs=1e-6)
    assert x["o"] - x["T"] == pytest.approx((serif.advance("T") + serif.kern("T", "o")) * size, abs=1e-6)
    pdf = _write(tmp_path, [TextLine(30.0, 60.0, serif.key, size, line.glyphs)])
    found = {ch: fx for ch, fx, _ in _origins(pdf)}
    for ch in "AVTo":
        assert found[ch] == pytest.approx(30.0 + x[ch], abs=0.005)


# --- codes that name the installed face's glyphs (a subset grown by a new character keeps them) --


def _drawn_codes(pdf: Path) -> dict[str, list[int]]:
    """The 2-byte codes each font resource's TJ arrays draw on page 1, in order."""
    out: dict[str, list[int]] = {}
    with pikepdf.open(pdf) as doc:
        font = None
        for operands, op in pikepdf.parse_content_stream(doc.pages[0]):
            if str(op) == "Tf":
                font = str(operands[0])[1:]
            elif str(op) == "TJ":
                for item in operands[0]:
                    if isinstance(item, pikepdf.String):
                        raw_bytes = bytes(item)
                        out.setdefault(font, []).extend(
                            int.from_bytes(raw_bytes[k:k + 2], "big") for k in range(0, len(raw_bytes), 2))
    return out


def _font_tables(font: pikepdf.Dictionary) -> tuple[dict[int, float], float, dict[int, str]]:
    """A Type0 font's widths by code (W), its DW, and its ToUnicode by code."""
    cid = font.DescendantFonts[0]
    widths: dict[int, float] = {}
    w = list(cid.get("/W", []))
    k = 0
    while k < len(w):
        first = int(w[k])
        if isinstance(w[k + 1], pikepdf.Array):
            widths.update({first + i: float(v) for i, v in enumerate(w[k + 1])})
            k += 2
        else:
            widths.update({c: float(w[k + 2]) for c in range(first, int(w[k + 1]) + 1)})
            k += 3
    cmap = font.ToUnicode.read_bytes().decode("ascii")
    texts = {int(code, 16): bytes.fromhex(text).decode("utf-16-be")
             for code, text in re.findall(r"<([0-9A-F]{4})> <([0-9A-F]+)>", cmap)}
    return widths, float(cid.DW), texts


def _fonttools_font(face):
    from fontTools.ttLib import TTFont

    return TTFont(face.path, fontNumber=face.index, lazy=True)


def test_codes_are_the_installed_faces_cids_and_glyph_ids(book, tmp_path) -> None:
    """The serif (CID-keyed CFF) draws each character with its CID in the installed face, the
    TrueType face with its glyph id there, mapped to the subset's glyph by a CIDToGIDMap; widths
    and ToUnicode are keyed by those codes; a character more leaves the other codes as they were."""
    serif, kai = book.face(SERIF), book.face(KAI)
    few = _write(tmp_path, [_line(serif, "中国，AV", 20, 40, 9), _line(kai, "楷体", 20, 60, 9)], "few.pdf")
    more = _write(tmp_path, [_line(serif, "中国，AV𠮷鬱", 20, 40, 9), _line(kai, "楷体字", 20, 60, 9)],
                  "more.pdf")
    few_codes, more_codes = _drawn_codes(few), _drawn_codes(more)
    assert more_codes["BF1"][:5] == few_codes["BF1"] and more_codes["BF2"][:2] == few_codes["BF2"]

    serif_tt, kai_tt = _fonttools_font(serif), _fonttools_font(kai)
    cid_of = serif_tt["CFF "].cff[0].charset  # glyph name per glyph id: "cid01234"
    serif_gid = {ch: serif_tt.getGlyphID(serif_tt.getBestCmap()[ord(ch)]) for ch in "中国，AV𠮷鬱"}
    assert more_codes["BF1"] == [int(cid_of[serif_gid[ch]][3:]) for ch in "中国，AV𠮷鬱"]
    kai_gid = [kai_tt.getGlyphID(kai_tt.getBestCmap()[ord(ch)]) for ch in "楷体字"]
    assert more_codes["BF2"] == kai_gid
    with pikepdf.open(more) as doc:
        fonts = doc.pages[0].Resources.Font
        for resource, face, text in (("/BF1", serif, "中国，AV𠮷鬱"), ("/BF2", kai, "楷体字")):
            widths, default, texts = _font_tables(fonts[resource])
            codes = more_codes[resource[1:]]
            assert [texts[c] for c in codes] == list(text)
            assert [widths.get(c, default) for c in codes] == pytest.approx(
                [face.advance(ch) * 1000 for ch in text], abs=1e-3)
        gid_map = fonts["/BF2"].DescendantFonts[0].CIDToGIDMap.read_bytes()
        subset_gids = [int.from_bytes(gid_map[2 * c:2 * c + 2], "big") for c in more_codes["BF2"]]
        assert sorted(subset_gids) == [1, 2, 3]  # the subset's glyphs, in the installed order
    text = pdfium.PdfDocument(str(more))[0].get_textpage().get_text_range()
    assert text.split() == ["中国，AV𠮷鬱", "楷体字"]


NIMBUS = Path("/usr/share/fonts/opentype/urw-base35/NimbusSans-Bold.otf")


def test_a_name_keyed_cff_face_keeps_its_glyph_ids(tmp_path) -> None:
    """A name-keyed CFF face (embedded whole as /OpenType, glyphs chosen by glyph id) keeps every
    glyph id in its subset, so its codes are the installed face's glyph ids too."""
    from layout.fonts.harfbuzz import data_of_key, face_key

    if not NIMBUS.exists():
        pytest.skip("fonts-urw-base35 is not installed")
    key = face_key(NIMBUS, 0)
    data = data_of_key(key)
    text, size = "Broadsheet AV", 12.0
    glyphs, pen = [], 0.0
    for ch in text:
        glyphs.append((ch, pen))
        pen += data.advance(data.glyph(ord(ch)) or 0) * size / 1000
    line = TextLine(30.0, 60.0, key, size, tuple(glyphs))
    pdf = _write(tmp_path, [line])
    with pikepdf.open(pdf) as doc:
        font = doc.pages[0].Resources.Font["/BF1"]
        assert font.DescendantFonts[0].FontDescriptor.FontFile3.Subtype == "/OpenType"
    assert _drawn_codes(pdf)["BF1"] == [data.glyph(ord(ch)) for ch in text]
    assert pdfium.PdfDocument(str(pdf))[0].get_textpage().get_text_range().strip() == text
    found = [o for o in _origins(pdf) if o[0].strip()]
    assert [f[1] for f in found] == pytest.approx([30.0 + x for ch, x in glyphs if ch != " "], abs=0.005)
    gs = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=nullpage", str(pdf)],
                        capture_output=True, text=True)
    assert gs.returncode == 0 and not gs.stdout.strip() and not gs.stderr.strip()


@pytest.mark.parametrize("gids", [
    [g for k in range(1000, 20000, 100) for g in (k, k + 1, k + 2)],  # short runs: format 1
    list(range(1000, 1300)),  # one run: format 2
    list(range(1000, 30000, 97)),  # no runs: format 0
])
def test_the_subset_charset_is_read_as_fonttools_reads_it(book, gids) -> None:
    import io

    from fontTools.cffLib import CFFFontSet

    from layout.fonts.harfbuzz import data_of_key
    from layout.press import fontembed

    data = data_of_key(book.face(SERIF).key)
    _, face = fontembed._subset(data, gids, fontembed.CFF_FLAGS,
                                tuple(t for t in data.tables if t != "CFF "))
    cff = bytes(face.reference_table("CFF ").data)
    fonts = CFFFontSet()
    fonts.decompile(io.BytesIO(cff), None)
    names = fonts[fonts.fontNames[0]].charset
    assert fontembed.cff_charset(cff) == [0] + [int(name[3:]) for name in names[1:]]
