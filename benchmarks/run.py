"""The benchmark runner: Broadsheet, Typst and WeasyPrint side by side, in one run.

    python -m benchmarks            # full run (a few minutes on 2 cores), writes BENCHMARKS.md
    python -m benchmarks --quick    # fewer repetitions, no 24-page WeasyPrint, no cold run, no profile
    python -m benchmarks --help

What it does:
1. generates the benchmark editions (`benchmarks/generate.py`) into `benchmarks/generated/`;
2. whole-process renders: `python -P -m layout render SPEC -o DIR` (what the `broadsheet` script
   runs), a one-line `python -c` call of typst-py, and `python -m weasyprint`, all three started by
   this interpreter's path (`sys.executable`), each in a fresh process, one warm-up then N timed runs, the tools
   interleaved run by run (so drift of the machine hits all alike): wall time (median, min-max), peak
   RSS (`os.wait4` of that process), PDF size, pages and characters set (checked from the PDF);
3. in-process: Broadsheet's stages (`benchmarks/stages.py`), and the peers' render call;
4. a cProfile of Broadsheet's in-process render of the 8-page edition (top functions);
5. the first render on a fresh machine: the reference edition with an empty font cache
   (`BROADSHEET_CACHE` pointed at an empty folder: faces never used before), against a warm render;
6. the watch case (`benchmarks/rerender.py`): in one process, a full re-render of the 8-page
   edition against a re-render after editing one story;
7. writes the results between the markers in `BENCHMARKS.md` (text outside them is kept) and the
   raw numbers to `benchmarks/generated/results.json`.
Peers that are not installed are skipped with a note.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata as md
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import generate, peers

ROOT = generate.ROOT
GEN = generate.OUT
OUT = GEN / "out"
REPORT = ROOT / "BENCHMARKS.md"
BEGIN, END = "<!-- results:begin (written by python -m benchmarks) -->", "<!-- results:end -->"

# Targets (issue 14; the reference's 0.5 s from the benchmarks issue still holds)
T_VS_TYPST = 0.8  # 8-page whole process ≤ 0.8 × Typst's
T_REF_VS_TYPST = 0.8  # reference edition whole process ≤ 0.8 × Typst setting the same text
T_VS_WEASY = 20.0  # ≥ 20× faster than WeasyPrint (8 pages)
T_REFERENCE_S = 0.5  # reference edition, warm, whole process
T_RSS_MB = 120.0  # peak RSS on 8 pages
T_LINEAR = 3.0  # 24 pages ≤ 3 × 8 pages
T_PDF_SIZE = 0.8  # PDF size ≤ 0.8 × Typst's for the same pages
T_RERENDER = 0.3  # watch: re-render after editing one story ≤ 0.3 × a full re-render, same process
T_COLD = 3.0  # first render with an empty font cache ≤ 3 × a warm render of the same spec


@dataclass
class Job:
    tool: str  # "broadsheet", "typst", "weasyprint"
    edition: str  # "reference", "edition-8", …
    cmd: list[str]
    out: Path
    reps: int
    warmup: bool = True
    env: dict | None = None
    times: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stderr: str = ""

    @property
    def key(self) -> str:
        return f"{self.tool}:{self.edition}"


SNAPSHOT: Path | None = None  # a copy of layout/ the children import instead of the working tree
SNAPSHOT_DESC = "working tree"


def child_env(extra: dict | None = None) -> dict:
    """The children's environment: compiled bytecode cached as on any installation (this machine sets
    PYTHONDONTWRITEBYTECODE, so the editable `layout/` would be compiled from source in every process;
    the cache goes to benchmarks/generated/pycache, not into the package), and the package snapshot
    first on the path."""
    env = {k: x for k, x in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(GEN / "pycache")
    code = SNAPSHOT if SNAPSHOT is not None else ROOT  # never the editable install's own tree
    env["PYTHONPATH"] = os.pathsep.join([str(code), *filter(None, [env.get("PYTHONPATH")])])
    env["BENCHMARK_LAYOUT_PATH"] = str(code)
    env.update(extra or {})
    return env


def snapshot_package() -> tuple[Path, str]:
    """Copy `layout/` (and link `fonts/`) so that the whole run measures one version of the code even
    while the working tree is being edited; say which version that is."""
    snap = GEN / "snapshot"
    shutil.rmtree(snap, ignore_errors=True)
    shutil.copytree(ROOT / "layout", snap / "layout", ignore=shutil.ignore_patterns("__pycache__"))
    if (ROOT / "fonts").is_dir():
        (snap / "fonts").symlink_to(ROOT / "fonts", target_is_directory=True)
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "layout", "fonts"], cwd=ROOT,
                               capture_output=True, text=True).stdout.split("\n")
        changed = [line[3:] for line in dirty if line.strip()]
    except OSError:
        head, changed = "?", []
    desc = f"commit {head or '?'}"
    if changed:
        desc += " with uncommitted changes to " + ", ".join(sorted(changed))
    return snap, desc


def preflight(wait_minutes: float) -> str | None:
    """Render the reference edition once (this also warms the font cache). None if it works, else the
    error; with `wait_minutes`, retry on a fresh snapshot every 30 s until then."""
    global SNAPSHOT, SNAPSHOT_DESC
    deadline = time.monotonic() + wait_minutes * 60
    while True:
        SNAPSHOT, SNAPSHOT_DESC = snapshot_package()
        wall, _, code, err = run_measured(broadsheet_cmd(generate.REFERENCE, OUT / "preflight"))
        if code == 0:
            return None
        problem = err.strip()[-800:]
        if time.monotonic() > deadline:
            return problem
        print(f"  the package does not render the reference edition yet (exit {code}); retrying in 30 s",
              file=sys.stderr)
        time.sleep(30)


def run_measured(cmd: list[str], env: dict | None = None) -> tuple[float, int, int, str]:
    """(wall s, peak RSS KB, exit code, stderr) of one fresh process."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err, env=child_env(env))
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    return wall, usage.ru_maxrss, proc.returncode, text


