"""The comparison page (/standards/compare/) in a real Chromium, on the multi-year fixture site
(2019-2021 published, 2022 draft; see test_years.py for what each year changes) and on the shipped
site (one year).

The page shows the scorer's own diff, so the classification asserted here is test_years.py's, as a
reader sees it: groups, ids linking to both years' indicator anchors, <ins>/<del> marks, settings.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

from site_tests import gates
from playwright.sync_api import Page, expect


pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
YEARS = ROOT / "site_tests" / "fixtures" / "years"

RESULT_TIMEOUT_MS = 90_000  # first comparison boots Pyodide in the worker

# Every change record the page shows: (group, kind, id), in page order.
RECORDS_JS = """() => [...document.querySelectorAll('#gm-compare-result [data-group] li.gm-change')]
  .map((li) => [li.closest('[data-group]').dataset.group, li.dataset.kind, li.dataset.id])"""


def edit(path: Path, *replacements):
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, f"{path.name}: {old!r} not found"
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def rich_url(tmp_path_factory):
    """The fixture's 2020 -> 2021 with every other kind of field change: deleted characters, a longer
    basis list, a deduction's rule and a new deduction, a grade's application text, a limit's grade,
    the standard's emphasis, and markup in the text (which must stay text). 2019's bundle is then
    corrupted on disk so the page must show the scorer's refusal."""
    root = tmp_path_factory.mktemp("rich-standards") / "standards"
    shutil.copytree(YEARS, root)  # follows the measures.yaml symlink
    shutil.rmtree(root / "2022")  # a copy of 2021: it would need change notes now
    edit(root / "2021" / "dept.yaml",
         ("emphasis: 测试。", "emphasis: 测试，新的侧重。"),
         ("    title: 运用监督执纪四种形态\n    content: 测试内容。\n    points: 20\n    method: 查阅资料\n"
          "    basis:\n    - article-17\n    deductions:\n    - id: DIS-01a\n      text: 每次扣十分\n"
          "      points: 10\n      per: occurrence\n",
          "    title: 运用监督执纪四种形态\n    content: 严格运用“四种形态”，<img src=x>抓早抓小。\n    points: 20\n"
          "    method: 查阅资料、个别谈话\n    basis:\n    - article-17\n    - article-21\n    deductions:\n"
          "    - id: DIS-01a\n      text: 每次扣十分，最多扣二十分\n      points: 10\n      per: once\n"
          "    - id: DIS-01b\n      text: 新增的扣分情形\n      points: 2\n      per: occurrence\n      cap: 4\n"))
    edit(root / "2021" / "year.yaml",
         ("    principal: 测试：主要负责人较好。", "    principal: 测试：主要负责人较好，可评先。"),
         ("  max_grade: fair\n", "  max_grade: fair-good\n"),
         ("- 奖励上限调为 6 分", "- 奖励上限调为 6 分\n- DIS-01 内容、依据和扣分调整；等级运用与限制调整"))
    out = gates.build_site(tmp_path_factory.mktemp("rich-site"), "the edited fixture", root, timeout=300)
    edit(out / "data" / "2019" / "dept.json", ('"hash":"sha256:', '"hash":"sha256:0'))
    with gates.serving(out) as url:
        yield url


@pytest.fixture
def guard(page):
    return gates.Guard(page)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "zh-CN"}


def wait_done(page: Page):
    """Wait for the comparison to finish; an error state fails at once with the page's message."""
    # Not wait_for_function: it eval()s its predicate in the page, which the site's CSP (no 'unsafe-eval')
    # refuses whenever the DevTools exemption races (microsoft/playwright#36982).
    expect(page.locator("#gm-compare")).to_have_attribute("data-state", re.compile(r"^(done|error|empty)$"),
                                                          timeout=RESULT_TIMEOUT_MS)
    state = page.locator("#gm-compare").get_attribute("data-state")
    assert state == "done", f"{state}: {page.locator('#gm-compare-status').text_content()}"


def options(page: Page, select: str) -> list[str]:
    return page.locator(f"{select} option").evaluate_all("os => os.map((o) => o.value)")


def field(page: Page, record: str, name: str):
    return page.locator(f'#gm-compare-result li.gm-change[data-id="{record}"] [data-field="{name}"]')


