"""The year-end evaluation's browser operations (issue #15), listed in `browser.REGISTRY`.

Same envelope as every operation (`browser`): JSON text in, {"ok": true, "result"} or
{"ok": false, "problems"} out, never a traceback for bad input. Stateless: a per-organization
operation takes that organization's data only (one bundle, its self-assessment, its review, the
supervision records that concern it), so a changed decision is rescored in milliseconds; the district
operation takes the workspace once. "No document" is the JSON text `null`.

Files a user hands over arrive as text decoded by `read_files` (or from the office's IndexedDB store)
and are read here by `yearfiles.read`: bounded, duplicate keys refused, Chinese reasons with lines.
"""

from __future__ import annotations

from . import assessment as assessment_module
from . import textinput
from . import evaluation, fingerprints, stamps, workspace as workspace_module, yearfiles
from .envelope import _bundle, _bundles, _json, _ok, _problems, returns
from .errors import InvalidInput, Problem
from .standards import content_hash, rules_hash


def _by_id(bundles) -> dict:
    """A JSON array of one year's bundles -> {standard id: bundle}."""
    out = {b.standard.id: b for b in bundles}
    yearfiles._one_year(out)
    return out


def open_workspace(bundles_json: str, workspace_json: str) -> tuple:
    """(bundles by id, the checked workspace) from the texts a page sends: read and checked in full,
    unless this scorer checked this very text against these bundles before (`stamps`: earlier in this
    worker, or stamped when the page saved it), then only parsed. Every operation that takes the
    whole workspace opens it here, so there is one rule for when a check may be skipped."""
    bundles = _by_id(_bundles(bundles_json))
    if isinstance(workspace_json, str) and stamps.known(bundles_json, workspace_json):
        try:
            return bundles, textinput.loads_checked(workspace_json)
        except (ValueError, RecursionError):
            pass  # not the text it was taken for: read and check it like any other
    value = yearfiles.check_workspace(yearfiles.read(workspace_json, yearfiles.WORKSPACE), bundles)
    if isinstance(workspace_json, str) and isinstance(bundles_json, str):
        stamps.remember(bundles_json, workspace_json)
    return bundles, value


def _null(text) -> bool:
    """The JSON text `null`: no such document (anything not text is refused by the reader)."""
    return isinstance(text, str) and text.strip() == "null"


def _optional_assessment(text: str, bundle, source: str = "自评文件"):
    if _null(text):
        return None
    value = assessment_module.parse(text, source)
    assessment_module.check(value, bundle, source)
    return value


def _optional_review(text: str, bundle, assessment, source: str = "评议文件"):
    if _null(text):
        return None
    return yearfiles.check_review(yearfiles.read(text, yearfiles.REVIEW, source), bundle, assessment, source)


def _records(text: str, bundle) -> list:
    """Supervision records as a JSON array (those concerning one organization), each checked."""
    from .schema import load_schema, validate
    from .errors import Collector

    source = "监督记录"
    value = textinput.loads(text, source, "register")  # strict and bounded, like a register file
    collector = Collector(source)
    if not isinstance(value, list):
        collector.add((), "应为监督记录的数组")
        collector.raise_if_any()
    schema = load_schema("supervision")
    rules = yearfiles.settings(bundle.year)
    for i, record in enumerate(value):
        before = len(collector.problems)
        validate(record, schema["$defs"]["record"], collector.add, (i,), schema)
        if len(collector.problems) == before:
            yearfiles.check_record(record, (i,), collector, {bundle.standard.id: bundle}, rules, bundle.year.year)
    collector.raise_if_any()
    return value


def _run(function):
    try:
        return _ok(function())
    except InvalidInput as exc:
        return _problems(exc.problems)


