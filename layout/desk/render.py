"""One render, end to end: spec file → checks → PDF file. The CLI and tests call this."""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator

import yaml

from ..util.errors import FontError, LayoutError, SpecError
from ..fonts.book import FontBook, default_cache_dir
from ..pages.placers import image_error
from ..pages.planner import plan_issue
from ..util.atomic import OutputError, sweep_stale, write_atomically
from .batch import page_pdf_name
from ..press.pdf import render_pdf
from ..model.issue import Issue
from ..pages.plan import EditionPlan, Picture
from ..spec.load import load_issue

_FONTBOOK: FontBook | None = None


def shared_fontbook() -> FontBook:
    """One FontBook per process: a batch of specs loads each face once."""
    global _FONTBOOK
    if _FONTBOOK is None:
        _FONTBOOK = FontBook()
    return _FONTBOOK


@dataclass(frozen=True)
class RenderResult:
    output: Path
    pages: int
    plan: EditionPlan
    warnings: tuple[str, ...]


def overset_message(spec: Path, plan: EditionPlan) -> str:
    """One line per overset story, at the last module of its chain (where room must be found)."""
    return "\n".join(
        f"{fit.source or spec}: story {fit.story!r} is overset by {_n(fit.overset_chars, 'character')} "
        f"({_n(fit.overset_lines, 'line')}) after its last module on page {fit.modules[-1][0]}"
        for fit in plan.overset)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def missing_message(spec: Path, plan: EditionPlan, limit: int = 6) -> str:
    """One line per piece of text with characters no font has, at the spec item that holds it."""
    by_where: dict[str, list] = {}
    for m in plan.missing:
        by_where.setdefault(m.where, []).append(m)
    lines = []
    for where, found in list(by_where.items())[:limit]:
        chars = ", ".join(f"U+{ord(m.char):04X} {m.char!r}" for m in found[:8])
        more = f" and {len(found) - 8} more" if len(found) > 8 else ""
        lines.append(f"{found[0].source or spec}: {where}: characters missing from "
                     f"{found[0].font}: {chars}{more}")
    if len(by_where) > limit:
        lines.append(f"{spec}: and {len(by_where) - limit} more texts with missing characters")
    return "\n".join(lines)


def _key_line(spec: Path, keys: list[str]) -> int | None:
    """The line of a key in the spec, for errors found after loading (a font that cannot be found)."""
    try:
        node = yaml.compose(spec.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError):
        return None
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            return None
        node = next((v for k, v in node.value if k.value == key), None)
        if node is None:
            return None
    return node.start_mark.line + 1


def _has_pictures(plan: EditionPlan) -> bool:
    return any(isinstance(item, Picture) for page in plan.pages for item in page.items)


def _press_pictures(spec: Path, issue: Issue, plan: EditionPlan, warnings: list[str]) -> EditionPlan:
    """The plan with its photos in CMYK (`_cmyk_pictures`), a conversion problem worded at the image
    or at output.profile. press.colour, and with it Pillow, is imported only for an edition that
    has pictures (~15 ms a process otherwise)."""
    if not _has_pictures(plan):
        return plan
    from ..press.colour import NEWSPRINT_PROFILE, ColourError

    try:
        return _cmyk_pictures(plan, issue.output.profile or NEWSPRINT_PROFILE,
                              issue.output.ink_limit, warnings)
    except ColourError as e:
        image = next((i for i in issue.images.values() if e.image is not None and i.file == e.image), None)
        if image is not None:
            raise image_error(image, str(e).removeprefix(f"{e.image}: ")) from None
        raise SpecError(str(spec), _key_line(spec, ["output", "profile"]), "output.profile",
                        str(e), "give a CMYK output profile (.icc)") from None


