"""Chinese search, the current engine against Pagefind: is the right article among the first three
results, and how many bytes does the first search load.

    .venv/bin/python bench/search_compare.py [--site DIR] [--pagefind BIN] [--markdown]

The current search is Material for MkDocs' own: jieba segments the text at build time (the search
plugin), lunr runs the query in Material's worker (patched by sitebuild/theme_search.py). Its ranks
come from the shipped worker with the shipped index, run in Node by site_tests/node/search_worker.mjs
(the same harness the tests use); its bytes from Chromium loading a page and searching once.

Pagefind's extended build (npm `pagefind`, `--pagefind` names its binary) indexes a copy of the same
built site: exactly the pages Material indexes (each marked `data-pagefind-body` on its article, so the
theme's navigation is not indexed, as Material's index does not hold it either; a page Material boosts
gets the same `data-pagefind-weight`), segmenting Chinese at
build time; at query time pagefind.js segments with `Intl.Segmenter` and loads index chunks on demand.
Its ranks and bytes come from Chromium running pagefind.js on the copy, one fresh browser context per
query (cold: empty HTTP cache), loading the result data of the first five pages as Pagefind's UI does.

The queries come from standards/measures.yaml (`queries`): every article's title (its key term, the
editorial label the table of contents shows), the chapter and the article title as two words, the last
two characters of each longer title (a later part of a compound word: Material matches by word start),
and key terms of the articles' text, chosen by hand with the article(s) they belong to. A query's right
articles are the named ones plus every article whose title holds all of the query's words.

Rank: the place of the first right article in the engine's list of result links, a page counting as one
link and each of its sections as one more (Material: pages in score order, each with its sections in
score order; Pagefind: pages in score order, each with its sections by number of hits, the order its
UI picks from). Both UIs fold a page's lower sections away, so a rank within 3 is on the screen in both.
"—" means not among the first 10 links.

Bytes: what the first search loads over the network that a page without search would not: Material's
worker and index (loaded when the page opens); pagefind.js, its WebAssembly, entry, metadata, the index
chunks the query needs and the first five results' fragments. The UI code is listed apart (Material's
is inside its main bundle, loaded by every page anyway). "gz" is each file as a gzip-serving host sends
it (gzip -9 unless already compressed: Pagefind's index, fragments and wasm are).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from assess_page import ARGS, CHROMIUM, built_site, served_site  # noqa: E402

MEASURES = ROOT / "standards" / "measures.yaml"
PAGE = "measures/"
TOP = 3
LIMIT = 10
PAGEFIND_PAGES = 5  # Pagefind's UI loads the data of five results per page of results
ARTICLE_MARK = '<article class="md-content__inner md-typeset">'

# Key terms of the articles' text (standards/measures.yaml), with the article(s) each belongs to.
KEY_TERMS = (
    ("两个维护", ("article-13",)), ("维护", ("article-13",)), ("请示报告", ("article-13",)),
    ("两学一做", ("article-14",)), ("不忘初心", ("article-14",)), ("初心", ("article-14",)),
    ("战斗堡垒", ("article-15",)), ("选人用人", ("article-15",)), ("堡垒", ("article-15",)),
    ("八项规定", ("article-16",)), ("四风", ("article-16",)), ("形式主义", ("article-16",)),
    ("四种形态", ("article-17",)), ("不敢腐", ("article-17",)), ("腐败", ("article-17",)),
    ("形态", ("article-17",)), ("备案", ("article-18",)), ("下管一级", ("article-19",)),
    ("领导小组", ("article-19",)), ("定量", ("article-20",)), ("年终检查", ("article-21",)),
    ("奖惩", ("article-22",)), ("问责", ("article-23",)), ("集体责任", ("article-25",)),
    ("三个区分开来", ("article-26",)), ("区分开来", ("article-26",)), ("一刀切", ("article-26",)),
    ("有错必纠", ("article-27",)), ("纠错", ("article-26", "article-27")), ("澄清正名", ("article-28",)),
    ("容错 纠错", ("article-26", "article-27")), ("作风 四风", ("article-16",)),
    ("纪律 腐败", ("article-17",)), ("党管干部 原则", ("article-15",)), ("监督检查 全覆盖", ("article-20",)),
)


@dataclass
class Query:
    text: str
    kind: str  # 标题 (title) | 两词 (chapter + title) | 部分词 (partial) | 关键词 (key term)
    right: set = field(default_factory=set)


def load_articles(path: Path = MEASURES) -> list[dict]:
    """The Measures' articles, each with its chapter's title."""
    doc = yaml.safe_load(path.read_text("utf-8"))
    return [{**article, "chapter": chapter["title"]} for chapter in doc["chapters"] for article in chapter["articles"]]


def queries(articles: list[dict]) -> list[Query]:
    """The benchmark's queries (see the module's docstring), each query once, in a fixed order."""
    out: dict[str, Query] = {}

    def add(text, kind, right):
        words = text.split()
        titled = {a["id"] for a in articles if all(w in a["title"] for w in words)}
        query = out.setdefault(text, Query(text, kind))
        query.right |= set(right) | titled

    for a in articles:
        add(a["title"], "标题", [a["id"]])
    for a in articles:
        if a["chapter"] != a["title"]:
            add(f"{a['chapter']} {a['title']}", "两词", [a["id"]])
    for a in articles:
        if len(a["title"]) >= 4:
            add(a["title"][-2:], "部分词", [a["id"]])
    for text, right in KEY_TERMS:
        add(text, "关键词", right)
    return list(out.values())


def article_of(url: str) -> str | None:
    """The article a result link points to, if any: `measures/#article-4` (any prefix) -> article-4."""
    m = re.search(r"measures/(?:index\.html)?#(article-\d+)$", url)
    return m.group(1) if m else None


def rank(links: list[str], right: set) -> int | None:
    """1-based place of the first link to a right article among the first LIMIT links, else None."""
    for i, url in enumerate(links[:LIMIT], 1):
        if article_of(url) in right:
            return i
    return None


def material_links(groups: list[list[dict]]) -> list[str]:
    """Material's result links in order. A group's first item with no terms is the page added only as
    the group's title: its link goes where the group's best section does (theme_search.py, patch 3)."""
    links: list[str] = []
    for group in groups:
        for i, item in enumerate(group):
            loc = item["location"]
            if i == 0 and not item["terms"] and len(group) > 1:
                loc = group[1]["location"]
            if loc not in links:
                links.append(loc)
    return links


def pagefind_links(results: list[dict]) -> list[str]:
    """Pagefind's result links in order: each page, then its sections by number of hits (stable)."""
    links: list[str] = []
    for page in results:
        links.append(page["url"])
        subs = [s for s in page.get("sub_results", []) if s["url"] != page["url"]]
        for sub in sorted(subs, key=lambda s: -len(s.get("locations", []))):
            links.append(sub["url"])
    return links