def evaluation_settings(bundle_json: str) -> str:
    """The year's evaluation rules as the pages show them: {sources: [{id, name}], qualitative: {mode,
    mode_name, weight, levels}, related: [{name, mode, mode_name, weight, limits}], not_reviewed,
    not_reviewed_name, sample, decisions: {id: name}}."""
    def run():
        bundle = _bundle(bundle_json)
        rules = yearfiles.settings(bundle.year)
        raw = bundle.year.evaluation.to_json()  # as year.yaml says it, numbers as JSON numbers
        return {"sources": raw["sources"],
                "qualitative": dict(raw["qualitative"], mode_name=evaluation.MODE_NAMES[rules.qualitative_mode]),
                "related": [dict(r, mode_name=evaluation.MODE_NAMES[r["mode"]]) for r in raw["related"]],
                "not_reviewed": rules.not_reviewed,
                "not_reviewed_name": evaluation.METHODS["supervised" if rules.not_reviewed == "supervision" else "self"],
                "sample": rules.sample, "decisions": dict(yearfiles.DECISION_NAMES)}
    return _run(run)


def assessment_hash(assessment_json: str) -> str:
    """The content hash a review is bound to: {hash}. The file is parsed strictly first."""
    return _run(lambda: {"hash": content_hash(assessment_module.parse(assessment_json))})


def review_new(bundle_json: str, assessment_json: str, meta_json: str) -> str:
    """A blank gm-review/1 for one organization, bound to the bundle and (unless `null`) the
    self-assessment: {review, occurrences: [{item, index, date, count, note, evidence}]}.
    meta_json: {id, organization: {name, kind}} (name and kind default to the self-assessment's)."""
    def run():
        bundle = _bundle(bundle_json)
        assessment = _optional_assessment(assessment_json, bundle)
        meta = _json(meta_json, "评议信息")
        if not isinstance(meta, dict) or not isinstance(meta.get("id"), str):
            raise InvalidInput([Problem("评议信息", (), "应为含 id 的 JSON 对象（organization 可选）")])
        organization = meta.get("organization") or (assessment or {}).get("organization")
        if not organization:
            raise InvalidInput([Problem("评议信息", ("organization",), "未提交自评的党组织须给出 organization.name")])
        review = {"format": yearfiles.REVIEW, "id": meta["id"], "year": bundle.year.year,
                  "standard": bundle.standard.id, "standard_hash": bundle.hash,
                  "rules_hash": rules_hash(bundle.year), "organization": organization, "assessment_hash": content_hash(assessment) if assessment else None,
                  "decisions": [], "additions": []}
        yearfiles.read(review, yearfiles.REVIEW)
        occurrences = [{"item": o.item, "index": o.index, **o.as_json()} for o in evaluation._declared(assessment)]
        return {"review": review, "occurrences": occurrences}
    return _run(run)


def review_check(bundle_json: str, review_json: str, assessment_json: str) -> str:
    """Every problem with a review (an empty list when it is fine): format, hash binding, decisions."""
    try:
        bundle = _bundle(bundle_json)
        assessment = _optional_assessment(assessment_json, bundle)
        _optional_review(review_json, bundle, assessment)
    except InvalidInput as exc:
        return _problems(exc.problems)
    return _ok([])


def worded(result: dict) -> dict:
    """A final result as the operations answer it: each change with `line`, the difference in words
    (`evaluation.change_text`, as the receipt says it), so the review screen, the evaluation sheet and
    the feedback show the scorer's wording and keep none of their own. Added to the answer, not to the
    library's result: `application.result_hash` binds decisions to what was decided, not its words."""
    return dict(result, changes=[dict(c, line=evaluation.change_text(c)) for c in result["changes"]])


