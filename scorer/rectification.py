"""Rectification to the end (整改, issue #16): items issued, the organization's report, the office's
acceptance or return, and what is overdue on a given date.

Why it is built this way:
- An item, once issued, is never edited; its life is an append-only list of events (reported by the
  organization, accepted or returned by the office). The status is the last event's: no event = open
  (已下发), reported done = awaiting the office (待验收), reported in progress = 整改中, returned = open
  again (退回重改), accepted = closed (已销号). Nothing about status or overdue is stored.
- Overdue is computed against a date the caller gives (`as_of`), never the clock: an item not closed
  is overdue when as_of is later than its deadline plus the year's `grace_days`, unless the
  organization has reported it done on or before the deadline and the office has not yet answered
  (the delay is then the office's, not the organization's).
- The organization's report names items by id and by the content hash of the item as issued
  (`item_hash`), so a report for items the office never issued, or issued differently, is refused.
"""

from __future__ import annotations

from datetime import date, timedelta

from .standards import content_hash

STATUS_NAMES = {"open": "已下发，待整改", "in-progress": "整改中（已报告进展）", "reported": "已报告，待验收",
                "returned": "退回重改", "accepted": "已销号"}
EVENT_NAMES = {"reported": "整改报告", "accepted": "验收销号", "returned": "退回重改"}
REPORT_STATUS_NAMES = {"done": "已完成", "in-progress": "整改中"}


def item_hash(item: dict) -> str:
    """The content hash of an item as issued (without the office's bookkeeping time)."""
    return content_hash({k: v for k, v in item.items() if k != "recorded"})


def default_deadline(issued: str, days: int) -> str:
    """The deadline proposed for an item issued on `issued`: the year's `deadline_days` later."""
    return (date.fromisoformat(issued) + timedelta(days=days)).isoformat()


def _in_order(e) -> tuple:
    """An event's place in its item's life: by date, then when recorded, then id."""
    return (e["date"], e.get("recorded", ""), e["id"])


def _events_by_item(events) -> dict:
    out = {}
    for e in sorted(events, key=_in_order):
        out.setdefault(e["item"], []).append(e)
    return out


def open_count(mine: dict) -> int:
    """How many of one organization's items are not closed: what its row of the proposals table
    shows. An item is closed when its last event is an acceptance (module docstring), so only each
    item's last event is looked at, not its whole state: the proposals table of a district asks this
    of 10 000 items, and their full states (`organization`) were a tenth of its time."""
    last = {}
    for e in mine["events"]:
        seen = last.get(e["item"])
        if seen is None or _in_order(e) > _in_order(seen):
            last[e["item"]] = e
    return sum(1 for i in mine["items"] if last.get(i["id"], {}).get("kind") != "accepted")


def status(item: dict, events: list, grace_days: int, as_of: str | None) -> dict:
    """One item's state: {status, status_name, overdue, days_overdue, late, done, reported, events}."""
    last = events[-1] if events else None
    state = "open" if last is None else last["kind"]
    if state == "reported" and last.get("status") == "in-progress":
        state = "in-progress"  # a progress note, not a request to close the item
    reports = [e for e in events if e["kind"] == "reported"]
    done = next((e.get("done", "") for e in reversed(reports) if e.get("status") == "done"), "")
    overdue, days = False, 0
    if as_of and state != "accepted":
        limit = date.fromisoformat(item["deadline"]) + timedelta(days=grace_days)
        waiting = state == "reported" and done and done <= item["deadline"]
        days = (date.fromisoformat(as_of) - limit).days
        overdue = days > 0 and not waiting
        days = days if overdue else 0
    return {"status": state, "status_name": STATUS_NAMES[state], "overdue": overdue, "days_overdue": days,
            "late": bool(done) and done > item["deadline"], "done": done,
            "reported": reports[-1]["date"] if reports else "",
            "events": [dict(e, kind_name=EVENT_NAMES[e["kind"]]) for e in events]}


