"""Chinese numerals for chapter and article numbers (第十三条), in one place for pages and results.

The Measures pages, the standards pages and the comparison page all name an article the way the
regulation does; the comparison gets the names from the scorer's diff, so no copy lives in JS.
"""

from __future__ import annotations

import re

_DIGITS = "零一二三四五六七八九"
_ARTICLE_ID = re.compile(r"article-(\d+)")


def chinese_numeral(n: int) -> str:
    """Chinese numeral as used in 第十三条: 十 not 一十, 二十 not 二十零.

    Chapters and articles in Party regulations are numbered this way; 1..99 covers any document of
    this kind.
    """
    if not 1 <= n <= 99:
        raise ValueError(f"chinese_numeral supports 1..99, got {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    prefix = "" if tens == 1 else _DIGITS[tens]
    return prefix + "十" + (_DIGITS[ones] if ones else "")


def chapter_label(n: int) -> str:
    return f"第{chinese_numeral(n)}章"


def article_label(n: int) -> str:
    return f"第{chinese_numeral(n)}条"


def article_id_label(article_id) -> str:
    """'article-17' -> '第十七条'; anything else (or a number out of range) stays as it is."""
    match = _ARTICLE_ID.fullmatch(article_id) if isinstance(article_id, str) else None
    if not match or not 1 <= int(match.group(1)) <= 99:
        return str(article_id)
    return article_label(int(match.group(1)))
