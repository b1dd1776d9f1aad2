"""The results application's files and records (issue #16): the workspace's `application` part, one
new record in context, the rectification list (gm-rectification/1) and the organization's report
(gm-rectification-report/1).

Every file is read the one way (`yearfiles.read`: bounded, duplicate keys and invalid characters
refused, Chinese reasons with the line) and checked against its schema, then against the year's
settings and the records it refers to; everything wrong is reported at once and nothing but
`InvalidInput` is raised, so a refused file or record never reaches the workspace.
"""

from __future__ import annotations

import re

from . import application, rectification
from .errors import Collector, InvalidInput, Problem
from .schema import load_schema
from .schemafast import check as validate  # the compiled yes/no first, the messages only when needed
from .yearfiles import _unique_ids, check_date, read

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
LIST, REPORT = "gm-rectification/1", "gm-rectification-report/1"
PART_NAMES = {"persons": "责任人", "proposals": "运用建议表述", "tolerance": "容错认定", "clarifications": "澄清保护认定",
              "decisions": "运用决定", "items": "整改事项", "events": "整改进展"}
DEFS = {"persons": "person", "proposals": "proposal", "tolerance": "tolerance", "clarifications": "clarification",
        "decisions": "decision", "items": "item", "events": "event"}
SOURCE = "结果运用记录"


def _year_rules(bundles: dict):
    year = next(iter(bundles.values())).year
    return year.year, application.settings(year)


def check_part(part: dict, bundles: dict, workspace: dict | None = None, source: str = "年度工作文件") -> dict:
    """The `application` part of a workspace: its schema, ids unique per list, references between its
    records (a 容错 finding names a person of the same organization, an event an issued item), the
    year's settings (responsibilities, situations), dates, and the decisions' order (one decision,
    then changes with reasons, never earlier than what they change). Returns `part`."""
    collector = Collector(source)
    validate(part, load_schema("application"), collector.add)
    collector.raise_if_any()
    return _check_between(part, bundles, workspace, source)


def _check_between(part: dict, bundles: dict, workspace: dict | None, source: str) -> dict:
    """`check_part`'s checks beyond each record's schema (ids, references, settings, dates, the
    decisions' order), on a part whose records each passed their schema. Returns `part`."""
    collector = Collector(source)
    year, rules = _year_rules(bundles)
    for name in application.PARTS:
        _unique_ids(part[name], (name,), PART_NAMES[name] + "编号", collector)
    persons = {p["id"]: p for p in part["persons"]}
    items = {i["id"]: i for i in part["items"]}
    for i, p in enumerate(part["persons"]):
        if p["responsibility"] not in rules.responsibilities:
            collector.add(("persons", i, "responsibility"), _unknown("责任类型", p["responsibility"], rules.responsibilities))
    for i, e in enumerate(part["proposals"]):
        if e["target"] == "person":
            _person(e, persons, ("proposals", i), collector)
        elif "person" in e:
            collector.add(("proposals", i, "person"), "只有针对责任人的建议（target: person）才写 person")
    for i, t in enumerate(part["tolerance"]):
        _person(t, persons, ("tolerance", i), collector)
        if t["situation"] not in rules.situations:
            collector.add(("tolerance", i, "situation"), _unknown("容错情形", t["situation"], rules.situations))
        check_date(t["date"], ("tolerance", i, "date"), collector, None)
    for i, c in enumerate(part["clarifications"]):
        check_date(c["date"], ("clarifications", i, "date"), collector, None)
    seen = {}
    order = sorted(range(len(part["decisions"])), key=lambda i: (part["decisions"][i]["date"],
                                                                  part["decisions"][i].get("recorded", ""), part["decisions"][i]["id"]))
    for i in order:  # in the order they were taken, whatever order two merged files listed them in
        d, path = part["decisions"][i], ("decisions", i)
        check_date(d["date"], path + ("date",), collector, None)
        _decision_shape(d, path, collector)
        before = seen.get(d["organization"])
        if before is None and d["kind"] != "decision":
            collector.add(path + ("kind",), f"“{d['organization']}”尚无运用决定，最早的一条应为决定（kind: decision），不是变更")
        if before is not None and d["kind"] != "change":
            collector.add(path + ("kind",), f"“{d['organization']}”已有运用决定（{before['date']}），之后只能记录变更（kind: change），不能覆盖")
        seen.setdefault(d["organization"], d)
    for i, item in enumerate(part["items"]):
        check_date(item["issued"], ("items", i, "issued"), collector, None)
        check_date(item["deadline"], ("items", i, "deadline"), collector, None)
        if item["deadline"] < item["issued"]:
            collector.add(("items", i, "deadline"), f"整改期限 {item['deadline']} 早于下发日期 {item['issued']}")
    for i, e in enumerate(part["events"]):
        path = ("events", i)
        if e["item"] not in items:
            collector.add(path + ("item",), f"没有编号为 '{e['item']}' 的整改事项")
        check_date(e["date"], path + ("date",), collector, None)
        _event_shape(e, path, collector)
    if workspace is not None:
        known = {r["name"] for r in workspace["roster"]} | {a["assessment"]["organization"]["name"] for a in workspace["assessments"]} \
            | {r["organization"]["name"] for r in workspace["reviews"]}
        for name in ("persons", "proposals", "tolerance", "clarifications", "decisions", "items"):
            for i, e in enumerate(part[name]):
                if e["organization"] not in known:
                    collector.add((name, i, "organization"), f"工作文件中没有党组织“{e['organization']}”（名单、自评和评议中都没有）")
    collector.raise_if_any()
    return part


