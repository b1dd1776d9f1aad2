"""bench/search_compare.py's own logic: which queries it asks and how it ranks each engine's results.

The browser and Node runs are the benchmark's; these check that its table counts what it says it does.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import search_compare as bench  # noqa: E402

ARTICLES = bench.load_articles()
IDS = {a["id"] for a in ARTICLES}


def test_every_article_is_asked_for_by_its_title_and_every_query_has_right_articles():
    qs = bench.queries(ARTICLES)
    titled = {a["id"] for q in qs if q.kind == "标题" for a in ARTICLES if a["title"] == q.text}
    assert titled == IDS
    assert len({q.text for q in qs}) == len(qs)
    for q in qs:
        assert q.right and q.right <= IDS, q
    for text, right in bench.KEY_TERMS:  # the hand-picked terms do occur in their articles' text
        for word in text.split():
            assert any(word in p["text"] for a in ARTICLES if a["id"] in right for p in a.get("passages", [])), text
    assert {"标题", "两词", "部分词", "关键词"} == {q.kind for q in qs}


def test_a_query_is_right_for_every_article_whose_title_holds_its_words():
    qs = {q.text: q for q in bench.queries(ARTICLES)}
    assert qs["责任"].right == {a["id"] for a in ARTICLES if "责任" in a["title"]}
    assert qs["容错 纠错"].right == {"article-26", "article-27"}


def test_material_title_only_entry_links_where_the_best_section_does():
    groups = [
        [{"location": "measures/", "terms": {}}, {"location": "measures/#article-16", "terms": {"四风": True}},
         {"location": "measures/#article-13", "terms": {"四风": True}}],
        [{"location": "standards/", "terms": {"四风": True}}, {"location": "standards/#current", "terms": {"四风": True}}],
    ]
    links = bench.material_links(groups)
    assert links == ["measures/#article-16", "measures/#article-13", "standards/", "standards/#current"]
    assert bench.rank(links, {"article-13"}) == 2


def test_pagefind_sections_follow_their_page_by_hits_and_the_page_itself_counts_once():
    results = [
        {"url": "/standards/", "sub_results": [{"url": "/standards/", "locations": [1, 2, 3, 4]}]},
        {"url": "/measures/", "sub_results": [
            {"url": "/measures/", "locations": [0]},
            {"url": "/measures/#article-15", "locations": [5]},
            {"url": "/measures/#article-16", "locations": [7, 8]},
            {"url": "/measures/#article-17", "locations": [9]}]},
    ]
    links = bench.pagefind_links(results)
    assert links == ["/standards/", "/measures/", "/measures/#article-16", "/measures/#article-15", "/measures/#article-17"]
    assert bench.rank(links, {"article-15"}) == 4
    assert bench.rank(links, {"article-1"}) is None


@given(st.lists(st.one_of(st.integers(1, 30).map(lambda n: f"measures/#article-{n}"),
                          st.sampled_from(["measures/", "standards/#current", "/measures/index.html#article-3"])),
                max_size=25),
       st.sets(st.integers(1, 30).map(lambda n: f"article-{n}"), min_size=1, max_size=5))
def test_rank_is_the_first_right_link_within_the_limit(links, right):
    r = bench.rank(links, right)
    hits = [i for i, url in enumerate(links, 1) if bench.article_of(url) in right]
    if hits and hits[0] <= bench.LIMIT:
        assert r == hits[0]
    else:
        assert r is None


def test_article_of_reads_only_links_to_an_article_of_the_measures():
    assert bench.article_of("/measures/#article-4") == "article-4"
    assert bench.article_of("measures/index.html#article-30") == "article-30"
    assert bench.article_of("measures/#chapter-2") is None
    assert bench.article_of("standards/2019/dept/#article-4") is None
    assert bench.article_of("measures/#article-4-x") is None


def test_gz_size_counts_precompressed_files_as_they_are():
    text = "四风".encode() * 500
    packed = gzip.compress(text)
    assert bench.gz_size(packed, "x.pf_fragment") == len(packed)
    assert bench.gz_size(text, "x.json") < len(text)
    assert bench.gz_size(b"ab", "tiny.json") == 2


def test_the_table_in_docs_engines_is_one_run_of_these_queries_and_its_totals_add_up():
    """docs/engines.md quotes one run's table: it must hold exactly the queries the benchmark asks (rerun
    it when they change), and the totals quoted under it must be the table's own."""
    doc = (Path(bench.ROOT) / "docs" / "engines.md").read_text("utf-8")
    rows = [[c.strip() for c in line.split("|")[1:-1]] for line in doc.splitlines()
            if line.startswith("| ") and line.count("|") == 8 and not line.startswith("| 查询")]
    body = [r for r in rows if not r[0].startswith("**")]
    qs = bench.queries(ARTICLES)
    assert [(r[0], r[1]) for r in body] == [(q.text, q.kind) for q in qs]
    for r, q in zip(body, qs):
        assert r[2] == ", ".join(sorted((a.removeprefix("article-") for a in q.right), key=int))

    def top(col, kind=None):
        return sum(1 for r in body if (kind is None or r[1] == kind) and r[col] != "—" and int(r[col]) <= bench.TOP)

    (total,) = [r for r in rows if r[0].startswith("**")]
    assert (total[3], total[4]) == (f"**{top(3)}**", f"**{top(4)}**")
    for kind in ("标题", "两词", "部分词", "关键词"):
        count = sum(1 for r in body if r[1] == kind)
        assert f"| {kind} | {count} | {top(3, kind)} | {top(4, kind)} |" in doc, kind
    assert f"| 合计 | {len(body)} | **{top(3)}** | **{top(4)}** |" in doc
