"""The Measures (《实施办法》): structure checks beyond the schema.

The schema fixes the shape; here we check what a shape cannot say: numbering without gaps, the
chapter and article counts the official summary gives, sources that resolve, and that an article's
text matches its declared status (a summary article never passes for official text).
"""

from __future__ import annotations

from .errors import Collector
from .schema import best_effort, load_schema, validate


def check(value, collector: Collector) -> None:
    """Add every problem with a parsed measures document to `collector`."""
    validate(value, load_schema("measures"), collector.add)
    best_effort(_invariants, value, collector)


def _invariants(value, collector):
    document = value["document"]
    sources = {}
    for i, source in enumerate(value["sources"]):
        if source["id"] in sources:
            collector.add(("sources", i, "id"), f"重复的来源 id '{source['id']}'（每个来源 id 只能出现一次）")
        sources[source["id"]] = source

    chapters = value["chapters"]
    if len(chapters) != document["chapter_count"]:
        collector.add(("chapters",), f"共 {len(chapters)} 章（document.chapter_count 为 {document['chapter_count']} 章）")
    expected_article = 1
    total = 0
    for c, chapter in enumerate(chapters):
        where = ("chapters", c)
        if chapter["number"] != c + 1:
            collector.add(where + ("number",), f"章序号为 {chapter['number']}（应为 {c + 1}，章序号须从 1 起连续）")
        if chapter["id"] != f"chapter-{chapter['number']}":
            collector.add(where + ("id",), f"章 id 为 '{chapter['id']}'（应为 'chapter-{chapter['number']}'）")
        articles = chapter["articles"]
        total += len(articles)
        if len(articles) != chapter["article_count"]:
            collector.add(where + ("articles",),
                          f"第{chapter['number']}章有 {len(articles)} 条（article_count 为 {chapter['article_count']} 条）")
        for a, article in enumerate(articles):
            _check_article(article, where + ("articles", a), expected_article, sources, collector)
            expected_article = article["number"] + 1
    if total != document["article_count"]:
        collector.add(("document", "article_count"), f"全文共 {total} 条（document.article_count 为 {document['article_count']} 条）")


def _check_article(article, where, expected_number, sources, collector):
    number = article["number"]
    if number != expected_number:
        collector.add(where + ("number",), f"条序号为 {number}（应为 {expected_number}，条序号须连续、不得跳号或重复）")
    if article["id"] != f"article-{number}":
        collector.add(where + ("id",), f"条 id 为 '{article['id']}'（应为 'article-{number}'）")
    passages = article.get("passages", [])
    status = article["text_status"]
    kinds = []
    for p, passage in enumerate(passages):
        source = sources.get(passage["source"])
        if source is None:
            collector.add(where + ("passages", p, "source"),
                          f"未知来源 '{passage['source']}'（应为 sources 中的 id：{', '.join(sources)}）")
        else:
            kinds.append(source["kind"])
    if status == "unavailable" and passages:
        collector.add(where + ("passages",), "text_status 为 unavailable 时不应有 passages（或将 text_status 改为 summary/full）")
    if status in ("summary", "full") and not passages:
        collector.add(where + ("passages",), f"text_status 为 {status} 时须至少有一段 passages")
    if status == "full" and any(k != "official-full" for k in kinds):
        collector.add(where + ("passages",), "text_status 为 full 时，所有段落须来自 official-full 来源")
    if status == "summary" and "official-full" in kinds:
        collector.add(where + ("text_status",), "段落来自官方全文（official-full），text_status 应为 full")


def articles(value) -> list[dict]:
    """All articles in order, each with its chapter's number: the flat view pages and links need."""
    return [dict(article, chapter=chapter["number"]) for chapter in value["chapters"] for article in chapter["articles"]]


def load(path="standards/measures.yaml", source: str | None = None) -> dict:
    """Read and check the Measures from YAML (CPython only). Raises InvalidInput listing every problem."""
    from . import yamlsource

    located = yamlsource.load(path, source)
    collector = located.collector()
    check(located.value, collector)
    collector.raise_if_any()
    return located.value