def _unknown(what, value, known) -> str:
    return f"未知的{what} '{value}'（应为年度设置中的：{'、'.join(known)}）"


def _person(entry, persons, path, collector):
    person = persons.get(entry.get("person"))
    if person is None:
        collector.add(path + ("person",), f"没有编号为 '{entry.get('person', '')}' 的责任人")
    elif person["organization"] != entry["organization"]:
        collector.add(path + ("person",), f"责任人 '{person['id']}' 属于“{person['organization']}”，不是“{entry['organization']}”")


def _decision_shape(d, path, collector):
    if d["outcome"] == "changed" and not d.get("texts"):
        collector.add(path + ("texts",), "改变建议（outcome: changed）须写明决定的表述（texts）")
    if d["outcome"] == "adopted" and d.get("texts"):
        collector.add(path + ("texts",), "按建议通过（outcome: adopted）时不写 texts（决定即所提建议）")
    if d["kind"] == "change" and not d.get("reason", "").strip():
        collector.add(path + ("reason",), "变更运用决定须写明理由")
    for key in d.get("texts", {}):
        if key not in application.TARGETS and not key.startswith("person:"):
            collector.add(path + ("texts", key), f"未知的建议对象 '{key}'（应为 organization、principal、members 或 person:责任人编号）")


def _event_shape(e, path, collector):
    if e["kind"] == "returned" and not e.get("reason", "").strip():
        collector.add(path + ("reason",), "退回重改须写明理由")
    if e["kind"] == "reported" and "status" not in e:
        collector.add(path + ("status",), "整改报告须写明该项已完成（done）还是整改中（in-progress）")
    if e.get("status") == "done" and not e.get("done"):
        collector.add(path + ("done",), "已完成的整改须写明完成日期（done）")
    if "done" in e:
        check_date(e["done"], path + ("done",), collector, None)


def merge_parts(a: dict | None, b: dict | None) -> tuple:
    """Two application parts -> (merged, added per list, conflicts per list): records by id, as every
    part of the workspace (`workspace.merge_records`)."""
    from .workspace import merge_records

    a, b = a or application.empty(), b or application.empty()
    out, added, conflicts = {}, {}, {}
    for name in application.PARTS:
        out[name], conflicts[name] = merge_records(a[name], b[name], lambda r: r["id"])
        added[name] = len(out[name]) - len(a[name])
    return out, added, conflicts


# ---------------------------------------------------------------- one new record, in context


