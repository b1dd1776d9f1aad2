"""The results application's browser operations (issue #16), listed in `browser.REGISTRY`.

Same envelope as every operation: JSON text in, {"ok": true, "result"} or {"ok": false, "problems"}
out. Stateless: the page keeps the workspace (gm-workspace/1 with its `application` part, in
IndexedDB) and sends it. For the per-organization operations it sends a *slice*: the same format
holding only that organization's entries (its roster row, self-assessments, reviews, the supervision
records naming it, its related results and application records), so one change is answered in
milliseconds; the district operations take the whole workspace once.

Contract (result shapes; every figure and rule is computed here, never in a page):
- application_settings(bundle) -> {sample, responsibilities: [{id, name, group}], targets: {id: name},
  situations: [{id, name, text, status, placeholder}], tolerance: {official, note, proposal},
  clarification: {proposal}, rectification: {deadline_days, grace_days}, statuses: {id: name},
  parts: {part: name}, empty: the empty application part}
- application_org(bundles, workspace slice, organization, as_of) -> the organization's view
  (`application.organization`): {organization, standard, year, total, grade {id, name} | null,
  method_name, result_hash, sample, problems: [{key, item, kind, text, date, count, note, origin,
  origin_name, source_name, clarified, issued: [item ids]}], proposals: [{key, target, label,
  prefilled, text, edited, reason, basis}], persons: [{id, name, post, responsibility,
  responsibility_name, problem, problem_text, key, label, prefilled, text, edited, reason, basis,
  tolerance: {situation, name, placeholder, reason, date, evidence} | null, clarified, none}],
  blocked: [reasons], clarifications: [...with problem_text, counted], reports: [keys],
  decision: {state none|decided|changed, entries: [entry + decided texts], texts, stale, date,
  meeting}, history: [{step, step_name, date, text}], rectification: {items: [item + hash, status,
  status_name, overdue, days_overdue, late, done, reported, events], total, open, overdue, reported,
  accepted, max_days_overdue} (the organization's row of rectification_view, with its items),
  row: the organization's row of application_view (with its tally),
  notice: the 运用决定通知 or null, suggested: [{problem, problem_text, deadline}] for problems not
  yet issued}
- application_add(bundles, workspace slice, part, entry, as_of) -> {entry, view}: the record checked
  in context (a decision for a stale result, responsibility for a clarified problem, a duplicate id,
  accept/return of an item not reported ... are refused); the page appends `entry` to
  workspace.application[part] only on ok. `decisions` entries get `proposals` (what was proposed) and
  `recorded` filled in; others get `recorded`/`updated` when missing.
- application_view(bundles, workspace) -> {year, sample, rows: [{name, standard, total, grade,
  method_name, proposals, persons, blocked, decision_state, stale, decided: {key: text}, date,
  meeting, open_items, adopted, tally: what the row adds to the summary}], summary: {organizations, with_result, decided, changed, stale, undecided,
  adopted, modified, by_grade: {grade id: {name, count, decided}}} (the sum of the rows' tallies)}
- rectification_view(bundles, workspace, as_of) -> {as_of, grace_days, organizations: [{name, total,
  open, overdue, reported, accepted, max_days_overdue}] (overdue first, then open, then the rest),
  overdue_items: the `rectification.OVERDUE_SHOWN` most overdue items, counts: {items, open, overdue,
  overdue_shown, accepted, reported, organizations_open}} (`rectification.summary`)
- rectification_previous(last year's bundles, last year's workspace, as_of) -> {year, as_of,
  organizations: {name: [open items with status]}}: what the next year's evaluation sees
- rectification_list(bundles, workspace, organization, meta {issued, office}) -> {list: gm-rectification/1}
- rectification_open(bundle, file, held list | null) -> {list, organization, items: [{id, hash, problem_text, measure,
  deadline, responsible, issued}]} from a feedback file carrying `rectification` or a list file
- rectification_report(list, progress {reported, contact?, items: [{id, status, done?, note?,
  evidence?}]}) -> {report: gm-rectification-report/1}
- rectification_import(bundles, workspace, report, recorded) -> {organization, events (to append to
  application.events), already (ids imported before), items}
- application_export(kind, bundles, workspace, as_of): kind proposals | decisions | rectification,
  as csv ({text}) or xlsx ({base64, bytes}): "proposals-csv", "proposals-xlsx", ...
"""

