"""The organization's rectification list travels with its feedback (issue #16), in headless Chromium:

1. the office's review screen exports the feedback with the items issued to the organization so far
   (the very gm-rectification/1 list CPython makes from the stored workspace);
2. the organization opens that feedback on its assessment page: the list is shown, and its
   "填报整改进展" link opens assess/rectification/ with the same file, ready to report on;
3. hostile files dropped on assess/rectification/ while it holds a list and progress (nested, huge,
   duplicate keys, wrong encodings, binary, a list for another organization or year, an older list
   lacking an item the page holds, a report for
   items never issued, a tampered or transplanted list in a feedback) are refused with the file's
   name and the Chinese reason (and the line, where there is one), and nothing the page holds (the
   list, the progress typed, what localStorage keeps) changes.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from scorer import browser, rectification  # noqa: F401 - the registry before the operations' module
from site_tests import application_gen as gen
from site_tests import gates
from site_tests.review_walk import PUT_WORKSPACE
from site_tests.workspace_pages import ready
from site_tests.test_accessibility import axe_problems, with_axe

pytestmark = pytest.mark.browser
READY_MS = 90_000
OFFICE = "光明区落实全面从严治党主体责任领导小组办公室"  # as office-review.mjs signs its feedback
STORE_KEY = "gm-rectification-progress"


def _year():
    """Three reviewed organizations; two items issued to the first, one to the second."""
    office = gen.Office(gen.reviewed(3, 5))
    names = [r["name"] for r in office.workspace["roster"]]
    for name, count in zip(names, (2, 1)):
        view = office.view(name)
        for j in range(count):
            problem = view["problems"][j % len(view["problems"])]
            reply = office.add("items", {"id": f"{name[-4:]}-{j}", "organization": name, "problem": problem["key"],
                                         "problem_text": f"{problem['item']} {problem['text']}", "measure": "建立台账，逐项整改",
                                         "deadline": "2020-03-01", "responsible": "张三", "issued": "2020-01-20"}, "2020-01-20")
            assert reply["ok"], reply
    return office, names


OFFICE_YEAR, NAMES = _year()
TEXT = OFFICE_YEAR.text()


def exported_feedback(page: Page, site_url: str, name: str) -> bytes:
    """The feedback file the review screen exports for `name` from the stored workspace."""
    ready(page, site_url + "office/review/")
    page.evaluate(PUT_WORKSPACE, TEXT)
    ready(page, site_url + "office/review/")
    page.locator("#gmr-org").select_option(name)
    page.locator('[data-action="open"]').click()
    expect(page.locator("#gm-review")).not_to_have_attribute("data-renders", "0", timeout=READY_MS)
    expect(page.get_by_test_id("final-grade")).not_to_have_text("—", timeout=READY_MS)
    with page.expect_download(timeout=READY_MS) as download:
        page.get_by_test_id("export-feedback").click()
    return Path(download.value.path()).read_bytes()


def held(page: Page) -> dict:
    """What the organization's rectification page holds: its stored state, summary and typed progress."""
    return {"stored": page.evaluate(f"() => localStorage.getItem({STORE_KEY!r})"),
            "summary": page.get_by_test_id("list-summary").text_content(),
            "items": page.locator("fieldset.gmx-item").evaluate_all("(boxes) => boxes.map((b) => b.dataset.item)"),
            "note": page.locator("fieldset.gmx-item textarea").first.input_value()}


def test_the_feedback_carries_the_list_to_the_assessment_page_and_on_to_the_rectification_page(page: Page, site_url, artifacts_dir):
    guard = gates.Guard(page)
    with_axe(page)
    feedback = exported_feedback(page, site_url, NAMES[0])
    value = json.loads(feedback)
    expected = gen.call("rectification_list", gen.BUNDLES_JSON, TEXT, NAMES[0],
                        json.dumps({"issued": value["issued"], "office": OFFICE}))["result"]["list"]
    assert value["rectification"] == expected and len(expected["items"]) == 2
    expect(page.get_by_test_id("feedback-note")).to_contain_text("附整改清单 2 项")

    ready(page, f"{site_url}assess/{value['year']}/{value['standard']}/")
    page.get_by_test_id("feedback-file").set_input_files({"name": "反馈.json", "mimeType": "application/json", "buffer": feedback})
    table = page.get_by_test_id("feedback-rectification")
    expect(table.locator("tbody tr")).to_have_count(2, timeout=READY_MS)
    for entry in expected["items"]:
        expect(table).to_contain_text(entry["item"]["id"])
        expect(table).to_contain_text(entry["item"]["problem_text"])
    assert axe_problems(page, "feedback with its rectification list") == []
    page.get_by_test_id("feedback").screenshot(path=str(artifacts_dir / "assess-feedback-rectification.png"))
    page.set_viewport_size(gates.PHONE)
    assert gates.narrow_problems(page, "feedback with its list, 375 px") == []
    page.get_by_test_id("feedback").screenshot(path=str(artifacts_dir / "assess-feedback-rectification-375.png"))
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_test_id("feedback-rectification-link").click()
    page.wait_for_url("**/assess/rectification/", timeout=READY_MS)
    expect(page.get_by_test_id("list-summary")).to_contain_text(f"{NAMES[0]}：整改事项 2 项", timeout=READY_MS)
    expect(page.get_by_test_id("list-alert")).to_contain_text("已打开“反馈.json”")
    assert held(page)["items"] == [e["item"]["id"] for e in expected["items"]]
    page.screenshot(path=str(artifacts_dir / "assess-rectification-from-feedback.png"), full_page=True)
    page.reload()  # handed over once: the page now keeps it itself
    expect(page.get_by_test_id("list-summary")).to_contain_text("整改事项 2 项", timeout=READY_MS)
    expect(page.get_by_test_id("list-alert")).to_be_hidden()
    guard.assert_clean()


