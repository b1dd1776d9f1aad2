"""Unit tests of macros/render.py: numbering, escaping and the honesty labels, without mkdocs."""

from __future__ import annotations

import re

import pytest

from macros import render
from scorer import measures

SOURCES = {
    "summary": {"id": "summary", "kind": "official-summary", "title": "摘要标题"},
    "news": {"id": "news", "kind": "news", "title": "报道标题"},
    "full": {"id": "full", "kind": "official-full", "title": "全文标题"},
}


def article(number=13, title="政治建设责任", status="summary", passages=None, **extra):
    value = {"id": f"article-{number}", "number": number, "title": title, "text_status": status, **extra}
    if passages is None and status != "unavailable":
        passages = [{"source": "summary", "text": "示例段落"}]
    if passages is not None:
        value["passages"] = passages
    return value


@pytest.mark.parametrize(
    "n, expected",
    [(1, "一"), (2, "二"), (9, "九"), (10, "十"), (11, "十一"), (12, "十二"), (19, "十九"),
     (20, "二十"), (21, "二十一"), (29, "二十九"), (30, "三十"), (99, "九十九")],
)
def test_chinese_numeral(n, expected):
    assert render.chinese_numeral(n) == expected


@pytest.mark.parametrize("n", [0, -1, 100])
def test_chinese_numeral_out_of_range(n):
    with pytest.raises(ValueError):
        render.chinese_numeral(n)


def test_labels():
    assert render.chapter_label(3) == "第三章"
    assert render.chapter_label(7) == "第七章"
    assert render.article_label(13) == "第十三条"
    assert render.article_label(30) == "第三十条"


def test_article_heading_has_permanent_id():
    out = render.render_article(article(), SOURCES)
    assert out.splitlines()[0] == "### 第十三条 政治建设责任 {#article-13}"


def test_script_in_text_is_escaped():
    out = render.render_article(
        article(title="<script>alert(1)</script>",
                passages=[{"source": "summary", "text": "正文<script>alert(2)</script>&"}]),
        SOURCES,
    )
    assert "<script" not in out
    assert "&lt;script&gt;alert(2)&lt;/script&gt;&amp;" in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


def test_markdown_syntax_in_title_cannot_set_the_id():
    out = render.render_article(article(title="标题 {#evil} *强调*"), SOURCES)
    heading = out.splitlines()[0]
    assert heading.endswith(" {#article-13}")
    assert "{#evil}" not in heading and "*" not in heading


def test_unavailable_article_says_so():
    out = render.render_article(article(number=24, title="追责方式", status="unavailable",
                                        editor_note="新闻报道亦未涉及。"), SOURCES)
    assert "官方全文未公开，摘要未载明本条内容。" in out
    assert 'gm-badge--unavailable">全文未公开<' in out
    assert "gm-passage" not in out
    assert "编者注" in out and "新闻报道亦未涉及。" in out


def test_summary_article_labels_each_passage_with_its_source():
    out = render.render_article(
        article(passages=[{"source": "summary", "text": "甲"}, {"source": "news", "text": "乙"}]), SOURCES
    )
    passages = [line for line in out.splitlines() if 'class="gm-passage' in line]
    assert len(passages) == 2
    assert re.search(r'gm-source--official-summary"[^>]*>摘要</span> 甲</p>', passages[0])
    assert re.search(r'gm-source--news"[^>]*>新闻报道</span> 乙</p>', passages[1])
    assert 'gm-badge--official-summary">摘要<' in out and 'gm-badge--news">新闻报道<' in out
    assert "官方全文未公开" not in out


def test_full_article_badge():
    out = render.render_article(article(status="full", passages=[{"source": "full", "text": "条文"}]), SOURCES)
    assert 'gm-badge--official-full">官方全文<' in out


def test_copy_button_is_a_labelled_button():
    out = render.render_article(article(), SOURCES)
    assert re.search(
        r'<button type="button" class="gm-copy-link" data-anchor="article-13" aria-label="复制链接：第十三条" hidden>复制链接</button>',
        out,
    )


def test_editorial_title_note_follows_the_document():
    assert "条标题为本站所加" in render.render_article(article(), SOURCES, editorial_titles=True)
    assert "条标题为本站所加" not in render.render_article(article(), SOURCES, editorial_titles=False)


@pytest.mark.parametrize("bad", ["Article-1", "article 1", "a}b", "", "1abc"])
def test_heading_id_rejects_unsafe_ids(bad):
    with pytest.raises(ValueError):
        render.heading_id(bad)


@pytest.fixture(scope="module")
def data():
    return measures.load("standards/measures.yaml")


def test_measures_page_from_real_data(data):
    out = render.render_measures(data)
    article_ids = re.findall(r"^### 第\S+条 .+ \{#(article-\d+)\}$", out, flags=re.M)
    assert article_ids == [f"article-{n}" for n in range(1, 31)]
    chapter_ids = re.findall(r"^## 第\S章 .+ \{#(chapter-\d)\}$", out, flags=re.M)
    assert chapter_ids == [f"chapter-{n}" for n in range(1, 8)]
    assert out.index('class="admonition') < out.index("{#chapter-1}"), "the notice comes first"
    assert data["document"]["notice"] in out


def test_intro_uses_the_metadata(data):
    out = render.render_document_intro(data)
    document = data["document"]
    assert f"《{document['title']}》" in out
    assert f"共 {document['chapter_count']} 章 {document['article_count']} 条" in out
    assert "第七章“附则”。" in out
