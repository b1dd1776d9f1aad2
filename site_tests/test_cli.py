"""`python -m scorer` end to end, as an editor or an office clerk would run it (exit codes 0/1/2)."""

import json
import os
import shutil
import subprocess
import sys


from scorer import assessment, tree

FIXTURE_TREE = os.path.join(os.path.dirname(__file__), "fixtures", "tree")


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "scorer", *args], capture_output=True, text=True,
                          cwd=cwd, env=dict(os.environ, PYTHONPATH=os.getcwd()))


def test_validate_ok_on_shipped_data():
    done = run("validate")
    assert done.returncode == 0, done.stderr
    assert "校验通过" in done.stdout and "当前年度：2019" in done.stdout


def test_validate_lists_every_problem_and_exits_1(tmp_path):
    root = tmp_path / "standards"
    shutil.copytree(FIXTURE_TREE, root)
    text = (root / "2019" / "dept.yaml").read_text(encoding="utf-8")
    (root / "2019" / "dept.yaml").write_text(text.replace("basis: [article-14]", "basis: [article-77]")
                                             .replace("points: 2.5", "points: -2.5"), encoding="utf-8")
    done = run("validate", str(root))
    assert done.returncode == 1
    assert f"{root}/2019/dept.yaml:" in done.stderr
    assert "article-77" in done.stderr and "-2.5" in done.stderr
    assert "共 3 个问题" in done.stderr or "共 2 个问题" in done.stderr


def test_usage_errors_exit_2():
    assert run("frobnicate").returncode == 2
    assert run("show", "1999", "dept").returncode == 2
    assert run("show", "2019", "nope").returncode == 2


def write_assessment(tmp_path, mutate=None):
    bundle = tree.load("standards").year(2019).bundle("dept").to_json()
    value = assessment.empty(bundle, "区某局党组")
    value["items"] = {"POL-02a": [{"date": "2019-05-01", "count": 2}]}
    if mutate:
        mutate(value)
    path = tmp_path / "a.json"
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path


def test_score_prints_a_receipt(tmp_path):
    done = run("score", str(write_assessment(tmp_path)))
    assert done.returncode == 0, done.stderr
    assert "POL-02a" in done.stdout and "发生 2 次" in done.stdout and "总分" in done.stdout
    assert " x2 " not in done.stdout and ".0 分" not in done.stdout  # arithmetic in words, plain numbers


def test_score_leaves_out_and_names_an_occurrence_from_another_year(tmp_path):
    def mutate(value):
        value["items"]["POL-02a"].append({"date": "2018-11-11"})
    plain = json.loads(run("score", str(write_assessment(tmp_path)), "--json").stdout)
    done = run("score", str(write_assessment(tmp_path, mutate)))
    assert done.returncode == 0, done.stderr
    assert "POL-02a 第 2 条记录（发生 1 次）：日期 2018-11-11 不在 2019 年度内，未计入得分" in done.stdout
    result = json.loads(run("score", str(write_assessment(tmp_path, mutate)), "--json").stdout)
    assert result["total"] == plain["total"] and result["excluded"][0]["date"] == "2018-11-11"


def test_score_json_matches_library(tmp_path):
    done = run("score", str(write_assessment(tmp_path)), "--json")
    result = json.loads(done.stdout)
    assert result["standard"] == "dept" and result["total"] < 100


def test_score_refuses_bad_input_with_reasons(tmp_path):
    path = write_assessment(tmp_path, lambda v: v.update(year=2031))
    done = run("score", str(path))
    assert done.returncode == 1 and "2031" in done.stderr and "Traceback" not in done.stderr
    (tmp_path / "b.json").write_text("{", encoding="utf-8")
    done = run("score", str(tmp_path / "b.json"))
    assert done.returncode == 1 and "不是有效的 JSON" in done.stderr


def test_show_json_is_the_bundle():
    done = run("show", "2019", "street", "--json")
    bundle = json.loads(done.stdout)
    assert bundle["format"] == "gm-standard/1" and bundle["standard"]["id"] == "street"
    assert bundle["hash"] == tree.load("standards").year(2019).bundle("street").to_json()["hash"]


def test_new_year_scaffolds_a_valid_draft_and_diff_shows_changes(tmp_path):
    root = tmp_path / "standards"
    shutil.copytree(FIXTURE_TREE, root)
    done = run("--root", str(root), "new-year", "2020")
    assert done.returncode == 0, done.stderr
    assert "下一步" in done.stdout
    settings = (root / "2020" / "year.yaml").read_text(encoding="utf-8")
    assert "year: 2020" in settings and "status: draft" in settings
    assert run("validate", str(root)).returncode == 0
    loaded = tree.load(str(root))
    assert loaded.current.year == 2019, "a draft year is never current"
    assert run("--root", str(root), "new-year", "2020").returncode == 1  # exists already

    dept = root / "2020" / "dept.yaml"
    text = dept.read_text(encoding="utf-8")
    text = text.replace("content: 测试内容。\n        points: 15\n        method: 查阅资料\n        basis: [article-14]",
                        "content: 测试内容，已修订。\n        points: 15\n        method: 查阅资料\n        basis: [article-14]")
    text = text.replace("title: 两个维护", "title: 两个维护 ")  # spacing only: not a change
    text = text.replace("text: 每次扣一分", "text: 每次扣一分,")  # half-width comma ...
    dept.write_text(text, encoding="utf-8")
    done = run("validate", str(root))
    assert done.returncode == 1 and "changes 为空" in done.stderr, "edits without change notes are refused"
    settings = root / "2020" / "year.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("changes: []", "changes: [修订 IDE-01 内容]"),
                        encoding="utf-8")
    done = run("--root", str(root), "diff", "2019", "2020", "--json")
    records = json.loads(done.stdout)["standards"]["dept"]
    assert [(r["kind"], r["id"]) for r in records] == [("changed", "POL-01"), ("changed", "IDE-01")]
    text = dept.read_text(encoding="utf-8").replace("text: 每次扣一分,", "text: 每次扣一分，")  # ... vs full-width
    dept.write_text(text, encoding="utf-8")
    records = json.loads(run("--root", str(root), "diff", "2019", "2020", "--json").stdout)["standards"]["dept"]
    assert [(r["kind"], r["id"]) for r in records] == [("changed", "POL-01"), ("changed", "IDE-01")]
    human = run("--root", str(root), "diff", "2019", "2020").stdout
    assert "修改 IDE-01" in human
