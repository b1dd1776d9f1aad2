"""Fixes to Material for MkDocs' search for Chinese text, made by the build (sitebuild/build.py).

Material's search has three parts: the plugin (Python) turns each page into index text, the search
worker runs the query, the main bundle draws the results. Each fix below sits in the part that
makes the mistake:

1. Worker, query segmentation. `segment()` splits a Chinese query with the index's own words but
   never tried a slice ending at the query's last character (`j < query.length`): 四风 was searched
   as 四, 主体责任 as 主体 alone. Fixed bound: `<=`.
2. Worker, query terms. The segmented words are joined with "* " before Material's query
   transform, which adds its own "*" to every term. So every word but the last became 八项**: lunr
   still matched it, but the term-tracking step (does any matched word start with the term?) then
   looked for the literal "八项*", found it nowhere, and every result said "缺少: 八项*" right under
   text holding 八项规定. Joined with " " instead: each word gets exactly one "*".
3. Bundle, a result group's title. When a page's own top section did not match, the worker adds the
   page with no terms so the group has a title; its link went to the page top with `?h=` empty. The
   title now links where the best-matching section of that group does, with that section's terms
   highlighted, as Material's section links do. A page that matched itself keeps its own link.
4. Plugin, tables. Material's index parser keeps paragraphs and lists but drops table markup, so a
   table's cells ran together ("指标分值评价内容评价方式扣分情形依据 CON-01 …"), as did a description
   list's terms and descriptions ("年度2019 年度适用对象…"). The parser used for the index is replaced
   by a subclass that writes each table row (each term with its descriptions) as its own paragraph,
   the cells separated by an ideographic space (U+3000: read as a column gap in Chinese text, and a
   search separator in mkdocs.yml, so it is never indexed as a word).

Every patch is exact: the build fails here if Material's code is not exactly what was patched (fixed
upstream or changed), instead of shipping a broken search or a wrong patch. Look at Material's
src/templates/assets/javascripts/integrations/search/ (worker: `segment()`, `Search.search`),
src/templates/assets/javascripts/templates/search/ (`renderSearchResultItem`) and
material/plugins/search/plugin.py (`Parser`, `SearchIndex.add_entry_from_context`), then update or
remove the patch. site_tests/test_site_build.py runs the shipped worker in Node;
site_tests/test_browser_search.py checks the results in Chromium.
"""

from __future__ import annotations

import inspect
from pathlib import Path

from .errors import ThemeChanged

# Exact replacements in Material 9.8's minified files: (what, broken, fixed).
WORKER_PATCHES = (
    ("query segmentation (segment)",
     "for(let o=s+1;o<t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)",
     "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)"),
    ("query terms (search)",
     '[...fe(s,this.index.invertedIndex)].join("* ")',
     '[...fe(s,this.index.invertedIndex)].join(" ")'),
)
# renderSearchResultItem(result): `i` is the page (the group's title), `r` the sections, best first.
BUNDLE_PATCHES = (
    ("result group title (renderSearchResultItem)",
     "[i]=r.splice(n,1),s=r.findIndex(l=>l.score<t);",
     "[i]=r.splice(n,1),s=r.findIndex(l=>l.score<t);"
     "i.score||!r.length||(i={...i,location:r[0].location,terms:r[0].terms});"),
)

CELL_SEPARATOR = "\u3000"


def _patch(site: Path, pattern: str, patches) -> Path:
    """Apply `patches` to the one file of `site` matching `pattern`; an already patched file is left as
    is. Fails the build if the file or any patched code is not exactly as expected."""
    files = sorted(Path(site).glob(pattern))
    if len(files) != 1:
        raise ThemeChanged(f"expected one file {pattern} from Material, found {len(files)}: update sitebuild/theme_search.py")
    path = files[0]
    code = path.read_text("utf-8")
    for what, broken, fixed in patches:
        if code.count(fixed) == 1 and broken not in code:
            continue
        if code.count(broken) != 1:
            raise ThemeChanged(f"{path.name}: Material's {what} code changed; update sitebuild/theme_search.py")
        code = code.replace(broken, fixed)
    path.write_text(code, "utf-8")
    return path


