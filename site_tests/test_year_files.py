"""The year-end evaluation's files (#15): the worked example, the hash binding, every reason a review
or register is refused, and every hostile file through every new format's reader and operation."""

import base64
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scorer import browser, textinput, tree, yearfiles
from scorer.errors import InvalidInput
from scorer.standards import content_hash
from site_tests import hostile

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def year():
    return tree.load(str(ROOT / "standards")).year(2019)


@pytest.fixture(scope="module")
def bundle(year):
    return year.bundle("dept")


def example(name):
    return json.loads((EXAMPLES / name).read_text("utf-8"))


def messages(exc_info):
    return [p.message for p in exc_info.value.problems]


def run(*args):
    return subprocess.run([sys.executable, "-m", "scorer", *args], capture_output=True, text=True, cwd=ROOT,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120)


# ---------------------------------------------------------------- the worked example


def test_the_worked_example_reviews_to_another_total_than_declared():
    done = run("review", "examples/review.json", "--assessment", "examples/self-assessment.json",
               "--supervision", "examples/supervision.json", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["self_declared"]["total"] == 95 and result["self_declared"]["grade"]["name"] == "好"
    assert result["total"] == 93.4 and result["grade"]["name"] == "较好" and result["score_total"] == 94
    assert [c["decision_name"] for c in result["changes"]] == ["不予认定", "核增", "补充认定"]
    assert all(c["reason"] for c in result["changes"])
    # the shape of `score --json`, plus the reviewed figures
    scored = json.loads(run("score", "examples/self-assessment.json", "--json").stdout)
    assert set(scored) <= set(result)
    assert "最终评议结果：93.4 分，等次较好" in result["receipt"]


def test_the_readme_shows_the_worked_example():
    text = (ROOT / "README.md").read_text("utf-8")
    assert "python -m scorer review examples/review.json --assessment examples/self-assessment.json" in text
    done = run("review", "examples/review.json", "--assessment", "examples/self-assessment.json")
    for line in done.stdout.splitlines()[-3:-1]:
        assert line in text, line


def test_cli_refuses_a_changed_self_assessment_and_a_missing_one(tmp_path):
    changed = example("self-assessment.json")
    changed["items"]["POL-01a"][0]["count"] = 1
    path = tmp_path / "self.json"
    path.write_text(json.dumps(changed, ensure_ascii=False), "utf-8")
    done = run("review", "examples/review.json", "--assessment", str(path))
    assert done.returncode == 1 and "自评文件在评议之后已被改动" in done.stderr and "Traceback" not in done.stderr
    done = run("review", "examples/review.json")
    assert done.returncode == 1 and "请同时提供该自评文件" in done.stderr


def test_cli_refuses_a_review_of_another_standard_text(tmp_path):
    review = example("review.json")
    review["standard_hash"] = "sha256:" + "0" * 64
    path = tmp_path / "review.json"
    path.write_text(json.dumps(review, ensure_ascii=False), "utf-8")
    done = run("review", str(path), "--assessment", "examples/self-assessment.json")
    assert done.returncode == 1 and "与当前发布的标准不一致" in done.stderr


def test_cli_names_a_supervision_record_the_register_lacks(tmp_path):
    register = example("supervision.json")
    register["records"] = register["records"][1:]
    path = tmp_path / "sup.json"
    path.write_text(json.dumps(register, ensure_ascii=False), "utf-8")
    done = run("review", "examples/review.json", "--assessment", "examples/self-assessment.json", "--supervision", str(path))
    assert done.returncode == 1 and "没有编号为 'sup-2019-0001' 的记录" in done.stderr


# ---------------------------------------------------------------- every reason a review is refused


def test_every_problem_of_a_review_at_once(bundle):
    assessment = example("self-assessment.json")
    review = example("review.json")
    review["decisions"] += [
        {"item": "POL-01a", "index": 0, "decision": "reject"},  # twice, and no reason
        {"item": "POL-01a", "index": 5, "decision": "confirm"},  # no such occurrence
        {"item": "POL-02b", "index": 0, "decision": "adjust", "reason": "x"},  # neither count nor date
        {"item": "ORG-02a", "index": 0, "decision": "confirm", "count": 2},
    ]
    review["additions"] += [{"id": "add-0001", "item": "NOPE", "date": "2018-01-01", "source": "rumour"}]
    review["qualitative"] = {"level": "excellent"}
    review["related"] = {"不存在的评议": 80}
    with pytest.raises(InvalidInput) as caught:
        yearfiles.check_review(yearfiles.read(review, yearfiles.REVIEW), bundle, assessment)
    found = " | ".join(messages(caught))
    for fragment in ["重复作出决定", "不予认定须写明理由", "没有 POL-01a 的第 6 条记录", "须给出核定后的次数",
                     "认定不改变次数和日期", "重复的补充记录编号 'add-0001'", "未知的扣分项、奖励项或等级限制 'NOPE'",
                     "未知的来源 'rumour'", "不在 2019 年度内", "未知的定性评价等次 'excellent'", "没有相关评议结果“不存在的评议”"]:
        assert fragment in found, fragment


def test_a_register_is_refused_with_every_reason(year):
    bundles = {sid: year.bundle(sid) for sid in year.standards}
    register = example("supervision.json")
    register["records"].append(dict(register["records"][0], item="NOPE", source="rumour", date="2019-13-01", standard="other"))
    with pytest.raises(InvalidInput) as caught:
        yearfiles.check_supervision(yearfiles.read(register, yearfiles.SUPERVISION), bundles)
    found = " | ".join(messages(caught))
    for fragment in ["重复的记录编号 'sup-2019-0001'", "没有标准 'other'", "未知的来源 'rumour'", "无法识别"]:
        assert fragment in found, fragment


def test_a_file_of_another_format_is_named():
    with pytest.raises(InvalidInput) as caught:
        yearfiles.read((EXAMPLES / "review.json").read_bytes(), yearfiles.SUPERVISION, "x.json")
    assert "这是评议文件，不是监督记录文件" in messages(caught)[0]


# ---------------------------------------------------------------- hostile files, every format

GENERIC = {name: why for name, why in hostile.ASSESSMENTS.items() if name != "proto-keys.json"}


@pytest.mark.parametrize("fmt", sorted(yearfiles.FORMATS))
@pytest.mark.parametrize("name", sorted(GENERIC))
def test_each_hostile_file_is_refused_by_each_format(fmt, name):
    data = hostile.assessment_path(name).read_bytes()
    started = time.monotonic()
    with pytest.raises(InvalidInput) as caught:
        yearfiles.read(data, fmt, name)
    assert time.monotonic() - started < 2
    problems = caught.value.problems
    assert any(GENERIC[name] in p.message for p in problems) or (name == "duplicate-item-id.json" and "重复的字段" in problems[0].message)
    assert all(p.source == name for p in problems)


@pytest.mark.parametrize("kind,fmt", [("register", yearfiles.SUPERVISION), ("workspace", yearfiles.WORKSPACE),
                                      ("json", yearfiles.REVIEW)])
def test_a_file_over_its_bound_is_refused_unread(tmp_path, kind, fmt):
    path = tmp_path / "big.json"
    with open(path, "wb") as handle:
        handle.write(b'{"format": "')
        handle.truncate(textinput.KINDS[kind] + 10)
    started = time.monotonic()
    with pytest.raises(InvalidInput) as caught:
        yearfiles.read(textinput.read_path(str(path), "big.json", kind), fmt, "big.json")
    assert "文件过大" in messages(caught)[0] and time.monotonic() - started < 2


def test_the_operations_refuse_hostile_text_with_reasons(year):
    bundles = json.dumps([year.bundle(sid) for sid in year.standards], ensure_ascii=False)
    bundle = json.dumps(year.bundle("dept"), ensure_ascii=False)
    for name in ("nested-3000.json", "duplicate-items-key.json", "lone-surrogate.json", "syntax-error.json"):
        text = hostile.assessment_path(name).read_bytes().decode("utf-8", "surrogatepass")
        for reply in (browser.workspace_read(bundles, text), browser.supervision_read(bundles, text),
                      browser.review_check(bundle, text, "null"), browser.feedback_read(bundle, text),
                      browser.workspace_merge(bundles, text, text), browser.final_result(bundle, "null", text, "[]")):
            reply = json.loads(reply)
            assert reply["ok"] is False and reply["problems"], (name, reply)


def test_read_files_decodes_a_register_and_a_workspace_with_their_bounds():
    data = (EXAMPLES / "supervision.json").read_bytes()
    files = json.dumps([{"name": "s.json", "base64": base64.b64encode(data).decode()},
                        {"name": "w.json", "size": textinput.MAX_WORKSPACE_BYTES + 1}])
    reply = json.loads(browser.read_files("register", files))["result"]
    assert reply[0]["text"] == data.decode("utf-8") and "文件过大" in reply[1]["problems"][0]["message"]
    assert json.loads(browser.version())["result"]["limits"]["workspace"] == textinput.MAX_WORKSPACE_BYTES


def test_a_review_bound_to_the_example_self_assessment(bundle):
    assessment, review = example("self-assessment.json"), example("review.json")
    assert review["assessment_hash"] == content_hash(assessment) and review["standard_hash"] == bundle["hash"]


def test_the_records_an_operation_takes_are_read_strictly(bundle):
    """The supervision records a page sends for one organization go through the same strict reader."""
    text = (EXAMPLES / "self-assessment.json").read_text("utf-8")
    reply = json.loads(browser.final_result(json.dumps(bundle, ensure_ascii=False), text, "null", '[{"id": "x", "id": "y"}]'))
    assert reply["ok"] is False and "重复的字段 'id'" in reply["problems"][0]["message"]
    deep = "[" * 40 + "]" * 40
    reply = json.loads(browser.final_result(json.dumps(bundle, ensure_ascii=False), text, "null", deep))
    assert reply["ok"] is False and "嵌套过深" in reply["problems"][0]["message"]


@pytest.mark.parametrize("name", ["supervision", "review", "workspace", "feedback"])
def test_the_new_schemas_are_real_json_schema_and_the_examples_conform(name, bundle):
    """Other systems validate these files with any JSON Schema validator: the schemas are valid ones,
    and the reference validator accepts the worked example as ours does."""
    import jsonschema  # dev environment only

    schema = json.loads((ROOT / "scorer" / "schemas" / f"{name}.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    documents = {"supervision": [example("supervision.json")], "review": [example("review.json")],
                 "feedback": [json.loads(browser.feedback_make(json.dumps(bundle, ensure_ascii=False),
                                                               json.dumps(example("self-assessment.json"), ensure_ascii=False),
                                                               json.dumps(example("review.json"), ensure_ascii=False), "{}"))["result"]["feedback"]],
                 "workspace": [{"format": "gm-workspace/1", "year": 2019, "roster": [{"name": "区示例局党组", "kind": "区直单位"}],
                                "plan": {"selected": []}, "assessments": [], "supervision": example("supervision.json")["records"],
                                "reviews": [], "related": {"区示例局党组": {"考核": 90}}}]}
    for document in documents[name]:
        jsonschema.validate(document, schema)
    from sitebuild.publish import SCHEMAS
    assert name in SCHEMAS
