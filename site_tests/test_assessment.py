"""Bad assessments are refused with every reason, in words a user can act on, never a traceback."""

import copy
import json

import pytest

from scorer import assessment, tree
from scorer.errors import InvalidInput
from scorer.scoring import score

BUNDLE = tree.load("standards").year(2019).bundle("dept").to_json()


def good():
    value = assessment.empty(BUNDLE, "区某局党组")
    value["items"] = {"POL-01a": [{"date": "2019-05-01", "note": "x", "evidence": [{"file": "会议记录.pdf", "location": "档案室"}]}]}
    return value


def reasons(value):
    with pytest.raises(InvalidInput) as caught:
        assessment.check(value, BUNDLE)
    return [p.message for p in caught.value.problems]


def test_good_assessment_scores():
    assert score(BUNDLE, good())["total"] < 100


def test_not_json():
    with pytest.raises(InvalidInput, match="不是有效的 JSON：") as caught:
        assessment.parse("{not json")
    # the place is the problem's line and column (printed as file:1:2, shown as 第 1 行第 2 列)
    assert (caught.value.problems[0].line, caught.value.problems[0].column) == (1, 2)
    assert str(caught.value).startswith("自评文件:1:2: 不是有效的 JSON：")


@pytest.mark.parametrize("mutate,expected", [
    (lambda v: v.update(format="gm-assessment/9"), "不支持的格式版本"),
    (lambda v: v.pop("format"), "缺少字段 'format'"),
    (lambda v: v.update(year=2020), "该文件为 2020 年度（当前为 2019 年度）"),
    (lambda v: v.update(standard="street"), "该文件针对标准 'street'"),
    (lambda v: v.update(standard_hash="sha256:" + "0" * 64), "标准已修订"),
    (lambda v: v["items"].update({"NOPE-01a": []}), "未知的扣分项、奖励项或等级限制 'NOPE-01a'"),
    (lambda v: v["items"]["POL-01a"][0].update(count=-2), "数值 -2 过小"),
    (lambda v: v["items"]["POL-01a"][0].update(count=1.5), "不是整数"),
    (lambda v: v["items"]["POL-01a"][0].update(date="2019-13-01"), "日期 '2019-13-01' 无法识别"),
    (lambda v: v["items"]["POL-01a"][0].update(date="昨天"), "日期 '昨天' 无法识别"),
    (lambda v: v["items"]["POL-01a"][0].update(colour="red"), "未知字段 'colour'"),
    (lambda v: v["items"]["POL-01a"][0]["evidence"][0].update(sha256="xyz"), "格式不正确"),
    (lambda v: v["organization"].update(kind="街道党工委"), "党组织类别 '街道党工委' 不适用本标准"),
    (lambda v: v.update(items=[]), "不是映射"),
])
def test_each_bad_input_is_named(mutate, expected):
    value = good()
    mutate(value)
    assert any(expected in r for r in reasons(value)), reasons(value)


def test_every_problem_is_listed_at_once():
    value = good()
    value["year"] = 2020
    value["items"]["NOPE-01a"] = [{"date": "bad", "count": 0}]
    found = reasons(value)
    assert len(found) >= 4, found


def test_non_object_is_refused():
    assert reasons([1, 2]) == ["自评文件的顶层应为 JSON 对象（{…}）"]


def test_input_is_not_modified():
    value = good()
    before = copy.deepcopy(value)
    score(BUNDLE, value)
    assert value == before


@pytest.mark.parametrize("name", ["measures", "year", "standard", "assessment"])
def test_published_schemas_are_real_json_schema(name):
    """Other systems validate our JSON with any JSON Schema validator: the schemas must be valid ones."""
    import jsonschema  # dev environment only: the scorer itself stays standard-library only

    with open(f"scorer/schemas/{name}.schema.json", encoding="utf-8") as handle:
        jsonschema.Draft202012Validator.check_schema(json.load(handle))


def test_reference_validator_agrees_on_shipped_data_and_a_good_assessment():
    import jsonschema

    def schema(name):
        with open(f"scorer/schemas/{name}.schema.json", encoding="utf-8") as handle:
            return json.load(handle)

    plain = json.loads(json.dumps(BUNDLE))
    jsonschema.validate(plain["standard"], schema("standard"))
    jsonschema.validate(plain["year"], schema("year"))
    jsonschema.validate(json.loads(json.dumps(good())), schema("assessment"))
    bad = json.loads(json.dumps(good()))
    bad["items"]["POL-01a"][0]["count"] = -1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema("assessment"))
