"""The page gives the same final results as CPython on generated reviews (issue #15): every
organization of generated year workspaces (reviews with every kind of decision and additions,
qualitative judgements, related results; organizations never reviewed, judged by supervision records;
organizations that submitted nothing) is sent to the review page's scorer, through the page's own
client, as the review screen sends it, and the answers are compared with CPython's `final_result`
operation on the same JSON texts, byte for byte.

(Node-Pyodide against CPython is the scorer's own test; this one is the page's side.)
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from scorer import browser
from site_tests import year_workspaces as yw

pytestmark = pytest.mark.browser
READY_MS = 90_000
SEEDS = ((11, 3), (12, 3), (13, 0))  # (seed, supervision records per organization): 0 gives 'self' results

# Runs in the page: a second client of the same worker script, fed a batch of final_result calls.
BATCH = """async (requests) => {
  const src = document.querySelector('script[src$="office-review.mjs"]').src;
  const { startScorer } = await import(new URL("scorer-client.mjs", src).href);
  const scorer = startScorer();
  await scorer.ready;
  const answers = [];
  for (const args of requests) answers.push(JSON.stringify(await scorer.call("final_result", ...args)));
  scorer.terminate();
  return answers;
}"""


def requests(bundle_texts: dict) -> list:
    """[bundle text, assessment or "null", review or "null", records] for every organization generated."""
    out = []
    for seed, records_each in SEEDS:
        ws = yw.generate(40, records_each, seed=seed, reviewed=0.7, selected=0.8, submitted=0.8, related_share=0.6)
        own = {a["assessment"]["organization"]["name"]: a["assessment"] for a in ws["assessments"]}
        reviews = {r["organization"]["name"]: r for r in ws["reviews"]}
        for org in ws["roster"]:
            name = org["name"]
            if name not in own and name not in reviews:
                continue  # nothing to judge: no final result (its refusal is the scorer's own test)
            standard = (reviews.get(name) or own[name])["standard"]
            records = [r for r in ws["supervision"] if name in r["organizations"]]
            out.append([bundle_texts[standard],
                        json.dumps(own[name], ensure_ascii=False) if name in own else "null",
                        json.dumps(reviews[name], ensure_ascii=False) if name in reviews else "null",
                        json.dumps(records, ensure_ascii=False)])
    return out


def test_the_page_gives_cpythons_final_results_on_generated_reviews(page: Page, site_url, built_site):
    texts = {sid: (built_site / "data" / str(yw.YEAR) / f"{sid}.json").read_text("utf-8") for sid in yw.RAW_BUNDLES}
    batch = requests(texts)
    kinds = {(a != "null", r != "null") for _, a, r, _ in batch}
    assert kinds == {(True, True), (True, False), (False, True)}, kinds  # every path is exercised
    expected = [browser.final_result(*args) for args in batch]
    assert all(json.loads(e)["ok"] for e in expected)
    methods = {json.loads(e)["result"]["method"] for e in expected}
    assert methods == {"self", "supervised", "reviewed"}, methods
    page.goto(site_url + "office/review/")
    expect(page.get_by_test_id("scorer-status")).to_have_attribute("data-state", "ready", timeout=READY_MS)
    answers = page.evaluate(BATCH, batch)
    assert len(answers) == len(batch)
    for args, want, got in zip(batch, expected, answers):
        assert json.loads(got) == json.loads(want), args[2][:200]
