"""The issue model: frozen data produced by `spec.load_issue` and read by every later stage.

All lengths are in PostScript points (pt). Grid positions (`col`, `line`) are 1-based, as in the spec.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Iterator, Literal, Mapping

from .story import Block, block_texts

ModuleKind = Literal["masthead", "article", "continue", "image", "index"]


@dataclass(frozen=True)
class SourceRef:
    """Where a spec item was written, for messages about it after loading (overset, missing glyphs)."""

    file: str
    line: int  # 1-based
    path: str  # key path, e.g. "pages[0].modules[3]"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.path}"


@dataclass(frozen=True)
class Paper:
    name: str
    name_latin: str | None = None
    organ_of: str | None = None
    rating: str | None = None
    serial: str | None = None
    sponsor: str | None = None
    publisher: str | None = None
    editor_in_chief: str | None = None


@dataclass(frozen=True)
class IssueInfo:
    date: dt.date
    number: int | None = None
    pages_total: int | None = None


@dataclass(frozen=True)
class Format:
    trim_width: float
    trim_height: float
    bleed: float
    margin_top: float
    margin_bottom: float
    margin_inside: float
    margin_outside: float
    columns: int
    gutter: float
    column_rules: bool = False


@dataclass(frozen=True)
class Style:
    font: str  # a role in Issue.fonts
    size: float
    leading: float | None = None  # None: 1.2 × size where a leading is needed
    indent: float = 0.0
    inset: float = 0.0  # every line set this far in from the column's start edge (quote blocks)
    mark: Literal["none", "dots"] = "none"  # "dots": 着重号 under each character (emphasis)


@dataclass(frozen=True)
class Typography:
    fullwidth_punctuation: bool = False
    prohibition: Literal["none", "basic", "gb", "strict"] = "basic"
    latin_spacing: float = 0.25  # Han–Latin gap, in em of the text's size
    missing_glyphs: Literal["error", "warn"] = "error"


@dataclass(frozen=True)
class Jumps:
    to: str = "（下转第{page}版）"
    from_: str = "（上接第{page}版）"
    numerals: Literal["chinese", "arabic"] = "chinese"


@dataclass(frozen=True)
class Output:
    """Press output (Broadsheet addition): `standard: pdf/x-4` asks for PDF/X-4, as `--pdfx` does."""

    standard: Literal["none", "pdf/x-4"] = "none"
    profile: Path | None = None  # CMYK output profile; None: the bundled newsprint profile
    ink_limit: float = 240.0  # total ink, %; enforced with the bundled profile, checked with another


@dataclass(frozen=True, kw_only=True)
class Module:
    """A rectangle of whole grid cells on a page (convention 4); what it holds is its type.
    `kind` names the type as the spec writes it; `ref` is the id of what it holds (None for the
    masthead)."""

    kind: ClassVar[ModuleKind]
    col: int
    line: int
    cols: int
    lines: int
    source: SourceRef | None = field(default=None, compare=False)

    @property
    def ref(self) -> str | None:
        return None


@dataclass(frozen=True, kw_only=True)
class MastheadModule(Module):
    kind: ClassVar[ModuleKind] = "masthead"


@dataclass(frozen=True, kw_only=True)
class StoryModule(Module):
    """A module of a story's chain: its headline block, then body columns."""

    story: str  # the article id
    headline_size: float | None = None  # None: the headline (or continued_headline) style's size
    continued: ClassVar[bool] = False

    @property
    def ref(self) -> str | None:
        return self.story


@dataclass(frozen=True, kw_only=True)
class ArticleModule(StoryModule):
    """The story's first module (`article:`)."""

    kind: ClassVar[ModuleKind] = "article"


@dataclass(frozen=True, kw_only=True)
class ContinueModule(StoryModule):
    """A later module of the story (`continue:`): jump lines tie it to the part before."""

    kind: ClassVar[ModuleKind] = "continue"
    continued: ClassVar[bool] = True


