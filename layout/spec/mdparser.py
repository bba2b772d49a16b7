"""markdown-it-py as body markup reads it (spec/markup.py): CommonMark with tables and
strikethrough on (to report them), indented code, entities and text joining off, and emphasis
delimiters that see a Han character as a word boundary, and one rule of our own: a bracketed span
`[…]{.name}` (Pandoc's syntax: no meaning in CommonMark, where it prints as text) as
`mark_open`/`mark_close` around its content, `meta["name"]` the name after the dot (专名, 书名;
spec/markup.py maps and checks it). Imported only for a body with markup."""
from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_inline.state_inline import Scanned, StateInline
from markdown_it.token import Token
import re

from ..util.text import is_chinese


def body_parser() -> MarkdownIt:
    # Tables and strikethrough are turned on only to be reported (commonmark would print them as
    # text); indented code is off (an indented line is a paragraph line, as it always was);
    # entities are not decoded (`&amp;` prints as written); escapes stay tokens of their own.
    md = MarkdownIt("commonmark")
    inline = _HanInline()
    inline.ruler, inline.ruler2 = md.inline.ruler, md.inline.ruler2
    md.inline = inline
    md.inline.ruler.before("link", "mark_span", _mark_span)
    return md.enable(["table", "strikethrough"]).disable(["code", "entity", "text_join"])


class _HanState(StateInline):
    """CommonMark's delimiter rules, with a Han character beside a mark counting as a word
    boundary where the rules ask for one: `开展**“手拉手”**的` opens and closes strong, as a
    writer of Chinese expects (CommonMark alone would print the asterisks, since a mark between a
    letter and punctuation neither opens nor closes)."""

    def scanDelims(self, start: int, canSplitWord: bool) -> Scanned:
        found = super().scanDelims(start, canSplitWord)
        last = self.src[start - 1] if start > 0 else " "
        end = start + found.length
        after = self.src[end] if end < self.posMax else " "
        if not (is_chinese(last) or is_chinese(after)):
            return found
        last_ws, next_ws = isWhiteSpace(ord(last)), isWhiteSpace(ord(after))
        last_p, next_p = _punct(last), _punct(after)
        last_b = last_ws or last_p or is_chinese(last)  # a boundary before the mark
        next_b = next_ws or next_p or is_chinese(after)  # ... after it
        left = not next_ws and not (next_p and not last_b)
        right = not last_ws and not (last_p and not next_b)
        can_open = left and (canSplitWord or not right or last_p)
        can_close = right and (canSplitWord or not left or next_p)
        return Scanned(can_open, can_close, found.length)


def _punct(ch: str) -> bool:
    return isMdAsciiPunct(ord(ch)) or isPunctChar(ch)


class _HanInline(ParserInline):
    def parse(self, src: str, md: MarkdownIt, env: dict, tokens: list[Token]) -> list[Token]:
        state = _HanState(src, md, env, tokens)
        self.tokenize(state)
        for rule in self.ruler2.getRules(""):
            rule(state)
        return state.tokens


_SPAN_NAME = re.compile(r"\{\.([^\s{}.]+)\}")


def _mark_span(state: StateInline, silent: bool) -> bool:
    """`[text]{.name}`: the text's inline tokens between a mark_open and a mark_close (the way
    markdown-it's own link rule tokenizes a link's label)."""
    if state.src[state.pos] != "[":
        return False
    end = state.md.helpers.parseLinkLabel(state, state.pos, True)
    if end < 0:
        return False
    found = _SPAN_NAME.match(state.src, end + 1, state.posMax)
    if found is None:
        return False
    if not silent:
        old_max = state.posMax
        state.pos, state.posMax = state.pos + 1, end
        token = state.push("mark_open", "span", 1)
        token.meta = {"name": found.group(1)}
        token.markup = found.group(0)
        state.md.inline.tokenize(state)
        state.push("mark_close", "span", -1).markup = found.group(0)
        state.posMax = old_max
    state.pos = found.end()
    return True
