"""layout/fonts/ (and press/fontreg.py, which registers the faces with reportlab) on the real faces of the reference spec (Debian fonts-noto-cjk, fonts-lxgw-wenkai).

The faces are prepared in the user's font cache, as a render would: the first run on a machine
converts the two Noto faces (about a minute; `scripts/prepare_fonts.py` does it at set-up), later
runs only read the cache. Tests of lookup, manifests and GPOS parsing use tiny synthetic fonts.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from layout.fonts import book as book_module
from layout.fonts import entry, halt, progress
from layout.fonts.book import Face, FontBook, find_font
from layout.fonts.entry import MAX_FONT_BYTES
from layout.fonts.metrics import read_metrics
from layout.press import fontreg
from layout.press.fontreg import reportlab_name
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


# -- reportlab and the converted files -----------------------------------------------------------


def test_reportlab_registration(book: FontBook, tmp_path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen.canvas import Canvas

    faces = [book.face(name) for name in (SERIF, SANS_BOLD, KAI)]
    names = [reportlab_name(f.key) for f in faces]
    assert len(set(names)) == 3
    for name in names:
        assert name in pdfmetrics.getRegisteredFontNames()
        assert pdfmetrics.stringWidth("中文", name, 10) == pytest.approx(20)
    assert reportlab_name(FontBook().face(SERIF).key) == names[0]  # registered once per process

    pdf = tmp_path / "fonts.pdf"
    canvas = Canvas(str(pdf), invariant=1, initialFontName=names[0])
    for y, name in zip((700, 660, 620), names):
        canvas.setFont(name, 12)
        canvas.drawString(72, y, "许昌日报：“中原”《新闻》。")
    canvas.save()

    from pypdf import PdfReader

    page = PdfReader(str(pdf)).pages[0]
    base_fonts = sorted(str(f.get_object()["/BaseFont"]) for f in page["/Resources"]["/Font"].values())
    assert [name.split("+", 1)[1] for name in base_fonts] == sorted(
        ["NotoSerifCJKscTT-Regular", "NotoSansCJKscTT-Bold", "LXGWWenKai-Regular"])
    assert page.extract_text().count("许昌日报") == 3


def test_converted_font_is_truetype_and_keeps_every_character(serif: Face) -> None:
    from fontTools.ttLib import TTFont

    converted = TTFont(str(serif.path), lazy=True)
    source = TTFont(str(SERIF_FILE), fontNumber=2, lazy=True)
    assert serif.path != SERIF_FILE and serif.path.suffix == ".ttf"
    assert "glyf" in converted and "CFF " not in converted
    assert converted.sfntVersion == "\x00\x01\x00\x00"
    assert {"GPOS", "GSUB", "vmtx", "OS/2"} <= set(converted.keys())
    assert set(converted.getBestCmap()) == set(source.getBestCmap())
    assert converted["name"].getDebugName(6) == "NotoSerifCJKscTT-Regular"  # never the source's name
    assert converted["name"].getDebugName(4) == "Noto Serif CJK SC TT"


def test_lxgw_wenkai_is_used_as_is(book: FontBook) -> None:
    face = book.face(KAI)
    assert face.path == KAI_FILE  # TrueType already, and its licence reserves the name
    assert reportlab_name(face.key) == "LXGWWenKai-Regular"


def test_warm_load_does_not_parse_fonts_with_fonttools(book: FontBook) -> None:
    for name in (SERIF, SANS_BOLD, KAI):
        book.face(name)  # prepared in the cache
    probe = textwrap.dedent(f"""
        import sys
        from layout.fonts.book import FontBook
        book = FontBook()
        for name in {[SERIF, SANS_BOLD, KAI]!r}:
            book.face(name)
        print("fontTools.ttLib.ttFont" in sys.modules, "reportlab" in sys.modules)
    """)
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False False", result.stderr  # neither: only press/ draws


@pytest.mark.parametrize("name", [SERIF, KAI])
def test_restored_face_subsets_like_a_parsed_one(book: FontBook, name: str) -> None:
    """The cached reportlab state (array views, the file mapped, `glyf` read glyph by glyph) must
    give the very bytes reportlab's own parse gives: what the PDF embeds."""
    from reportlab.pdfbase.ttfonts import TTFont

    face = book.face(name)
    reportlab_name(face.key)  # registered: the reportlab state is in the cache now
    source, index = find_font(name)
    prepared = entry.prepare_face(source, index, book.cache_dir)
    restored_font = fontreg._restore_reportlab_font(prepared)
    assert restored_font is not None
    restored = restored_font.face
    parsed = TTFont("probe", str(face.path), subfontIndex=face.index).face
    codes = [ord(c) for c in "许昌日报：“中原”《新闻》。ABC123，、"]
    codes += sorted(parsed.charToGlyph)[::997][:200]  # glyphs from all over the font
    assert restored.makeSubset(codes) == parsed.makeSubset(codes)
    assert len(restored.hmetrics) == len(parsed.hmetrics)
    assert restored.hmetrics[-1] == parsed.hmetrics[-1]
    assert restored.hmetrics[5:9] == parsed.hmetrics[5:9]


