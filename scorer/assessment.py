"""Self-assessments (gm-assessment/1): parse and check one against the bundle it claims to be filled for.

Everything a user can get wrong is reported at once, in Chinese, with the JSON path, and nothing is
raised but `InvalidInput`: a browser import must be refused with reasons, never with a traceback.
"""

from __future__ import annotations

from datetime import date

from . import textinput
from .errors import Collector
from .items import index
from .model import Bundle
from .schema import load_schema
from .schemafast import check as check_schema  # a compiled yes/no first: an office checks thousands

FORMAT = "gm-assessment/1"


def parse(text, source: str = "自评文件") -> dict:
    """JSON text (or a file's bytes) -> values, numbers as Decimal; InvalidInput for anything else.

    The one reading of an assessment (`textinput`): bounded, strict about duplicate keys and invalid
    characters, and in the same words for the CLI, the page's import and the office.
    """
    if isinstance(text, (bytes, bytearray)):
        return textinput.read_json(bytes(text), source)
    return textinput.loads(text, source)


def check_shape(value, source: str = "自评文件") -> None:
    """Raise InvalidInput unless `value` has the shape of a gm-assessment/1 document."""
    collector = Collector(source)
    _shape(value, collector)
    collector.raise_if_any()


def _shape(value, collector) -> bool:
    if not isinstance(value, dict):
        collector.add((), "自评文件的顶层应为 JSON 对象（{…}）")
        return False
    if "format" not in value:
        collector.add((), f"缺少字段 'format'（应为 '{FORMAT}'，这可能不是本系统导出的自评文件）")
    elif value["format"] != FORMAT:
        collector.add(("format",), f"不支持的格式版本 {value['format']!r}（应为 '{FORMAT}'）")
    # The format was reported above in words a user understands; the schema checks everything else.
    check_schema(dict(value, format=FORMAT), load_schema("assessment"), collector.add)
    return True


def check(value, bundle, source: str = "自评文件", standards: dict | None = None) -> None:
    """Raise InvalidInput listing every way `value` does not fit `bundle` (a `model.Bundle`, or its dict).

    standards: the site's other standards of this year, {id: {"title", "link"}} (from the published
    data/index.json): a file of another standard is then named by its title, with a link to its page.
    """
    collector = Collector(source)
    if not _shape(value, collector):
        collector.raise_if_any()
    bundle = Bundle.of(bundle)
    standard, year = bundle.standard, bundle.year
    other = value.get("standard")
    if isinstance(other, str) and other != standard.id:
        sibling = standards.get(other) if isinstance(standards, dict) and other in standards else None
        if sibling:
            collector.add(("standard",), f"该文件是《{sibling['title']}》的自评文件，本页为《{standard.title}》："
                                         "请在该标准的自评页面导入", sibling.get("link"))
        else:
            collector.add(("standard",), f"该文件针对标准 '{other}'（当前标准为 '{standard.id}'：{standard.short_title}）")
    if isinstance(value.get("year"), int) and value["year"] != year.year:
        collector.add(("year",), f"该文件为 {value['year']} 年度（当前为 {year.year} 年度）")
    elif (isinstance(value.get("standard_hash"), str) and value.get("standard") == standard.id
          and value["standard_hash"] != bundle.hash):
        collector.add(("standard_hash",), "该文件填写时依据的标准内容与当前标准不一致（标准已修订；请按当前标准重新填写或使用结转）")
    known = item_ids(bundle)
    items = value.get("items")
    if isinstance(items, dict):
        for key, occurrences in items.items():
            if key not in known:
                collector.add(("items", key), f"未知的扣分项、奖励项或等级限制 '{key}'（当前标准中没有该 id）")
            if isinstance(occurrences, list):
                for i, occurrence in enumerate(occurrences):
                    if isinstance(occurrence, dict) and isinstance(occurrence.get("date"), str):
                        _check_date(occurrence["date"], ("items", key, i, "date"), collector)
    assessor = value.get("assessor")
    if isinstance(assessor, dict) and isinstance(assessor.get("date"), str) and assessor["date"]:
        _check_date(assessor["date"], ("assessor", "date"), collector)
    kind = value.get("organization", {}).get("kind") if isinstance(value.get("organization"), dict) else None
    if isinstance(kind, str) and kind and kind not in standard.organization_kinds:
        collector.add(("organization", "kind"),
                      f"党组织类别 '{kind}' 不适用本标准（应为：{'、'.join(standard.organization_kinds)}）")
    collector.raise_if_any()


def _check_date(text, path, collector):
    try:
        date.fromisoformat(text)
        if len(text) != 10:
            raise ValueError
    except ValueError:
        collector.add(path, f"日期 {text!r} 无法识别（应为 YYYY-MM-DD，如 2019-06-30）")


_KINDS: dict = {}


def item_ids(bundle) -> dict:
    """Every id an assessment may answer: deduction items, bonuses and grade limits, with their kind.
    Made once per `items.index` entry (every score asks for it); callers only read it."""
    entries = index(bundle)
    cached = _KINDS.get(id(entries))
    if cached is None or cached[0] is not entries:  # the entry is kept alive with it, so its id is not reused
        if len(_KINDS) >= 64:
            _KINDS.clear()
        cached = _KINDS[id(entries)] = (entries, {item_id: entry.kind for item_id, entry in entries.items()})
    return cached[1]


def count(occurrences) -> int:
    """How many times an item occurred: each occurrence counts once unless it says `count`. A plain
    loop: a district's final results ask this ten thousand times, and the generator cost a third."""
    n = 0
    for o in occurrences:
        c = o.get("count")
        n += 1 if c is None else int(c)
    return n


def empty(bundle, organization: str = "") -> dict:
    """A blank assessment for `bundle` (a `model.Bundle`, or its dict): the starting point of a new draft."""
    bundle = Bundle.of(bundle)
    return {
        "format": FORMAT,
        "standard": bundle.standard.id,
        "year": bundle.year.year,
        "standard_hash": bundle.hash,
        "organization": {"name": organization},
        "items": {},
    }
