"""Body markup: an article body as a small Markdown subset, read with markdown-it-py (mdparser.py).

The subset (docs/spec.md, "Body markup"): plain paragraphs, `## 小标题` subheads, `> ` quote
paragraphs, `**strong**` and `*emphasis*` runs, `[北京]{.专名}` proper nouns and `[红楼梦]{.书名}`
book titles (Pandoc's bracketed spans: text in CommonMark itself), and backslash escapes (`\\*`, `\\#`, `\\>`) for a
literal mark. Everything else Markdown knows (lists, links, images, tables, code, HTML, other
headings, rules) is a problem reported at its line, never printed as text or silently dropped.

markdown-it finds the structure (which lines make which block, where strong and emphasis runs are);
the text printed is taken from the source lines themselves, so that it is exactly the body with only
the markup removed: convention 9 joins each block's lines (keeping U+3000, which markdown-it's block
rules would strip) before the inline rules read them, and no entity is decoded. A body with no
markup character takes the plain path, which gives exactly the paragraphs of a body before markup
existed (`split_paragraphs`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Sequence

from ..model.story import (BODY, BOOK_TITLE, EMPHASIS, LEAD, PROPER_NOUN, QUOTE, STRONG, SUBHEAD,
                           Block, Paragraph, Run, Subhead, plain_body, plain_paragraph)
from ..util.text import is_chinese, join_lines, split_paragraphs

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


@dataclass(frozen=True)
class Problem:
    """Markup outside the subset: at `line` (0-based, in the body text), what, and how to fix it."""

    line: int
    what: str
    hint: str


@dataclass(frozen=True)
class Parsed:
    blocks: tuple[Block, ...]
    problems: tuple[Problem, ...]


# Anything markdown-it could read as markup: an inline mark character, or a line that opens a list,
# a rule or a setext heading underline. A body without any is plain text (the fast path, checked
# with `in` and a look at each line's first character: a regex over the whole body is 6× slower).
_MARK_CHARS = tuple("*_`#>[]<\\|~")
_LINE_STARTS = frozenset("-+=0123456789")
_MARKUP_LINE = re.compile(r"[ \t]*(?:[-+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|[-=]+[ \t]*$)")


def has_markup(text: str) -> bool:
    if any(mark in text for mark in _MARK_CHARS):
        return True
    for line in text.split("\n"):
        start = line.lstrip(" \t")[:1]
        if start and start in _LINE_STARTS and _MARKUP_LINE.match(line):
            return True
    return False


def parse_body(raw: str) -> Parsed:
    """The body's blocks and every markup problem in it (blocks of a body with problems are
    what could be read; the caller reports the problems instead)."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    if not has_markup(text):
        return Parsed(plain_body(split_paragraphs(text)), ())
    env: dict = {}
    tokens = _parser().parse(text, env)
    walk = _Walk(text.split("\n"))
    walk.blocks_of(tokens)
    if walk.blocks and isinstance(walk.blocks[-1], Subhead):
        walk.problem(walk.subhead_lines[-1], "a subhead ends the body: a subhead heads the text "
                     "after it", "add the text it heads, or remove the subhead")
    for ref in env.get("references", {}).values():
        walk.problem(ref["map"][0], "a link reference definition (`[…]: …`) is not body markup",
                     r"write `\[` to print a [ as text")
    problems = dict.fromkeys(sorted(walk.problems, key=lambda p: p.line))  # `<b>…</b>`: once
    return Parsed(tuple(walk.blocks), tuple(problems))


