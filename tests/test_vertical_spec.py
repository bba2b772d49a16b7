"""The writing-mode keys of a module (issue 17): `direction`, `headline_direction`, `tiers`,
`tcy_max_digits` — read into the model, and each bad use an error at its line, all in one run."""
from __future__ import annotations

from pathlib import Path

import pytest

from editions import MINIMAL_SPEC
from layout.model.writing import Writing
from layout.spec.load import load_issue
from layout.util.errors import SpecError

ARTICLE = "- {article: a, col: 1, line: 1, cols: 2, lines: 10}"
IMAGE = "- {image: p, col: 3, line: 1, cols: 2, lines: 10}"


def spec(folder: Path, article: str = ARTICLE, image: str = IMAGE) -> Path:
    (folder / "photo.jpg").write_bytes((Path(__file__).parent.parent / "issue_specs" / "photo-1.jpg").read_bytes())
    text = MINIMAL_SPEC.replace(ARTICLE, article).replace(IMAGE, image)
    path = folder / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(folder: Path, **kw) -> list[str]:
    with pytest.raises(SpecError) as caught:
        load_issue(spec(folder, **kw))
    text = str(caught.value).replace(str(folder / "spec.yaml") + ":", "")
    return [line for line in text.splitlines()
            if line and not line.startswith("  ") and not line.endswith(" problems")]


def test_the_keys_are_read_into_the_module(tmp_path):
    issue = load_issue(spec(tmp_path, article="- {article: a, col: 1, line: 1, cols: 2, lines: 10, "
                                              "direction: vertical, headline_direction: horizontal, "
                                              "tcy_max_digits: 3}"))
    module = issue.pages[0].modules[0]
    assert module.writing == Writing("vertical", "horizontal", 1, 3)
    assert issue.pages[0].modules[1].box is None  # the image is untouched


def test_headline_direction_follows_the_direction_unless_given(tmp_path):
    issue = load_issue(spec(tmp_path, article=ARTICLE.replace("}", ", direction: vertical}")))
    assert issue.pages[0].modules[0].writing == Writing("vertical", "vertical")


def test_every_bad_use_is_an_error_at_its_line(tmp_path):
    found = problems(tmp_path,
                     article=ARTICLE.replace("}", ", direction: vertical, tiers: 2}"),
                     image=IMAGE.replace("}", ", direction: vertical}"))
    assert found == [
        "15: pages[0].modules[0].tiers: 2 tiers leave 5 characters a line, and a tier needs at "
        "least 8",
        "16: pages[0].modules[1].direction: vertical captions are not supported: an image "
        "module is set horizontally",
    ]


