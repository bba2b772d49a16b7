"""Batch rendering in parallel: `broadsheet render` of N copies of a spec with `--jobs 1` and `--jobs J`.

    python -m benchmarks.batch [SPEC] [--copies 8] [--jobs 2] [--rounds 7]

The desk-tools issue asks for 8 copies of the reference edition with `--jobs 2` in ≤ 0.65× the time
of `--jobs 1`. Each round runs both commands once, in fresh processes (the whole command is what
an editor waits for), alternating which goes first so that the machine's drift hits both alike;
the ratio of the medians is printed, with the best runs for comparison. The copies (and the
spec's photos) live in a temporary folder; the font cache is the user's (warm after one run), and
bytecode is cached as on any installation (`benchmarks.run.child_env`).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .run import GEN, child_env

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "issue_specs" / "xuchang-2022-06-16.yaml"
TARGET = 0.65


def make_copies(spec: Path, folder: Path, copies: int) -> list[Path]:
    """`copies` copies of `spec` in `folder`, with the files beside the spec (photos) it may use."""
    for item in spec.parent.iterdir():
        if item.is_file() and item.suffix.lower() not in (".yaml", ".yml"):
            shutil.copy(item, folder)
    text = spec.read_text(encoding="utf-8")
    paths = []
    for n in range(1, copies + 1):
        path = folder / f"{spec.stem}-{n:02d}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def timed_render(specs: list[Path], out: Path, jobs: int) -> float:
    command = [sys.executable, "-m", "layout", "render", *map(str, specs), "-o", str(out),
               "--jobs", str(jobs)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=child_env())
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"render failed (exit {done.returncode}):\n{done.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", nargs="?", type=Path, default=REFERENCE)
    parser.add_argument("--copies", type=int, default=8)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    (GEN / "pycache").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="broadsheet-batch-") as tmp:
        folder = Path(tmp)
        specs = make_copies(args.spec.resolve(), folder, args.copies)
        out = folder / "out"
        out.mkdir()
        timed_render(specs, out, args.jobs)  # font cache, bytecode and page cache warm
        times: dict[int, list[float]] = {1: [], args.jobs: []}
        for r in range(args.rounds):
            for jobs in ((1, args.jobs) if r % 2 == 0 else (args.jobs, 1)):
                times[jobs].append(timed_render(specs, out, jobs))
    one, many = statistics.median(times[1]), statistics.median(times[args.jobs])
    ratio = many / one
    best = min(times[args.jobs]) / min(times[1])
    print(f"{args.copies} × {args.spec.name}, {os.cpu_count()} CPUs, {args.rounds} rounds: "
          f"--jobs 1 {one:.2f} s, --jobs {args.jobs} {many:.2f} s (medians); "
          f"ratio {ratio:.3f} (best runs {best:.3f}); target ≤ {TARGET}: "
          f"{'met' if ratio <= TARGET else 'missed'}")


if __name__ == "__main__":
    main()
