"""Preflight of our own: does a PDF meet what a newspaper plant's prepress checks?

`check_pdf(path)` returns a list of `Problem`s (page, object, message, severity). Errors are what a
plant rejects; warnings are worth a look but print (low-resolution images, black text that knocks
out, spot colours, ink over the limit). It reads the file with pikepdf and walks every page's
content streams (and the form XObjects, tiling patterns and Type 3 glyphs they use), tracking the
graphics state (q/Q, cm, gs, colour spaces and colours, overprint):

- PDF/X-4 markers, when the file claims PDF/X (or always with `pdfx=True`): header ≤ 1.6,
  GTS_PDFXVersion in Info and XMP, Trapped True/False in both, Title, CreationDate/ModDate, trailer
  ID, exactly one GTS_PDFX OutputIntent carrying an embedded CMYK output profile;
- TrimBox and BleedBox on every page, TrimBox ⊆ BleedBox ⊆ MediaBox (no bleed: a warning);
- every font embedded (FontFile/FontFile2/FontFile3; a Type0 font's descendant);
- no RGB colour: `rg`/`RG`, `sc`/`scn`/`cs` in DeviceRGB, CalRGB, ICCBased N=3 or an Indexed/Pattern
  space over one, RGB images (also inline), shadings; Lab is reported too (not CMYK);
- no transparency: soft masks (ExtGState SMask, image SMask, SMaskInData), CA/ca < 1, blend modes
  other than Normal/Compatible, transparency groups (page, form); transfer functions;
- images under `min_dpi` (200) at their placed size (warning); images are named by their source
  file where the writer recorded it in the XObject's name (layout/imagenames.py);
- black text: `0 0 0 1 k` text shown without fill overprint on and OPM 1 (warning); other CMYK
  text and fills overprinting (warning), white ones overprinting (error: they vanish);
- with `ink_limit`: CMYK fills/strokes and CMYK images over the total ink limit (warning).

It is not a validator of the whole of ISO 15930-7 (there is no veraPDF or Acrobat here): it checks
the points above, which are the ones our writer could get wrong.

Here the run is put together; contentwalk.py interprets the content streams, printrules.py judges
what they paint, pdfxrules.py the document's PDF/X markers and the page boxes, colourspaces.py
classifies colour spaces, findings.py holds the `Problem`s and the report.
"""
from __future__ import annotations

from pathlib import Path

import pikepdf

from .contentwalk import ContentWalker
from .findings import WARNING, Problem, Tally
from .pdfxrules import check_boxes, check_catalog_actions, check_pdfx, claims_pdfx
from .printrules import PrintRules

MIN_DPI = 200.0


class PreflightError(Exception):
    """The file cannot be read as a PDF at all."""


def check_pdf(path: Path | str, *, pdfx: bool | None = None, min_dpi: float = MIN_DPI,
              ink_limit: float | None = None) -> list[Problem]:
    """Problems of the PDF at `path`, document-level first, then by page.

    pdfx: None checks the PDF/X-4 markers when the file claims PDF/X (else one warning says it
    does not); True always; False never. ink_limit: total ink in % (e.g. 240) to check CMYK colours
    and images against; None skips it."""
    try:
        pdf = pikepdf.open(path)
    except OSError as e:  # the CLI puts the file name in front of the message
        raise PreflightError(f"cannot read the file: {e.strerror or e}") from None
    except (pikepdf.PdfError, ValueError) as e:
        raise PreflightError(f"cannot read as PDF: {e}") from None
    with pdf:
        return _preflight(pdf, pdfx=pdfx, min_dpi=min_dpi, ink_limit=ink_limit)


def _preflight(pdf: pikepdf.Pdf, *, pdfx: bool | None, min_dpi: float,
               ink_limit: float | None) -> list[Problem]:
    doc: list[Problem] = []  # document-level and box problems, listed as found
    tally = Tally()  # problems in the pages' content, counted per kind
    if pdf.is_encrypted:
        doc.append(Problem(None, "trailer", "the file is encrypted (PDF/X forbids it)"))
    if pdfx or (pdfx is None and claims_pdfx(pdf)):
        check_pdfx(pdf, doc)
    elif pdfx is None:
        doc.append(Problem(None, "PDF/X", "not a PDF/X file (no GTS_PDFXVersion, no "
                           "GTS_PDFX OutputIntent): PDF/X checks skipped", WARNING))
    check_catalog_actions(pdf, doc)
    rules = PrintRules(tally, min_dpi=min_dpi, ink_limit=ink_limit)
    walker = ContentWalker(rules, tally)
    for number, page in enumerate(pdf.pages, start=1):
        check_boxes(number, page, doc)
        rules.group(number, "page", page.obj.get("/Group"))
        rules.annotations(number, page)
        walker.walk_page(number, page)
    problems = doc + tally.problems()
    return sorted(problems, key=lambda p: p.page or 0)  # the document first, then by page
