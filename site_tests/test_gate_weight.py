"""Gate: weight. What a reader's browser downloads for a page stays small, and the search index does
not grow with every published year.

- Every built page: its HTML plus every stylesheet, script, font and image it loads (from the page's
  own references and the stylesheets' url()s, plus what its module scripts import statically),
  each gzip-compressed at level 6 as a real host sends it, within PAGE_BUDGET. Not counted: the
  Pyodide runtime, its start-up artifacts and the wheels, which the scorer's worker fetches once and
  the service worker keeps (their size is Pyodide's; see STACK_NOTES.md), and what a page fetches
  later on demand (data/, the search index and Material's search worker).
- The search index, built with 1 and with 5 synthetic years (bench/build_years.py's generator),
  grows by at most SEARCH_BUDGET_PER_YEAR per added year.

The five heaviest pages are printed and written to test-artifacts/page-weights.txt.
"""

from __future__ import annotations

import gzip
import json
import posixpath
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from site_tests import gates

ROOT = Path(__file__).resolve().parent.parent

# Measured (gzip -6): the heaviest pages are the self-assessment forms, ~109 KB (Material's bundle
# 34 KB and stylesheet 22 KB, the form's modules, the page itself); a plain page 74-81 KB.
PAGE_BUDGET = 300 * 1024
# Not the page's: fetched by the scorer's worker (runtime, start-up, wheels).
EXCLUDED = ("assets/pyodide/", "assets/wheels/")

# Measured on this build (gzip -6 of search/search_index.json): with every year's standards, year
# and form pages indexed, 1 year 55.7 KB and 5 years 223.5 KB, i.e. ~42 KB per added year (355 KB
# raw). With only the current year searchable (sitebuild/pages.py), 32.7 KB and 33.2 KB: ~0.14 KB
# per added year (the standards index and the change notes list one more year).
SEARCH_BUDGET_PER_YEAR = 2 * 1024


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


class _Refs(HTMLParser):
    """What an HTML page loads by itself: stylesheets, preloads, icons, scripts (and which of them are
    modules), images."""

    LINK_RELS = {"stylesheet", "modulepreload", "preload", "icon", "apple-touch-icon"}

    def __init__(self):
        super().__init__()
        self.refs: list[tuple[str, bool]] = []  # (url, is module)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("href") and self.LINK_RELS & set((a.get("rel") or "").lower().split()):
            self.refs.append((a["href"], "modulepreload" in (a.get("rel") or "")))
        elif tag == "script" and a.get("src"):
            self.refs.append((a["src"], (a.get("type") or "").lower() == "module"))
        elif tag in ("img", "source", "video", "audio") and a.get("src"):
            self.refs.append((a["src"], False))


_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")
_STATIC_IMPORT = re.compile(
    r"""(?:^|[;\n}])\s*(?:import|export)\s*(?:[\w*{}\s,$]*?\s*from\s*)?["']([^"']+)["']""")


