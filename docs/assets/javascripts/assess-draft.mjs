// Drafts of the self-assessment form in localStorage, one per year and standard (gm-draft:2019:dept).
//
// A draft is the form as filled in, unfinished rows included (an occurrence without a date is kept
// here but not scored or exported), wrapped with when it was saved and which standard content (hash)
// it was filled against. Storage can be missing or full (private windows, quotas): every function
// reports that instead of throwing, so the page can tell the user to export instead.

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

/** {draft, saved, hash} or null if there is none; {damaged: text} if it cannot be read. */
export function readDraft(key) {
  const store = storage();
  if (!store) return null;
  let text;
  try {
    text = store.getItem(key);
  } catch {
    return null;
  }
  if (text === null) return null;
  try {
    const value = JSON.parse(text);
    if (!value || value.format !== DRAFT_FORMAT || typeof value.draft !== "object" || value.draft === null) {
      return { damaged: text };
    }
    return { draft: value.draft, saved: value.saved || null, hash: value.hash || null };
  } catch {
    return { damaged: text };
  }
}

/** Save; returns null on success or a Chinese reason. */
export function writeDraft(key, draft, hash) {
  const store = storage();
  if (!store) return "浏览器禁止了本地存储，草稿无法自动保存。请定期点击“导出 JSON 文件”备份。";
  const saved = new Date().toISOString();
  try {
    store.setItem(key, JSON.stringify({ format: DRAFT_FORMAT, saved, hash, draft }));
    return null;
  } catch (error) {
    return `草稿无法保存到本机（${error && error.name === "QuotaExceededError" ? "浏览器存储空间已满" : String(error)}）。请点击“导出 JSON 文件”备份。`;
  }
}

export function removeDraft(key) {
  const store = storage();
  try {
    if (store) store.removeItem(key);
  } catch {
    // nothing to do: the form is cleared either way
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
