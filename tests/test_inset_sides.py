"""Which side of a photo the body goes on (docs/spec.md, "Which side of an inset"): in one body
column, on one side only (the wider; the start side when both are as wide), never both, and a
side left white 8 characters wide or more is a warning; a photo across the boundary of two body
columns has each column's text on its own side."""
from __future__ import annotations

from pathlib import Path

import pikepdf

from layout.desk.render import render_spec
from layout.model.grid import Rect
from pdftext import page_glyphs
from test_structured import BASE, ROOT

TEXT = "第一段的文字写在这里，要足够长才能换行，让这一段占上好几行，看它怎样绕过照片继续排下去。" * 14


def _render(tmp_path: Path, body_cols: int) -> tuple[Rect, list, tuple[str, ...]]:
    (tmp_path / "photo.jpg").write_bytes((ROOT / "issue_specs" / "photo-1.jpg").read_bytes())
    spec = tmp_path / "s.yaml"
    spec.write_text(BASE.split("pages:")[0] + (
        "pages:\n  - number: 1\n    modules:\n"
        "      - article: a\n        col: 1\n        line: 1\n        cols: 3\n        lines: 21\n"
        f"        body_cols: {body_cols}\n        photos:\n"
        "          - {image: pic, col: 2, line: 6, cols: 1, lines: 6}\n"
        f"articles:\n  a:\n    headline: 标题\n    body: {TEXT}\n"), encoding="utf-8")
    out = tmp_path / "s.pdf"
    warnings = render_spec(spec, out, allow_overset=True).warnings
    with pikepdf.open(out) as doc:
        page = doc.pages[0]
        left, _, _, top = (float(v) for v in page.TrimBox)
        last = clip = None
        for operands, op in pikepdf.parse_content_stream(page):
            if str(op) == "re":
                last = [float(v) for v in operands]
            elif str(op) == "Do" and last is not None:
                x, y, w, h = last
                clip = Rect(x - left, top - (y + h), w, h)
    assert clip is not None
    beside = [g for g in page_glyphs(out)[0] if abs(g.size - 10) < 0.05
              and clip.y < g.baseline < clip.bottom]
    return clip, beside, warnings


def test_in_one_wide_column_the_text_is_on_one_side_of_the_photo_only(tmp_path):
    clip, beside, warnings = _render(tmp_path, body_cols=1)
    assert beside  # lines are set beside the photo ...
    assert all(g.right <= clip.x for g in beside)  # ... on its start side only
    assert not [g for g in beside if g.x >= clip.right]
    # the white strip on its right is wider than 8 characters: the desk is told where
    (note,) = [w for w in warnings if "white strip" in w]
    assert ":25: pages[0].modules[0].photos[0]: " in note and "right side" in note
    assert "12 characters wide in body column 1" in note


def test_across_two_body_columns_each_column_has_its_text_on_its_own_side(tmp_path):
    clip, beside, warnings = _render(tmp_path, body_cols=2)
    left = [g for g in beside if g.right <= clip.x]
    right = [g for g in beside if g.x >= clip.right]
    assert left and right and len(left) + len(right) == len(beside)
    assert not [w for w in warnings if "white strip" in w]
