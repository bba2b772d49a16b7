"""Batch rendering (`broadsheet render A B … --jobs N [--split-pages]`): parallel workers, one spec's
failure never touching the others, messages as `broadsheet render` words them, one PDF per page."""
from __future__ import annotations

import os
import sys
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from layout.desk.batch import INTERRUPTED, Outcome, render_many, split_pdf
from editions import edition



def broken(text: str) -> str:
    return text.replace("spec_version: 1", "spec_version: 7")


def cli():
    """The real command group (cli.py)."""
    from layout.desk.cli import main

    return main


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The reference edition and a broken spec, rendered in 2 worker processes."""
    folder = tmp_path_factory.mktemp("batch")
    good = edition(folder, "good.yaml")
    bad = edition(folder, "bad.yaml", edit=broken)
    seen: list[tuple[str, int, int]] = []
    outcomes = render_many([bad, good], folder / "out", jobs=2, split_pages=True,
                           on_progress=lambda o, done, total: seen.append((o.spec.name, done, total)))
    return folder, good, bad, outcomes, seen


def test_one_fails_the_other_is_written(batch):
    folder, good, bad, outcomes, seen = batch
    assert [o.spec for o in outcomes] == [bad, good]  # in the order given
    bad_outcome, good_outcome = outcomes
    assert good_outcome.code == 0 and good_outcome.output == folder / "out" / "good.pdf"
    assert PdfReader(good_outcome.output).get_num_pages() == 2 == good_outcome.pages
    assert bad_outcome.code == 2 and bad_outcome.output is None
    assert not (folder / "out" / "bad.pdf").exists()
    assert not list((folder / "out").glob(".*tmp"))
    assert sorted(name for name, _, _ in seen) == ["bad.yaml", "good.yaml"]  # once each
    assert [(done, total) for _, done, total in seen] == [(1, 2), (2, 2)]
    assert max(o.code for o in outcomes) == 2


def test_messages_are_those_of_the_render_command(batch):
    from layout.desk.cli import main

    folder, good, bad, outcomes, _ = batch
    bad_outcome, good_outcome = outcomes
    printed = CliRunner().invoke(main, ["render", str(bad), "-o", str(folder / "cli")])
    assert printed.exit_code == bad_outcome.code
    assert printed.output.strip() == bad_outcome.message.strip()
    assert bad_outcome.message.startswith(f"{bad}:") and "spec_version" in bad_outcome.message
    assert good_outcome.message.splitlines()[0] == f"wrote {good_outcome.output} (2 pages)"


def test_split_pages_writes_one_pdf_per_page(batch):
    folder, _, _, outcomes, _ = batch
    good = outcomes[1]
    assert [p.name for p in good.split] == ["good-p01.pdf", "good-p02.pdf"]
    whole = PdfReader(good.output)
    for number, path in enumerate(good.split, 1):
        reader = PdfReader(path)
        assert reader.get_num_pages() == 1
        page = reader.pages[0]
        assert page.trimbox == whole.pages[number - 1].trimbox
        assert page.extract_text() == whole.pages[number - 1].extract_text()
    assert not list((folder / "out").glob("bad-p*.pdf"))


def test_split_pages_of_a_pdfx_edition_are_pdfx_too(batch):
    from layout.press.findings import exit_code, format_report
    from layout.press.preflight import check_pdf

    folder, good, _, _, _ = batch
    out = folder / "pdfx"
    result = CliRunner().invoke(cli(), ["render", str(good), "--pdfx", "--marks", "--split-pages",
                                        "-o", str(out)])
    assert result.exit_code == 0, result.output
    for page in ("good-p01.pdf", "good-p02.pdf"):
        problems = check_pdf(out / page, pdfx=True)
        assert exit_code(problems) == 0, format_report(out / page, problems)
        whole, one = PdfReader(out / "good.pdf"), PdfReader(out / page)
        assert one.get_num_pages() == 1 and one.pages[0].trimbox == whole.pages[0].trimbox
        assert one.pages[0].mediabox == whole.pages[0].mediabox  # marks outside the bleed kept


def test_split_pdf_numbers_pages_and_drops_stale_ones(batch, tmp_path):
    _, _, _, outcomes, _ = batch
    pdf = outcomes[1].output
    (tmp_path / "ed-p09.pdf").write_bytes(b"stale")
    (tmp_path / "ed-pages.pdf").write_bytes(b"not a page file")
    written = split_pdf(pdf, tmp_path, "ed", [5, 6])
    assert [p.name for p in written] == ["ed-p05.pdf", "ed-p06.pdf"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ed-p05.pdf", "ed-p06.pdf", "ed-pages.pdf"]
    with pytest.raises(ValueError):
        split_pdf(pdf, tmp_path, "ed", [1])


def test_render_command_batch_exit_code_and_summary(batch):
    folder, good, bad, _, _ = batch
    out = folder / "cmd"
    result = CliRunner().invoke(cli(), ["render", str(good), str(bad), "--jobs", "2",
                                        "--split-pages", "-o", str(out)])
    assert result.exit_code == 2
    assert (out / "good.pdf").exists() and (out / "good-p01.pdf").exists()
    assert not (out / "bad.pdf").exists()
    assert "1 of 2 specs rendered" in result.output and "Traceback" not in result.output
    assert f"wrote {out / 'good.pdf'} (2 pages)" in result.output
    # Not a terminal: the summary is plain columns (spec, exit, pages, seconds, result).
    rows = {line.split()[0]: line.split() for line in result.output.splitlines()
            if line.split() and line.split()[0] in (str(good), str(bad))
            and line.split()[1].isdigit()}
    assert rows[str(good)][1:3] == ["0", "2"] and rows[str(good)][4] == "wrote"
    assert rows[str(bad)][1] == "2"
    assert "━" not in result.output and "\x1b[" not in result.output


def test_single_spec_output_is_unchanged(tmp_path):
    bad = edition(tmp_path, "bad.yaml", edit=broken)
    result = CliRunner().invoke(cli(), ["render", str(bad), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output.splitlines()[0].startswith(f"{bad}:")
    assert "specs rendered" not in result.output  # no summary table for one spec


def test_errors_are_caught_per_spec(tmp_path, monkeypatch):
    import layout.desk.render

    good = edition(tmp_path, "good.yaml")
    boom = edition(tmp_path, "boom.yaml")
    real = layout.desk.render.render_spec

    def flaky(spec, output, **kw):
        if spec.name == "boom.yaml":
            raise RuntimeError("kaput")
        return real(spec, output, **kw)

    monkeypatch.setattr(layout.desk.render, "render_spec", flaky)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    boom_outcome, good_outcome = render_many([boom, good], tmp_path / "out", jobs=1)
    assert boom_outcome.code == 3 and good_outcome.code == 0
    assert boom_outcome.message.startswith(f"{boom}: internal error: RuntimeError: kaput")
    (unwritable,) = render_many([good], blocker / "sub", jobs=1)
    assert unwritable.code == 2 and "cannot write output" in unwritable.message


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs fork workers")
def test_a_dying_worker_fails_only_its_own_spec(tmp_path, monkeypatch):
    import layout.desk.render

    specs = [edition(tmp_path, f"ed{i}.yaml") for i in range(3)]
    real = layout.desk.render.render_spec

    def crash(spec, output, **kw):  # a segfault in a C library, as far as the pool can tell
        if spec.name == "ed1.yaml":
            os._exit(70)
        return real(spec, output, **kw)

    monkeypatch.setattr(layout.desk.render, "render_spec", crash)  # fork: the workers see it too
    outcomes = render_many(specs, tmp_path / "out", jobs=2)
    assert [o.code for o in outcomes] == [0, 3, 0]
    assert "render process ended abruptly" in outcomes[1].message
    assert (tmp_path / "out" / "ed0.pdf").exists() and (tmp_path / "out" / "ed2.pdf").exists()


def test_ctrl_c_stops_a_sequential_batch(tmp_path, monkeypatch):
    import layout.desk.render

    specs = [edition(tmp_path, f"ed{i}.yaml") for i in range(2)]

    def interrupted(spec, output, **kw):
        raise KeyboardInterrupt

    monkeypatch.setattr(layout.desk.render, "render_spec", interrupted)
    outcomes = render_many(specs, tmp_path / "out", jobs=1)
    assert [o.code for o in outcomes] == [INTERRUPTED, INTERRUPTED]
    assert all(isinstance(o, Outcome) and "interrupted" in o.message for o in outcomes)
    assert not (tmp_path / "out").exists()


def test_specs_that_would_write_one_pdf_are_refused_and_a_repeated_spec_renders_once(tmp_path):
    a, c = tmp_path / "a", tmp_path / "c"
    a.mkdir()
    c.mkdir()
    one, two = edition(a), edition(c)
    other = edition(tmp_path, "other.yaml")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli(), ["render", str(one), str(two), str(other), str(other),
                                        str(tmp_path), "--jobs", "2", "-o", str(out)])
    assert result.exit_code == 2
    assert f"{one}: would write {out / 'ed.pdf'}, as {two} would; none of them is rendered" \
        in result.output
    assert f"{tmp_path}: cannot read the spec: Is a directory" in result.output  # not a usage error
    assert sorted(p.name for p in out.iterdir()) == ["other.pdf"]
    assert sum(line.startswith(f"wrote {out / 'other.pdf'}") for line in result.output.splitlines()) == 1
    assert "1 of 4 specs rendered" in result.output