def check_new(part_name: str, entry, part: dict, view: dict, bundles: dict, source: str = SOURCE,
              listed: list | None = None) -> dict:
    """A record the office is about to add for one organization, against that organization's current
    state (`view`: `application.organization`; `part`: a part that passed `check_part`, as every
    opened workspace's has): the references must exist, a 澄清保护 finding blocks
    responsibility drawn from its problem, and a decision must be for the current final result.
    `listed`: the whole year's list of this part when `part` holds one organization's records only
    (`check_appended`): the new id must be new there, and the list's bound counts there.
    Returns the entry; refuses (InvalidInput) with every reason otherwise."""
    collector = Collector(source)
    if part_name not in DEFS:
        collector.add((), f"未知的记录类型 {part_name!r}（应为：{'、'.join(DEFS)}）")
        collector.raise_if_any()
    schema = load_schema("application")
    validate(entry, schema["$defs"][DEFS[part_name]], collector.add, (), schema)
    collector.raise_if_any()
    if listed is None:
        listed = part[part_name]
    if any(e["id"] == entry["id"] for e in listed):
        collector.add(("id",), f"已有编号为 '{entry['id']}' 的{PART_NAMES[part_name]}（已记录的不能覆盖）")
    problems = {p["key"]: p for p in view["problems"]}
    clarified = {c["problem"] for c in view["clarifications"]}
    if part_name == "persons":
        if entry["problem"] not in problems:
            collector.add(("problem",), f"“{view['organization']}”的最终评议结果中没有问题 '{entry['problem']}'")
        if entry["problem"] in clarified:
            collector.add(("problem",), "该问题已作澄清保护认定（反映失实），不得据此认定责任")
    if part_name in ("persons", "proposals", "tolerance", "decisions", "items") and view["grade"] is None:
        collector.add(("organization",), f"“{view['organization']}”尚无最终评议结果，不能提出运用建议或整改事项")
    if part_name == "clarifications" and entry["problem"] not in problems and entry["problem"] not in view["reports"]:
        collector.add(("problem",), f"“{view['organization']}”没有问题或反映 '{entry['problem']}'")
    if part_name == "items":
        if entry["problem"] not in problems:
            collector.add(("problem",), f"“{view['organization']}”的最终评议结果中没有问题 '{entry['problem']}'")
        if entry["problem"] in clarified:
            collector.add(("problem",), "该问题已作澄清保护认定（反映失实），不再下发整改")
    if part_name == "decisions":
        if entry["result_hash"] != view["result_hash"]:
            collector.add(("result_hash",), "该决定所针对的评议结果已改变（决定时的结果与当前最终评议结果不一致），"
                                            "请按当前结果重新审议后再记录")
        for reason in view["blocked"]:
            collector.add(("organization",), reason)
        keys = {p["key"] for p in view["proposals"] + view["persons"] if not p.get("none")}
        for key in entry.get("texts", {}):
            if key not in keys:
                collector.add(("texts", key), f"“{view['organization']}”没有建议对象 '{key}'（应为：{'、'.join(keys)}）")
        entries = view["decision"]["entries"]
        if entries and entry["date"] < entries[-1]["date"]:
            collector.add(("date",), f"变更日期 {entry['date']} 早于此前的决定（{entries[-1]['date']}）")
    if part_name == "events":
        item = next((i for i in view["rectification"]["items"] if i["id"] == entry["item"]), None)
        if item is None:
            collector.add(("item",), f"“{view['organization']}”没有编号为 '{entry['item']}' 的整改事项")
        elif entry["kind"] in ("accepted", "returned") and item["status"] != "reported":
            collector.add(("kind",), f"整改事项 '{item['id']}' 当前为“{item['status_name']}”：只有已报告待验收的事项才能验收或退回")
    collector.raise_if_any()
    if part_name != "events" and entry["organization"] != view["organization"]:
        collector.add(("organization",), f"该记录属于“{entry['organization']}”，不是“{view['organization']}”")
        collector.raise_if_any()
    # The stored part's own checks (references, decision order, dates) on the part with the record.
    # `part` passed `check_part` as its workspace was opened and the record its schema above: only
    # the list's size limit and the checks between records are left (every record's schema checked
    # a second time was ~8 % of `application_add`, on the path of each change shown).
    over = _over_bound(part_name, len(listed) + 1)
    if over:
        collector.add((part_name,), over)
        collector.raise_if_any()
    _check_between({k: part[k] + [entry] if k == part_name else part[k] for k in application.PARTS}, bundles, None, source)
    return entry



def _over_bound(part_name: str, count: int) -> str | None:
    """Why a list of `count` records of this part is over the schema's bound, or None."""
    limit = load_schema("application")["properties"][part_name].get("maxItems")
    return f"列表项数为 {count}（至多 {limit} 项）" if limit is not None and count > limit else None


# ---------------------------------------------------------------- records appended to a checked year