@pytest.mark.parametrize("name", [SERIF, SANS_BOLD, KAI])
def test_metrics_read_with_fonttools_are_the_pdf_writers(book: FontBook, name: str) -> None:
    """Composition measures with fontTools (fonts/metrics.py), the PDF writer with reportlab's own
    parse: every character of each reference face must measure the same, to the last bit (same
    float, same type), or a justified line would not end where the PDF draws it."""
    from reportlab.pdfbase.ttfonts import TTFont

    face = book.face(name)
    parsed = TTFont("probe", str(face.path), subfontIndex=face.index).face
    metrics = read_metrics(face.path, face.index)
    table = metrics.table()
    assert len(table) > 20_000 and table.keys() == parsed.charWidths.keys()
    assert all(type(w) is type(parsed.charWidths[c]) and w == parsed.charWidths[c]
               for c, w in table.items())
    assert (metrics.ascent, metrics.descent, metrics.missing) == \
        (parsed.ascent, parsed.descent, parsed.defaultWidth)
    assert all(face.has(chr(c)) and face.advance(chr(c)) == w / 1000.0
               for c, w in parsed.charWidths.items())  # the face's own lookup (bisection) too
    lacking = [c for c in (0x0001, 0xE000, 0x10FFFD, 0x2FFFF) if c not in parsed.charWidths]
    assert lacking and not any(face.has(chr(c)) for c in lacking)
    assert all(face.advance(chr(c)) == parsed.defaultWidth / 1000.0 for c in lacking)


@pytest.mark.skipif(not Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").is_file(),
                    reason="fonts-dejavu-core is not installed")
def test_metrics_of_a_2048_units_per_em_font_are_the_pdf_writers() -> None:
    """At 2048 units per em the advances are floats: the same scaling, the same bits."""
    from reportlab.pdfbase.ttfonts import TTFont

    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    parsed = TTFont("probe", str(dejavu)).face
    table = read_metrics(dejavu, 0).table()
    assert table == parsed.charWidths
    assert all(type(w) is type(parsed.charWidths[c]) for c, w in table.items())


def test_characters_beyond_the_bmp_extract_as_written(book: FontBook, tmp_path: Path) -> None:
    """reportlab's ToUnicode CMap wrote U+20BB7 as <20BB7>; readers need UTF-16 <D842DFB7>."""
    import pypdfium2
    from reportlab.pdfgen.canvas import Canvas

    face = book.face(SERIF)
    assert face.has("𠮷")
    pdf = tmp_path / "extb.pdf"
    canvas = Canvas(str(pdf), invariant=1, initialFontName=reportlab_name(face.key))
    canvas.setFont(reportlab_name(face.key), 12)
    canvas.drawString(72, 700, "吉田与𠮷田")
    canvas.save()
    assert b"<D842DFB7>" in _inflated_streams(pdf)
    text = pypdfium2.PdfDocument(str(pdf))[0].get_textpage().get_text_range()
    assert text.strip() == "吉田与𠮷田"


