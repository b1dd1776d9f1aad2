"""The results application in CPython: a district of N organizations, and one change at a time.

Generates (seeded) a workspace of N reviewed organizations (site_tests/year_gen.py) with, for each,
3 persons with responsibility (one with a 容错 finding), a decision and 10 rectification items with
reports, acceptances and returns (site_tests/application_gen.py), then times medians of:
  proposals table      `application_view` end to end (JSON text in, JSON text out): every organization's
                       final result, proposals, decision state and open items
  rectification view   `rectification_view` end to end on a date (the page's summary: one row per
                       organization and the most overdue items; every item is still given its state)
  one decision         `application_add` of a decision change on the organization's slice, the
                       organization's view in the reply with its rows of both district tables (what
                       the page shows after one change; the page's save comes after it)
  one status change    `application_add` of an acceptance or return of a reported item, likewise

    .venv/bin/python bench/application_year.py [--orgs 1000] [--rounds 3] [--changes 30]

The issue's budget: the table and the view computed (and drawn: bench/application_page.py times the
page) in ≤ 2 s for 1000 organizations; one decision or status change shown in ≤ 50 ms (median).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from scorer import application_ops, browser  # noqa: E402
from bench.review_year import timed  # noqa: E402
from site_tests import application_gen, year_gen  # noqa: E402


def slice_of(ws: dict, name: str) -> dict:
    """The workspace restricted to one organization, as the page sends it for per-organization calls."""
    part = ws["application"]
    items = {i["id"] for i in part["items"] if i["organization"] == name}
    return {**ws, "roster": [r for r in ws["roster"] if r["name"] == name],
            "plan": {"selected": [n for n in ws["plan"]["selected"] if n == name]},
            "assessments": [a for a in ws["assessments"] if a["assessment"]["organization"]["name"] == name],
            "supervision": [r for r in ws["supervision"] if name in r["organizations"]],
            "reviews": [r for r in ws["reviews"] if r["organization"]["name"] == name],
            "related": {k: v for k, v in ws["related"].items() if k == name},
            "application": {k: ([e for e in v if e["item"] in items] if k == "events" else [e for e in v if e["organization"] == name])
                            for k, v in part.items()}}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--changes", type=int, default=30, help="decision and status changes timed one by one")
    args = parser.parse_args()
    bundles = application_gen.BUNDLES
    ws = year_gen.workspace(bundles, args.orgs, random.Random(2019))
    ws["application"] = application_gen.application_for(ws, random.Random(16), persons=3, items=10)
    text = json.dumps(ws, ensure_ascii=False)
    bundles_text = application_gen.BUNDLES_JSON
    part = ws["application"]

    def ok(reply):
        value = json.loads(reply)
        assert value["ok"], value["problems"][:3]
        return value["result"]

    def cold(function):
        """The operation on a workspace text not checked before (the checked-text cache emptied)."""
        def run():
            application_ops.forget()
            return function()
        return run

    figures = {
        "proposals table (application_view)": timed(cold(lambda: ok(browser.application_view(bundles_text, text))), args.rounds),
        "rectification view (rectification_view)": timed(cold(lambda: ok(browser.rectification_view(bundles_text, text, "2020-04-30"))), args.rounds),
        "rectification view right after the table (same text)": timed(lambda: ok(browser.rectification_view(bundles_text, text, "2020-04-30")), args.rounds),
    }
    rng = random.Random(7)
    decided = [d for d in part["decisions"]]
    decision_times, status_times = [], []
    for n in range(args.changes):
        d = rng.choice(decided)
        piece = slice_of(ws, d["organization"])
        entry = {"id": f"bench-d{n}", "organization": d["organization"], "kind": "change", "result_hash": d["result_hash"],
                 "outcome": "changed", "texts": {"organization": f"改为第 {n} 种表述"}, "date": "2020-03-01",
                 "meeting": "第 2 次会议", "reason": "复议", "recorded": "2020-03-01T10:00:00Z"}
        piece_text, entry_text = json.dumps(piece, ensure_ascii=False), json.dumps(entry, ensure_ascii=False)
        started = time.perf_counter()
        ok(browser.application_add(bundles_text, piece_text, "decisions", entry_text, "2020-03-01"))
        decision_times.append(time.perf_counter() - started)
        reported = [e for e in part["events"] if e["kind"] == "reported"
                    and not any(x["item"] == e["item"] and x["date"] > e["date"] for x in part["events"])]
        event = rng.choice(reported)
        owner = next(i["organization"] for i in part["items"] if i["id"] == event["item"])
        piece_text = json.dumps(slice_of(ws, owner), ensure_ascii=False)
        status = {"id": f"bench-s{n}", "item": event["item"], "kind": rng.choice(["accepted", "returned"]),
                  "date": "2020-04-01", "reason": "复核", "recorded": "2020-04-01T10:00:00Z"}
        started = time.perf_counter()
        ok(browser.application_add(bundles_text, piece_text, "events", json.dumps(status, ensure_ascii=False), "2020-04-01"))
        status_times.append(time.perf_counter() - started)
    figures["one decision change shown (median)"] = statistics.median(decision_times)
    figures["one status change shown (median)"] = statistics.median(status_times)
    print(f"{args.orgs} organizations: {len(part['persons'])} persons, {len(part['decisions'])} decisions, "
          f"{len(part['items'])} rectification items, {len(part['events'])} steps; workspace {len(text) / 1e6:.1f} MB")
    for name, seconds in figures.items():
        print(f"  {name:45s} {seconds * 1000:8.1f} ms")
    print(f"  p95 decision / status change                  {sorted(decision_times)[int(0.95 * len(decision_times))] * 1000:8.1f} / "
          f"{sorted(status_times)[int(0.95 * len(status_times))] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