from __future__ import annotations

import re
from collections import OrderedDict
from datetime import datetime, timezone

from . import application, application_files, rectification, stamps, textinput, yearfiles
from .envelope import _bundle, _bundles, _dump, _json, _ok, _problems, returns
from .errors import Collector, InvalidInput, Problem
from .year_ops import _by_id, _null, open_workspace

SOURCE = "结果运用"


def _run(function):
    try:
        return _ok(function())
    except InvalidInput as exc:
        return _problems(exc.problems)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


_OPENED: OrderedDict = OrderedDict()  # (bundles digest, text digest) -> (bundles, workspace, part), the last two


def _workspace(bundles_json: str, workspace_json: str):
    """(bundles by id, the checked workspace, its application part). A page sends the same text to
    operation after operation (the proposals table, an organization's view, the save after a change:
    `application_save`): the last two opened texts are kept, parsed (read-only: no operation changes
    what it is given), so the next operation neither checks nor parses it again."""
    if not isinstance(bundles_json, str) or not isinstance(workspace_json, str):
        return _opened(bundles_json, workspace_json)
    key = (stamps.bundles_digest(bundles_json), stamps.digest(workspace_json))
    found = _OPENED.get(key)
    if found is None:
        found = _opened(bundles_json, workspace_json)
        _keep(key, found)
    return found


def _opened(bundles_json, workspace_json):
    bundles, value = open_workspace(bundles_json, workspace_json)
    return bundles, value, value.get("application") or application.empty()


def _keep(key: tuple, opened: tuple) -> None:
    _OPENED[key] = opened
    _OPENED.move_to_end(key)
    while len(_OPENED) > 2:
        _OPENED.popitem(last=False)


def forget() -> None:
    """Drop the opened workspaces this process keeps (tests, benchmarks: a cold page)."""
    _OPENED.clear()


def _org_view(bundles, value, part, name, as_of, inputs=None) -> dict:
    view = application.view_of(bundles, value, part, name, as_of, inputs)
    view["notice"] = application.notice(view)
    view["suggested"] = _suggested(view, bundles)
    return view


def _suggested(view, bundles) -> list:
    rules = application.settings(next(iter(bundles.values())).year)
    return [{"problem": p["key"], "problem_text": f"{p['item']} {p['text']}（{p['origin_name']}，{p['date']}）",
             "deadline_days": rules.deadline_days}
            for p in view["problems"] if not p["issued"] and not p["clarified"]]


def application_settings(bundle_json: str) -> str:
    """The year's results application settings as the pages show them (module docstring: shapes)."""
    def run():
        rules = application.settings(_bundle(bundle_json).year)
        return {"sample": rules.sample,
                "responsibilities": [r.to_json() for r in rules.responsibilities.values()], "targets": dict(application.TARGETS),
                "situations": [dict(s.to_json(), placeholder=s.placeholder) for s in rules.situations.values()],
                "tolerance": {"official": rules.tolerance_official, "note": rules.tolerance_note,
                              "proposal": rules.tolerance_proposal},
                "clarification": {"proposal": rules.clarification_proposal},
                "rectification": {"deadline_days": rules.deadline_days, "grace_days": rules.grace_days},
                "statuses": dict(rectification.STATUS_NAMES), "parts": dict(application_files.PART_NAMES),
                "empty": application.empty()}
    return _run(run)


@returns("application-org-result")
def application_org(bundles_json: str, workspace_json: str, organization: str, as_of: str) -> str:
    """One organization's proposals, persons, findings, decision, history, notice and rectification
    items on `as_of`, from a workspace slice (module docstring: shapes)."""
    def run():
        when = application_files.check_as_of(as_of)
        bundles, value, part = _workspace(bundles_json, workspace_json)
        return _org_view(bundles, value, part, organization, when)
    return _run(run)


