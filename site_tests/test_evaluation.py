"""The year-end evaluation's rules (#15) beyond the cases: properties over generated reviews and
workspaces, the district's statuses, merging, evidence fingerprints and the feedback round trip."""

import copy
import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from scorer import browser, tree, workspace as workspace_module, yearfiles
from scorer.errors import InvalidInput
from scorer.evaluation import final_result
from scorer.scoring import score
from scorer.standards import content_hash
from site_tests import review_cases, year_gen

ROOT = Path(__file__).resolve().parent.parent
YEAR = tree.load(str(ROOT / "standards")).year(2019)
BUNDLES = {sid: YEAR.bundle(sid) for sid in YEAR.standards}
DISPLAY = review_cases.load(str(ROOT / "site_tests" / "review_cases" / "display.yaml"))["bundle"]
SEEDS = st.integers(0, 2 ** 32 - 1)
FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _review(bundle, assessment, decisions, rid="rev-p"):
    return {"format": "gm-review/1", "id": rid, "year": bundle["year"]["year"], "standard": bundle["standard"]["id"],
            "standard_hash": bundle["hash"], "organization": assessment["organization"],
            "assessment_hash": content_hash(assessment), "decisions": decisions, "additions": []}


def _every(assessment, decision, **extra):
    return [{"item": item, "index": i, "decision": decision, **extra}
            for item, occurrences in assessment["items"].items() for i in range(len(occurrences))]


@FAST
@given(SEEDS)
def test_confirming_everything_gives_the_self_declared_result(seed):
    """Under rules that only show the judgement, a review that confirms every occurrence changes nothing."""
    assessment = year_gen.assessment_for(DISPLAY, "甲", random.Random(seed))
    review = _review(DISPLAY, assessment, _every(assessment, "confirm"))
    yearfiles.check_review(yearfiles.read(review, yearfiles.REVIEW), DISPLAY, assessment)
    result = final_result(DISPLAY, assessment, review)
    own = score(DISPLAY, assessment)
    assert (result["total"], result["grade"]["id"]) == (own["total"], own["grade"]["id"])
    assert result["changes"] == [] and result["pending"] == 0


@FAST
@given(SEEDS)
def test_rejecting_everything_scores_as_nothing_declared(seed):
    assessment = year_gen.assessment_for(DISPLAY, "甲", random.Random(seed))
    review = _review(DISPLAY, assessment, _every(assessment, "reject", reason="不属实"))
    result = final_result(DISPLAY, assessment, review)
    empty = dict(assessment, items={})
    assert result["total"] == score(DISPLAY, empty)["total"]
    assert len(result["changes"]) == sum(len(v) for v in assessment["items"].values())


@FAST
@given(SEEDS, st.randoms(use_true_random=False))
def test_the_order_of_decisions_and_additions_does_not_matter(seed, shuffler):
    rng = random.Random(seed)
    bundle = BUNDLES["dept"]
    assessment = year_gen.assessment_for(bundle, "甲", rng)
    review = year_gen.review_for(bundle, assessment, rng, "rev-1")
    shuffled = copy.deepcopy(review)
    shuffler.shuffle(shuffled["decisions"])
    shuffler.shuffle(shuffled["additions"])
    a, b = final_result(bundle, assessment, review), final_result(bundle, assessment, shuffled)
    assert (a["total"], a["grade"], a["score_total"]) == (b["total"], b["grade"], b["score_total"])


def _record_set(ws):
    return {part: sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in ws[part])
            for part in ("roster", "assessments", "supervision", "reviews")} | {
        "selected": sorted(ws["plan"]["selected"]), "related": json.dumps(ws["related"], sort_keys=True)}


