"""Generated year-end evaluation data (seeded): self-assessments, reviews with every kind of decision,
supervision records and whole workspaces, all valid for the bundles given.

Shared by the property tests, the Node/Pyodide equality test and bench/review_year.py, so the three
exercise the same shapes. Deterministic for a given `random.Random`.
"""

from __future__ import annotations

import random

from scorer import assessment as assessment_module
from scorer.standards import content_hash
from scorer.yearfiles import item_ids, settings


def _date(rng, year):
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _evidence(rng, i):
    return [{"file": f"证据{i}.pdf", "sha256": f"{rng.getrandbits(256):064x}"}] if rng.random() < 0.5 else []


def assessment_for(bundle: dict, name: str, rng: random.Random, kind: str = "", most: int = 8) -> dict:
    """A valid self-assessment with up to `most` items, some with several occurrences."""
    value = assessment_module.empty(bundle, name)
    if kind:
        value["organization"]["kind"] = kind
    year = bundle["year"]["year"]
    ids = sorted(item_ids(bundle))
    for item in rng.sample(ids, rng.randint(0, min(most, len(ids)))):
        value["items"][item] = [
            {"date": _date(rng, year), "count": rng.randint(1, 3), "note": "自评", **({"evidence": e} if (e := _evidence(rng, j)) else {})}
            for j in range(rng.randint(1, 2))]
    return value


def review_for(bundle: dict, assessment: dict | None, rng: random.Random, review_id: str, name: str = "",
               decide: float = 0.9, records=()) -> dict:
    """A valid review: each declared occurrence decided (confirm / adjust / reject) with probability
    `decide`, a few additions (some from `records`), a qualitative judgement and the related results."""
    rules = settings(bundle["year"])
    year = bundle["year"]["year"]
    decisions = []
    for item, occurrences in (assessment or {}).get("items", {}).items():
        for index in range(len(occurrences)):
            if rng.random() >= decide:
                continue
            kind = rng.choice(["confirm", "confirm", "adjust", "reject"])
            d = {"item": item, "index": index, "decision": kind}
            if kind == "adjust":
                if rng.random() < 0.7:
                    d["count"] = rng.randint(1, 4)
                else:
                    d["date"] = _date(rng, year)
            if kind != "confirm":
                d["reason"] = "核查认定"
            decisions.append(d)
    ids = sorted(item_ids(bundle))
    additions = []
    for i in range(rng.randint(0, 3)):
        additions.append({"id": f"{review_id}-add-{i}", "item": rng.choice(ids), "date": _date(rng, year),
                          "count": rng.randint(1, 2), "source": rng.choice(sorted(rules.sources)), "note": "现场发现",
                          **({"evidence": e} if (e := _evidence(rng, i)) else {})})
    for r in records:
        if rng.random() < 0.3 and r["item"] in ids:
            additions.append({"id": f"{review_id}-{r['id']}", "item": r["item"], "date": r["date"], "count": r.get("count", 1),
                              "source": r["source"], "record": r["id"]})
    organization = (assessment or {}).get("organization") or {"name": name}
    review = {"format": "gm-review/1", "id": review_id, "year": year, "standard": bundle["standard"]["id"],
              "standard_hash": bundle["hash"], "organization": organization,
              "assessment_hash": content_hash(assessment) if assessment else None,
              "decisions": decisions, "additions": additions,
              "qualitative": {"level": rng.choice(sorted(rules.levels)), "text": "总体评价"},
              "related": {r["name"]: rng.randint(50, 100) for r in rules.related},
              "updated": f"{year}-12-{rng.randint(10, 28):02d}T10:00:00Z"}
    return review


def records_for(bundles: dict, names: list, rng: random.Random, n: int, prefix: str = "sup") -> list:
    """`n` supervision records, each for one to three of `names` (items common to every standard)."""
    bundle = next(iter(bundles.values()))
    rules = settings(bundle["year"])
    common = sorted(set.intersection(*(set(item_ids(b)) for b in bundles.values())))
    year = bundle["year"]["year"]
    return [{"id": f"{prefix}-{i}", "organizations": rng.sample(names, min(len(names), rng.randint(1, 3))),
             "item": rng.choice(common), "date": _date(rng, year), "count": rng.randint(1, 2),
             "source": rng.choice(sorted(rules.sources)), "note": "日常监督发现",
             "updated": f"{year}-{rng.randint(1, 12):02d}-01T08:00:00Z"} for i in range(n)]


def workspace(bundles: dict, n: int, rng: random.Random, records_per_org: int = 20, reviewed: float = 1.0) -> dict:
    """A year's workspace: `n` organizations on the roster, each with a self-assessment, about
    `records_per_org` supervision records concerning it, and (with probability `reviewed`) a review."""
    kinds = [(sid, kind) for sid, b in bundles.items() for kind in b["standard"]["organization_kinds"]]
    roster, assessments, reviews = [], [], []
    names = [f"党组织{i:04d}" for i in range(n)]
    records = records_for(bundles, names, rng, max(1, n * records_per_org // 2))
    concerning = {}
    for r in records:
        for name in r["organizations"]:
            concerning.setdefault(name, []).append(r)
    for i, name in enumerate(names):
        sid, kind = kinds[i % len(kinds)]
        bundle = bundles[sid]
        roster.append({"name": name, "kind": kind})
        value = assessment_for(bundle, name, rng, kind)
        assessments.append({"name": f"{name}.json", "hash": content_hash(value), "assessment": value})
        if rng.random() < reviewed:
            reviews.append(review_for(bundle, value, rng, f"rev-{i:04d}", records=concerning.get(name, [])[:5]))
    year = next(iter(bundles.values()))["year"]["year"]
    return {"format": "gm-workspace/1", "year": year, "roster": roster,
            "plan": {"selected": [r["organization"]["name"] for r in reviews]},
            "assessments": assessments, "supervision": records, "reviews": reviews, "related": {}}
