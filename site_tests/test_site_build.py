"""Tests of the built site (one `mkdocs build --strict` per session, see conftest.built_site).

What a reader relies on: every article at a permanent anchor, the chapter structure of the official
summary, Chinese search that finds the right article, and a site that loads nothing from another
origin (Party members read it on internal networks; nothing about their reading should leak out).
"""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from macros import render
from scorer import measures

ROOT = Path(__file__).resolve().parent.parent

# Term -> the article whose section search must find (checked against the data below).
SEARCH_TERMS = {
    "容错": 26,
    "纠错": 27,
    "两个维护": 13,
    "四风": 16,
    "下管一级": 19,
    "政治建设": 13,
    "澄清": 28,
}
CHAPTER_ARTICLE_COUNTS = [3, 9, 6, 4, 3, 3, 2]  # the official summary's 共7章30条


# ---------------------------------------------------------------------------------------------
# Off-origin scanner: anything that makes a browser fetch from another origin.

_REMOTE = r"""(?:https?:)?//"""
_REMOTE_URL = re.compile(r"^\s*" + _REMOTE, re.I)
_CSS_LOADS = [
    re.compile(r"""url\(\s*['"]?\s*""" + _REMOTE, re.I),
    re.compile(r"""@import\s+(?:url\(\s*)?['"]?\s*""" + _REMOTE, re.I),
]
_Q = r"""['"`]\s*"""
_JS_LOADS = [
    re.compile(r"\bimport\s*\(\s*" + _Q + _REMOTE, re.I),  # dynamic import()
    re.compile(r"\bimport\s*" + _Q + _REMOTE, re.I),  # import "https://…"
    re.compile(r"\bfrom\s*" + _Q + _REMOTE, re.I),  # import x from "https://…"
    re.compile(r"\bimportScripts\s*\(\s*" + _Q + _REMOTE, re.I),
    re.compile(r"\bfetch\s*\(\s*" + _Q + _REMOTE, re.I),
    re.compile(r"\bnew\s+(?:Shared)?Worker\s*\(\s*" + _Q + _REMOTE, re.I),
    # Any absolute URL in a string literal: loaders hide behind helper functions (Material's
    # bundle loads scripts through a wrapper), so every such literal must be reviewed.
    re.compile(r"""["'`]https?://[^"'`\s]*""", re.I),
]
# Absolute URLs in Material's bundle that stay dormant with this configuration. Each is a
# reviewed exception, tied to the condition that keeps it dormant (checked below).
MATERIAL_DORMANT = {
    "`https://api.github.com/users/": "repository facts: only with repo_url",
    "`https://api.github.com/repos/": "repository facts: only with repo_url",
    "`https://${e}/api/v4/projects/": "GitLab repository facts: only with repo_url",
    '"https://unpkg.com/resize-observer-polyfill': "only in browsers without ResizeObserver (before 2020)",
    '"https://unpkg.com/mermaid@': "only on pages with a mermaid diagram",
}
# Element -> attributes whose URL the browser fetches on its own.
_LOAD_ATTRS = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
}
# <link rel=…> values that fetch (or open a connection to) their href.
_LINK_LOAD_RELS = {
    "stylesheet", "preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch",
    "icon", "shortcut", "apple-touch-icon", "mask-icon", "manifest",
}
CDN_HOSTS = re.compile(
    r"""href\s*=\s*['"]?(?:https?:)?//[^'"\s>]*(?:jsdelivr|unpkg|cdnjs|googleapis|gstatic|bootcdn|"""
    r"""staticfile|cloudflare|fontawesome|jquery)""",
    re.I,
)


def _urls(attr: str, value: str) -> list[str]:
    if attr == "srcset":
        return [part.strip().split()[0] for part in value.split(",") if part.strip()]
    return [value]


def scan_css(text: str) -> list[str]:
    """Remote loads in a stylesheet (or a style attribute)."""
    return [m.group(0) for pattern in _CSS_LOADS for m in pattern.finditer(text)]


def scan_js(text: str) -> list[str]:
    """Remote loads written as literals in a script."""
    return [m.group(0) for pattern in _JS_LOADS for m in pattern.finditer(text)]


