"""Importing many self-assessments on the office page (office/) in Chromium: from `set_input_files`
to the table drawn.

    .venv/bin/python bench/office_import.py [--files 1000] [--runs 3] [--site DIR] [--no-profile]

Builds the site (unless --site), serves it on 127.0.0.1 and generates the files (seeded: blank
assessments over the current year's standards with random items, as the office would receive them).
Each run opens the page in a fresh context, waits until the scorer is ready and idle (the page's
warm-up, which fetches the current year's bundles and has the scorer check them, is done), then times
`set_input_files` until the table, the distribution and the heatmap are drawn and the next frame is
painted; then adds a second batch of 50 new files (all 1,050 go to the scorer again; it scores only
the new ones). Medians of the runs are printed with the page's own breakdown:

    read       every file's bytes read (base64 for the worker)
    bundles    fetching the site's published bundles (once; later batches reuse them)
    collect    the `collect` round trip: the new files' bytes and the held texts to the worker, decoded,
               checked and scored by Python under Pyodide, JSON back
    table / distribution / heatmap   building the DOM
    to frame   from the DOM built to the next frame (style, layout, paint)

Profile (unless --no-profile): the same `collect` on the same files in Pyodide under Node (Python
alone, no worker, no transfer; after one untimed warm run, and with the scorer's per-file results
forgotten before each run) and in CPython, so the round trip splits roughly into Python and the rest.
This machine is shared: the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from assess_page import ARGS, CHROMIUM, built_site, served_site  # noqa: E402 - bench/ is not a package
from scorer import assessment, collect, tree  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEED = 2019
MORE = 50  # the second batch
READY_MS = 120_000

# In the page, before the files are set: note the input's change event and the first frame painted
# after the page says it rendered (data-renders), in the page's own clock.
WATCH = """() => {
  const root = document.getElementById("gm-office");
  const input = document.querySelector('[data-testid="office-files"]');
  window.__bench = {};
  input.addEventListener("change", () => { window.__bench.change = performance.now(); }, { once: true });
  window.__bench.done = new Promise((resolve) => {
    const seen = root.dataset.renders || "";
    new MutationObserver((_, observer) => {
      if ((root.dataset.renders || "") === seen) return;
      observer.disconnect();
      window.__bench.rendered = performance.now();
      requestAnimationFrame(() => setTimeout(() => { window.__bench.painted = performance.now(); resolve(); }, 0));
    }).observe(root, { attributes: true, attributeFilter: ["data-renders"] });
  });
}"""

NODE_COLLECT = """
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
const [site, filesPath, bundlesPath, runs] = process.argv.slice(2);
const manifest = JSON.parse(fs.readFileSync(path.join(site, "assets/wheels/manifest.json"), "utf8"));
const dir = path.join(site, "assets/pyodide");
const { loadPyodide } = await import(pathToFileURL(path.join(dir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: dir + path.sep, stdout: () => {} });
const sitePackages = pyodide.pyimport("sys").path.toJs().find((p) => p.endsWith("site-packages"));
pyodide.unpackArchive(new Uint8Array(fs.readFileSync(path.join(site, "assets/wheels", manifest.scorer))), "wheel", { extractDir: sitePackages });
const api = pyodide.pyimport("scorer.browser");
const files = fs.readFileSync(filesPath, "utf8");
const bundles = fs.readFileSync(bundlesPath, "utf8");
const forget = () => pyodide.runPython("import scorer.browser as b; b._COLLECTED['files'].clear()");
api.collect(bundles, files); // warm: bundles checked, modules imported, the interpreter compiled to fast code
const times = [];
for (let i = 0; i < Number(runs); i++) {
  forget(); // every run scores every file (the scorer keeps results between calls)
  const start = performance.now();
  const answer = JSON.parse(api.collect(bundles, files));
  times.push(performance.now() - start);
  if (!answer.ok) throw new Error(JSON.stringify(answer.problems));
}
process.stdout.write(JSON.stringify(times));
"""


def generate(n: int, bundles: list) -> list:
    rng = random.Random(SEED)
    out = []
    for i in range(n):
        bundle = bundles[i % len(bundles)]
        value = assessment.empty(bundle, organization=f"光明区党组织{i:04d}")
        value["organization"]["kind"] = rng.choice(bundle["standard"]["organization_kinds"])
        value["assessor"] = {"name": "自评人", "date": f"{bundle['year']['year']}-12-{rng.randint(1, 28):02d}"}
        ids = sorted(assessment.item_ids(bundle))
        for item_id in rng.sample(ids, rng.randint(0, 15)):
            value["items"][item_id] = [{"date": f"{bundle['year']['year']}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                                        "count": rng.choice([1, 1, 2, 3]), "note": "基准测试"}
                                       for _ in range(rng.randint(1, 2))]
        out.append((f"自评_{i:04d}.json", json.dumps(value, ensure_ascii=False, indent=2)))
    return out


def browser_runs(url: str, files: list, runs: int, extra: list) -> list:
    payloads = [{"name": n, "mimeType": "application/json", "buffer": t.encode("utf-8")} for n, t in files]
    more = [{"name": n, "mimeType": "application/json", "buffer": t.encode("utf-8")} for n, t in extra]
    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(url + "office/")
            page.wait_for_selector('#gm-office [data-testid="scorer-status"][data-state="ready"]', timeout=READY_MS)
            page.wait_for_selector('#gm-office[data-warm="done"]', state="attached", timeout=READY_MS)
            page.evaluate(WATCH)
            start = time.perf_counter()
            page.set_input_files('[data-testid="office-files"]', payloads)
            page.evaluate("window.__bench.done")
            wall = time.perf_counter() - start
            marks = page.evaluate("window.__bench")
            timings = json.loads(page.eval_on_selector("#gm-office", "e => e.dataset.timings"))
            rows = int(page.eval_on_selector("#gm-office", "e => e.dataset.rows"))
            assert rows == len(files), f"{rows} rows for {len(files)} files"
            entry = {"wall": wall * 1000, "page": marks["painted"] - marks["change"],
                     "to frame": marks["painted"] - marks["rendered"], **timings}
            # A second batch: every file goes to the scorer again, only the new ones are scored.
            page.evaluate(WATCH)
            start = time.perf_counter()
            page.set_input_files('[data-testid="office-files"]', more)
            page.evaluate("window.__bench.done")
            entry["more"] = (time.perf_counter() - start) * 1000
            entry["more collect"] = json.loads(page.eval_on_selector("#gm-office", "e => e.dataset.timings"))["collect"]
            results.append(entry)
            context.close()
        browser.close()
    return results


def node_collect(site: Path, files: list, bundles: list, runs: int) -> list:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "collect.mjs").write_text(NODE_COLLECT, encoding="utf-8")
        (tmp / "files.json").write_text(json.dumps([{"name": n, "text": t} for n, t in files], ensure_ascii=False), "utf-8")
        (tmp / "bundles.json").write_text(json.dumps(bundles, ensure_ascii=False), "utf-8")
        done = subprocess.run(["node", str(tmp / "collect.mjs"), str(site), str(tmp / "files.json"), str(tmp / "bundles.json"), str(runs)],
                              capture_output=True, text=True, timeout=600)
        if done.returncode:
            raise RuntimeError(done.stderr)
        return json.loads(done.stdout)


def cpython_collect(files: list, bundles: list, runs: int) -> list:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        collect.collect(bundles, files)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", type=Path, help="a built site (default: build one)")
    parser.add_argument("--no-profile", action="store_true", help="skip the Node and CPython timings of collect")
    args = parser.parse_args()

    year = tree.load(str(ROOT / "standards")).current
    bundles = [year.bundle(s).to_json() for s in year.standards]
    everything = generate(args.files + MORE, bundles)
    files, extra = everything[:args.files], everything[args.files:]
    size = sum(len(t.encode("utf-8")) for _, t in files)
    with built_site(args.site) as site:
        with served_site(site) as (_, url):
            load_before = os.getloadavg()
            runs = browser_runs(url, files, args.runs, extra)
        load_after = os.getloadavg()
        profile = None
        if not args.no_profile:
            profile = {"Pyodide (Node), Python alone": node_collect(site, files, bundles, args.runs),
                       "CPython": cpython_collect(files, bundles, args.runs)}

    print(f"\nImporting {args.files} assessment files ({size / 1e6:.2f} MB) on office/, {args.runs} runs, "
          f"Chromium headless, {os.cpu_count()} CPUs; load average {load_before[0]:.1f} before, {load_after[0]:.1f} after.\n")
    columns = ["wall", "page", "read", "bundles", "collect", "render_table", "render_distribution", "render_heatmap", "to frame",
               "more", "more collect"]
    labels = {"wall": "set_input_files → painted", "page": "change event → painted", "read": "read files",
              "bundles": "fetch bundles", "collect": "collect round trip", "render_table": "table DOM",
              "render_distribution": "distribution DOM", "render_heatmap": "heatmap DOM", "to frame": "DOM → next frame",
              "more": f"then {MORE} more: set_input_files → painted", "more collect": f"then {MORE} more: collect round trip"}
    width = max(len(v) for v in labels.values())
    print(f"{'':{width}}  " + "  ".join(f"run {i + 1:>2}" for i in range(len(runs))) + "   median")
    for key in columns:
        values = [r.get(key, 0) for r in runs]
        print(f"{labels[key]:{width}}  " + "  ".join(f"{v:6.0f}" for v in values) + f"   {statistics.median(values):6.0f} ms")
    if profile:
        print()
        for label, values in profile.items():
            print(f"collect, {label}: " + ", ".join(f"{v:.0f}" for v in values) + f" ms (median {statistics.median(values):.0f} ms)")
        transfer = statistics.median(r["collect"] for r in runs) - statistics.median(profile["Pyodide (Node), Python alone"])
        print(f"round trip minus Python alone (transfer, JSON, worker messaging; noisy): {transfer:.0f} ms")
    median = statistics.median(r["wall"] for r in runs)
    print(f"\nmedian set_input_files → table drawn: {median / 1000:.2f} s (target: under 3 s)")


if __name__ == "__main__":
    main()
