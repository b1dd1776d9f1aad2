"""The year-end evaluation in CPython: a district of N organizations, and one organization at a time.

Generates (seeded) a workspace of N organizations, each with a self-assessment, about 20 supervision
records concerning it and a review with every kind of decision (site_tests/year_gen.py), then times,
over several rounds, medians of:
  read + check   the workspace's text through `yearfiles.read` and `check_workspace`, as `workspace_read`
  district       every organization's status and final result (`workspace.district`), first with no
                 self-assessment scored yet (a page's first load), then again (scores remembered)
  operation      `workspace_results` end to end (JSON text in, JSON text out) with the text checked in
                 full, `workspace_open` (read + check + district in one pass) from cold, and what a
                 page does on open: `workspace_stamp` vouching for the stored text by its check stamp
                 (scorer/stamps.py), then `results_view`, no self-assessment scored yet
  one decision   `final_result` for one organization after one changed decision (JSON in and out)

    .venv/bin/python bench/review_year.py [--orgs 1000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from scorer import browser, stamps, tree, workspace, yearfiles  # noqa: E402
from site_tests import year_gen  # noqa: E402


def timed(function, rounds):
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--decisions", type=int, default=50, help="decision changes timed one by one")
    args = parser.parse_args()
    year = tree.load("standards").year(2019)
    bundles = {sid: year.bundle(sid) for sid in year.standards}
    ws = year_gen.workspace(bundles, args.orgs, random.Random(2019))
    text = json.dumps(ws, ensure_ascii=False)
    bundles_text = json.dumps([b.to_json() for b in bundles.values()], ensure_ascii=False)
    records = len(ws["supervision"])
    per_org = sum(len(r["organizations"]) for r in ws["supervision"]) / args.orgs

    def read_check():
        yearfiles.check_workspace(yearfiles.read(text, yearfiles.WORKSPACE), bundles)

    def cold(function):
        """As on a page's first load: no self-assessment scored yet."""
        from scorer import evaluation
        evaluation._SELF.clear()
        function()

    checked = yearfiles.check_workspace(yearfiles.read(text, yearfiles.WORKSPACE), bundles)
    stamp = json.loads(browser.workspace_read(bundles_text, text))["result"]["stamp"]
    figures = {
        "read + check": timed(read_check, args.rounds),
        "district, first (cold)": timed(lambda: cold(lambda: workspace.district(checked, bundles)), args.rounds),
        "district (final results of all)": timed(lambda: workspace.district(checked, bundles), args.rounds),
        "workspace_results, checked in full": timed(lambda: (stamps.forget(), browser.workspace_results(bundles_text, text)),
                                                    args.rounds),
        "workspace_open operation, cold": timed(lambda: cold(lambda: (stamps.forget(), browser.workspace_open(bundles_text, text))),
                                                args.rounds),
        # What a page does on open (office-year.mjs): the stored text vouched for by its stamp, then the view.
        "page open: stamp + results_view, cold": timed(lambda: cold(lambda: (
            stamps.forget(), browser.workspace_stamp(bundles_text, text, json.dumps(stamp)),
            browser.results_view(bundles_text, text))), args.rounds),
    }
    rng = random.Random(7)
    review = next(r for r in ws["reviews"] if r["decisions"])
    assessment = next(e["assessment"] for e in ws["assessments"] if e["hash"] == review["assessment_hash"])
    bundle_text = json.dumps(bundles[review["standard"]].to_json(), ensure_ascii=False)
    a_text = json.dumps(assessment, ensure_ascii=False)
    times = []
    for _ in range(args.decisions):
        changed = copy.deepcopy(review)
        d = rng.choice(changed["decisions"])
        d.clear()
        first = next(iter(assessment["items"]))
        d.update({"item": first, "index": 0, "decision": rng.choice(["confirm", "reject", "adjust"])})
        if d["decision"] != "confirm":
            d["reason"] = "复核"
        if d["decision"] == "adjust":
            d["count"] = rng.randint(1, 5)
        changed["decisions"] = [x for i, x in enumerate(changed["decisions"])
                                if x is d or (x["item"], x["index"]) != (first, 0)]
        r_text = json.dumps(changed, ensure_ascii=False)
        started = time.perf_counter()
        reply = json.loads(browser.final_result(bundle_text, a_text, r_text, "[]"))
        times.append(time.perf_counter() - started)
        assert reply["ok"], reply
    print(f"Python {sys.version.split()[0]}, {args.orgs} organizations, {records} supervision records "
          f"({per_org:.0f} per organization), workspace {len(text.encode()) / 1e6:.1f} MB, {args.rounds} rounds, medians")
    print(f"{'figure':<36} {'seconds':>8}")
    for name, seconds in figures.items():
        print(f"{name:<36} {seconds:>8.3f}")
    times.sort()
    print(f"{'one decision changed (final_result)':<36} {statistics.median(times) * 1000:>6.1f} ms  "
          f"(p95 {times[int(len(times) * 0.95) - 1] * 1000:.1f} ms, {len(times)} changes)")


if __name__ == "__main__":
    main()