class _HtmlScanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in = None  # "script" or "style" while inside an inline one

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v or "") for k, v in attrs}
        for attr in _LOAD_ATTRS.get(tag, ()):
            for url in _urls(attr, attrs.get(attr, "")):
                if _REMOTE_URL.match(url):
                    self.found.append(f"<{tag} {attr}={url}>")
        if tag == "link" and _LINK_LOAD_RELS & set(attrs.get("rel", "").lower().split()):
            if _REMOTE_URL.match(attrs.get("href", "")):
                self.found.append(f"<link rel={attrs['rel']} href={attrs['href']}>")
        if "style" in attrs:
            self.found += scan_css(attrs["style"])
        if tag == "style" or (tag == "script" and "src" not in attrs):
            self._in = tag

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "style":
            self.found += scan_css(data)
        elif self._in == "script":
            self.found += scan_js(data)


def scan_html(text: str) -> list[str]:
    """Remote loads in a page: load attributes, inline styles and inline scripts."""
    scanner = _HtmlScanner()
    scanner.feed(text)
    scanner.close()
    return scanner.found


def scan_file(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".html":
        return scan_html(text) + [m.group(0) for m in CDN_HOSTS.finditer(text)]
    if path.suffix == ".css":
        return scan_css(text)
    return scan_js(text)


@pytest.mark.parametrize(
    "kind, snippet",
    [
        ("html", '<script src="https://cdn.jsdelivr.net/npm/mermaid/dist/mermaid.min.js"></script>'),
        ("html", '<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Noto+Sans+SC">'),
        ("html", '<link rel="preconnect" href="https://fonts.gstatic.com" crossorigin>'),
        ("html", '<link rel="icon" href="https://example.com/favicon.ico">'),
        ("html", '<img srcset="logo.png 1x, https://cdn.example.com/logo@2x.png 2x" src="logo.png">'),
        ("html", '<iframe src="https://player.example.com/embed/1"></iframe>'),
        ("html", '<video poster="http://img.example.com/p.jpg"></video>'),
        ("html", '<div style="background: url(https://img.example.com/bg.png)"></div>'),
        ("html", "<style>@import url('https://fonts.googleapis.com/css2?family=Noto');</style>"),
        ("html", '<script>import("https://esm.sh/lodash")</script>'),
        ("html", '<a href="https://cdn.jsdelivr.net/npm/x/">x</a>'),
        ("css", "@font-face { src: url('https://fonts.gstatic.com/s/noto.woff2') }"),
        ("css", '@import "//cdn.example.com/x.css";'),
        ("js", 'import { x } from "https://esm.sh/x";'),
        ("js", "importScripts('https://cdn.example.com/lunr.js')"),
        ("js", "fetch(`https://api.github.com/repos/a/b`).then(r => r.json())"),
        ("js", 'new Worker("https://cdn.example.com/worker.js")'),
        ("js", 'function load(u){return fetch(u)} load("https://unpkg.com/mermaid@11/dist/mermaid.min.js")'),
    ],
)
def test_scanner_catches_remote_loads(kind, snippet, tmp_path):
    path = tmp_path / f"bad.{kind}"
    path.write_text(snippet, encoding="utf-8")
    assert scan_file(path), f"scanner missed a remote load: {snippet}"


@pytest.mark.parametrize(
    "kind, snippet",
    [
        ("html", '<a href="https://www.gov.cn/">中国政府网</a>'),
        ("html", '<script src="assets/javascripts/portal.js"></script><link rel="stylesheet" href="../a.css">'),
        ("html", '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>'),
        ("css", """.x { background: url("data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg'/>") }"""),
        ("css", ".x { background: url(../images/a.png) }"),
        ("js", 'importScripts(base + "/lunr.js"); fetch("search/search_index.json"); // see https://x.org'),
    ],
)
def test_scanner_allows_local_loads_and_links(kind, snippet, tmp_path):
    path = tmp_path / f"ok.{kind}"
    path.write_text(snippet, encoding="utf-8")
    assert scan_file(path) == []


def _dormant(relative: str, finding: str) -> bool:
    return re.fullmatch(r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js", relative) is not None and any(
        finding.startswith(prefix) for prefix in MATERIAL_DORMANT
    )


@pytest.mark.site
def test_no_resource_loads_from_other_origins(built_site):
    files = [p for p in built_site.rglob("*") if p.suffix in (".html", ".css", ".js")]
    assert any(p.suffix == ".js" for p in files) and any(p.suffix == ".css" for p in files)
    problems = {}
    for path in files:
        relative = path.relative_to(built_site).as_posix()
        found = [f for f in scan_file(path) if not _dormant(relative, f)]
        if found:
            problems[relative] = found
    assert problems == {}


@pytest.mark.site
def test_material_remote_code_stays_dormant(built_site):
    """The conditions that keep MATERIAL_DORMANT's URLs unused still hold."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert not re.search(r"^repo_url\s*:", config, flags=re.M), "repo_url makes Material call api.github.com"
    for page in built_site.rglob("*.html"):
        assert 'class="mermaid"' not in page.read_text(encoding="utf-8"), f"{page}: mermaid loads from unpkg.com"


# ---------------------------------------------------------------------------------------------
# The Measures page.

class _Headings(HTMLParser):
    """Headings (h1-h3) of the page content, in order, with id and text (minus the ¶ permalink)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings: list[dict] = []
        self.buttons: list[dict] = []
        self._current = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("h1", "h2", "h3") and self._current is None:
            self._current = {"tag": tag, "id": attrs.get("id"), "text": ""}
        elif self._current is not None and tag == "a" and "headerlink" in (attrs.get("class") or ""):
            self._skip += 1
        if tag == "button":
            self.buttons.append(attrs)

    def handle_endtag(self, tag):
        if self._current is not None:
            if tag == "a" and self._skip:
                self._skip -= 1
            elif tag == self._current["tag"]:
                self._current["text"] = self._current["text"].strip()
                self.headings.append(self._current)
                self._current = None

    def handle_data(self, data):
        if self._current is not None and not self._skip:
            self._current["text"] += data


@pytest.fixture(scope="module")
def data():
    return measures.load(str(ROOT / "standards/measures.yaml"), source="standards/measures.yaml")


@pytest.fixture(scope="module")
def measures_page(built_site):
    parser = _Headings()
    parser.feed((built_site / "measures" / "index.html").read_text(encoding="utf-8"))
    return parser


@pytest.mark.site
def test_every_article_has_its_permanent_anchor(measures_page, data):
    h3 = {h["id"]: h["text"] for h in measures_page.headings if h["tag"] == "h3"}
    for article in measures.articles(data):
        anchor = f"article-{article['number']}"
        assert anchor in h3, f"missing id={anchor}"
        assert h3[anchor] == f"{render.article_label(article['number'])} {article['title']}"
    assert h3["article-13"] == "第十三条 政治建设责任"
    assert h3["article-30"].startswith("第三十条 ")
    assert not [h for h in measures_page.headings if (h["id"] or "").startswith("_") and h["tag"] != "h1"]


@pytest.mark.site
def test_chapters_and_their_articles(measures_page, data):
    chapters: list[tuple[str, str, int]] = []
    for h in measures_page.headings:
        if h["tag"] == "h2" and (h["id"] or "").startswith("chapter-"):
            chapters.append((h["id"], h["text"], 0))
        elif h["tag"] == "h3" and (h["id"] or "").startswith("article-"):
            cid, text, count = chapters[-1]
            chapters[-1] = (cid, text, count + 1)
    assert [c[0] for c in chapters] == [f"chapter-{n}" for n in range(1, 8)]
    assert [c[2] for c in chapters] == CHAPTER_ARTICLE_COUNTS
    assert chapters[2][1] == "第三章 责任内容"
    assert [c[1] for c in chapters] == [f"{render.chapter_label(c['number'])} {c['title']}" for c in data["chapters"]]


@pytest.mark.site
def test_every_article_has_a_copy_link_button(measures_page):
    buttons = [b for b in measures_page.buttons if "gm-copy-link" in (b.get("class") or "")]
    assert [b["data-anchor"] for b in buttons] == [f"article-{n}" for n in range(1, 31)]
    assert all(b.get("type") == "button" and b.get("aria-label", "").startswith("复制链接：第") for b in buttons)
    assert any("gm-print" in (b.get("class") or "") for b in measures_page.buttons)


@pytest.mark.site
def test_page_content_has_no_inline_script_or_handlers(built_site):
    """A CSP without 'unsafe-inline' is planned: our content must not need it (Material's own
    inline config scripts are the theme's concern)."""
    for page in ("index.html", "measures/index.html"):
        html = (built_site / page).read_text(encoding="utf-8")
        content = html[html.index('<article class="md-content__inner'):html.index("</article>")]
        assert "<script" not in content
        assert not re.search(r"\son[a-z]+\s*=", content)
        assert "assets/javascripts/portal.js" in html and "assets/stylesheets/portal.css" in html


@pytest.mark.site
def test_print_stylesheet_is_a4(built_site):
    css = (built_site / "assets/stylesheets/portal.css").read_text(encoding="utf-8")
    assert re.search(r"@page\s*{[^}]*size:\s*A4", css)
    assert "@media print" in css


# ---------------------------------------------------------------------------------------------
# Search index.

@pytest.fixture(scope="module")
def search_index(built_site):
    return json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))


