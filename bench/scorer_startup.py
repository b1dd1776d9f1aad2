"""Time to first score in the browser, per start-up variant, cold and warm.

    .venv/bin/python bench/scorer_startup.py [--runs 5] [--site DIR]

Serves the built site (a fresh `mkdocs build` unless --site) on 127.0.0.1 and drives Debian's
Chromium: each run navigates to the home page, imports the scorer client, waits for `ready`, fetches
the 2019 dept bundle and scores one assessment; the figure is the page clock at that moment, i.e.
milliseconds from navigation start to the first score.

- cold: a fresh browser context per run (empty HTTP and code caches);
- warm: one persistent profile per variant, loaded once untimed, then each run is a new page in it.
Each load starts from an open tab in an idle browser (assess_page.settle says why).
Variants and conditions are interleaved run by run, because run-to-run spread (±0.4 s) is larger
than some differences. `python -m http.server` does not compress: transfer sizes are listed raw and
gzipped for hosts that do.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import tempfile
import uuid
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from assess_page import ARGS, CHROMIUM, served_site, settle  # noqa: E402 - bench/ is not a package

VARIANTS = {"stock": "stock", "stdlib": "stdlib", "fast": None}  # name -> client mode option
LABELS = {"stock": "stock loadPyodide", "stdlib": "precompiled stdlib (.pyc zip)",
          "fast": "snapshot + start-up stdlib (trimmed .pyc zip)"}

FIRST_SCORE = """async (mode) => {
  const { startScorer } = await import("/assets/javascripts/scorer-client.mjs");
  const scorer = startScorer(mode ? {mode} : {});
  const ready = await scorer.ready;
  const bundle = await scorer.fetchBundle(2019, "dept");
  const answer = {format: "gm-assessment/1", standard: "dept", year: 2019, standard_hash: JSON.parse(bundle).hash,
                  organization: {name: "基准"}, items: {"POL-01a": [{date: "2019-03-01", count: 2}]}};
  const scored = await scorer.call("score", bundle, answer);
  const at = performance.now();
  if (!scored.ok) throw new Error(JSON.stringify(scored));
  scorer.terminate();
  return {ms: at, mode: ready.mode, fallback: ready.fallback};
}"""


def first_score(page, url: str, variant: str, tags: list[str]) -> float:
    settle(tags)
    page.goto(url)
    result = page.evaluate(FIRST_SCORE, VARIANTS[variant])
    expected = {"stock": "stock", "stdlib": "stdlib", "fast": "snapshot"}[variant]
    if result["mode"] != expected:
        raise SystemExit(f"{variant}: started as {result['mode']} ({result['fallback']})")
    return result["ms"]


def sizes(site: Path) -> list[tuple[str, int, int]]:
    manifest = json.loads((site / "assets/wheels/manifest.json").read_text("utf-8"))
    runtime = site / "assets/pyodide"
    files = {"pyodide.asm.wasm": runtime / "pyodide.asm.wasm", "pyodide.asm.mjs": runtime / "pyodide.asm.mjs",
             "python_stdlib.zip (stock)": runtime / "python_stdlib.zip", "scorer wheel": site / "assets/wheels" / manifest["scorer"]}
    if "startup" in manifest:
        files["start-up stdlib .pyc zip (fast)"] = runtime / "startup" / manifest["startup"]["stdlib"]["file"]
        files["full stdlib .pyc zip (mode=stdlib; rescue only)"] = runtime / "startup" / manifest["startup"]["stdlib_full"]["file"]
        files["snapshot (gzip)"] = runtime / "startup" / manifest["startup"]["snapshot"]["file"]
    return [(name, path.stat().st_size, len(gzip.compress(path.read_bytes(), 6))) for name, path in files.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--site", type=Path, help="an already built site (default: build one now)")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="gm-bench-") as scratch, served_site(options.site) as (site, url):
        results = {(v, c): [] for v in VARIANTS for c in ("cold", "warm")}
        tags = [f"--gm-bench={uuid.uuid4().hex}" for _ in range(1 + len(VARIANTS))]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS + [tags[0]])
            warm = {}
            for variant, tag in zip(VARIANTS, tags[1:]):  # one profile per variant, primed once (untimed)
                warm[variant] = p.chromium.launch_persistent_context(
                    str(Path(scratch) / f"profile-{variant}"), executable_path=CHROMIUM, args=ARGS + [tag])
                page = warm[variant].new_page()
                first_score(page, url, variant, tags)
                page.close()
            for run in range(options.runs):
                order = list(VARIANTS) if run % 2 == 0 else list(reversed(VARIANTS))
                for variant in order:
                    context = browser.new_context()
                    results[(variant, "cold")].append(first_score(context.new_page(), url, variant, tags))
                    context.close()
                    page = warm[variant].new_page()
                    results[(variant, "warm")].append(first_score(page, url, variant, tags))
                    page.close()
                print(f"run {run + 1}/{options.runs} done", file=sys.stderr)
            for context in warm.values():
                context.close()
            browser.close()
            version = browser.version

        print(f"\nTime to first score (ms from navigation), {options.runs} runs each, Chromium {version}, "
              f"loopback, {len(os.sched_getaffinity(0))} CPUs, load average {os.getloadavg()[0]:.1f}")
        # The minimum too: on a shared machine other work only ever adds time, so it is the steadier figure.
        print("| variant | cold median | warm median | cold min | warm min | cold runs | warm runs |\n|---|---|---|---|---|---|---|")
        for variant in VARIANTS:
            cold, warm_runs = results[(variant, "cold")], results[(variant, "warm")]
            print(f"| {LABELS[variant]} | {statistics.median(cold):.0f} | {statistics.median(warm_runs):.0f} | "
                  f"{min(cold):.0f} | {min(warm_runs):.0f} | "
                  f"{' '.join(f'{x:.0f}' for x in cold)} | {' '.join(f'{x:.0f}' for x in warm_runs)} |")
        print("\n| file | bytes | gzip -6 |\n|---|---|---|")
        for name, raw, packed in sizes(site):
            print(f"| {name} | {raw:,} | {packed:,} |")


if __name__ == "__main__":
    main()