def broadsheet_cmd(spec: Path, out_dir: Path) -> list[str]:
    """`broadsheet render` started as the peers are (peers.command): this interpreter, by path.
    `python -m layout` runs what the `broadsheet` console script runs (layout.desk.cli.run),
    without the console script's own start-up or a version manager's shim in front of it."""
    # -P: the working folder (the repository) is not put before PYTHONPATH, so the snapshot is
    # what is imported
    return [sys.executable, "-P", "-m", "layout", "render", str(spec), "-o", str(out_dir),
            "--allow-overset"]


# --------------------------------------------------------------------------------------------------
# PDF checks: pages and characters actually set


def pdf_pages(path: Path) -> int | None:
    try:
        import pypdf
        return len(pypdf.PdfReader(str(path)).pages)
    except Exception:
        data = path.read_bytes()
        n = len(re.findall(rb"/Type\s*/Page[^s]", data))
        return n or None


def pdf_han_chars(path: Path) -> int | None:
    """Han characters in the PDF's text (pypdfium2), to check that all three set the same text."""
    try:
        import pypdfium2 as pdfium
    except Exception:
        return None
    doc = pdfium.PdfDocument(str(path))
    n = 0
    for page in doc:
        text = page.get_textpage().get_text_range()
        n += sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return n


def source_han_chars(edition: str) -> int | None:
    spec = GEN / f"{edition}.yaml"
    if not spec.exists():
        return None
    import yaml
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    n = 0
    for a in data.get("articles", {}).values():
        for k in ("kicker", "headline", "subtitle", "byline", "body"):
            n += sum(1 for ch in str(a.get(k) or "") if "\u4e00" <= ch <= "\u9fff")
    return n


# --------------------------------------------------------------------------------------------------
# Machine