def check_appended(added: dict, base: dict, value: dict, bundles: dict, source: str = "年度工作文件") -> None:
    """Records `added` ({part: [records]}) appended to the application part of a year `base` that this
    scorer checked in full, making `value`: each checked as `check_new` checks a record the office is
    about to add: its schema and characters, an id new in the whole year, and its organization's
    state in the whole year (that organization's final result and its records before it, those
    appended before it included). The rest of `value` is `base` itself, so what `check_part` would
    find in the whole year can only be in what was added: checking 1000 organizations' year whole
    after every single change held the worker for seconds. Refuses (InvalidInput, with paths into
    the workspace) otherwise."""
    from .textinput import check_strings

    collector = Collector(source)

    def within(path, run):
        """`run()`'s answer; its refusal's problems placed under `path`, refused at once."""
        try:
            return run()
        except InvalidInput as exc:
            collector.problems.extend(Problem(source, path + tuple(p.path), p.message) for p in exc.problems)
            collector.raise_if_any()

    schema = load_schema("application")
    part = {k: list(v) for k, v in (base.get("application") or application.empty()).items()}
    owners = {i["id"]: i["organization"] for i in part["items"]}
    grouped = application.by_organization(part)
    finals = {}  # organization -> its final inputs: records appended change no final result
    for name in application.PARTS:
        for entry in added.get(name, ()):
            path = ("application", name, len(part[name]))
            validate(entry, schema["$defs"][DEFS[name]], collector.add, path, schema)  # its owner is read from it
            collector.raise_if_any()
            within(path, lambda: check_strings(entry, source))
            owner = owners.get(entry["item"]) if name == "events" else entry["organization"]
            if owner is None:
                collector.add(path + ("item",), f"没有编号为 '{entry['item']}' 的整改事项")
            over = _over_bound(name, len(part[name]) + 1)  # the year's list: check_new's count would name the part inside the record
            if over:
                collector.add(("application", name), over)
            collector.raise_if_any()
            if owner not in finals:
                finals[owner] = application.final_inputs(bundles, value, only=owner)
            mine = grouped.setdefault(owner, application.empty())
            view = within(path, lambda: application.view_of(bundles, value, mine, owner, None, finals[owner]))
            within(path, lambda: check_new(name, entry, mine, view, bundles, source, listed=part[name]))
            part[name].append(entry)
            mine[name].append(entry)
            if name == "items":
                owners[entry["id"]] = owner


# ---------------------------------------------------------------- the list and the report


def make_list(items: list, organization: str, year: int, issued: str, office: str = "") -> dict:
    """The gm-rectification/1 list of one organization's items (each with its content hash)."""
    value = {"format": LIST, "year": year, "organization": organization, "issued": issued,
             "items": [{"hash": rectification.item_hash(i), "item": i} for i in items]}
    if office:
        value["office"] = office
    return read(value, LIST)


def check_list(value: dict, source: str = "整改清单") -> dict:
    """A read list: every item's hash is its content's and every item is the organization's."""
    collector = Collector(source)
    check_date(value["issued"], ("issued",), collector, None)
    _unique_ids([e["item"] for e in value["items"]], ("items",), "整改事项编号", collector)
    for i, e in enumerate(value["items"]):
        if rectification.item_hash(e["item"]) != e["hash"]:
            collector.add(("items", i, "hash"), "整改事项的内容与其哈希不符（清单可能被改动），请向领导小组办公室索取原清单")
        if e["item"]["organization"] != value["organization"]:
            collector.add(("items", i, "item", "organization"), f"该事项属于“{e['item']['organization']}”，不是“{value['organization']}”")
    collector.raise_if_any()
    return value


def list_items(listed: dict) -> list:
    """A checked list's items as the organization's pages show them: [{id, hash, problem_text,
    measure, deadline, responsible, issued}] (from a list file or the list a feedback carries)."""
    return [dict({k: e["item"][k] for k in ("id", "problem_text", "measure", "deadline", "responsible", "issued")},
                 hash=e["hash"]) for e in listed["items"]]


def check_carried(feedback: dict, bundle, source: str = "反馈文件") -> dict | None:
    """The rectification list a feedback file carries (gm-feedback/1's optional `rectification`,
    issue #16), or None for a feedback without one (every file from before #16 opens as it did).

    Checked as a list file is (shape, bounds, duplicate ids, each item's content hash) and against
    the feedback it travels in: the same year and organization, and every item drawn from a problem
    of the final result of the review the feedback carries, so a list edited after it was made, or
    pasted from another organization's feedback, is refused with every reason. `feedback` must
    already be checked (`yearfiles.check_feedback`), as `application.problems` trusts its review."""
    if "rectification" not in feedback:
        return None
    where = ("rectification",)
    collector = Collector(source)

    def inside(run):
        try:
            return run()
        except InvalidInput as exc:
            collector.problems.extend(Problem(source, where + tuple(p.path), p.message, p.line, p.column) for p in exc.problems)
            return None

    listed = inside(lambda: read(feedback["rectification"], LIST, source))
    collector.raise_if_any()  # its shape first: nothing below can be said of a list that is not one
    inside(lambda: check_list(listed, source))  # then every reason at once: hashes, ids, and the bindings below
    if listed["year"] != feedback["year"]:
        collector.add(where + ("year",), f"整改清单为 {listed['year']} 年度，反馈为 {feedback['year']} 年度（清单与反馈不符）")
    if listed["organization"] != feedback["organization"]:
        collector.add(where + ("organization",),
                      f"整改清单属于“{listed['organization']}”，反馈属于“{feedback['organization']}”（清单与反馈不符）")
    found = {p["key"] for p in application.problems(bundle, feedback["assessment"], feedback["review"])}
    for i, e in enumerate(listed["items"]):
        if e["item"]["problem"] not in found:
            collector.add(where + ("items", i, "item", "problem"),
                          f"整改事项 '{e['item']['id']}' 针对的问题 '{e['item']['problem']}' 不在本反馈所附评议的最终结果中"
                          "（清单与评议不符），请向领导小组办公室索取新的反馈文件")
    collector.raise_if_any()
    return listed


