"""Generated year workspaces (`gm-workspace/1`) over the shipped standards, for the results page's
tests and `bench/year_workspace.py`: a roster, an inspection plan, self-assessments with their
content hashes, supervision records (some for several organizations at once), reviews with every kind
of decision and additions, qualitative judgements and related results. Deterministic for a seed.
"""

from __future__ import annotations

import json
import random

from scorer import assessment, items, tree
from scorer.standards import content_hash, rules_hash

SHIPPED = tree.load("standards")
YEAR = SHIPPED.current.year
BUNDLES = {sid: SHIPPED.current.bundle(sid).to_json() for sid in SHIPPED.current.standards}
RAW_BUNDLES = {sid: SHIPPED.current.bundle(sid) for sid in SHIPPED.current.standards}


def bundles_json() -> str:
    """The year's bundles as the page passes them (one JSON array)."""
    from scorer.standards import BUNDLE_FORMAT  # noqa: F401  (the published shape)

    return json.dumps([SHIPPED.current.bundle(sid).to_json() for sid in SHIPPED.current.standards], ensure_ascii=False)


def _date(rng) -> str:
    return f"{YEAR}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _sources():
    return [s["id"] for s in BUNDLES["dept"]["year"]["evaluation"]["sources"]]


def _deductions(sid):
    return [e.id for e in items.walk_bundle(RAW_BUNDLES[sid]) if e.kind == items.DEDUCTION]


def generate(organizations: int = 12, records: int = 3, seed: int = 20191231, reviewed: float = 0.5,
             submitted: float = 0.85, selected: float = 0.5, related_share: float = 0.5) -> dict:
    """A workspace of `organizations` organizations; about `records` supervision records each; a share
    `submitted` sent a self-assessment, `selected` are in the plan, `reviewed` of those were reviewed,
    `related_share` have related results in the workspace."""
    rng = random.Random(seed)
    sids = list(RAW_BUNDLES)
    sources = _sources()
    levels = [lvl["id"] for lvl in BUNDLES["dept"]["year"]["evaluation"]["qualitative"]["levels"]]
    related_names = [r["name"] for r in BUNDLES["dept"]["year"]["evaluation"]["related"]]
    roster, plan, assessments, supervision, reviews, related = [], [], [], [], [], {}
    for i in range(organizations):
        sid = sids[i % len(sids)]
        bundle = RAW_BUNDLES[sid]
        kind = rng.choice(bundle.standard.organization_kinds)
        name = f"光明区测试党组织{i:04d}"
        roster.append({"name": name, "kind": kind})
        ids = _deductions(sid)
        value = None
        if rng.random() < submitted:
            value = assessment.empty(bundle, organization=name)
            value["organization"]["kind"] = kind
            value["assessor"] = {"name": "自评人", "date": f"{YEAR}-12-{rng.randint(1, 28):02d}"}
            for item_id in rng.sample(ids, rng.randint(0, 6)):
                value["items"][item_id] = [{"date": _date(rng), "count": rng.choice([1, 1, 2])}]
            value = json.loads(json.dumps(value, ensure_ascii=False))
            assessments.append({"name": f"自评_{i:04d}.json", "hash": content_hash(value), "assessment": value})
        for r in range(records):
            supervision.append({"id": f"sup-{i:04d}-{r:03d}", "organizations": [name], "standard": sid,
                                "item": rng.choice(ids), "date": _date(rng), "count": 1, "source": rng.choice(sources),
                                "note": "日常监督发现", "updated": f"{YEAR}-12-01T00:00:00Z"})
        if rng.random() < selected:
            plan.append(name)
            if rng.random() < reviewed:
                reviews.append(_review(rng, i, name, kind, sid, value, ids, sources, levels, related_names))
        if rng.random() < related_share:
            related[name] = {n: rng.randint(50, 100) for n in related_names}
    # One district-wide 通报: a record for several organizations at once.
    if organizations >= 3:
        names = [o["name"] for o in roster if o["kind"] in RAW_BUNDLES["dept"].standard.organization_kinds][:5]
        if names:
            supervision.append({"id": "sup-district-0001", "organizations": names, "standard": "dept",
                                "item": _deductions("dept")[0], "date": f"{YEAR}-06-30", "count": 1,
                                "source": sources[0], "note": "全区通报", "updated": f"{YEAR}-12-01T00:00:00Z"})
    return {"format": "gm-workspace/1", "year": YEAR, "roster": roster, "plan": {"selected": plan},
            "assessments": assessments, "supervision": supervision, "reviews": reviews, "related": related}


def _review(rng, i, name, kind, sid, value, ids, sources, levels, related_names) -> dict:
    bundle = RAW_BUNDLES[sid]
    decisions = []
    for item_id, occurrences in (value or {}).get("items", {}).items():
        for index, _ in enumerate(occurrences):
            kind_of = rng.choice(["confirm", "adjust", "reject"])
            decision = {"item": item_id, "index": index, "decision": kind_of}
            if kind_of == "adjust":
                decision.update(count=rng.randint(1, 3), reason="核查后调整次数")
            elif kind_of == "reject":
                decision["reason"] = "佐证材料不能证明"
            decisions.append(decision)
    additions = [{"id": f"add-{i:04d}-{k}", "item": rng.choice(ids), "date": _date(rng), "count": 1,
                  "source": rng.choice(sources), "note": "现场检查发现"} for k in range(rng.randint(0, 2))]
    return {"format": "gm-review/1", "id": f"rev-{i:04d}", "year": YEAR, "standard": sid,
            "standard_hash": bundle.hash, "rules_hash": rules_hash(bundle.year), "organization": {"name": name, "kind": kind},
            "assessment_hash": content_hash(value) if value is not None else None,
            "decisions": decisions, "additions": additions,
            "qualitative": {"level": rng.choice(levels), "text": "总体评价"},
            "related": {n: rng.randint(50, 100) for n in related_names},
            "updated": f"{YEAR}-12-20T00:00:00Z"}
