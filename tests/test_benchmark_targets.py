"""The benchmark judges every target of issue 14, and its Typst version of the reference edition
sets the same text as Broadsheet (benchmarks/reference.py)."""
from __future__ import annotations

import importlib.util
import sys

import pytest

from benchmarks.report import target_rows
from benchmarks.run import broadsheet_cmd
from layout.desk.render import render_spec

from editions import REF


def _job(times, rss_mb=100, pdf_kb=500):
    return {"times": times, "rss_kb": [rss_mb * 1024], "pdf_bytes": pdf_kb * 1024, "errors": []}


RESULTS = {
    "jobs": {
        "broadsheet:reference": _job([0.30, 0.32]), "typst:reference": _job([0.25, 0.26]),
        "broadsheet:edition-8": _job([1.0, 1.1], rss_mb=110, pdf_kb=450),
        "typst:edition-8": _job([0.5, 0.5], pdf_kb=600), "weasyprint:edition-8": _job([8.0]),
        "broadsheet:edition-24": _job([2.5, 2.6], pdf_kb=1000),
        "typst:edition-24": _job([1.0, 1.0], pdf_kb=1400),
    },
    "rerender": {"full": [1.0, 1.0], "edited": [0.25, 0.26], "full_median": 1.0,
                 "edited_median": 0.25, "ratio": 0.25},
    "cold": {"wall": 0.9, "second_wall": 0.31, "rss_kb": 90 * 1024, "exit": 0, "cache_mb": 1.0},
}


def test_every_target_is_judged():
    rows = target_rows(RESULTS)
    assert [r.split(" | ")[0].lstrip("| ")[:30] for r in rows] == [
        "8-page edition, whole process ", "≥ 20× faster than WeasyPrint (", "24 pages ≤ 3 × the 8-page time",
        "reference edition, whole proce", "reference edition, warm render", "`watch` re-render after editin",
        "first render with faces never ", "PDF size ≤ 0.8 × Typst's for t", "peak RSS ≤ 120 MB on 8 pages"]
    verdicts = [r.rstrip(" |").rsplit("| ", 1)[1] for r in rows]
    assert verdicts == ["**missed**", "**missed**", "**met**", "**missed**", "**met**", "**met**",
                        "**met**", "**met**", "**met**"]


def test_a_target_without_its_run_is_not_measured():
    rows = target_rows({"jobs": {}, "rerender": None, "cold": None})
    assert len(rows) == 9 and all(r.endswith("| **not measured** |") for r in rows)


def test_broadsheet_starts_as_the_peers_do(tmp_path):
    from benchmarks import peers

    cmd = broadsheet_cmd(REF, tmp_path)
    assert cmd[:4] == [sys.executable, "-P", "-m", "layout"]
    assert peers.command("typst", tmp_path / "a.typ", tmp_path / "a.pdf")[0] == sys.executable


@pytest.mark.skipif(importlib.util.find_spec("typst") is None, reason="typst is a benchmark extra")
def test_typst_reference_sets_the_same_han_characters(tmp_path):
    import typst

    from benchmarks.generate import FONT_DIRS
    from benchmarks.reference import write_reference
    from benchmarks.run import pdf_han_chars

    source = write_reference(tmp_path)
    typst.compile(str(source), output=str(tmp_path / "typst.pdf"), font_paths=list(FONT_DIRS),
                  ignore_system_fonts=True)
    render_spec(REF, tmp_path / "broadsheet.pdf")
    assert pdf_han_chars(tmp_path / "typst.pdf") == pdf_han_chars(tmp_path / "broadsheet.pdf") > 4000
