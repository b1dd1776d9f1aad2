"""Turn the Measures data into page Markdown through Jinja2 templates.

Kept free of mkdocs so it can be unit-tested and reused: `main.py` only wires these functions into
mkdocs-macros. Templates autoescape, because every string comes from a YAML file that editors change
every year, and a stray `<` must never become markup on a page Party members read.
"""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from scorer.model import Article, Measures, Source
from scorer.numerals import article_label, chapter_label, chinese_numeral  # noqa: F401 (templates, tests)

TEMPLATES = Path(__file__).parent / "templates"

# Reader-facing names of source kinds: a reader must always see whether a sentence is the
# official text, the official summary, or a journalist's paraphrase.
SOURCE_LABELS = {
    "official-full": "官方全文",
    "official-summary": "摘要",
    "news": "新闻报道",
}
STATUS_FULL, STATUS_SUMMARY, STATUS_UNAVAILABLE = "full", "summary", "unavailable"
UNAVAILABLE_LABEL = "全文未公开"
UNAVAILABLE_SENTENCE = "官方全文未公开，摘要未载明本条内容。"

# Characters that Markdown (and attr_list's `{...}`) would read as syntax inside a heading.
_MD_INLINE = {c: f"&#{ord(c)};" for c in "\\`*_[]{}#!|~"}


def md_inline(value) -> Markup:
    """Escape text for a Markdown heading: HTML-escaped, and Markdown syntax turned into entities.

    Autoescaping alone stops tags but not `*`, `_` or a `{#id}` that attr_list would obey.
    """
    return Markup("".join(_MD_INLINE.get(c, str(escape(c))) for c in str(value)))


def heading_id(value: str) -> Markup:
    """attr_list's `{#id}` for a heading; only plain ids, since these anchors are permanent links."""
    if not re.fullmatch(r"[a-z][a-z0-9-]*", value):
        raise ValueError(f"not a plain anchor id: {value!r}")
    return Markup("{#" + value + "}")


def badges(article: Article, sources: dict) -> list[dict]:
    """Status badges for an article: one per kind of source it quotes, or 全文未公开.

    Derived from the passages rather than stored, so a badge can never claim a text is official
    when the passages say otherwise.
    """
    article = Article.of(article)
    if article.text_status == STATUS_UNAVAILABLE:
        return [{"kind": "unavailable", "label": UNAVAILABLE_LABEL}]
    kinds = []
    for passage in article.passages:
        kind = Source.of(sources[passage.source]).kind
        if kind not in kinds:
            kinds.append(kind)
    order = list(SOURCE_LABELS)
    return [{"kind": k, "label": SOURCE_LABELS[k]} for k in sorted(kinds, key=order.index)]


def environment() -> Environment:
    """The one Jinja environment: autoescape on, undefined names fail loudly."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md_inline"] = md_inline
    env.globals.update(
        chapter_label=chapter_label,
        article_label=article_label,
        chinese_numeral=chinese_numeral,
        badges=badges,
        heading_id=heading_id,
        SOURCE_LABELS=SOURCE_LABELS,
        UNAVAILABLE_SENTENCE=UNAVAILABLE_SENTENCE,
    )
    return env


def _sources(data: Measures) -> dict:
    return {s.id: s for s in data.sources}


def render_article(article, sources: dict, editorial_titles: bool = True, citations: dict | None = None) -> str:
    """Markdown for one article (`model.Article`, or its dict): `### 第N条 title {#article-N}` then its
    badges and passages. `sources`: source id -> `model.Source` (or its dict)."""
    template = environment().get_template("article.md.j2")
    return template.render(article=Article.of(article), sources={k: Source.of(v) for k, v in sources.items()},
                           editorial_titles=editorial_titles, citations=citations or {})


def render_notice(data) -> str:
    """The document's notice as an admonition (raw HTML, so the text needs no Markdown escaping)."""
    return environment().get_template("notice.html.j2").render(document=Measures.of(data).document)


def render_measures(data, citations: dict | None = None) -> str:
    """The whole Measures page (`model.Measures`, or its dict): title, notice, chapters with summaries,
    all articles, sources.

    `citations` maps an article id to the current year's indicators that cite it (listed under it).
    """
    data = Measures.of(data)
    return environment().get_template("measures.md.j2").render(
        citations=citations or {},
        document=data.document,
        chapters=data.chapters,
        sources=_sources(data),
        source_list=data.sources,
        editorial_titles=data.document.article_titles == "editorial",
    )


def render_document_intro(data) -> str:
    """A paragraph saying what the Measures are, built from the metadata so it never drifts."""
    data = Measures.of(data)
    return environment().get_template("intro.md.j2").render(document=data.document, chapters=data.chapters)
