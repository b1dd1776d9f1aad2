"""A fix to Material for MkDocs' search worker for Chinese queries, made after every build (an mkdocs hook).

Material segments a Chinese query with the words of the search index ("Experimental Chinese
segmentation", `segment()` in its search worker) but its loop never tries a slice that ends at the
query's last character (`j < query.length`). So the last word of a query is lost: 四风 is searched as
四, 主体责任 as 主体 alone. The fix is the bound `<=` in the shipped worker.

The replacement is exact: if a Material update changes that code (fixed or not), the build fails here
instead of shipping either a broken search or a wrong patch. Look at `segment()` in Material's
src/templates/assets/javascripts/integrations/search/query/segment/index.ts, then update or remove
this hook (and its line in mkdocs.yml). site_tests/test_site_build.py runs the shipped function.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

# The minified loop of segment(query=t, index=e) in Material 9.8's workers/search.*.min.js.
BROKEN = "for(let o=s+1;o<t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)"
FIXED = "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)"


def fix_segmenter(site: Path) -> Path:
    """Patch the search worker of a built site in place; return its path."""
    workers = sorted((Path(site) / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    if len(workers) != 1:
        raise PluginError(f"expected one Material search worker, found {len(workers)}: update sitebuild/theme_search.py")
    worker = workers[0]
    code = worker.read_text("utf-8")
    if code.count(FIXED) == 1 and BROKEN not in code:
        return worker
    if code.count(BROKEN) != 1:
        raise PluginError(f"{worker.name}: Material's query segmentation code changed; update sitebuild/theme_search.py")
    worker.write_text(code.replace(BROKEN, FIXED), "utf-8")
    return worker


def on_post_build(config, **kwargs):
    fix_segmenter(Path(config.site_dir))
