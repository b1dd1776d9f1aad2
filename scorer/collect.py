"""The district office's view: many exported assessments at once, each checked and rescored.

Stored totals are never trusted: an assessment file carries answers only, and every figure here is
recomputed by `scoring.score` against the published bundle the file names. A bad file is listed with
its reasons and the rest are still processed; the same organization filing twice for one standard
and year is flagged, not silently merged, and counted once (`office_count`).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from . import assessment as assessment_module
from . import office_count, textinput
from .errors import Collector, InvalidInput, Problem
from .model import Bundle
from .numbers import dec, plain
from .scoring import score


def _key(bundle):
    return (bundle.year.year, bundle.standard.id)


def _bundle_for(value, by_key):
    """The bundle a parsed file names, or None (also when it is too malformed to name one)."""
    if not isinstance(value, dict):
        return None
    year, standard = value.get("year"), value.get("standard")
    if not isinstance(year, int) or isinstance(year, bool) or not isinstance(standard, str):
        return None
    return by_key.get((year, standard))


def _one(by_key, known, name, text):
    """One file, checked and scored: (row, None), or (None, {file, problems}) with every reason."""
    try:
        value = assessment_module.parse(text, name)
        bundle = _bundle_for(value, by_key)
        if bundle is None:
            assessment_module.check_shape(value, name)  # a malformed file: its shape problems first
            raise InvalidInput([Problem(name, (), f"本站没有 {value['year']} 年度的标准 '{value['standard']}'（已有：{known}）")])
        # `check` validates the shape as well: once per file, which is half the time of a collection.
        assessment_module.check(value, bundle, name)
        result = score(bundle, value, checked=True)
    except InvalidInput as exc:
        return None, {"file": name, "problems": [p.to_json() for p in exc.problems]}
    except Exception as exc:  # noqa: BLE001 - a bug met on one file must not stop the batch; the file is named
        message = f"评分程序无法处理此文件（内部错误：{type(exc).__name__}）。请将此文件提供给网站维护人员。"
        return None, {"file": name, "problems": [Problem(name, (), message).to_json()]}
    organization = value["organization"]
    return {
        "file": name,
        "organization": organization.get("name", "").strip(),
        "kind": organization.get("kind", ""),
        "year": result["year"],
        "standard": result["standard"],
        "standard_title": bundle.standard.short_title,
        "assessor": value.get("assessor", {}).get("name", ""),
        "assessed": value.get("assessor", {}).get("date", ""),  # which of two files is the latest (office_count)
        "total": result["total"],
        "grade": result["grade"]["id"],
        "grade_name": result["grade"]["name"],
        "limits_applied": result["limits_applied"],
        "areas": {a["id"]: a["score"] for a in result["areas"]},
        "area_points": {a["id"]: a["points"] for a in result["areas"]},
        "notes": result["notes"],  # e.g. occurrences dated outside the year, not counted (scoring.score)
    }, None


def files_of(entries) -> tuple:
    """The files of a collection from a page's list, in its order: ([(name, text)], read).

    Each entry is {name, text} (a file read earlier) or {name, base64} / {name, size} (a new file's
    bytes, or the size of one over the bound), decoded and bounded by `textinput.read_files`; `read`
    holds what became of each new one ({name, text} or {name, problems}), and only the readable ones
    are collected. InvalidInput, every problem at once, for a list not of this shape (a page's bug).
    """
    collector = Collector(textinput.FILES_SOURCE)
    if not isinstance(entries, list):
        collector.add((), "应为 [{name, text}] 或 [{name, base64}] 数组")
        collector.raise_if_any()
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not (
                isinstance(entry.get("text"), str) or isinstance(entry.get("base64"), str)
                or (isinstance(entry.get("size"), int) and not isinstance(entry.get("size"), bool))):
            collector.add((i,), "每个文件应为含 name 和 text（或 base64）两个字符串的 JSON 对象")
    collector.raise_if_any()
    held = [isinstance(entry.get("text"), str) for entry in entries]
    decoded = iter(textinput.read_files("json", [e for e, h in zip(entries, held) if not h]))
    files, read = [], []
    for entry, is_held in zip(entries, held):
        if is_held:
            files.append((entry["name"], entry["text"]))
            continue
        answer = next(decoded)
        read.append(answer)
        if "text" in answer:
            files.append((answer["name"], answer["text"]))
    return files, read


def collect(bundles, files, cache=None) -> dict:
    """`bundles`: published bundles; `files`: [(file name, text)]. Returns rows, rejected, duplicates.

    `cache`: an optional dict the caller keeps between calls made with the same bundles. It holds each
    file's own result by (name, text), so when files are added in batches only the new ones are
    checked and scored; duplicates and the distribution are always worked out afresh.
    `count_rule`: the words of the rule that counts each organization once (the page shows them).
    """
    bundles = [Bundle.of(b) for b in bundles]
    by_key = {_key(b): b for b in bundles}
    known = "、".join(f"{y} 年度 {s}" for y, s in sorted(by_key))
    rows, rejected = [], []
    for source, (name, text) in enumerate(files):
        found = cache.get((name, text)) if cache is not None else None
        if found is None:
            found = _one(by_key, known, name, text)
            if cache is not None:
                cache[(name, text)] = found
        row, refusal = found
        if row is not None:
            # A copy: the flags set below belong to this call. `source`: the file's place in `files`
            # (names need not be unique), by which a page asks for the file's detail.
            rows.append(dict(row, source=source))
        else:
            rejected.append(refusal)
    duplicates = office_count.count_once(rows)
    return {"rows": rows, "rejected": rejected, "duplicates": duplicates,
            "distribution": office_count.distribution(rows, bundles), "count_rule": office_count.RULE,
            "notices": notices(rows)}


def notices(rows) -> list:
    """Each collected file whose result carries a note (records left out of its score, and why): the
    office sees the scorer's own sentences, as the page, the report and the .xlsx do."""
    return [{"file": r["file"], "organization": r["organization"], "year": r["year"], "standard": r["standard"],
             "notes": r["notes"]} for r in rows if r.get("notes")]


REFERENCE_SOURCE = "参考评议结果"


def parse_references(text: str) -> dict:
    """CSV with a header: 名称 (or name), then one column per review result (a score out of 100).

    Returns {"columns": [...], "values": {organization: {column: number}}}; bad cells are refused
    with their row and column, every one of them.
    """
    rows = textinput.csv_rows(text, REFERENCE_SOURCE)
    if not rows:
        raise InvalidInput([Problem(REFERENCE_SOURCE, (), "文件为空（应有表头：名称,评议结果1,…）")])
    header = [h.strip() for h in rows[0]]
    if not header or header[0].lower() not in ("名称", "name"):
        raise InvalidInput([Problem(REFERENCE_SOURCE, (), "第一列表头应为“名称”", 1, 1)])
    columns = header[1:]
    problems, values = [], {}
    for line, row in enumerate(rows[1:], start=2):
        name = row[0].strip() if row else ""
        if not name:
            problems.append(Problem(REFERENCE_SOURCE, (), "缺少党组织名称", line, 1))
            continue
        entry = {}
        for col, column in enumerate(columns, start=1):
            cell = row[col].strip() if col < len(row) else ""
            if not cell:
                continue
            try:
                number = Decimal(cell)
                if not Decimal(0) <= number <= Decimal(100):
                    raise InvalidOperation
            except InvalidOperation:
                problems.append(Problem(REFERENCE_SOURCE, (), f"“{column}”的值 {cell!r} 无效（应为 0–100 的数字）", line, col + 1))
                continue
            entry[column] = plain(number)
        values[name] = entry
    if problems:
        raise InvalidInput(problems)
    return {"columns": columns, "values": values}


def combined(total, references: dict, weights: dict):
    """The score with related review results weighed in, or None where the year defines no weights.

    weights: {column: fraction}. combined = (1 - sum of weights) x total + sum(weight x result); a
    missing result leaves the combination undefined (None), rather than guessing.
    """
    if not weights:
        return None
    parts = dec(1) - sum((dec(w) for w in weights.values()), dec(0))
    value = parts * dec(total)
    for column, weight in weights.items():
        if column not in references:
            return None
        value += dec(weight) * dec(references[column])
    return plain(value.quantize(Decimal("0.01")))


def with_references(collected: dict, references: dict, bundles) -> dict:
    """Rows with the related review results beside them, and a combined score where weights exist."""
    weights = {_key(b): dict(b.year.reference_weights or {}) for b in map(Bundle.of, bundles)}
    for row in collected["rows"]:
        mine = references["values"].get(row["organization"], {})
        row["references"] = mine
        row["combined"] = combined(row["total"], mine, weights.get((row["year"], row["standard"]), {}))
    collected["reference_columns"] = references["columns"]
    return collected


def reference_weights(bundles) -> list:
    """Each year and standard with the weights of related review results its year defines ({} = none)."""
    return [{"year": b.year.year, "standard": b.standard.id, "weights": dict(b.year.reference_weights or {})}
            for b in map(Bundle.of, bundles)]


COLLECTED_SOURCE = "汇总结果"


def combine(collected, references, bundles) -> dict:
    """A `collect` result handed back by a page, with the related review results (`parse_references`)
    beside each row (`with_references`) and the names in the references that match no row
    (`unmatched_references`). InvalidInput, every problem at once, when either is not of its shape."""
    collector = Collector(COLLECTED_SOURCE)
    if not isinstance(collected, dict) or not isinstance(collected.get("rows"), list) or not all(
            isinstance(r, dict) and isinstance(r.get("organization"), str) for r in collected["rows"]):
        collector.add((), "应为 collect 操作的结果（含 rows 数组）")
    if not isinstance(references, dict) or not isinstance(references.get("columns"), list) \
            or not isinstance(references.get("values"), dict) \
            or not all(isinstance(v, dict) for v in references["values"].values()):
        collector.problems.append(Problem(REFERENCE_SOURCE, (), "应为 references 操作的结果（含 columns 和 values）"))
    collector.raise_if_any()
    result = with_references(collected, references, bundles)
    names = {row["organization"] for row in result["rows"]}
    result["unmatched_references"] = [name for name in references["values"] if name not in names]
    return result
