// The self-assessment's two shapes and the way between them (pure: no DOM). A draft is the form
// exactly as filled in (strings, unfinished rows included: what the browser keeps); a gm-assessment/1
// document is what the scorer checks and scores and what an export holds.

import { safeName } from "./export-files.mjs";

export const FORMAT = "gm-assessment/1";

/** A draft with nothing in it: what "clear" leaves. */
export function emptyDraft() {
  return { organization: {}, assessor: {}, items: {} };
}

export function asNumber(text) {
  const trimmed = String(text).trim();
  const number = Number(trimmed);
  return trimmed !== "" && Number.isFinite(number) ? number : trimmed;
}

/**
 * A gm-assessment/1 document from a draft, for the standard {standard, year, hash} of the page. Rows
 * without a date are left out (and counted in `incomplete`); `refs` maps each kept occurrence back to
 * its row, so the scorer's problems (JSON paths into this document) can be shown next to the right
 * control.
 */
export function toAssessment(draft, { standard, year, hash }) {
  const assessment = {
    format: FORMAT, standard, year, standard_hash: hash,
    organization: { name: draft.organization.name.trim() }, items: {},
  };
  if (draft.organization.kind) assessment.organization.kind = draft.organization.kind;
  const assessor = {};
  if (draft.assessor.name.trim()) assessor.name = draft.assessor.name.trim();
  if (draft.assessor.date) assessor.date = draft.assessor.date;
  if (Object.keys(assessor).length) assessment.assessor = assessor;
  const refs = {};
  let incomplete = 0;
  for (const [id, rows] of Object.entries(draft.items)) {
    const kept = [];
    refs[id] = [];
    rows.forEach((row, index) => {
      if (!row.date) { incomplete += 1; return; }
      const occurrence = { date: row.date };
      if (String(row.count).trim() !== "") occurrence.count = asNumber(row.count);
      if (row.note.trim()) occurrence.note = row.note.trim();
      const evidence = [];
      const evidenceRefs = [];
      row.evidence.forEach((e, j) => {
        if (!e.file.trim()) return;
        const entry = { file: e.file.trim() };
        if (e.location.trim()) entry.location = e.location.trim();
        if (e.sha256.trim()) entry.sha256 = e.sha256.trim().toLowerCase();
        evidence.push(entry);
        evidenceRefs.push(j);
      });
      if (evidence.length) occurrence.evidence = evidence;
      kept.push(occurrence);
      refs[id].push({ index, evidence: evidenceRefs });
    });
    if (kept.length) assessment.items[id] = kept;
  }
  return { assessment, refs, incomplete };
}

/** An accepted gm-assessment/1 document (already checked by the scorer) as a draft. */
export function assessmentToDraft(value) {
  const items = {};
  for (const [id, rows] of Object.entries(value.items || {})) {
    items[id] = rows.map((o) => ({
      date: o.date || "", count: o.count === undefined ? "1" : String(o.count), note: o.note || "",
      evidence: (o.evidence || []).map((e) => ({ file: e.file || "", location: e.location || "", sha256: e.sha256 || "" })),
    }));
  }
  const organization = value.organization || {};
  const assessor = value.assessor || {};
  return {
    organization: { name: organization.name || "", kind: organization.kind || "" },
    assessor: { name: assessor.name || "", date: assessor.date || "" },
    items,
  };
}

/** An export's file name: 自评_<organization>_<year>年度_<standard>.<extension>. */
export function exportFileName(organization, year, standard, extension) {
  return `自评_${safeName(organization) || "未填写党组织名称"}_${year}年度_${standard}.${extension}`;
}

/** The name a draft's backup is saved under (a damaged draft, or one of an earlier revision). */
export function backupFileName(year, standard) {
  return `草稿备份_${year}_${standard}.json`;
}