def parse_lead(raw: str, what: str = "lead") -> tuple[Paragraph | None, tuple[Problem, ...]]:
    """A lead (导语): one paragraph in style `lead` with the body's inline markup (`**strong**`,
    `*emphasis*`, escapes); block markup (a subhead, a quote, a list, …) is a problem at its line.
    Its lines are joined as a body paragraph's (a blank line in it too, as a lead always was).
    None for a text of only spaces (U+3000 too). `what` names the text in messages."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    if not has_markup(text):
        joined = join_lines(text)
        return (None if _blank(joined) else plain_paragraph(joined, LEAD)), ()
    env: dict = {}
    tokens = _parser().parse(text, env)
    walk = _Walk(text.split("\n"), inline_only=what)
    walk.blocks_of(tokens)
    for ref in env.get("references", {}).values():
        walk.problem(ref["map"][0], f"a link reference definition (`[…]: …`) in a {what}",
                     r"write `\[` to print a [ as text")
    problems = tuple(dict.fromkeys(sorted(walk.problems, key=lambda p: p.line)))
    runs: list[Run] = []
    for block in walk.blocks:  # paragraphs only (inline_only): joined as one
        first, *rest = block.runs  # type: ignore[union-attr]
        if runs:
            before, after = runs[-1].text[-1:], first.text[:1]
            gap = "" if is_chinese(before) or is_chinese(after) else " "
            if runs[-1].style == first.style:
                runs[-1] = Run(runs[-1].text + gap + first.text, first.style)
            else:
                runs.append(Run(gap + first.text, first.style))
        else:
            runs.append(first)
        runs.extend(rest)
    blank = _blank("".join(run.text for run in runs))
    return (Paragraph(tuple(runs), LEAD) if not blank else None), problems


def _blank(text: str) -> bool:
    """No character to print: empty, or spaces only (U+3000 included)."""
    return not text.strip(" \t\u3000")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """The parser, imported on first use: a render of plain bodies never loads markdown-it."""
    from .mdparser import body_parser
    return body_parser()


# Block tokens outside the subset: what to say, how to write it as text instead.
_BLOCK_PROBLEMS = {
    "bullet_list_open": ("a bullet list is not body markup",
                         r"write `\-` (or `\+`, `\*`) to print the mark as text"),
    "ordered_list_open": ("a numbered list is not body markup",
                          r"write `1\.` to print the number as text"),
    "fence": ("a code block (```) is not body markup", r"write `\`` to print a backquote"),
    "html_block": ("HTML is not body markup", r"write `\<` to print a < as text"),
    "table_open": ("a table is not body markup",
                   r"set a table as an image module, or write `\|` to print a | as text"),
    "hr": ("a horizontal rule is not body markup", r"write `\-\-\-` to print it as text"),
}

_INLINE_PROBLEMS = {
    "link_open": ("a link (`[…](…)`) is not body markup",
                  r"print the text alone, or write `\[` to print a [ as text", "["),
    "image": ("an image in the body (`![…](…)`) is not body markup",
              r"place a picture with an image module, or write `!\[` to print it as text", "!["),
    "code_inline": ("code (`` `…` ``) is not body markup", r"write `\`` to print a backquote", "`"),
    "html_inline": ("HTML is not body markup", r"write `\<` to print a < as text", "<"),
    "s_open": ("strikethrough (`~~…~~`) is not body markup", r"write `\~` to print a ~ as text",
               "~~"),
}

_STYLE_OF_MARK = {"**": STRONG, "*": EMPHASIS}
# `[…]{.name}`: the span names (Chinese as a desk says them, or English) and their styles
SPAN_STYLES = {"专名": PROPER_NOUN, "name": PROPER_NOUN, "书名": BOOK_TITLE, "書名": BOOK_TITLE,
               "title": BOOK_TITLE, "專名": PROPER_NOUN}
_QUOTE_MARK = re.compile(r"^[ \t]{0,3}>[ \t]?")
_SUBHEAD_MARKS = re.compile(r"^[ \t]{0,3}##(?:[ \t]+|$)|(?:^|[ \t]+)#+[ \t]*$")


class _Walk:
    """Block tokens → model blocks and problems; the text of each block from the source lines."""

    def __init__(self, lines: Sequence[str], *, inline_only: str = ""):
        self.lines = lines
        self.inline_only = inline_only  # "lead", say: paragraphs only, in style `lead`
        self.blocks: list[Block] = []
        self.problems: list[Problem] = []
        self.subhead_lines: list[int] = []  # where each subhead was written

    def problem(self, line: int, what: str, hint: str) -> None:
        self.problems.append(Problem(line, what, hint))

    def blocks_of(self, tokens: list[Token]) -> None:
        i = 0
        while i < len(tokens):
            i = self._block(tokens, i)

    def _block(self, tokens: list[Token], i: int) -> int:
        """Read the block that starts at tokens[i]; the index after it."""
        token = tokens[i]
        end = _close(tokens, i)
        line = token.map[0] if token.map else 0
        if token.type == "paragraph_open":
            self._paragraph(LEAD if self.inline_only else BODY, line,
                            self.lines[line:token.map[1]])
        elif self.inline_only:
            self.problem(line, f"{_block_name(token)} in a {self.inline_only}: a "
                         f"{self.inline_only} takes inline markup only (`**strong**`, "
                         "`*emphasis*`)" if self.inline_only == "lead" else
                         f"{_block_name(token)} in a {self.inline_only}: it takes no markup",
                         _block_hint(token, self.lines[line] if line < len(self.lines) else ""))
        elif token.type == "heading_open":
            self._heading(token, line)
        elif token.type == "blockquote_open":
            self._quote(tokens[i + 1:end], line)
        elif token.type in _BLOCK_PROBLEMS:
            self.problem(line, _BLOCK_PROBLEMS[token.type][0],
                         _block_hint(token, self.lines[line] if line < len(self.lines) else ""))
        else:  # nothing else comes out of the parser as configured; never print it unread
            self.problem(line, f"{token.type.removesuffix('_open')} is not body markup",
                         "write it as plain text")
        return end + 1

    def _heading(self, token: Token, line: int) -> None:
        if token.markup in ("=", "-"):
            self.problem(line, f"a heading underlined with {token.markup * 3} is not body markup",
                         f"write `## 小标题` for a subhead, or `\\{token.markup}` to print the line "
                         "as text")
            return
        if token.markup != "##":
            self.problem(line, f"a level-{len(token.markup)} heading (`{token.markup} `) is not "
                         "body markup: a subhead is `## `",
                         r"write `## 小标题` for a subhead, or `\#` to print a # as text")
            return
        text = join_lines(_SUBHEAD_MARKS.sub("", self.lines[line]))
        runs = self._runs(text, SUBHEAD, line, [self.lines[line]])
        if runs is None:
            return
        if not runs:
            self.problem(line, "a subhead with no text", r"write `## 小标题`, or `\#` to print a #")
        elif any(run.style != SUBHEAD for run in runs):
            self.problem(line, "a subhead is set in its own style: no **strong** or *emphasis* "
                         "inside it", r"remove the marks, or write `\*` to print an asterisk")
        else:
            self.blocks.append(Subhead("".join(run.text for run in runs)))
            self.subhead_lines.append(line)

    def _quote(self, inner: list[Token], line: int) -> None:
        i = 0
        while i < len(inner) - 1:  # the last token closes the quote
            token = inner[i]
            end = _close(inner, i)
            at = token.map[0] if token.map else line
            if token.type == "paragraph_open":
                source = [_QUOTE_MARK.sub("", s, count=1) for s in self.lines[at:token.map[1]]]
                self._paragraph(QUOTE, at, source)
            elif token.type == "blockquote_open":
                self.problem(at, "a quote inside a quote is not body markup",
                             r"write `\>` to print a > as text")
            else:
                self.problem(at, "a quote holds paragraphs only (" +
                             _BLOCK_PROBLEMS.get(token.type, (f"{token.type}",))[0] + ")",
                             _BLOCK_PROBLEMS.get(token.type, ("", "write it as plain text"))[1])
            i = end + 1

    def _paragraph(self, style: str, line: int, source: Sequence[str]) -> None:
        text = join_lines("\n".join(source))
        runs = self._runs(text, style, line, source)
        if runs:
            self.blocks.append(Paragraph(tuple(runs), style))

    def _runs(self, text: str, style: str, line: int, source: Sequence[str]) -> list[Run] | None:
        """The runs of one block's text (its lines already joined), or None after a problem."""
        children = _parser().parseInline(text)[0].children or []
        runs: list[Run] = []
        current: list[str] = []
        styles = [style]
        bad = False

        def flush() -> None:
            joined = "".join(current)
            if joined:
                runs.append(Run(joined, styles[-1]))
            current.clear()

        for child in children:
            kind = child.type
            if kind == "text":
                if "*" in child.content:
                    bad = self._inline_problem(line, source, "*", (
                        "a `*` that opens or closes no emphasis",
                        r"close it (`*…*`, `**…**`) or write `\*` to print an asterisk"))
                current.append(child.content)
            elif kind == "text_special":  # a backslash escape
                current.append(child.content)
            elif kind in ("strong_open", "em_open"):
                if child.markup not in _STYLE_OF_MARK:
                    bad = self._inline_problem(line, source, child.markup, (
                        f"emphasis with `{child.markup}` is not body markup: use `*…*` or "
                        "`**…**`", r"write `\_` to print an underscore"))
                elif len(styles) > 1:
                    bad = self._inline_problem(line, source, child.markup, (
                        "strong and emphasis inside each other: one style at a time",
                        "close the first before opening the other"))
                flush()
                styles.append(_STYLE_OF_MARK.get(child.markup, styles[-1]))
            elif kind == "mark_open":
                bad = self._span_problem(child, len(styles) > 1, line, source) or bad
                flush()
                styles.append(SPAN_STYLES.get(child.meta.get("name", ""), styles[-1]))
            elif kind in ("strong_close", "em_close", "mark_close"):
                flush()
                if len(styles) > 1:
                    styles.pop()
            elif kind in ("softbreak", "hardbreak"):  # not after join_lines; a space if ever
                current.append(" ")
            elif kind in _INLINE_PROBLEMS:
                what, hint, needle = _INLINE_PROBLEMS[kind]
                bad = self._inline_problem(line, source, needle, (what, hint))
            elif kind.endswith("_close"):
                continue
            else:
                bad = self._inline_problem(line, source, "", (f"{kind} is not body markup",
                                                              "write it as plain text"))
        flush()
        return None if bad else runs

    def _span_problem(self, child: Token, nested: bool, line: int,
                      source: Sequence[str]) -> bool:
        """Whether a `[…]{.name}` span is a problem (recorded): an unknown name, or nested."""
        if child.meta.get("name", "") not in SPAN_STYLES:
            return self._inline_problem(line, source, child.markup, (
                f"a span `[…]{child.markup}` is not body markup: `{{.专名}}` marks a proper "
                "noun, `{.书名}` a book title", r"write `\[` to print a [ as text"))
        if nested:
            return self._inline_problem(line, source, child.markup, (
                "a marked span inside another style (or span): one style at a time",
                "close the first before opening the other"))
        return False

    def _inline_problem(self, line: int, source: Sequence[str], needle: str,
                        message: tuple[str, str]) -> bool:
        """Record an inline problem at the first source line of the block that has `needle`."""
        at = next((k for k, s in enumerate(source) if needle and needle in s), 0)
        self.problem(line + at, *message)
        return True



