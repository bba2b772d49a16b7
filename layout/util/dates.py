"""Dates as a Chinese masthead writes them: 2022年6月16日　星期四　农历壬寅年五月十八."""
from __future__ import annotations

import datetime as dt


def weekday(date: dt.date) -> str:
    return "星期" + "一二三四五六日"[date.weekday()]


def lunar_date(date: dt.date) -> str:
    """农历 date from a maintained lunar-calendar library (leap months come out as 闰N月).
    Imported here, not at the top: only a masthead prints it (~5 ms a process otherwise)."""
    from lunar_python import Solar

    day = Solar.fromYmd(date.year, date.month, date.day).getLunar()
    return f"农历{day.getYearInGanZhi()}年{day.getMonthInChinese()}月{day.getDayInChinese()}"


def masthead_date(date: dt.date, with_lunar: bool = True) -> str:
    parts = [f"{date.year}年{date.month}月{date.day}日", weekday(date)]
    if with_lunar:
        parts.append(lunar_date(date))
    return "　".join(parts)
