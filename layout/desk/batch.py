"""Batch rendering: many specs, in parallel worker processes, one spec's failure never touching the
others; and splitting an edition's PDF into one PDF per page for plate-making and late re-sends.

`render_many(specs, out_dir, jobs=N)` returns one `Outcome` per spec, in the order given. Each
outcome carries the exit code and the exact text `broadsheet render` prints for that spec today
(BroadsheetError → its exit code and message; OSError → 2 "cannot write output"; anything else → 3
"internal error"). Workers are plain processes that each keep one FontBook
(`layout.render.shared_fontbook()`), so a face is loaded once per worker, not once per spec.
Every PDF is written atomically (`layout.atomic.write_atomically`): a failed or interrupted spec keeps
its previous PDF, and a good spec is written whatever happens to the others.
"""
from __future__ import annotations

import gc
import io
import os
import re
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from ..util.errors import BroadsheetError, SpecError, escape
from .echo import echo

if TYPE_CHECKING:  # the pool's modules are imported when a pool is made: `render` starts faster
    from concurrent.futures import Future

INTERRUPTED = 130  # the shell's code for a process ended by SIGINT
INTERNAL = 3


@dataclass(frozen=True)
class Outcome:
    spec: Path
    code: int  # 0 rendered; 1 layout problem; 2 bad spec / cannot write; 3 internal error; 130 Ctrl-C
    message: str  # what `broadsheet render` prints on stderr for this spec (one or more lines)
    output: Path | None  # the PDF written, None when the spec failed
    seconds: float
    pages: int = 0
    split: tuple[Path, ...] = field(default=())  # the per-page PDFs (--split-pages)
    error_type: type | None = field(default=None, compare=False)  # the class of the failure
    plan: object | None = field(default=None, compare=False, repr=False)  # with keep_plan only

    @property
    def ok(self) -> bool:
        return self.code == 0


Progress = Callable[[Outcome, int, int], None]  # (outcome just finished, done so far, total)


def _debug() -> bool:
    return os.environ.get("BROADSHEET_DEBUG", "") not in ("", "0")


def _with_traceback(message: str) -> str:
    if not _debug():
        return message
    import traceback  # only for BROADSHEET_DEBUG: it pulls in linecache and tokenize

    return traceback.format_exc() + message


def error_outcome(spec: Path, error: BaseException, seconds: float = 0.0) -> Outcome:
    """The outcome (code and message, worded as `broadsheet render` words them) of a failed spec.
    Call it inside the `except` block when BROADSHEET_DEBUG should add the traceback."""
    return replace(_error_outcome(spec, error, seconds), error_type=type(error))


def say_failure(spec: Path, error: BaseException) -> int:
    """Say on stderr why `spec` failed, worded as `broadsheet render` words it; returns the exit
    code. Call it inside the `except` block (see error_outcome)."""
    outcome = error_outcome(spec, error)
    echo(outcome.message)
    return outcome.code


def _error_outcome(spec: Path, error: BaseException, seconds: float) -> Outcome:
    name = escape(str(spec))  # as SpecError shows it: a file name may hold control characters
    if isinstance(error, BroadsheetError):
        # a spec problem names its own file (the spec, or the ad list a row of it is in)
        prefix = "" if str(error).startswith(name) or isinstance(error, SpecError) else f"{name}: "
        return Outcome(spec, error.exit_code, _with_traceback(f"{prefix}{error}"), None, seconds)
    if isinstance(error, OSError):
        return Outcome(spec, 2, _with_traceback(
            f"{name}: cannot write output: {error.strerror or error}"
            + (f": {escape(str(error.filename))}" if error.filename else "")), None, seconds)
    if isinstance(error, KeyboardInterrupt):
        return Outcome(spec, INTERRUPTED, _with_traceback(
            f"{name}: interrupted; the previous PDF, if any, is unchanged"), None, seconds)
    return Outcome(spec, INTERNAL, _with_traceback(
        f"{name}: internal error: {type(error).__name__}: {escape(str(error))}\n"
        "  please report it; BROADSHEET_DEBUG=1 shows the traceback"), None, seconds)


def output_path(spec: Path, out_dir: Path) -> Path:
    return out_dir / f"{spec.stem}.pdf"


