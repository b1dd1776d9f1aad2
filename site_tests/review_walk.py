"""Helpers of the review screen's browser tests (not a test module): a workspace made from the
worked example (examples/), put into the page's IndexedDB through office-workspace.mjs itself, and
the CPython final result the page must show.
"""

from __future__ import annotations

import json
from pathlib import Path

from scorer import evaluation, standards, tree, yearfiles

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHIPPED = tree.load(ROOT / "standards")
YEAR = SHIPPED.current.year
BUNDLE = SHIPPED.current.bundle("dept")


def example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text("utf-8"))


def example_workspace(extra_roster: tuple = ("区另一局党组",)) -> dict:
    """The worked example as a workspace: its self-assessment, its supervision register, a roster."""
    own = example("self-assessment.json")
    register = example("supervision.json")
    roster = [{"name": own["organization"]["name"], "kind": own["organization"]["kind"]}]
    roster += [{"name": name, "kind": own["organization"]["kind"]} for name in extra_roster]
    return {"format": "gm-workspace/1", "year": YEAR, "roster": roster, "plan": {"selected": [roster[0]["name"]]},
            "assessments": [{"name": "自评.json", "hash": standards.content_hash(own), "assessment": own}],
            "supervision": register["records"], "reviews": [], "related": {}}


# Runs in the page: store a workspace with the page's own store module.
PUT_WORKSPACE = """async (text) => {
  const root = new URL(document.querySelector('script[src$="office-review.mjs"]').src);
  const store = await import(new URL("office-workspace.mjs", root).href);
  await store.saveWorkspace(JSON.parse(text));
}"""

GET_WORKSPACE = """async (year) => {
  const root = new URL(document.querySelector('script[src$="office-review.mjs"]').src);
  const store = await import(new URL("office-workspace.mjs", root).href);
  return JSON.stringify(await store.loadWorkspace(year));
}"""


def cpython_final(review: dict | None, assessment: dict | None, records=()) -> dict:
    """The final result CPython gives, as JSON values (what the page was sent)."""
    if review is not None:
        review = yearfiles.check_review(yearfiles.read(json.dumps(review, ensure_ascii=False), yearfiles.REVIEW), BUNDLE, assessment)
    return json.loads(json.dumps(evaluation.final_result(BUNDLE, assessment, review, list(records)), ensure_ascii=False, default=str))
