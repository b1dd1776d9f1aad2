"""Site build time and size against the number of published years.

Generates synthetic standards trees with 1, 5 and 20 years from `standards/` (each later year changes
one indicator's assessment method in one standard and says so in `changes`, so validation passes as
it would for real revisions), builds each with `PORTAL_STANDARDS=<tree> mkdocs build` into a
temporary folder, several times, and prints medians:

    .venv/bin/python bench/build_years.py [--years 1 5 20] [--rounds 3] [--keep DIR]

Numbers only, no assertions. Build times include everything `make build` does after validation
(pages, search index with jieba, Pyodide vendoring, the scorer wheel, published data). One untimed
build comes first: it fills .cache/ with the start-up artifacts (regenerated in Node whenever
scorer/ changes, ~40 s), which later builds reuse, as on a developer's machine. Run it on a quiet
machine and a work tree nobody is editing: both show in the spread between rounds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scorer import tree as tree_module  # noqa: E402

FIRST_YEAR = 2019
CHECK = "、实地抽查"  # appended to (or removed from) an indicator's method, year by year


def _dump(value, path: Path, comment: str) -> None:
    text = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(f"# {comment}\n{text}", encoding="utf-8")


def make_tree(source: Path, out: Path, years: int) -> Path:
    """`years` consecutive published years from `source`'s first year, each a plausible revision."""
    shutil.copytree(source, out)
    base = out / str(FIRST_YEAR)
    if not base.is_dir():
        raise SystemExit(f"{source} has no {FIRST_YEAR}/ to start from")
    previous = base
    for offset in range(1, years):
        number = FIRST_YEAR + offset
        folder = out / str(number)
        shutil.copytree(previous, folder)
        settings = yaml.safe_load((folder / "year.yaml").read_text("utf-8"))
        names = sorted(p.stem for p in folder.glob("*.yaml") if p.stem != "year")
        name = names[offset % len(names)]
        standard = yaml.safe_load((folder / f"{name}.yaml").read_text("utf-8"))
        indicators = [i for area in standard["areas"] for i in area["indicators"]]
        indicator = indicators[(offset // len(names)) % len(indicators)]
        if indicator["method"].endswith(CHECK):
            indicator["method"] = indicator["method"][: -len(CHECK)]
            why = "实地抽查改由专项检查覆盖"
        else:
            indicator["method"] += CHECK
            why = "上年度评议发现台账与实际不符"
        settings.update(year=number, status="published", changes=[
            f"{standard['short_title']}：{indicator['id']}（{indicator['title']}）考核方法调整为“{indicator['method']}”（{why}）"])
        _dump(settings, folder / "year.yaml", f"{number} 年度设置（基准测试生成）")
        _dump(standard, folder / f"{name}.yaml", f"{number} 年度（基准测试生成）")
        previous = folder
    # Validated as an editor's push would be: the CLI, with every problem listed.
    checked = subprocess.run([sys.executable, "-m", "scorer", "validate", str(out)], cwd=ROOT,
                             capture_output=True, text=True)
    if checked.returncode != 0:
        raise SystemExit(f"generated tree does not validate:\n{checked.stdout}{checked.stderr}")
    loaded = tree_module.load(str(out))
    if len(loaded.years) != years:
        raise SystemExit(f"expected {years} years, loaded {len(loaded.years)}")
    return out


def build(tree: Path, site: Path) -> float:
    if site.exists():
        shutil.rmtree(site)
    env = dict(os.environ, PORTAL_STANDARDS=str(tree), NO_MKDOCS_2_WARNING="1")
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"build of {tree} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return elapsed


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, nargs="+", default=[1, 5, 20])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--source", type=Path, default=ROOT / "standards")
    parser.add_argument("--keep", type=Path, help="keep the generated trees and sites here")
    args = parser.parse_args(argv)

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="gm-build-years-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        build(make_tree(args.source, work / "warm-up", 1), work / "warm-up-site")
        for years in args.years:
            tree = make_tree(args.source, work / f"standards-{years}", years)
            site = work / f"site-{years}"
            times = []
            for round_ in range(args.rounds):
                times.append(build(tree, site))
                print(f"  {years:>2} years, round {round_ + 1}: {times[-1]:.1f} s", file=sys.stderr, flush=True)
            pages = sum(1 for _ in site.rglob("*.html"))
            rows.append((years, statistics.median(times), min(times), max(times), size_of(site),
                         (site / "search" / "search_index.json").stat().st_size, size_of(site / "data"), pages))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    base_years, base_time = rows[0][0], rows[0][1]
    print(f"\nsite build vs published years (median of {args.rounds}; {os.cpu_count()} cores)\n")
    print("| years | build s (min–max) | s per extra year | pages | site MB | search index KB | data/ KB |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for years, seconds, low, high, site_bytes, index_bytes, data_bytes, pages in rows:
        extra = f"{(seconds - base_time) / (years - base_years):.2f}" if years > base_years else "–"
        print(f"| {years} | {seconds:.1f} ({low:.1f}–{high:.1f}) | {extra} | {pages} | {site_bytes / 1e6:.1f} "
              f"| {index_bytes / 1e3:.0f} | {data_bytes / 1e3:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