def _cmyk_pictures(plan: EditionPlan, profile: Path, ink_limit: float,
                   warnings: list[str]) -> EditionPlan:
    """Photos go to press in CMYK through the output profile, within the total-ink limit; those
    under MIN_DPI at their placed size are reported (press-friendly colour on every render)."""
    from ..press.colour import MIN_DPI, NEWSPRINT_PROFILE, convert_to_cmyk, effective_dpi, print_size
    from ..util.imagefile import image_size

    cache = default_cache_dir() / "images"
    enforce = profile == NEWSPRINT_PROFILE  # a user's own profile is checked, not enforced
    pages = []
    for page in plan.pages:
        items = []
        for item in page.items:
            if isinstance(item, Picture):
                result = convert_to_cmyk(item.file, profile, ink_limit, cache, enforce=enforce,
                                         size=print_size((item.place.w, item.place.h)))
                if not result.within_limit:
                    warnings.append(result.message(item.file.name))
                dpi = effective_dpi(image_size(item.file), (item.place.w, item.place.h))
                if dpi < MIN_DPI - 0.5:  # 200 ppi recorded in pHYs reads back as 199.9994
                    warnings.append(f"page {page.number}: image {item.file.name} is {dpi:.0f} dpi "
                                    f"at its placed size (under {MIN_DPI:.0f})")
                item = replace(item, file=result.path, source=item.file.name)
            items.append(item)
        pages.append(replace(page, items=tuple(items)))
    return replace(plan, pages=tuple(pages))


def plan_spec(spec: Path, fontbook: FontBook | None = None) -> tuple[Issue, EditionPlan]:
    """Load and plan a spec, without judging overset or missing glyphs (the report shows them; a
    render refuses them). A font a spec names that cannot be found is a spec error at its key."""
    issue = load_issue(spec)
    return issue, _plan(spec, issue, fontbook)


def _plan(spec: Path, issue: Issue, fontbook: FontBook | None) -> EditionPlan:
    with fonts_named_at(spec):
        return plan_issue(issue, fontbook or shared_fontbook())


@contextmanager
def fonts_named_at(spec: Path) -> Iterator[None]:
    """A face a spec names that cannot be found or loaded becomes a spec error at `fonts.<role>`."""
    try:
        yield
    except FontError as e:
        if e.role is None:
            raise
        raise SpecError(str(spec), _key_line(spec, ["fonts", e.role]), f"fonts.{e.role}",
                        e.message, e.hint) from None


def input_files(spec: Path, issue: Issue) -> list[tuple[Path, str]]:
    """Every file a render reads, with what it is: the spec, its photos, the fonts it names by
    path, its output profile."""
    files = [(spec, "the spec itself")]
    files += [(image.file, f"the image file of images.{key}") for key, image in issue.images.items()]
    files += [(ad.file, f'the file of ad "{key}"') for key, ad in issue.ads.items()]
    for role, name in issue.fonts.items():
        base, sep, index = name.rpartition("#")
        path = base if sep and index.isdigit() else name
        if os.sep in path:  # a face given by file (spec.py made the path absolute)
            files.append((Path(path), f"the font file of fonts.{role}"))
    if issue.output.profile is not None:
        files.append((issue.output.profile, "the output profile (output.profile)"))
    if issue.paper.logo is not None:
        files.append((issue.paper.logo.file, "the masthead logo (paper.logo)"))
    return files


def refuse_inputs_as_outputs(spec: Path, issue: Issue, outputs: Iterable[Path]) -> None:
    """An output that is one of the render's own inputs (a spec named `out/issue.pdf` rendered into
    `out/`) would be destroyed by its own PDF: refused before anything is written. The same file by
    its resolved path (links, `..`), or by device and inode where both exist (hard links)."""
    inputs = input_files(spec, issue)
    for output in outputs:
        for path, what in inputs:
            if _same_file(output, path):
                raise OutputError(f"cannot write output: {output} is {what}",
                                  "render into another folder (-o)")


def _same_file(a: Path, b: Path) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):  # one of them does not exist (yet): not the same file
        return False