def test_vertical_index_boxes_photos_in_vertical_bodies_and_tier_rules_are_checked(tmp_path):
    """What a vertical story cannot have is an error, not a silent horizontal setting: an index
    box or a caption written vertically, a photo or pull quote inside a vertical body; and
    `tier_rules` (default on) applies to vertical text only."""
    path = spec(tmp_path, article=ARTICLE.replace("}", ", tier_rules: false}"),
                image="- {index: i, col: 3, line: 1, cols: 2, lines: 10, direction: vertical}")
    path.write_text(path.read_text(encoding="utf-8").replace(
        "articles:", "indexes:\n  i: {title: 导读, items: [{headline: 标题, page: 1}]}\narticles:"),
        encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_issue(path)
    found = [line for line in str(caught.value).replace(str(path) + ":", "").splitlines()
             if line and not line.startswith("  ") and not line.endswith(" problems")]
    assert found == [
        "15: pages[0].modules[0].tier_rules: tier_rules applies to vertical text only",
        "16: pages[0].modules[1].direction: vertical index boxes are not supported: an index "
        "module is set horizontally",
    ]
    found = problems(tmp_path, article="- {article: a, col: 1, line: 1, cols: 2, lines: 10, "
                                       "direction: vertical, photos: [{image: p, col: 1, "
                                       "line: 1, cols: 1, lines: 4}]}", image="")
    assert found == ["15: pages[0].modules[0].photos: photos applies to horizontal text: photos, "
                     "pull quotes and body columns inside a vertical body are not supported"]
    issue = load_issue(spec(tmp_path, article=ARTICLE.replace("}", ", direction: vertical, "
                                                                   "tier_rules: false}")))
    assert issue.pages[0].modules[0].writing.tier_rules is False
    assert load_issue(spec(tmp_path, article=ARTICLE.replace("}", ", direction: vertical}"))
                      ).pages[0].modules[0].writing.tier_rules is True


def test_tiers_and_tcy_need_vertical_text_and_a_vertical_headline_room(tmp_path):
    found = problems(tmp_path, article="- {article: a, col: 1, line: 1, cols: 1, lines: 10, "
                                       "headline_direction: vertical, tiers: 2, "
                                       "tcy_max_digits: 5}")
    assert found == [
        "15: pages[0].modules[0].tiers: tiers applies to vertical text only",
        "15: pages[0].modules[0].tcy_max_digits: tcy_max_digits applies to vertical text only",
        "15: pages[0].modules[0].headline_direction: a vertical headline beside horizontal text "
        "needs a module of at least 2 columns",
        "15: pages[0].modules[0].tcy_max_digits: expected at most 4 digits, found 5",
    ]


def test_a_vertical_headline_on_a_one_column_horizontal_module_says_what_to_do(tmp_path):
    """A 竖题 beside horizontal text needs 2 columns; in 1 column the desk is told to write the
    whole module vertically (which sets 「初冬江城」 as a vertical column, test_vertical_marks)."""
    with pytest.raises(SpecError) as caught:
        load_issue(spec(tmp_path, article="- {article: a, col: 1, line: 1, cols: 1, lines: 10, "
                                          "headline_direction: vertical}"))
    assert "or write the whole module vertically (direction: vertical)" in str(caught.value)
    issue = load_issue(spec(tmp_path, article="- {article: a, col: 1, line: 1, cols: 1, "
                                              "lines: 10, direction: vertical}"))
    assert issue.pages[0].modules[0].writing == Writing("vertical", "vertical")


def test_a_bad_direction_is_named_with_the_choices(tmp_path):
    found = problems(tmp_path, article=ARTICLE.replace("}", ", direction: vertikal}"))
    assert found == ['15: pages[0].modules[0].direction: expected one of horizontal, vertical, '
                     'found "vertikal"']


def test_a_story_is_written_one_way_through_its_chain(tmp_path):
    text = MINIMAL_SPEC.replace(ARTICLE, ARTICLE.replace("}", ", direction: vertical}")).replace(
        "  - number: 1\n", "  - number: 1\n", 1)
    text = text.replace(IMAGE, IMAGE + "\n      - {continue: a, col: 1, line: 11, cols: 4, lines: 7}")
    path = tmp_path / "spec.yaml"
    (tmp_path / "photo.jpg").write_bytes((Path(__file__).parent.parent / "issue_specs" / "photo-1.jpg").read_bytes())
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_issue(path)
    assert str(caught.value).startswith(
        f"{path}:17: pages[0].modules[2].continue: continues article \"a\" horizontally, and it "
        "starts vertically")


def test_a_vertical_headline_too_wide_for_its_module_is_named(tmp_path):
    from layout.desk.render import plan_spec
    from layout.util.errors import LayoutError

    path = spec(tmp_path, article="- {article: a, col: 1, line: 1, cols: 2, lines: 10, "
                                  "headline_direction: vertical, headline_size: 40pt}")
    text = path.read_text(encoding="utf-8").replace("headline: 标题", "headline: 这是一个很长很长很长很长很长很长的标题")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LayoutError) as caught:
        plan_spec(path)
    assert "the vertical headline of story 'a' takes" in str(caught.value)
