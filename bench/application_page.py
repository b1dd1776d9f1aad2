"""The results application pages in Chromium (issue #16): the proposals table (office/application/)
and the district rectification view (office/rectification/) computed by the scorer under Pyodide and
drawn, for a year's workspace of `--orgs` organizations (each reviewed, 3 persons with responsibility,
10 rectification items); and one change (a proposal's wording recorded for one organization) from the
submit to the organization's new view shown.

    .venv/bin/python bench/application_page.py [--orgs 1000] [--runs 3] [--changes 20] [--site DIR]

Builds the site (unless --site), serves it on 127.0.0.1, generates the workspace (seeded, with
site_tests/application_gen.py, the generator of the scorer's own tests), stores it with the page's own
store (office-workspace.mjs), then reads the pages' performance marks. Targets: table and view each
<= 2 s; one change shown <= 50 ms (median). Also prints CPython's time for the same operations.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from assess_page import ARGS, CHROMIUM, served_site  # noqa: E402 - bench/ is not a package
from site_tests import application_gen as gen  # noqa: E402

SEED = 2019
READY_MS = 600_000
AS_OF = "2020-06-30"

STORE = """async ([text]) => {
  const store = await import(new URL('../../assets/javascripts/office-workspace.mjs', location.href).href);
  await store.saveWorkspace(JSON.parse(text));
}"""

MARKS = """([start, end]) => new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => {
  const at = (name) => { const m = performance.getEntriesByName(name); return m.length ? m[m.length - 1].startTime : null; };
  resolve({start: at(start), end: at(end), frame: performance.now()});
}, 0)))"""

# One change: record a new wording of the organization's proposal; time from the submit to the new
# view shown (the page's marks) and the next frame.
CHANGE = """async (text) => {
  const root = document.getElementById("gm-office-application");
  const before = performance.getEntriesByName("gma-change-shown").length;
  const recorded = root.dataset.recorded;
  document.getElementById("gma-p-target").value = "organization";
  document.getElementById("gma-p-text").value = text;
  document.getElementById("gma-p-reason").value = "基准测试";
  const start = performance.now();
  document.getElementById("gma-form-proposal").requestSubmit();
  await new Promise((resolve) => { const poll = () => performance.getEntriesByName("gma-change-shown").length > before ? resolve() : setTimeout(poll, 1); poll(); });
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const shown = performance.now() - start;
  await new Promise((resolve) => { const poll = () => root.dataset.recorded !== recorded ? resolve() : setTimeout(poll, 5); poll(); });
  return shown;
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--site", type=Path)
    args = parser.parse_args()

    workspace = gen.reviewed(args.orgs, SEED)
    workspace["application"] = gen.application_for(workspace, random.Random(SEED), persons=3, items=10)
    text = json.dumps(workspace, ensure_ascii=False)
    part = workspace["application"]
    cpython = {}
    for name, call in (("application_view", lambda: gen.call("application_view", gen.BUNDLES_JSON, text)),
                       ("rectification_view", lambda: gen.call("rectification_view", gen.BUNDLES_JSON, text, AS_OF))):
        started = time.perf_counter()
        answer = call()
        cpython[name] = time.perf_counter() - started
        assert answer["ok"], answer["problems"][:3]
    first = next(p["organization"] for p in part["persons"])
    print(f"workspace: {args.orgs} organizations, {len(part['persons'])} persons, {len(part['items'])} rectification items, "
          f"{len(part['events'])} events, {len(text.encode()) / 1e6:.1f} MB; CPython application_view {cpython['application_view']:.2f} s, "
          f"rectification_view {cpython['rectification_view']:.2f} s")

    with served_site(args.site) as (_, url):
        table, view, changes = [], [], []
        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = chromium.new_context()
            page = context.new_page()
            page.goto(url + "office/application/")
            expect(page.get_by_test_id("scorer-status")).to_have_attribute("data-state", "ready", timeout=READY_MS)
            page.evaluate(STORE, [text])
            page.close()
            for run in range(args.runs):
                page = context.new_page()
                page.goto(url + "office/application/")
                expect(page.locator("#gm-office-application")).to_have_attribute("data-rendered", "1", timeout=READY_MS)
                marks = page.evaluate(MARKS, ["gma-table-start", "gma-table-rendered"])
                table.append((marks["frame"] - marks["start"]) / 1000)
                if run == 0:
                    page.get_by_test_id("org-select").select_option(first)
                    expect(page.locator("#gm-office-application")).to_have_attribute("data-org-rendered", "1", timeout=READY_MS)
                    for i in range(args.changes):
                        changes.append(page.evaluate(CHANGE, f"基准测试表述 {i}"))
                page.close()
                page = context.new_page()
                page.goto(url + "office/rectification/")
                expect(page.locator("#gm-office-rectification")).to_have_attribute("data-rendered", "1", timeout=READY_MS)
                marks = page.evaluate(MARKS, ["gmx-view-start", "gmx-view-rendered"])
                view.append((marks["frame"] - marks["start"]) / 1000)
                page.close()
                print(f"run {run + 1}: proposals table {table[-1]:.2f} s, rectification view {view[-1]:.2f} s")
            chromium.close()

    print(f"\nmedians, {args.orgs} organizations (load average {os.getloadavg()[0]:.1f}):")
    print(f"  proposals table computed and drawn   {statistics.median(table):6.2f} s   (target <= 2 s)")
    print(f"  rectification view computed and drawn {statistics.median(view):6.2f} s   (target <= 2 s)")
    if changes:
        ordered = sorted(changes)
        print(f"  one change shown ({len(changes)} changes)   median {statistics.median(changes):.1f} ms, "
              f"p95 {ordered[int(0.95 * (len(ordered) - 1))]:.1f} ms, max {ordered[-1]:.1f} ms   (target median <= 50 ms)")
    print(f"  CPython application_view {cpython['application_view']:.2f} s, rectification_view {cpython['rectification_view']:.2f} s")


if __name__ == "__main__":
    main()
