// The review screen's pure parts (no DOM): what the workspace holds about one organization, and the
// screen's state written as a gm-review/1 document. No rule is decided here: what counts, the final
// score and grade are the scorer's (`final_result`); the checks of a review are `review_check`'s.

export const REVIEW_FORMAT = "gm-review/1";

/** The decision ids of gm-review/1; "" is "not decided yet" (the occurrence counts as declared). */
export const DECISIONS = ["confirm", "adjust", "reject"];

/** A record id as the formats want it (letters, digits, _.:-): prefix, time, random. */
export function newId(prefix, now = Date.now(), random = globalThis.crypto) {
  const bytes = new Uint8Array(4);
  random.getRandomValues(bytes);
  const tail = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${prefix}-${now.toString(36)}-${tail}`;
}

/**
 * Every organization the workspace knows, by name, in roster order and then the others': {name,
 * kind, assessment (the stored entry or null), review (or null), selected}. The same name in the
 * roster and in a file is one organization: names are how the formats refer to organizations.
 */
export function organizationsOf(workspace) {
  const out = new Map();
  const entry = (name, kind = "") => {
    if (!out.has(name)) out.set(name, { name, kind, assessment: null, review: null, selected: false });
    const value = out.get(name);
    if (!value.kind && kind) value.kind = kind;
    return value;
  };
  if (!workspace) return [];
  for (const org of workspace.roster || []) entry(org.name, org.kind || "");
  for (const stored of workspace.assessments || []) {
    const org = stored.assessment.organization || {};
    entry(org.name || "", org.kind || "").assessment = stored;
  }
  for (const review of workspace.reviews || []) entry(review.organization.name, review.organization.kind || "").review = review;
  for (const name of (workspace.plan && workspace.plan.selected) || []) entry(name).selected = true;
  return Array.from(out.values()).filter((org) => org.name);
}

/** The supervision records that name this organization (not deleted): what the screen lists beside it. */
export function recordsFor(workspace, name) {
  return ((workspace && workspace.supervision) || []).filter((r) => !r.deleted && r.organizations.includes(name));
}

const text = (value) => (typeof value === "string" ? value.trim() : "");

function positiveInt(value) {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : value === "" || value === undefined ? undefined : n;
}

/**
 * The screen's state as a gm-review/1 document. base: the document from `review_new` (or an opened
 * review): its binding (id, year, standard, hashes, organization) is kept as it is. state:
 *   decisions: [{item, index, decision ("" = undecided), count, date, reason}]
 *   additions: [{id, item, date, count, source, record, note, evidence: [{file, sha256}]}]
 *   qualitative: {level, text}; related: {name: text or number}; team: {leader, members, date}
 * Values are passed on as typed (numbers parsed, blanks dropped): a wrong one is the scorer's to refuse
 * with its reason, not this function's to hide.
 */
export function reviewDocument(base, state, updated = new Date().toISOString()) {
  const review = {
    format: REVIEW_FORMAT, id: base.id, year: base.year, standard: base.standard, standard_hash: base.standard_hash,
    rules_hash: base.rules_hash ?? null, organization: base.organization, assessment_hash: base.assessment_hash ?? null,
    decisions: [], additions: [],
  };
  for (const d of state.decisions || []) {
    if (!d.decision) continue;
    const out = { item: d.item, index: d.index, decision: d.decision };
    if (d.decision === "adjust") {
      const count = positiveInt(d.count);
      if (count !== undefined) out.count = count;
      if (text(d.date)) out.date = text(d.date);
    }
    if (d.decision !== "confirm" && text(d.reason)) out.reason = text(d.reason);
    review.decisions.push(out);
  }
  for (const a of state.additions || []) {
    const out = { id: a.id, item: a.item, date: text(a.date), source: a.source };
    const count = positiveInt(a.count);
    if (count !== undefined) out.count = count;
    if (text(a.record)) out.record = text(a.record);
    if (text(a.note)) out.note = text(a.note);
    const evidence = (a.evidence || []).filter((e) => text(e.file)).map((e) => {
      const ref = { file: text(e.file) };
      if (text(e.location)) ref.location = text(e.location);
      if (text(e.sha256)) ref.sha256 = text(e.sha256).toLowerCase();
      return ref;
    });
    if (evidence.length) out.evidence = evidence;
    review.additions.push(out);
  }
  const q = state.qualitative || {};
  if (q.level) review.qualitative = text(q.text) ? { level: q.level, text: text(q.text) } : { level: q.level };
  const related = {};
  for (const [name, value] of Object.entries(state.related || {})) {
    if (value === "" || value === null || value === undefined) continue;
    related[name] = typeof value === "number" ? value : Number(String(value).trim());
  }
  if (Object.keys(related).length) review.related = related;
  const team = state.team || {};
  const members = String(team.members || "").split(/[、，,；;\s]+/).map((m) => m.trim()).filter(Boolean);
  const teamOut = {};
  if (text(team.leader)) teamOut.leader = text(team.leader);
  if (members.length) teamOut.members = members;
  if (text(team.date)) teamOut.date = text(team.date);
  if (Object.keys(teamOut).length) review.team = teamOut;
  review.updated = updated;
  return review;
}

/**
 * The screen's state from a review document and the declared occurrences (`review_new`'s list):
 * one decision row per declared occurrence, in the declared order; the inverse of `reviewDocument`.
 */
export function stateOf(review, occurrences, related = {}) {
  const byKey = new Map((review.decisions || []).map((d) => [`${d.item}#${d.index}`, d]));
  return {
    decisions: occurrences.map((o) => {
      const d = byKey.get(`${o.item}#${o.index}`) || {};
      return { item: o.item, index: o.index, decision: d.decision || "", count: d.count ?? "", date: d.date || "",
               reason: d.reason || "" };
    }),
    additions: (review.additions || []).map((a) => ({ ...a, count: a.count ?? 1, evidence: a.evidence || [] })),
    qualitative: { level: (review.qualitative && review.qualitative.level) || "", text: (review.qualitative && review.qualitative.text) || "" },
    related: { ...related, ...(review.related || {}) },
    team: { leader: (review.team && review.team.leader) || "", members: ((review.team && review.team.members) || []).join("、"),
            date: (review.team && review.team.date) || "" },
  };
}

/**
 * The workspace with this review in it (replacing the organization's earlier review of the same
 * standard, or the same id), and the workspace's `updated` set: what `saveWorkspace` stores.
 */
export function withReview(workspace, review) {
  const same = (r) => r.id === review.id
    || (r.organization.name === review.organization.name && r.standard === review.standard);
  const reviews = (workspace.reviews || []).filter((r) => !same(r));
  reviews.push(review);
  return { ...workspace, reviews, updated: review.updated };
}

// Kept for office-rectification.mjs's import until it takes safeName from export-files.mjs, its one home.
export { safeName } from "./export-files.mjs";