@returns("application-add-result")
def application_add(bundles_json: str, workspace_json: str, part_name: str, entry_json: str, as_of: str) -> str:
    """One new record checked against the organization's current state: {entry, view} (module
    docstring); refused with every reason, and then nothing is to be stored."""
    def run():
        when = application_files.check_as_of(as_of)
        bundles, value, part = _workspace(bundles_json, workspace_json)
        entry = _json(entry_json, application_files.SOURCE)
        if not isinstance(entry, dict):
            raise InvalidInput([Problem(application_files.SOURCE, (), "应为 JSON 对象")])
        yearfiles.textinput.check_strings(entry, application_files.SOURCE)
        if part_name == "events":
            owner = next((i["organization"] for i in part["items"] if i["id"] == entry.get("item")), None)
            if owner is None:
                raise InvalidInput([Problem(application_files.SOURCE, ("item",), f"没有编号为 {entry.get('item')!r} 的整改事项")])
        else:
            owner = entry.get("organization")
            if not isinstance(owner, str):
                raise InvalidInput([Problem(application_files.SOURCE, ("organization",), "缺少 organization（党组织名称）")])
        inputs = application.final_inputs(bundles, value)  # a new record changes no final result
        view = _org_view(bundles, value, part, owner, when, inputs)
        entry = dict(entry)
        stamp = _now()
        if part_name == "decisions":
            entry.setdefault("recorded", stamp)
            entry["proposals"] = application.proposed_texts({"targets": view["proposals"], "persons": view["persons"]})
        elif part_name in ("events", "items"):
            entry.setdefault("recorded", stamp)
        else:
            entry.setdefault("updated", stamp)
        application_files.check_new(part_name, entry, part, view, bundles)
        new_part = {k: list(v) for k, v in part.items()}
        new_part[part_name].append(entry)
        return {"entry": entry, "view": _org_view(bundles, value, new_part, owner, when, inputs)}
    return _run(run)


@returns("application-save-result")
def application_save(bundles_json: str, workspace_json: str, additions_json: str) -> str:
    """Results application records appended to the stored workspace, checked, and the workspace text
    to store in its place: {text, stamp}. `additions_json`: {"records": {part: [records]}, "updated":
    the time of the change}, e.g. one accepted decision or status change, or a report's events.

    The stored text is checked in full only if this scorer has not checked it (or vouched for its
    stamp) before; then only the new records are checked, each in its organization's state in the
    whole year (`application_files.check_appended`), instead of the whole year after every change.
    The text is the scorer's own serialization of the year with the records, so what the page stores
    is what was checked; the page keeps its own object of the same workspace (office-year.mjs)."""
    def run():
        bundles, base, part = _workspace(bundles_json, workspace_json)
        additions = _additions(additions_json)
        records = additions["records"]
        value = dict(base, application={k: v + records.get(k, []) for k, v in part.items()}, updated=additions["updated"])
        application_files.check_appended(records, base, value, bundles)
        text = _dump(value)
        _keep((stamps.bundles_digest(bundles_json), stamps.digest(text)), (bundles, value, value["application"]))
        return {"text": text, "stamp": stamps.remember(bundles_json, text)}
    return _run(run)


def _additions(text: str) -> dict:
    """{"records": {part: [records]}, "updated": time} read strictly; each record is checked later, in context."""
    source = application_files.SOURCE
    value = textinput.loads(text, source)
    collector = Collector(source)
    if not isinstance(value, dict) or set(value) != {"records", "updated"} or not isinstance(value["records"], dict):
        collector.add((), "应为 {\"records\": {记录类型: [记录…]}, \"updated\": 时间}")
        collector.raise_if_any()
    for name, entries in value["records"].items():
        if name not in application.PARTS:
            collector.add(("records", name), f"未知的记录类型 {name!r}（应为：{'、'.join(application.PARTS)}）")
        elif not isinstance(entries, list):
            collector.add(("records", name), "应为记录的数组")
    updated = value["updated"]
    if not isinstance(updated, str) or not _TIME.fullmatch(updated):
        collector.add(("updated",), f"时间 {updated!r} 无法识别（应为 ISO 8601，如 2019-12-20T10:00:00.000Z）")
    collector.raise_if_any()
    return value


_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z")


@returns("application-view-result")
def application_view(bundles_json: str, workspace_json: str) -> str:
    """The district's proposals table and summary of decisions (module docstring: shapes)."""
    def run():
        bundles, value, part = _workspace(bundles_json, workspace_json)
        return application.district(bundles, value, part)
    return _run(run)


@returns("rectification-view-result")
def rectification_view(bundles_json: str, workspace_json: str, as_of: str) -> str:
    """The district rectification view on `as_of` as the page draws it (`rectification.summary`: one
    row per organization, the most overdue items, the counts); an organization's items come with its
    own view (`application_org`), the complete list with `application_export`."""
    def run():
        when = application_files.check_as_of(as_of)
        bundles, value, part = _workspace(bundles_json, workspace_json)
        rules = application.settings(next(iter(bundles.values())).year)
        return rectification.summary(rectification.district(part, value["roster"], rules, when))
    return _run(run)


