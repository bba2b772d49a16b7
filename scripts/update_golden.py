"""Refresh the golden dumps (tests/golden/*.txt) from the current output, on purpose only: after a
change whose new breaks, columns or glyph positions are intended, or after installing other font
files. Same as `pytest tests/test_golden.py --update-golden`; review `git diff tests/golden` before
committing."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(pytest.main([str(ROOT / "tests" / "test_golden.py"), "-q", "--update-golden",
                          "-p", "no:cacheprovider", "--rootdir", str(ROOT), *sys.argv[1:]]))
