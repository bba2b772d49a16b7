"""Every example edition passes the independent audit (shared/tools/audit.py): kinsoku, flush
justification, baseline grid, 孤字, text conservation, jumps, fonts and page boxes."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from layout.desk.render import render_spec

ROOT = Path(__file__).resolve().parent.parent
AUDIT = ROOT.parent / "shared" / "tools" / "audit.py"
SPECS = sorted((ROOT / "issue_specs").glob("*.yaml"))


@pytest.mark.skipif(not AUDIT.exists(), reason="shared/tools/audit.py is not beside the checkout")
@pytest.mark.parametrize("spec", SPECS, ids=[s.stem for s in SPECS])
def test_audit_finds_nothing(spec, tmp_path):
    pdf = tmp_path / f"{spec.stem}.pdf"
    render_spec(spec, pdf)
    proc = subprocess.run([sys.executable, str(AUDIT), str(pdf), "--spec", str(spec), "--json"],
                          capture_output=True, text=True, timeout=120)
    report = json.loads(proc.stdout)
    summary = proc.stderr.strip().splitlines()[-1]
    assert proc.returncode == 0, summary
    assert summary.startswith("audit: 0 failures"), summary
    assert report  # the JSON report was produced
