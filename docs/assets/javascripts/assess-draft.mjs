// Drafts of the self-assessment form in localStorage, one per year and standard (gm-draft:2019:dept).
//
// A draft is the form as filled in, unfinished rows included (an occurrence without a date is kept
// here but not scored or exported), wrapped with when it was saved and which standard content (hash)
// it was filled against. Storage can be missing or full (private windows, quotas): every function
// reports that instead of throwing, so the page can tell the user to export instead.
//
// Several tabs may hold the same form. Each save writes a new `revision` (unique per write), and a tab
// saves only over the revision it last read or wrote (compare and set): a tab opened before another
// one saved cannot replace that newer draft with its stale form without asking (saveDraft answers
// {conflict}). Other tabs learn of a save from the `storage` event and compare storedRevision().

export const DRAFT_FORMAT = "gm-draft/1";

export function draftKey(year, standard) {
  return `gm-draft:${year}:${standard}`;
}

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null; // access itself can throw (storage disabled)
  }
}

/**
 * What identifies a stored draft's version: its revision, or for a draft saved before revisions (or
 * a damaged one) its whole text. null when nothing is stored.
 */
function revisionOf(text) {
  if (text === null) return null;
  try {
    const value = JSON.parse(text);
    if (value && typeof value.revision === "string") return value.revision;
  } catch {
    // damaged: its text is its identity
  }
  return text;
}

function storedText(key) {
  const store = storage();
  if (!store) return null;
  try {
    return store.getItem(key);
  } catch {
    return null;
  }
}

/** The revision of the stored draft (see revisionOf); null when there is none. */
export function storedRevision(key) {
  return revisionOf(storedText(key));
}

/** {draft, saved, hash, revision} or null if there is none; {damaged: text, revision} if it cannot be read. */
export function readDraft(key) {
  const text = storedText(key);
  if (text === null) return null;
  const revision = revisionOf(text);
  try {
    const value = JSON.parse(text);
    if (!value || value.format !== DRAFT_FORMAT || typeof value.draft !== "object" || value.draft === null) {
      return { damaged: text, revision };
    }
    return { draft: value.draft, saved: value.saved || null, hash: value.hash || null, revision };
  } catch {
    return { damaged: text, revision };
  }
}

function newRevision() {
  const random = globalThis.crypto && crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2);
  return `${Date.now().toString(36)}-${random}`;
}

/**
 * Save `draft`, or remove the stored one when `draft` holds nothing typed, provided the stored draft
 * is still the revision this tab last read or wrote (`expected`, null for none); `{force: true}`
 * overwrites whatever is stored (the person chose to keep this tab's form).
 * Returns {revision} (the stored revision now, null after a removal), {conflict: true} when another
 * tab saved since (nothing written), or {error: Chinese reason}.
 */
export function saveDraft(key, draft, hash, expected, { force = false } = {}) {
  const store = storage();
  if (!store) return { error: "浏览器禁止了本地存储，草稿无法自动保存。请定期点击“导出 JSON 文件”备份。" };
  if (!force && storedRevision(key) !== expected) return { conflict: true };
  try {
    if (isEmptyDraft(draft)) {
      store.removeItem(key);
      return { revision: null };
    }
    const revision = newRevision();
    store.setItem(key, JSON.stringify({ format: DRAFT_FORMAT, saved: new Date().toISOString(), revision, hash, draft }));
    return { revision };
  } catch (error) {
    return { error: `草稿无法保存到本机（${error && error.name === "QuotaExceededError" ? "浏览器存储空间已满" : String(error)}）。请点击“导出 JSON 文件”备份。` };
  }
}

/** Whether a draft holds anything a person typed. */
export function isEmptyDraft(draft) {
  if (!draft) return true;
  const o = draft.organization || {};
  const a = draft.assessor || {};
  if ([o.name, o.kind, a.name, a.date].some((v) => typeof v === "string" && v.trim() !== "")) return false;
  return !Object.values(draft.items || {}).some((rows) => Array.isArray(rows) && rows.length > 0);
}

/** Every saved draft: [{year, standard, saved}] (for the landing page). */
export function listDrafts() {
  const store = storage();
  const found = [];
  if (!store) return found;
  try {
    for (let i = 0; i < store.length; i++) {
      const key = store.key(i);
      const match = /^gm-draft:(\d{4}):([a-z][a-z0-9-]*)$/.exec(key || "");
      if (!match) continue;
      const value = readDraft(key);
      if (value && value.draft && !isEmptyDraft(value.draft)) {
        found.push({ year: Number(match[1]), standard: match[2], saved: value.saved });
      }
    }
  } catch {
    // a storage that fails half-way lists what it could
  }
  return found;
}

/** '2019年12月20日 14:05' in the reader's time zone. */
export function formatSaved(iso) {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return "";
  const pad = (n) => String(n).padStart(2, "0");
  return `${when.getFullYear()}年${when.getMonth() + 1}月${when.getDate()}日 ${pad(when.getHours())}:${pad(when.getMinutes())}`;
}
