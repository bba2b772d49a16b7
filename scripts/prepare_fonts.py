#!/usr/bin/env python3
"""Prepare font faces for Broadsheet: find them, convert CFF faces to TrueType once, cache them.

    python scripts/prepare_fonts.py                  # the reference spec's and zh-Hant starter's faces
    python scripts/prepare_fonts.py "Noto Serif CJK SC" /path/to/font.ttc#2
    python scripts/prepare_fonts.py --warm           # also time a warm load in a fresh process
    python scripts/prepare_fonts.py --all-installed-cjk            # every installed Chinese CJK face
    python scripts/prepare_fonts.py --all-installed-cjk --regions TC   # the Traditional Chinese ones

Conversions run in parallel worker processes (`-j`, default: all usable CPUs) and land in the cache
(`$BROADSHEET_CACHE`, else `$XDG_CACHE_HOME/broadsheet`, else `~/.cache/broadsheet`). Running it
again is cheap: prepared faces are only looked up. Exit status 2 when a face cannot be found or used.
"""
from __future__ import annotations

import argparse
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

try:
    import layout  # noqa: F401  (installed, e.g. `pip install -e .`)
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from layout.util.errors import FontError
from layout.fonts.find import FontFinder
from layout.fonts.book import FontBook, default_cache_dir, default_jobs, prepare_faces
from layout.press.fontreg import reportlab_name

# The faces the reference spec (issue_specs/xuchang-2022-06-16.yaml) uses, and those of a
# Traditional Chinese edition (`broadsheet new --lang zh-Hant`): prepared at set-up, so that no
# first render of a desk waits minutes for a conversion.
DEFAULT_FACES = ("Noto Serif CJK SC", "Noto Sans CJK SC Bold", "LXGW WenKai",
                 "Noto Serif CJK TC", "Noto Sans CJK TC Bold")
# Regions of Noto CJK: SC Simplified Chinese, TC Traditional Chinese (Taiwan), HK (Hong Kong),
# JP, KR. --all-installed-cjk takes the Chinese ones unless --regions says otherwise.
CHINESE_REGIONS = ("SC", "TC", "HK")
CJK_FACE = re.compile(r"Noto (?:Serif|Sans) CJK (?P<region>[A-Z]{2})(?: \w+)?")  # not Mono

WARM_PROBE = """
import sys, time
t = time.perf_counter()
from layout.fonts.book import FontBook
from layout.press.fontreg import reportlab_name
book = FontBook()
for name in sys.argv[1:]:
    reportlab_name(book.face(name).key)
print(f"{time.perf_counter() - t:.3f}")
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("faces", nargs="*", help="face full names or font paths (path#N for a TTC face)")
    parser.add_argument("-j", "--jobs", type=int, default=default_jobs(), help="worker processes")
    parser.add_argument("--warm", action="store_true",
                        help="time a warm load of the faces in a fresh process")
    parser.add_argument("--all-installed-cjk", action="store_true",
                        help="also every installed Noto Serif/Sans CJK face of --regions")
    parser.add_argument("--regions", default=",".join(CHINESE_REGIONS),
                        help="with --all-installed-cjk: comma-separated regions (SC,TC,HK,JP,KR)")
    args = parser.parse_args(argv)
    names = args.faces or ([] if args.all_installed_cjk else list(DEFAULT_FACES))
    if args.all_installed_cjk:
        regions = {r.strip().upper() for r in args.regions.split(",") if r.strip()}
        names += [n for n in installed_cjk_faces(regions) if n not in names]
        if not names:
            print(f"fonts: no installed Noto CJK face of {', '.join(sorted(regions))}", file=sys.stderr)
            return 2

    print(f"fonts: preparing {len(names)} face(s) with {args.jobs} worker(s); cache {default_cache_dir()}")
    started = time.perf_counter()
    try:
        results = prepare_faces(names, jobs=args.jobs)
        book = FontBook()
        for name in names:  # reportlab's parse of each face cached too: the first PDF is warm
            reportlab_name(book.face(name).key)
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


def installed_cjk_faces(regions: set[str]) -> list[str]:
    """Full names of the installed Noto Serif/Sans CJK faces of `regions`, sorted."""
    finder = FontFinder(None, default_cache_dir())
    names = set()
    for record in finder.index().records():
        found = CJK_FACE.fullmatch(record.full_name)
        if found and found["region"] in regions:
            names.add(record.full_name)
    return sorted(names)


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
