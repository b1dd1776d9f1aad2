"""The portal's build, in order: the one place that says which step runs when, and why then.

An engine (MkDocs 1.6, ProperDocs, …) renders the Markdown pages; everything the portal adds is a
step here, plain Python called by the build plugin (sitebuild/plugin.py) and callable without any
engine: `run(Build(root, site, tree))` on a folder of rendered pages finishes it into the site.

While the engine renders (the plugin calls these at the engine's events, in this order):
    configure   load the standards tree once (portal.data); the nav's standards section
                (pages.with_section); Material's search indexes tables row by row
                (theme_search.install_table_parser), before any page is indexed
    files       the generated year, standard and self-assessment pages (pages.generated_pages)
    each page   the search dialog gets its accessible name (theme_a11y.name_search_dialog)

After the engine has written every page (STEPS, in order):
    runtime     Pyodide, the scorer wheel, start-up artifacts; assets/wheels/manifest.json
    xlsxwriter  XlsxWriter's wheel, named in that manifest: after runtime
    data        data/: every year's standards, the Measures, the JSON Schemas
    search      the Chinese-search patches to Material's worker and bundle (the search engine's one
                step: replacing the search replaces this step and install_table_parser)
    csp         the Content-Security-Policy in every page, hashing the final HTML's inline scripts:
                after every step that writes a page, before offline
    offline     assets/build.json and sw.js, with a revision of every precached file: last, since
                it must see every file as published

The state of one build lives on a `Build` object, made afresh for every build; no module here keeps
anything between calls.

`python -m sitebuild.build --site DIR` runs STEPS on a folder an engine has rendered without this
plugin (one that runs no MkDocs plugins, say): every step is idempotent, so running it again on a
finished site changes nothing.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

from portal import data
from scorer.errors import InvalidInput

from . import csp, offline, publish, runtime, theme_search
from .errors import BuildError


@dataclass
class Build:
    """One build: where the project and the output are, the standards it reads, what was done."""

    root: Path          # the project folder (holds mkdocs.yml, scorer/, node_modules/, .cache/)
    site: Path          # the engine's output folder
    tree: object        # the standards tree (scorer.tree.Tree) every step and page reads
    serving: bool = False    # a development server (`mkdocs serve`): live reload is an inline script,
                             # so pages get no Content-Security-Policy there
    search_fixes: bool = True  # the Chinese-search patches to Material (plugin config `search_fixes`)
    done: dict = field(default_factory=dict)  # step name -> what it reports (for the log and tests)


def step_runtime(build: Build):
    manifest = runtime.vendor_runtime(build.root, build.site, build.tree)
    return f"Pyodide {manifest['pyodide']}, {manifest['scorer']}, start-up: {'fast' if 'startup' in manifest else 'stock'}"


def step_xlsxwriter(build: Build):
    return f"XlsxWriter {runtime.vendor_xlsxwriter(build.site, build.root)['version']}"


def step_data(build: Build):
    index = publish.publish_bundles(build.tree, build.site)
    return f"{sum(len(year['standards']) for year in index['years'])} standards in {len(index['years'])} years"


def step_search(build: Build):
    if not build.search_fixes:
        return "off"
    return ", ".join(path.name for path in (theme_search.fix_worker(build.site), theme_search.fix_bundle(build.site)))


def step_csp(build: Build):
    if build.serving:
        return "off under a development server (live reload is an inline script)"
    value, pages = csp.add_meta(build.site)
    return f"{pages} pages, {value.count(chr(39) + 'sha256-')} inline-script hashes"


def step_offline(build: Build):
    info = offline.write_offline(build.site)
    return f"build {info['version']}, {info['files']} files, {info['bytes'] / 1e6:.1f} MB"


STEPS = (
    ("runtime", step_runtime),
    ("xlsxwriter", step_xlsxwriter),
    ("data", step_data),
    ("search", step_search),
    ("csp", step_csp),
    ("offline", step_offline),
)


def run(build: Build, log=None) -> dict:
    """Every step of STEPS on `build`, in order; returns {step: report}. A step raises BuildError
    (sitebuild/errors.py) when the build cannot go on."""
    for name, step in STEPS:
        build.done[name] = step(build)
        if log is not None:
            log(name, build.done[name])
    return build.done


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitebuild.build", description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", required=True, type=Path, help="the folder the engine rendered the pages into")
    parser.add_argument("--root", default=Path.cwd(), type=Path, help="the project folder (default: here)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        run(Build(root=root, site=args.site, tree=data.load_tree(root)), lambda step, report: print(f"{step}: {report}"))
    except (BuildError, InvalidInput) as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
