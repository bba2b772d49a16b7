"""The issue model: frozen data produced by `spec.load_issue` and read by every later stage.

All lengths are in PostScript points (pt). Grid positions (`col`, `line`) are 1-based, as in the spec.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Iterator, Literal, Mapping

from ..util.locale import Era, Locale
from .story import Block, Paragraph, block_texts
from .wrap import StoryLayout
from .writing import HORIZONTAL, Writing

ModuleKind = Literal["masthead", "article", "continue", "image", "index",
                     "table", "table_continue", "rule", "ad"]


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
    locale: Locale = "zh-Hans"  # the furniture's wording (util/locale.py)
    logo: "Logo | None" = None  # 报头 artwork (PDF or PNG) drawn instead of setting `name`


@dataclass(frozen=True)
class IssueInfo:
    date: dt.date
    number: int | None = None
    pages_total: int | None = None
    era: Era = "gregorian"  # "roc": the masthead dates the issue 中華民國N年


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
    colour: Colour | None = None  # None: black (the masthead styles: red)
    inset: float = 0.0  # every line set this far in from the column's start edge (quote blocks)
    # "dots": 着重号 under each character (emphasis); "line": 专名号, a straight line under the
    # characters (left of a vertical line); "wave": 书名号 of the wavy kind, placed as "line"
    mark: Literal["none", "dots", "line", "wave"] = "none"


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
    box: Box | None = None  # a rule and/or tint around the module (Broadsheet addition)

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
    # 套红 for this module's headline only (a desk reddens the lead story, not the page's every
    # headline); None: the headline (or continued_headline) style's colour
    headline_colour: Colour | None = None
    layout: StoryLayout = StoryLayout()  # photos, pull quote, body columns (model/wrap.py)
    writing: Writing = HORIZONTAL  # direction, headline direction, tiers (model/writing.py)
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
                   headline_size: float | None = None, source: SourceRef | None = None,
                   box: Box | None = None, writing: Writing = HORIZONTAL,
                   headline_colour: Colour | None = None) -> Module:
    """The module type the spec's kind key names (what the loader builds from a module entry)."""
    where = {"col": col, "line": line, "cols": cols, "lines": lines, "source": source, "box": box}
    if kind == "ad":
        return AdModule(ad=_ref(kind, ref), **where)
    if kind == "masthead":
        return MastheadModule(**where)
    if kind == "image":
        return ImageModule(image=_ref(kind, ref), **where)
    if kind == "index":
        return IndexModule(index=_ref(kind, ref), **where)
    if kind in MORE_KINDS:  # tables and rules (defined after the Issue below)
        return MORE_KINDS[kind](ref, where)
    story = ArticleModule if kind == "article" else ContinueModule if kind == "continue" else None
    if story is None:
        raise ValueError(f"unknown module kind {kind!r}")
    return story(story=_ref(kind, ref), headline_size=headline_size,
                 headline_colour=headline_colour, writing=writing, **where)


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
    label: str | None = None  # `A3`: the page's name in the header, jump lines and index boxes

    @property
    def name(self) -> str:
        """The page as a reader finds it: its label, else its number (arabic)."""
        return self.label or str(self.number)

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
    # 导语: above the body, under the headline block: a paragraph in style `lead`, whose runs may
    # be `strong` or `emphasis` (set at the lead's size)
    lead: Paragraph | None = None
    lead_cols: int | None = None  # body columns the lead spans; None: the module's full width
    lead_source: SourceRef | None = field(default=None, compare=False)
    lead_cols_source: SourceRef | None = field(default=None, compare=False)

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
    tables: Mapping[str, "Table"] = field(default_factory=dict)
    header: "Header" = field(default_factory=lambda: Header())
    colours: Mapping[str, Colour] = field(default_factory=dict)
    ads: Mapping[str, Ad] = field(default_factory=dict)
    ad_tolerance: float = 72 / 25.4  # pt (1 mm): AD_TOLERANCE
    notes: tuple[str, ...] = ()  # warnings found while loading (an ad placed smaller, a snapped size)


# Style names a spec may set. The first six are those of format v1; the rest are Broadsheet additions
# with defaults derived from the body and headline styles (see docs/spec.md).
STYLE_NAMES = (
    "body", "kicker", "headline", "subtitle", "byline", "caption",
    "jump", "continued_headline", "index_title", "index_item", "index_small", "header",
    "masthead", "masthead_small",
    "subhead", "strong", "emphasis", "quote", "lead", "pull_quote",
    "proper_noun", "book_title",
)


# --- Tables, rules, the logo and the page header's options (issue 16) ------------------------------

@dataclass(frozen=True)
class Logo:
    """The masthead's artwork: a PDF page or an SVG (drawn as a vector form; an SVG converted to
    a PDF page first) or a picture, and its size (pt for a PDF's trim box, pixels for a picture:
    only the proportions matter)."""

    file: Path
    kind: Literal["pdf", "svg", "image"]
    width: float
    height: float


