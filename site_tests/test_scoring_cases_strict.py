"""Scoring-case files are read strictly: one bad file per failure mode under
fixtures/bad-scoring-cases/ is refused with its Chinese message at its line, any key `expected` does not
compare is refused wherever it is written, and pytest shows a refused file as a collection error."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorer.errors import InvalidInput
from scorer.scoring import score
from site_tests import scoring_cases

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "site_tests" / "fixtures" / "bad-scoring-cases"

# file -> every (line, message) the reader must give, in order
REFUSED = {
    "unknown-expected-key.yaml": [(11, "未知字段 'totl'（允许的字段：total, deducted, bonus, areas, grade, "
                                       "grade_by_score, caps_hit, limits_applied, excluded, receipt）")],
    "unknown-case-key.yaml": [(9, "缺少字段 'occurrences'"),
                              (10, "未知字段 'occurences'（允许的字段：name, occurrences, expected）")],
    "unknown-top-key.yaml": [(9, "未知字段 'standards'（允许的字段：tree, year, standard, cases）")],
    "duplicate-key.yaml": [(14, "重复的字段 'total'（第 12 行已出现，每个字段只能出现一次）")],
    "missing-expected.yaml": [(9, "缺少字段 'expected'")],
    "wrong-type.yaml": [(11, "类型错误：'九十七' 不是数字（应为数字）")],
    "duplicate-name.yaml": [(9, "重复的用例名称 '无任何情形得基本分'（第 6 行已使用）")],
    "bad-occurrence.yaml": [(10, "格式不正确：'2019/05/01'（应为日期 YYYY-MM-DD）")],
}


def test_every_bad_case_file_is_listed():
    assert sorted(p.name for p in BAD.glob("*.yaml")) == sorted(REFUSED)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_bad_case_file_is_refused_with_file_and_line(name):
    with pytest.raises(InvalidInput) as refused:
        scoring_cases.load(str(BAD / name))
    problems = refused.value.problems
    assert [(p.line, p.message) for p in problems] == REFUSED[name]
    assert all(p.source == f"site_tests/fixtures/bad-scoring-cases/{name}" for p in problems)
    assert str(problems[0]).startswith(f"site_tests/fixtures/bad-scoring-cases/{name}:{REFUSED[name][0][0]}:")


def _yaml_lines(suite: dict) -> list[str]:
    """A suite written back as YAML, one `expected` key per line, so a key's line is known."""
    import json

    lines = [f"{key}: {json.dumps(suite[key], ensure_ascii=False)}" for key in ("tree", "year", "standard")]
    lines.append("cases:")
    for case in suite["cases"]:
        lines.append(f"  - name: {json.dumps(case['name'], ensure_ascii=False)}")
        lines.append(f"    occurrences: {json.dumps(case['occurrences'], ensure_ascii=False, default=float)}")
        lines.append("    expected:")
        lines += [f"      {k}: {json.dumps(v, ensure_ascii=False, default=float)}" for k, v in case["expected"].items()]
    return lines


SUITE = scoring_cases.load(scoring_cases.files()[0])
KEYS = st.text(st.characters(codec="utf-8", categories=("L", "N"), include_characters="_"), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(key=KEYS.filter(lambda k: k not in scoring_cases.COMPARED), where=st.integers(min_value=0))
def test_any_key_expected_does_not_compare_is_refused_at_its_line(tmp_path_factory, key, where):
    suite = copy.deepcopy(SUITE)
    case = suite["cases"][where % len(suite["cases"])]
    case["expected"][key] = 1
    lines = _yaml_lines(suite)
    path = tmp_path_factory.mktemp("cases") / "typo.yaml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(InvalidInput) as refused:
        scoring_cases.load(str(path))
    [problem] = refused.value.problems
    assert problem.message.startswith(f"未知字段 '{key}'")
    assert lines[problem.line - 1].strip().startswith(f"{key}:")


def test_every_key_expected_allows_is_compared():
    """The other direction: no allowed key that `mismatches` ignores. Each key of a real case's
    expectations, changed, makes `mismatches` report that key."""
    changed = {"total": 1, "deducted": 1, "bonus": 1, "areas": {"political": 1}, "grade": "x",
               "grade_by_score": "x", "caps_hit": ["x"], "limits_applied": ["x"], "excluded": [["x", "2019-01-01"]],
               "receipt": ["x"]}
    assert set(changed) == set(scoring_cases.COMPARED)
    case = SUITE["cases"][0]
    bundle = scoring_cases.bundle_for(SUITE)
    result = score(bundle, scoring_cases.to_assessment(case, bundle))
    for key, value in changed.items():
        wrong = scoring_cases.mismatches(result, {key: value})
        assert len(wrong) == 1 and wrong[0].startswith(("receipt lacks" if key == "receipt" else
                                                         "area political" if key == "areas" else key)), key


def test_a_refused_case_file_is_a_collection_error_of_that_file(tmp_path):
    folder = tmp_path / "scoring_cases"
    folder.mkdir()
    shutil.copy(BAD / "unknown-expected-key.yaml", folder / "typo.yaml")
    shutil.copy(scoring_cases.files()[0], folder / "good.yaml")
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "site_tests.scoring_plugin", "-p", "no:cacheprovider",
                           "-q", "--rootdir", str(tmp_path), str(folder)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 2, done.stdout  # interrupted: errors during collection
    assert "ERROR collecting scoring_cases/typo.yaml" in done.stdout, done.stdout
    assert f"{folder / 'typo.yaml'}:11:16: 未知字段 'totl'" in done.stdout, done.stdout
    assert "Traceback" not in done.stdout, done.stdout
