"""Opening a workspace on the page: read, checked once, and its district results, in one operation (#15)."""

from __future__ import annotations

import json
import random
from pathlib import Path

from scorer import browser, tree, yearfiles
from site_tests import year_gen

ROOT = Path(__file__).resolve().parent.parent
YEAR = tree.load(str(ROOT / "standards")).year(2019)
BUNDLES = {sid: YEAR.bundle(sid) for sid in YEAR.standards}
BUNDLES_TEXT = json.dumps(list(BUNDLES.values()), ensure_ascii=False)


def _text(orgs=12, seed=5):
    return json.dumps(year_gen.workspace(BUNDLES, orgs, random.Random(seed)), ensure_ascii=False)


def test_open_gives_what_read_and_results_give_with_one_check(monkeypatch):
    text = _text()
    read = json.loads(browser.workspace_read(BUNDLES_TEXT, text))
    results = json.loads(browser.workspace_results(BUNDLES_TEXT, text))
    checks = []
    real = yearfiles.check_workspace
    monkeypatch.setattr(yearfiles, "check_workspace", lambda *a, **k: checks.append(1) or real(*a, **k))
    opened = json.loads(browser.workspace_open(BUNDLES_TEXT, text))
    assert opened["ok"], opened
    assert len(checks) == 1
    assert opened["result"] == {"workspace": read["result"]["workspace"], "results": results["result"]}


def test_a_refused_workspace_is_named_and_gives_no_results():
    text = _text().replace('"format": "gm-workspace/1"', '"format": "gm-workspace/9"', 1)
    opened = json.loads(browser.workspace_open(BUNDLES_TEXT, text))
    assert opened["ok"] is False and "result" not in opened
    assert opened["problems"][0]["source"] == "年度工作文件" and opened["problems"] == json.loads(browser.workspace_read(BUNDLES_TEXT, text))["problems"]
