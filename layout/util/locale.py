"""The paper's locale (`paper.locale`): the wording of the furniture Broadsheet writes itself, in the
paper's script and by its region's custom. Pure data; the masthead, page header, index boxes and
the default jump lines read it.

Mainland papers print 国内统一刊号 (the CN serial) and 第N期; a Taiwan or Hong Kong paper's
registration line is free text (`paper.serial` as written) and its issue number is 第N號.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Locale = Literal["zh-Hans", "zh-Hant-TW", "zh-Hant-HK"]
LOCALES: tuple[Locale, ...] = ("zh-Hans", "zh-Hant-TW", "zh-Hant-HK")
Era = Literal["gregorian", "roc"]
ROC_OFFSET = 1911  # 中華民國元年 = 1912


@dataclass(frozen=True)
class Wording:
    lunar: str  # prefix of the lunar date
    leap: str  # a leap month's prefix as the lunar calendar library writes it, in this script
    twelfth_month: str  # 腊 / 臘
    issue_number: str  # {n}: the issue's number
    pages_today: str  # {n}: pages in the issue
    serial: str  # {serial}: paper.serial
    editor_in_chief: str  # {name}
    see_page: str  # index box: {page}
    see_label: str  # index box, a labelled page: {label} (详见A3版)
    page_number: str  # page header: {page}
    jump_to: str  # default jumps.to / jumps.from ({page})
    jump_from: str
    roc_year: str  # {year}: the ROC year, era: roc


WORDING: dict[Locale, Wording] = {
    "zh-Hans": Wording("农历", "闰", "腊", "第{n}期", "今日{n}版", "国内统一刊号：{serial}",
                       "总编辑：{name}", "详见第{page}版", "详见{label}版", "第{page}版",
                       "（下转第{page}版）", "（上接第{page}版）", "民国{year}年"),
    "zh-Hant-TW": Wording("農曆", "閏", "臘", "第{n}號", "今日{n}版", "{serial}",
                          "總編輯：{name}", "詳見第{page}版", "詳見{label}版", "第{page}版",
                          "（轉第{page}版）", "（接第{page}版）", "中華民國{year}年"),
    "zh-Hant-HK": Wording("農曆", "閏", "臘", "第{n}號", "今日{n}版", "{serial}",
                          "總編輯：{name}", "詳見第{page}版", "詳見{label}版", "第{page}版",
                          "（轉第{page}版）", "（接第{page}版）", "中華民國{year}年"),
}


def wording(locale: Locale) -> Wording:
    return WORDING[locale]
