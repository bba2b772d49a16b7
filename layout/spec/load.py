"""Load an issue spec (YAML, format v1) into the frozen model of `layout.model`.

Reading top to bottom: compose the YAML, within limits (yamlread.py); check `spec_version` first (a
newer spec may have keys this one does not know); validate the whole spec against the JSON schema
generated from the key tables, recording every problem at its YAML node in the loader's own words
(structure.py); then convert section by section (sections.py, pages.py, articles.py; values by the
converters of convert.py, which also check files), with the checks a schema cannot express: grid,
overlaps, chains (checks.py), references (pages.py). Every independent problem is collected and all
are raised at the end as one error, in file order (problems.py, `errors.SpecProblems`); messages read
`file:line: key.path: what is wrong` with an optional hint line (docs/spec.md, "Errors").
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from ..util.locale import wording
from ..model.issue import Header, Image, Index, Issue, Jumps, Output, Paper, Typography
from ..util.errors import spec_problems
from .articles import bodies_problem, read_article
from .checks import LastPage, chain_problems
from .convert import SPEC_VERSIONS, body_size, spec_version
from .nodes import Item, first_pairs, given_value, mapping_pairs
from .pages import read_pages
from .problems import FAILED, SpecContext, attempt, in_file_order
from .sections import read_fonts, read_format, read_grid, read_issue, read_records, read_styles, record_builder
from .shapes import record_of
from .structure import check_structure
from .tables import IMAGE, INDEX, JUMPS, OUTPUT, PAPER, TYPOGRAPHY
from .additions import Additions
from .yamlread import compose_spec
from .datatables import read_header, read_table, row_count_problems, table_chain_problems


def load_issue(path: str | Path) -> Issue:
    """Read and check an issue spec. Raises SpecError (with file, line and key path) on any mistake."""
    root = compose_spec(str(path), Path(path))
    version = read_spec_version(root)
    check_structure(root)  # then everything the JSON schema says: types, units, keys
    return _Loader(root.ctx, first_pairs(root)).load(version)


def read_spec_version(root: Item) -> int:
    """`spec_version`, read before anything else: a newer spec may have keys this one does not know."""
    found = [value for key, value in mapping_pairs(root) if key == "spec_version"]
    if not found:
        root.fail('missing required key "spec_version"', f"this Broadsheet reads spec_version {SPEC_VERSIONS[-1]}")
    return spec_version(found[0])


class _Loader:
    """Converts the root sections, each on its own; sections that depend on others come after them.

    What depends on a part that failed is not checked: without `styles.body.size` (the em) neither
    `format`, `styles` nor `pages`; without the format or the styles no module's place on the grid;
    without every page and module no chain; a module that names a broken article, image or index is
    not told that it does not exist."""

    def __init__(self, ctx: SpecContext, sections: dict[str, Item]):
        self.ctx = ctx
        self.sections = sections

    def section(self, key: str) -> Item | None:
        return given_value(self.sections, key)

    def load(self, version: int) -> Issue:
        ctx, section = self.ctx, self.section
        self.read_em()
        added = Additions(ctx, section)
        added.read_colours()  # before the styles and pages, whose colour: keys name them
        # A required section that is missing has been reported: it counts as failed (`FAILED`).
        paper = attempt(ctx, section("paper"), record_of(Paper, PAPER), FAILED)
        issue_read = attempt(ctx, section("issue"), read_issue, FAILED)
        issue, last_page = (FAILED, LastPage(None, None)) if issue_read is FAILED else issue_read
        fonts = attempt(ctx, section("fonts"), read_fonts, FAILED)
        fmt, styles, grid = self.read_geometry(fonts)
        typography = attempt(ctx, section("typography"), record_of(Typography, TYPOGRAPHY), Typography())
        jumps = attempt(ctx, section("jumps"), record_of(Jumps, JUMPS), Jumps())
        if paper is not FAILED and jumps is not FAILED:
            jumps = jumps_in_locale(jumps, section("jumps"), paper)
        output = attempt(ctx, section("output"), record_of(Output, OUTPUT), Output())
        images = read_records(ctx, section("images"), record_builder(Image, IMAGE))
        indexes = read_records(ctx, section("indexes"), record_builder(Index, INDEX))
        for problem in last_page.index_problems(section("indexes"), indexes.records):
            ctx.record(problem)
        articles = read_records(ctx, section("articles"), read_article)
        total_problem = bodies_problem(section("articles"), articles.records)
        if total_problem is not None:
            ctx.record(total_problem)
        tables = read_records(ctx, section("tables"), read_table)
        for problem in row_count_problems(section("tables")):
            ctx.record(problem)  # twice when read_table found it too: in_file_order keeps one
        header = attempt(ctx, section("header"), read_header, Header())
        ads = added.read_ads()
        refs = {"article": articles, "continue": articles, "image": images, "index": indexes,
                "table": tables, "table_continue": tables, "ad": ads}
        pages = FAILED
        if ctx.em is not None:
            pages = read_pages(ctx, section("pages"), None if grid is FAILED else grid, refs, last_page)
        pages = added.place_ads(pages, fmt, styles, grid)
        if pages is not FAILED and articles.readable:
            for problem in chain_problems(pages, articles.records):
                ctx.record(problem)
        if pages is not FAILED:
            for problem in table_chain_problems(ctx, pages):
                ctx.record(problem)
        if ctx.problems:
            raise spec_problems(in_file_order(ctx.problems))
        parts = (paper, issue, fmt, fonts, styles, typography, jumps, output, pages, header)
        assert all(part is not FAILED for part in parts), "a part failed without a problem"
        return Issue(
            source=Path(ctx.file).resolve(), spec_version=version, paper=paper, issue=issue, format=fmt,
            fonts=fonts, styles=styles, typography=typography, jumps=jumps, pages=pages,
            images=images.records, indexes=indexes.records, articles=articles.records, output=output,
            tables=tables.records, header=header,
            **added.issue_fields(),
        )

    def read_em(self) -> None:
        """`styles.body.size`, the em: read before any other length, which may be given in em."""
        body = first_pairs(self.section("styles")).get("body")
        em = attempt(self.ctx, first_pairs(body).get("size"), body_size)
        self.ctx.em = None if em is FAILED else em

    def read_geometry(self, fonts: Any) -> tuple[Any, Any, Any]:
        """The format, the styles and the grid they define (`FAILED` each, when it cannot be read)."""
        ctx, section = self.ctx, self.section
        fmt = styles = grid = FAILED
        if ctx.em is not None:  # lengths in em can be converted
            fmt = attempt(ctx, section("format"), read_format, FAILED)
            styles = attempt(ctx, section("styles"), lambda item: read_styles(ctx, item, fonts, fmt), FAILED)
        if fmt is not FAILED and styles is not FAILED:
            grid = attempt(ctx, section("styles"), lambda item: read_grid(item, fmt, styles["body"]))
        return fmt, styles, grid


def jumps_in_locale(jumps: Jumps, item: Item | None, paper: Paper) -> Jumps:
    """The jump wording the spec left out, in the paper's locale (（轉第二版）in Traditional)."""
    words = wording(paper.locale)
    given = set() if item is None or not isinstance(item.node, yaml.MappingNode) else \
        {key for key, value in mapping_pairs(item) if not value.is_null}
    return replace(jumps, to=jumps.to if "to" in given else words.jump_to,
                   from_=jumps.from_ if "from" in given else words.jump_from)
