"""The issue model: frozen data produced by `spec.load_issue` and read by every later stage.

All lengths are in PostScript points (pt). Grid positions (`col`, `line`) are 1-based, as in the spec.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Mapping

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


@dataclass(frozen=True)
class Module:
    kind: ModuleKind
    ref: str | None  # story, image or index id; None for the masthead
    col: int
    line: int
    cols: int
    lines: int
    headline_size: float | None = None
    source: SourceRef | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Page:
    number: int
    section: str | None
    modules: tuple[Module, ...]
    source: SourceRef | None = field(default=None, compare=False)


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
    paragraphs: tuple[str, ...]  # text convention 9 applied: blank-line split, line breaks joined
    kicker: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    source: SourceRef | None = field(default=None, compare=False)


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
)