def rectification_previous(bundles_json: str, workspace_json: str, as_of: str) -> str:
    """Last year's rectification items still open, per organization, for this year's evaluation to
    see: {year, as_of, organizations: {name: [item with status on as_of]}}. bundles_json and
    workspace_json are last year's (its own standards)."""
    def run():
        when = application_files.check_as_of(as_of)
        bundles, value, part = _workspace(bundles_json, workspace_json)
        rules = application.settings(next(iter(bundles.values())).year)
        return {"year": value["year"], "as_of": when, "organizations": rectification.previous(part, value["roster"], rules, when)}
    return _run(run)


@returns("rectification-list-result")
def rectification_list(bundles_json: str, workspace_json: str, organization: str, meta_json: str) -> str:
    """The gm-rectification/1 list of the items issued to one organization: {list}. meta: {issued, office}."""
    def run():
        bundles, value, part = _workspace(bundles_json, workspace_json)
        meta = _json(meta_json, "整改清单信息")
        meta = meta if isinstance(meta, dict) else {}
        issued = application_files.check_as_of(meta.get("issued", ""))
        items = [i for i in part["items"] if i["organization"] == organization]
        if not items:
            raise InvalidInput([Problem("整改清单", (), f"尚未向“{organization}”下发整改事项")])
        year = next(iter(bundles.values())).year.year
        office = meta.get("office") if isinstance(meta.get("office"), str) else ""
        return {"list": application_files.make_list(items, organization, year, issued, office)}
    return _run(run)


def _list_of(value, bundle=None) -> dict:
    """The list in a list file or a feedback file. With the feedback's `bundle`, the whole feedback
    is checked (`yearfiles.check_feedback`: the list bound to the review it travels with)."""
    if isinstance(value, dict) and value.get("format") == yearfiles.FEEDBACK:
        if not isinstance(value.get("rectification"), dict):
            raise InvalidInput([Problem("反馈文件", ("rectification",), "该反馈文件中没有整改清单（办公室尚未向本单位下发整改事项）")])
        if bundle is not None:
            return yearfiles.check_feedback(yearfiles.read(value, yearfiles.FEEDBACK, "反馈文件"), bundle)["rectification"]
        return application_files.check_list(yearfiles.read(value["rectification"], application_files.LIST, "反馈文件"), "反馈文件")
    return application_files.check_list(yearfiles.read(value, application_files.LIST, "整改清单"))


def rectification_open(bundle_json: str, file_json: str, held_json: str) -> str:
    """The rectification list an organization received, from its feedback file or the list alone.
    bundle_json: the feedback's standard (a feedback is checked whole against it: its list must be
    drawn from the review it carries); for a list file, any standard of its year. held_json: the
    list the page holds with progress typed against it (`null` for none): a file that would replace
    it is refused if it is another organization's or year's, or lacks items the held list has (an
    older list): opening it would lose that progress."""
    def run():
        bundle = _bundle(bundle_json)
        value = yearfiles.textinput.loads(file_json, "整改清单", "json") if isinstance(file_json, str) else None
        listed = _list_of(value, bundle)
        if listed["year"] != bundle.year.year:
            raise InvalidInput([Problem("整改清单", ("year",), f"该清单为 {listed['year']} 年度（本页为 {bundle.year.year} 年度）")])
        if not _null(held_json):
            _replaces(_list_of(yearfiles.textinput.loads(held_json, "本页保存的整改清单", "json")), listed)
        return {"list": listed, "organization": listed["organization"], "items": application_files.list_items(listed)}
    return _run(run)


def _replaces(held: dict, listed: dict) -> None:
    """Refuse a list that cannot take the place of the `held` one without losing typed progress."""
    if (held["organization"], held["year"]) != (listed["organization"], listed["year"]):
        raise InvalidInput([Problem("整改清单", ("organization",),
                                    f"本页保存着“{held['organization']}”{held['year']} 年度的整改清单和进展，该文件是“{listed['organization']}”"
                                    f"{listed['year']} 年度的清单。如确需改报，请先导出报告，再点“清除本机保存的进展”后打开。")])
    ids = {e["item"]["id"] for e in listed["items"]}
    dropped = [e["item"]["id"] for e in held["items"] if e["item"]["id"] not in ids]
    if dropped:
        raise InvalidInput([Problem("整改清单", ("items",), f"该文件中没有本页已保存的整改事项 {'、'.join(dropped)}（可能是较早的清单），"
                                                          "其进展将丢失。请打开最新的反馈文件或整改清单。")])


