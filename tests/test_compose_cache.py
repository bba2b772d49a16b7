"""The composition cache (compose/cache.py) as `broadsheet watch` uses it: a re-render in the same
process after an edit composes only what changed, and writes the PDF a fresh process writes."""
from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys

from layout.compose import cache
from layout.compose.cache import LRU, paragraph_key
from layout.desk.render import render_spec

from editions import ROOT, edition

FIRST_PARAGRAPH = "6月10日,星期五,是市直单位下沉干部联系点开展“手拉手”活动的日子。"


def test_lru_evicts_the_least_recently_used_by_weight():
    lru: LRU[str] = LRU(max_weight=10)
    lru.put("a", "A", 4)
    lru.put("b", "B", 4)
    assert lru.get("a") == "A"  # now b is the least recently used
    lru.put("c", "C", 4)
    assert (lru.get("a"), lru.get("b"), lru.get("c")) == ("A", None, "C")
    assert lru.weight == 8 and len(lru) == 2
    lru.put("huge", "H", 11)  # heavier than the whole cache: not kept, nothing evicted
    assert lru.get("huge") is None and len(lru) == 2
    lru.put("a", "A2", 1)  # replacing an entry replaces its weight
    assert lru.get("a") == "A2" and lru.weight == 5


def test_key_holds_every_input():
    face = ("key", 0, "/f.ttf", 1, 2, 3, 4)
    base = paragraph_key("正文", (("lines", 100.0, "justify", 18.0, False), 9.0), face)
    assert base == paragraph_key("正文", (("lines", 100.0, "justify", 18.0, False), 9.0), face)
    assert base != paragraph_key("正文", (("lines", 101.0, "justify", 18.0, False), 9.0), face)
    assert base != paragraph_key("正文", (("lines", 100.0, "justify", 18.0, False), 9.0),
                                 face[:-1] + (5,))
    assert base != paragraph_key("正文", (("lines", 100.0, "justify", 18.0, False), 9.0), face,
                                 version="9.9.9")


def test_version_is_the_packages():
    assert cache.VERSION == importlib.metadata.version("broadsheet")


def test_rerender_after_an_edit_equals_a_fresh_process(tmp_path, monkeypatch):
    """…and draws again only the page the edited story is on: the other page's content stream
    and the font subsets are the previous render's (layout/press/pdf.py, fontembed.py)."""
    from layout.press import pdf

    pdf.forget_previous_render()  # what earlier tests of this process rendered
    drawn: list[int] = []
    draw = pdf._draw_page
    monkeypatch.setattr(pdf, "_draw_page", lambda doc, page, *a: drawn.append(page.number) or
                        draw(doc, page, *a))
    spec = edition(tmp_path)
    text = spec.read_text(encoding="utf-8")
    assert FIRST_PARAGRAPH in text
    cache.shared().clear()
    render_spec(spec, tmp_path / "first" / "ed.pdf")
    # characters the edition has already: the font subsets stay as they are
    spec.write_text(text.replace(FIRST_PARAGRAPH, "记者报道，" + FIRST_PARAGRAPH), encoding="utf-8")
    hits = cache.shared().hits
    assert drawn == [1, 2]
    render_spec(spec, tmp_path / "again" / "ed.pdf")
    assert cache.shared().hits - hits > 30  # the unchanged paragraphs and headlines came from it
    assert drawn == [1, 2, 1]  # the story is on page 1 only

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-m", "layout", "render", str(spec), "-o",
                           str(tmp_path / "fresh")], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    again = (tmp_path / "again" / "ed.pdf").read_bytes()
    assert again == (tmp_path / "fresh" / "ed.pdf").read_bytes()
    assert again != (tmp_path / "first" / "ed.pdf").read_bytes()  # the edit is in it


def test_an_edit_with_new_characters_keeps_the_other_pages(tmp_path, monkeypatch):
    """Characters new to the edition grow the font subsets, but the codes of the glyphs already
    drawn stay (press/fontembed.py), so the page the edit is not on keeps its content stream; the
    PDF is still the one a fresh process writes."""
    from layout.press import pdf

    pdf.forget_previous_render()
    drawn: list[int] = []
    draw = pdf._draw_page
    monkeypatch.setattr(pdf, "_draw_page", lambda doc, page, *a: drawn.append(page.number) or
                        draw(doc, page, *a))
    spec = edition(tmp_path)
    text = spec.read_text(encoding="utf-8")
    new = "𠮷鬱"
    assert FIRST_PARAGRAPH in text and not set(new) & set(text)
    cache.shared().clear()
    render_spec(spec, tmp_path / "first" / "ed.pdf")
    spec.write_text(text.replace(FIRST_PARAGRAPH, new + FIRST_PARAGRAPH), encoding="utf-8")
    render_spec(spec, tmp_path / "again" / "ed.pdf")
    assert drawn == [1, 2, 1]

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-m", "layout", "render", str(spec), "-o",
                           str(tmp_path / "fresh")], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "again" / "ed.pdf").read_bytes() == (tmp_path / "fresh" / "ed.pdf").read_bytes()
