"""`paper.locale` and `issue.era` (issue 17): the furniture Broadsheet writes itself is worded in the
paper's script and by its region's custom, read back from the PDF."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from layout.util.dates import calendar_date, lunar_date, masthead_date
from tcedition import tc_spec

ROOT = Path(__file__).resolve().parent.parent


def _render(spec: Path, out: Path) -> list[str]:
    subprocess.run([sys.executable, "-m", "layout", "render", str(spec), "-o", str(out)],
                   check=True, capture_output=True, cwd=ROOT)
    pdf = pdfium.PdfDocument(str(out / f"{spec.stem}.pdf"))
    try:
        # Without line ends and the Han–Latin gaps (113 年 is set with a quarter-em each side).
        return [page.get_textpage().get_text_range().replace("\r\n", "").replace("\n", "")
                .replace(" ", "") for page in pdf]
    finally:
        pdf.close()


def _taiwan_spec(folder: Path, paper: str, issue: str, jumps: bool = False) -> Path:
    spec = tc_spec(folder, lines_a=12)  # story a jumps to page 2
    text = spec.read_text(encoding="utf-8")
    text = text.replace("paper: {name: 測試日報, serial: CN00-0000, publisher: 測試日報社出版}",
                        "paper: {" + paper + "}")
    text = text.replace("issue: {date: 2025-03-14, number: 100, pages_total: 2}",
                        "issue: {" + issue + "}")
    if not jumps:  # the locale's own jump wording
        text = text.replace('jumps: {to: "（轉A{page}版）", from: "（接A{page}版）", numerals: arabic}\n',
                            "")
    spec.write_text(text, encoding="utf-8")
    return spec


def test_taiwan_masthead_header_and_jumps(tmp_path: Path) -> None:
    spec = _taiwan_spec(
        tmp_path, "name: 測試日報, locale: zh-Hant-TW, serial: 中華郵政北台字第0000號執照登記為新聞紙類, "
                  "editor_in_chief: 王大明",
        "date: 2024-11-08, number: 25000, pages_total: 2, era: roc")
    page1, page2 = _render(spec, tmp_path / "out")
    assert "中華民國113年11月8日" in page1
    assert "農曆甲辰年十月初八" in page1
    assert "第25000號" in page1 and "第25000期" not in page1
    assert "總編輯：王大明" in page1
    # A Taiwan paper's registration line is free text: no mainland 国内统一刊号 label.
    assert "中華郵政北台字第0000號執照登記為新聞紙類" in page1 and "刊号" not in page1
    assert "（轉第二版）" in page1 and "（接第一版）" in page2
    assert "中華民國113年11月8日" in page2  # the page header's date


def test_written_jumps_win_over_the_locale(tmp_path: Path) -> None:
    spec = _taiwan_spec(tmp_path, "name: 測試日報, locale: zh-Hant-HK", "date: 2024-11-08",
                        jumps=True)
    page1, page2 = _render(spec, tmp_path / "out")
    assert "（轉A2版）" in page1 and "（接A1版）" in page2


def test_simplified_is_the_default() -> None:
    date = dt.date(2022, 6, 16)
    assert masthead_date(date) == "2022年6月16日　星期四　农历壬寅年五月十八"
    assert calendar_date(date, "zh-Hans", "roc") == "民国111年6月16日"


def test_leap_and_twelfth_months_in_traditional_script() -> None:
    # 2023-03-22 opens the leap second month; 2024-01-20 is in the twelfth month (腊月).
    assert lunar_date(dt.date(2023, 3, 22), "zh-Hant-TW") == "農曆癸卯年閏二月初一"
    assert lunar_date(dt.date(2023, 3, 22)) == "农历癸卯年闰二月初一"
    assert lunar_date(dt.date(2024, 1, 20), "zh-Hant-TW") == "農曆癸卯年臘月初十"


def test_an_unknown_locale_is_refused(tmp_path: Path) -> None:
    spec = _taiwan_spec(tmp_path, "name: 測試日報, locale: zh-TW", "date: 2024-11-08")
    run = subprocess.run([sys.executable, "-m", "layout", "render", str(spec), "-o",
                          str(tmp_path / "out")], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 2
    assert "paper.locale: expected one of zh-Hans, zh-Hant-TW, zh-Hant-HK, found \"zh-TW\"\n  did you mean \"zh-Hant-TW\"?" in run.stderr
    assert not (tmp_path / "out" / "tc.pdf").exists()
