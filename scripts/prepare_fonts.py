#!/usr/bin/env python3
"""Prepare font faces for Broadsheet: find them, convert CFF faces to TrueType once, cache them.

    python scripts/prepare_fonts.py                  # the reference spec's three faces
    python scripts/prepare_fonts.py "Noto Serif CJK SC" /path/to/font.ttc#2
    python scripts/prepare_fonts.py --warm           # also time a warm load in a fresh process

Conversions run in parallel worker processes (`-j`, default: all usable CPUs) and land in the cache
(`$BROADSHEET_CACHE`, else `$XDG_CACHE_HOME/broadsheet`, else `~/.cache/broadsheet`). Running it
again is cheap: prepared faces are only looked up. Exit status 2 when a face cannot be found or used.
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

try:
    import layout  # noqa: F401  (installed, e.g. `pip install -e .`)
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from layout.errors import FontError
from layout.fonts import default_cache_dir, default_jobs, prepare_faces

# The faces the reference spec (issue_specs/xuchang-2022-06-16.yaml) uses.
DEFAULT_FACES = ("Noto Serif CJK SC", "Noto Sans CJK SC Bold", "LXGW WenKai")

WARM_PROBE = """
import sys, time
t = time.perf_counter()
from layout.fonts import FontBook
book = FontBook()
for name in sys.argv[1:]:
    book.face(name)
print(f"{time.perf_counter() - t:.3f}")
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("faces", nargs="*", help="face full names or font paths (path#N for a TTC face)")
    parser.add_argument("-j", "--jobs", type=int, default=default_jobs(), help="worker processes")
    parser.add_argument("--warm", action="store_true",
                        help="time a warm load of the faces in a fresh process")
    args = parser.parse_args(argv)
    names = args.faces or list(DEFAULT_FACES)

    print(f"fonts: preparing {len(names)} face(s) with {args.jobs} worker(s); cache {default_cache_dir()}")
    started = time.perf_counter()
    try:
        results = prepare_faces(names, jobs=args.jobs)
    except FontError as e:
        print(f"fonts: {e}", file=sys.stderr)
        return e.exit_code
    for result in results:
        print(f"  {result.name}: {result.source}#{result.index} -> {result.file}")
        print(f"    {_describe(result)}")
    print(f"fonts: done in {time.perf_counter() - started:.1f} s; peak memory {_peak_memory()}")

    if args.warm:
        probe = subprocess.run([sys.executable, "-c", WARM_PROBE, *names], capture_output=True, text=True)
        if probe.returncode != 0:
            print(probe.stderr, file=sys.stderr)
            return 1
        print(f"fonts: warm load of {len(names)} face(s) in a fresh process: {probe.stdout.strip()} s")
    return 0


def _describe(result) -> str:
    conversion = result.conversion
    if conversion is None:
        kind = "cached conversion" if result.file != result.source else "TrueType, used as is"
        return f"ready ({kind}), {result.seconds:.2f} s"
    return (f"converted in {conversion['total_s']:.1f} s (skeleton {conversion['skeleton_s']:.1f} s, "
            f"outlines {conversion['outlines_s']:.1f} s, assembly {conversion['assemble_s']:.1f} s), "
            f"{conversion['glyphs']} glyphs, {conversion['bytes'] / 1e6:.1f} MB")


def _peak_memory() -> str:
    # ru_maxrss is in KiB on Linux; for children it is the largest single worker, not their sum.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return f"{own:.0f} MB main process, {workers:.0f} MB largest worker"


if __name__ == "__main__":
    sys.exit(main())