@returns("final-result")
def final_result(bundle_json: str, assessment_json: str, review_json: str, records_json: str) -> str:
    """One organization's final result (`evaluation.final_result`): the shape of `score` with the final
    figures, plus method, self_declared, score_total, changes (each with its `line`, `worded`), pending,
    qualitative, related, incomplete. assessment_json / review_json: the documents or `null`;
    records_json: the supervision records that concern it (an array; used only without a review, by
    the year's rule)."""
    def run():
        bundle = _bundle(bundle_json)
        assessment = _optional_assessment(assessment_json, bundle)
        review = _optional_review(review_json, bundle, assessment)
        bound = content_hash(assessment) if assessment is not None else None  # its own score is then remembered
        return worded(evaluation.final_result(bundle, assessment, review, _records(records_json, bundle), assessment_hash=bound))
    return _run(run)


def supervision_read(bundles_json: str, register_json: str) -> str:
    """A supervision register's text, read and checked against the year's standards: {register}."""
    def run():
        bundles = _by_id(_bundles(bundles_json))
        value = yearfiles.read(register_json, yearfiles.SUPERVISION)
        return {"register": yearfiles.check_supervision(value, bundles)}
    return _run(run)


def _merged(bundles_json, texts, fmt, check, merge):
    """Two files of one format read and checked, each under its own name (一/二), then merged: a
    refused file is named, and nothing is merged."""
    def run():
        bundles = _by_id(_bundles(bundles_json))
        name = yearfiles.FORMATS[fmt][1]
        a, b = (check(yearfiles.read(text, fmt, f"{name}（{n}）"), bundles, f"{name}（{n}）") for text, n in zip(texts, "一二"))
        return merge(a, b)
    return _run(run)


def supervision_merge(bundles_json: str, first_json: str, second_json: str) -> str:
    """Two registers merged without duplicates (records by id): {register, added, conflicts}."""
    return _merged(bundles_json, (first_json, second_json), yearfiles.SUPERVISION, yearfiles.check_supervision,
                   workspace_module.merge_registers)


def workspace_read(bundles_json: str, workspace_json: str) -> str:
    """A workspace's text, read and every embedded document checked: {workspace}. A refused file
    leaves the page's stored workspace as it was (the page replaces it only on ok)."""
    def run():
        _, value = open_workspace(bundles_json, workspace_json)
        return {"workspace": value, "stamp": stamps.stamp(bundles_json, workspace_json)}
    return _run(run)


def workspace_stamp(bundles_json: str, workspace_json: str, stamp_json: str) -> str:
    """The check stamp of a workspace text (`stamps`): {stamp, vouched}. `stamp_json`: the stamp the page
    stored with the text (JSON text, or `null`). vouched: it matched, so the text was not checked again;
    otherwise the text is read and checked in full now (problems if refused) and its stamp returned.
    Either way the operations that follow on the same text only parse it."""
    def run():
        given = _json(stamp_json, "校验戳")
        if isinstance(workspace_json, str) and isinstance(bundles_json, str) and stamps.vouch(bundles_json, workspace_json, given):
            return {"stamp": given, "vouched": True}
        open_workspace(bundles_json, workspace_json)
        return {"stamp": stamps.stamp(bundles_json, workspace_json), "vouched": False}
    return _run(run)


def workspace_merge(bundles_json: str, first_json: str, second_json: str) -> str:
    """Two workspaces of one year merged (`workspace.merge`): {workspace, added, conflicts}."""
    return _merged(bundles_json, (first_json, second_json), yearfiles.WORKSPACE, yearfiles.check_workspace,
                   workspace_module.merge)


def workspace_results(bundles_json: str, workspace_json: str) -> str:
    """The district view of a workspace (`workspace.district`): rows with status and final result,
    changed_first, distribution, missing, counts."""
    def run():
        bundles, value = open_workspace(bundles_json, workspace_json)
        return workspace_module.district(value, bundles)
    return _run(run)


def workspace_open(bundles_json: str, workspace_json: str) -> str:
    """A workspace's text read, checked once and given its district view in one pass: {results},
    as `workspace_results` returns them, on ok only. For a page that stores the workspace and shows
    its results: `workspace_read` then `workspace_results` on the same text checked the whole year
    twice. The checked workspace is the one the page sent (checking changes nothing): on ok the page
    stores its own `JSON.parse` of that text; it is not sent back (4.7 MB for 1000 organizations)."""
    def run():
        bundles, value = open_workspace(bundles_json, workspace_json)
        return {"results": workspace_module.district(value, bundles)}
    return _run(run)


