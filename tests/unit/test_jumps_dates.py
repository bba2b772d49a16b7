import datetime as dt

import pytest

from layout.util.dates import lunar_date, masthead_date, weekday
from layout.flow.jumps import chinese_numeral, jump_text
from layout.model.issue import Jumps


@pytest.mark.parametrize("n, text", [(1, "一"), (2, "二"), (10, "十"), (12, "十二"), (20, "二十"),
                                     (24, "二十四"), (100, "一百"), (105, "一百零五"), (110, "一百一十")])
def test_chinese_numerals(n, text):
    assert chinese_numeral(n) == text


def test_jump_text():
    j = Jumps()
    assert jump_text(j, "to", 2) == "（下转第二版）"
    assert jump_text(j, "from", 1) == "（上接第一版）"
    assert jump_text(Jumps(numerals="arabic"), "to", 12) == "（下转第12版）"


def test_reference_date_weekday_and_lunar():
    d = dt.date(2022, 6, 16)
    assert weekday(d) == "星期四"
    assert lunar_date(d) == "农历壬寅年五月十八"
    assert masthead_date(d) == "2022年6月16日　星期四　农历壬寅年五月十八"


def test_leap_month():
    assert lunar_date(dt.date(2023, 4, 1)) == "农历癸卯年闰二月十一"
