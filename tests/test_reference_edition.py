"""The reference edition, rendered once and read back from the PDF: text, typography, furniture,
fonts and boxes, as a reader and a printer would check them."""
from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pypdf
import pytest

from layout.compose import cjk
from layout.model.grid import EM_BOX_ASCENT, page_grid
from layout.flow.jumps import story_chains
from layout.desk.render import render_spec
from layout.spec.load import load_issue
from layout.util.text import fullwidth
from pdftext import lines_in, page_glyphs

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "issue_specs" / "xuchang-2022-06-16.yaml"
MM = 72 / 25.4


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("ref") / "ref.pdf"
    result = render_spec(SPEC, out)
    return out, result


@pytest.fixture(scope="module")
def issue():
    return load_issue(SPEC)


@pytest.fixture(scope="module")
def glyphs(rendered):
    return page_glyphs(rendered[0])


def module_columns(issue, page, module):
    grid = page_grid(issue.format, issue.styles["body"].leading, page.number)
    rect = grid.module_rect(module)
    for c in range(module.col, module.col + module.cols):
        x = grid.column_x(c)
        # Half the gutter either side: a squeezed mark at a line end hangs its blank half there.
        yield x - grid.gutter / 2, x + grid.column_width + grid.gutter / 2, rect.y, rect.bottom, grid


def body_lines(issue, glyphs, story):
    """The story's body lines in reading order: module by module, column by column. Only glyphs
    of the body face count (the byline is body-sized but set in the kai face)."""
    size = issue.styles["body"].size
    face = Counter(g.font for page in glyphs for g in page if g.size == size).most_common(1)[0][0]
    page_index = {p.number: i for i, p in enumerate(sorted(issue.pages, key=lambda p: p.number))}
    for page, module in story_chains(issue)[story]:
        on_page = [g for g in glyphs[page_index[page.number]] if g.font == face]
        for x0, x1, y0, y1, grid in module_columns(issue, page, module):
            yield from ((page, grid, line) for line in lines_in(on_page, x0, x1, y0, y1, size))


def is_jump(text):
    return re.fullmatch(r"（[上下][接转]第.+版）", text) is not None


def test_every_story_is_in_the_pdf_once_in_order(issue, glyphs):
    for story, article in issue.articles.items():
        found = "".join(line.text for _, _, line in body_lines(issue, glyphs, story)
                        if not is_jump(line.text))
        expected = re.sub(r"\s", "", fullwidth("".join(article.paragraphs)))
        assert found == expected, story


def test_jump_lines_name_the_other_page(issue, glyphs):
    jumps = {story: [line.text for _, _, line in body_lines(issue, glyphs, story) if is_jump(line.text)]
             for story in issue.articles}
    assert jumps["renda"] == ["（下转第二版）", "（上接第一版）"]
    assert jumps["zhengxie"] == ["（下转第二版）", "（上接第一版）"]
    assert all(not j for s, j in jumps.items() if s not in ("renda", "zhengxie"))


def test_no_forbidden_character_at_a_line_start_or_end(issue, glyphs):
    start, end = cjk.not_at_line_start("basic"), cjk.not_at_line_end("basic")
    checked = 0
    for story in issue.articles:
        for _, _, line in body_lines(issue, glyphs, story):
            assert line.text[0] not in start, line.text
            assert line.text[-1] not in end, line.text
            checked += 1
    assert checked > 400


def test_justified_lines_end_flush_and_sit_on_the_grid(issue, glyphs):
    size = issue.styles["body"].size
    for story in issue.articles:
        lines = list(body_lines(issue, glyphs, story))
        for (page, grid, line), nxt in zip(lines, lines[1:] + [None]):
            # On the page's baseline grid (convention 3: em box top at the band top).
            k = (line.baseline - EM_BOX_ASCENT * size - grid.top) / grid.leading
            assert abs(k - round(k)) * grid.leading < 0.05, line.text
            if nxt is None or is_jump(line.text) or is_jump(nxt[2].text):
                continue
            col_left = grid.column_x(round((line.left - grid.left) / (grid.column_width + grid.gutter)) + 1)
            next_indented = nxt[2].left - col_left > 1.5 * size
            same_column = abs(nxt[2].left - line.left) < 3 * size and nxt[2].baseline > line.baseline
            if next_indented or not same_column:
                continue
            edge = col_left + grid.column_width
            last = line.glyphs[-1]
            half = (last.right - last.x) / 2
            assert abs(line.right - edge) < 0.6 or abs(line.right - half - edge) < 0.6, line.text


