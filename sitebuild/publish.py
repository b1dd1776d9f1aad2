"""Publishing data files under the site's `data/` folder: what the browser and other systems load.

Every year's every standard goes out as its normalized bundle (`scorer.standards.bundle`, with the
content hash an assessment is checked against), plus an index so a page can list years and
standards without knowing file names.
The Measures and the JSON Schemas go out too, so other systems (an office OA, a spreadsheet) can use
and validate the data without scraping pages.
"""

from __future__ import annotations

import json
from pathlib import Path

from importlib import resources


SCHEMAS = ("measures", "year", "standard", "assessment",
           "supervision", "review", "workspace", "feedback",  # the year-end evaluation's files (#15)
           "sealed",  # a workspace sealed with a passphrase (office-workspace.mjs)
           "application", "rectification", "rectification_report")  # results application (#16)
# What the scorer answers (the worker's results, `score --json`, `diff --json`), for other systems to
# validate against; the worker's operations name theirs (scorer.browser.returns).
RESULT_SCHEMAS = ("score-result", "collected-row", "collect-result", "diff-record", "diff-result", "carry-result",
                  "final-result",  # the year-end evaluation's final result (#15)
                  # results application and rectification (#16)
                  "application-org-result", "application-add-result", "application-save-result", "application-view-result",
                  "rectification-view-result", "rectification-list-result", "rectification-import-result")

INDEX_FORMAT = "gm-data-index/1"


def publish_bundles(loaded, site_dir: Path) -> dict:
    """Write data/<year>/<standard>.json for every standard of the tree `loaded` and data/index.json;
    return the index."""
    data = Path(site_dir) / "data"
    index = {
        "format": INDEX_FORMAT,
        "current": loaded.current.year if loaded.current else None,
        "measures": "measures.json",
        "schemas": {name: f"schemas/{name}.schema.json" for name in SCHEMAS + RESULT_SCHEMAS},
        "years": [],
    }
    _write(data / "measures.json", loaded.measures.to_json())
    for name in SCHEMAS + RESULT_SCHEMAS:
        text = resources.files("scorer").joinpath("schemas", f"{name}.schema.json").read_text("utf-8")
        _write(data / "schemas" / f"{name}.schema.json", json.loads(text))
    for year in loaded.years.values():
        entries = []
        for standard_id in year.standards:
            bundle = year.bundle(standard_id)
            relative = f"{year.year}/{standard_id}.json"
            _write(data / relative, bundle.to_json())  # the model's one conversion to what pages load
            standard = bundle.standard
            entries.append({
                "id": standard_id,
                "title": standard.title,
                "short_title": standard.short_title,
                "status": standard.status,
                "hash": bundle.hash,
                "path": relative,
            })
        # The editors' change notes travel with the list of years, so the comparison can show the notes of
        # every year it spans without fetching each year's bundles.
        index["years"].append({"year": year.year, "status": year.settings.status, "standards": entries,
                               "changes": list(year.settings.changes)})
    _write(data / "index.json", index)
    return index


def published_text(value) -> str:
    """A data file's text: JSON without escapes (Chinese stays readable), compact (pages fetch these on
    every visit). The scorer's snapshot is warmed up with the very text a page will fetch
    (startup.warm_up_job), so its parse cache already holds the current year's standards."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def _write(path: Path, value) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(published_text(value), encoding="utf-8")