def _feedback(name: str) -> dict:
    review = next(r for r in OFFICE_YEAR.workspace["reviews"] if r["organization"]["name"] == name)
    own = next((e["assessment"] for e in OFFICE_YEAR.workspace["assessments"] if e["hash"] == review["assessment_hash"]), None)
    made = gen.call("feedback_make", json.dumps(gen.BUNDLES[review["standard"]].to_json(), ensure_ascii=False),
                    json.dumps(own, ensure_ascii=False) if own else "null", json.dumps(review, ensure_ascii=False),
                    json.dumps({"office": OFFICE, "issued": "2020-01-25", "rectification": OFFICE_YEAR.workspace["application"]["items"]}))
    assert made["ok"], made
    return made["result"]["feedback"]


def _hostile() -> list:
    """(file name, bytes, words the refusal must hold) for each hostile file."""
    mine, theirs = _feedback(NAMES[0]), _feedback(NAMES[1])
    pretty = json.dumps(mine, ensure_ascii=False, indent=2)
    duplicate = pretty.replace('"organization": ', '"organization": "x",\n  "organization": ', 1)
    line = duplicate[:duplicate.index('"organization": "x"')].count("\n") + 2  # the second, repeated key
    tampered = copy.deepcopy(mine)
    tampered["rectification"]["items"][0]["item"]["measure"] = "无需整改"
    transplanted = dict(copy.deepcopy(mine), rectification=theirs["rectification"])
    other_year = dict(copy.deepcopy(mine["rectification"]), year=2020)
    older = dict(copy.deepcopy(mine["rectification"]), items=mine["rectification"]["items"][:1])  # valid, but lacks an item held
    report = {"format": "gm-rectification-report/1", "year": 2019, "organization": NAMES[0], "reported": "2020-02-01",
              "items": [{"id": "never-issued", "hash": "sha256:" + "1" * 64, "status": "done", "done": "2020-01-30"}]}
    nested = "[" * 40 + "]" * 40
    huge = '{"format": "gm-rectification/1", "pad": "' + "x" * (5 * 1024 * 1024) + '"}'
    return [
        ("嵌套.json", nested.encode(), ["嵌套过深"]),
        ("超大.json", huge.encode(), ["文件过大"]),
        ("重复键.json", duplicate.encode(), ["重复", f"第 {line} 行"]),
        ("国标编码.json", json.dumps(mine["rectification"], ensure_ascii=False).encode("gb18030"), ["编码"]),
        ("二进制.json", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), ["NUL"]),
        ("其他单位清单.json", json.dumps(theirs["rectification"], ensure_ascii=False).encode(), [NAMES[1], NAMES[0], "先导出报告"]),
        ("其他单位反馈.json", json.dumps(theirs, ensure_ascii=False).encode(), [NAMES[1], "先导出报告"]),
        ("其他年度清单.json", json.dumps(other_year, ensure_ascii=False).encode(), ["2020 年度"]),
        ("较早的清单.json", json.dumps(older, ensure_ascii=False).encode(), [mine["rectification"]["items"][1]["item"]["id"], "较早的清单"]),
        ("整改报告.json", json.dumps(report, ensure_ascii=False).encode(), ["整改情况报告", "不是整改清单"]),
        ("改过的反馈.json", json.dumps(tampered, ensure_ascii=False).encode(), ["哈希不符"]),
        ("移花接木.json", json.dumps(transplanted, ensure_ascii=False).encode(), ["清单与反馈不符", "清单与评议不符"]),
    ]


def test_hostile_files_on_the_rectification_page_are_refused_with_reasons_and_change_nothing(page: Page, site_url, artifacts_dir):
    guard = gates.Guard(page)
    ready(page, site_url + "assess/rectification/")
    page.get_by_test_id("list-file").set_input_files(gates.json_file("反馈.json", _feedback(NAMES[0])))
    expect(page.get_by_test_id("list-summary")).to_contain_text(f"{NAMES[0]}：整改事项 2 项", timeout=READY_MS)
    page.locator("fieldset.gmx-item textarea").first.fill("已召开专题会议，正在整改")
    page.locator("fieldset.gmx-item select").first.select_option("in-progress")
    before = held(page)
    assert before["note"] == "已召开专题会议，正在整改" and "正在整改" in before["stored"]
    alert = page.get_by_test_id("list-alert")
    for name, data, words in _hostile():
        page.get_by_test_id("list-file").set_input_files({"name": name, "mimeType": "application/json", "buffer": data})
        expect(alert).to_contain_text(f"未打开“{name}”", timeout=READY_MS)
        expect(alert).to_contain_text("本页保存的清单和已填写的进展没有改变")
        for word in words:
            expect(alert).to_contain_text(word)
        assert held(page) == before, name
        if name == "移花接木.json":
            alert.screenshot(path=str(artifacts_dir / "assess-rectification-refused.png"))
            page.set_viewport_size(gates.PHONE)
            assert gates.narrow_problems(page, "rectification page refusing a file, 375 px") == []
            page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    expect(page.get_by_test_id("list-summary")).to_contain_text(f"{NAMES[0]}：整改事项 2 项", timeout=READY_MS)
    assert held(page) == before
    guard.assert_clean()