def gz_size(body: bytes, url: str) -> int:
    """Bytes a gzip-serving host sends: Pagefind's .pf_* files and its wasm are gzip already."""
    if body[:2] == b"\x1f\x8b":
        return len(body)
    return min(len(body), len(gzip.compress(body, 9)))


# ---------------------------------------------------------------- the two engines

def material_ranks(site: Path, texts: list[str]) -> dict[str, list[str]]:
    """Each query's result links from the site's own (patched) Material worker, run in Node."""
    out = subprocess.run(["node", str(ROOT / "site_tests" / "node" / "search_worker.mjs"), str(site)],
                         input=json.dumps(texts), capture_output=True, text=True, check=True)
    return {q: material_links(groups) for q, groups in json.loads(out.stdout).items()}


def pagefind_site(site: Path, out: Path, binary: str) -> Path:
    """A copy of `site` with a Pagefind index of the pages Material's index holds."""
    shutil.copytree(site, out)
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    pages: dict[str, float] = {}
    for doc in index["docs"]:
        page = doc["location"].split("#")[0]
        pages[page] = max(pages.get(page, 1), doc.get("boost", 1))
    for page, boost in sorted(pages.items()):
        html = out / page / "index.html"
        text = html.read_text("utf-8")
        if text.count(ARTICLE_MARK) != 1:
            raise SystemExit(f"{html}: expected one {ARTICLE_MARK!r}; Material's page template changed")
        # A page Material boosts (front matter `search: boost:`) gets the same weight in Pagefind.
        weight = f' data-pagefind-weight="{boost:g}"' if boost != 1 else ""
        html.write_text(text.replace(ARTICLE_MARK, ARTICLE_MARK[:-1] + f" data-pagefind-body{weight}>"), "utf-8")
    run = subprocess.run([binary, "--site", str(out)], capture_output=True, text=True)
    if run.returncode or "Indexed" not in run.stdout:
        raise SystemExit(f"pagefind failed:\n{run.stdout}\n{run.stderr}")
    return out


def _recorder(ctx, bucket: list):
    """Record every response of a browser context (its pages' and their workers'): url, raw, gz bytes."""
    def on_response(response):
        try:
            body = response.body()
        except Exception:  # a redirect or an aborted request has no body
            return
        bucket.append((response.url, len(body), gz_size(body, response.url)))
    ctx.on("response", on_response)


PAGEFIND_QUERY = """async ([q, n, ranking]) => {
  const pagefind = await import("/pagefind/pagefind.js");
  if (ranking) await pagefind.options({ ranking });
  const search = await pagefind.search(q);
  return await Promise.all(search.results.slice(0, n).map((r) => r.data()));
}"""


