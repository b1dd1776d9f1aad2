"""Results application (运用, issue #16): from an organization's final result to the proposals for the
organization, its principal, its leading team and the persons with responsibility, the leading
group's decision, and the result's history.

Why it is built this way:
- Proposals are never stored, only computed: the prefilled text is the year's wording for the final
  grade (`grades[].application`) or, for a person, for the responsibility and grade
  (`application.proposals`); what the office stores is a changed wording with its reason
  (`proposals`), the persons, and the 容错 / 澄清保护 findings. A changed final result changes the
  proposals by itself.
- Decisions are an append-only list: the first entry is the decision, later ones are changes with a
  reason; each is bound to the final result it decided by `result_hash`, so a decision recorded for a
  result that has since changed is refused, and one already recorded shows as stale.
- A problem is an occurrence of a deduction or grade limit that counts in the final result, named by
  a key stable across edits: declared:<item>:<index>, addition:<id> or record:<id>.
- A 澄清保护 finding on a problem blocks every proposal drawn from it: persons linked to it get no
  proposal, and while the problem still counts in the result the organization's proposals cannot be
  decided.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Collector, InvalidInput, Problem
from .evaluation import effective
from .items import BONUS, index
from .model import year_part
from .numbers import num, to_json
from .standards import content_hash
from .yearfiles import _unique  # one wording for a repeated id in a year's settings

SOURCE = "结果运用"
TARGETS = {"organization": "党组织", "principal": "党组织主要负责人", "members": "领导班子成员"}
STEP_NAMES = {"self-declared": "自评", "reviewed": "评议", "proposed": "运用建议", "decided": "运用决定",
              "changed": "决定变更"}
ORIGIN_NAMES = {"declared": "自评所报", "added": "核查发现", "supervision": "日常监督"}
PARTS = ("persons", "proposals", "tolerance", "clarifications", "decisions", "items", "events")


def empty() -> dict:
    """The application part of a workspace that has none yet (gm-workspace/1 files from before #16)."""
    return {part: [] for part in PARTS}


@dataclass(frozen=True)
class Settings:
    """A year's results application settings (`application` in year.yaml)."""

    responsibilities: dict  # id -> model.Responsibility
    proposals: dict  # responsibility id -> grade id -> text
    situations: dict  # id -> model.ToleranceSituation
    tolerance_official: bool
    tolerance_note: str
    tolerance_proposal: str
    clarification_proposal: str
    deadline_days: int
    grace_days: int
    sample: bool


def settings(year) -> Settings:
    """The application settings of a year (`model.Year`), or InvalidInput when the year defines none.
    Made once per settings record (`model.year_part`), as `yearfiles.settings` is for the evaluation's:
    a district view asks for them per organization."""
    return year_part(year, "application", "结果运用规则", "提出运用建议", _settings)


def _settings(rules) -> Settings:
    t = rules.tolerance
    return Settings(
        responsibilities={r.id: r for r in rules.responsibilities}, proposals=rules.proposals,
        situations={s.id: s for s in t.situations}, tolerance_official=t.official, tolerance_note=t.note,
        tolerance_proposal=t.proposal, clarification_proposal=rules.clarification.proposal,
        deadline_days=rules.rectification.deadline_days, grace_days=rules.rectification.grace_days,
        sample=rules.values == "sample")


def check_settings(value: dict, collector: Collector, grade_ids) -> None:
    """Invariants of a year's `application` the schema cannot say (called from `standards.check_year`):
    unique ids, a wording for every responsibility and grade, and no placeholder called official."""
    rules = value.get("application")
    if not isinstance(rules, dict):
        return
    grade_ids = list(grade_ids)
    ids = [r["id"] for r in rules["responsibilities"]]
    _unique(ids, ("application", "responsibilities"), "责任类型 id", collector)
    for rid in ids:
        row = rules["proposals"].get(rid)
        if row is None:
            collector.add(("application", "proposals"), f"缺少责任类型 '{rid}' 的运用建议表述（每种责任类型须为每个等次写一条）")
            continue
        for gid in grade_ids:
            if gid not in row:
                collector.add(("application", "proposals", rid), f"缺少等次 '{gid}' 的表述（应为每个等次写一条：{', '.join(grade_ids)}）")
        for gid in row:
            if gid not in grade_ids:
                collector.add(("application", "proposals", rid, gid), f"未知等级 '{gid}'（应为本年度等级 id 之一：{', '.join(grade_ids)}）")
    for rid in rules["proposals"]:
        if rid not in ids:
            collector.add(("application", "proposals", rid), f"未知的责任类型 '{rid}'（应为 responsibilities 中的 id 之一：{', '.join(ids)}）")
    situations = rules["tolerance"]["situations"]
    _unique([s["id"] for s in situations], ("application", "tolerance", "situations"), "容错情形 id", collector)
    placeholders = [i for i, s in enumerate(situations) if s["status"] == "to-fill"]
    if placeholders and rules["tolerance"]["official"]:
        collector.add(("application", "tolerance", "official"),
                      f"仍有 {len(placeholders)} 条容错情形待填写（status: to-fill），不能标为正式（official: true）")
    if placeholders and rules["values"] == "official":
        collector.add(("application", "values"), "容错情形尚待填写（status: to-fill），结果运用设置不能标为正式（values: official）")


# ---------------------------------------------------------------- problems and the result's hash


# What a decision decides: every figure and difference of the final result and the grade with its
# wordings (the receipt's lines and the per-item arithmetic follow from these and the standard's hash).
DECIDED = ("organization", "year", "standard", "standard_hash", "method", "score_total", "total", "grade",
           "self_declared", "changes", "pending", "qualitative", "related", "incomplete", "review", "limits_applied")


def result_hash(result: dict) -> str:
    """The hash a decision is bound to: the final result's figures, grade (with its wordings) and
    every difference with its reason, so any change to what was decided makes the decision stale."""
    return content_hash({k: result.get(k) for k in DECIDED})


def problems(bundle, assessment, review, records=(), kept=None) -> list:
    """The problems of an organization: each occurrence of a deduction or grade limit that counts in
    its final result (bonuses are not problems), in the order `evaluation.effective` gives them:
    [{key, item, kind, text, date, count, note, origin, origin_name, source_name}]. kept: those
    occurrences, when the caller has them from the final result (`final_result(kept=...)`)."""
    from .yearfiles import settings as evaluation_settings

    rules = evaluation_settings(bundle.year)
    if kept is None:
        kept, _, _ = effective(bundle, assessment, review, records, rules)
    texts = index(bundle)
    out = []
    for occ in kept:
        kind, text = texts[occ.item].kind, texts[occ.item].item.text
        if kind == BONUS:
            continue
        key = (f"declared:{occ.item}:{occ.index}" if occ.origin == "declared"
               else f"addition:{_addition_id(review, occ)}" if occ.origin == "added" else f"record:{occ.record}")
        out.append({"key": key, "item": occ.item, "kind": kind, "text": text, "date": occ.date, "count": occ.count,
                    "note": occ.note, "origin": occ.origin, "origin_name": ORIGIN_NAMES[occ.origin],
                    "source_name": rules.sources.get(occ.source, "")})
    return out


def _addition_id(review, occ) -> str:
    for a in review["additions"]:
        if a["item"] == occ.item and a["date"] == occ.date and a.get("record", "") == occ.record \
                and a["source"] == occ.source and a.get("note", "") == occ.note:
            return a["id"]
    raise AssertionError("an added occurrence without its addition")


def reports(review, records) -> set:
    """Every report a 澄清保护 finding may name for an organization: its problems' keys are among
    them, and so are supervision records and review additions that no longer count."""
    keys = {f"record:{r['id']}" for r in records}
    keys |= {f"addition:{a['id']}" for a in (review or {}).get("additions", ())}
    return keys


# ---------------------------------------------------------------- one organization


def by_organization(part: dict) -> dict:
    """name -> the application part's entries that concern that organization (events by their
    item), in one pass over the part: a district of 1000 organizations must not scan it 1000 times."""
    out = {}
    owner = {}
    for k in PARTS:
        if k == "events":
            continue
        for e in part[k]:
            out.setdefault(e["organization"], empty())[k].append(e)
            if k == "items":
                owner[e["id"]] = e["organization"]
    for e in part["events"]:
        if e["item"] in owner:
            out[owner[e["item"]]]["events"].append(e)
    return out


def _latest(entries):
    return max(entries, key=lambda e: (e.get("updated", ""), e["id"])) if entries else None


def _order(entries):
    return sorted(entries, key=lambda e: (e["date"], e.get("recorded", ""), e["id"]))


def proposals(bundle, result: dict, found: list, mine: dict, rules: Settings) -> dict:
    """The proposals of one organization: {grade, targets: [...], persons: [...], blocked: [reasons]}.

    targets: the organization, its principal and its members, each {target, key, label, prefilled,
    text, edited, reason, basis}; persons: each person with responsibility {id, name, post,
    responsibility, responsibility_name, problem, problem_text, key, label, prefilled, text, edited,
    reason, basis, tolerance, clarified}. Without a final grade there are no proposals.
    """
    grade = result["grade"]
    by_key = {p["key"]: p for p in found}
    clarified = {c["problem"]: c for c in mine["clarifications"]}
    blocked = [f"问题 {k}（{by_key[k]['item']} {by_key[k]['text']}）已澄清（反映失实），但仍计入最终评议结果："
               "请先在核查评议中对其不予认定，再提出运用建议" for k in clarified if k in by_key]
    edits = {}
    for e in mine["proposals"]:
        key = e["target"] if e["target"] != "person" else f"person:{e.get('person', '')}"
        edits.setdefault(key, []).append(e)

    def one(key, label, prefilled, basis):
        edit = _latest(edits.get(key, []))
        return {"key": key, "label": label, "prefilled": prefilled, "text": edit["text"] if edit else prefilled,
                "edited": edit is not None, "reason": edit["reason"] if edit else "", "basis": basis}

    targets = []
    if grade is not None:
        why = f"最终评议等次“{grade['name']}”（{num(result['total'])} 分）的运用表述"
        for target, label in TARGETS.items():
            targets.append(dict(one(target, label, grade["application"][target], [why]), target=target))
    persons = []
    tolerance = {}
    for t in mine["tolerance"]:
        tolerance[t["person"]] = t if t["person"] not in tolerance else _latest([tolerance[t["person"]], t])
    for p in mine["persons"]:
        resp = rules.responsibilities[p["responsibility"]]
        problem = by_key.get(p["problem"])
        problem_text = f"{problem['item']} {problem['text']}" if problem else p["problem"]
        row = {"id": p["id"], "name": p["name"], "post": p["post"], "responsibility": resp.id,
               "responsibility_name": resp.name, "problem": p["problem"], "problem_text": problem_text,
               "tolerance": None, "clarified": p["problem"] in clarified}
        label = f"{p['name']}（{p['post']}，{resp.name}）"
        if row["clarified"]:
            c = clarified[p["problem"]]
            row.update(key=f"person:{p['id']}", label=label, prefilled=rules.clarification_proposal,
                       text=rules.clarification_proposal, edited=False, reason="",
                       basis=[f"澄清保护：{c['finding']}（{c['date']}）"], none=True)
        elif grade is None:
            continue
        else:
            basis = [f"{resp.name}：{problem_text}", f"党组织最终评议等次“{grade['name']}”"]
            prefilled = rules.proposals[resp.id][grade["id"]]
            t = tolerance.get(p["id"])
            if t is not None:
                s = rules.situations[t["situation"]]
                row["tolerance"] = {"situation": s.id, "name": s.name, "placeholder": s.placeholder,
                                    "reason": t["reason"], "date": t["date"], "evidence": t.get("evidence", [])}
                prefilled = rules.tolerance_proposal
                basis.append(f"容错认定：{s.name}" + ("（占位条目，待编辑依据正式文件填写）" if s.placeholder else "")
                             + f"，理由：{t['reason']}")
            row.update(one(f"person:{p['id']}", label, prefilled, basis), none=False)
        persons.append(row)
    return {"grade": None if grade is None else {"id": grade["id"], "name": grade["name"]},
            "targets": targets, "persons": persons, "blocked": blocked}


def proposed_texts(proposed: dict) -> dict:
    """key -> text of every proposal that may be decided (persons without a proposal left out)."""
    return {p["key"]: p["text"] for p in proposed["targets"] + proposed["persons"] if not p.get("none")}


def decisions(mine: dict, current_hash: str) -> dict:
    """The decision state of one organization from its append-only entries: {state: none | decided |
    changed, entries (in order, each with decided texts), texts (what stands now), stale (the result
    changed after the last entry), date, meeting}."""
    entries, texts = [], {}
    for e in _order(mine["decisions"]):
        texts = dict(e.get("proposals", {}))
        if e["outcome"] == "changed":
            texts.update(e.get("texts", {}))
        entries.append(dict(e, decided=dict(texts)))
    if not entries:
        return {"state": "none", "entries": [], "texts": {}, "stale": False, "date": "", "meeting": ""}
    last = entries[-1]
    return {"state": "changed" if len(entries) > 1 else "decided", "entries": entries, "texts": texts,
            "stale": last["result_hash"] != current_hash, "date": last["date"], "meeting": last["meeting"]}


def history(result: dict, assessment, review, proposed: dict, mine: dict, decided: dict) -> list:
    """The result's history in order: self-declared -> reviewed -> proposed -> decided -> changed,
    each {step, step_name, date, text}."""
    steps = []
    own = result["self_declared"]
    if own is not None:
        steps.append(_step("self-declared", (assessment or {}).get("assessor", {}).get("date", ""),
                           f"自评 {num(own['total'])} 分，等次{own['grade']['name']}"))
    if result["method"] != "self" or review is not None:
        when = ((review or {}).get("team") or {}).get("date") or (review or {}).get("updated", "")[:10]
        outcome = "尚无最终结果" if result["grade"] is None else f"{num(result['total'])} 分，等次{result['grade']['name']}"
        steps.append(_step("reviewed", when, f"{result['method_name']}：{outcome}，与自评不同之处 {len(result['changes'])} 项"))
    first = decided["entries"][0] if decided["entries"] else None
    # a wording changed after the decision went to no meeting: the proposal's date is the last change before it
    edits = [e.get("updated", "")[:10] for e in mine["proposals"] if first is None or e.get("updated", "")[:10] <= first["date"]]
    labels = {p["key"]: p["label"] for p in proposed["targets"] + proposed["persons"]}
    if first is not None:
        shown = first.get("proposals", {}).get("organization", "")
        steps.append(_step("proposed", max(edits) if edits else "", f"提交审议的运用建议：{shown}"))
    elif proposed["targets"]:
        steps.append(_step("proposed", max(edits) if edits else "", f"运用建议：{proposed['targets'][0]['text']}"))
    for e in decided["entries"]:
        what = "按建议通过" if e["outcome"] == "adopted" else "改变建议：" + "；".join(
            f"{labels.get(k, k)} → {v.rstrip('。')}" for k, v in e.get("texts", {}).items())
        reason = f"，理由：{e['reason']}" if e.get("reason") else ""
        steps.append(_step("decided" if e["kind"] == "decision" else "changed", e["date"], f"{e['meeting']}：{what}{reason}"))
    return steps


def _step(step, date, text):
    return {"step": step, "step_name": STEP_NAMES[step], "date": date, "text": text}


def organization(bundle, name: str, result: dict, assessment, review, records, mine: dict,
                 rules: Settings, as_of: str | None = None, full: bool = True, kept=None) -> dict:
    """Everything the application page shows for one organization (the shape of `application_org`),
    with `row`, the organization's row of the proposals table (`row`), so the page replaces that row
    after a change instead of recomputing the district.

    full=False is what the district table needs and no more: no history, no report keys, of the
    rectification items only the open count, and the result's hash only when a decision is bound to
    it (1000 organizations). kept: the occurrences that count, when the final result's pass decided
    them already (`final_inputs`)."""
    from . import rectification

    found = problems(bundle, assessment, review, records, kept)
    current = result_hash(result) if full or mine["decisions"] else None
    proposed = proposals(bundle, result, found, mine, rules)
    decided = decisions(mine, current)
    counted = {p["key"] for p in found}
    clarified = {c["problem"]: c for c in mine["clarifications"]}
    texts = {p["key"]: f"{p['item']} {p['text']}" for p in found}
    issued = {}
    for item in mine["items"]:
        issued.setdefault(item["problem"], []).append(item["id"])
    for p in found:
        p.update(clarified=p["key"] in clarified, issued=issued.get(p["key"], []))
    view = {
        "organization": name, "standard": bundle.standard.id, "year": bundle.year.year,
        "total": result["total"], "grade": proposed["grade"], "method_name": result["method_name"],
        "result_hash": current, "sample": rules.sample, "problems": found,
        "proposals": proposed["targets"], "persons": proposed["persons"], "blocked": proposed["blocked"],
        "clarifications": [dict(c, problem_text=texts.get(c["problem"], c["problem"]), counted=c["problem"] in counted)
                           for c in mine["clarifications"]],
        "decision": decided,
        # the district table shows only how many items are open: not every item's state
        "rectification": rectification.organization(mine, rules, as_of) if full else {"open": rectification.open_count(mine)},
    }
    if full:
        view["reports"] = sorted(reports(review, records))
        view["history"] = history(result, assessment, review, proposed, mine, decided)
    view["row"] = row(view)
    return view


def row(view: dict) -> dict:
    """One organization's row of the proposals table, from its view, with `tally`: what the row adds
    to the summary of decisions (`summarize` sums the tallies, and a page replacing one row sums the
    same numbers)."""
    d = view["decision"]
    adopted = bool(d["entries"]) and d["entries"][-1]["outcome"] == "adopted"
    grade = view["grade"]
    decided = d["state"] != "none"
    return {"name": view["organization"], "standard": view["standard"], "total": view["total"], "grade": grade,
            "method_name": view["method_name"], "proposals": view["proposals"], "persons": view["persons"],
            "blocked": view["blocked"], "decision_state": d["state"], "stale": d["stale"], "decided": d["texts"],
            "date": d["date"], "meeting": d["meeting"], "open_items": view["rectification"]["open"], "adopted": adopted,
            "tally": {"organizations": 1, "with_result": int(grade is not None), "decided": int(decided),
                      "changed": int(d["state"] == "changed"), "stale": int(bool(d["stale"])),
                      "undecided": int(grade is not None and not decided), "adopted": int(decided and adopted),
                      "modified": int(decided and not adopted),
                      "grade": None if grade is None else grade["id"]}}


def summarize(rows: list, grades) -> dict:
    """The summary of decisions: the sum of the rows' tallies, and per grade {name, count, decided}."""
    keys = ("organizations", "with_result", "decided", "changed", "stale", "undecided", "adopted", "modified")
    out = {k: sum(r["tally"][k] for r in rows) for k in keys}
    by_grade = {g.id: {"name": g.name, "count": 0, "decided": 0} for g in grades}
    for r in rows:
        if r["tally"]["grade"] is not None:
            by_grade[r["tally"]["grade"]]["count"] += 1
            by_grade[r["tally"]["grade"]]["decided"] += r["tally"]["decided"]
    out["by_grade"] = by_grade
    return out


def notice(view: dict, office: str = "") -> dict | None:
    """The 运用决定通知 of one decided organization: {organization, year, grade, total, date, meeting,
    lines: [{label, text}], changes: [{date, meeting, reason}], stale, office}; None when undecided."""
    decided = view["decision"]
    if decided["state"] == "none":
        return None
    labels = {p["key"]: p["label"] for p in view["proposals"] + view["persons"]}
    first = decided["entries"][0]
    return {"organization": view["organization"], "year": view["year"], "grade": view["grade"], "total": view["total"],
            "date": first["date"], "meeting": first["meeting"], "office": office,
            "lines": [{"key": k, "label": labels.get(k, k), "text": v} for k, v in decided["texts"].items()],
            "changes": [{"date": e["date"], "meeting": e["meeting"], "reason": e.get("reason", "")} for e in decided["entries"][1:]],
            "stale": decided["stale"], "sample": view["sample"]}


# ---------------------------------------------------------------- the district


def final_inputs(bundles: dict, value: dict, only: str | None = None) -> dict:
    """name -> (final result, assessment, review, records, occurrences that count) of every organization of a checked
    workspace (`workspace.district`), or of `only`: what `views` starts from, computed once when an operation
    makes two views of the same workspace (`application_add`: before and after the new record)."""
    from .workspace import district as final_results

    inputs = {}
    final_results(value, bundles, inputs, only)
    return inputs


def views(bundles: dict, value: dict, part: dict, as_of, only: str | None = None, full: bool = True,
          inputs: dict | None = None) -> dict:
    """name -> the application view of every organization with a final result (or just `only`).
    `inputs`: `final_inputs` of the same workspace, when the caller has them already."""
    if inputs is None:
        inputs = final_inputs(bundles, value)
    year = next(iter(bundles.values())).year
    rules = settings(year)
    grouped = by_organization(part)
    out = {}
    for name, (result, assessment, review, records, kept) in inputs.items():
        if only is not None and name != only:
            continue
        bundle = bundles[result["standard"]]
        out[name] = organization(bundle, name, result, assessment, review, records,
                                 grouped.get(name, empty()), rules, as_of, full, kept)
    return out


def view_of(bundles: dict, value: dict, part: dict, name: str, as_of, inputs: dict | None = None) -> dict:
    """The full view of one organization (`views` with `only`), or InvalidInput when it has no final
    result: nothing can be proposed, decided or issued for it."""
    found = views(bundles, value, part, as_of, name, inputs=inputs)
    if name not in found:
        raise InvalidInput([Problem(SOURCE, (), f"工作文件中“{name}”没有最终评议结果（未提交自评也未经核查评议），无法提出运用建议")])
    return found[name]


def district(bundles: dict, value: dict, part: dict) -> dict:
    """Rows of the proposals table for the meeting (every organization with a final result, roster
    order) and the summary of decisions."""
    year = next(iter(bundles.values())).year
    rules = settings(year)
    rows = [v["row"] for v in views(bundles, value, part, None, full=False).values()]
    return {"year": year.year, "sample": rules.sample, "rows": rows, "summary": summarize(rows, year.grades)}
