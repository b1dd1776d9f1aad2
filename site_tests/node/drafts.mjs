// Test helper: assess-draft.mjs in Node over an in-memory localStorage, driven by tabs.
//
//   node drafts.mjs < sequences.json > outcomes.json
//
// stdin: [[op, ...]] sequences; op = ["open", tab] (the tab reads the stored draft, as a page load or
// "载入较新的草稿" does), ["save", tab, name] (a save after an edit; "" leaves the form empty) or
// ["force", tab, name] ("保留本页的填写") or ["legacy", -1, name] (a draft as saved before revisions
// existed, by an older copy of the page: no revision field). Each sequence starts with empty storage. stdout: per
// sequence, per op, "saved" | "conflict" | the name read ("" when nothing is stored).
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

class MemoryStorage {
  constructor() { this.items = new Map(); }
  get length() { return this.items.size; }
  key(i) { return [...this.items.keys()][i] ?? null; }
  getItem(key) { return this.items.has(key) ? this.items.get(key) : null; }
  setItem(key, value) { this.items.set(key, String(value)); }
  removeItem(key) { this.items.delete(key); }
}

globalThis.window = { localStorage: new MemoryStorage() };
const here = path.dirname(fileURLToPath(import.meta.url));
const drafts = await import(pathToFileURL(path.join(here, "../../docs/assets/javascripts/assess-draft.mjs")).href);

const KEY = drafts.draftKey(2019, "dept");
const form = (name) => ({ organization: { name }, assessor: {}, items: {} });
let input = "";
for await (const chunk of process.stdin) input += chunk;
const out = [];
for (const sequence of JSON.parse(input)) {
  window.localStorage = new MemoryStorage();
  const seen = new Map(); // tab -> revision it last read or wrote
  const results = [];
  for (const [op, tab, name] of sequence) {
    if (op === "legacy") {
      const saved = new Date(Date.UTC(2019, 0, 1, 0, 0, 0, results.length)).toISOString(); // one per write
      window.localStorage.setItem(KEY, JSON.stringify({ format: drafts.DRAFT_FORMAT, saved, hash: null, draft: form(name) }));
      results.push("saved");
      continue;
    }
    if (op === "open") {
      const stored = drafts.readDraft(KEY);
      seen.set(tab, stored ? stored.revision : null);
      results.push(stored ? stored.draft.organization.name : "");
      continue;
    }
    const outcome = drafts.saveDraft(KEY, form(name), "hash", seen.has(tab) ? seen.get(tab) : null, { force: op === "force" });
    if (outcome.error) throw new Error(outcome.error);
    if (outcome.conflict) results.push("conflict");
    else {
      seen.set(tab, outcome.revision);
      results.push("saved");
    }
  }
  out.push(results);
}
process.stdout.write(JSON.stringify(out));
