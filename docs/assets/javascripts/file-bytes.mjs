// A user's files handed to the scorer as bytes: `read_files` (or the office's `collect`) decodes, bounds and
// checks them with the same code as the command line (scorer/textinput.py). Nothing here decodes text:
// `file.text()` would turn a GB18030 or UTF-16 file from Chinese Excel into mojibake, and JSON.parse
// would accept what the scorer refuses. Bounds come from the scorer (`version().limits`), not from here.

const CHUNK = 0x8000; // String.fromCharCode takes its arguments on the stack: convert in slices

/** base64 of bytes, for the worker's string-only protocol. */
export function base64Of(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

async function limitsOf(scorer) {
  const status = await scorer.ready;
  return (status && status.version && status.version.limits) || {};
}

/**
 * The files as the scorer reads them: [{name, base64}], [{name, size}] for a file over the scorer's
 * bound (never read into memory), or [{name, unreadable}] with the browser's reason, in the order given.
 */
export async function fileEntries(scorer, kind, files) {
  const limit = (await limitsOf(scorer))[kind];
  const over = (file) => Number.isFinite(limit) && file.size > limit;
  const fitting = files.filter((file) => !over(file));
  let buffer = null;
  try {
    // One read of all the files, cut by their sizes: a thousand separate reads took several times longer.
    buffer = await new Blob(fitting).arrayBuffer();
  } catch {
    buffer = null; // one unreadable file spoils the batch: read them one by one to name it
  }
  const offsets = new Map();
  let offset = 0;
  for (const file of fitting) { offsets.set(file, offset); offset += file.size; }
  return Promise.all(files.map(async (file) => {
    if (over(file)) return { name: file.name, size: file.size };
    try {
      const bytes = buffer ? new Uint8Array(buffer, offsets.get(file), file.size) : new Uint8Array(await file.arrayBuffer());
      return { name: file.name, base64: base64Of(bytes) };
    } catch (error) {
      return { name: file.name, unreadable: `无法读取文件（${error.message || error}）。` };
    }
  }));
}

/** A file the browser could not read, as the scorer words a problem. */
export function unreadableProblem(entry) {
  return { source: entry.name, path: "", line: null, column: null, message: entry.unreadable };
}

/**
 * Read files through the scorer (`read_files`): [{name, text}] or [{name, problems}] in the order given.
 * kind: "json" (assessments) or "csv".
 */
export async function readThrough(scorer, kind, files) {
  const entries = await fileEntries(scorer, kind, files);
  const sent = entries.filter((e) => !e.unreadable);
  const answer = sent.length ? await scorer.call("read_files", kind, JSON.stringify(sent)) : { ok: true, result: [] };
  if (!answer.ok) throw new Error(answer.problems.map((p) => p.message).join("；"));
  const answers = answer.result[Symbol.iterator]();
  return entries.map((e) => (e.unreadable ? { name: e.name, problems: [unreadableProblem(e)] } : answers.next().value));
}
