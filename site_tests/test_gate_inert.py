"""Gate: content is inert. Every text an editor types into the YAML, and every text in a file a
reader imports, reaches the page as text: never as markup, script, a link target, a Jinja expression
or a Markdown attribute.

A hostile standards tree (every text field of the Measures, of two years' settings and of every
standard carries the same payloads, each field with its own label) is built into a site; every page
is opened in Chromium (a `dialog` handler and an init script that records any alert call), the
pages that do something are driven (form scored, comparison shown, office import), and nothing may
run or appear: no alert, no dialog, no <img src=x>, no element with an on… attribute, no
javascript: link, no inline script other than the theme's, no second #article-1. Each payload must
be visible as text. Then assessments with the payloads in every free-text field (and in the file
name) are imported on the form and on the office page.

Fixtures: `site_tests/gates.py` for visiting pages; the hostile site is built once per module.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect

from scorer import tree as tree_module
from sitebuild import csp
from site_tests import gates

ROOT = Path(__file__).resolve().parent.parent

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "{{ 7*7 }}",
    "{% raw %}",
    "javascript:alert(1)",
    "[x](javascript:alert(1))",
    "{#article-1}",  # last: attr_list reads it only at the end of a block
]


def hostile(label: str) -> str:
    """The text a field gets: starting with a quote-breaker (YAML front matter, attributes), the field's
    label (to find it on the page), then every payload."""
    return f'"><svg onload=alert(1)> {label} ' + " ".join(PAYLOADS)


# The free-text fields (ids, enums and references keep their values: the loader checks them).
MEASURES_TEXT = {"document": ("title", "short_title", "issuer", "notice", "status"),
                 "sources": ("title", "note"), "chapters": ("title", "summary"),
                 "articles": ("title", "editor_note"), "passages": ("text",)}
GRADE_TEXT = ("name", "meaning")
APPLICATION_TEXT = ("organization", "principal", "members")
STANDARD_TEXT = ("title", "short_title", "emphasis")
INDICATOR_TEXT = ("title", "content", "method")
# Fields no page shows (they are data: published in data/measures.json).
UNSHOWN = {"document.status"}


def compact(label: str) -> str:
    """The markup payloads in under 100 characters, for the fields an assessment limits to 100
    (organization kind, assessor): organization kinds are short in any real standard too."""
    return f"{label}<img src=x onerror=alert(1)><script>alert(1)</script>\"><svg onload=alert(1)>{{{{ 7*7 }}}}"


class Labels:
    """Hands out labels like 【F017】 and remembers which field each one went to."""

    def __init__(self):
        self.fields: dict[str, str] = {}

    def __call__(self, where: str, make=hostile) -> str:
        label = f"【F{len(self.fields):03d}】"
        self.fields[label] = (where, make)
        return make(label)


def make_hostile_tree(out: Path) -> tuple[Path, dict]:
    """standards/ with payloads in every text field, as 2019, plus a 2020 that changes a few of them
    (so the year page's change notes and the comparison page show them too). Returns (tree, labels)."""
    labels = Labels()
    shutil.copytree(ROOT / "standards", out)
    measures_path = out / "measures.yaml"
    measures = yaml.safe_load(measures_path.read_text("utf-8"))
    for key in MEASURES_TEXT["document"]:
        measures["document"][key] = labels(f"document.{key}")
    for source in measures["sources"]:
        for key in MEASURES_TEXT["sources"]:
            source[key] = labels(f"source {source['id']}.{key}")
    for chapter in measures["chapters"]:
        for key in MEASURES_TEXT["chapters"]:
            chapter[key] = labels(f"{chapter['id']}.{key}")
        for article in chapter["articles"]:
            article["title"] = labels(f"{article['id']}.title")
            if article["text_status"] == "unavailable":
                article["editor_note"] = labels(f"{article['id']}.editor_note")
            for n, passage in enumerate(article.get("passages", [])):
                passage["text"] = labels(f"{article['id']}.passages[{n}]")
    _dump(measures, measures_path)

    year_dir = out / "2019"
    settings = yaml.safe_load((year_dir / "year.yaml").read_text("utf-8"))
    for grade in settings["grades"]:
        for key in GRADE_TEXT:
            grade[key] = labels(f"2019 grade {grade['id']}.{key}")
        for key in APPLICATION_TEXT:
            grade["application"][key] = labels(f"2019 grade {grade['id']}.application.{key}")
    for limit in settings["grade_limits"]:
        limit["text"] = labels(f"2019 {limit['id']}.text")
    _dump(settings, year_dir / "year.yaml")
    for path in sorted(year_dir.glob("*.yaml")):
        if path.stem == "year":
            continue
        standard = yaml.safe_load(path.read_text("utf-8"))
        for key in STANDARD_TEXT:
            standard[key] = labels(f"{path.stem}.{key}")
        standard["organization_kinds"] = [labels(f"{path.stem}.organization_kinds[{n}]", compact)
                                          for n in range(len(standard["organization_kinds"]))]
        for area in standard["areas"]:
            area["name"] = labels(f"{path.stem} {area['id']}.name")
            for indicator in area["indicators"]:
                for key in INDICATOR_TEXT:
                    indicator[key] = labels(f"{path.stem} {indicator['id']}.{key}")
                for item in indicator["deductions"]:
                    item["text"] = labels(f"{path.stem} {item['id']}.text")
        for bonus in standard["bonuses"]:
            bonus["text"] = labels(f"{path.stem} {bonus['id']}.text")
        _dump(standard, path)

    # 2020: a new title, method and deduction text for dept's first indicator, a renamed grade, and
    # change notes that say so, all hostile.
    shutil.copytree(year_dir, out / "2020")
    settings["year"] = 2020
    settings["grades"][0]["name"] = labels("2020 grade name")
    settings["changes"] = [labels("2020 changes[0]"), labels("2020 changes[1]")]
    _dump(settings, out / "2020" / "year.yaml")
    dept = yaml.safe_load((out / "2020" / "dept.yaml").read_text("utf-8"))
    first = dept["areas"][0]["indicators"][0]
    first["title"] = labels(f"2020 dept {first['id']}.title")
    first["method"] += " 、实地抽查"
    first["deductions"][0]["text"] = labels(f"2020 dept {first['deductions'][0]['id']}.text")
    _dump(dept, out / "2020" / "dept.yaml")
    tree_module.load(str(out))  # valid, as an editor's push must be
    return out, labels.fields


def _dump(value, path: Path) -> None:
    path.write_text(yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """(site folder, {label: field}) of the hostile tree, built with `mkdocs build --strict`."""
    work = tmp_path_factory.mktemp("hostile")
    tree, fields = make_hostile_tree(work / "standards")
    return gates.build_site(work / "site", "the hostile tree", tree), fields


@pytest.fixture(scope="module")
def hostile_url(hostile_site):
    with gates.serving(hostile_site[0]) as url:
        yield url


# What must not exist in a page: found by a script in the page (the inline scripts' bodies are
# compared with the theme's hashes in Python).
INSPECT = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) bad.push(`${el.tagName} ${attr.name}=${attr.value}`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(attr.name.toLowerCase())
          && /^\\s*javascript:/i.test(attr.value)) bad.push(`${el.tagName} ${attr.name}=${attr.value}`);
    }
  }
  for (const img of document.querySelectorAll('img')) if (img.getAttribute('src') === 'x') bad.push('img src=x');
  for (const svg of document.querySelectorAll('svg[onload]')) bad.push('svg onload');
  const ids = document.querySelectorAll('[id="article-1"]');
  if (ids.length > 1) bad.push(`${ids.length} elements with id article-1`);
  const scripts = Array.from(document.querySelectorAll('script:not([src])'))
    .filter((s) => ['', 'module', 'text/javascript', 'application/javascript'].includes((s.type || '').toLowerCase()))
    .map((s) => s.textContent);
  return {bad, scripts, text: document.body.innerText, title: document.title,
          alerts: window.__alerts || []};
}"""


def theme_hashes(site: Path) -> set[str]:
    return set(csp.inline_script_hashes(site))


def check_page(page: Page, allowed: set[str], where: str) -> str:
    """Assert nothing ran or appeared; return the page's text (with its title)."""
    found = page.evaluate(INSPECT)
    assert found["alerts"] == [], (where, found["alerts"])
    assert found["bad"] == [], (where, found["bad"])
    foreign = [s[:80] for s in found["scripts"] if csp.script_hash(s) not in allowed]
    assert foreign == [], (where, foreign)
    return found["title"] + "\n" + found["text"]


def normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.browser
def test_every_page_of_a_hostile_tree_shows_the_payloads_as_text(page: Page, hostile_site, hostile_url):
    site, fields = hostile_site
    allowed = theme_hashes(site)
    watch = gates.Watch(page)
    texts = []
    for path in gates.page_paths(site):
        gates.visit(page, hostile_url, path, site, compare_query="?from=2019&to=2020&standard=dept")
        texts.append(check_page(page, allowed, path))
        if path == "":
            gates.use_search(page, "onerror")
            texts.append(check_page(page, allowed, "search results"))
    assert watch.dialogs == []
    assert [e for e in watch.errors] == []
    seen = normalized("\n".join(texts))
    # Every field's whole text is on some page, as typed: nothing evaluated ({{ 7*7 }} stays), nothing
    # turned into markup or a link, nothing swallowed.
    missing = {label: where for label, (where, make) in fields.items()
               if normalized(make(label)) not in seen and where not in UNSHOWN}
    assert missing == {}, f"{len(missing)} fields never shown whole as text: {missing}"


@pytest.mark.browser
def test_hostile_imports_on_the_form_and_the_office_page_stay_text(page: Page, hostile_site, hostile_url):
    site, _ = hostile_site
    allowed = theme_hashes(site)
    watch = gates.Watch(page)
    index = json.loads((site / "data" / "index.json").read_text("utf-8"))
    year = index["current"]
    bundle = gates.bundle_of(site, year, "dept")
    text = hostile("【导入】")
    value = gates.an_assessment(site, organization=text, kind=bundle["standard"]["organization_kinds"][0],
                                assessor={"name": compact("【自评人】"), "date": f"{year}-12-01"})
    item = next(iter(value["items"]))
    value["items"][item] = [{"date": f"{year}-03-01", "count": 2, "note": hostile("【说明】"),
                             "evidence": [{"file": hostile("【文件】"), "location": hostile("【位置】")}]}]
    name = hostile("【文件名】") + ".json"

    page.goto(f"{hostile_url}assess/{year}/{value['standard']}/")
    gates.wait_ready(page)
    page.get_by_test_id("import-file").set_input_files(gates.json_file(name, value))
    expect(page.locator("#gm-alert")).to_contain_text("已导入")
    expect(page.locator('[data-echo="org-name"]')).to_have_text(text)
    expect(page.locator("#gm-org-name")).to_have_value(text)
    expect(page.locator("#gm-org-kind")).to_have_value(value["organization"]["kind"])
    expect(page.locator('[data-echo="assessor-name"]')).to_have_text(compact("【自评人】"))
    row = page.locator(f'.gm-item[data-item="{item}"] .gm-occurrence')
    expect(row.locator('[data-field="note"]')).to_have_value(hostile("【说明】"))
    expect(row.locator('[data-field="file"]')).to_have_value(hostile("【文件】"))
    expect(row.locator('[data-field="location"]')).to_have_value(hostile("【位置】"))
    shown = normalized(check_page(page, allowed, "assess form after import"))
    assert normalized(hostile("【文件名】")) in shown  # the alert names the file
    # The printed report shows the same, as text.
    page.emulate_media(media="print")
    expect(page.locator('[data-echo="org-kind"]')).to_have_text(value["organization"]["kind"])
    check_page(page, allowed, "assess report (print)")
    page.emulate_media(media="screen")
    # A refused file with a hostile name: named as text.
    page.get_by_test_id("import-file").set_input_files(gates.json_file(name, "{"))
    expect(page.locator("#gm-alert")).to_contain_text("未导入")
    assert normalized(hostile("【文件名】")) in normalized(check_page(page, allowed, "refused import"))

    page.goto(f"{hostile_url}office/")
    wrong = dict(value, items={"NOPE-01z": [{"date": f"{year}-01-01", "note": text}]})
    gates.use_office(page, site, [gates.json_file(name, value), gates.json_file("坏" + name, wrong)])
    shown = normalized(check_page(page, allowed, "office after import"))
    for needle in (text, hostile("【文件名】"), value["organization"]["kind"]):
        assert normalized(needle) in shown, needle
    assert watch.dialogs == [] and watch.errors == []


def test_generated_pages_carry_titles_as_one_escaped_string(tmp_path):
    """The generated pages' front matter and the nav hold the YAML's titles as HTML-safe text that
    neither YAML nor mkdocs-macros reads as syntax (the theme writes titles into pages unescaped)."""
    from sitebuild import pages

    tree = tree_module.load(str(make_hostile_tree(tmp_path / "standards")[0]))
    sources = {**pages.page_sources(tree), **pages.assess_page_sources(tree)}
    for path, text in sources.items():
        meta = yaml.safe_load(text.split("---\n")[1])
        assert set(meta) <= {"render_macros", "title", "hide", "search"}, path
        for bad in ("<", ">", "{{", "{%", "{#"):
            assert bad not in meta["title"], (path, meta["title"])
    titles = [title for entry in pages.nav_section(tree) for title in entry]
    assert all("<" not in t and "{" not in t for t in titles), titles
    assert pages.html_title('a<b>&{{ x }}') == "a&lt;b&gt;&amp;&#123;&#123; x &#125;&#125;"
