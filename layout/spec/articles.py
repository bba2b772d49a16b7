"""Articles: the `articles.*` key table, the body converter, and building an Article from its mapping.

Kept together and apart from the other sections because the article body is where the model grows
(blocks of paragraphs, each a sequence of runs): building an Article is the one function `read_article`.
"""
from __future__ import annotations

from typing import Mapping

from ..model.issue import Article
from ..model.story import Block, Paragraph
from ..util.errors import SpecError
from .markup import Problem, parse_body, parse_lead
from .convert import LIMITS, TEXT, count, scalar_text, text
from .nodes import Item
from .shapes import Key, convert_fields, fields_of, scalar


_EMPTY_BODY = "an article needs its text; remove the article if it has none"


@scalar({"type": TEXT, "maxLength": LIMITS["body"]}, "expected text")
def body(item: Item) -> tuple[Block, ...]:
    """Article text as blocks: paragraphs (convention 9) and the body markup (spec/markup.py); not
    made full-width here (the composer does). Every markup problem of the body is reported, each at
    its line. Bounded before it is parsed: a body of megabytes would take minutes to set only to be
    overset."""
    if item.is_null:
        item.fail("empty body", _EMPTY_BODY)
    value = scalar_text(item, "expected text")
    if len(value) > LIMITS["body"]:
        item.fail(f"a body of {len(value)} characters is too long: at most {LIMITS['body']}",
                  "a story that long is a mistake (a pasted file?); split it into articles")
    parsed = parse_body(value)
    if parsed.problems:
        errors = [markup_error(item, problem) for problem in parsed.problems]
        for error in errors[1:]:  # one body, several independent problems: all in one run
            item.ctx.record(error)
        raise errors[0]
    if not parsed.blocks:
        item.fail("empty body", _EMPTY_BODY)
    return parsed.blocks


@scalar({"type": TEXT, "maxLength": LIMITS["lead"]}, "expected text")
def lead(item: Item) -> Paragraph:
    """The 导语: one paragraph with the body's inline markup (`**strong**`, `*emphasis*`), each
    block markup problem (a subhead, a quote, a list) reported at its line."""
    value = scalar_text(item, "expected text")
    if len(value) > LIMITS["lead"]:
        item.fail(f"a lead of {len(value)} characters is too long: at most {LIMITS['lead']}",
                  "a lead is a few lines above the body; put the rest into the body")
    return inline_paragraph(item, value, "lead", "write the lead, or remove the key")


def inline_paragraph(item: Item, value: str, what: str, empty_hint: str) -> Paragraph:
    """`value` as one paragraph of inline markup (a lead, a pull quote): each block markup problem
    recorded at its own line, the first raised; empty text an error with `empty_hint`."""
    paragraph, problems = parse_lead(value, what)
    if problems:
        errors = [markup_error(item, problem) for problem in problems]
        for error in errors[1:]:
            item.ctx.record(error)
        raise errors[0]
    if paragraph is None:
        item.fail(f"expected text, found an empty {what}", empty_hint)
    return paragraph


def markup_error(item: Item, problem: Problem) -> SpecError:
    """A markup problem at its own line of the spec: exact in a `|` block (the body's lines are the
    spec's lines from the one after the key), else the key's line (a folded or quoted body's
    lines are not the spec's)."""
    node = item.node
    line = item.line
    if getattr(node, "style", None) == "|" and line == node.start_mark.line + 1:
        line = node.start_mark.line + 2 + problem.line
    return SpecError(item.ctx.file, line, item.path, problem.what, problem.hint)


ARTICLE = {
    "kicker": Key(text("a kicker", LIMITS["kicker"])),
    "headline": Key(text("a headline", LIMITS["headline"]), default=None),
    "subtitle": Key(text("a subtitle", LIMITS["subtitle"])),
    "byline": Key(text("a byline", LIMITS["byline"])),
    "body": Key(body, required=True),
    "lead": Key(lead),
    "lead_cols": Key(count),
}


def read_article(article_id: str, item: Item) -> Article:
    """The article `article_id` from its mapping (`articles.<id>`); its body as blocks. Where its
    lead and lead_cols were written too: they are checked against the module it starts in."""
    fields = fields_of(item, ARTICLE)
    if "lead_cols" in fields and "lead" not in fields:
        fields["lead_cols"].fail("lead_cols without a lead: it says how many columns the lead "
                                 "spans", "add the lead (lead: …), or remove lead_cols")
    sources = {f"{key}_source": fields[key].source for key in ("lead", "lead_cols")
               if key in fields}
    return Article(id=article_id, source=item.source, **convert_fields(fields, ARTICLE),
                   **sources)


def bodies_problem(item: Item | None, articles: Mapping[str, Article]) -> SpecError | None:
    """All bodies together are bounded too (LIMITS["bodies"]), so that many articles each within
    its own bound cannot make a render take minutes and gigabytes."""
    if item is None:
        return None
    total = sum(len(text) for article in articles.values() for text in article.paragraphs)
    if total <= LIMITS["bodies"]:
        return None
    return item.error(f"the articles hold {total:,} characters of body text: at most "
                      f"{LIMITS['bodies']:,} in one issue",
                      "a 100-page daily holds about a million; split the edition into several specs")