@pytest.mark.site
def test_search_index_is_segmented(search_index):
    texts = [doc["text"] for doc in search_index["docs"]]
    assert any("\u200b" in t for t in texts), "jieba did not segment: is it importable at build time?"
    assert "\\u200b" in search_index["config"]["separator"]
    assert search_index["config"]["lang"] == ["en"], "lang: zh would bypass the jieba segmentation"


@pytest.mark.site
@pytest.mark.parametrize("term, number", SEARCH_TERMS.items())
def test_search_index_has_article_sections(search_index, data, term, number):
    by_location = {doc["location"]: doc for doc in search_index["docs"]}
    doc = by_location.get(f"measures/#article-{number}")
    assert doc is not None, f"no search section for article {number}"
    plain = (doc["title"] + doc["text"]).replace("\u200b", "")
    assert term in plain
    # The data agrees: the term is in that article's title or passages.
    article = next(a for a in measures.articles(data) if a["number"] == number)
    source_text = article["title"] + "".join(p["text"] for p in article.get("passages", []))
    assert term in source_text


def test_the_assessment_page_preloads_every_module_its_script_imports(built_site):
    """A module left out is requested only once its importer is parsed, and the whole graph, and with it
    the scorer's start, waits for that late round trip (assess-carry.mjs once cost ~100 ms this way)."""
    scripts = built_site / "assets" / "javascripts"
    graph, todo = set(), ["assess.mjs"]
    while todo:
        name = todo.pop()
        if name in graph:
            continue
        graph.add(name)
        todo.extend(re.findall(r'^import[^;]*?from\s+"\./([\w.-]+\.mjs)";', (scripts / name).read_text("utf-8"), re.M))
    assert {"assess.mjs", "scorer-client.mjs", "assess-carry.mjs"} <= graph
    page = (built_site / "assess" / "2019" / "dept" / "index.html").read_text("utf-8")
    preloaded = set(re.findall(r'<link rel="modulepreload" href="[^"]*assets/javascripts/([\w.-]+\.mjs)">', page))
    assert graph <= preloaded, sorted(graph - preloaded)


