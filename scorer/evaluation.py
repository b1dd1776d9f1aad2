"""The year-end evaluation's rules: from a self-assessment, a review and supervision records to the
final score and grade, with every step in the receipt and every difference with its reason.

How it works, so each rule lives once:
1. The occurrences that count are decided first (`effective`): the declared ones with the review's
   decisions applied (认定 / 核减·核增 / 不予认定), plus the review's additions; or, for an organization
   not inspected, the declared ones plus the supervision records that concern it (the year's
   `not_reviewed` rule). The result is an ordinary gm-assessment/1 document.
2. That document is scored by `scoring.score`, the same function as every self-assessment: the
   standard's rules (caps, floors, the year, grade limits) are not repeated here.
3. The year's evaluation rules (`year.yaml` → `evaluation`) are applied on top (`apply_rules`): the
   qualitative judgement and each related result are shown only, cap the grade, or are weighted into
   the score, as the editors chose.
Records the rules read are frozen dataclasses made from checked documents (`yearfiles`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .assessment import count
from .collect import combined
from .errors import InvalidInput, Problem
from .model import Bundle
from .numbers import dec, num, plain
from .scoring import grade_for, score
from .standards import content_hash
from .yearfiles import DECISION_NAMES, Settings, index, settings

METHODS = {
    "self": "仅依据自评",
    "supervised": "自评结合日常监督记录调整",
    "reviewed": "年终检查全面核查",
}
MODE_NAMES = {"display": "仅列示", "limit": "限制等次", "weight": "加权计入得分"}


@dataclass(frozen=True)
class Occurrence:
    """One occurrence that counts toward the final result, and where it came from."""

    item: str
    date: str
    count: int
    note: str
    evidence: tuple
    origin: str  # declared | added | supervision
    index: int | None = None  # its place among the item's declared occurrences
    source: str = ""  # supervision / addition source id
    record: str = ""  # supervision record id

    def as_json(self) -> dict:
        out = {"date": self.date, "count": self.count}
        if self.note:
            out["note"] = self.note
        if self.evidence:
            out["evidence"] = [dict(e) for e in self.evidence]
        return out


def _declared(assessment):
    for item, occurrences in (assessment or {}).get("items", {}).items():
        for index, o in enumerate(occurrences):
            yield Occurrence(item, o["date"], int(o.get("count", 1)), o.get("note", ""),
                             tuple(o.get("evidence", ())), "declared", index)


def applies(record: dict, organization: str, standard: str, known) -> bool:
    """Whether a supervision record concerns this organization under its standard."""
    return (not record.get("deleted") and organization in record["organizations"]
            and record.get("standard") in (None, standard) and record["item"] in known)


def effective(bundle, assessment: dict | None, review: dict | None, records=(), rules: Settings | None = None):
    """(the occurrences that count, the changes against the self-assessment, undecided count).

    With a review: its decisions and additions (records are then the team's to add, not automatic).
    Without: the year's `not_reviewed` rule; 'supervision' adds each record that concerns the
    organization unless it declared the same item on the same date itself.
    """
    rules = rules or settings(bundle.year)
    texts = index(bundle)
    declared = list(_declared(assessment))
    changes = []

    def change(occ_item, decision, before, after, reason, source="", record="", index=None):
        kind, text = texts[occ_item]
        changes.append({"item": occ_item, "kind": kind, "text": text, "index": index, "decision": decision,
                        "decision_name": _decision_name(decision, before, after), "before": before, "after": after,
                        "reason": reason, "source": source, "source_name": rules.sources.get(source, ""),
                        "record": record})

    if review is None:
        kept = declared
        if rules.not_reviewed == "supervision" and records:
            organization = (assessment or {}).get("organization", {}).get("name", "")
            standard = bundle.standard.id
            seen = {(o.item, o.date) for o in declared}
            for r in records:
                if applies(r, organization, standard, texts) and (r["item"], r["date"]) not in seen:
                    occ = Occurrence(r["item"], r["date"], int(r.get("count", 1)), r.get("note", ""),
                                     tuple(r.get("evidence", ())), "supervision", None, r["source"], r["id"])
                    kept = kept + [occ]
                    change(occ.item, "supervision", None, occ.as_json(), r.get("note", ""), r["source"], r["id"])
        return kept, changes, 0

    decisions = {(d["item"], d["index"]): d for d in review["decisions"]}
    kept, pending = [], 0
    for occ in declared:
        d = decisions.get((occ.item, occ.index))
        before = occ.as_json()
        if d is None:
            pending += 1
            kept.append(occ)
        elif d["decision"] == "confirm":
            kept.append(occ)
        elif d["decision"] == "reject":
            change(occ.item, "reject", before, None, d["reason"], index=occ.index)
        else:
            new = Occurrence(occ.item, d.get("date", occ.date), d.get("count", occ.count), occ.note, occ.evidence,
                             "declared", occ.index)
            kept.append(new)
            change(occ.item, "adjust", before, new.as_json(), d["reason"], index=occ.index)
    for a in review["additions"]:
        occ = Occurrence(a["item"], a["date"], int(a.get("count", 1)), a.get("note", ""), tuple(a.get("evidence", ())),
                         "added", None, a["source"], a.get("record", ""))
        kept.append(occ)
        change(occ.item, "add", None, occ.as_json(), a.get("note", ""), a["source"], a.get("record", ""))
    return kept, changes, pending


def _decision_name(decision, before, after):
    if decision == "adjust":
        if after["count"] < before["count"]:
            return "核减"
        if after["count"] > before["count"]:
            return "核增"
        return "核改日期"
    return {"add": "补充认定", "supervision": "日常监督记录", **DECISION_NAMES}[decision]


def as_assessment(bundle, organization: dict, occurrences) -> dict:
    """The occurrences that count as an ordinary gm-assessment/1 document, in the standard's order."""
    items = {}
    for occ in occurrences:
        items.setdefault(occ.item, []).append(occ.as_json())
    order = index(bundle)
    return {"format": "gm-assessment/1", "standard": bundle.standard.id, "year": bundle.year.year,
            "standard_hash": bundle.hash, "organization": organization,
            "items": {k: items[k] for k in order if k in items}}


def apply_rules(bundle, scored: dict, review: dict | None, related: dict, rules: Settings) -> dict:
    """The year's rules for the qualitative judgement and the related results, on a scored result.

    Returns {total, grade, lines, qualitative, related, incomplete}: the final figures, the receipt's
    lines saying how each part entered, and why no final figure exists when a weighted part is missing.
    """
    year = bundle.year
    grades = {g.id: g for g in year.grades}
    order = [g.id for g in year.grades]
    lines, caps, weights, values, incomplete = [], [], {}, {}, []
    qualitative = None
    q = (review or {}).get("qualitative")
    if review is not None:
        if q is None:
            lines.append("定性评价：未作出")
            if rules.qualitative_mode == "weight":
                incomplete.append("定性评价未作出，按年度规则须加权计入，无法计算最终得分")
        else:
            level = rules.levels[q["level"]]
            qualitative = {"level": level.id, "name": level.name, "text": q.get("text", ""),
                           "mode": rules.qualitative_mode, "mode_name": MODE_NAMES[rules.qualitative_mode]}
            if rules.qualitative_mode == "display":
                lines.append(f"定性评价：{level.name}（仅列示，不影响得分和等次）")
            elif rules.qualitative_mode == "limit":
                caps.append((level.max_grade, f"定性评价为“{level.name}”"))
            else:
                weights["定性评价"], values["定性评价"] = rules.qualitative_weight, level.score
                lines.append(f"定性评价：{level.name}，折合 {num(level.score)} 分，权重 {num(rules.qualitative_weight)}")
    out_related = []
    for r in rules.related:
        value = related.get(r.name)
        out_related.append({"name": r.name, "value": None if value is None else plain(dec(value)),
                            "mode": r.mode, "mode_name": MODE_NAMES[r.mode]})
        shown = "未提供" if value is None else f"{num(value)} 分"
        if r.mode == "display":
            lines.append(f"{r.name}：{shown}（仅列示，不影响得分和等次）")
        elif r.mode == "limit":
            if value is None:
                lines.append(f"{r.name}：未提供（不限制等次）")
            hit = [lim for lim in r.limits or () if value is not None and dec(value) < lim.below]
            for lim in hit:
                caps.append((lim.max_grade, f"{r.name} {num(value)} 分，低于 {num(lim.below)} 分"))
            if value is not None and not hit:
                lines.append(f"{r.name}：{shown}（未低于限制分数线，不限制等次）")
        else:
            if value is None:
                incomplete.append(f"缺少相关评议结果“{r.name}”，按年度规则须加权计入，无法计算最终得分")
            else:
                weights[r.name], values[r.name] = r.weight, value
                lines.append(f"{r.name}：{shown}，权重 {num(r.weight)}")
    base_total = scored["total"]
    total = base_total
    if incomplete:
        return {"total": None, "grade": None, "lines": lines + incomplete, "qualitative": qualitative,
                "related": out_related, "incomplete": incomplete}
    if weights:
        total = combined(base_total, values, weights)
        share = dec(1) - sum((dec(w) for w in weights.values()), dec(0))
        parts = " + ".join(f"{num(w)} × {num(values[k])}（{k}）" for k, w in weights.items())
        lines.append(f"加权得分：{num(share)} × {num(base_total)}（标准得分） + {parts} = {num(total)} 分")
    grade = grade_for(year, total)
    if weights:
        lines.append(f"按加权得分评定等次：{grade.name}（{num(total)} 分 ≥ {num(grade.min)} 分）")
    else:
        grade = grades[scored["grade"]["id"]]  # the standard's own grade limits already applied by `score`
    if weights:
        for limit_id in scored["limits_applied"]:
            limit = next(lim for lim in year.grade_limits if lim.id == limit_id)
            caps.insert(0, (limit.max_grade, f"{limit.id} {limit.text}"))
    for cap_id, why in caps:
        cap = grades[cap_id]
        if order.index(cap_id) > order.index(grade.id):
            lines.append(f"{why}：等次最高为{cap.name} → {cap.name}")
            grade = cap
        else:
            lines.append(f"{why}：等次最高为{cap.name}（当前等次不高于此，不变）")
    return {"total": plain(dec(total)), "grade": grade, "lines": lines, "qualitative": qualitative,
            "related": out_related, "incomplete": []}


def final_result(bundle, assessment: dict | None, review: dict | None, records=(), related: dict | None = None,
                 assessment_hash: str | None = None, detail: bool = True, kept: list | None = None) -> dict:
    """One organization's final result: the JSON shape of `score` (its figures the final ones), plus
    `method`, `self_declared` (the self-assessment as declared, or None), `score_total` (the standard's
    score of what counts, before the year's weighting), `changes` (each difference with its reason),
    `pending` (declared occurrences the review has not decided: counted as declared), `qualitative`,
    `related` and `incomplete`. Inputs are checked documents (`yearfiles.check_review` for the
    review, `assessment.check` for the self-assessment); `assessment_hash`, when the caller knows it
    (a workspace stores it), saves hashing the self-assessment again. detail=False: the same figures
    without the receipt and the standard's per-occurrence lists (`scoring.score`), for the district.
    kept: a list that receives the occurrences that count (`effective`), for a caller that needs them
    too (the results application's problems) instead of deciding them a second time."""
    bundle = Bundle.of(bundle)
    rules = settings(bundle.year)
    if assessment is None and review is None:
        raise InvalidInput([Problem("评议", (), "该党组织既未提交自评，也未经核查评议，没有最终结果")])
    occurrences, changes, pending = effective(bundle, assessment, review, records, rules)
    if kept is not None:
        kept.extend(occurrences)
    organization = (review or assessment)["organization"]
    own = None if assessment is None else _self_score(bundle, assessment, assessment_hash, detail)
    if own is not None and not changes:
        scored = own  # what counts is what was declared: its score is the self-assessment's, already made
    else:
        scored = score(bundle, as_assessment(bundle, organization, occurrences), checked=True, detail=detail)
    self_declared = None
    if assessment is not None:
        self_declared = {"total": own["total"], "grade": {"id": own["grade"]["id"], "name": own["grade"]["name"]},
                         "hash": assessment_hash or content_hash(assessment)}
    method = "reviewed" if review is not None else ("supervised" if changes else "self")
    # The review's own related results, and the workspace's imported ones over them (`related`).
    ruled = apply_rules(bundle, scored, review, {**(review or {}).get("related", {}), **(related or {})}, rules)
    grade = ruled["grade"]
    result = dict(scored)
    result.update({
        "organization": organization["name"],
        "method": method, "method_name": METHODS[method],
        "score_total": scored["total"],
        "total": ruled["total"],
        "grade": None if grade is None else {"id": grade.id, "name": grade.name, "meaning": grade.meaning,
                                             "application": grade.application.to_json()},
        "self_declared": self_declared,
        "changes": changes, "pending": pending,
        "qualitative": ruled["qualitative"], "related": ruled["related"], "incomplete": ruled["incomplete"],
        "sample": rules.sample,
        "review": None if review is None else review["id"],
    })
    if detail:  # in the standard's receipt's place among the keys (`score` made it)
        result["receipt"] = _receipt(method, self_declared, changes, pending, scored, rules, ruled)
    return result


def _receipt(method, self_declared, changes, pending, scored, rules, ruled) -> list:
    """The final result's receipt: how it was reached, then the standard's receipt, then the year's rules."""
    receipt = [f"评议方式：{METHODS[method]}"]
    if self_declared is not None:
        receipt.append(f"自评结果：{num(self_declared['total'])} 分，等次{self_declared['grade']['name']}")
    receipt += [change_text(c) for c in changes]
    if pending:
        receipt.append(f"尚有 {pending} 条自评记录未逐项核查，暂按自评计入")
    # The standard's own last line names its grade before the year's rules: said so, to avoid two "final" grades.
    receipt += [("按标准评定的等级：" + line[len("最终等级："):]) if line.startswith("最终等级：") else line
                for line in scored["receipt"]]
    receipt.append("年终评议规则（年度设置" + ("，示例值" if rules.sample else "") + "）：")
    receipt += ruled["lines"]
    grade = ruled["grade"]
    if grade is not None:
        receipt.append(f"最终评议结果：{num(ruled['total'])} 分，等次{grade.name}")
    return receipt


_SELF: dict = {}
_SELF_MAX = 20000


def _self_score(bundle, assessment, assessment_hash, detail=True):
    """The self-assessment's own score, remembered by (standard hash, content hash, detail) when the
    caller knows the content hash: a district pass after one changed decision rescores only what changed."""
    if assessment_hash is None:
        return score(bundle, assessment, checked=True, detail=detail)
    key = (bundle.hash, assessment_hash, detail)
    if key not in _SELF:
        if len(_SELF) >= _SELF_MAX:
            _SELF.clear()
        _SELF[key] = score(bundle, assessment, checked=True, detail=detail)
    return _SELF[key]


def change_text(c: dict) -> str:
    """One difference in words: 'POL-01a 第 1 条：核减（2 次 → 1 次），理由：…'."""
    where = f"{c['item']} 第 {c['index'] + 1} 条" if c["index"] is not None else c["item"]
    before, after = c["before"], c["after"]
    if c["decision"] == "reject":
        what = f"不予认定（自评 {before['date']} 发生 {before['count']} 次）"
    elif c["decision"] == "adjust":
        what = f"{c['decision_name']}（{before['date']} {before['count']} 次 → {after['date']} {after['count']} 次）"
    else:
        what = f"{c['decision_name']}（{after['date']} 发生 {after['count']} 次，来源：{c['source_name']}）"
    reason = f"，理由：{c['reason']}" if c["reason"] else ""
    return f"{where} {c['text']}：{what}{reason}"
