"""Lighthouse over four pages of the built site: its four category scores per page, as a table.

    .venv/bin/python bench/lighthouse.py [--site DIR] [--preset mobile|desktop] [--plain] [--runs N] [--keep DIR]

Builds the site (unless --site) and serves it on 127.0.0.1 gzip-compressed, as nginx with `gzip on` or
GitHub Pages serve it (--plain: python's http.server, uncompressed). Then runs the pinned npm
`lighthouse` (package.json devDependencies, installed by `make setup`) on Debian's Chromium, headless,
against the home page, the Measures (where article links such as /measures/#article-13 land), a
standard and the self-assessment form. Lighthouse's default is a mid-range phone on a throttled
(simulated) 4G link; --preset desktop uses its desktop settings. With --runs N the median of N runs is
shown. --keep DIR keeps each page's JSON report (open it in the Lighthouse viewer for the details).

Each category is printed as 0-100. Below the table: every audit that lost points in accessibility,
best practices or SEO, and the performance metrics, so a drop can be traced. This is a benchmark, not
a test: nothing here fails; the accessibility gates that fail the suite are site_tests/test_accessibility.py.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from assess_page import Gzipping, Quiet, served_site  # noqa: E402 - bench/ is not a package

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                # Chromium's own lookups of outside hosts fail at once instead of leaking out.
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift",
           "speed-index", "interactive")


def pages() -> list[tuple[str, str]]:
    sys.path.insert(0, str(ROOT))
    from scorer import tree

    year = tree.load(str(ROOT / "standards")).current.year
    return [("首页", ""), ("实施办法 (/measures/)", "measures/"), (f"标准 {year} dept", f"standards/{year}/dept/"),
            (f"自评 {year} dept", f"assess/{year}/dept/")]


def run(url: str, preset: str, out: Path) -> dict:
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={' '.join(CHROME_FLAGS)}"]
    if preset == "desktop":
        command.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0 or not out.is_file():
        raise SystemExit(f"lighthouse failed on {url} ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return json.loads(out.read_text("utf-8"))


def columns(text: str) -> int:
    """Terminal columns `text` takes (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def ljust(text: str, width: int) -> str:
    return text + " " * max(0, width - columns(text))


def score(value) -> str:
    return "—" if value is None else f"{round(value * 100)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one into a temporary folder)")
    parser.add_argument("--preset", choices=("mobile", "desktop"), default="mobile")
    parser.add_argument("--plain", action="store_true", help="serve without gzip (python's http.server)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="keep the JSON reports in this folder")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run `make setup` (npm ci installs the pinned lighthouse)")
    if not os.access(CHROMIUM, os.X_OK):
        raise SystemExit(f"{CHROMIUM} is missing: run `make browser`")

    with tempfile.TemporaryDirectory() as tmp, served_site(args.site, Quiet if args.plain else Gzipping) as (_, base):
        keep = args.keep or Path(tmp) / "reports"
        keep.mkdir(parents=True, exist_ok=True)
        rows, losses, metrics = [], {}, {}
        for name, path in pages():
            runs = []
            for n in range(args.runs):
                print(f"lighthouse {name} ({n + 1}/{args.runs})…", file=sys.stderr)
                slug = (path.strip("/").replace("/", "_") or "home")
                runs.append(run(base + path, args.preset, keep / f"{slug}-{n + 1}.json"))
            cells = []
            for category in CATEGORIES:
                values = [r["categories"][category]["score"] for r in runs]
                values = [v for v in values if v is not None]
                cells.append(score(statistics.median(values)) if values else "—")
            rows.append((name, cells))
            report = runs[-1]
            for category in CATEGORIES[1:]:
                for ref in report["categories"][category]["auditRefs"]:
                    audit = report["audits"][ref["id"]]
                    if ref["weight"] and audit.get("score") is not None and audit["score"] < 1:
                        losses.setdefault((category, ref["id"], audit["title"]), []).append(name)
            metrics[name] = {m: report["audits"][m].get("displayValue", "—") for m in METRICS}

    print(f"\nLighthouse 12 · {args.preset} · {'plain' if args.plain else 'gzip'} · "
          f"{'median of ' + str(args.runs) + ' runs' if args.runs > 1 else '1 run'} · {base}\n")
    width = max(columns(name) for name, _ in rows) + 2
    print(ljust("page", width) + "".join(c.rjust(16) for c in CATEGORIES))
    for name, cells in rows:
        print(ljust(name, width) + "".join(c.rjust(16) for c in cells))
    print("\nperformance metrics (last run):")
    for name, values in metrics.items():
        print(f"  {name}: " + ", ".join(f"{k} {v}" for k, v in values.items()))
    if losses:
        print("\naudits that lost points (accessibility, best practices, SEO):")
        for (category, audit_id, title), where in sorted(losses.items()):
            print(f"  {category} · {audit_id}: {title} — {', '.join(where)}")
    else:
        print("\nno audit lost points in accessibility, best practices or SEO.")


if __name__ == "__main__":
    main()
