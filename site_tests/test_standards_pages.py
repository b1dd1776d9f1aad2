"""The standards as pages: one per year and standard at stable URLs, every indicator anchored,
bases linking to articles, sample/draft/older-year notices, citations on the Measures page."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from macros import render_standards
from scorer import model, tree
from scorer.schema import load_schema

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = tree.load(str(ROOT / "standards"))

pytestmark = pytest.mark.site


def read(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("sid", list(SHIPPED.current.standards))
def test_every_indicator_item_and_bonus_is_anchored(built_site, sid):
    html = read(built_site, f"standards/{SHIPPED.current.year}/{sid}")
    standard = SHIPPED.current.standards[sid]
    for area in standard.areas:
        assert f'id="{area.id}"' in html
        for indicator in area.indicators:
            assert f'<tr id="{indicator.id}">' in html
            for item in indicator.deductions:
                assert f'<li id="{item.id}">' in html
            for article in indicator.basis:
                assert f'href="../../../measures/#{article}"' in html
    for bonus in standard.bonuses:
        assert f'<tr id="{bonus.id}">' in html
    assert "示例分值" in html and "status: sample" in html


def test_measures_articles_list_the_indicators_citing_them(built_site):
    html = read(built_site, "measures")
    section = html.split('id="article-13"', 1)[1].split('id="article-14"', 1)[0]
    assert "本条对应的评价指标" in section
    assert 'href="../standards/2019/dept/#POL-01"' in section


def test_year_page_shows_grades_limits_and_no_older_notice(built_site):
    html = read(built_site, "standards/2019")
    for grade in SHIPPED.current.settings.grades:
        assert f'id="grade-{grade.id}"' in html and grade.application.principal in html
    assert "LIM-01" in html and "不是现行标准" not in html


def test_index_lists_current_year_and_data_links(built_site):
    html = read(built_site, "standards")
    assert "现行标准（2019 年度）" in html
    assert 'href="2019/dept/"' in html and 'href="../data/index.json"' in html


def test_nav_lists_current_standards_in_chapter_2_order(built_site):
    html = read(built_site, "standards")
    nav = html.split('class="md-nav md-nav--primary"', 1)[1]
    order = [nav.index(t) for t in ("区委各部门", "街道党工委", "驻区单位党组织")]
    assert order == sorted(order)


def test_archive_urls_are_stable_and_older_years_point_to_current(years_site):
    for year in (2019, 2020, 2021, 2022):
        assert (years_site / "standards" / str(year) / "dept" / "index.html").exists()
    older = read(years_site, "standards/2019/dept")
    assert "这是 2019 年度的标准，不是现行标准" in older and 'href="../../2021/"' in older
    assert "不是现行标准" not in read(years_site, "standards/2021/dept")


def test_draft_year_is_built_but_marked_and_never_current(years_site):
    draft = read(years_site, "standards/2022/dept")
    assert "草稿：2022 年度标准尚未发布" in draft
    index = read(years_site, "standards")
    assert "现行标准（2021 年度）" in index and "（草稿，未发布）" in index


def test_year_page_shows_change_notes(years_site):
    html = read(years_site, "standards/2020")
    assert "POL-02 更名为 POL-03" in html and 'href="../2019/"' in html
    assert "替代 POL-02" in read(years_site, "standards/2020/dept")


@pytest.mark.parametrize("from_page,to_page,anchor,expected", [
    ("standards/2019/dept.md", "measures/index.md", "article-13", "../../../measures/#article-13"),
    ("standards/index.md", "standards/2019/dept.md", "", "2019/dept/"),
    ("measures/index.md", "standards/2019/dept.md", "POL-01", "../standards/2019/dept/#POL-01"),
    ("standards/2019/index.md", "standards/2019/dept.md", "", "dept/"),
    ("index.md", "index.md", "", "./"),
])
def test_relative_links(from_page, to_page, anchor, expected):
    assert render_standards.rel(from_page, to_page, anchor) == expected


def test_band_texts_and_rules():
    grades = SHIPPED.current.settings.grades
    assert render_standards.band_text(grades, 0) == "90 分及以上"
    assert render_standards.band_text(grades, 1) == "80 分至 90 分（不含 90 分）"
    assert render_standards.band_text(grades, len(grades) - 1) == "60 分以下"
    rule = render_standards.deduction_rule
    assert rule(model.Deduction("X", "t", Decimal("0.5"), per="occurrence", cap=Decimal(2))) == "每次扣 0.5 分，最多扣 2 分"
    assert rule(model.Deduction("X", "t", Decimal(3), per="once")) == "发生即扣 3 分"


def test_yaml_text_is_escaped_on_standard_pages():
    import copy

    hostile = copy.deepcopy(SHIPPED)
    standard = hostile.current.standards["dept"].to_json()  # the records are frozen: edit their plain form
    standard["areas"][0]["indicators"][0]["content"] = "<script>alert(1)</script>"
    standard["emphasis"] = "<img src=x onerror=alert(1)>"
    hostile.current.standards["dept"] = model.Standard.from_json(standard)
    html = render_standards.render_standard(hostile, 2019, "dept")
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html
    assert not re.search(r"<img", html)


def test_data_is_published_as_json_with_schemas(built_site):
    import json

    import jsonschema

    data = built_site / "data"
    index = json.loads((data / "index.json").read_text(encoding="utf-8"))
    assert index["current"] == SHIPPED.current.year
    measures = json.loads((data / index["measures"]).read_text(encoding="utf-8"))
    schemas = {k: json.loads((data / v).read_text(encoding="utf-8")) for k, v in index["schemas"].items()}
    jsonschema.validate(measures, schemas["measures"])
    # The results' schemas go out too, as the scorer validates with them (site_tests/result_schemas.py).
    for name in ("score-result", "collected-row", "collect-result", "diff-record", "diff-result", "carry-result", "final-result",
                 "application-org-result", "application-add-result", "application-save-result", "application-view-result",
                 "rectification-view-result", "rectification-list-result", "rectification-import-result"):
        assert schemas[name] == load_schema(name), name
        jsonschema.Draft202012Validator.check_schema(schemas[name])
    for year in index["years"]:
        for entry in year["standards"]:
            bundle = json.loads((data / entry["path"]).read_text(encoding="utf-8"))
            jsonschema.validate(bundle["standard"], schemas["standard"])
            jsonschema.validate(bundle["year"], schemas["year"])
            assert bundle["hash"] == entry["hash"] == SHIPPED.year(year["year"]).bundle(entry["id"]).to_json()["hash"]


def test_fixture_build_publishes_the_fixture_data(years_site):
    import json

    index = json.loads((years_site / "data" / "index.json").read_text(encoding="utf-8"))
    assert [y["year"] for y in index["years"]] == [2019, 2020, 2021, 2022] and index["current"] == 2021
    # Each year's change notes are published with it, as year.yaml has them (the comparison shows them).
    assert [y["changes"] for y in index["years"]] == [list(tree.load(str(ROOT / "site_tests" / "fixtures" / "years")).year(y["year"]).settings.changes)
                                                      for y in index["years"]]
    assert index["years"][2]["changes"] == ["DIS-01 标题调整", "新增 BON-03", "奖励上限调为 6 分"]


def test_editors_guide_links_to_the_comparison(built_site):
    """The guide's 年度对比 link leads to the comparison page, not the standards overview."""
    html = (built_site / "editors" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]*)"[^>]*>年度对比</a>', html)
    assert links == ["../standards/compare/"]
    assert (built_site / "standards" / "compare" / "index.html").is_file()