def fix_worker(site: Path) -> Path:
    """Patch the search worker of a built site in place; return its path."""
    return _patch(site, "assets/javascripts/workers/search.*.min.js", WORKER_PATCHES)


def fix_bundle(site: Path) -> Path:
    """Patch the main bundle (which draws the search results) of a built site in place; return its path."""
    return _patch(site, "assets/javascripts/bundle.*.min.js", BUNDLE_PATCHES)


# ---------------------------------------------------------------- the index of tables

def table_parser(base):
    """Material's index parser (`base`), writing table rows as paragraphs of separated cells."""

    class TableParser(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.rows = []  # per open row: [tr or dt, the text list it writes to, where its <p> is, cells so far]

        def _indexed(self) -> bool:
            return not self.skip.intersection(self.context)

        def _data(self) -> list:
            # As Material's parser decides: inside the heading, the section title; else its text.
            return self.section.title if self.section.el in self.context else self.section.text

        def _open_row(self, tag):
            data = self._data()
            data.append("<p>")
            self.rows.append([tag, data, len(data) - 1, 0])

        def _close_row(self):
            _, data, start, _ = self.rows.pop()
            if "".join(data[start + 1:]).strip(" \u3000\n\t"):
                data.append("</p>")
            else:  # an empty row leaves nothing behind
                del data[start:]

        def handle_starttag(self, tag, attrs):
            super().handle_starttag(tag, attrs)
            if not self._indexed():
                return
            # A table row, and in a description list a term with its descriptions, is one line.
            if tag == "tr":
                self._open_row(tag)
            elif tag == "dt":
                if self.rows and self.rows[-1][0] == "dt":
                    self._close_row()
                self._open_row(tag)
                self.rows[-1][3] = 1  # the term is the line's first cell
            elif tag in ("td", "th", "dd") and self.rows:
                row = self.rows[-1]
                if row[3]:
                    data = row[1]
                    while len(data) > row[2] + 1 and data[-1].isspace():
                        data.pop()  # the white space between cells: the separator stands for it
                    data.append(CELL_SEPARATOR)
                row[3] += 1

        def handle_endtag(self, tag):
            super().handle_endtag(tag)
            if tag in ("tr", "dl") and self.rows and self.rows[-1][0] == ("tr" if tag == "tr" else "dt"):
                self._close_row()

    TableParser.__name__ = TableParser.__qualname__ = f"Table{base.__name__}"
    return TableParser


# A table as the index must write it; checked on every build against Material's parser as installed.
SAMPLE_TABLE = ("<h1 id='t'>T</h1><table><thead><tr><th>指标</th><th>分值</th></tr></thead>"
                "<tbody><tr><th>CON-01 作风</th><td>5</td></tr><tr><td> </td><td></td></tr></tbody></table>"
                "<dl><dt>年度</dt><dd>2019 年度</dd><dt>基本分</dt><dd>100 分</dd></dl><p>后</p>")
SAMPLE_TEXT = "<p>指标\u3000分值</p><p>CON-01 作风\u30005</p><p>年度\u30002019 年度</p><p>基本分\u3000100 分</p><p>后</p>"


def install_table_parser():
    """Make Material's search plugin index tables row by row. Idempotent; fails the build if the plugin
    no longer builds its index with the module's `Parser` or no longer writes SAMPLE_TABLE as expected."""
    from material.plugins.search import plugin as search

    if not getattr(search.Parser, "gm_tables", False):
        if "Parser()" not in inspect.getsource(search.SearchIndex.add_entry_from_context):
            raise ThemeChanged("Material's search index no longer uses plugin.Parser(); update sitebuild/theme_search.py")
        search.Parser = table_parser(search.Parser)
        search.Parser.gm_tables = True
    try:
        parser = search.Parser()
        parser.feed(SAMPLE_TABLE)
        parser.close()
        text = "".join(parser.data[-1].text).strip()
    except Exception as exc:  # any change in the parser's internals
        raise ThemeChanged(f"Material's search parser changed ({exc!r}); update sitebuild/theme_search.py") from exc
    if text != SAMPLE_TEXT:
        raise ThemeChanged(f"Material's search parser changed (a table is indexed as {text!r}); "
                          "update sitebuild/theme_search.py")

