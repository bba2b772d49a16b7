"""A vertical module sets no body columns, photos or pull quote of its own (issue 17 QA): each is
an error at its line, not a key silently left out of the page."""
from __future__ import annotations

from layout.spec.load import load_issue
from test_vertical_spec import ARTICLE, problems, spec


def test_body_cols_photos_and_pull_quote_are_errors_on_a_vertical_module(tmp_path):
    article = ARTICLE.replace("}", ", direction: vertical, body_cols: 2,\n"
                              "   photos: [{image: p, col: 1, line: 4, cols: 1, lines: 3}],\n"
                              "   pull_quote: {text: 一句话, col: 2, line: 4, cols: 1, lines: 3}}")
    found = problems(tmp_path, article=article)
    assert [line.split(": ", 1)[1].split(":")[0] for line in found] == [
        "pages[0].modules[0].body_cols", "pages[0].modules[0].photos",
        "pages[0].modules[0].pull_quote"]
    assert all("applies to horizontal text" in line for line in found)  # once each


def test_the_same_keys_on_a_horizontal_module_load(tmp_path):
    article = ARTICLE.replace("}", ", body_cols: 2,\n"
                              "   photos: [{image: p, col: 1, line: 4, cols: 1, lines: 3}]}")
    module = load_issue(spec(tmp_path, article=article)).pages[0].modules[0]
    assert module.layout.body_cols == 2 and len(module.layout.photos) == 1
