"""layout/fonts/ on the real faces of the reference spec (Debian fonts-noto-cjk, fonts-lxgw-wenkai),
read with HarfBuzz and checked against fontTools reading the same files (an independent parser).
Tests of lookup, manifests and GPOS features use tiny synthetic fonts."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from layout.fonts import book as book_module
from layout.fonts.book import Face, FontBook, find_font, open_face
from layout.fonts.check import MAX_FONT_BYTES
from layout.fonts.harfbuzz import FaceData
from layout.util.errors import FontError

SERIF, SANS_BOLD, KAI = "Noto Serif CJK SC", "Noto Sans CJK SC Bold", "LXGW WenKai"
NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
SERIF_FILE = NOTO_DIR / "NotoSerifCJK-Regular.ttc"
KAI_FILE = Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf")

LEFT_HALF = "，。：”》）"  # halt: advance -500, the mark stays put
RIGHT_HALF = "“《（"  # halt: placement -500 and advance -500


@pytest.fixture(scope="module")
def book() -> FontBook:
    for name in (SERIF, SANS_BOLD, KAI):
        try:
            find_font(name)
        except FontError:
            pytest.skip(f"font {name!r} is not installed")
    return FontBook()


@pytest.fixture(scope="module")
def serif(book: FontBook) -> Face:
    return book.face(SERIF)


# -- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, path, index", [
    (SERIF, SERIF_FILE, 2),
    (SANS_BOLD, NOTO_DIR / "NotoSansCJK-Bold.ttc", 2),
    (KAI, KAI_FILE, 0),
    ("noto serif cjk sc", SERIF_FILE, 2),  # case and spacing do not matter
    ("Noto  Serif CJK SC Regular", SERIF_FILE, 2),  # family + subfamily
    ("NotoSerifCJKsc-Regular", SERIF_FILE, 2),  # PostScript name
    ("霞鹜文楷", KAI_FILE, 0),  # localized family name
])
def test_names_resolve(book: FontBook, name: str, path: Path, index: int) -> None:
    assert find_font(name) == (path, index)


def test_font_path_with_face_index_is_the_same_face(book: FontBook, serif: Face) -> None:
    by_path = book.face(f"{SERIF_FILE}#2")
    assert by_path.name == f"{SERIF_FILE}#2"
    assert (by_path.key, by_path.path) == (serif.key, serif.path)
    assert find_font(str(KAI_FILE)) == (KAI_FILE, 0)


def test_unknown_name_raises_font_error_with_close_names(book: FontBook) -> None:
    with pytest.raises(FontError) as info:
        book.face("Noto Serif SC")
    assert info.value.exit_code == 2
    assert "'Noto Serif SC'" in info.value.message
    assert SERIF in info.value.hint


def test_a_face_is_memoised_per_book(book: FontBook, serif: Face) -> None:
    assert book.face(SERIF) is serif
    assert hash(serif) == hash(book.face(SERIF))  # frozen, hashable: cheap to pass around


# -- metrics -------------------------------------------------------------------------------------


def test_advances_in_em(book: FontBook, serif: Face) -> None:
    assert serif.advance("中") == 1.0
    assert serif.advance("，") == 1.0
    assert 0.3 < serif.advance("a") < 0.7  # proportional Latin
    assert book.face(SANS_BOLD).advance("国") == 1.0
    assert book.face(KAI).advance("楷") == 1.0


def test_ascent_and_descent_are_the_em_box(book: FontBook) -> None:
    for name in (SERIF, SANS_BOLD, KAI):
        face = book.face(name)
        assert (face.ascent, face.descent) == pytest.approx((0.88, -0.12))


def test_has_follows_the_cmap(book: FontBook) -> None:
    for name in (SERIF, SANS_BOLD, KAI):
        face = book.face(name)
        assert face.has("中") and face.has("，") and face.has("A")
        assert not face.has("\ue000")  # private use
    assert book.face(SERIF).has("堃")  # beyond GB2312: the full cmap is kept


@pytest.mark.parametrize("name", [SERIF, SANS_BOLD])
def test_halt_values_of_noto(book: FontBook, name: str) -> None:
    face = book.face(name)
    for ch in LEFT_HALF:
        assert face.halt(ch) == (0.0, -0.5), ch
    for ch in RIGHT_HALF:
        assert face.halt(ch) == (-0.5, -0.5), ch
    assert face.halt("中") is None


def test_lxgw_wenkai_has_no_halt(book: FontBook) -> None:
    face = book.face(KAI)
    assert all(face.halt(ch) is None for ch in LEFT_HALF + RIGHT_HALF)


# -- HarfBuzz against fontTools -------------------------------------------------------------------


@pytest.mark.parametrize("name", [SERIF, SANS_BOLD, KAI])
def test_harfbuzz_metrics_are_the_font_files(book: FontBook, name: str) -> None:
    """Every character of the cmap: HarfBuzz's cmap glyph is fontTools' cmap, and the advance
    is the hmtx of the glyph drawn (the cmap's, or its `locl` form for the face's language)."""
    from fontTools.ttLib import TTFont

    face = book.face(name)
    font = TTFont(str(face.path), fontNumber=face.index, lazy=True)
    order, hmtx = font.getGlyphOrder(), font["hmtx"].metrics
    scale = 1000 / font["head"].unitsPerEm
    data = FaceData(face.path, face.index)
    cmap = font.getBestCmap()
    for code, glyph_name in cmap.items():
        gid = data.glyph(code)
        assert data.cmap_glyph(code) == order.index(glyph_name) if code % 97 == 0 else \
            gid is not None
        assert face.advance(chr(code)) * 1000 == pytest.approx(hmtx[order[gid]][0] * scale,
                                                               abs=1e-9)
    os2 = font["OS/2"]
    assert (face.ascent, face.descent) == (os2.sTypoAscender * scale / 1000, os2.sTypoDescender * scale / 1000)


def test_a_font_of_2048_units_per_em_measures_in_em() -> None:
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not dejavu.exists():
        pytest.skip("fonts-dejavu-core is not installed")
    face = open_face(dejavu, 0)
    assert face.advance("A") == pytest.approx(1401 / 2048)
    assert face.advance("\u00a0") == face.advance(" ")  # the no-break space borrows the space


def test_two_files_with_one_postscript_name_stay_apart(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "x.ttf", tmp_path / "b" / "x.ttf"
    first.parent.mkdir(), second.parent.mkdir()
    _tiny_font(first, "Same Name")
    _tiny_font(second, "Same Name")
    cache = tmp_path / "cache"
    one = FontBook([tmp_path / "a"], cache).face(str(first))
    two = FontBook([tmp_path / "b"], cache).face(str(second))
    assert one.key != two.key and one.path != two.path


def _tiny_font(path: Path, family: str, style: str = "Regular", fea: str = "") -> Path:
    """A three-glyph TrueType font: .notdef, U+FF0C (fullwidth comma), U+300C (corner bracket)."""
    from fontTools.feaLib.builder import addOpenTypeFeaturesFromString
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    def box() -> object:
        pen = TTGlyphPen(None)
        pen.moveTo((100, 0)), pen.lineTo((100, 500)), pen.lineTo((400, 500)), pen.lineTo((400, 0))
        pen.closePath()
        return pen.glyph()

    order = [".notdef", "comma", "bracket"]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap({0xFF0C: "comma", 0x300C: "bracket"})
    builder.setupGlyf({name: box() for name in order})
    builder.setupHorizontalMetrics({name: (1000, 100) for name in order})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    ps = family.replace(" ", "") + "-" + style
    builder.setupNameTable({"familyName": family, "styleName": style, "psName": ps})
    builder.setupOS2(sTypoAscender=880, sTypoDescender=-120)
    builder.setupPost()
    if fea:
        addOpenTypeFeaturesFromString(builder.font, fea)
    builder.save(str(path))
    return path


def test_read_halt_formats_and_extension_lookups(tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont

    fea = """
        languagesystem DFLT dflt;
        languagesystem hani dflt;
        lookup SAME useExtension { pos [comma bracket] <0 0 -500 0>; } SAME;
        feature halt { lookup SAME; } halt;
    """
    same = _tiny_font(tmp_path / "same.ttf", "Halt Same", fea=fea)
    assert TTFont(str(same))["GPOS"].table.LookupList.Lookup[0].LookupType == 9  # extension
    assert _halts(same) == {0xFF0C: (0, -0.5), 0x300C: (0, -0.5)}

    fea = """
        languagesystem DFLT dflt;
        languagesystem hani dflt;
        feature halt { pos comma <0 0 -500 0>; pos bracket <-500 0 -500 0>; } halt;
    """
    each = _tiny_font(tmp_path / "each.ttf", "Halt Each", fea=fea)
    assert _halts(each) == {0xFF0C: (0, -0.5), 0x300C: (-0.5, -0.5)}
    assert _halts(_tiny_font(tmp_path / "none.ttf", "No Gpos")) == {}


def _halts(path: Path) -> dict:
    data = FaceData(path, 0)
    return {code: data.halt(code) for code in (0xFF0C, 0x300C) if data.halt(code) is not None}


def test_search_dirs_manifest_and_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    installed = tmp_path / "installed"
    installed.mkdir()
    _tiny_font(installed / "tiny.ttf", "Tiny Sans", "Bold")
    cache = tmp_path / "cache"
    assert find_font("Tiny Sans Bold", [installed], cache) == (installed / "tiny.ttf", 0)
    assert len(list(cache.glob("fonts-index-*.json"))) == 1

    # A new file changes the folder's mtime: the cached index is refreshed, not trusted blindly.
    _tiny_font(installed / "other.ttf", "Other Serif")
    assert find_font("Other Serif", [installed], cache) == (installed / "other.ttf", 0)
    assert find_font("Other Serif Regular", [installed], cache)[0] == installed / "other.ttf"

    # A project font folder's manifest maps a face name to a (renamed) file, ahead of the system.
    project = tmp_path / "project"
    project.mkdir()
    _tiny_font(project / "subset.ttf", "Tiny Subset")
    (project / "manifest.yaml").write_text("Tiny Sans Bold: subset.ttf\n", encoding="utf-8")
    monkeypatch.setenv("BROADSHEET_FONTS", str(project))
    assert find_font("tiny sans bold", [installed], cache) == ((project / "subset.ttf").resolve(), 0)

    with pytest.raises(FontError) as info:
        find_font("Tiny Sams Bold", [installed], cache)
    assert "Tiny Sans Bold" in info.value.hint


def test_manifest_naming_a_missing_file_is_a_font_error(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "manifest.yaml").write_text("Some Face: missing.ttf\n", encoding="utf-8")
    monkeypatch.setenv("BROADSHEET_FONTS", str(tmp_path))
    with pytest.raises(FontError, match="missing.ttf"):
        find_font("Some Face", [], tmp_path / "cache")


def test_small_truetype_face_end_to_end(tmp_path: Path) -> None:
    font = _tiny_font(tmp_path / "tiny.ttf", "Tiny End", fea="""
        languagesystem DFLT dflt;
        feature halt { pos comma <0 0 -500 0>; } halt;
    """)
    face = FontBook([tmp_path], tmp_path / "cache").face("Tiny End")
    assert face.path == font.resolve()
    assert face.has("，") and not face.has("中")
    assert face.halt("，") == (0.0, -0.5) and face.halt("「") is None
    assert face.advance("，") == 1.0
    assert face.advance("中") == 1.0  # missing: measured as .notdef, as reportlab would draw it


def test_default_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path / "a"))
    assert book_module.default_cache_dir() == tmp_path / "a"
    monkeypatch.delenv("BROADSHEET_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert book_module.default_cache_dir() == tmp_path / "xdg" / "broadsheet"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert book_module.default_cache_dir() == Path.home() / ".cache" / "broadsheet"


def test_a_font_overwritten_in_place_is_rescanned(tmp_path: Path) -> None:
    installed, cache = tmp_path / "installed", tmp_path / "cache"
    installed.mkdir()
    _tiny_font(installed / "face.ttf", "Alpha Face")
    assert find_font("Alpha Face", [installed], cache)[0] == installed / "face.ttf"
    replacement = _tiny_font(tmp_path / "beta.ttf", "Beta Face").read_bytes()
    (installed / "face.ttf").write_bytes(replacement)  # same file: the folder mtime may not change
    assert find_font("Beta Face", [installed], cache)[0] == installed / "face.ttf"
    with pytest.raises(FontError):
        find_font("Alpha Face", [installed], cache)


def test_bad_font_paths(tmp_path: Path) -> None:
    not_a_font = tmp_path / "notes.ttf"
    not_a_font.write_text("not a font", encoding="utf-8")
    book = FontBook([], tmp_path / "cache")
    with pytest.raises(FontError, match="is not a TrueType or OpenType font"):
        book.face(str(not_a_font))
    tiny = _tiny_font(tmp_path / "tiny.ttf", "Tiny Index")
    with pytest.raises(FontError, match="has no face 7"):
        book.face(f"{tiny}#7")
    assert book.face(f"{tiny}#0").path == tiny.resolve()


# -- fonts outside the reference set, damaged files, conversion progress ----------------------------

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian fonts-dejavu-core


@pytest.mark.parametrize("data, reason", [
    (b"ttcf\x00\x01\x00\x00\x00\x00\x00\x00", "font collection {path} lists no faces"),
    (b"ttcf\x00\x01\x00\x00\x00\x00\x00\x02\x00\x00\x00\x14",
     "font collection {path} is cut short: its header lists 2 face(s) but holds 1 face offset(s)"),
    (b"ttcf\x00\x01", "font collection {path} is cut short: its 6-byte header should have 12 bytes"),
    (b"<html>", "font file {path} is not a TrueType or OpenType font (it starts with b'<htm')"),
    (b"ttcf\x00\x01\x00\x00\x00\x00\x00\x01\x00\x00\x00\x10\x00\x01\x00\x00" + b"\0" * 8,
     "font {path}#0 has no outlines (no glyf, CFF or CFF2 table)"),
])
def test_a_damaged_font_collection_says_what_is_wrong(tmp_path, data, reason) -> None:
    """A .ttc with only a header gave an empty reason."""
    path = tmp_path / "broken.ttc"
    path.write_bytes(data)
    with pytest.raises(FontError) as caught:
        FontBook(search_dirs=[], cache_dir=tmp_path / "cache").face(str(path))
    assert caught.value.message == reason.format(path=path)
    assert caught.value.hint == "the file is damaged or not a font; use another copy or another face"


def _tiny_cff_font(path: Path, glyphs: int = 40) -> Path:
    """An OpenType (CFF) font of `glyphs` squares mapped from U+4E00, made with fontTools."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    names = [".notdef"] + [f"g{i}" for i in range(glyphs)]
    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({0x4E00 + i: f"g{i}" for i in range(glyphs)})
    strings = {}
    for name in names:
        pen = T2CharStringPen(1000, None)
        pen.moveTo((100, 0)), pen.lineTo((100, 800)), pen.curveTo((300, 900), (700, 900), (900, 800))
        pen.lineTo((900, 0)), pen.closePath()
        strings[name] = pen.getCharString()
    builder.setupCFF("TinyCJK-Regular", {"FullName": "Tiny CJK"}, strings, {})
    builder.setupHorizontalMetrics({name: (1000, 100) for name in names})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": "Tiny CJK", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    builder.setupPost()
    builder.save(str(path))
    return path


def test_a_font_file_is_bounded_by_size(tmp_path) -> None:
    huge = tmp_path / "huge.ttf"
    with open(huge, "wb") as f:
        f.write(b"\x00\x01\x00\x00")
        f.truncate(MAX_FONT_BYTES + 1)
    with pytest.raises(FontError) as caught:
        FontBook(search_dirs=[], cache_dir=tmp_path / "cache").face(str(huge))
    assert caught.value.message == f"font file {huge} is 257 MB; a font file may be at most 256 MB"



def test_vertical_forms_and_vhal_for_vertical_text(book: FontBook) -> None:
    """GSUB `vert` gives the vertical forms of marks and brackets (never of a Han character), GPOS
    `vhal` halves them along the column: what vertical text (issue 17) needs from the face."""
    serif = book.face(SERIF)
    data = FaceData(serif.path, serif.index)
    for ch in "，。（「":
        assert data.vertical_glyph(ord(ch)) not in (None, data.glyph(ord(ch))), ch
        assert data.vertical_halt(ord(ch)) == (pytest.approx(abs(data.vertical_halt(ord(ch))[0])),
                                               0.5), ch
    assert data.vertical_glyph(ord("中")) == data.glyph(ord("中"))
    assert data.vertical_halt(ord("中")) is None