def carry_list(items, organization: str, year: int, issued: str, office: str = "") -> dict | None:
    """The list a new feedback file carries: the items (the workspace's `application.items`, as the
    office keeps them) issued to `organization` so far, or None when none were issued."""
    collector = Collector(SOURCE)
    if not isinstance(items, list):
        collector.add(("rectification",), "应为整改事项的数组（工作文件中的 application.items）")
        collector.raise_if_any()
    mine = [i for i in items if isinstance(i, dict) and i.get("organization") == organization]
    if not mine:
        return None
    check_as_of(issued, "反馈信息")  # the list's issue date is the feedback's
    return make_list(mine, organization, year, issued, office)


def check_report(value: dict, part: dict, source: str = "整改情况报告") -> dict:
    """A read report against the items the office issued (`part`): each item named must have been
    issued to that organization, as issued (same content hash), and not yet closed."""
    collector = Collector(source)
    check_date(value["reported"], ("reported",), collector, None)
    _unique_ids(value["items"], ("items",), "整改事项编号", collector)
    issued = {i["id"]: i for i in part["items"]}
    closed = {e["item"] for e in part["events"] if e["kind"] == "accepted"}
    for i, e in enumerate(value["items"]):
        path = ("items", i)
        item = issued.get(e["id"])
        if item is None:
            collector.add(path + ("id",), f"领导小组办公室未下发编号为 '{e['id']}' 的整改事项，报告不能导入")
            continue
        if item["organization"] != value["organization"]:
            collector.add(path + ("id",), f"整改事项 '{e['id']}' 下发给“{item['organization']}”，不是“{value['organization']}”")
        if rectification.item_hash(item) != e["hash"]:
            collector.add(path + ("hash",), f"整改事项 '{e['id']}' 与下发时的内容不一致（报告依据的清单不是办公室下发的），报告不能导入")
        if e["id"] in closed:
            collector.add(path + ("id",), f"整改事项 '{e['id']}' 已验收销号，不再接收报告")
        if e["status"] == "done" and not e.get("done"):
            collector.add(path + ("done",), "已完成的整改须写明完成日期（done）")
        if "done" in e:
            check_date(e["done"], path + ("done",), collector, None)
            if e["done"] > value["reported"]:
                collector.add(path + ("done",), f"完成日期 {e['done']} 晚于报告日期 {value['reported']}")
    collector.raise_if_any()
    return value


def report_events(value: dict, report_hash: str, recorded: str) -> list:
    """The `reported` events a checked report adds, with ids derived from the report and the item, so
    importing the same report twice adds nothing."""
    from .standards import content_hash

    out = []
    for e in value["items"]:
        event = {"id": "rep-" + content_hash({"report": report_hash, "item": e["id"]})[7:23], "item": e["id"],
                 "kind": "reported", "date": value["reported"], "status": e["status"], "report": report_hash,
                 "recorded": recorded}
        for k in ("done", "note", "evidence"):
            if k in e:
                event[k] = e[k]
        out.append(event)
    return out


def check_as_of(text, source: str = "核对日期") -> str:
    """The date overdue items are computed against: YYYY-MM-DD, or InvalidInput naming `source`."""
    collector = Collector(source)
    if not isinstance(text, str) or not _DATE.fullmatch(text):
        collector.add((), f"日期 {text!r} 无法识别（应为 YYYY-MM-DD，如 2020-03-31）")
    else:
        check_date(text, (), collector)
    collector.raise_if_any()
    return text