def test_2019_to_2020_shows_the_exact_classification(page, years_url, guard, artifacts_dir):
    page.goto(years_url + "standards/compare/?from=2019&to=2020&standard=dept")
    # Readable before the runtime: the choice is there and the status line says what is happening.
    expect(page.locator("#gm-compare-form")).to_be_visible()
    wait_done(page)

    assert page.evaluate(RECORDS_JS) == [
        ["added", "added", "INS-02"],
        ["removed", "removed", "INS-01"],
        ["changed", "changed", "IDE-01"],
        ["changed", "changed", "ORG-01"],
        ["changed", "changed", "BON-02"],
        ["moved", "moved", "ORG-02"],
        ["replaced", "replaced", "POL-03"],
        ["areas", "changed", "ideological"],
        ["areas", "changed", "organizational"],
        ["areas", "changed", "conduct"],
    ]
    summary = page.locator(".gm-compare-summary").inner_text()
    assert "新增 1、删除 1、修改 3、移动 1、替换 1" in summary
    assert "年度设置：无变化" in summary and "领域分值调整 3 处" in summary
    assert page.locator('[data-group="settings"]').count() == 0

    # Replaced: old id -> new id, each linking to its year's indicator anchor; the title's new characters in <ins>.
    replaced = page.locator('li.gm-change[data-id="POL-03"]')
    assert "POL-02 → POL-03" in replaced.inner_text()
    assert replaced.locator("a.gm-id").evaluate_all("as => as.map((a) => a.getAttribute('href'))") == [
        "../2019/dept/#POL-02", "../2020/dept/#POL-03"]
    title = field(page, "POL-03", "title")
    assert title.locator(".gm-side--new .gm-side-text").evaluate("e => e.innerHTML").endswith("<ins>重大事项</ins>请示报告")
    assert title.locator(".gm-side--new .gm-visually-hidden").all_text_contents() == ["新增："]
    assert title.locator(".gm-side--old .gm-side-text").inner_text() == "请示报告"
    assert title.locator("del").count() == 0

    # Numbers as plain text, old -> new; the move in Chinese area names.
    assert field(page, "IDE-01", "points").inner_text() == "分值：15 → 12"
    assert field(page, "ORG-01", "points").inner_text() == "分值：5 → 8"
    assert field(page, "BON-02", "points").inner_text() == "每次加分：1 → 1.5"
    assert "组织建设 → 作风建设" in page.locator('li.gm-change[data-id="ORG-02"]').inner_text()
    assert "INS-02 制度评估（制度建设）" in page.locator('li.gm-change[data-id="INS-02"]').inner_text()
    assert page.locator('li.gm-change[data-id="INS-01"] a.gm-id').get_attribute("href") == "../2019/dept/#INS-01"

    # A space before 。 in CON-01 is not a change, and the page does not make it one.
    assert "CON-01" not in page.locator("#gm-compare-result").inner_text()

    # Every link leads to a page of the site that has the anchor.
    hrefs = page.locator("#gm-compare-result a").evaluate_all("as => as.map((a) => a.href)")
    for href in sorted(set(hrefs)):
        url = urlsplit(href)
        response = page.request.get(urljoin(href, url.path))
        assert response.ok, href
        if url.fragment:
            assert f'id="{url.fragment}"' in response.text(), href

    # Draft years are not offered without ?draft=1.
    assert options(page, "#gm-compare-from") == options(page, "#gm-compare-to") == ["2019", "2020", "2021"]
    assert options(page, "#gm-compare-standard") == ["dept"]

    page.screenshot(path=str(artifacts_dir / "compare-1280.png"), full_page=True)
    guard.assert_clean()


