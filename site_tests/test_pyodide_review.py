"""The year-end evaluation under Pyodide (the vendored runtime, in Node) answers exactly as CPython:
final results of generated reviews (every kind of decision, additions, qualitative judgement, related
results), refusals, the district over a generated workspace, fingerprints and feedback, whole reply
against whole reply, on both of the site's start-ups (plain and memory snapshot)."""

from __future__ import annotations

import copy
import json
import random

from scorer import browser, stamps, tree
from scorer.standards import content_hash
from site_tests import year_gen
from site_tests.test_pyodide_node import ROOT, cpython, engine, wheel  # noqa: F401 (fixtures)

SEED = 20191231
GENERATED = 90


def _year():
    year = tree.load(str(ROOT / "standards")).year(2019)
    return {sid: year.bundle(sid) for sid in year.standards}


def test_generated_reviews_give_the_same_final_results(engine):
    rng = random.Random(SEED)
    bundles = _year()
    texts = {sid: json.dumps(b.to_json(), ensure_ascii=False) for sid, b in bundles.items()}
    requests = []
    for n in range(GENERATED):
        sid = sorted(bundles)[n % len(bundles)]
        bundle = bundles[sid]
        submitted = n % 9 != 4
        assessment = year_gen.assessment_for(bundle, f"党组织{n}", rng) if submitted else None
        records = year_gen.records_for({sid: bundle}, [f"党组织{n}"], rng, rng.randint(0, 4), prefix=f"s{n}")
        review = year_gen.review_for(bundle, assessment, rng, f"rev-{n}", name=f"党组织{n}", records=records)
        if n % 11 == 5:
            del review["related"]  # a weighted result missing: no final figure, the same reason
        a_text = json.dumps(assessment, ensure_ascii=False) if assessment else "null"
        r_text = json.dumps(review, ensure_ascii=False)
        if n % 13 == 7 and assessment:  # the self-assessment changed after the review: refused
            changed = copy.deepcopy(assessment)
            changed["organization"]["name"] += "（改）"
            a_text = json.dumps(changed, ensure_ascii=False)
        requests.append(("final_result", [texts[sid], a_text, r_text, "[]"]))
        if assessment:  # not reviewed: the year's rule with the records that concern it
            requests.append(("final_result", [texts[sid], json.dumps(assessment, ensure_ascii=False), "null",
                                              json.dumps(records, ensure_ascii=False)]))
    replies = engine.many(requests)
    outcomes = {"final": 0, "incomplete": 0, "refused": 0}
    for reply, (op, args) in zip(replies, requests):
        assert reply["ok"], reply
        want = cpython(op, *args)
        assert reply["result"] == want, json.loads(args[2] if args[2] != "null" else args[1])["organization"]
        if not want["ok"]:
            outcomes["refused"] += 1
        elif want["result"]["grade"] is None:
            outcomes["incomplete"] += 1
        else:
            outcomes["final"] += 1
    assert all(outcomes.values()), outcomes  # every path exercised


def test_the_district_fingerprints_and_feedback_answer_as_in_cpython(engine):
    rng = random.Random(SEED + 1)
    bundles = _year()
    all_bundles = json.dumps([b.to_json() for b in bundles.values()], ensure_ascii=False)
    ws = year_gen.workspace(bundles, 24, rng, records_per_org=4, reviewed=0.6)
    ws_text = json.dumps(ws, ensure_ascii=False)
    other = copy.deepcopy(ws)
    other["supervision"] = other["supervision"][::2] + [dict(other["supervision"][1], note="改过", updated="2019-12-31T00:00:00Z")]
    review = ws["reviews"][0]
    bundle = json.dumps(bundles[review["standard"]].to_json(), ensure_ascii=False)
    assessment = next(e["assessment"] for e in ws["assessments"] if e["hash"] == review["assessment_hash"])
    files = [{"name": f"证据{i}.pdf", "sha256": f"{rng.getrandbits(256):064x}"} for i in range(3)]
    feedback = json.loads(browser.feedback_make(bundle, json.dumps(assessment, ensure_ascii=False),
                                                json.dumps(review, ensure_ascii=False), "{}"))["result"]["feedback"]
    assert content_hash(assessment) == review["assessment_hash"]
    requests = [("workspace_results", [all_bundles, ws_text]),
                ("workspace_open", [all_bundles, ws_text]),
                ("workspace_merge", [all_bundles, ws_text, json.dumps(other, ensure_ascii=False)]),
                ("evidence_match", [json.dumps(assessment, ensure_ascii=False), json.dumps(review, ensure_ascii=False),
                                    json.dumps(files, ensure_ascii=False)]),
                ("feedback_read", [bundle, json.dumps(feedback, ensure_ascii=False)]),
                ("evaluation_settings", [bundle]),
                ("workspace_read", [all_bundles, ws_text.replace('"format": "gm-workspace/1"', '"format": "gm-workspace/9"', 1)]),
                # The check stamp binds the scorer's own files: the same in the wheel under Pyodide as here,
                # so a stamp made by either is vouched for by the other.
                ("workspace_read", [all_bundles, ws_text]),
                ("workspace_stamp", [all_bundles, ws_text, json.dumps(stamps.stamp(all_bundles, ws_text))]),
                ("workspace_stamp", [all_bundles, ws_text, json.dumps("0" * 64)])]
    replies = engine.many(requests)
    for reply, (op, args) in zip(replies, requests):
        assert reply["ok"], (op, reply)
        assert reply["result"] == cpython(op, *args), op
    assert [r["result"]["result"]["vouched"] for r in replies[-2:]] == [True, False]
