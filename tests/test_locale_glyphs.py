"""`paper.locale` reaches the glyphs (issue 17): the faces are opened for the paper's language, so
their GSUB `locl` forms are drawn — a Hong Kong paper (zh-Hant-HK) set in Noto Serif CJK TC prints
the Hong Kong forms of 骨, 說, 麼, 次 (the TC face's own are Taiwan's), horizontally and vertically,
and its punctuation is the font's own for Hong Kong (the HK face's ，。「」, centred as in TC).

Read back from the PDF: the font's ToUnicode gives the code each character was drawn with; a
CID-keyed CFF font's code is the glyph's CID, and the faces of a Noto CJK collection share one CFF,
so the code is compared with the CID that the collection's HK face (and TC face) gives the
character (fontTools reading the installed file; the vertical form through HarfBuzz's `vert`)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
import uharfbuzz as hb
from fontTools.ttLib import TTCollection

from layout.fonts.book import find_font

ROOT = Path(__file__).resolve().parent.parent
HK_FORMS = "骨說麼次"  # Han whose Hong Kong form differs from Taiwan's in Noto CJK
MARKS = "，。「」"
SPEC = """\
spec_version: 1
paper: {name: 香港測試日報, locale: zh-Hant-HK}
issue: {date: 2024-01-02}
format:
  trim: {width: 150mm, height: 150mm}
  margins: {top: 10mm, bottom: 10mm, inside: 10mm, outside: 10mm}
  columns: 4
  gutter: 1em
fonts: {ming: Noto Serif CJK TC}
styles:
  body: {font: ming, size: 10pt, leading: 14pt}
pages:
  - number: 1
    modules:
      - {article: h, col: 1, line: 1, cols: 2, lines: 20}
      - {article: v, col: 3, line: 1, cols: 2, lines: 24, direction: vertical}
articles:
  h:
    headline: 骨說麼次
    body: 「骨」字怎麼說？這次說清楚。骨說麼次，骨說麼次。
  v:
    headline: 直排
    body: 「骨」字怎麼說？這次說清楚。骨說麼次，骨說麼次。
"""


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hk")
    (folder / "hk.yaml").write_text(SPEC, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "layout", "render", str(folder / "hk.yaml"),
                           "-o", str(folder)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return folder / "hk.pdf"


def drawn_codes(pdf: Path) -> dict[bool, dict[str, int]]:
    """For horizontal (False) and vertical (True) fonts: the code each character was drawn with."""
    import re

    out: dict[bool, dict[str, int]] = {False: {}, True: {}}
    with pikepdf.open(pdf) as doc:
        for font in doc.pages[0].Resources.Font.values():
            cmap = font.ToUnicode.read_bytes().decode("latin-1")
            vertical = str(font.Encoding) == "/Identity-V"
            for code, text in re.findall(r"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]+)>", cmap):
                out[vertical][bytes.fromhex(text).decode("utf-16-be")] = int(code, 16)
    return out


def cids(name: str, vertical: bool) -> dict[str, int]:
    """The CID the named face of the installed collection gives each character (its vertical
    form with `vertical`)."""
    path, index = find_font(name)
    font = TTCollection(str(path)).fonts[index]
    order = font.getGlyphOrder()
    cmap = font.getBestCmap()
    out = {}
    hb_font = hb.Font(hb.Face(hb.Blob.from_file_path(str(path)), index))
    for ch in HK_FORMS + MARKS:
        gid = order.index(cmap[ord(ch)])
        if vertical:
            buf = hb.Buffer()
            buf.add_str(ch)
            buf.guess_segment_properties()
            buf.direction = "ttb"
            hb.shape(hb_font, buf, {})
            gid = buf.glyph_infos[0].codepoint
        out[ch] = int(order[gid].removeprefix("cid"))
    return out


@pytest.mark.parametrize("vertical", [False, True], ids=["horizontal", "vertical"])
def test_a_hong_kong_paper_draws_the_hong_kong_forms(pdf, vertical):
    drawn = drawn_codes(pdf)[vertical]
    hk, tc = cids("Noto Serif CJK HK", vertical), cids("Noto Serif CJK TC", vertical)
    for ch in HK_FORMS:
        assert hk[ch] != tc[ch]  # the forms differ in the faces
        assert drawn[ch] == hk[ch], ch
    for ch in MARKS:  # the font's own marks for Hong Kong
        assert drawn[ch] == hk[ch], ch
