"""The envelope every browser operation answers with, and the parsing of the bundles they take.

Why a module of its own: `scorer.browser` declares the operations and the operation modules
(`year_ops`, `application_ops`, …) define most of them; both need these helpers. Kept here, below
both, each operation module imports on its own, first or last, and `browser` can import an operation
module on its first call instead of at start-up (the assessment page's worker never loads the
office's modules it does not call).

    {"ok": true, "result": ...}          the answer (`_ok`)
    {"ok": false, "problems": [...]}     what is wrong with the input (`_problems`)
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import lru_cache

from .errors import Collector, InvalidInput, Problem
from .model import Bundle
from .numbers import json_default
from .schema import load_schema, validate
from .standards import BUNDLE_FORMAT, scoring_hash

BUNDLE_SOURCE = "标准数据"


def returns(schema: str):
    """Declare the schema of an operation's `result` (scorer/schemas/<schema>.schema.json, published
    under data/schemas/): `Operation.result_schema` reads it, and the tests validate every answer
    the worker gives against it (a name without its file fails there too)."""
    def mark(function):
        function.result_schema = f"{schema}.schema.json"
        return function
    return mark


def _ok(result) -> str:
    return _dump({"ok": True, "result": result})


def _problems(problems) -> str:
    return _dump({"ok": False, "problems": [p.to_json() for p in problems]})


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=json_default)


@lru_cache(maxsize=8)
def _bundle(text: str, source: str = BUNDLE_SOURCE) -> Bundle:
    """Parse and check a published bundle once per distinct text: a page scores the same one often.

    The bundle comes from the site, not the user, but a stale cache, a proxy or a hand-edited file can
    still hand over something else; refusing it with reasons beats a KeyError deep in scoring. This
    is where the browser's JSON becomes the model (`scorer.model.Bundle`), once per distinct text.
    """
    return _checked_bundle(_json(text, source), source)


@lru_cache(maxsize=4)
def _bundles(text: str) -> tuple:
    """A JSON array of published bundles, each checked like `_bundle`; parsed once per distinct text."""
    value = _json(text, BUNDLE_SOURCE)
    if not isinstance(value, list):
        raise InvalidInput([Problem(BUNDLE_SOURCE, (), "应为标准数据的 JSON 数组")])
    return tuple(_checked_bundle(v, f"{BUNDLE_SOURCE}[{i}]") for i, v in enumerate(value))


def _json(text, source):
    if not isinstance(text, str):
        raise InvalidInput([Problem(source, (), f"应为 JSON 文本（收到 {type(text).__name__}）")])
    try:
        return json.loads(text, parse_float=Decimal)
    except (ValueError, RecursionError) as exc:
        raise InvalidInput([Problem(source, (), f"不是有效的 JSON：{exc}")])


def _checked_bundle(value, source: str) -> Bundle:
    collector = Collector(source)
    if not isinstance(value, dict):
        collector.add((), "标准数据的顶层应为 JSON 对象")
        collector.raise_if_any()
    if value.get("format") != BUNDLE_FORMAT:
        collector.add(("format",), f"不支持的标准数据格式 {value.get('format')!r}（应为 '{BUNDLE_FORMAT}'）")
    for key, schema in (("year", "year"), ("standard", "standard")):
        if not isinstance(value.get(key), dict):
            collector.add((key,), f"缺少 {key}（应为 JSON 对象）")
        else:
            validate(value[key], load_schema(schema), lambda path, message, k=key: collector.add((k,) + tuple(path), message))
    collector.raise_if_any()
    if value.get("hash") != scoring_hash(value["year"], value["standard"]):
        collector.add(("hash",), "标准数据的内容与其哈希不符（文件可能已损坏或被改动），请刷新页面后重试")
        collector.raise_if_any()
    return Bundle.from_json(value)