def _two_copies(seed):
    """Two staff members' workspaces: shared records, their own ones, and one record both changed."""
    rng = random.Random(seed)
    base = year_gen.workspace(BUNDLES, 6, rng, records_per_org=2, reviewed=0.5)
    a, b = copy.deepcopy(base), copy.deepcopy(base)
    a["supervision"] = a["supervision"][: rng.randint(0, len(a["supervision"]))]
    b["reviews"] = b["reviews"][rng.randint(0, len(b["reviews"])):]
    if a["supervision"] and b["supervision"]:
        b["supervision"][0] = dict(b["supervision"][0], note="另一位同事改过", updated="2019-12-31T00:00:00Z")
    a["related"] = {"党组织0000": {"党风廉政建设主体责任考核": 80}}
    b["related"] = {"党组织0000": {"党风廉政建设主体责任考核": 90}, "党组织0001": {"党风廉政建设主体责任考核": 70}}
    b["plan"]["selected"] = b["plan"]["selected"][:1] + ["党组织0005"]
    return a, b


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SEEDS)
def test_merging_is_idempotent_and_commutative_on_record_sets(seed):
    a, b = _two_copies(seed)
    before = copy.deepcopy((a, b))
    ab, ba = workspace_module.merge(a, b)["workspace"], workspace_module.merge(b, a)["workspace"]
    assert _record_set(ab) == _record_set(ba)
    assert _record_set(workspace_module.merge(ab, ab)["workspace"]) == _record_set(ab)
    assert _record_set(workspace_module.merge(ab, b)["workspace"]) == _record_set(ab)
    assert (a, b) == before  # the inputs are not touched
    ids = [r["id"] for r in ab["supervision"]]
    assert len(ids) == len(set(ids))
    if a["supervision"] and b["supervision"] and a["supervision"][0]["id"] == b["supervision"][0]["id"]:
        kept = next(r for r in ab["supervision"] if r["id"] == b["supervision"][0]["id"])
        assert kept["note"] == "另一位同事改过"  # the later change wins, whichever file came first


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SEEDS, st.sampled_from(["year", "hash", "item", "source", "review"]))
def test_refusing_a_file_changes_nothing(seed, spoil):
    """A bad second file is refused with reasons; the first workspace is neither merged nor altered."""
    a, b = _two_copies(seed)
    if spoil == "year":
        b["year"] = 2020
    elif spoil == "hash":
        b["assessments"][0]["hash"] = "sha256:" + "1" * 64
    elif spoil == "item":
        b["supervision"].append(dict(b["supervision"][-1] if b["supervision"] else {}, id="x-1", item="NOPE",
                                     organizations=["甲"], date="2019-01-01", source="daily"))
    elif spoil == "source":
        b["supervision"].append({"id": "x-2", "organizations": ["甲"], "item": "LIM-01", "date": "2019-01-01", "source": "rumour"})
    else:
        b["reviews"].append({"format": "gm-review/1"})
    text_a = json.dumps(a, ensure_ascii=False)
    before = copy.deepcopy(a)
    bundles = json.dumps(list(BUNDLES.values()), ensure_ascii=False)
    reply = json.loads(browser.workspace_merge(bundles, text_a, json.dumps(b, ensure_ascii=False)))
    assert reply["ok"] is False and reply["problems"]
    assert all(p["source"] == "年度工作文件（二）" for p in reply["problems"])
    assert a == before and json.loads(text_a) == before


# ---------------------------------------------------------------- the district


def _district_workspace():
    dept = BUNDLES["dept"]
    reviewed = json.loads((ROOT / "examples" / "self-assessment.json").read_text("utf-8"))
    review = json.loads((ROOT / "examples" / "review.json").read_text("utf-8"))
    only_self = dict(copy.deepcopy(reviewed), organization={"name": "乙", "kind": "区直单位"})
    register = json.loads((ROOT / "examples" / "supervision.json").read_text("utf-8"))
    register["records"].append({"id": "sup-x", "organizations": ["乙"], "item": "POL-03a", "date": "2019-02-01",
                                "source": "daily"})
    nothing_declared = {"format": "gm-review/1", "id": "rev-d", "year": 2019, "standard": "dept", "standard_hash": dept["hash"],
                        "organization": {"name": "丁"}, "assessment_hash": None, "decisions": [],
                        "additions": [{"id": "a1", "item": "LIM-01", "date": "2019-03-03", "source": "on-site"}],
                        "qualitative": {"level": "good"}, "related": {"党风廉政建设主体责任考核": 90}}
    return {"format": "gm-workspace/1", "year": 2019,
            "roster": [{"name": "区示例局党组", "kind": "区直单位"}, {"name": "乙", "kind": "区直单位"},
                       {"name": "丙", "kind": "街道党工委"}],
            "plan": {"selected": ["区示例局党组", "乙"]},
            "assessments": [{"name": "a.json", "hash": content_hash(reviewed), "assessment": reviewed},
                            {"name": "b.json", "hash": content_hash(only_self), "assessment": only_self}],
            "supervision": register["records"], "reviews": [review, nothing_declared],
            "related": {"乙": {"党风廉政建设主体责任考核": 100}}}


def test_the_district_says_each_organizations_status_and_who_is_missing():
    ws = _district_workspace()
    yearfiles.check_workspace(yearfiles.read(ws, yearfiles.WORKSPACE), BUNDLES)
    result = workspace_module.district(ws, BUNDLES)
    rows = {r["name"]: r for r in result["rows"]}
    assert list(rows) == ["区示例局党组", "乙", "丙", "丁"]
    a, b, c, d = rows.values()
    assert (a["submitted"], a["selected"], a["reviewed"], a["final"], a["method"]) == (True, True, True, True, "reviewed")
    assert (a["self_grade"], a["grade"], a["grade_changed"], a["total"]) == ("好", "较好", True, 93.4)
    # 乙: not reviewed yet, adjusted by the one record that concerns it (the year's rule), weighted with its result
    assert (b["reviewed"], b["method"], b["changes"]) == (False, "supervised", 1) and b["final"]
    assert b["missing"] == ["已抽中检查，尚未核查评议"]
    assert (c["submitted"], c["final"], c["standard"], c["missing"]) == (False, False, "street", ["未提交自评"])
    assert (d["on_roster"], d["reviewed"], d["method"], d["grade"]) == (False, True, "reviewed", "一般")
    assert result["changed_first"][0] == "区示例局党组"
    assert [m["name"] for m in result["missing"]] == ["乙", "丙", "丁"]
    assert result["counts"] == {"submitted": 2, "selected": 2, "reviewed": 2, "final": 3}
    assert sum(result["distribution"].values()) == 3