def _plan_warnings(spec: Path, issue: Issue, plan: EditionPlan, allow_overset: bool) -> list[str]:
    """What the plan left wrong, as warnings; raises LayoutError for what may not be rendered
    (missing glyphs set to error, overset stories and crowded furniture without allow_overset)."""
    warnings: list[str] = []
    if plan.missing:
        if issue.typography.missing_glyphs == "error":
            raise LayoutError(missing_message(spec, plan),
                              "install a face that has them, or set typography.missing_glyphs: warn")
        warnings.append(missing_message(spec, plan) + " (drawn as .notdef)")
    if plan.overset:
        if not allow_overset:
            raise LayoutError(overset_message(spec, plan),
                              "cut the story, enlarge its modules, add a continue: module, "
                              "or pass --allow-overset")
        warnings.append(overset_message(spec, plan))
    for fit in plan.fits:  # a continuation the story never reached: a hole in the page
        for page, _, used in fit.modules[1:]:
            if not used:
                warnings.append(f"{spec}: story {fit.story!r} ends before its continuation module "
                                f"on page {page}, which stays empty")
    warnings.extend(note for fit in plan.fits for note in fit.notes)
    if plan.crowded:
        message = "\n".join(str(c) for c in plan.crowded)
        if not allow_overset:
            raise LayoutError(message, "give the module more lines or columns, or shorten its text "
                                       "(--allow-overset renders it anyway)")
        warnings.append(message)
    return warnings


def _ad_warnings(issue: Issue, pdfx: bool) -> list[str]:
    """The PDF ads judged as `check` would (press/adcheck.py): errors raised, warnings returned."""
    if not issue.ads:
        return []
    from ..press.adcheck import ad_findings  # pikepdf: only for an edition with ads
    from ..util.errors import spec_problems

    errors, warnings = ad_findings(issue, pdfx)
    if errors:
        raise spec_problems(errors)
    return warnings


def render_spec(spec: Path, output: Path, *, allow_overset: bool = False,
                fontbook: FontBook | None = None, pdfx: bool = False,
                marks: bool = False, split_pages: bool = False) -> RenderResult:
    """Render `spec` to `output`. `split_pages` only says that page files will be written beside
    it (`batch.split_pdf`), so that they are checked against the inputs too."""
    issue = load_issue(spec)
    outputs = [output]
    if split_pages:
        outputs += [output.parent / page_pdf_name(output.stem, p.number) for p in issue.pages]
    refuse_inputs_as_outputs(spec, issue, outputs)
    if output.parent.is_dir():  # even a render that fails clears what killed renders left there
        sweep_stale(output.parent)
    pdfx = pdfx or issue.output.standard == "pdf/x-4"
    ad_warnings = _ad_warnings(issue, pdfx)
    plan = _plan(spec, issue, fontbook)
    warnings = list(issue.notes) + ad_warnings + _plan_warnings(spec, issue, plan, allow_overset)
    plan = _press_pictures(spec, issue, plan, warnings)
    title = f"{issue.paper.name} {issue.issue.date.isoformat()}"
    slug = f"{issue.paper.name}　{issue.issue.date.isoformat()}" if marks else None
    data = render_pdf(plan.pages, title=title, author=issue.paper.publisher or issue.paper.name,
                      initial_font=plan.body_font, slug=slug)
    if pdfx:
        from ..press.colour import NEWSPRINT_CONDITION, NEWSPRINT_CONDITION_TEXT, NEWSPRINT_PROFILE
        from ..press.pdfx import doc_id_for, make_pdfx4  # pikepdf is slow to import: only when asked

        profile = issue.output.profile or NEWSPRINT_PROFILE
        own = profile != NEWSPRINT_PROFILE
        data = make_pdfx4(data, profile=profile, title=title,
                          output_condition=profile.stem if own else NEWSPRINT_CONDITION_TEXT,
                          output_condition_id="Custom" if own else NEWSPRINT_CONDITION,
                          doc_id=doc_id_for(issue.paper.name, issue.issue.date, issue.issue.number),
                          created=issue.issue.date)
    write_atomically(data, output)
    return RenderResult(output, len(plan.pages), plan, tuple(warnings))
