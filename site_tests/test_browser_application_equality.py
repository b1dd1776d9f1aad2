"""The page gives the same results application and rectification answers as CPython (issue #16):
the generated workspaces' requests (`application_gen.equality_requests`: proposals tables,
organizations' views, new records accepted and refused, rectification views, lists, report imports)
are sent to the office application page's scorer, through the page's own client, and compared with
CPython's answers on the same JSON texts, whole reply against whole reply; each result fits the
schema its operation declares. (Node-Pyodide against CPython: test_pyodide_application.py.)"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from scorer import browser
from site_tests.application_gen import EQUAL_OPERATIONS, equality_requests
from site_tests.result_schemas import answer_problems

pytestmark = pytest.mark.browser
READY_MS = 90_000
SEEDS = (1611, 1612)

# Runs in the page: a second client of the same worker script, fed a batch of [op, args] calls.
BATCH = """async (requests) => {
  const src = document.querySelector('script[src$="office-application.mjs"]').src;
  const { startScorer } = await import(new URL("scorer-client.mjs", src).href);
  const scorer = startScorer();
  await scorer.ready;
  const answers = [];
  for (const [op, args] of requests) answers.push(JSON.stringify(await scorer.call(op, ...args)));
  scorer.terminate();
  return answers;
}"""


def test_the_page_gives_cpythons_application_and_rectification_answers(page: Page, site_url):
    requests = [r for seed in SEEDS for r in equality_requests(seed)]
    expected = [json.loads(browser.REGISTRY[op].function(*args)) for op, args in requests]
    assert {(op, e["ok"]) for (op, _), e in zip(requests, expected)} >= {(op, ok) for op in EQUAL_OPERATIONS for ok in (True, False)}
    page.goto(site_url + "office/application/")
    expect(page.get_by_test_id("scorer-status")).to_have_attribute("data-state", "ready", timeout=READY_MS)
    answers = page.evaluate(BATCH, [[op, args] for op, args in requests])
    assert len(answers) == len(requests)
    for (op, args), want, got in zip(requests, expected, answers):
        got = json.loads(got)
        assert got == want, (op, args[2:4] if op != "application_view" else "")
        assert answer_problems(op, got) == [], op