def render_one(spec: Path, out_dir: Path, allow_overset: bool = False,
               split_pages: bool = False, pdfx: bool = False, marks: bool = False, *,
               keep_plan: bool = False, fontbook=None) -> Outcome:
    """Render one spec in this process (`render_spec`; `pdfx`, `marks` as its options). Never
    raises: every failure is an Outcome. `keep_plan` keeps the EditionPlan on a good outcome (in
    this process only: the pool never ships plans back)."""
    from .render import render_spec

    start = time.perf_counter()
    try:
        options: dict = {"allow_overset": allow_overset}
        if pdfx or marks:  # only when asked: a render_spec without them still works
            options.update(pdfx=pdfx, marks=marks)
        if split_pages:
            options["split_pages"] = True  # checked against the inputs before anything is written
        if fontbook is not None:
            options["fontbook"] = fontbook
        result = render_spec(spec, output_path(spec, out_dir), **options)
        split: tuple[Path, ...] = ()
        if split_pages:
            split = tuple(split_pdf(result.output, out_dir, spec.stem,
                                    [p.number for p in result.plan.pages]))
    except BaseException as e:  # noqa: BLE001 - every failure becomes this spec's outcome
        if not isinstance(e, Exception) and not isinstance(e, KeyboardInterrupt):
            raise  # SystemExit, GeneratorExit: not ours to swallow
        return error_outcome(spec, e, time.perf_counter() - start)
    lines = [f"warning: {w}" for w in result.warnings]
    lines.append(f"wrote {result.output} ({result.pages} page{'' if result.pages == 1 else 's'})")
    if split:
        lines.append(f"wrote {len(split)} page files: {', '.join(p.name for p in split)}"
                     if len(split) > 1 else f"wrote {split[0]}")
    return Outcome(spec, 0, "\n".join(lines), result.output, time.perf_counter() - start,
                   result.pages, split, plan=result.plan if keep_plan else None)


def _job(spec: Path, out_dir: Path, options: dict) -> Outcome:
    return render_one(spec, out_dir, **options)