@dataclass(frozen=True, kw_only=True)
class ImageModule(Module):
    kind: ClassVar[ModuleKind] = "image"
    image: str  # an id in Issue.images

    @property
    def ref(self) -> str | None:
        return self.image


@dataclass(frozen=True, kw_only=True)
class IndexModule(Module):
    kind: ClassVar[ModuleKind] = "index"
    index: str  # an id in Issue.indexes

    @property
    def ref(self) -> str | None:
        return self.index


def module_of_kind(kind: ModuleKind, ref: str | None, col: int, line: int, cols: int, lines: int,
                   headline_size: float | None = None, source: SourceRef | None = None) -> Module:
    """The module type the spec's kind key names (what the loader builds from a module entry)."""
    where = {"col": col, "line": line, "cols": cols, "lines": lines, "source": source}
    if kind == "masthead":
        return MastheadModule(**where)
    if kind == "image":
        return ImageModule(image=_ref(kind, ref), **where)
    if kind == "index":
        return IndexModule(index=_ref(kind, ref), **where)
    story = ArticleModule if kind == "article" else ContinueModule if kind == "continue" else None
    if story is None:
        raise ValueError(f"unknown module kind {kind!r}")
    return story(story=_ref(kind, ref), headline_size=headline_size, **where)


def _ref(kind: str, ref: str | None) -> str:
    if ref is None:
        raise ValueError(f"a {kind} module needs the id of what it holds")
    return ref


@dataclass(frozen=True, order=True)
class ModuleId:
    """A module's identity in an issue: its page and its place in that page's module list (spec
    order, 0-based). Stable for a loaded issue, and the key plans and reports use."""

    page: int
    index: int

    def __str__(self) -> str:
        return f"p{self.page}.m{self.index}"


@dataclass(frozen=True)
class Page:
    number: int
    section: str | None
    modules: tuple[Module, ...]
    source: SourceRef | None = field(default=None, compare=False)

    def module_ids(self) -> Iterator[tuple[ModuleId, Module]]:
        for index, module in enumerate(self.modules):
            yield ModuleId(self.number, index), module


@dataclass(frozen=True)
class Image:
    id: str
    file: Path  # absolute (resolved against the spec's folder)
    caption: str | None = None
    source: SourceRef | None = field(default=None, compare=False)


@dataclass(frozen=True)
class IndexItem:
    headline: str
    kicker: str | None = None
    subtitle: str | None = None
    page: int | None = None


@dataclass(frozen=True)
class Index:
    id: str
    title: str | None
    items: tuple[IndexItem, ...]
    source: SourceRef | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Article:
    id: str
    headline: str | None
    body: tuple[Block, ...]  # text convention 9 applied: blank-line split, line breaks joined
    kicker: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    source: SourceRef | None = field(default=None, compare=False)

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The text of each text block (paragraph, quote or subhead), in order, markup removed:
        what text checks compare with (every character of the body once)."""
        return block_texts(self.body)


@dataclass(frozen=True)
class Issue:
    source: Path  # the spec file
    spec_version: int
    paper: Paper
    issue: IssueInfo
    format: Format
    fonts: Mapping[str, str]  # role -> face full name, or an absolute font file path
    styles: Mapping[str, Style]  # always has every name in STYLE_NAMES (defaults filled in)
    typography: Typography
    jumps: Jumps
    pages: tuple[Page, ...]
    images: Mapping[str, Image]
    indexes: Mapping[str, Index]
    articles: Mapping[str, Article]
    output: Output = field(default_factory=Output)


# Style names a spec may set. The first six are those of format v1; the rest are Broadsheet additions
# with defaults derived from the body and headline styles (see docs/spec.md).
STYLE_NAMES = (
    "body", "kicker", "headline", "subtitle", "byline", "caption",
    "jump", "continued_headline", "index_title", "index_item", "index_small", "header",
    "masthead", "masthead_small",
    "subhead", "strong", "emphasis", "quote", "lead", "pull_quote",
)
