"""A story's body as the model holds it: a sequence of blocks, a paragraph a sequence of runs.

Today every block is a `Paragraph` of one `Run` in the body style (the loader's plain paragraphs);
the types leave room for what structured stories add later (a subhead, lead, quote or table is
another `Block` type; a paragraph with bold or a different face is several runs).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Union

BODY = "body"  # the style name of running text (a key of Issue.styles)


@dataclass(frozen=True)
class Run:
    """Text set in one style (a name in Issue.styles)."""

    text: str
    style: str = BODY


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of running text: its runs, in reading order."""

    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    @property
    def style(self) -> str:
        """The paragraph's style: that of its first run (every run of a plain paragraph)."""
        return self.runs[0].style if self.runs else BODY


# Later: Subhead, Lead, Quote, Table. Consumers match on the type and skip what they cannot set.
Block = Union[Paragraph]


def plain_paragraph(text: str, style: str = BODY) -> Paragraph:
    return Paragraph((Run(text, style),))


def plain_body(texts: Iterable[str]) -> tuple[Block, ...]:
    """The body the loader builds from paragraph texts: one single-run body paragraph each."""
    return tuple(plain_paragraph(text) for text in texts)


def paragraphs(body: Iterable[Block]) -> tuple[Paragraph, ...]:
    return tuple(block for block in body if isinstance(block, Paragraph))