def _context():
    """Fork where it is safe and cheap (Linux): workers start in milliseconds, with the parent's
    imports. Elsewhere the platform's default (spawn on macOS and Windows)."""
    import multiprocessing

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def render_many(specs: Sequence[Path], out_dir: Path, *, jobs: int = 1, allow_overset: bool = False,
                split_pages: bool = False, on_progress: Progress | None = None,
                pdfx: bool = False, marks: bool = False) -> list[Outcome]:
    """Render every spec; one Outcome per spec, in the order of `specs`. `jobs` > 1 renders in that
    many worker processes (0: one per CPU). `on_progress` is called in this process after each spec.

    Ctrl-C stops the batch: specs not finished get code 130 and keep their previous PDF. A worker
    process that dies (a crash in a C library, the OOM killer) fails only the spec it was rendering:
    the specs it took down with it are rendered again, each in a process of its own."""
    specs = [Path(s) for s in specs]
    options = dict(allow_overset=allow_overset, split_pages=split_pages, pdfx=pdfx, marks=marks)
    total = len(specs)
    jobs = (os.cpu_count() or 1) if jobs <= 0 else jobs
    jobs = min(jobs, total) if total else 1
    outcomes: list[Outcome | None] = [None] * total
    done = 0

    def finished(i: int, outcome: Outcome) -> None:
        nonlocal done
        outcomes[i] = outcome
        done += 1
        if on_progress is not None:
            on_progress(outcome, done, total)

    if jobs <= 1:
        for i, spec in enumerate(specs):
            outcome = render_one(spec, out_dir, **options)
            finished(i, outcome)
            if outcome.code == INTERRUPTED:  # Ctrl-C stops the batch, not just this spec
                break
    else:
        broken, interrupted = _run_pool(specs, out_dir, jobs, options, finished)
        if not interrupted:
            for i in broken:  # once more, alone: only a spec that kills its process fails
                finished(i, _run_isolated(specs[i], out_dir, options))
    return [o if o is not None else Outcome(
        s, INTERRUPTED, f"{s}: interrupted; the previous PDF, if any, is unchanged", None, 0.0)
        for s, o in zip(specs, outcomes)]


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the parent, which cancels the specs not started and lets the running
    ones finish (their PDFs are complete: written atomically)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_pool(specs: list[Path], out_dir: Path, jobs: int, options: dict,
              finished: Callable[[int, Outcome], None]) -> tuple[list[int], bool]:
    """Run the specs in a pool. Returns the indexes of specs lost to a broken pool, and whether the
    batch was interrupted (Ctrl-C)."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    broken: list[int] = []
    reported: set[int] = set()

    def collect(future: Future, i: int) -> None:
        reported.add(i)
        try:
            finished(i, future.result())
        except BrokenProcessPool:
            broken.append(i)
        except Exception as e:  # noqa: BLE001 - e.g. an outcome that could not be pickled
            finished(i, error_outcome(specs[i], e))

    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_context(), initializer=_ignore_sigint)
    futures: dict[Future, int] = {}
    try:
        # Forked workers share the parent's memory until they write to it; the cyclic GC writes
        # to every object it scans, so freeze what exists now (the workers start at the first
        # submit) and save each worker copying the parent's heap page by page.
        gc.freeze()
        try:
            for i, spec in enumerate(specs):
                futures[pool.submit(_job, spec, out_dir, options)] = i
        finally:
            gc.unfreeze()
        pending = set(futures)
        while pending:
            ready, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(ready, key=futures.__getitem__):
                collect(future, futures[future])
    except KeyboardInterrupt:
        pool.shutdown(wait=True, cancel_futures=True)
        for future, i in futures.items():  # the renders that were running when Ctrl-C came
            if i not in reported and future.done() and not future.cancelled():
                collect(future, i)
        return [], True
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return broken, False


def _run_isolated(spec: Path, out_dir: Path, options: dict) -> Outcome:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=1, mp_context=_context(),
                             initializer=_ignore_sigint) as pool:
        try:
            return pool.submit(_job, spec, out_dir, options).result()
        except BrokenProcessPool:
            return Outcome(spec, INTERNAL,
                           f"{spec}: internal error: the render process ended abruptly "
                           "(killed, or crashed in a C library)\n"
                           "  please report it; BROADSHEET_DEBUG=1 shows the traceback",
                           None, time.perf_counter() - start)


# --------------------------------------------------------------------------------------------------
# One PDF per page


def page_pdf_name(stem: str, page: int) -> str:
    return f"{stem}-p{page:02d}.pdf"


def split_pdf(pdf: Path | bytes, out_dir: Path, stem: str,
              numbers: Sequence[int] | None = None) -> list[Path]:
    """Write each page of `pdf` as `out_dir/<stem>-p01.pdf`, … (each atomically). `numbers` are the
    edition's page numbers of the PDF's pages (default 1, 2, …), so an edition that sets pages 5–8
    writes `-p05` … `-p08`. Each file is the whole document less the other pages, so what is
    document-wide stays: the PDF/X-4 OutputIntent and XMP metadata, the document info, the page
    boxes; objects only the other pages use are dropped. Page files of the same stem whose page is
    no longer in the edition are removed, so a stale plate is never sent."""
    import pikepdf

    from ..util.atomic import write_atomically

    source = pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()
    with pikepdf.open(io.BytesIO(source)) as whole:
        count = len(whole.pages)
    numbers = list(numbers) if numbers is not None else list(range(1, count + 1))
    if len(numbers) != count:
        raise ValueError(f"{count} pages in the PDF but {len(numbers)} page numbers")
    written = []
    for index, number in enumerate(numbers):
        with pikepdf.open(io.BytesIO(source)) as one:
            del one.pages[index + 1:]
            del one.pages[:index]
            buf = io.BytesIO()
            one.save(buf, deterministic_id=True)  # qpdf writes only what the page still uses
        target = out_dir / page_pdf_name(stem, number)
        write_atomically(buf.getvalue(), target)
        written.append(target)
    keep = {p.name for p in written}
    pattern = re.compile(re.escape(stem) + r"-p\d{2,}\.pdf")
    for old in out_dir.glob(f"{glob_escape(stem)}-p*.pdf"):
        if pattern.fullmatch(old.name) and old.name not in keep:
            old.unlink(missing_ok=True)
    return written


def glob_escape(text: str) -> str:
    import glob

    return glob.escape(text)
