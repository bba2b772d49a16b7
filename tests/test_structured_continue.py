"""A photo at line 1 across a `continue:` module's full width (issue 15): a same-page continuation
has no headline block, so the photo is a photo at its top with the body under it; a continuation
on another page repeats the headline, which goes under the photo as under a 压题照片."""
from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from layout.desk.render import render_spec
from layout.model.grid import Rect, page_grid
from layout.spec.load import load_issue
from layout.util.errors import SpecError
from pdftext import page_glyphs
from test_structured import BASE, ROOT, _paragraph_texts, story_rows

PARAGRAPHS = [f"第{k}段的文字写在这里，要足够长才能换行，让这一段占上好几行，看它怎样绕过照片继续排下去。" * 2
              for k in range(1, 13)]


def _spec(tmp_path: Path, same_page: bool) -> Path:
    (tmp_path / "photo.jpg").write_bytes((ROOT / "issue_specs" / "photo-1.jpg").read_bytes())
    second = "" if same_page else "  - number: 2\n    modules:\n"
    line = 11 if same_page else 1
    pages = ("pages:\n  - number: 1\n    modules:\n"
             "      - {article: a, col: 1, line: 1, cols: 3, lines: 10}\n" + second +
             f"      - continue: a\n        col: 1\n        line: {line}\n        cols: 3\n"
             "        lines: 10\n        photos:\n"
             "          - {image: pic, col: 1, line: 1, cols: 3, lines: 5}\n")
    body = "".join(f"      {p}\n\n" for p in PARAGRAPHS)
    spec = tmp_path / "s.yaml"
    spec.write_text(BASE.split("pages:")[0] + pages + "articles:\n  a:\n    headline: 标题\n    body: |\n" + body,
                    encoding="utf-8")
    return spec


def _clips(path: Path, page_no: int) -> list[Rect]:
    with pikepdf.open(path) as doc:
        page = doc.pages[page_no]
        left, _, _, top = (float(v) for v in page.TrimBox)
        clips, last = [], None
        for operands, op in pikepdf.parse_content_stream(page):
            if str(op) == "re":
                last = [float(v) for v in operands]
            elif str(op) == "Do" and last is not None:
                x, y, w, h = last
                clips.append(Rect(x - left, top - (y + h), w, h))
    return clips


def test_a_same_page_continuation_sets_its_body_under_a_photo_across_its_top(tmp_path):
    spec = _spec(tmp_path, same_page=True)
    text = spec.read_text(encoding="utf-8")
    assert "line: 11" in text and text.count("number:") == 1
    out = tmp_path / "s.pdf"
    render_spec(spec, out, allow_overset=True)
    issue = load_issue(spec)
    grid = page_grid(issue.format, 13.0, 1)
    (clip,) = _clips(out, 0)
    assert clip.y == pytest.approx(grid.band_top(11), abs=0.01)  # the module's top
    glyphs = page_glyphs(out)[0]
    rows = story_rows(issue, grid, glyphs, "a", body_size=10.0, subhead_size=99.0)
    under = [r for r in rows if r.module == 1]
    assert under and all(r.baseline - 10 * 0.88 >= clip.bottom for r in under)
    assert sum(abs(g.size - 16) < 0.05 for g in glyphs) == 2  # 标题 once: no repeated headline
    printed = "".join(r.text for r in rows)
    assert "".join(_paragraph_texts(issue, "a")).startswith(printed) and printed


def test_a_continuation_on_another_page_puts_its_headline_under_a_photo_across_its_top(tmp_path):
    spec = _spec(tmp_path, same_page=False)
    out = tmp_path / "s.pdf"
    render_spec(spec, out, allow_overset=True)
    (clip,) = _clips(out, 1)
    issue = load_issue(spec)
    grid = page_grid(issue.format, 13.0, 2)
    assert clip.y == pytest.approx(grid.band_top(1), abs=0.01)
    glyphs = page_glyphs(out)[1]
    headline = [g for g in glyphs if g.size > 12]
    assert "".join(g.ch for g in headline) == "标题"
    assert all(g.baseline - 0.88 * g.size >= clip.bottom - 0.01 for g in headline)
    text = "".join(g.ch for g in glyphs)
    assert "上接第一版" in text
    body = [g for g in glyphs if abs(g.size - 10) < 0.05]
    assert body and all(g.baseline - 8.8 >= clip.bottom for g in body)


def test_a_photo_in_a_boxed_same_page_continuation_s_padding_is_an_error_at_its_line(tmp_path):
    spec = _spec(tmp_path, same_page=True)
    text = spec.read_text(encoding="utf-8").replace(
        "        photos:\n", "        box: {rule: 0.5pt, padding: 1em}\n        photos:\n")
    spec.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as e:
        render_spec(spec, tmp_path / "s.pdf", allow_overset=True)
    assert not (tmp_path / "s.pdf").exists()
    line = next(k for k, s in enumerate(text.splitlines(), 1) if "- {image: pic" in s)
    assert (e.value.line, e.value.path) == (line, "pages[0].modules[1].photos[0]")
    assert "reaches into the box's padding" in e.value.problem and "line 2" in e.value.hint


def _order_spec(tmp_path: Path, article: str, going_on: str) -> Path:
    """Story a in the module `article` ("col, line, cols, lines"), going on in a same-page
    continue: module at `going_on`."""
    (tmp_path / "photo.jpg").write_bytes((ROOT / "issue_specs" / "photo-1.jpg").read_bytes())

    def cells(where: str) -> str:
        col, line, cols, lines = where.split(", ")
        return f"col: {col}, line: {line}, cols: {cols}, lines: {lines}"
    pages = ("pages:\n  - number: 1\n    modules:\n"
             f"      - {{article: a, {cells(article)}}}\n"
             f"      - {{continue: a, {cells(going_on)}}}\n")
    body = "".join(f"      {p}\n\n" for p in PARAGRAPHS)
    spec = tmp_path / "o.yaml"
    spec.write_text(BASE.split("pages:")[0] + pages + "articles:\n  a:\n    headline: 标题\n    body: |\n" + body,
                    encoding="utf-8")
    return spec


@pytest.mark.parametrize("article, going_on, backwards", [
    ("2, 11, 2, 10", "1, 1, 1, 10", True),  # above and to the left: reads backwards
    ("1, 11, 2, 10", "1, 1, 3, 10", True),  # straight above
    ("1, 11, 2, 10", "3, 1, 1, 10", False),  # to the right, higher: reads on (round something)
    ("1, 1, 3, 10", "1, 11, 3, 10", False),  # below
])
def test_a_same_page_continuation_above_its_part_before_is_named(tmp_path, article, going_on,
                                                                  backwards):
    """Above and not to the right, the story reads backwards with no jump line: render says so;
    to the right (even higher) or below, it reads on and nothing is said."""
    result = render_spec(_order_spec(tmp_path, article, going_on), tmp_path / "o.pdf",
                         allow_overset=True)
    said = [w for w in result.warnings if "reads backwards" in w]
    assert len(said) == backwards, result.warnings
    if backwards:
        col, line = article.split(", ")[:2]
        assert f"(col {col}, line {line})" in said[0] and "o.yaml:" in said[0]