def _block_name(token: Token) -> str:
    if token.type == "heading_open":
        return "a subhead (`## `)" if token.markup == "##" else "a heading"
    if token.type == "blockquote_open":
        return "a quote (`> `)"
    what = _BLOCK_PROBLEMS.get(token.type, (token.type.removesuffix("_open"),))[0]
    return what.removesuffix(" is not body markup")


def _block_hint(token: Token, source: str = "") -> str:
    if token.type == "heading_open":
        return r"put the subhead in the body, or write `\#` to print a # as text"
    if token.type == "blockquote_open":
        return r"put the quote in the body, or write `\>` to print a > as text"
    if token.type == "hr" and source.strip():  # the rule as written (`***`, `- - -`), escaped
        marks = "".join(chr(92) + c for c in source if not c.isspace())
        return f"write `{marks}` to print it as text"
    return _BLOCK_PROBLEMS.get(token.type, ("", "write it as plain text"))[1]


def _close(tokens: list[Token], i: int) -> int:
    """The index of the token closing the block opened at tokens[i] (itself if it opens none)."""
    if tokens[i].nesting != 1:
        return i
    level = tokens[i].level
    for j in range(i + 1, len(tokens)):
        if tokens[j].nesting == -1 and tokens[j].level == level:
            return j
    return len(tokens) - 1
