"""A U+3000 (ideographic space) in a body paragraph, on the PDF written: where a line breaks at it,
it is not set (the line's ink ends on the column edge and the next line starts at the column's left
edge); mid-line it stays a full em. The edition is a copy of the reference edition whose datelines
were rewritten with U+3000 between the reporters (`本报讯(本报记者 武芳　通讯员 张国辉)`), placed
where the 13-character columns break at it (found by trying datelines on every story)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from editions import edition
from layout.model.grid import page_grid
from layout.flow.jumps import story_chains
from layout.desk.render import render_spec
from layout.spec.load import load_issue
from layout.util.text import fullwidth
from pdftext import Line, lines_in, page_glyphs

IDEO = "\u3000"
AUDIT = Path(__file__).resolve().parent.parent.parent / "shared" / "tools" / "audit.py"
# story → (dateline as written in the reference, dateline with U+3000, where the U+3000 falls)
DATELINES = {
    # The old composer ended the first line with the U+3000 (ink one em short: audit not-flush) ...
    "law_society": ("本报讯(记者武芳)6月15日,市法学会", "本报讯(本报记者 武芳　通讯员 张国辉)6月15日,市法学会",
                    "break"),
    # ... or, breaking before it, started the next line with it (indented an em).
    "liutao": ("本报讯(记者石冠兵)", "本报讯(本报记者 石冠兵　通讯员 张国辉)", "break"),
    # The first U+3000 falls at the line's end, the second mid-line.
    "xuchang_university": ("(记者松召峰 通讯员杜根 钟伟平)", "(本报记者 松召峰　通讯员 杜根　钟伟平)",
                           "break, mid-line"),
}
EDGE_TOLERANCE = 0.1  # pt


def _with_datelines(text: str) -> str:
    for old, new, _ in DATELINES.values():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("ideospace")
    spec = edition(folder, edit=_with_datelines)
    pdf = folder / "ed.pdf"
    render_spec(spec, pdf)
    return spec, pdf


@pytest.fixture(scope="module")
def issue(rendered):
    return load_issue(rendered[0])


def body_lines(issue, glyphs, story: str) -> list[tuple[Line, float, float]]:
    """The story's body lines in reading order, each with its column's left and right edges. Only
    the body face counts (the byline is body-sized but set in kai)."""
    size = issue.styles["body"].size
    face = Counter(g.font for page in glyphs for g in page if g.size == size).most_common(1)[0][0]
    order = {p.number: k for k, p in enumerate(sorted(issue.pages, key=lambda p: p.number))}
    out = []
    for page, module in story_chains(issue)[story]:
        grid = page_grid(issue.format, issue.styles["body"].leading, page.number)
        rect = grid.module_rect(module)
        on_page = [g for g in glyphs[order[page.number]] if g.font == face]
        for col in range(module.col, module.col + module.cols):
            left = grid.column_x(col)
            right = left + grid.column_width
            for line in lines_in(on_page, left - grid.gutter / 2, right + grid.gutter / 2,
                                 rect.y, rect.bottom, size):
                out.append((line, left, right))
    return out


def _is_jump(text: str) -> bool:
    return re.fullmatch(r"（[上下][接转]第.+版）", text) is not None


def test_every_dateline_breaks_at_its_u3000(rendered, issue):
    """The placements do what the test needs: the line before the break ends with the reporter's
    name, the next starts with 通讯员."""
    glyphs = page_glyphs(rendered[1])
    for story in DATELINES:
        texts = [line.text for line, _, _ in body_lines(issue, glyphs, story)]
        name = re.search(r"记者 (\w+)　", DATELINES[story][1]).group(1)
        assert any(a.endswith(name) and b.startswith("通讯员") for a, b in zip(texts, texts[1:])), \
            (story, texts[:3])


def test_every_body_line_ends_on_the_column_edge_and_starts_on_its_left(rendered, issue):
    """No line of any story ends an em short of its column's edge or starts an em into it: a
    justified line's last ink glyph ends at the edge (a closing mark squeezed there at its middle),
    and a line that opens no paragraph starts at the column's left edge."""
    size = issue.styles["body"].size
    glyphs = page_glyphs(rendered[1])
    checked = 0
    for story, article in issue.articles.items():
        starts = {fullwidth(p)[:4] for p in article.paragraphs}
        lines = body_lines(issue, glyphs, story)
        for (line, left, right), nxt in zip(lines, lines[1:] + [None]):
            if _is_jump(line.text):
                continue
            opens = any(line.text.startswith(s) for s in starts)
            assert line.left == pytest.approx(left + (2 * size if opens else 0), abs=EDGE_TOLERANCE), \
                (story, line.text)
            if nxt is None or _is_jump(nxt[0].text) or nxt[0].left - nxt[1] > 1.5 * size:
                continue  # a paragraph's last line (the next opens one) or a module's last
            last = line.glyphs[-1]
            half = (last.right - last.x) / 2
            assert min(abs(line.right - right), abs(line.right - half - right)) < EDGE_TOLERANCE, \
                (story, line.text, round(line.right - right, 2))
            checked += 1
    assert checked > 300


def test_text_keeps_mid_line_u3000_and_loses_nothing_else(rendered, issue):
    """The text layer has the U+3000 that stays mid-line (`杜根　钟伟平`, an em between the glyphs)
    and none where a line breaks; every other character of every story is there, once, in order."""
    spec, pdf = rendered
    size = issue.styles["body"].size
    text = pdfium.PdfDocument(str(pdf))[0].get_textpage().get_text_range()
    assert "杜根" + IDEO + "钟伟平" in text
    for name in ("武芳", "石冠兵", "松召峰"):
        assert re.search(name + r"\s*\r\n通讯员", text), name  # the line ends at the name
    glyphs = page_glyphs(pdf)
    line = next(line for line, _, _ in body_lines(issue, glyphs, "xuchang_university")
                if "杜根钟伟平" in line.text)
    k = line.text.index("根")
    assert line.glyphs[k + 1].x - line.glyphs[k].right == pytest.approx(size, abs=0.2 * size)
    for story, article in issue.articles.items():
        found = "".join(line.text for line, _, _ in body_lines(issue, glyphs, story)
                        if not _is_jump(line.text))
        assert found == re.sub(r"\s", "", fullwidth("".join(article.paragraphs))), story


@pytest.mark.skipif(not AUDIT.exists(), reason="shared/tools/audit.py is not beside the checkout")
def test_the_audit_finds_every_line_flush(rendered):
    spec, pdf = rendered
    proc = subprocess.run([sys.executable, str(AUDIT), str(pdf), "--spec", str(spec), "--json"],
                          capture_output=True, text=True, timeout=120)
    summary = proc.stderr.strip().splitlines()[-1]
    assert json.loads(proc.stdout)["not_flush"] == [], summary
    assert proc.returncode == 0 and summary.startswith("audit: 0 failures"), summary