def test_changing_the_selects_updates_the_url_and_the_result(page, years_url, guard):
    page.goto(years_url + "standards/compare/?from=2019&to=2020&standard=dept")
    wait_done(page)
    page.select_option("#gm-compare-from", "2020")
    expect(page.locator("#gm-compare-result")).to_contain_text("没有可对比的内容")  # 2020 vs 2020 on the way
    page.select_option("#gm-compare-to", "2021")
    wait_done(page)
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"from": ["2020"], "to": ["2021"], "standard": ["dept"]}

    assert page.evaluate(RECORDS_JS) == [
        ["settings", "changed", "bonus_cap"],
        ["added", "added", "BON-03"],
        ["changed", "changed", "DIS-01"],
    ]
    settings = page.locator('[data-group="settings"]').inner_text()
    assert "奖励上限：5 → 6 分" in settings
    assert "年度设置：1 处变化" in page.locator(".gm-compare-summary").inner_text()
    title = field(page, "DIS-01", "title")
    assert title.locator(".gm-side--new ins").all_text_contents() == ["运用监督执纪"]
    assert page.locator('[data-group="added"] h2').inner_text() == "新增指标和奖励项目（1）"

    # The URL is the state: back returns to the previous choice, a reload restores this one.
    page.go_back()
    expect(page.locator("#gm-compare-result")).to_contain_text("原年度与新年度相同（2020 年度）")
    assert page.locator("#gm-compare-to").input_value() == "2020"
    page.go_forward()
    wait_done(page)
    page.reload()
    wait_done(page)
    assert page.locator("#gm-compare-from").input_value() == "2020"
    assert page.locator("#gm-compare-to").input_value() == "2021"
    assert "奖励上限" in page.locator('[data-group="settings"]').inner_text()
    guard.assert_clean()


def test_defaults_drafts_and_missing_standards(page, years_url, guard):
    # No query: the previous published year against the current one, written into the URL.
    page.goto(years_url + "standards/compare/")
    wait_done(page)
    assert parse_qs(urlsplit(page.url).query) == {"from": ["2020"], "to": ["2021"], "standard": ["dept"]}
    assert "2021 年度（现行）" in page.locator("#gm-compare-to").inner_text()

    # A draft year in the URL is refused without ?draft=1, and offered with it.
    page.goto(years_url + "standards/compare/?from=2021&to=2022&standard=dept")
    wait_done(page)
    assert "2022 年度尚未发布（草稿）" in page.locator("#gm-compare-result").inner_text()
    assert "2022" not in options(page, "#gm-compare-to")
    page.goto(years_url + "standards/compare/?from=2021&to=2022&standard=dept&draft=1")
    wait_done(page)
    assert options(page, "#gm-compare-to") == ["2019", "2020", "2021", "2022"]
    assert "2022 年度（草稿）" in page.locator("#gm-compare-to").inner_text()
    assert "完全相同" in page.locator(".gm-compare-summary").inner_text()

    # A standard one year lacks is named, not silently swapped.
    page.goto(years_url + "standards/compare/?from=2019&to=2020&standard=street")
    expect(page.locator("#gm-compare-result")).to_contain_text("2019 年度和 2020 年度没有标准 street，无法对比")
    guard.assert_clean()