def _inflated_streams(pdf: Path) -> bytes:
    import pikepdf

    with pikepdf.open(pdf) as doc:
        return b"".join(obj.read_bytes() for obj in doc.objects if isinstance(obj, pikepdf.Stream))


# -- lookup machinery on small fixtures ----------------------------------------------------------


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
    same = TTFont(str(_tiny_font(tmp_path / "same.ttf", "Halt Same", fea=fea)))
    assert same["GPOS"].table.LookupList.Lookup[0].LookupType == 9  # extension
    assert halt.read_halt(same) == {0xFF0C: (0, -500), 0x300C: (0, -500)}

    fea = """
        languagesystem DFLT dflt;
        languagesystem hani dflt;
        feature halt { pos comma <0 0 -500 0>; pos bracket <-500 0 -500 0>; } halt;
    """
    each = TTFont(str(_tiny_font(tmp_path / "each.ttf", "Halt Each", fea=fea)))
    assert halt.read_halt(each) == {0xFF0C: (0, -500), 0x300C: (-500, -500)}
    assert halt.read_halt(TTFont(str(_tiny_font(tmp_path / "none.ttf", "No Gpos")))) == {}


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


def test_two_files_with_one_postscript_name_stay_apart(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
    first = _tiny_font(tmp_path / "a" / "twin.ttf", "Twin Face")
    second = _tiny_font(tmp_path / "b" / "twin.ttf", "Twin Face", fea="""
        languagesystem DFLT dflt;
        feature halt { pos comma <0 0 -500 0>; } halt;
    """)  # another file with the same names
    cache = tmp_path / "cache"
    one = FontBook([tmp_path / "a"], cache).face(str(first))
    two = FontBook([tmp_path / "b"], cache).face(str(second))
    assert one.key != two.key and reportlab_name(one.key) != reportlab_name(two.key)
    assert (one.halt("，"), two.halt("，")) == (None, (0.0, -0.5))

    from reportlab.pdfbase import pdfmetrics

    faces = [pdfmetrics.getFont(reportlab_name(f.key)).face for f in (one, two)]
    assert faces[0].name != faces[1].name  # else reportlab would merge them into one PDF font


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


@pytest.mark.skipif(not DEJAVU.is_file(), reason="fonts-dejavu-core is not installed")
def test_a_font_of_2048_units_per_em_loads(tmp_path) -> None:
    """DejaVu Sans was refused as damaged: reportlab's parser scales the advance of the glyphs after
    numberOfHMetrics to floats, which the cached tables (array "H") could not hold."""
    from fontTools.ttLib import TTFont

    source = TTFont(str(DEJAVU), lazy=True)
    upem, cmap = source["head"].unitsPerEm, source.getBestCmap()
    for attempt in ("parsed", "restored from the cache"):
        face = FontBook(search_dirs=[], cache_dir=tmp_path).face(str(DEJAVU))
        assert face.has("A") and face.advance("A") == source["hmtx"][cmap[ord("A")]][0] / upem, attempt
        font = fontreg.pdfmetrics.getFont(reportlab_name(face.key))
        assert all(isinstance(a, int) and isinstance(lsb, int) for a, lsb in font.face.hmetrics)


def test_glyphs_after_the_last_full_metric_keep_font_units() -> None:
    # reportlab: [(1229, 102), (0, 0)] + trailing glyphs with 1229 scaled to 1/1000 em
    assert fontreg._font_unit_hmetrics([(1229, 102), (0, 0), (600.09765625, 7), (600.09765625, 9)]) == \
        [(1229, 102), (0, 0), (0, 7), (0, 9)]
    assert fontreg._font_unit_hmetrics([(500, 1), (1229, 2), (600.09765625, 3)]) == \
        [(500, 1), (1229, 2), (1229, 3)]


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


def test_a_conversion_says_what_it_does_and_how_far_it_is(tmp_path) -> None:
    """The first use of a CFF face (3 min 30 s for the TC faces once, in silence): one line with
    the face, the glyph count, an estimate and the cache; then progress (plain lines off a terminal)."""
    font = _tiny_cff_font(tmp_path / "tiny.otf")
    (tmp_path / "cache" / "faces").mkdir(parents=True)
    killed = tmp_path / "cache" / "faces" / "Other-0-abc.lock"  # a converter killed earlier
    killed.write_text("99999\n")
    said: list[str] = []
    face = FontBook(search_dirs=[], cache_dir=tmp_path / "cache", jobs=1,
                    progress=said.append).face(str(font))
    assert face.has("\u4e00") and face.advance("\u4e00") == 1.0
    assert said[0] == (f"broadsheet: converting {font} to TrueType once (41 glyphs, about 3 s with "
                       f"1 worker(s); cached in {tmp_path / 'cache'})")
    # 41 glyphs in 16 chunks of 2–3: a line as each quarter is passed
    assert said[1:] == [f"broadsheet: {font}: {p}% of the glyphs converted (1 s)"
                        for p in (0, 29, 51, 76, 100)]
    said.clear()
    FontBook(search_dirs=[], cache_dir=tmp_path / "cache", progress=said.append).face(str(font))
    assert said == []  # cached: nothing to say
    assert not list((tmp_path / "cache" / "faces").glob("*.lock"))  # ours and the stale one


def test_progress_does_not_change_the_converted_font(tmp_path) -> None:
    from layout.fonts.convert import convert_cff_face

    font = _tiny_cff_font(tmp_path / "tiny.otf")
    quiet, _ = convert_cff_face(font, 0, jobs=1)
    seen: list[tuple[int, int]] = []
    shown, _ = convert_cff_face(font, 0, jobs=1, progress=lambda done, total: seen.append((done, total)))
    assert shown == quiet  # more chunks, the same glyphs in the same order
    assert seen[0] == (0, 41) and seen[-1] == (41, 41) and len(seen) == 17


def test_a_font_file_is_bounded_by_size(tmp_path) -> None:
    huge = tmp_path / "huge.ttf"
    with open(huge, "wb") as f:
        f.write(b"\x00\x01\x00\x00")
        f.truncate(MAX_FONT_BYTES + 1)
    with pytest.raises(FontError) as caught:
        FontBook(search_dirs=[], cache_dir=tmp_path / "cache").face(str(huge))
    assert caught.value.message == f"font file {huge} is 257 MB; a font file may be at most 256 MB"


def test_the_progress_bar_on_a_terminal(tmp_path, capsys) -> None:
    bar = progress.ConversionProgress("Noto Serif CJK TC", tmp_path, 2, note=lambda line: print(line),
                                   terminal=True)
    bar.start()
    bar.update(0, 46_000)
    bar.update(23_000, 46_000)
    bar.update(46_000, 46_000)
    out, err = capsys.readouterr()
    assert out == (f"broadsheet: converting Noto Serif CJK TC to TrueType once (46000 glyphs, about "
                   f"14–43 s with 2 worker(s); cached in {tmp_path})\n")
    frames = err.split("\r")[1:]
    assert [f.split("]")[0] for f in frames] == [
        "  [" + "-" * 30, "  [" + "#" * 15 + "-" * 15, "  [" + "#" * 30]
    assert frames[1].split("]")[1].startswith("  50% ") and " left" in frames[1]
    assert " left" not in frames[2] and err.endswith("\n")


def test_durations_read_as_a_desk_would_say_them() -> None:
    assert [progress._duration(*args) for args in [(0.2,), (42.4,), (95.0,), (14.5, 43.2), (40, 200),
                                                 (3.1, 3.2)]] == [
        "1 s", "42 s", "1.6 min", "14–43 s", "1–4 min", "3 s"]
