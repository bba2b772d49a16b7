"""Story chains and jump lines (convention 6 of format v1).

A story's chain is its `article:` module, then its `continue:` modules in page order (list order
within a page). Jump lines name the page at the other end, in Chinese numerals when asked.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model.issue import (ArticleModule, ContinueModule, Issue, Jumps, Module, ModuleId, Page,
                           StoryModule)

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """Page numbers as newspapers write them: 2 → 二, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五."""
    if n < 0:
        raise ValueError(n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else ("零" + _DIGITS[rest] if rest < 10 else
                                     (_DIGITS[1] if rest < 20 else "") + chinese_numeral(rest))
        return _DIGITS[n // 100] + "百" + tail
    return str(n)


def page_label(n: int, numerals: str) -> str:
    return chinese_numeral(n) if numerals == "chinese" else str(n)


def jump_text(jumps: Jumps, direction: str, page: int, label: str | None = None) -> str:
    """The jump line to or from `page`; `{page}` is the page's label (`A3`) when it has one."""
    template = jumps.to if direction == "to" else jumps.from_
    if label:  # 第 belongs to a page number: （下转第{page}版） → （下转A3版）
        return template.replace("第{page}", "{page}").replace("{page}", label)
    return template.replace("{page}", page_label(page, jumps.numerals))


def page_labels(issue: Issue) -> dict[int, str]:
    """Page number → label, for the pages that have one."""
    return {p.number: p.label for p in issue.pages if p.label}


@dataclass(frozen=True)
class Link:
    """One module of a story's chain, with the page that holds it and its id."""

    page: Page
    id: ModuleId
    module: StoryModule


def chain_links(issue: Issue) -> dict[str, list[Link]]:
    """Article id → its modules in reading order (the loader has checked the chain is well formed)."""
    chains: dict[str, list[Link]] = {}
    for page in sorted(issue.pages, key=lambda p: p.number):
        for mid, m in page.module_ids():
            if isinstance(m, ArticleModule):
                chains.setdefault(m.story, []).insert(0, Link(page, mid, m))
    for page in sorted(issue.pages, key=lambda p: p.number):
        for mid, m in page.module_ids():
            if isinstance(m, ContinueModule):
                chains.setdefault(m.story, []).append(Link(page, mid, m))
    return chains


def story_chains(issue: Issue) -> dict[str, list[tuple[Page, Module]]]:
    """`chain_links` as (page, module) pairs."""
    return {story: [(link.page, link.module) for link in links]
            for story, links in chain_links(issue).items()}