def rectification_report(list_json: str, progress_json: str) -> str:
    """The organization's gm-rectification-report/1 from its list and its progress: {report}."""
    def run():
        listed = _list_of(yearfiles.textinput.loads(list_json, "整改清单", "json"))
        progress = _json(progress_json, "整改情况")
        collector = Collector("整改情况")
        if not isinstance(progress, dict) or not isinstance(progress.get("items"), list):
            collector.add((), "应为 {reported, items: [{id, status, done, note, evidence}]}")
            collector.raise_if_any()
        hashes = {e["item"]["id"]: e["hash"] for e in listed["items"]}
        items = []
        for i, p in enumerate(progress["items"]):
            if not isinstance(p, dict) or p.get("id") not in hashes:
                collector.add(("items", i, "id"), f"清单中没有编号为 {p.get('id') if isinstance(p, dict) else p!r} 的整改事项")
                continue
            items.append(dict({k: p[k] for k in ("status", "done", "note", "evidence") if k in p}, id=p["id"], hash=hashes[p["id"]]))
        collector.raise_if_any()
        report = {"format": application_files.REPORT, "year": listed["year"], "organization": listed["organization"],
                  "reported": progress.get("reported"), "items": items}
        if isinstance(progress.get("contact"), str) and progress["contact"]:
            report["contact"] = progress["contact"]
        report = yearfiles.read(report, application_files.REPORT, "整改情况")
        issued = {"items": [e["item"] for e in listed["items"]], "events": []}
        return {"report": application_files.check_report(report, issued, "整改情况")}
    return _run(run)


@returns("rectification-import-result")
def rectification_import(bundles_json: str, workspace_json: str, report_json: str, recorded: str) -> str:
    """An organization's report checked against the items issued: {organization, events (to append),
    already (item ids this report was imported for before), items}. Refused: items never issued,
    changed since issued, or closed."""
    from .standards import content_hash

    def run():
        bundles, value, part = _workspace(bundles_json, workspace_json)
        report = yearfiles.read(report_json, application_files.REPORT)
        year = next(iter(bundles.values())).year.year
        if report["year"] != year:
            raise InvalidInput([Problem("整改情况报告", ("year",), f"该报告为 {report['year']} 年度（当前为 {year} 年度）")])
        application_files.check_report(report, part)
        stamp = recorded if isinstance(recorded, str) and recorded else _now()
        events = application_files.report_events(report, content_hash(report), stamp)
        have = {e["id"] for e in part["events"]}
        return {"organization": report["organization"], "events": [e for e in events if e["id"] not in have],
                "already": [e["item"] for e in events if e["id"] in have], "items": [e["id"] for e in report["items"]]}
    return _run(run)


def application_export(kind: str, bundles_json: str, workspace_json: str, as_of: str) -> str:
    """The proposals table, the decisions summary or the rectification view as a file:
    kind proposals-csv | proposals-xlsx | decisions-csv | decisions-xlsx | rectification-csv |
    rectification-xlsx -> {text} (CSV with BOM) or {base64, bytes}."""
    import base64

    from . import application_export as export

    def run():
        table, fmt = kind.rsplit("-", 1) if isinstance(kind, str) and "-" in kind else ("", "")
        if table not in export.TABLES or fmt not in ("csv", "xlsx"):
            raise InvalidInput([Problem("导出", (), f"未知的导出类型 {kind!r}（可用：{'、'.join(f'{t}-csv、{t}-xlsx' for t in export.TABLES)}）")])
        when = application_files.check_as_of(as_of)
        bundles, value, part = _workspace(bundles_json, workspace_json)
        sheets = export.sheets(table, bundles, value, part, when)
        if fmt == "csv":
            from .office import csv_text

            return {"text": csv_text(sheets[0][1])}
        from . import office_xlsx

        data = office_xlsx.sheets_bytes(sheets, f"{value['year']} 年度" + export.TABLES[table], office_xlsx._january(value["year"]))
        return {"base64": base64.b64encode(data).decode("ascii"), "bytes": len(data)}
    return _run(run)