def machine() -> dict:
    info: dict = {"python": platform.python_version(), "kernel": platform.release(),
                  "cpus": os.cpu_count()}
    try:
        cpu = Path("/proc/cpuinfo").read_text()
        m = re.search(r"model name\s*:\s*(.+)", cpu)
        info["cpu"] = m.group(1).strip() if m else platform.processor()
        mem = re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text())
        info["memory_gb"] = round(int(mem.group(1)) / 1024 / 1024, 1) if mem else None
    except OSError:
        info["cpu"] = platform.processor()
    try:
        osr = Path("/etc/os-release").read_text()
        m = re.search(r'PRETTY_NAME="([^"]+)"', osr)
        info["os"] = m.group(1) if m else platform.platform()
    except OSError:
        info["os"] = platform.platform()
    try:
        info["affinity"] = len(os.sched_getaffinity(0))
    except AttributeError:
        pass
    versions = {}
    for pkg in ("broadsheet", "uharfbuzz", "Cython", "fonttools", "PyYAML", "typst", "weasyprint", "pydyf"):
        try:
            versions[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            pass
    info["versions"] = versions
    return info


# --------------------------------------------------------------------------------------------------
# The run


def child_json(cmd: list[str], timeout: float = 900) -> dict | None:
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=child_env())
    if proc.returncode != 0:
        print(f"  failed: {' '.join(cmd[:4])}…: {proc.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        return None
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n".join(__doc__.split("\n")[2:]))
    ap.add_argument("--quick", action="store_true", help="2 runs each, WeasyPrint 8 pages once, "
                    "no 24-page WeasyPrint, no cold run, no profile")
    ap.add_argument("--runs", type=int, help="timed runs per job (default 5, quick 2)")
    ap.add_argument("--weasy-runs", type=int, help="timed runs of WeasyPrint's 8-page edition (default 3)")
    ap.add_argument("--cold", dest="cold", action="store_true", default=None,
                    help="measure the first render with an empty font cache (default: on unless --quick)")
    ap.add_argument("--no-cold", dest="cold", action="store_false")
    ap.add_argument("--flow", action="store_true",
                    help="also time the continuous 8-column flow variants of the peers (WeasyPrint too)")
    ap.add_argument("--no-profile", action="store_true")
    ap.add_argument("--tools", default="broadsheet,typst,weasyprint")
    ap.add_argument("--no-write", action="store_true", help="print the report, leave BENCHMARKS.md alone")
    ap.add_argument("--live", action="store_true",
                    help="import layout/ from the working tree (default: from a snapshot taken at the start)")
    ap.add_argument("--wait", type=float, default=0.0, metavar="MINUTES",
                    help="if the package cannot render the reference edition, retry for this long")
    ap.add_argument("--idle", type=float, default=0.0, metavar="MINUTES",
                    help="first wait up to this long for the machine to be idle (1-minute load < 0.5)")
    args = ap.parse_args(argv)
    runs = args.runs or (2 if args.quick else 5)
    weasy_runs = args.weasy_runs or (1 if args.quick else 3)
    cold = (not args.quick) if args.cold is None else args.cold
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    if args.idle:
        deadline = time.monotonic() + args.idle * 60
        while os.getloadavg()[0] >= 0.5 and time.monotonic() < deadline:
            print(f"  waiting for the machine to be idle (load {os.getloadavg()[0]:.2f}) …", file=sys.stderr)
            time.sleep(20)
    started = time.perf_counter()
    load_before = os.getloadavg()

    print("generating the editions …", file=sys.stderr)
    manifest = generate.generate()
    OUT.mkdir(parents=True, exist_ok=True)
    (GEN / "pycache").mkdir(parents=True, exist_ok=True)
    code_version = "working tree"
    if "broadsheet" in tools:
        global SNAPSHOT
        if args.live:
            SNAPSHOT = None
        else:
            print("snapshot of layout/ and a first render of the reference edition …", file=sys.stderr)
            problem = preflight(args.wait)
            if problem:
                print(f"Broadsheet cannot render the reference edition:\n{problem}", file=sys.stderr)
                return 2
            code_version = f"a snapshot of layout/ at {SNAPSHOT_DESC}"

    notes: list[str] = []
    peer_info: dict[str, str] = {}
    for tool in ("typst", "weasyprint"):
        if tool not in tools:
            continue
        ok, what = peers.available(tool)
        peer_info[tool] = what
        if not ok:
            notes.append(f"{tool} skipped: {what} (a benchmark extra: `pip install typst weasyprint`; "
                         "WeasyPrint also needs Debian's libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)")
            tools.remove(tool)

    editions = ["reference", "edition-8", "edition-24"]
    jobs: list[Job] = []
    for ed in editions:
        spec = generate.REFERENCE if ed == "reference" else GEN / f"{ed}.yaml"
        if "broadsheet" in tools:
            d = OUT / "broadsheet"
            jobs.append(Job("broadsheet", ed, broadsheet_cmd(spec, d), d / f"{spec.stem}.pdf", runs))
        if ed == "reference":
            if "typst" in tools:  # the same text, modules and photos (benchmarks/reference.py)
                out = OUT / "typst" / "reference.pdf"
                jobs.append(Job("typst", ed, peers.command("typst", GEN / "reference.typ", out), out, runs))
            continue
        if "typst" in tools:
            out = OUT / "typst" / f"{ed}.pdf"
            jobs.append(Job("typst", ed, peers.command("typst", GEN / f"{ed}.typ", out), out, runs))
            if args.flow or not args.quick:
                out = OUT / "typst" / f"{ed}-flow.pdf"
                jobs.append(Job("typst", f"{ed}-flow", peers.command("typst", GEN / f"{ed}-flow.typ", out),
                                out, runs))
        if "weasyprint" in tools:
            out = OUT / "weasyprint" / f"{ed}.pdf"
            if ed == "edition-8":
                jobs.append(Job("weasyprint", ed, peers.command("weasyprint", GEN / f"{ed}.html", out), out,
                                weasy_runs, warmup=False))
                if args.flow:
                    out = OUT / "weasyprint" / f"{ed}-flow.pdf"
                    jobs.append(Job("weasyprint", f"{ed}-flow",
                                    peers.command("weasyprint", GEN / f"{ed}-flow.html", out), out,
                                    weasy_runs, warmup=False))
            elif not args.quick:
                jobs.append(Job("weasyprint", ed, peers.command("weasyprint", GEN / f"{ed}.html", out), out,
                                1, warmup=False))
    for job in jobs:
        job.out.parent.mkdir(parents=True, exist_ok=True)

    # Python's own start-up, for reading the whole-process numbers
    py_start = sorted(run_measured([sys.executable, "-c", "pass"])[0] for _ in range(5))[2]

    print("warm-up runs …", file=sys.stderr)
    warmup: dict[str, float] = {}
    for job in jobs:
        if job.warmup:
            wall, _, code, err = run_measured(job.cmd, job.env)
            warmup[job.key] = wall
            if code != 0:
                job.errors.append(f"warm-up exit {code}: {err.strip().splitlines()[-1:] if err else ''}")

    print(f"timed runs: {runs} per job (WeasyPrint {weasy_runs}) …", file=sys.stderr)
    for r in range(max(j.reps for j in jobs)):
        for job in jobs:
            if r >= job.reps or (job.errors and not job.times and r > 0):
                continue
            wall, rss, code, err = run_measured(job.cmd, job.env)
            if code != 0:
                job.errors.append(f"exit {code}: {' '.join(err.strip().splitlines()[-2:])}")
                continue
            job.times.append(wall)
            job.rss_kb.append(rss)
            job.stderr = err
        print(f"  round {r + 1} done ({time.perf_counter() - started:.0f} s)", file=sys.stderr)

    results: dict = {"jobs": {}}
    for job in jobs:
        entry: dict = {"tool": job.tool, "edition": job.edition, "times": job.times, "rss_kb": job.rss_kb,
                       "errors": job.errors, "warmup": warmup.get(job.key)}
        if job.out.exists() and job.times:
            entry["pdf_bytes"] = job.out.stat().st_size
            entry["pages"] = pdf_pages(job.out)
            entry["han_chars"] = pdf_han_chars(job.out)
        if "overset" in job.stderr:
            entry["warning"] = job.stderr.strip()[:300]
        results["jobs"][job.key] = entry

    # In-process
    print("in-process stages …", file=sys.stderr)
    inproc: dict = {}
    if "broadsheet" in tools:
        for ed in editions:
            spec = generate.REFERENCE if ed == "reference" else GEN / f"{ed}.yaml"
            rep = 2 if (args.quick or ed == "edition-24") else 3
            inproc[f"broadsheet:{ed}"] = child_json(
                [sys.executable, "-m", "benchmarks.stages", str(spec), "--repeat", str(rep),
                 "--out", str(OUT / "stages")])
    for tool in ("typst", "weasyprint"):
        if tool not in tools:
            continue
        src = GEN / f"edition-8.{'typ' if tool == 'typst' else 'html'}"
        rep = 3 if tool == "typst" else (1 if args.quick else 2)
        inproc[f"{tool}:edition-8"] = child_json(
            [sys.executable, "-m", "benchmarks.peers", tool, str(src), str(OUT / "inproc" / f"{tool}.pdf"),
             "--repeat", str(rep)])
    results["in_process"] = inproc

    rerender = None
    if "broadsheet" in tools:
        print("watch case: re-render after a one-story edit, in one process …", file=sys.stderr)
        rerender = child_json([sys.executable, "-m", "benchmarks.rerender", str(GEN / "edition-8.yaml"),
                               "--rounds", str(3 if args.quick else 5)])
    results["rerender"] = rerender

    prof_text = None
    if not args.no_profile and not args.quick and "broadsheet" in tools:
        print("profiling …", file=sys.stderr)
        proc = subprocess.run([sys.executable, "-m", "benchmarks.stages", str(GEN / "edition-8.yaml"),
                               "--profile", "--out", str(OUT / "profile")], cwd=ROOT,
                              capture_output=True, text=True, env=child_env())
        prof_text = proc.stdout if proc.returncode == 0 else f"(profile failed: {proc.stderr[-500:]})"
        (GEN / "profile-edition-8.txt").write_text(prof_text, encoding="utf-8")
    results["profile"] = prof_text

    cold_result = None
    if cold and "broadsheet" in tools:
        print("first render with an empty font cache (about a minute or two) …", file=sys.stderr)
        with tempfile.TemporaryDirectory(prefix="broadsheet-cold-") as cache:
            d = OUT / "cold"
            wall, rss, code, err = run_measured(broadsheet_cmd(generate.REFERENCE, d),
                                                {"BROADSHEET_CACHE": cache})
            wall2, rss2, code2, _ = run_measured(broadsheet_cmd(generate.REFERENCE, d),
                                                 {"BROADSHEET_CACHE": cache})
            cold_result = {"wall": wall, "rss_kb": rss, "exit": code, "stderr": err[-600:], "second_wall": wall2,
                           "second_rss_kb": rss2, "cache_mb": round(sum(
                               f.stat().st_size for f in Path(cache).rglob("*") if f.is_file()) / 1e6, 1)}
    results["cold"] = cold_result

    results["machine"] = machine()
    results["machine"]["peers"] = peer_info
    results["code"] = code_version
    results["python_startup"] = py_start
    results["date"] = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    results["load"] = {"before": load_before, "after": os.getloadavg()}
    results["duration_s"] = time.perf_counter() - started
    results["runs"] = {"runs": runs, "weasy_runs": weasy_runs, "quick": args.quick}
    results["manifest"] = {k: {kk: v.get(kk) for kk in ("pages", "stories", "jumping_stories", "body_chars",
                                                         "headline_chars", "paragraphs", "distinct_paragraphs",
                                                         "distinct_share_of_chars")}
                           for k, v in manifest.items()}
    results["notes"] = notes
    for ed in ("edition-8", "edition-24"):
        results["manifest"][ed]["han_chars"] = source_han_chars(ed)
    (GEN / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")

    from .report import render_report, update_file
    text = render_report(results)
    if args.no_write:
        print(text)
    else:
        update_file(REPORT, text, BEGIN, END)
        print(f"wrote {REPORT.relative_to(ROOT)} ({results['duration_s']:.0f} s)", file=sys.stderr)
        print(text)
    return 0