TableAlign = Literal["left", "right", "center", "decimal"]
RuleStyle = Literal["solid", "double", "thick-thin"]


@dataclass(frozen=True)
class TableColumn:
    title: str = ""
    align: TableAlign = "left"


@dataclass(frozen=True)
class Table:
    """A table of text cells (`tables.<id>`): a header row of column titles, then rows of cells,
    one text per column; a note (source, units) under it."""

    id: str
    columns: tuple[TableColumn, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str | None = None
    style: str = "body"  # the cells' style
    head_style: str = "headline"  # the header row's font (at the cells' size)
    rules: Literal["rows", "none"] = "rows"  # hairlines between rows
    zebra: float | None = None  # a tint (0–1 of black) on every other row
    source: SourceRef | None = field(default=None, compare=False)


@dataclass(frozen=True)
class RuleSpec:
    """A rule as a desk orders it: weight, style, colour (a colour of `colours:`; None: black)."""

    weight: float = 1.0
    style: RuleStyle = "solid"
    colour: Colour | None = None


@dataclass(frozen=True, kw_only=True)
class TablePart(Module):
    """A module of a table's chain: the header row, then the rows that fall to it."""

    table: str
    continued: ClassVar[bool] = False

    @property
    def ref(self) -> str | None:
        return self.table


@dataclass(frozen=True, kw_only=True)
class TableModule(TablePart):
    """A table's first module (`table:`)."""

    kind: ClassVar[ModuleKind] = "table"


@dataclass(frozen=True, kw_only=True)
class TableContinueModule(TablePart):
    """A later module of a table (`table_continue:`): the rows the modules before had no room for,
    under the header row again."""

    kind: ClassVar[ModuleKind] = "table_continue"
    continued: ClassVar[bool] = True


@dataclass(frozen=True, kw_only=True)
class RuleModule(Module):
    """A rule across its module (通栏 or column-wide), centred in the module's height."""

    kind: ClassVar[ModuleKind] = "rule"
    rule: RuleSpec = RuleSpec()


@dataclass(frozen=True)
class Header:
    """The 报眉 of pages after the first. `outside`/`inside`: templates for the edge away from and
    towards the fold (None: the page and section / the paper and date); `rule`: under it, or None."""

    outside: str | None = None
    inside: str | None = None
    rule: RuleSpec | None = RuleSpec(0.75)


MORE_KINDS = {
    "table": lambda ref, where: TableModule(table=_ref("table", ref), **where),
    "table_continue": lambda ref, where: TableContinueModule(table=_ref("table_continue", ref),
                                                             **where),
    "rule": lambda ref, where: RuleModule(rule=ref if isinstance(ref, RuleSpec) else RuleSpec(),
                                          **where),
}
# --- Colours, boxes and ads (Broadsheet additions, issue 16) -------------------------------------

AD_TOLERANCE = 72 / 25.4  # pt: 1 mm, how far an ad's size may differ from its module's


@dataclass(frozen=True)
class Colour:
    """A named colour of `colours:`: process CMYK (per cent), or a spot ink printed on its own
    plate with the CMYK it is proofed as (`spot` is the ink's name, e.g. "PANTONE 485 C")."""

    name: str
    cmyk: tuple[float, float, float, float]  # 0–100 each
    spot: str | None = None


BLACK_COLOUR = Colour("K", (0.0, 0.0, 0.0, 100.0))
BoxStyle = Literal["solid", "double", "dashed", "花边"]


@dataclass(frozen=True)
class Box:
    """`box:` of a module: a rule round it, a tint behind it, the room between them and the text."""

    rule: float = 0.5  # pt; 0: no rule
    style: BoxStyle = "solid"
    tint: float = 0.0  # 0–1 of `colour`
    colour: Colour = BLACK_COLOUR
    padding: float = 0.0  # pt, on every side; the top and bottom rounded up to whole grid lines
    pattern: Literal["squares", "bars", "ticks"] = "squares"  # the 花边 border's repeated figure


@dataclass(frozen=True)
class Ad:
    """An advertisement of `ads:` (or a row of `ads_from:`): a PDF page or an image, placed as it is."""

    id: str
    file: Path  # absolute
    client: str | None = None
    page: int = 1  # the PDF page
    fit: Literal["exact", "contain"] = "exact"
    width: float = 0.0  # its printed size, pt (a PDF's TrimBox, an image at its ppi)
    height: float = 0.0
    kind: Literal["pdf", "image"] = "pdf"
    source: SourceRef | None = field(default=None, compare=False)


@dataclass(frozen=True, kw_only=True)
class AdModule(Module):
    kind: ClassVar[ModuleKind] = "ad"
    ad: str  # an id in Issue.ads

    @property
    def ref(self) -> str | None:
        return self.ad
