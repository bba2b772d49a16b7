"""The model's module types and story blocks (issue 13): what the loader builds, and that every
module type has a placer in the registry."""
from __future__ import annotations

from pathlib import Path

import pytest

from layout.model.issue import (ArticleModule, ContinueModule, ImageModule, IndexModule,
                                MastheadModule, Module, ModuleId, StoryModule, module_of_kind)
from layout.model.story import BODY, Paragraph, Run, plain_body
from layout.pages.placers import PLACERS
from layout.spec.load import load_issue

REF = Path(__file__).resolve().parents[2] / "issue_specs" / "xuchang-2022-06-16.yaml"
AT = {"col": 1, "line": 2, "cols": 3, "lines": 4}


@pytest.mark.parametrize("kind, ref, cls, field", [
    ("masthead", None, MastheadModule, None),
    ("article", "a", ArticleModule, "story"),
    ("continue", "a", ContinueModule, "story"),
    ("image", "street", ImageModule, "image"),
    ("index", "daodu", IndexModule, "index"),
])
def test_each_kind_is_its_own_type(kind, ref, cls, field):
    m = module_of_kind(kind, ref, **AT)
    assert type(m) is cls and m.kind == kind and m.ref == ref
    assert (m.col, m.line, m.cols, m.lines) == (1, 2, 3, 4)
    if field:
        assert getattr(m, field) == ref


def test_story_modules_hold_their_headline_size_and_whether_they_continue():
    first = module_of_kind("article", "a", **AT, headline_size=30.0)
    later = module_of_kind("continue", "a", **AT)
    assert isinstance(first, StoryModule) and first.headline_size == 30.0 and not first.continued
    assert isinstance(later, StoryModule) and later.headline_size is None and later.continued


def test_modules_of_different_kinds_at_one_place_differ():
    assert module_of_kind("article", "a", **AT) != module_of_kind("continue", "a", **AT)


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown module kind 'poster'"):
        module_of_kind("poster", "x", **AT)  # type: ignore[arg-type]


def test_every_module_type_has_a_placer():
    def leaves(cls: type) -> set[type]:
        subs = cls.__subclasses__()
        return set().union(*(leaves(s) for s in subs)) if subs else {cls}

    assert leaves(Module) == set(PLACERS)


def test_module_ids_follow_the_page_and_its_list():
    issue = load_issue(REF)
    page = next(p for p in issue.pages if p.number == 2)
    ids = [mid for mid, _ in page.module_ids()]
    assert ids == [ModuleId(2, k) for k in range(len(page.modules))]
    assert str(ids[0]) == "p2.m0"


def test_the_loader_builds_plain_paragraphs_of_one_body_run():
    article = load_issue(REF).articles["shoulashou"]
    assert len(article.body) == 14
    assert all(isinstance(b, Paragraph) and len(b.runs) == 1 and b.runs[0].style == BODY
               for b in article.body)
    assert article.body[0].text.startswith("6月10日,星期五,")
    assert article.paragraphs == tuple(b.text for b in article.body)


def test_a_paragraph_reads_its_runs_in_order():
    para = Paragraph((Run("本报讯", "strong"), Run("正文。")))
    # the paragraph's style is its own (as a block: body or quote), not its first run's
    assert para.text == "本报讯正文。" and para.style == BODY and not para.plain
    assert Paragraph((Run("引文。", "quote"),), "quote").plain
    assert plain_body(["一。", "二。"]) == (Paragraph((Run("一。"),)), Paragraph((Run("二。"),)))
