"""Evidence fingerprints: which evidence files the review team received match what was declared.

Per evidence reference of each occurrence (declared in the self-assessment or added by the review):
- match: a received file has the recorded SHA-256 (under any name: a renamed copy is the same file);
- differ: a file of that name was received but its SHA-256 is another (the file changed);
- missing: no received file has that name or that SHA-256;
- unrecorded: the reference has no SHA-256 to compare (the name alone was typed).
The page computes the received files' SHA-256 itself (WebCrypto) and sends only names and hashes.
"""

from __future__ import annotations

import re

from .errors import Collector

STATUS_NAMES = {"match": "一致", "differ": "不一致", "missing": "未收到", "unrecorded": "未登记指纹"}
_HEX = re.compile(r"[0-9a-f]{64}")


def check_files(files, source: str = "收到的证据文件") -> list:
    """[{name, sha256}] as sent by the page, checked: every problem at once."""
    collector = Collector(source)
    if not isinstance(files, list) or len(files) > 10000:
        collector.add((), "应为 [{name, sha256}] 数组（至多 10000 个文件）")
        collector.raise_if_any()
    for i, f in enumerate(files):
        if not (isinstance(f, dict) and isinstance(f.get("name"), str) and 0 < len(f["name"]) <= 300
                and isinstance(f.get("sha256"), str) and _HEX.fullmatch(f["sha256"])):
            collector.add((i,), "每个文件应为 {name: 文件名, sha256: 64 位小写十六进制}")
    collector.raise_if_any()
    return files


def match(assessment: dict | None, review: dict | None, files: list) -> dict:
    """{rows: [{item, index|addition, origin, file, expected, status, status_name, received}],
    counts: {status: n}, unused: [names of received files no reference matched]}."""
    by_hash, by_name = {}, {}
    for f in files:
        by_hash.setdefault(f["sha256"], f["name"])
        by_name.setdefault(f["name"], f["sha256"])
    used, rows = set(), []

    def one(item, where, origin, ref):
        expected = ref.get("sha256")
        received = None
        if expected and expected in by_hash:
            status, received = "match", by_hash[expected]
        elif ref["file"] in by_name:
            received = ref["file"]
            status = "differ" if expected else "unrecorded"
        else:
            status = "missing" if expected else "unrecorded"
        if received:
            used.add(received)
        rows.append({"item": item, **where, "origin": origin, "file": ref["file"], "expected": expected or "",
                     "status": status, "status_name": STATUS_NAMES[status], "received": received or "",
                     "received_sha256": by_name.get(received, "") if received else ""})

    for item, occurrences in (assessment or {}).get("items", {}).items():
        for index, occurrence in enumerate(occurrences):
            for ref in occurrence.get("evidence", []):
                one(item, {"index": index}, "declared", ref)
    for addition in (review or {}).get("additions", []):
        for ref in addition.get("evidence", []):
            one(addition["item"], {"addition": addition["id"]}, "added", ref)
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in STATUS_NAMES}
    return {"rows": rows, "counts": counts, "unused": [f["name"] for f in files if f["name"] not in used]}
