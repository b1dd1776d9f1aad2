"""The self-assessment pages offline: the precache list and the service worker of this build.

    assets/build.json    the build version and the offline precache list
    sw.js                the service worker (docs/sw.js), with that version and list

The build version is a hash of every precached file, so any change in the runtime, the data or the
pages gives browsers a new service worker and a new cache, and an unchanged site keeps its cache.
This step comes last (sitebuild/build.py): it records a revision of every file it lists, so it must
see each file as published (the pages with their CSP, the manifest with XlsxWriter).
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import vendor
from .errors import BuildError

SW_LINE = re.compile(r"^const BUILD = .*$", re.MULTILINE)
# Under assets/: what the scorer and the assessment pages need offline. Not source maps, not the
# search engine (search needs the network-only search index anyway), not the full stdlib (4.5 MB that
# only scorer.stdlib_rescue fetches, for an import the start-up zip lacks, which the tests rule out).
SKIP = re.compile(r"(\.map$|^assets/javascripts/lunr/|^assets/javascripts/workers/|^assets/build\.json$"
                  r"|^assets/pyodide/startup/stdlib-full-)")
# The page docs/sw.js shows, while offline, for a page it does not hold (keep the two names in step).
OFFLINE_PAGE = "offline"


def precache_list(site: Path) -> list:
    """[[url relative to the site root, revision]] of every file the offline scorer pages need."""
    site = Path(site)
    entries = []

    def add(path: Path, url: str):
        entries.append([url, vendor.sha256_file(path)[:16]])

    for path in sorted((site / "assets").rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.is_file() and not SKIP.search(rel):
            add(path, rel)
    data = site / "data"
    if (data / "index.json").is_file():
        add(data / "index.json", "data/index.json")
    for path in sorted(data.glob("[0-9]*/*.json")):
        add(path, path.relative_to(site).as_posix())
    # The pages that run the scorer (the assessment forms and the office's tools, all usable offline
    # after one visit to any of them), every page they link to (the standard's full text, the year's
    # grades, the Measures, the navigation), so no link of an offline page is a dead end, and the
    # page the service worker shows for any other page while offline.
    for url in offline_pages(site):
        add(site / url / "index.html", url + "/" if url else "")  # "": the home page, the scope itself
    return entries


class _Links(HTMLParser):
    """Every <a href> of a page."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def linked_pages(site: Path, page: str) -> set[str]:
    """Site-relative folders ("" for the home page) of the built pages that `page` (a folder) links to."""
    parser = _Links()
    parser.feed((site / page / "index.html").read_text("utf-8"))
    found = set()
    for href in parser.hrefs:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
            continue  # another origin, a fragment of the page itself, or an absolute path (none are built)
        target = posixpath.normpath(posixpath.join(page, unquote(parts.path))).strip("/")
        target = "" if target == "." else target
        if target.startswith("..") or not (site / target / "index.html").is_file():
            continue
        found.add(target)
    return found


def offline_pages(site: Path) -> list[str]:
    """The pages to precache: see precache_list."""
    scoring = {page.parent.relative_to(site).as_posix()
               for section in ("assess", "office") for page in (site / section).rglob("index.html")}
    pages = set(scoring)
    for page in scoring:
        pages |= linked_pages(site, page)
    if not (site / OFFLINE_PAGE / "index.html").is_file():
        raise BuildError(f"site/{OFFLINE_PAGE}/index.html 不存在（应由 docs/{OFFLINE_PAGE}.md 生成），离线时无法显示提示页。")
    pages.add(OFFLINE_PAGE)
    return sorted(pages)


def write_offline(site: Path) -> dict:
    """assets/build.json and the service worker for this build; returns the build info."""
    site = Path(site)
    sw = site / "sw.js"
    if not sw.is_file():
        raise BuildError("site/sw.js 不存在（应由 docs/sw.js 复制而来）。")
    template = sw.read_text("utf-8")
    entries = precache_list(site)
    digest = hashlib.sha256(template.encode("utf-8"))
    for url, rev in entries:
        digest.update(f"{url}\0{rev}\n".encode("utf-8"))
    build = {"version": digest.hexdigest()[:16], "precache": entries}
    if not SW_LINE.search(template):
        raise BuildError("sw.js 中缺少 `const BUILD = …;` 一行，无法写入构建版本。")
    line = "const BUILD = " + json.dumps(build, ensure_ascii=False, separators=(",", ":")) + "; // written by sitebuild/offline.py"
    sw.write_text(SW_LINE.sub(lambda _: line, template, count=1), encoding="utf-8")
    info = {"format": "gm-build/1", "version": build["version"], "files": len(entries),
            "bytes": sum((site / (u + "index.html" if u.endswith("/") or not u else u)).stat().st_size for u, _ in entries)}
    (site / "assets" / "build.json").write_text(json.dumps(info, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return info