SEGMENT = re.compile(r'function (\w+)\(t,e\)\{let r=new Set,n=new Uint16Array\(t\.length\);.*?return r\.has\(""\)\?new Set\(\[t\]\):r\}')


@pytest.mark.parametrize("query, words, expected", [
    ("四风", ["四", "风", "四风"], ["四风"]),
    ("主体责任", ["主体", "责任"], ["主体", "责任"]),
    ("容错纠错", ["容错", "纠错"], ["容错", "纠错"]),
    ("光明", ["四风"], ["光明"]),  # nothing known: the query as it is
])
def test_the_shipped_search_segments_a_chinese_query_up_to_its_last_word(built_site, query, words, expected):
    """Material's segment() never tried a slice ending at the query's last character (sitebuild/
    theme_search.py): 四风 was searched as 四, 主体责任 as 主体. Runs the function the site ships."""
    worker = next((built_site / "assets" / "javascripts" / "workers").glob("search.*.min.js")).read_text("utf-8")
    found = SEGMENT.search(worker)
    assert found, "segment() not found in the search worker"
    script = (f"const segment = {found.group(0)};\n"
              f"console.log(JSON.stringify([...segment({json.dumps(query)}, "
              f"Object.fromEntries({json.dumps(words)}.map((w) => [w, {{}}])))]));")
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert sorted(json.loads(result.stdout)) == sorted(expected)


# The shipped search worker, run in Node on the shipped index (site_tests/node/search_worker.mjs).

SEARCH_WORKER = ROOT / "site_tests" / "node" / "search_worker.mjs"