def browser_runs(base: str, texts: list[str], ranking: dict | None = None):
    """Material's bytes (one cold search) and, per query, Pagefind's links and bytes (cold each)."""
    from playwright.sync_api import sync_playwright

    pagefind: dict[str, tuple[list[str], int, int]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        ctx = browser.new_context()
        seen: list = []
        _recorder(ctx, seen)
        page = ctx.new_page()
        page.goto(base + PAGE)
        box = page.locator("input.md-search__input")  # as site_tests/test_browser_search.py does
        box.click()
        box.fill(texts[0])
        box.press("End")
        page.wait_for_selector(".md-search-result__item", timeout=30000)
        searched = [s for s in seen if re.search(r"/search/search_index\.json$|/workers/search\.[0-9a-f]+\.min\.js$", s[0])]
        if len(searched) != 2:
            raise SystemExit(f"expected Material's worker and index among the loads, got {[s[0] for s in searched]}")
        material = (sum(s[1] for s in searched), sum(s[2] for s in searched))
        ctx.close()
        for text in texts:
            ctx = browser.new_context()
            page = ctx.new_page()
            page.goto(base + "404.html")  # any page of the site (lang zh); the Measures page is slower to load
            seen = []
            _recorder(ctx, seen)
            results = page.evaluate(PAGEFIND_QUERY, [text, PAGEFIND_PAGES, ranking])
            page.wait_for_timeout(50)  # let the last response events arrive
            loads = [s for s in seen if "/pagefind/" in s[0]]
            pagefind[text] = (pagefind_links(results), sum(s[1] for s in loads), sum(s[2] for s in loads))
            ctx.close()
        browser.close()
    return material, pagefind


def ui_bytes(pf: Path) -> str:
    files = [pf / "pagefind" / n for n in ("pagefind-ui.js", "pagefind-ui.css")]
    raw = sum(f.stat().st_size for f in files)
    gz = sum(gz_size(f.read_bytes(), f.name) for f in files)
    return f"{raw / 1024:.0f} KB ({gz / 1024:.0f} KB gz)"


# ---------------------------------------------------------------- the table

def fmt_rank(r: int | None) -> str:
    return "—" if r is None else str(r)


def table(qs: list[Query], material: dict, material_bytes: tuple, pagefind: dict) -> str:
    kb = lambda raw, gz: f"{raw / 1024:.0f} / {gz / 1024:.0f}"  # noqa: E731
    # In Chinese: the table goes onto the site's page docs/engines.md as printed.
    lines = ["| 查询 | 类型 | 正确条文（第几条） | 排名：jieba + Material | 排名：Pagefind | "
             "首次搜索载入 KB：Material（原始 / gzip） | 首次搜索载入 KB：Pagefind（原始 / gzip） |",
             "|---|---|---|---|---|---|---|"]
    top = {"material": 0, "pagefind": 0}
    pf_raw, pf_gz = [], []
    for q in qs:
        rm = rank(material[q.text], q.right)
        links, raw, gz = pagefind[q.text]
        rp = rank(links, q.right)
        top["material"] += rm is not None and rm <= TOP
        top["pagefind"] += rp is not None and rp <= TOP
        pf_raw.append(raw)
        pf_gz.append(gz)
        right = ", ".join(sorted((a.removeprefix("article-") for a in q.right), key=int))
        lines.append(f"| {q.text} | {q.kind} | {right} | {fmt_rank(rm)} | {fmt_rank(rp)} | "
                     f"{kb(*material_bytes)} | {kb(raw, gz)} |")
    pf_raw.sort()
    pf_gz.sort()
    mid = len(qs) // 2
    lines.append(f"| **前 {TOP} 名内** | | {len(qs)} 个查询 | **{top['material']}** | **{top['pagefind']}** | "
                 f"{kb(*material_bytes)} | 中位数 {kb(pf_raw[mid], pf_gz[mid])}，最大 {kb(pf_raw[-1], pf_gz[-1])} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one)")
    parser.add_argument("--pagefind", default=str(ROOT / "node_modules" / ".bin" / "pagefind"),
                        help="the pagefind binary (npm pagefind, extended)")
    parser.add_argument("--ranking", type=json.loads, default=None,
                        help='Pagefind ranking options as JSON, e.g. \'{"pageLength": 0}\' (default: its own)')
    args = parser.parse_args(argv)
    if not Path(args.pagefind).exists() and not shutil.which(args.pagefind):
        raise SystemExit(f"no pagefind at {args.pagefind}: npm install pagefind (into a separate prefix) "
                         "and pass --pagefind <prefix>/node_modules/.bin/pagefind")
    version = subprocess.run([args.pagefind, "--version"], capture_output=True, text=True).stdout.strip()
    qs = queries(load_articles())
    with tempfile.TemporaryDirectory() as tmp, built_site(args.site) as site:
        pf = pagefind_site(site, Path(tmp) / "pagefind-site", args.pagefind)
        material = material_ranks(site, [q.text for q in qs])
        with served_site(pf) as (_, base):
            material_bytes, pagefind = browser_runs(base, [q.text for q in qs], args.ranking)
        tuned = f", ranking {json.dumps(args.ranking)}" if args.ranking else ""
        print(f"{version} (extended{tuned}) against jieba + Material for MkDocs, {len(qs)} queries; "
              f"Pagefind's UI code apart: {ui_bytes(pf)}\n")
        print(table(qs, material, material_bytes, pagefind))
    return 0


if __name__ == "__main__":
    sys.exit(main())
