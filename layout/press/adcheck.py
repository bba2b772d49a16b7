"""PDF ads judged as `broadsheet check` judges a page (preflight.py), before they are placed: a
font that is not embedded is an error naming the ad; RGB colour is an error for PDF/X-4 output
(our writer places the ad's vectors as they are and cannot convert them) and a warning otherwise;
a spot ink is a warning naming it. Image ads need nothing here: they are converted to CMYK
with the edition's photos."""
from __future__ import annotations

from ..model.issue import Ad, AdModule, Issue
from ..util.errors import SpecError
from .findings import ERROR, Problem

FONT_HINT = "a press ad embeds every font it uses: ask the client for a PDF/X-4 export"
RGB_HINT = "ask the client for a CMYK (PDF/X-4) ad; an image ad is converted to CMYK on render"


def ad_findings(issue: Issue, pdfx: bool) -> tuple[list[SpecError], list[str]]:
    """(errors, warnings) of the PDF ads the pages place."""
    from .preflight import check_pdf

    placed = {m.ad for p in issue.pages for m in p.modules if isinstance(m, AdModule)}
    errors: list[SpecError] = []
    warnings: list[str] = []
    for ad_id in sorted(placed):
        ad = issue.ads.get(ad_id)
        if ad is None or ad.kind != "pdf":
            continue
        for problem in check_pdf(ad.file, pdfx=False):
            if problem.page not in (None, ad.page):
                continue
            _judge(ad, problem, pdfx, errors, warnings)
    return errors, warnings


def _judge(ad: Ad, p: Problem, pdfx: bool, errors: list[SpecError], warnings: list[str]) -> None:
    what = f'ad "{ad.id}" ({ad.file.name})'
    if "not embedded" in p.message:
        errors.append(_error(ad, f"{what}: {p.object} is not embedded", FONT_HINT))
    elif "RGB" in p.message and p.severity == ERROR:
        if pdfx:
            errors.append(_error(ad, f"{what}: {p.object}: {p.message}, and the output is PDF/X-4",
                                 RGB_HINT))
        else:
            warnings.append(f"{_where(ad)}: {what}: {p.object}: {p.message} (printed as it is)")
    elif "spot colour" in p.message:
        warnings.append(f"{_where(ad)}: {what}: {p.message}")


def _where(ad: Ad) -> str:
    src = ad.source
    return f"{src.file}:{src.line}: {src.path}.file" if src else str(ad.file)


def _error(ad: Ad, problem: str, hint: str) -> SpecError:
    src = ad.source
    return SpecError(src.file if src else str(ad.file), src.line if src else None,
                     f"{src.path}.file" if src else "", problem, hint)
