"""scorer.browser in CPython: the string-in/string-out API the web worker calls under Pyodide.

The same module runs in the browser; these tests pin its envelope and that it agrees with the
library the CLI uses, so test_pyodide_node.py only has to show that Pyodide agrees with CPython.
"""

import copy
import json
from pathlib import Path

import pytest

from scorer import __version__, assessment, browser, diff, model, standards, tree
from scorer.numbers import to_json
from scorer.scoring import score
from site_tests import scoring_cases
from site_tests.result_schemas import answer_problems

BUNDLE = tree.load("standards").year(2019).bundle("dept").to_json()
BUNDLE_JSON = json.dumps(BUNDLE, ensure_ascii=False)


def call(op, *args):
    reply = getattr(browser, op)(*args)
    assert isinstance(reply, str)
    return json.loads(reply)


def filled(**items):
    value = assessment.empty(BUNDLE, "区某局党组")
    value["items"] = {k: [{"date": "2019-05-01", "count": n}] for k, n in items.items()}
    return value


@pytest.mark.parametrize("path", scoring_cases.files())
def test_every_scoring_case_matches_the_library(path):
    suite = scoring_cases.load(path)
    bundle = scoring_cases.bundle_for(suite)
    bundle_json = json.dumps(bundle, ensure_ascii=False)
    for case in suite["cases"]:
        value = scoring_cases.to_assessment(case, bundle)
        reply = call("score", bundle_json, json.dumps(value, ensure_ascii=False))
        assert reply == {"ok": True, "result": score(bundle, value)}, case["name"]
        assert answer_problems("score", reply) == [], case["name"]


def test_score_reports_problems_instead_of_raising():
    reply = call("score", BUNDLE_JSON, json.dumps(filled(**{"NOPE-01": 1})))
    assert reply["ok"] is False
    assert any("未知的扣分项" in p["message"] and p["path"] == "/items/NOPE-01" for p in reply["problems"])
    assert set(reply["problems"][0]) == {"source", "path", "line", "column", "message"}


def test_score_of_text_that_is_not_json():
    reply = call("score", BUNDLE_JSON, "{oops")
    assert reply["ok"] is False and "不是有效的 JSON" in reply["problems"][0]["message"]


@pytest.mark.parametrize("bad_bundle,expected", [
    ("not json", "不是有效的 JSON"),
    ("[]", "顶层应为 JSON 对象"),
    (json.dumps(dict(BUNDLE, format="gm-standard/9")), "不支持的标准数据格式"),
    (json.dumps({k: v for k, v in BUNDLE.items() if k != "standard"}), "缺少 standard"),
    (json.dumps(dict(BUNDLE, hash="sha256:0")), "内容与其哈希不符"),
    (json.dumps(dict(BUNDLE, standard=dict(BUNDLE["standard"], areas="x"))), "类型错误"),
])
def test_a_damaged_bundle_is_refused_with_reasons(bad_bundle, expected):
    for op in ("score", "check"):
        reply = call(op, bad_bundle, json.dumps(filled()))
        assert reply["ok"] is False
        assert any(expected in p["message"] for p in reply["problems"]), reply["problems"]
        assert reply["problems"][0]["source"] == "标准数据"


def test_check_lists_problems_or_none():
    assert call("check", BUNDLE_JSON, json.dumps(filled(**{"POL-01a": 1}))) == {"ok": True, "problems": []}
    bad = filled(**{"POL-01a": 1})
    bad["year"] = 2020
    reply = call("check", BUNDLE_JSON, json.dumps(bad))
    assert reply["ok"] is False and [p["path"] for p in reply["problems"]] == ["/year"]


def edited_bundle():
    """This year's bundle with one indicator re-weighted and one deduction item reworded."""
    changed = copy.deepcopy(BUNDLE["standard"])
    indicators = changed["areas"][0]["indicators"]
    indicators[0]["deductions"][0]["text"] += "（修订）"
    indicators[0]["points"], indicators[1]["points"] = indicators[0]["points"] + 1, indicators[1]["points"] - 1
    return standards.bundle(model.Year.from_json(BUNDLE["year"]), model.Standard.from_json(changed)).to_json()


def test_diff_matches_the_library():
    new = edited_bundle()
    reply = call("diff", BUNDLE_JSON, json.dumps(new, ensure_ascii=False))
    assert reply["ok"] is True
    result = reply["result"]
    assert result["standard"] == to_json(diff.diff_standard(BUNDLE["standard"], new["standard"]))
    assert len(result["standard"]) == 2 and result["settings"] == []
    assert result["from"]["hash"] == BUNDLE["hash"] and result["to"]["hash"] == new["hash"]


def test_diff_of_changed_grades():
    old = tree.load("site_tests/fixtures/tree").year(2019).bundle("dept").to_json()
    reply = call("diff", json.dumps(old, ensure_ascii=False), BUNDLE_JSON)
    assert reply["result"]["settings"] == to_json(diff.diff_settings(old["year"], BUNDLE["year"]))


def test_diff_of_a_bundle_with_itself_is_empty():
    result = call("diff", BUNDLE_JSON, BUNDLE_JSON)["result"]
    assert result["standard"] == [] and result["settings"] == []