def test_paragraphs_start_with_a_two_em_indent(issue, glyphs):
    size = issue.styles["body"].size
    article = issue.articles["shoulashou"]
    lines = [line for _, _, line in body_lines(issue, glyphs, "shoulashou")]
    starts = [line for line in lines if any(line.text.startswith(p[:6]) for p in
                                            (fullwidth(p) for p in article.paragraphs))]
    assert len(starts) >= 10
    for page, grid, line in body_lines(issue, glyphs, "shoulashou"):
        if line in starts:
            col = round((line.left - 2 * size - grid.left) / (grid.column_width + grid.gutter)) + 1
            assert line.left - grid.column_x(col) == pytest.approx(2 * size, abs=0.05)


def test_masthead_and_furniture(glyphs):
    page1 = "".join(g.ch for g in glyphs[0])
    for text in ("许昌日报", "CN41-0013", "第9705期", "今日8版", "2022年6月16日", "星期四",
                 "农历壬寅年五月十八", "邓雷", "中共许昌市委机关报", "导读", "详见第二版"):
        assert text in page1, text
    page2 = "".join(g.ch for g in glyphs[1])
    assert "第2版" in page2 and "要闻" in page2  # 报眉 of page 2


def test_fonts_embedded_and_subset_no_helvetica(rendered):
    reader = pypdf.PdfReader(str(rendered[0]))
    seen = 0
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if font["/Subtype"] == "/Type0":
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            descriptor = descriptor.get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
            assert "Helvetica" not in str(font["/BaseFont"])
            assert re.match(r"/[A-Z]{6}\+", str(font["/BaseFont"])) or "/ToUnicode" in font
            seen += 1
    assert seen >= 3


def test_page_boxes(rendered):
    reader = pypdf.PdfReader(str(rendered[0]))
    assert len(reader.pages) == 2
    for page in reader.pages:
        trim, bleed = page.trimbox, page.bleedbox
        assert float(trim.width) == pytest.approx(390 * MM, abs=0.1)
        assert float(trim.height) == pytest.approx(545 * MM, abs=0.1)
        assert float(trim.left) - float(bleed.left) == pytest.approx(3 * MM, abs=0.1)
        assert float(bleed.top) - float(trim.top) == pytest.approx(3 * MM, abs=0.1)


def test_pictures_are_drawn(rendered):
    reader = pypdf.PdfReader(str(rendered[0]))
    images = list(reader.pages[0].images)
    assert len(images) == 2


def test_same_spec_same_bytes(rendered, tmp_path):
    again = tmp_path / "again.pdf"
    render_spec(SPEC, again)
    assert again.read_bytes() == rendered[0].read_bytes()


def test_story_fits_report_the_jumps(rendered):
    fits = {f.story: f for f in rendered[1].plan.fits}
    assert fits["renda"].modules[0][0] == 1 and fits["renda"].modules[1][0] == 2
    assert fits["renda"].modules[1][2] > 1  # text continued onto page 2
    assert not rendered[1].plan.overset


def test_spec_copy_renders_from_another_folder(tmp_path):
    for f in SPEC.parent.glob("xuchang-2022-06-16.yaml"):
        shutil.copy(f, tmp_path)
    for f in SPEC.parent.glob("photo-*.jpg"):
        shutil.copy(f, tmp_path)
    out = tmp_path / "out" / "x.pdf"
    render_spec(tmp_path / SPEC.name, out)
    assert out.stat().st_size > 10_000