def test_the_district_operation_agrees_with_the_library():
    ws = _district_workspace()
    bundles = json.dumps(list(BUNDLES.values()), ensure_ascii=False)
    reply = json.loads(browser.workspace_results(bundles, json.dumps(ws, ensure_ascii=False)))
    assert reply["ok"], reply
    assert reply["result"]["rows"][0]["total"] == workspace_module.district(ws, BUNDLES)["rows"][0]["total"] == 93.4


def test_an_organization_with_nothing_has_no_final_result():
    with pytest.raises(InvalidInput, match="没有最终结果"):
        final_result(BUNDLES["dept"], None, None)


# ---------------------------------------------------------------- evidence, new review, feedback


def test_evidence_fingerprints_match_differ_missing_unrecorded():
    assessment = json.loads((ROOT / "examples" / "self-assessment.json").read_text("utf-8"))
    assessment["items"]["POL-02a"][0]["evidence"] = [{"file": "请示.pdf"}]
    assessment["items"]["ORG-01a"][0]["evidence"] = [{"file": "换届.pdf", "sha256": "c" * 64}]
    review = json.loads((ROOT / "examples" / "review.json").read_text("utf-8"))
    files = [{"name": "学习记录-副本.pdf", "sha256": "a" * 64},  # renamed copy: still a match
             {"name": "专项检查通报.pdf", "sha256": "d" * 64},  # the same name, another content
             {"name": "请示.pdf", "sha256": "e" * 64}, {"name": "无关.docx", "sha256": "f" * 64}]
    reply = json.loads(browser.evidence_match(json.dumps(assessment, ensure_ascii=False), json.dumps(review, ensure_ascii=False),
                                              json.dumps(files, ensure_ascii=False)))
    assert reply["ok"], reply
    status = {(r["item"], r["file"]): r["status"] for r in reply["result"]["rows"]}
    assert status == {("POL-01a", "学习记录.pdf"): "match", ("POL-02a", "请示.pdf"): "unrecorded",
                      ("ORG-01a", "换届.pdf"): "missing", ("POL-03a", "专项检查通报.pdf"): "differ"}
    assert reply["result"]["unused"] == ["无关.docx"]
    bad = json.loads(browser.evidence_match("null", "null", json.dumps([{"name": "x", "sha256": "XYZ"}])))
    assert bad["ok"] is False and "64 位小写十六进制" in bad["problems"][0]["message"]


def test_a_new_review_counts_as_declared_until_decided():
    bundle = json.dumps(BUNDLES["dept"], ensure_ascii=False)
    text = (ROOT / "examples" / "self-assessment.json").read_text("utf-8")
    made = json.loads(browser.review_new(bundle, text, json.dumps({"id": "rev-new"})))["result"]
    assert made["review"]["assessment_hash"] == json.loads(browser.assessment_hash(text))["result"]["hash"]
    assert len(made["occurrences"]) == 3
    made["review"]["qualitative"] = {"level": "good"}
    made["review"]["related"] = {"党风廉政建设主体责任考核": 95}
    result = json.loads(browser.final_result(bundle, text, json.dumps(made["review"], ensure_ascii=False), "[]"))["result"]
    assert result["pending"] == 3 and result["score_total"] == result["self_declared"]["total"] == 95


def test_feedback_round_trip_and_a_tampered_one_is_refused():
    bundle = json.dumps(BUNDLES["dept"], ensure_ascii=False)
    made = json.loads(browser.feedback_make(bundle, (ROOT / "examples" / "self-assessment.json").read_text("utf-8"),
                                            (ROOT / "examples" / "review.json").read_text("utf-8"),
                                            json.dumps({"office": "区纪委监委", "issued": "2020-01-10"}, ensure_ascii=False)))
    assert made["ok"], made
    feedback = made["result"]["feedback"]
    opened = json.loads(browser.feedback_read(bundle, json.dumps(feedback, ensure_ascii=False)))["result"]
    assert opened["result"]["total"] == made["result"]["result"]["total"] == 93.4
    assert [c["decision_name"] for c in opened["result"]["changes"]] == ["不予认定", "核增", "补充认定"]
    feedback["assessment"]["items"]["POL-01a"][0]["count"] = 9
    refused = json.loads(browser.feedback_read(bundle, json.dumps(feedback, ensure_ascii=False)))
    assert refused["ok"] is False and "已被改动" in refused["problems"][0]["message"]


def test_evaluation_settings_for_the_pages():
    reply = json.loads(browser.evaluation_settings(json.dumps(BUNDLES["dept"], ensure_ascii=False)))["result"]
    assert [s["name"] for s in reply["sources"]][:5] == ["日常监督", "巡视巡察", "审计", "信访举报", "专项检查"]
    assert reply["sample"] is True and reply["decisions"]["reject"] == "不予认定"