def _local(site: Path, base: str, url: str) -> str | None:
    """Site-relative path of a reference made from `base` (a site-relative file path), or None when it
    is not a file of the site (another origin, data:, a fragment)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = parts.path if parts.path.startswith("/") else posixpath.join(posixpath.dirname(base), parts.path)
    path = posixpath.normpath(path).lstrip("/")
    if path.endswith("/") or (site / path).is_dir():
        path = posixpath.join(path, "index.html")
    return path


def page_resources(site: Path, page: str) -> set[str]:
    """Every file one page loads by itself, site-relative, the page excluded."""
    parser = _Refs()
    parser.feed((site / page).read_text("utf-8"))
    todo = [(_local(site, page, url), module) for url, module in parser.refs]
    seen: set[str] = set()
    while todo:
        path, module = todo.pop()
        if path is None or path in seen or path.startswith(EXCLUDED):
            continue
        assert (site / path).is_file(), f"{page} loads {path}, which is not in the site"
        seen.add(path)
        if path.endswith(".css"):
            text = (site / path).read_text("utf-8")
            for match in _CSS_URL.finditer(text):
                todo.append((_local(site, path, match.group(2) or match.group(4)), False))
        elif module or path.endswith(".mjs"):
            text = (site / path).read_text("utf-8")
            for match in _STATIC_IMPORT.finditer(text):
                todo.append((_local(site, path, match.group(1)), True))
    return seen


def page_weights(site: Path) -> dict[str, tuple[int, list]]:
    """page -> (gzipped bytes of the page and all it loads, [(resource, gzipped bytes)])."""
    sizes: dict[str, int] = {}

    def size(path: str) -> int:
        if path not in sizes:
            sizes[path] = gz((site / path).read_bytes())
        return sizes[path]

    weights = {}
    for page in sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")):
        if page.startswith(EXCLUDED):
            continue
        parts = sorted(((r, size(r)) for r in page_resources(site, page)), key=lambda x: -x[1])
        weights[page] = (size(page) + sum(s for _, s in parts), parts)
    return weights


def test_the_resource_walk_finds_module_imports_and_css_urls(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<link rel="stylesheet" href="../s.css"><script type="module" src="../m.mjs"></script>'
        '<script src="https://example.org/x.js"></script><img src="data:image/png;base64,AA">', "utf-8")
    (tmp_path / "s.css").write_text('@font-face{src:url("f.woff2")} .x{background:url(data:image/svg+xml;x)}', "utf-8")
    (tmp_path / "f.woff2").write_bytes(b"font")
    (tmp_path / "m.mjs").write_text('import { a } from "./n.mjs";\nexport * from "./o.mjs";\n'
                                    'const later = () => import("./lazy.mjs");', "utf-8")
    (tmp_path / "n.mjs").write_text('import "./p.mjs";', "utf-8")
    for name in ("o.mjs", "p.mjs", "lazy.mjs"):
        (tmp_path / name).write_text("export const x = 1;", "utf-8")
    assert page_resources(tmp_path, "a/index.html") == {"s.css", "f.woff2", "m.mjs", "n.mjs", "o.mjs", "p.mjs"}


def test_every_page_stays_under_the_byte_budget(built_site, artifacts_dir):
    weights = page_weights(built_site)
    assert len(weights) >= 10
    form = next(p for p in weights if re.fullmatch(r"assess/\d+/\w+/index\.html", p))
    assert any(r.endswith("scorer-client.mjs") for r, _ in weights[form][1]), "static imports are followed"
    assert any(r.startswith("assets/javascripts/bundle.") for r, _ in weights[form][1])
    heaviest = sorted(weights.items(), key=lambda kv: -kv[1][0])[:5]
    lines = ["Heaviest pages (gzip -6, page + everything it loads):"]
    for page, (total, parts) in heaviest:
        top = ", ".join(f"{r} {s / 1024:.1f}" for r, s in parts[:4])
        lines.append(f"  {total / 1024:6.1f} KB  {page}  ({top} …)")
    report = "\n".join(lines)
    print("\n" + report)
    (artifacts_dir / "page-weights.txt").write_text(report + "\n", "utf-8")
    over = {page: total for page, (total, _) in weights.items() if total > PAGE_BUDGET}
    assert over == {}, f"over {PAGE_BUDGET / 1024:.0f} KB:\n{report}"


# ---------------------------------------------------------------- the search index against years

def _build_years_generator():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import build_years
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return build_years


@pytest.fixture(scope="module")
def five_year_site(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("five-years")
    tree = _build_years_generator().make_tree(ROOT / "standards", work / "standards", 5)
    return gates.build_site(work / "site", "5 synthetic years", tree)


def _index(site: Path) -> tuple[int, set]:
    raw = (site / "search" / "search_index.json").read_bytes()
    pages = {doc["location"].split("#")[0] for doc in json.loads(raw)["docs"]}
    return gz(raw), pages


def test_the_search_index_does_not_grow_with_the_years(built_site, five_year_site):
    # One synthetic year is the shipped tree itself (make_tree copies standards/ and adds nothing),
    # so the session's build stands for it.
    one, one_pages = _index(built_site)
    five, five_pages = _index(five_year_site)
    per_year = (five - one) / 4
    print(f"\nsearch index (gzip -6): 1 year {one / 1024:.1f} KB, 5 years {five / 1024:.1f} KB, "
          f"{per_year / 1024:.2f} KB per added year")
    assert per_year <= SEARCH_BUDGET_PER_YEAR, f"{per_year / 1024:.1f} KB per added year"
    # The current year is searchable, once: its standards and settings, not the forms that repeat
    # them, and no older year competes with it.
    current = json.loads((five_year_site / "data" / "index.json").read_text("utf-8"))["current"]
    years = {int(m.group(1)) for p in five_pages for m in [re.match(r"(?:standards|assess)/(\d{4})/", p)] if m}
    assert years == {current}, years
    assert f"standards/{current}/dept/" in five_pages and f"standards/{current}/" in five_pages
    assert not any(re.match(r"assess/\d{4}/", p) for p in five_pages | one_pages)
    assert {"measures/", "assess/", "standards/"} <= five_pages