def run_search_worker(site: Path, queries: list[str]) -> dict:
    result = subprocess.run(["node", str(SEARCH_WORKER), str(site)], input=json.dumps(queries, ensure_ascii=False),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def index_words(search_index) -> dict:
    """location -> the words of its title and text as the index splits them (tags dropped, lower case)."""
    separator = re.compile(search_index["config"]["separator"])
    return {doc["location"]: {w.lower() for w in separator.split(re.sub(r"<[^>]*>", " ", doc["title"] + " " + doc["text"])) if w}
            for doc in search_index["docs"]}


def chinese_queries(search_index, count: int, seed: int) -> list[str]:
    """Queries as readers type them: two or three consecutive Chinese words of the index, unspaced."""
    import random

    han = re.compile(r"^[\u4e00-\u9fff]+$")
    runs = []
    for doc in search_index["docs"]:
        words = [w for w in re.split(r"[\u200b\s]+", re.sub(r"<[^>]*>", " ", doc["text"]))]
        for i in range(len(words) - 2):
            for n in (2, 3):
                if all(han.match(w) for w in words[i:i + n]):
                    runs.append("".join(words[i:i + n]))
    return random.Random(seed).sample(sorted(set(runs)), count)


@pytest.mark.parametrize("seed", [1, 2])
def test_search_reports_a_term_missing_only_where_it_is_missing(built_site, search_index, seed):
    """Material tracks which query terms a result lacks and shows them as 缺少: …. Its query joined the
    segmented Chinese words with '* ' and then added its own '*', so 八项规定 was tracked as 八项* and
    规定: every result said 缺少: 八项* right under 八项规定 (sitebuild/theme_search.py). Over generated
    multi-word queries: every term is a word as typed (no '*'), and a result marks a term missing
    exactly when none of its words starts with it."""
    queries = chinese_queries(search_index, 30, seed) + ["八项规定", "主体责任"]
    words = index_words(search_index)
    answers = run_search_worker(built_site, queries)
    checked = 0
    for query, groups in answers.items():
        assert groups, f"{query}: no result"
        for group in groups:
            for item in group:
                if not item["terms"]:  # the page added as the group's title, not itself a match
                    continue
                for term, found in item["terms"].items():
                    assert "*" not in term and term in query, f"{query}: term {term!r}"
                    present = any(w.startswith(term) for w in words[item["location"]])
                    assert found == present, f"{query}: {item['location']} marks {term} {'found' if found else 'missing'}"
                    checked += 1
    assert checked > 100
    article = next(i for g in answers["八项规定"] for i in g if i["location"] == "measures/#article-16")
    assert article["terms"] == {"八项": True, "规定": True}


def plain_rows(html: str) -> list[list[str]]:
    """Every table row of a page whose cells hold text only, as its cells' texts."""
    rows = []
    for row in re.findall(r"<tr\b[^>]*>(.*?)</tr>", html, re.S):
        cells = re.findall(r"<t([hd])\b[^>]*>(.*?)</t\1>", row, re.S)
        if cells and not any("<" in body for _, body in cells):
            rows.append([re.sub(r"\s+", " ", body).strip() for _, body in cells])
    return rows


def test_search_indexes_each_table_row_as_a_line_of_separated_cells(built_site, search_index):
    """Material's index parser ran a table's cells together (指标分值评价内容评价方式扣分情形依据 CON-01 …).
    Every text-only row of every indexed page with a table is in the index as its own paragraph, the
    cells separated by U+3000 (sitebuild/theme_search.py)."""
    texts: dict[str, str] = {}
    for doc in search_index["docs"]:
        page = doc["location"].split("#")[0]
        texts[page] = texts.get(page, "") + doc["text"].replace("\u200b", "")
    tables = 0
    for page, text in texts.items():
        html_path = built_site / page / "index.html" if not page.endswith(".html") else built_site / page
        rows = plain_rows(html_path.read_text(encoding="utf-8").split('<div class="md-content"', 1)[-1])
        tables += bool(rows)
        for cells in rows:
            line = "\u3000".join(cells)
            assert re.search(r"<p>\s*" + r"\s*\u3000\s*".join(map(re.escape, cells)) + r"\s*</p>", text), f"{page}: {line}"
    assert tables >= 4  # the editors' guide, the year page and the standards' tables
    conduct = next(d["text"] for d in search_index["docs"] if d["location"].endswith("2019/dept/#conduct")).replace("\u200b", "")
    assert "<p>指标\u3000分值\u3000评价内容\u3000评价方式\u3000扣分情形\u3000依据</p>" in conduct
    assert re.search(r"<p>\s*CON-01 严格执行中央八项规定及其实施细则精神\s*\u3000\s*5\s*\u3000", conduct)