def test_phone_width_stacks_old_and_new_without_sideways_scroll(page, years_url, guard, artifacts_dir):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(years_url + "standards/compare/?from=2019&to=2020&standard=dept")
    wait_done(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    boxes = [b.bounding_box() for b in field(page, "POL-03", "title").locator(".gm-side").all()]
    assert boxes[0]["x"] == boxes[1]["x"] and boxes[1]["y"] > boxes[0]["y"], "old and new are stacked"
    page.screenshot(path=str(artifacts_dir / "compare-375.png"), full_page=True)
    guard.assert_clean()


def test_shipped_site_has_one_year_and_says_so(page, site_url, guard, artifacts_dir):
    page.goto(site_url + "standards/compare/")
    expect(page.locator("#gm-compare-result")).to_contain_text(
        "目前只有一个已发布年度（2019 年度），没有可对比的年度")
    expect(page.locator("#gm-compare-form")).to_be_hidden()
    assert not any("/assets/pyodide/" in u for u in guard.seen), "no runtime is loaded when there is nothing to compare"
    nav = page.locator(".md-nav--primary a", has_text="年度对比")
    assert nav.count() >= 1
    page.screenshot(path=str(artifacts_dir / "compare-one-year.png"), full_page=True)
    guard.assert_clean()


def test_every_field_kind_is_shown_side_by_side_as_text(page, rich_url, guard, artifacts_dir):
    page.goto(rich_url + "standards/compare/?from=2020&to=2021&standard=dept")
    wait_done(page)
    assert page.evaluate(RECORDS_JS) == [
        ["settings", "changed", "bonus_cap"],
        ["settings", "changed", "fair-good"],
        ["settings", "changed", "LIM-01"],
        ["added", "added", "BON-03"],
        ["changed", "changed", "DIS-01"],
        ["standard", "changed", "emphasis"],
    ]
    names = page.locator('li.gm-change[data-id="DIS-01"] .gm-field').evaluate_all(
        "fs => fs.map((f) => f.querySelector('.gm-field-name').textContent)")
    assert names == ["标题", "评价内容", "评价方式", "依据", "扣分情形 DIS-01a", "扣分情形 DIS-01a 计扣方式",
                     "扣分情形 DIS-01b（新增）"]

    # Markup in the data is text on the page, never an element.
    content = field(page, "DIS-01", "content")
    assert "<img src=x>" in content.locator(".gm-side--new").inner_text()
    assert page.locator("#gm-compare-result img").count() == 0
    assert content.locator(".gm-side--old del").all_text_contents() == ["测试内容"]
    assert content.locator(".gm-side--old .gm-visually-hidden").all_text_contents() == ["删除："]

    # As a screen reader hears it: the hidden prefix names the change.
    assert field(page, "DIS-01", "basis").locator(".gm-side--new .gm-side-text").text_content() == "第十七条、新增：第二十一条"
    assert field(page, "DIS-01", "basis").locator("ins").all_text_contents() == ["第二十一条"]
    assert field(page, "DIS-01", "deductions.DIS-01a.per").inner_text() == (
        "扣分情形 DIS-01a 计扣方式：每发生一次扣分 → 发生即扣（只扣一次）")
    added = field(page, "DIS-01", "deductions.DIS-01b")
    assert added.locator(".gm-side--old .gm-side-text").text_content() == "（无）"
    assert added.locator(".gm-side--new .gm-side-text").text_content() == "新增：新增的扣分情形（每次扣 2 分，最多扣 4 分）"

    grade = page.locator('li.gm-change[data-id="fair-good"]')
    assert grade.locator("a").get_attribute("href") == "../2021/#grade-fair-good"
    # The scorer gives no character marks inside an object (a grade's application): the changed entry is marked whole.
    assert grade.locator(".gm-side--new ins").all_text_contents() == ["测试：主要负责人较好，可评先。"]
    assert grade.locator(".gm-side--old del").all_text_contents() == ["测试：主要负责人较好。"]
    assert field(page, "LIM-01", "max_grade").inner_text() == "最高等级：一般 → 较好"
    assert field(page, "emphasis", "emphasis").locator(".gm-field-name").inner_text() == "工作侧重"
    page.screenshot(path=str(artifacts_dir / "compare-fields-1280.png"), full_page=True)
    guard.assert_clean()


def test_a_refused_bundle_is_reported_in_chinese(page, rich_url, guard):
    page.goto(rich_url + "standards/compare/?from=2019&to=2020&standard=dept")
    expect(page.locator("#gm-compare")).to_have_attribute("data-state", "error", timeout=RESULT_TIMEOUT_MS)
    assert page.locator("#gm-compare-status").inner_text() == "对比失败：标准数据有问题。"
    problems = page.locator(".gm-compare-problems li").all_text_contents()
    assert problems == ["标准数据（旧）（/hash）：标准数据的内容与其哈希不符（文件可能已损坏或被改动），请刷新页面后重试"]
    guard.assert_clean()


def notes_by_year(page: Page) -> dict:
    """The change-notes section as {year: [note, …] or the 'none written' sentence}."""
    return page.locator(".gm-compare-notes .gm-compare-note").evaluate_all(
        """ss => Object.fromEntries(ss.map((s) => [s.dataset.year,
             s.querySelector('ol') ? [...s.querySelectorAll('li')].map((li) => li.textContent) : s.querySelector('p').textContent]))""")


def test_change_notes_of_every_spanned_year_are_shown(page, years_url, guard):
    page.goto(years_url + "standards/compare/?from=2019&to=2021&standard=dept")
    wait_done(page)
    assert notes_by_year(page) == {
        "2020": ["POL-02 更名为 POL-03（重大事项请示报告）", "思想建设调为 12 分，组织建设调为 8 分，ORG-02 移至作风建设",
                 "删除 INS-01，新增 INS-02", "BON-02 调为 1.5 分"],
        "2021": ["DIS-01 标题调整", "新增 BON-03", "奖励上限调为 6 分"],
    }
    heads = page.locator(".gm-compare-note h3").all_inner_texts()
    assert heads == ["2020 年度（相对 2019 年度）", "2021 年度（相对 2020 年度）"]
    assert page.locator('.gm-compare-note[data-year="2021"] h3 a').get_attribute("href") == "../2021/#changes"
    # Published years only: nothing says 草稿.
    assert page.locator("[data-draft-notice]").count() == 0
    assert "草稿" not in page.locator("#gm-compare-result").inner_text()
    # Backwards, the same years are spanned.
    page.goto(years_url + "standards/compare/?from=2021&to=2020&standard=dept")
    wait_done(page)
    assert list(notes_by_year(page)) == ["2021"]
    guard.assert_clean()


def test_an_editor_previews_a_draft_year_marked_as_draft(page, years_url, guard, artifacts_dir):
    page.goto(years_url + "standards/compare/")
    wait_done(page)
    box = page.locator("#gm-compare-drafts")
    expect(box).to_be_visible()
    assert not box.is_checked()
    # The box offers the drafts; the newest draft against the year before it is the default preview.
    box.check()
    wait_done(page)
    assert parse_qs(urlsplit(page.url).query)["draft"] == ["1"]
    assert options(page, "#gm-compare-to") == ["2019", "2020", "2021", "2022"]
    page.goto(years_url + "standards/compare/?draft=1")
    wait_done(page)
    assert parse_qs(urlsplit(page.url).query) == {"from": ["2021"], "to": ["2022"], "standard": ["dept"], "draft": ["1"]}
    notice = page.locator("[data-draft-notice]")
    expect(notice).to_have_text("草稿预览：2022 年度的标准是草稿，尚未发布，不是正式标准；以下对比仅供编辑核对，发布前仍可能修改。")
    assert page.locator("#gm-compare-summary-title").inner_text() == "2021 年度 → 2022 年度（草稿）：变化概要"
    assert "2022 年度（草稿）" in page.locator("#gm-compare-status").inner_text()
    assert notes_by_year(page) == {"2022": "未填写修订说明。"}
    assert page.locator(".gm-compare-note h3").inner_text() == "2022 年度（草稿）（相对 2021 年度）"
    page.screenshot(path=str(artifacts_dir / "compare-draft-1280.png"), full_page=True)

    # Unticking drops the draft from the URL and the choice, back to the published default.
    page.locator("#gm-compare-drafts").uncheck()
    wait_done(page)
    assert parse_qs(urlsplit(page.url).query) == {"from": ["2020"], "to": ["2021"], "standard": ["dept"]}
    assert page.locator("[data-draft-notice]").count() == 0

    # A draft refused without draft=1 links to the same comparison with drafts offered.
    page.goto(years_url + "standards/compare/?from=2021&to=2022&standard=dept")
    wait_done(page)
    page.locator("#gm-compare-result [data-draft-link]").click()
    wait_done(page)
    assert page.locator("#gm-compare-from").input_value() == "2021"
    assert page.locator("#gm-compare-to").input_value() == "2022"
    expect(page.locator("[data-draft-notice]")).to_be_visible()
    guard.assert_clean()


def test_one_published_year_and_a_new_year_draft(page, years_url, guard, artifacts_dir):
    """As after `scorer new-year` on a tree with one published year: the page names the draft and links to
    its preview, which compares the published year with the draft (not the draft with the published)."""
    index = json.loads(page.request.get(years_url + "data/index.json").text())
    index["years"] = [y for y in index["years"] if y["year"] in (2019, 2020)]
    index["years"][1]["status"] = "draft"
    index["current"] = 2019
    page.route(years_url + "data/index.json", lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps(index, ensure_ascii=False)))
    page.goto(years_url + "standards/compare/")
    result = page.locator("#gm-compare-result")
    expect(result).to_contain_text("目前只有一个已发布年度（2019 年度），没有可对比的年度")
    expect(result).to_contain_text("另有草稿年度：2020 年度（尚未发布，不是正式标准）")
    expect(page.locator("#gm-compare-form")).to_be_hidden()
    result.locator("[data-draft-link]").click()
    wait_done(page)
    assert page.locator("#gm-compare-from").input_value() == "2019"
    assert page.locator("#gm-compare-to").input_value() == "2020"
    expect(page.locator("[data-draft-notice]")).to_contain_text("2020 年度的标准是草稿")
    assert list(notes_by_year(page)) == ["2020"]
    page.screenshot(path=str(artifacts_dir / "compare-new-year-draft.png"), full_page=True)
    guard.assert_clean()
