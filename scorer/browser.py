"""The scorer's browser API: a few named operations, JSON text in and JSON text out.

Why strings only: the web worker calls these through Pyodide, and a string is the one value that
crosses the JavaScript/Python boundary without proxies, conversions or lifetimes to manage. The
worker has a fixed allow-list of these names; nothing else in Python is reachable from a page.

Every operation returns an envelope, never raises for bad input:

    {"ok": true, "result": ...}          the answer
    {"ok": false, "problems": [...]}     what is wrong with the input, each `Problem.to_json()`

`check` answers with the second shape too (`ok` true and an empty list when the file is fine), so a
page shows a refused import and a failed check the same way. A bug (anything but bad input) still
raises: the worker turns it into an error reply rather than hiding it as a user problem.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from functools import lru_cache

from . import __version__
from . import assessment as assessment_module
from . import diff as diff_module
from .errors import Collector, InvalidInput, Problem
from .numbers import to_json
from .schema import load_schema, validate
from .scoring import score as score_assessment
from .standards import BUNDLE_FORMAT, content_hash

BUNDLE_SOURCE = "标准数据"
OPERATIONS = ("score", "check", "diff", "version", "xlsx")


def score(bundle_json: str, assessment_json: str) -> str:
    """Score one assessment: the same `scorer.scoring.score` the CLI runs, on the published bundle."""
    try:
        bundle = _bundle(bundle_json)
        value = assessment_module.parse(assessment_json)
        return _ok(score_assessment(bundle, value))
    except InvalidInput as exc:
        return _problems(exc.problems)


def check(bundle_json: str, assessment_json: str) -> str:
    """Every problem with an assessment (an empty list when it fits the bundle)."""
    try:
        bundle = _bundle(bundle_json)
        assessment_module.check(assessment_module.parse(assessment_json), bundle)
    except InvalidInput as exc:
        return _problems(exc.problems)
    return _dump({"ok": True, "problems": []})


def diff(old_bundle_json: str, new_bundle_json: str) -> str:
    """What changed from one bundle to another: the standard's records and the year's settings."""
    try:
        old = _bundle(old_bundle_json, BUNDLE_SOURCE + "（旧）")
        new = _bundle(new_bundle_json, BUNDLE_SOURCE + "（新）")
    except InvalidInput as exc:
        return _problems(exc.problems)
    return _ok({
        "from": {"year": old["year"]["year"], "standard": old["standard"]["id"], "hash": old["hash"]},
        "to": {"year": new["year"]["year"], "standard": new["standard"]["id"], "hash": new["hash"]},
        "settings": diff_module.diff_settings(old["year"], new["year"]),
        "standard": diff_module.diff_standard(old["standard"], new["standard"]),
    })


def xlsx(bundle_json: str, assessment_json: str) -> str:
    """The assessment as an Excel workbook: {"base64": the .xlsx bytes, "bytes": their length}.

    `report_xlsx` brings in XlsxWriter only here (under Pyodide from the site's own wheel, on the first
    call), so the scorer's start-up never pays for it.
    """
    import base64

    from . import report_xlsx

    try:
        bundle = _bundle(bundle_json)
        data = report_xlsx.workbook_bytes(bundle, assessment_module.parse(assessment_json))
    except InvalidInput as exc:
        return _problems(exc.problems)
    return _ok({"base64": base64.b64encode(data).decode("ascii"), "bytes": len(data)})


def version() -> str:
    """Which scorer and which Python answer: shown on the page and compared by the tests."""
    return _ok({
        "scorer": __version__,
        "python": ".".join(map(str, sys.version_info[:3])),
        "platform": sys.platform,
        "operations": list(OPERATIONS),
    })


def _ok(result) -> str:
    return _dump({"ok": True, "result": to_json(result)})


def _problems(problems) -> str:
    return _dump({"ok": False, "problems": [p.to_json() for p in problems]})


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@lru_cache(maxsize=8)
def _bundle(text: str, source: str = BUNDLE_SOURCE) -> dict:
    """Parse and check a published bundle once per distinct text: a page scores the same one often.

    The bundle comes from the site, not the user, but a stale cache, a proxy or a hand-edited file can
    still hand over something else; refusing it with reasons beats a KeyError deep in scoring.
    """
    if not isinstance(text, str):
        raise InvalidInput([Problem(source, (), f"应为 JSON 文本（收到 {type(text).__name__}）")])
    try:
        value = json.loads(text, parse_float=Decimal)
    except (ValueError, RecursionError) as exc:
        raise InvalidInput([Problem(source, (), f"不是有效的 JSON：{exc}")])
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
    if value.get("hash") != content_hash({"year": value["year"], "standard": value["standard"]}):
        collector.add(("hash",), "标准数据的内容与其哈希不符（文件可能已损坏或被改动），请刷新页面后重试")
        collector.raise_if_any()
    return value
