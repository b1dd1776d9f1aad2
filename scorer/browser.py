"""The scorer's browser API: a few named operations, JSON text in and JSON text out.

Why JSON texts only: the web worker calls these through Pyodide, and a text is the one value that
crosses the JavaScript/Python boundary without proxies or lifetimes to manage (as UTF-8 bytes,
`call_utf8`: converting a large Chinese `str` is slow). The worker's allow-list is REGISTRY (end of
this module), which the site build writes into the manifest the worker reads; nothing else in Python
is reachable from a page.

Every operation returns an envelope, never raises for bad input:

    {"ok": true, "result": ...}          the answer
    {"ok": false, "problems": [...]}     what is wrong with the input, each `Problem.to_json()`

`check` answers with the second shape too (`ok` true and an empty list when the file is fine), so a
page shows a refused import and a failed check the same way. A bug (anything but bad input) still
raises: the worker turns it into an error reply rather than hiding it as a user problem.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass

from . import __version__
from . import assessment as assessment_module
from . import diff as diff_module
from .envelope import (  # noqa: F401 - _bundle, _json, _dump: also the tests' and benches' way in
    BUNDLE_SOURCE, _bundle, _bundles, _checked_bundle, _dump, _json, _ok, _problems, returns,
)
from .errors import InvalidInput, Problem
from .scoring import score as score_assessment
from .textinput import FILES_SOURCE

# The operations a page may call are declared once, in REGISTRY at the end of this module.


@returns("score-result")
def score(bundle_json: str, assessment_json: str) -> str:
    """Score one assessment: the same `scorer.scoring.score` the CLI runs, on the published bundle."""
    try:
        bundle = _bundle(bundle_json)
        value = assessment_module.parse(assessment_json)
        return _ok(score_assessment(bundle, value))
    except InvalidInput as exc:
        return _problems(exc.problems)


def check(bundle_json: str, assessment_json: str) -> str:
    """Every problem with an assessment (an empty list when it fits the bundle)."""
    from .sitefiles import standards_of_year

    try:
        bundle = _bundle(bundle_json)
        value = assessment_module.parse(assessment_json)
        other = isinstance(value, dict) and value.get("standard") not in (None, bundle.standard.id)
        # The site's index is read only for a file of another standard, to name it by title and link it.
        assessment_module.check(value, bundle, standards=standards_of_year(bundle.year.year) if other else None)
    except InvalidInput as exc:
        return _problems(exc.problems)
    return _dump({"ok": True, "problems": []})


@returns("diff-result")
def diff(old_bundle_json: str, new_bundle_json: str) -> str:
    """What changed from one bundle to another: the standard's records and the year's settings."""
    try:
        old = _bundle(old_bundle_json, BUNDLE_SOURCE + "（旧）")
        new = _bundle(new_bundle_json, BUNDLE_SOURCE + "（新）")
    except InvalidInput as exc:
        return _problems(exc.problems)
    return _ok({
        "from": {"year": old.year.year, "standard": old.standard.id, "hash": old.hash},
        "to": {"year": new.year.year, "standard": new.standard.id, "hash": new.hash},
        "settings": diff_module.diff_settings(old.year, new.year),
        "standard": diff_module.diff_standard(old.standard, new.standard),
        "kinds": diff_module.KIND_LABELS,
    })


def xlsx(bundle_json: str, assessment_json: str) -> str:
    """The assessment as an Excel workbook: {"base64": the .xlsx bytes, "bytes": their length}.

    `report_xlsx` brings in XlsxWriter only here (under Pyodide from the site's own wheel, on the first
    call), so the scorer's start-up never pays for it.
    """
    import base64

    from . import report_xlsx

    try:
        bundle = _bundle(bundle_json)
        data = report_xlsx.workbook_bytes(bundle, assessment_module.parse(assessment_json))
    except InvalidInput as exc:
        return _problems(exc.problems)
    return _ok({"base64": base64.b64encode(data).decode("ascii"), "bytes": len(data)})


@returns("carry-result")
def carry(old_bundle_json: str, new_bundle_json: str, assessment_json: str) -> str:
    """Start the new year from an earlier year's assessment (`carry.carry_forward`), and score last
    year's record under both years' standards.

    {"assessment": the new year's starting draft, with no occurrences (last year's are not this
     year's), "reminders": last year's items under this year's ids, each occurrence copyable by the
     user with a new date, "review": what changed, "before": last year's record under the old
     standard, "after": the same record under the new one (re-dated for that comparison only)}.
    The old file must fit the old bundle it names: a reminder is only as good as its source.
    """
    from .carry import carry_forward

    try:
        old = _bundle(old_bundle_json, BUNDLE_SOURCE + "（上一年度）")
        new = _bundle(new_bundle_json)
        value = assessment_module.parse(assessment_json)
        assessment_module.check(value, old)
        moved = carry_forward(old, new, value)
        return _ok({
            "assessment": moved["assessment"],
            "reminders": moved["reminders"],
            "review": moved["review"],
            "before": score_assessment(old, value, checked=True),
            "after": score_assessment(new, moved["as_if"]),
        })
    except InvalidInput as exc:
        return _problems(exc.problems)


def read_files(kind: str, files_json: str) -> str:
    """Files a user chose, as their bytes: decoded, bounded and checked by `textinput`, as the CLI does.

    kind: "json" (assessments, reviews, feedback; the JSON itself is parsed, bounded and checked by the
    operation that takes it, under the file's name), "register" (a supervision register), "workspace"
    (the office's year file: a larger bound) or "csv".
    files_json: [{name, base64}], or [{name, size}] for a file over the bound (`version().limits`),
    which the page does not read at all. Answers, in the same order, [{name, text}] or [{name, problems}]:
    one unreadable file never spoils the others. Bytes, not text, cross the worker boundary so that
    no decoding happens in JavaScript (`file.text()` turns GB18030 and UTF-16 into mojibake).
    """
    from . import textinput

    try:
        return _ok(textinput.read_files(kind, _json(files_json, FILES_SOURCE)))
    except InvalidInput as exc:
        return _problems(exc.problems)


def version() -> str:
    """Which scorer and which Python answer: shown on the page and compared by the tests."""
    return _ok({
        "scorer": __version__,
        "python": ".".join(map(str, sys.version_info[:3])),
        "platform": sys.platform,
        "operations": list(OPERATIONS),
        "limits": _limits(),
    })


def _limits() -> dict:
    """The bounds of `textinput` by file kind, so a page need not read a file the scorer would refuse."""
    from . import textinput

    return {"json": textinput.MAX_JSON_BYTES, "csv": textinput.MAX_CSV_BYTES, "depth": textinput.MAX_DEPTH,
            "register": textinput.MAX_REGISTER_BYTES, "workspace": textinput.MAX_WORKSPACE_BYTES}


# ---------------------------------------------------------------- the district office (docs/office/)

# Each file's own result from earlier `collect` calls with the same bundles: a page that adds files in
# batches sends them all every time (duplicates and the distribution span them all), and only the new
# ones are checked and scored. Bounded; emptied when the bundles change.
_COLLECTED = {"bundles": None, "files": {}}
_COLLECTED_MAX = 20000


@returns("collect-result")
def collect(bundles_json: str, files_json: str) -> str:
    """Check and rescore many assessment files at once (`collect.collect`): rows, rejected files with
    every reason, duplicates, the grade distribution, and the table's columns and cells.

    bundles_json: a JSON array of published bundles; files_json: the files in order, each either
    {name, text} (a file the page already holds) or {name, base64} (a new file's bytes; {name, size}
    for one over the bound): new files are decoded here (`collect.files_of`), so a drop is one round
    trip, and come back in `read` as {name, text} or {name, problems}. Stored totals are never read:
    every figure is `scoring.score`'s. One call for all the files, never one per file.
    """
    from . import collect as collect_module
    from . import office

    try:
        bundles = _bundles(bundles_json)
        files, read = collect_module.files_of(_json(files_json, FILES_SOURCE))
    except InvalidInput as exc:
        return _problems(exc.problems)
    if _COLLECTED["bundles"] != bundles_json or len(_COLLECTED["files"]) > _COLLECTED_MAX:
        _COLLECTED.update(bundles=bundles_json, files={})
    result = office.table_view(collect_module.collect(bundles, files, _COLLECTED["files"]), bundles)
    result["read"] = read
    return _ok(result)


def office_detail(bundles_json: str, file_json: str) -> str:
    """One file of a collection in detail (`office_detail.detail`): each item deducted, bonus and
    grade limit with its arithmetic and the occurrences declared. file_json: {name, text}."""
    from . import office_detail as detail_module

    try:
        bundles = _bundles(bundles_json)
        file = _json(file_json, FILES_SOURCE)
        if not isinstance(file, dict) or not isinstance(file.get("name"), str) or not isinstance(file.get("text"), str):
            raise InvalidInput([Problem(FILES_SOURCE, (), "应为含 name 和 text 两个字符串的 JSON 对象")])
        return _ok(detail_module.detail(bundles, file["name"], file["text"]))
    except InvalidInput as exc:
        return _problems(exc.problems)


def references(csv_text: str) -> str:
    """Related review results from CSV text (名称, then one column per result): {columns, values}."""
    from . import collect as collect_module

    if not isinstance(csv_text, str):
        return _problems([Problem(collect_module.REFERENCE_SOURCE, (), "应为 CSV 文本")])
    try:
        return _ok(collect_module.parse_references(csv_text))
    except InvalidInput as exc:
        return _problems(exc.problems)


@returns("collect-result")
def combine(collected_json: str, references_json: str, bundles_json: str) -> str:
    """A `collect` result with the related review results beside each row (`collect.combine`):
    `references` and `combined` per row (combined only where the year defines weights), the weights,
    and the names in the references that match no row (`unmatched_references`)."""
    from . import collect as collect_module
    from . import office

    try:
        bundles = _bundles(bundles_json)
        collected = _json(collected_json, collect_module.COLLECTED_SOURCE)
        refs = _json(references_json, collect_module.REFERENCE_SOURCE)
        return _ok(office.table_view(collect_module.combine(collected, refs, bundles), bundles))
    except InvalidInput as exc:
        return _problems(exc.problems)


def organizations(csv_text: str) -> str:
    """The organization list (CSV: 名称,类别) as the CLI reads it: [{name, kind}]."""
    from . import planner

    if not isinstance(csv_text, str):
        return _problems([Problem("党组织名单", (), "应为 CSV 文本")])
    try:
        return _ok(planner.parse_organizations(csv_text, "党组织名单"))
    except InvalidInput as exc:
        return _problems(exc.problems)


def plan(request_json: str) -> str:
    """The inspection plan of a term (`planner.plan`) from {organizations (CSV text or list), first,
    last, share, inspected, from_year, seed}; an impossible share is refused with the smallest that works."""
    from . import office, planner

    try:
        return _ok(office.plan_request(_json(request_json, planner.SOURCE)))
    except InvalidInput as exc:
        return _problems(exc.problems)


def office_csv(kind: str, payload_json: str) -> str:
    """CSV text (with a byte-order mark, for Excel) of kind combined | plan | organizations | names."""
    from . import office

    from . import textinput

    try:
        payload = _json(payload_json, office.SOURCE)
        textinput.check_strings(payload, office.SOURCE)
        text = office.csv_export(kind, payload)
    except InvalidInput as exc:
        return _problems(exc.problems)
    return _ok({"text": text, "lines": text.count("\r\n")})


def office_xlsx(kind: str, payload_json: str) -> str:
    """An Excel workbook of kind combined | plan: {"base64", "bytes"} (XlsxWriter loaded on first use)."""
    import base64

    from . import office, office_xlsx as workbooks

    from . import textinput

    try:
        payload = _json(payload_json, office.SOURCE)
        textinput.check_strings(payload, office.SOURCE)  # XlsxWriter cannot write a lone surrogate
        data = workbooks.workbook_bytes(kind, payload)
    except InvalidInput as exc:
        return _problems(exc.problems)
    return _ok({"base64": base64.b64encode(data).decode("ascii"), "bytes": len(data)})


def register_choices(bundles_json: str) -> str:
    """What the supervision register's form offers for a year (`register_form.choices`): per standard
    the items a record may name with their rules and the organization kinds, and the year's sources."""
    from . import register_form

    try:
        bundles = _bundles(bundles_json)
    except InvalidInput as exc:
        return _problems(exc.problems)
    return _ok(register_form.choices(list(bundles)))


def results_view(bundles_json: str, workspace_json: str) -> str:
    """The district page of final results (`office_results.view`): rows with status and final figures
    (changed grades first), grade distribution per standard, heatmap areas, counts and who is missing."""
    from . import office_results, yearfiles
    from .year_ops import open_workspace

    try:
        bundles, value = open_workspace(bundles_json, workspace_json)
        return _ok(office_results.view(value, bundles))
    except InvalidInput as exc:
        return _problems(exc.problems)


def results_export(kind: str, bundles_json: str, workspace_json: str) -> str:
    """The district results as a file, recomputed from the workspace: kind csv (the table), missing
    (CSV of who is missing what) or xlsx (table, distribution, missing): {text} or {base64, bytes}."""
    import base64

    from . import office, office_results, office_xlsx as workbooks, yearfiles
    from .year_ops import open_workspace

    if kind not in ("csv", "missing", "xlsx"):
        return _problems([Problem(office.SOURCE, (), f"未知的导出类型 {kind!r}（可用：csv、missing、xlsx）")])
    try:
        bundles, value = open_workspace(bundles_json, workspace_json)
        shown = office_results.view(value, bundles)
        if kind == "csv":
            return _ok({"text": office.csv_text(office_results.results_table(shown))})
        if kind == "missing":
            return _ok({"text": office.csv_text(office_results.missing_table(shown))})
        data = workbooks.sheets_bytes([("评议结果", office_results.results_table(shown)),
                                       ("等级分布", office_results.distribution_table(shown)),
                                       ("尚缺名单", office_results.missing_table(shown))],
                                      f"{shown['year']} 年度评议结果", workbooks._january(shown["year"]))
    except InvalidInput as exc:
        return _problems(exc.problems)
    return _ok({"base64": base64.b64encode(data).decode("ascii"), "bytes": len(data)})


# ---------------------------------------------------------------- the declaration of the operations


def deferred(module: str, names: str) -> tuple:
    """Operations defined in `scorer.<module>`, that module imported on the first call of any of them.

    Why: the assessment page's worker imports this module at start (and its memory snapshot holds
    what that import loaded); the office's operations (year_ops, application_ops and all they import)
    would add their modules and schemas to every page's start-up. Each name becomes a function of
    this module that imports its module and calls the real one; `Operation` reads the real one's
    parameters, description and result schema, so the registry (and the build's manifest) is the
    same as with the functions imported at once.
    """
    return tuple(_deferred(module, name) for name in names.split())


def _deferred(module: str, name: str):
    def operation(*args):
        return getattr(importlib.import_module(f"{__package__}.{module}"), name)(*args)

    operation.__name__ = operation.__qualname__ = name
    operation.__doc__ = f"`scorer.{module}.{name}`, imported on its first call."
    operation.defined_in = module
    return operation


@dataclass(frozen=True)
class Operation:
    """One operation a page may call. Its name, arguments and description are the function's own
    (name, positional parameters, first docstring paragraph), so there is nothing to keep in step.
    For a deferred operation they are read from the real function, importing its module: only the
    build and the tests ask, never the worker (it reads the manifest)."""

    function: object

    @property
    def name(self) -> str:
        return self.function.__name__

    @property
    def target(self):
        """The function that answers: `function` itself, or for a deferred one the real function."""
        module = getattr(self.function, "defined_in", None)
        if module is None:
            return self.function
        return getattr(importlib.import_module(f"{__package__}.{module}"), self.name)

    @property
    def args(self) -> tuple:
        code = self.target.__code__
        return code.co_varnames[:code.co_argcount]

    @property
    def result_schema(self) -> str | None:
        """The file name of the schema its `result` fits (`returns`), or None where none is declared."""
        return getattr(self.target, "result_schema", None)

    @property
    def description(self) -> str:
        return " ".join((self.target.__doc__ or "").split("\n\n")[0].split())


# Every operation, in the order `version()` lists them. The site build writes `registry()` into
# assets/wheels/manifest.json; the worker (scorer-worker.mjs) and the Node runner
# (site_tests/node/run_scorer.mjs) allow exactly these names with these argument counts.
# The year-end evaluation's (issue #15) and the results application's (issue #16) operations live in
# their own modules, imported on first call (`deferred`): a page that never calls them never loads them.
YEAR_OPERATIONS = deferred("year_ops", """
    evaluation_settings assessment_hash review_new review_check final_result supervision_read
    supervision_merge workspace_read workspace_merge workspace_results evidence_match
    feedback_make feedback_read workspace_open workspace_stamp
""")
APPLICATION_OPERATIONS = deferred("application_ops", """
    application_settings application_org application_add application_save application_view rectification_view
    rectification_previous rectification_list rectification_open rectification_report rectification_import
    application_export
""")
globals().update((operation.__name__, operation) for operation in YEAR_OPERATIONS + APPLICATION_OPERATIONS)

REGISTRY = {op.name: op for op in map(Operation, (
    score, check, diff, version, xlsx, carry, read_files,
    # the district office's pages (docs/office/): many files at once, references, the plan
    collect, references, combine, organizations, plan, office_csv, office_xlsx, office_detail,
    # the year-end evaluation (issue #15): supervision, review, final results, workspace, feedback
    *YEAR_OPERATIONS,
    # the office's year workspace (docs/office/supervision.md, results.md)
    register_choices, results_view, results_export,
    # results application and rectification (issue #16): scorer/application_ops.py
    *APPLICATION_OPERATIONS,
))}
OPERATIONS = tuple(REGISTRY)


def registry() -> dict:
    """name -> number of (string) arguments: what the worker checks a request against."""
    return {name: len(op.args) for name, op in REGISTRY.items()}


def call_utf8(name: str, *args):
    """Run the operation `name` on arguments given as UTF-8 bytes; its answer as UTF-8 bytes. This is
    how the worker (scorer-worker.mjs, through scorer-call.mjs) and the Node test runner call every
    operation: the texts stay the operations' JSON texts, only their crossing changes.

    Why bytes: Pyodide converts a `str` across the JavaScript/Python boundary character by character,
    and for CJK text that is slow. Measured under the site's Pyodide in Node: a year's 9.4 MB workspace
    in took 90-140 ms and a 1M-character Chinese answer out 130-180 ms, while a byte array is copied
    whole and TextEncoder/TextDecoder take a few ms; the proposals table's call (9.4 MB in, 2.8 M
    characters out) went from 1.2-1.7 s to 0.9-1.0 s. A JavaScript string is always valid UTF-8 once
    encoded (TextEncoder replaces lone surrogates), so decoding is strict; an answer is encoded with
    surrogatepass so that no answer raises here (JSON text from `_dump` holds none in practice).

    Only REGISTRY's names are callable, as everywhere (the worker checks the manifest first)."""
    operation = REGISTRY.get(name) if isinstance(name, str) else None
    if operation is None:
        raise ValueError(f"unknown operation {name!r}")
    texts = [(a.to_bytes() if hasattr(a, "to_py") else bytes(a)).decode("utf-8") for a in args]
    return operation.function(*texts).encode("utf-8", "surrogatepass")
