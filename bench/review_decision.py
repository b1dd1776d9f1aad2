"""One review decision changed on the review screen (office/review/) in Chromium: from the click to
the final result rescored by the scorer and shown, and the next frame painted.

    .venv/bin/python bench/review_decision.py [--changes 100] [--occurrences 20] [--records 20] [--site DIR]

Builds the site (unless --site), serves it on 127.0.0.1, puts a generated workspace into the page's
IndexedDB with the page's own store (office-workspace.mjs): one organization with a self-assessment
of `--occurrences` occurrences (seeded, over the current year's dept standard) and `--records`
supervision records naming it. Opens its review, gives every declared occurrence a reason, then
switches one occurrence at a time between 认定 and 不予认定 (each a valid review) `--changes` times,
timing in the page's own clock from the click to the first frame after the new result is shown.
Prints the median, p95 and max; the issue's target is a median of at most 50 ms. Also prints the same
`final_result` in CPython, so the figure splits roughly into Python and the rest.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from assess_page import ARGS, CHROMIUM, served_site  # noqa: E402 - bench/ is not a package
from scorer import assessment, standards, tree  # noqa: E402
from scorer.items import walk_bundle  # noqa: E402
from scorer.model import Bundle  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEED = 2019
READY_MS = 120_000
NAME = "区基准测试局党组"

# In the page: click one radio, wait for the page to say it rendered a newer result, then a frame.
CHANGE = """async ([row, value]) => {
  const root = document.getElementById("gm-review");
  const before = root.dataset.renders;
  const radio = document.querySelectorAll("#gmr-declared > li.gmr-row")[row].querySelector(`input[value="${value}"]`);
  const start = performance.now();
  const shown = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (root.dataset.renders !== before) { observer.disconnect(); resolve(); }
    });
    observer.observe(root, { attributes: true, attributeFilter: ["data-renders"] });
  });
  radio.click();
  await shown;
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return performance.now() - start;
}"""

PUT = """async (text) => {
  const src = document.querySelector('script[src$="office-review.mjs"]').src;
  const store = await import(new URL("office-workspace.mjs", src).href);
  await store.saveWorkspace(JSON.parse(text));
}"""


def generate(bundle, occurrences: int, records: int) -> tuple[dict, dict]:
    """(workspace, the self-assessment): seeded occurrences over the standard's deduction items."""
    rng = random.Random(SEED)
    year = bundle.year.year
    ids = [e.id for e in walk_bundle(bundle) if e.kind == "deduction"]
    own = assessment.empty(bundle, organization=NAME)
    own["organization"]["kind"] = bundle.standard.organization_kinds[0]
    for _ in range(occurrences):
        own["items"].setdefault(rng.choice(ids), []).append(
            {"date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "count": 1, "note": "基准测试"})
    sources = [s.id for s in bundle.year.evaluation.sources]
    register = [{"id": f"sup-{i:04d}", "organizations": [NAME], "item": rng.choice(ids),
                 "date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "count": 1,
                 "source": rng.choice(sources), "note": "基准测试"} for i in range(records)]
    workspace = {"format": "gm-workspace/1", "year": year, "roster": [{"name": NAME}], "plan": {"selected": [NAME]},
                 "assessments": [{"name": "自评.json", "hash": standards.content_hash(own), "assessment": own}],
                 "supervision": register, "reviews": [], "related": {}}
    return workspace, own


def cpython_figure(bundle_text: str, own: dict, changes: int) -> float:
    """Median ms of the same `final_result` operation in CPython (JSON texts in and out, as the worker
    runs it), on the same organization with every occurrence decided 认定."""
    from scorer import year_ops

    bundle = Bundle.from_json(json.loads(bundle_text))
    review = {"format": "gm-review/1", "id": "bench", "year": bundle.year.year, "standard": "dept",
              "standard_hash": bundle.hash, "rules_hash": standards.rules_hash(bundle.year), "organization": own["organization"],
              "assessment_hash": standards.content_hash(own),
              "decisions": [{"item": k, "index": i, "decision": "confirm"} for k, v in own["items"].items() for i in range(len(v))],
              "additions": []}
    texts = (bundle_text, json.dumps(own, ensure_ascii=False), json.dumps(review, ensure_ascii=False), "[]")
    assert json.loads(year_ops.final_result(*texts))["ok"]
    times = []
    for _ in range(changes):
        start = time.perf_counter()
        year_ops.final_result(*texts)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument("--occurrences", type=int, default=20)
    parser.add_argument("--records", type=int, default=20)
    parser.add_argument("--site", type=Path)
    args = parser.parse_args()
    bundle = tree.load(ROOT / "standards").current.bundle("dept")
    workspace, own = generate(bundle, args.occurrences, args.records)
    with served_site(args.site) as (site, base):
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(base + "office/review/")
            page.evaluate(PUT, json.dumps(workspace, ensure_ascii=False))
            page.reload()
            page.wait_for_selector('[data-testid="scorer-status"][data-state="ready"]', timeout=READY_MS)
            page.select_option("#gmr-org", NAME)
            page.click('[data-testid="open-review"]')
            page.wait_for_selector('#gm-review[data-renders="1"]', timeout=READY_MS)
            page.evaluate("""() => document.querySelectorAll('#gmr-declared [data-field="reason"]')
                             .forEach((t) => { t.value = "基准测试理由"; })""")
            rows = page.locator("#gmr-declared > li.gmr-row").count()
            times = []
            for i in range(args.changes):
                row = i % rows
                value = "reject" if (i // rows) % 2 == 0 else "confirm"
                times.append(page.evaluate(CHANGE, [row, value]))
            state = page.locator("#gmr-result").get_attribute("data-state")
            browser.close()
        figure = cpython_figure((site / "data" / str(bundle.year.year) / "dept.json").read_text("utf-8"), own, args.changes)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(f"review decision change, {args.occurrences} occurrences, {args.records} supervision records, "
          f"{args.changes} changes: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms "
          f"(last result state: {state}; target: median <= 50 ms)")
    print(f"CPython, the same final_result operation alone: median {figure:.2f} ms")
    print(f"load average: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")


if __name__ == "__main__":
    main()