def counts(items: list) -> dict:
    """The counts of one organization's items, as its row of the district view shows them: {total,
    open, overdue, reported, accepted, max_days_overdue}. One function for the district view and the
    organization's own view, so a page can replace one organization's row from that organization's
    answer (`application_add`) instead of recomputing the district."""
    return {"total": len(items), "open": sum(1 for i in items if i["status"] != "accepted"),
            "overdue": sum(1 for i in items if i["overdue"]),
            "reported": sum(1 for i in items if i["status"] == "reported"),
            "accepted": sum(1 for i in items if i["status"] == "accepted"),
            "max_days_overdue": max((i["days_overdue"] for i in items), default=0)}


def organization(mine: dict, rules, as_of: str | None) -> dict:
    """One organization's items with their state and content hash (what the exchange with the
    organization names them by), issue order: {items, total, open, overdue, reported, accepted,
    max_days_overdue} (`counts`)."""
    by_item = _events_by_item(mine["events"])
    items = [dict(item, hash=item_hash(item), **status(item, by_item.get(item["id"], []), rules.grace_days, as_of))
             for item in sorted(mine["items"], key=lambda i: (i["issued"], i["id"]))]
    return {"items": items, **counts(items)}


def district(part: dict, roster: list, rules, as_of: str) -> dict:
    """The district view on `as_of` with every item: organizations with open items first (those with
    overdue items before them, most overdue first), then the rest of the roster; and every item that
    is overdue, most overdue first. What the CLI and the exports list; the page gets `summary` of it.

    {as_of, grace_days, organizations: [{name, items, total, open, overdue, reported, accepted,
     max_days_overdue}], overdue_items: [item with state and organization], counts: {items, open,
     overdue, accepted, reported, organizations_open}}
    """
    by_item = _events_by_item(part["events"])
    per_org = {}
    for item in part["items"]:  # no content hash here: the district view does not exchange items
        per_org.setdefault(item["organization"], []).append(
            dict(item, **status(item, by_item.get(item["id"], []), rules.grace_days, as_of)))
    names = list(dict.fromkeys([r["name"] for r in roster] + list(per_org)))
    orgs = []
    for name in names:
        items = sorted(per_org.get(name, []), key=lambda i: (i["deadline"], i["id"]))
        orgs.append({"name": name, "items": items, **counts(items)})
    position = {name: i for i, name in enumerate(names)}
    orgs.sort(key=lambda o: (-(o["overdue"] > 0), -o["max_days_overdue"], -(o["open"] > 0), position[o["name"]]))
    overdue = sorted((i for o in orgs for i in o["items"] if i["overdue"]), key=lambda i: (-i["days_overdue"], i["id"]))
    every = [i for o in orgs for i in o["items"]]
    return {"as_of": as_of, "grace_days": rules.grace_days, "organizations": orgs, "overdue_items": overdue,
            "counts": {"items": len(every), "open": sum(1 for i in every if i["status"] != "accepted"),
                       "overdue": len(overdue), "accepted": sum(1 for i in every if i["status"] == "accepted"),
                       "reported": sum(1 for i in every if i["status"] == "reported"),
                       "organizations_open": sum(1 for o in orgs if o["open"])}}


# How many of the most overdue items the district view lists by themselves: the page shows one row
# per organization (its counts; its items when opened), and the complete list is the export's.
OVERDUE_SHOWN = 50


def summary(shown: dict, overdue_shown: int = OVERDUE_SHOWN) -> dict:
    """What the district page draws from `district`: one row per organization without its items
    (the page asks for an organization's items when the user opens it), the `overdue_shown` most
    overdue items, and the counts (with `overdue_shown`, how many of the overdue items are listed).
    10 000 items with their events are 8 MB of answer and 10 000 rows nobody can use."""
    listed = shown["overdue_items"][:overdue_shown]
    return {"as_of": shown["as_of"], "grace_days": shown["grace_days"],
            "organizations": [{k: v for k, v in o.items() if k != "items"} for o in shown["organizations"]],
            "overdue_items": listed, "counts": dict(shown["counts"], overdue_shown=len(listed))}


def previous(part: dict, roster: list, rules, as_of: str) -> dict:
    """Last year's items still open, per organization, for the next year's evaluation to see:
    {organization: [item with state on `as_of`]} (organizations with none left out)."""
    shown = district(part, roster, rules, as_of)
    return {o["name"]: [i for i in o["items"] if i["status"] != "accepted"] for o in shown["organizations"] if o["open"]}
