"""The site's own files, fetched from inside the scorer's web worker (Pyodide only).

Why synchronous: the callers are Python code in the middle of an operation or an import, which
cannot await. A synchronous request is allowed in a worker and blocks only the worker (Python is
blocking it anyway); the page stays responsive. URLs are resolved from the worker script's own
address (assets/javascripts/), so the site works under any base path and never asks another origin.
"""

from __future__ import annotations

import json
from urllib.parse import urljoin

MANIFEST = "../wheels/manifest.json"  # relative to the worker script


def fetch(url: str) -> bytes:
    """The body of a same-site GET; OSError when offline, blocked or not 200."""
    import js  # Pyodide's bridge to the worker's globals

    request = js.XMLHttpRequest.new()
    request.open("GET", url, False)
    request.responseType = "arraybuffer"
    try:
        request.send()
    except Exception as exc:  # a JsException: offline, blocked
        raise OSError(f"{url}：{exc}") from None
    if request.status != 200:
        raise OSError(f"{url}：HTTP {request.status}")
    return bytes(request.response.to_py())


def manifest() -> tuple[dict, str]:
    """The site's wheel manifest (assets/wheels/manifest.json) and its URL, to resolve the paths it names."""
    import js

    url = urljoin(str(js.location.href), MANIFEST)
    return json.loads(fetch(url).decode("utf-8")), url


DATA_INDEX = "../../data/index.json"  # relative to the worker script: what sitebuild/publish.py writes
_INDEX: dict = {}


def standards_of_year(year: int) -> dict:
    """{id: {"title", "link"}} of the site's standards of `year`, from its published data/index.json.

    Empty outside the browser or when the index cannot be read (offline before a first visit): the
    caller then names a standard by its id. Read once per worker.
    """
    try:
        if "value" not in _INDEX:
            import js

            _INDEX["value"] = json.loads(fetch(urljoin(str(js.location.href), DATA_INDEX)).decode("utf-8"))
        years = _INDEX["value"].get("years", [])
    except Exception:  # noqa: BLE001 - no index (CPython, Node, offline): ids instead of titles
        return {}
    for entry in years:
        if isinstance(entry, dict) and entry.get("year") == year:
            return {s["id"]: {"title": s["title"], "link": f"assess/{year}/{s['id']}/"}
                    for s in entry.get("standards", []) if isinstance(s, dict) and "id" in s and "title" in s}
    return {}
