// The pure part of the results application pages (office/application/, office/rectification/ and
// the organization's rectification report, assess/rectification/): no DOM, so Node's test runner
// checks it (site_tests/js/office-application-model.test.mjs).
//
// Why a slice: the scorer's per-organization operations (`application_org`, `application_add`) are
// answered in milliseconds when the page sends only that organization's part of the workspace (its
// roster row, files, the supervision records naming it, its related results and its application
// records); the district operations take the whole workspace once. Which proposal follows from what,
// what is overdue and every check of a record stay in scorer/ (application_ops.py).

import { recordsFor } from "./office-review-model.mjs";

/** The parts of the workspace's `application` (gm-workspace/1, issue #16), as scorer/application.py lists them. */
export const PARTS = ["persons", "proposals", "tolerance", "clarifications", "decisions", "items", "events"];

/** The application part of a workspace, empty lists for a workspace from before #16. */
export function applicationOf(workspace) {
  const part = (workspace && workspace.application) || {};
  return Object.fromEntries(PARTS.map((name) => [name, Array.isArray(part[name]) ? part[name] : []]));
}

/** One organization's records of an application part (events by the items issued to it). */
export function applicationFor(part, name) {
  const out = Object.fromEntries(PARTS.filter((p) => p !== "events").map((p) => [p, part[p].filter((e) => e.organization === name)]));
  const items = new Set(out.items.map((i) => i.id));
  out.events = part.events.filter((e) => items.has(e.item));
  return out;
}

/** The workspace cut to one organization: the same gm-workspace/1 format, holding only what concerns `name`. */
export function sliceFor(workspace, name) {
  const related = workspace.related && Object.hasOwn(workspace.related, name) ? { [name]: workspace.related[name] } : {};
  return {
    ...workspace,
    roster: (workspace.roster || []).filter((o) => o.name === name),
    plan: { ...(workspace.plan || {}), selected: ((workspace.plan && workspace.plan.selected) || []).filter((n) => n === name) },
    assessments: (workspace.assessments || []).filter((a) => ((a.assessment || {}).organization || {}).name === name),
    reviews: (workspace.reviews || []).filter((r) => (r.organization || {}).name === name),
    supervision: recordsFor(workspace, name),
    related,
    application: applicationFor(applicationOf(workspace), name),
  };
}

/** The workspace with `entry` (as the scorer returned it from `application_add`) appended to `part`. */
export function withEntry(workspace, part, entry, updated = new Date().toISOString()) {
  if (!PARTS.includes(part)) throw new Error(`unknown application part ${part}`);
  const application = applicationOf(workspace);
  return { ...workspace, application: { ...application, [part]: [...application[part], entry] }, updated };
}

/**
 * {part: [records]} that `after` adds at the end of the application lists of `before`, when that and
 * its `updated` time are all it changes (every other part the same object, every earlier record the
 * same object in its place: as `withEntry` and `withEvents` make it); null otherwise. The workspace
 * panel then has the scorer check only these records (`application_save`), not the whole year.
 */
export function appendedRecords(before, after) {
  if (!before || !after || typeof after.updated !== "string") return null;
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (key !== "application" && key !== "updated" && before[key] !== after[key]) return null;
  }
  const old = applicationOf(before);
  const now = after.application;
  if (!now || typeof now !== "object" || Object.keys(now).some((k) => !PARTS.includes(k))) return null;
  const records = {};
  for (const part of PARTS) {
    const was = old[part];
    const is = now[part];
    if (!Array.isArray(is) || is.length < was.length || was.some((e, i) => e !== is[i])) return null;
    if (is.length > was.length) records[part] = is.slice(was.length);
  }
  return records;
}

/** The workspace with a report's events (from `rectification_import`) appended. */
export function withEvents(workspace, events, updated = new Date().toISOString()) {
  const application = applicationOf(workspace);
  return { ...workspace, application: { ...application, events: [...application.events, ...events] }, updated };
}

/** Today's date in the browser's time zone as YYYY-MM-DD (the default "as of" date the office can change). */
export function localDate(now = new Date()) {
  const two = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
}

