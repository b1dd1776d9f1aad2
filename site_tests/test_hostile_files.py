"""Every hostile file through the CLI and through `scorer.browser` (what the pages call): a Chinese
reason naming the file (and line where there is one), exit 1, no traceback, in bounded time.

The same fixtures go through the pages in Chromium in test_browser_hostile.py.
"""

import base64
import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from scorer import assessment, browser, tree
from site_tests import hostile

CJK = range(0x4E00, 0xA000)


def chinese(text: str) -> bool:
    return any(ord(c) in CJK for c in text)


def run(*args):
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "scorer", *args], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=os.getcwd()), timeout=60)
    return done, time.monotonic() - started


def good_assessment() -> dict:
    bundle = tree.load("standards").year(2019).bundle("dept").to_json()
    value = assessment.empty(bundle, "区某局党组")
    value["items"] = {"POL-02a": [{"date": "2019-05-01", "count": 2}]}
    return value


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@pytest.mark.parametrize("name", sorted(hostile.ASSESSMENTS))
def test_cli_score_refuses_each_hostile_assessment(name):
    path = str(hostile.assessment_path(name))
    done, seconds = run("score", path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert hostile.ASSESSMENTS[name] in done.stderr and f"{path}" in done.stderr
    assert seconds < 20


def test_cli_score_refuses_an_oversized_file_unread(tmp_path):
    done, seconds = run("score", str(hostile.oversized_json(tmp_path)))
    assert done.returncode == 1 and "文件过大" in done.stderr and "Traceback" not in done.stderr
    assert seconds < 20


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom"])
def test_cli_and_browser_score_the_same_file_in_every_accepted_encoding(tmp_path, encoding):
    text = json.dumps(good_assessment(), ensure_ascii=False)
    if encoding.endswith("-bom"):
        codec = encoding[:-4]
        data = "\ufeff".encode(codec) + text.encode(codec)
    else:
        data = text.encode(encoding)
    path = tmp_path / "a.json"
    path.write_bytes(data)
    done, _ = run("score", str(path), "--json")
    assert done.returncode == 0, done.stderr
    read = json.loads(browser.read_files("json", json.dumps([{"name": "a.json", "base64": b64(data)}])))
    assert read["ok"] and read["result"][0]["text"] == text
    bundle = json.dumps(tree.load("standards").year(2019).bundle("dept").to_json(), ensure_ascii=False, default=str)
    scored = json.loads(browser.score(bundle, read["result"][0]["text"]))
    assert scored["result"]["total"] == json.loads(done.stdout)["total"]


@pytest.mark.parametrize("name", sorted(hostile.ASSESSMENTS))
def test_the_page_path_refuses_each_hostile_assessment(name):
    """read_files (the import's and the office's first step), then check: refused, in Chinese."""
    data = hostile.assessment_path(name).read_bytes()
    read = json.loads(browser.read_files("json", json.dumps([{"name": name, "base64": b64(data)}])))
    assert read["ok"]
    entry = read["result"][0]
    if "problems" not in entry:  # decodes and parses: the check against the bundle refuses it
        bundle = json.dumps(tree.load("standards").year(2019).bundle("dept").to_json(), ensure_ascii=False, default=str)
        entry = json.loads(browser.check(bundle, entry["text"]))
    problems = entry["problems"]
    assert problems and all(chinese(p["message"]) for p in problems)
    assert any(hostile.ASSESSMENTS[name] in p["message"] for p in problems), problems


def test_one_bad_file_never_stops_the_office_batch():
    """Every hostile file and two good ones in one `collect`: the good ones are counted, each bad
    one is named among the refused files."""
    from scorer import collect

    bundle = tree.load("standards").year(2019).bundle("dept").to_json()
    good = json.dumps(good_assessment(), ensure_ascii=False)
    files = [("good-1.json", good)]
    for name in sorted(hostile.ASSESSMENTS):
        files.append((name, hostile.assessment_path(name).read_bytes().decode("utf-8", "surrogateescape")))
    files.append(("good-2.json", good.replace("区某局党组", "区另一局党组")))
    result = collect.collect([bundle], files)
    assert [r["file"] for r in result["rows"]] == ["good-1.json", "good-2.json"]
    assert sorted(r["file"] for r in result["rejected"]) == sorted(hostile.ASSESSMENTS)


def test_read_files_answers_each_file_on_its_own():
    good = json.dumps(good_assessment(), ensure_ascii=False).encode("utf-8")
    files = [{"name": "a.json", "base64": b64(good)},
             {"name": "renamed.json", "base64": b64(hostile.assessment_path("xlsx-renamed.json").read_bytes())},
             {"name": "b.json", "base64": "not base64!"},
             {"name": "c.json", "base64": b64(good)}]
    answer = json.loads(browser.read_files("json", json.dumps(files)))["result"]
    assert [e["name"] for e in answer] == ["a.json", "renamed.json", "b.json", "c.json"]
    assert "text" in answer[0] and "text" in answer[3]
    assert "Excel 工作簿" in answer[1]["problems"][0]["message"] and answer[1]["problems"][0]["source"] == "renamed.json"
    assert "base64" in answer[2]["problems"][0]["message"]


def standards_with(tmp_path, dept: bytes):
    root = tmp_path / "standards"
    shutil.copytree("standards", root)
    (root / "2019" / "dept.yaml").write_bytes(dept)
    return root


@pytest.mark.parametrize("name", sorted(hostile.STANDARDS))
def test_validate_refuses_each_hostile_standards_file(tmp_path, name):
    root = standards_with(tmp_path, hostile.standards_path(name).read_bytes())
    done, seconds = run("validate", str(root))
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr
    fragment, line = hostile.STANDARDS[name]
    where = f"{root}/2019/dept.yaml:" + (f"{line}:" if line else "")
    assert any(l.startswith(where) and fragment in l for l in done.stderr.splitlines()), done.stderr
    assert seconds < 20


def test_validate_refuses_a_50_mb_file_quickly(tmp_path):
    root = standards_with(tmp_path, b"")
    hostile.huge_yaml(root / "2019")
    done, seconds = run("validate", str(root))
    assert done.returncode == 1 and "文件过大" in done.stderr and "dept.yaml" in done.stderr
    assert seconds < 10


@pytest.mark.parametrize("encoding, separator", [("gb18030", ","), ("gbk", ","), ("utf-16", "\t"),
                                                 ("utf-8-sig", ","), ("utf-8", ",")])
def test_plan_reads_csv_from_chinese_excel_in_cli_and_page(tmp_path, encoding, separator):
    rows = [("名称", "类别"), ("光明街道党工委", "街道"), ("区某局党组", "部门"), ("凤凰社区党委", "街道")]
    data = "\r\n".join(separator.join(r) for r in rows).encode(encoding)
    path = tmp_path / "orgs.csv"
    path.write_bytes(data)
    done, _ = run("plan", str(path), "--first", "2021", "--last", "2023", "--share", "50%", "--csv")
    assert done.returncode == 0, done.stderr
    assert "光明街道党工委" in done.stdout and "凤凰社区党委" in done.stdout
    read = json.loads(browser.read_files("csv", json.dumps([{"name": "orgs.csv", "base64": b64(data)}])))["result"][0]
    orgs = json.loads(browser.organizations(read["text"]))["result"]
    assert [o["name"] for o in orgs] == [r[0] for r in rows[1:]] and orgs[0]["kind"] == "街道"
    refs = "\r\n".join(separator.join(r) for r in [("名称", "民主测评"), ("区某局党组", "90")]).encode(encoding)
    read = json.loads(browser.read_files("csv", json.dumps([{"name": "r.csv", "base64": b64(refs)}])))["result"][0]
    assert json.loads(browser.references(read["text"]))["result"]["values"] == {"区某局党组": {"民主测评": 90}}


def test_plan_refuses_a_binary_csv_with_a_reason(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_bytes(hostile.assessment_path("xlsx-renamed.json").read_bytes())
    done, _ = run("plan", str(path), "--first", "2021", "--last", "2023", "--share", "50%")
    assert done.returncode == 1 and "Excel 工作簿" in done.stderr and str(path) in done.stderr


def test_office_xlsx_refuses_a_lone_surrogate_instead_of_a_traceback():
    payload = {"rows": [{"organization": "区\ud800局", "total": 90}]}
    answer = json.loads(browser.office_xlsx("combined", json.dumps(payload)))
    assert not answer["ok"] and "代理项" in answer["problems"][0]["message"]
