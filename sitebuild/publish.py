"""Publishing data files under the site's `data/` folder: what the browser and other systems load.

Every year's every standard goes out as its normalized bundle (`scorer.standards.bundle`, with the
content hash an assessment is checked against), plus an index so a page can list years and
standards without knowing file names. The lead will add the JSON Schemas and the Measures here.
"""

from __future__ import annotations

import json
from pathlib import Path

from scorer import tree

INDEX_FORMAT = "gm-data-index/1"


def publish_bundles(standards_root: Path, site_dir: Path) -> dict:
    """Write data/<year>/<standard>.json for every standard and data/index.json; return the index."""
    loaded = tree.load(str(standards_root))
    data = Path(site_dir) / "data"
    index = {
        "format": INDEX_FORMAT,
        "current": loaded.current.year if loaded.current else None,
        "years": [],
    }
    for year in loaded.years.values():
        entries = []
        for standard_id in year.standards:
            bundle = year.bundle(standard_id)
            relative = f"{year.year}/{standard_id}.json"
            _write(data / relative, bundle)
            standard = bundle["standard"]
            entries.append({
                "id": standard_id,
                "title": standard["title"],
                "short_title": standard["short_title"],
                "status": standard["status"],
                "hash": bundle["hash"],
                "path": relative,
            })
        index["years"].append({"year": year.year, "status": year.settings["status"], "standards": entries})
    _write(data / "index.json", index)
    return index


def _write(path: Path, value) -> None:
    """UTF-8 JSON without escapes (Chinese stays readable), compact: pages fetch these on every visit."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
