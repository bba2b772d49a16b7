"""Dates as a Chinese masthead writes them: 2022年6月16日　星期四　农历壬寅年五月十八, in the paper's
locale (農曆, 閏, 臘 in Traditional script; 中華民國111年 with era roc)."""
from __future__ import annotations

import datetime as dt

from .locale import ROC_OFFSET, Era, Locale, wording


def weekday(date: dt.date) -> str:
    return "星期" + "一二三四五六日"[date.weekday()]  # the same characters in both scripts


def lunar_date(date: dt.date, locale: Locale = "zh-Hans") -> str:
    """农历 date from a maintained lunar-calendar library (leap months come out as 闰N月), in the
    locale's script. Imported here, not at the top: only a masthead prints it (~5 ms a process
    otherwise)."""
    from lunar_python import Solar

    day = Solar.fromYmd(date.year, date.month, date.day).getLunar()
    words = wording(locale)
    # The library writes Simplified forms; of its month and day names only 闰 and 腊 differ.
    month = day.getMonthInChinese().replace("闰", words.leap).replace("腊", words.twelfth_month)
    return f"{words.lunar}{day.getYearInGanZhi()}年{month}月{day.getDayInChinese()}"


def calendar_date(date: dt.date, locale: Locale = "zh-Hans", era: Era = "gregorian") -> str:
    """2022年6月16日, or with era roc 中華民國111年6月16日 (a year before 1912 is written as is)."""
    if era == "roc" and date.year > ROC_OFFSET:
        year = wording(locale).roc_year.format(year=date.year - ROC_OFFSET)
    else:
        year = f"{date.year}年"
    return f"{year}{date.month}月{date.day}日"


def masthead_date(date: dt.date, with_lunar: bool = True, locale: Locale = "zh-Hans",
                  era: Era = "gregorian") -> str:
    parts = [calendar_date(date, locale, era), weekday(date)]
    if with_lunar:
        parts.append(lunar_date(date, locale))
    return "　".join(parts)