def evidence_match(assessment_json: str, review_json: str, files_json: str) -> str:
    """Received evidence files [{name, sha256}] against the declared and added evidence references:
    {rows: [... status match | differ | missing | unrecorded], counts, unused}."""
    def run():
        assessment = None if _null(assessment_json) else assessment_module.parse(assessment_json)
        if assessment is not None:
            assessment_module.check_shape(assessment)
        review = None if _null(review_json) else yearfiles.read(review_json, yearfiles.REVIEW)
        files = fingerprints.check_files(_json(files_json, "收到的证据文件"))
        return fingerprints.match(assessment, review, files)
    return _run(run)


def feedback_make(bundle_json: str, assessment_json: str, review_json: str, meta_json: str) -> str:
    """The gm-feedback/1 file for one organization: {feedback, result}. meta_json: {office, issued,
    rectification?}: `rectification`, the workspace's `application.items`, puts the items issued to
    the organization so far into the feedback as its gm-rectification/1 list (issue #16); an item
    whose problem is not in this review's final result refuses the whole feedback."""
    from .application_files import carry_list

    def run():
        bundle = _bundle(bundle_json)
        assessment = _optional_assessment(assessment_json, bundle)
        review = _optional_review(review_json, bundle, assessment)
        if review is None:
            raise InvalidInput([Problem("评议文件", (), "反馈须依据一份核查评议")])
        meta = _json(meta_json, "反馈信息")
        meta = meta if isinstance(meta, dict) else {}
        feedback = {"format": yearfiles.FEEDBACK, "year": bundle.year.year, "standard": bundle.standard.id,
                    "standard_hash": bundle.hash, "organization": review["organization"]["name"],
                    **{k: meta[k] for k in ("office", "issued") if isinstance(meta.get(k), str)},
                    "assessment": assessment, "review": review}
        if "rectification" in meta:
            listed = carry_list(meta["rectification"], feedback["organization"], feedback["year"],
                                meta.get("issued"), feedback.get("office", ""))
            if listed is not None:
                feedback["rectification"] = listed
        try:
            yearfiles.check_feedback(yearfiles.read(feedback, yearfiles.FEEDBACK), bundle)
        except InvalidInput as exc:
            if "rectification" not in feedback:
                raise
            lead = Problem("反馈信息", ("rectification",), "反馈文件未生成：要附带的整改事项与本次核查评议的结果不符"
                           "（多为下发整改事项后评议又作了改动），请先到整改页面核对下列事项")
            raise InvalidInput([lead, *exc.problems]) from None
        return {"feedback": feedback, "result": worded(evaluation.final_result(bundle, assessment, review))}
    return _run(run)


def feedback_read(bundle_json: str, feedback_json: str) -> str:
    """A feedback file opened on the organization's page: checked, and its final result recomputed
    from the review and self-assessment it carries: {organization, office, issued, result,
    rectification}. rectification: null, or the list it carries (issue #16) as the organization's
    rectification page opens it: {list, organization, items: [{id, hash, problem_text, measure,
    deadline, responsible, issued}]}."""
    from .application_files import list_items

    def run():
        bundle = _bundle(bundle_json)
        value = yearfiles.check_feedback(yearfiles.read(feedback_json, yearfiles.FEEDBACK), bundle)  # list included
        result = worded(evaluation.final_result(bundle, value["assessment"], value["review"]))
        listed = value.get("rectification")
        carried = None if listed is None else {"list": listed, "organization": listed["organization"], "items": list_items(listed)}
        return {"organization": value["organization"], "office": value.get("office", ""),
                "issued": value.get("issued", ""), "result": result, "rectification": carried}
    return _run(run)
