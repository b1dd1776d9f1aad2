"""Opening a workspace on the page: read, checked once, and its district results, in one operation (#15)."""

from __future__ import annotations

import json
import random
from pathlib import Path

from scorer import browser, stamps, tree, yearfiles
from site_tests import year_gen

ROOT = Path(__file__).resolve().parent.parent
YEAR = tree.load(str(ROOT / "standards")).year(2019)
BUNDLES = {sid: YEAR.bundle(sid) for sid in YEAR.standards}
BUNDLES_TEXT = json.dumps([b.to_json() for b in BUNDLES.values()], ensure_ascii=False)


def _text(orgs=12, seed=5):
    return json.dumps(year_gen.workspace(BUNDLES, orgs, random.Random(seed)), ensure_ascii=False)


def test_open_gives_what_read_and_results_give_with_one_check(monkeypatch):
    text = _text()
    read = json.loads(browser.workspace_read(BUNDLES_TEXT, text))
    results = json.loads(browser.workspace_results(BUNDLES_TEXT, text))
    stamps.forget()  # the two operations above checked this very text: the scorer remembers that
    checks = []
    real = yearfiles.check_workspace
    monkeypatch.setattr(yearfiles, "check_workspace", lambda *a, **k: checks.append(1) or real(*a, **k))
    opened = json.loads(browser.workspace_open(BUNDLES_TEXT, text))
    assert opened["ok"], opened
    assert len(checks) == 1
    assert opened["result"] == {"results": results["result"]}
    assert read["result"]["workspace"] == json.loads(text)  # so the page's own parse of its text is the checked workspace


def test_a_refused_workspace_is_named_and_gives_no_results():
    text = _text().replace('"format": "gm-workspace/1"', '"format": "gm-workspace/9"', 1)
    opened = json.loads(browser.workspace_open(BUNDLES_TEXT, text))
    assert opened["ok"] is False and "result" not in opened
    assert opened["problems"][0]["source"] == "年度工作文件" and opened["problems"] == json.loads(browser.workspace_read(BUNDLES_TEXT, text))["problems"]


def test_checking_a_workspace_hashes_each_self_assessment_once(monkeypatch):
    """The reviews bound to a workspace's self-assessments use the hash verified for its entry."""
    from scorer import standards

    ws = year_gen.workspace(BUNDLES, 15, random.Random(11))
    bound = sum(1 for r in ws["reviews"] if r["assessment_hash"])
    assert bound  # the generated year has reviews of self-assessments
    hashed = []
    real = standards.content_hash
    monkeypatch.setattr(standards, "content_hash", lambda value: hashed.append(1) or real(value))
    yearfiles.check_workspace(yearfiles.read(json.dumps(ws, ensure_ascii=False), yearfiles.WORKSPACE), BUNDLES)
    assert len(hashed) == len(ws["assessments"])


def test_what_counts_unchanged_is_scored_once(monkeypatch):
    """An organization whose final result counts exactly what it declared (not reviewed, no supervision
    record concerning it) is scored once, not once for itself and once more for the final result."""
    from scorer import evaluation, workspace

    ws = year_gen.workspace(BUNDLES, 10, random.Random(3))
    ws["reviews"], ws["supervision"] = [], []
    weighted = [r.name for r in BUNDLES["dept"].year.evaluation.related if r.mode == "weight"]
    ws["related"] = {e["assessment"]["organization"]["name"]: {n: 90 for n in weighted} for e in ws["assessments"]}
    evaluation._SELF.clear()
    scored = []
    real = evaluation.score
    monkeypatch.setattr(evaluation, "score", lambda *a, **k: scored.append(1) or real(*a, **k))
    rows = workspace.district(ws, BUNDLES)["rows"]
    finals = [r for r in rows if r["final"]]
    assert finals and all(r["method"] == "self" and r["score_total"] == r["self_total"] for r in finals)
    assert len(scored) == len({e["hash"] for e in ws["assessments"]})