const trimmed = (value) => (typeof value === "string" ? value.trim() : "");

/**
 * The organization's progress form as `rectification_report`'s progress argument: items with no
 * status chosen are left out; empty notes, dates and evidence rows are dropped, not sent as "".
 * rows: [{id, status, done, note, evidence: [{file, location, sha256}]}].
 */
export function progressOf({ reported, contact, rows }) {
  const items = [];
  for (const row of rows) {
    if (!row.status) continue;
    const item = { id: row.id, status: row.status };
    if (trimmed(row.done)) item.done = trimmed(row.done);
    if (trimmed(row.note)) item.note = trimmed(row.note);
    const evidence = (row.evidence || []).map((e) => {
      const out = { file: trimmed(e.file) };
      if (trimmed(e.location)) out.location = trimmed(e.location);
      if (trimmed(e.sha256)) out.sha256 = trimmed(e.sha256).toLowerCase();
      return out;
    }).filter((e) => e.file);
    if (evidence.length) item.evidence = evidence;
    items.push(item);
  }
  const out = { reported: trimmed(reported), items };
  if (trimmed(contact)) out.contact = trimmed(contact);
  return out;
}

// ---------------------------------------------------------------- one organization's row replaced
//
// Why: after one change the page shows the organization's new view at once (the scorer's answer to
// `application_add` on the slice, milliseconds) and replaces that organization's row of the district
// table from it, instead of recomputing the district (seconds for 1000 organizations). The rows and
// the tallies are the scorer's (`application.row`, `rectification.counts`); the summary is their sum,
// as the scorer's own summary is (`application.summarize`, `rectification.district`'s counts).

const TALLIES = ["organizations", "with_result", "decided", "changed", "stale", "undecided", "adopted", "modified"];

/** The proposals table `district` (application_view's answer) with `row` (a view's `row`) in place of its organization's. */
export function withDistrictRow(district, row) {
  const rows = district.rows.map((r) => (r.name === row.name ? row : r));
  const summary = Object.fromEntries(TALLIES.map((k) => [k, rows.reduce((sum, r) => sum + r.tally[k], 0)]));
  summary.by_grade = Object.fromEntries(Object.entries(district.summary.by_grade).map(([id, g]) => [id, { ...g, count: 0, decided: 0 }]));
  for (const r of rows) {
    const g = r.tally.grade === null ? null : summary.by_grade[r.tally.grade];
    if (g) { g.count += 1; g.decided += r.tally.decided; }
  }
  return { ...district, rows, summary };
}

const COUNTS = ["total", "open", "overdue", "reported", "accepted", "max_days_overdue"];

/**
 * The district rectification view (rectification_view's answer) with one organization's row and its
 * listed overdue items replaced from that organization's own view (`application_org`/`application_add`:
 * `rectification` holds its counts and items). The listed overdue items keep the scorer's order (most
 * overdue first, then id) and at most as many as were listed: an item no longer overdue leaves the list
 * until the next full view.
 */
export function withRectificationOrganization(view, name, rect) {
  const row = { name, ...Object.fromEntries(COUNTS.map((k) => [k, rect[k]])) };
  const known = view.organizations.some((o) => o.name === name);
  const organizations = known ? view.organizations.map((o) => (o.name === name ? row : o)) : [...view.organizations, row];
  const mine = rect.items.filter((i) => i.overdue).map((i) => ({ ...i, organization: name }));
  const overdue = [...view.overdue_items.filter((i) => i.organization !== name), ...mine]
    .sort((a, b) => b.days_overdue - a.days_overdue || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, view.counts.overdue_shown);
  const sum = (k) => organizations.reduce((total, o) => total + o[k], 0);
  const counts = { items: sum("total"), open: sum("open"), overdue: sum("overdue"), overdue_shown: overdue.length,
    accepted: sum("accepted"), reported: sum("reported"), organizations_open: organizations.filter((o) => o.open).length };
  return { ...view, organizations, overdue_items: overdue, counts };
}