def test_diff_refuses_a_damaged_bundle():
    reply = call("diff", BUNDLE_JSON, "{")
    assert reply["ok"] is False and reply["problems"][0]["source"] == "标准数据（新）"


def test_version():
    result = call("version")["result"]
    assert result["scorer"] == __version__
    assert result["operations"] == ["score", "check", "diff", "version", "xlsx", "carry", "read_files", "collect", "references", "combine",
                                    "organizations", "plan", "office_csv", "office_xlsx", "office_detail",
                                    # the year-end evaluation (issue #15)
                                    "evaluation_settings", "assessment_hash", "review_new", "review_check", "final_result",
                                    "supervision_read", "supervision_merge", "workspace_read", "workspace_merge",
                                    "workspace_results", "evidence_match", "feedback_make", "feedback_read",
                                    "workspace_open", "workspace_stamp",
                                    # the office's year workspace pages (issue #15)
                                    "register_choices", "results_view", "results_export",
                                    # results application and rectification (issue #16)
                                    "application_settings", "application_org", "application_add", "application_save", "application_view",
                                    "rectification_view", "rectification_previous", "rectification_list",
                                    "rectification_open", "rectification_report", "rectification_import",
                                    "application_export"]


def test_non_text_arguments_are_refused_not_raised():
    reply = call("score", None, "{}")
    assert reply["ok"] is False and "应为 JSON 文本" in reply["problems"][0]["message"]


def test_the_module_stays_standard_library_only():
    """It ships in the wheel Pyodide loads; a third-party import would fail only in the browser."""
    import ast
    import sys

    source = open(browser.__file__, encoding="utf-8").read()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module]
        else:
            continue
        for name in names:
            assert name.split(".")[0] in sys.stdlib_module_names or name == "__future__", name


def test_each_operation_is_declared_by_its_function_alone():
    """REGISTRY is the one declaration: its names are the functions' names (as `version()` lists
    them), its argument counts their positional parameters, each a plain string argument the worker
    can check by count (no defaults, no *args), each documented, nothing private."""
    import inspect

    assert list(browser.REGISTRY) == list(browser.OPERATIONS) == call("version")["result"]["operations"]
    for name, op in browser.REGISTRY.items():
        assert getattr(browser, name) is op.function and not name.startswith("_")
        # op.target: the function itself, or for a deferred one (browser.deferred) the real one it calls
        parameters = inspect.signature(op.target).parameters.values()
        assert op.args == tuple(p.name for p in parameters)
        assert all(p.kind is p.POSITIONAL_OR_KEYWORD and p.default is p.empty for p in parameters), name
        assert op.description and op.description == " ".join(inspect.getdoc(op.target).split("\n\n")[0].split())
    assert browser.registry() == {name: len(op.args) for name, op in browser.REGISTRY.items()}


# The one operation a runner calls by name itself: `version()`, its start-up handshake.
HANDSHAKE = "version"


@pytest.mark.parametrize("path", ["docs/assets/javascripts/scorer-worker.mjs", "site_tests/node/run_scorer.mjs"])
def test_no_runner_keeps_its_own_list_of_operations(path):
    """The worker and the Node runner take the allow-list from the manifest / scorer.browser: their
    code (comments aside) names no operation but the handshake, so a second list cannot creep back."""
    import re

    source = (Path(__file__).resolve().parent.parent / path).read_text("utf-8")
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", source, flags=re.S)
    named = {op for op in browser.OPERATIONS if re.search(rf"(?<![\w$-]){op}(?![\w$-])", code)}
    assert named <= {HANDSHAKE}, f"{path} names operations {sorted(named - {HANDSHAKE})}: take them from the registry"


def test_carry_scores_the_same_answers_under_both_years():
    import json as _json

    from scorer import assessment as _assessment
    from scorer import browser as _browser
    from scorer import tree as _tree

    loaded = _tree.load("site_tests/fixtures/years")
    old, new = loaded.years[2019].bundle("dept").to_json(), loaded.years[2020].bundle("dept").to_json()
    value = _assessment.empty(old, "区某局党组")
    value["items"] = {"POL-02a": [{"date": "2019-05-01"}], "INS-01a": [{"date": "2019-06-01"}]}
    answer = _json.loads(_browser.carry(_json.dumps(old), _json.dumps(new), _json.dumps(value, ensure_ascii=False)))
    assert answer["ok"], answer
    result = answer["result"]
    assert result["assessment"]["items"] == {}  # last year's occurrences are not this year's
    assert [(r["id"], r["new_id"]) for r in result["reminders"]] == [("POL-02a", "POL-03a"), ("INS-01a", None)]
    assert {(r["id"], r["status"]) for r in result["review"]} == {("POL-02a", "renamed"), ("INS-01a", "removed")}
    assert result["before"]["year"] == 2019 and result["after"]["year"] == 2020
    # last year's record under both years' standards: nothing of it is left out as "another year"
    assert result["before"]["total"] == 100 - 3 - 2.5 and result["after"]["total"] == 100 - 3
    assert result["after"]["excluded"] == []
    value["year"] = 2020  # a file that does not fit the old bundle is refused with reasons
    refused = _json.loads(_browser.carry(_json.dumps(old), _json.dumps(new), _json.dumps(value, ensure_ascii=False)))
    assert not refused["ok"] and refused["problems"]
