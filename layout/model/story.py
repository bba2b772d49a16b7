"""A story's body as the model holds it: a sequence of blocks, a paragraph a sequence of runs.

A body written without markup is a sequence of `Paragraph`s of one `Run` in the body style (the
loader's plain paragraphs). Body markup (spec/markup.py) adds a `Subhead` block (小标题), quote
paragraphs (a `Paragraph` in style `quote`) and runs in styles `strong` and `emphasis` inside a
paragraph. Consumers match on the block type.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Union

# Style names (keys of Issue.styles) the body uses.
BODY = "body"  # running text
QUOTE = "quote"  # a quote paragraph inside the body (`> `)
SUBHEAD = "subhead"  # a 小标题 (`## `)
STRONG = "strong"  # `**…**`
EMPHASIS = "emphasis"  # `*…*`
LEAD = "lead"  # 导语 (`lead:` of an article): one paragraph, inline markup only
PROPER_NOUN = "proper_noun"  # `[…]{.专名}`: 专名号, a straight line under (left of) the characters
BOOK_TITLE = "book_title"  # `[…]{.书名}`: 书名号 of the wavy kind
SPAN_STYLES = frozenset((PROPER_NOUN, BOOK_TITLE))  # marked span by span, each a mark of its own


@dataclass(frozen=True)
class Run:
    """Text set in one style (a name in Issue.styles)."""

    text: str
    style: str = BODY


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of running text: its runs, in reading order, and the style of the paragraph as a
    block (`body`, or `quote`: its measure, indent and the style of its unmarked runs)."""

    runs: tuple[Run, ...]
    style: str = BODY

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    @property
    def plain(self) -> bool:
        """One run in the paragraph's own style (the composer's one-style fast path)."""
        return len(self.runs) == 1 and self.runs[0].style == self.style


@dataclass(frozen=True)
class Subhead:
    """A 小标题 inside the body: one line of text (or more, if it is long) in style `subhead`."""

    text: str
    style: str = SUBHEAD


Block = Union[Paragraph, Subhead]


def plain_paragraph(text: str, style: str = BODY) -> Paragraph:
    return Paragraph((Run(text, style),), style)


def plain_body(texts: Iterable[str]) -> tuple[Block, ...]:
    """The body the loader builds from paragraph texts: one single-run body paragraph each."""
    return tuple(plain_paragraph(text) for text in texts)


def paragraphs(body: Iterable[Block]) -> tuple[Paragraph, ...]:
    """The paragraphs of running text (body and quote), in order: what the flow re-breaks."""
    return tuple(block for block in body if isinstance(block, Paragraph))


def block_texts(body: Iterable[Block]) -> tuple[str, ...]:
    """The text of every text block (paragraphs and subheads), in order, markup removed."""
    return tuple(block.text for block in body)
