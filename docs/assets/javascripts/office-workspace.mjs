// The office's year workspace in the browser: the ONE store of the office pages (日常监督, 核查评议,
// 评议结果), and its passphrase-protected export.
//
// A workspace is the plain JSON document of `gm-workspace/1` (scorer/schemas/): the scorer reads,
// checks, merges and scores it; this module only keeps it and seals it. Why one module: three pages
// write the same year's workspace, and two copies of "how it is stored" would drift apart.
//
//   loadWorkspace(year)        -> the stored document, or null
//   loadStored(year)           -> {workspace, text, stamp} as stored, or null
//   saveWorkspace(workspace, {stamp}) -> stores it under workspace.year (one record per year), with
//                                 the scorer's check stamp for its text when the caller has one
//   stampWorkspace(year, text, stamp) -> records the stamp, if the stored text is still `text`
//   clearWorkspace(year)       -> removes it from this browser
//   onWorkspaceChange(cb)      -> another tab of this site saved or cleared a workspace
//   seal(text, passphrase)     -> a `gm-sealed/1` envelope (AES-GCM, key from PBKDF2-SHA-256)
//   unseal(envelope, passphrase) -> the bytes sealed, or a SealError with the reason in Chinese
//
// Storage: IndexedDB (survives reloads and restarts of the browser; nothing is sent anywhere). The
// document is kept as its JSON text, so what is stored is byte for byte what the scorer last wrote.
// Nothing here touches the DOM: the sealing runs under Node's own test runner too.

export const WORKSPACE_FORMAT = "gm-workspace/1";
export const SEALED_FORMAT = "gm-sealed/1";

const DB_NAME = "gm-office";
const DB_VERSION = 1;
const STORE = "workspaces";
const CHANNEL = "gm-office-workspace";

// ---------------------------------------------------------------- the store (IndexedDB)

let opening = null;

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** The database, opened once per page; a refusal (private mode, storage disabled) says why in Chinese. */
function database() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      if (typeof indexedDB === "undefined") {
        reject(new StoreError("此浏览器不支持 IndexedDB，无法在本机保存工作区。请使用新版 Chrome、Edge、Firefox 或 Safari。"));
        return;
      }
      const req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: "year" });
      };
      req.onsuccess = () => {
        const db = req.result;
        // Another tab of a newer version of the site wants to upgrade: let it, open again next time.
        db.onversionchange = () => { db.close(); opening = null; };
        resolve(db);
      };
      req.onerror = () => reject(new StoreError(`无法打开本机存储（${req.error && req.error.message || "浏览器拒绝"}）。` +
        "浏览器的无痕/隐私模式或禁用网站数据时无法保存工作区。"));
      req.onblocked = () => reject(new StoreError("本站的另一个标签页正在使用旧版本的存储，请关闭其他标签页后刷新本页。"));
    });
    opening.catch(() => { opening = null; });
  }
  return opening;
}

export class StoreError extends Error {
  constructor(message) {
    super(message);
    this.name = "StoreError";
  }
}

function yearKey(year) {
  const value = Number(year);
  if (!Number.isInteger(value) || value < 1900 || value > 2200) throw new StoreError(`年度 ${year} 无效。`);
  return value;
}

async function transaction(mode, work) {
  const db = await database();
  const tx = db.transaction(STORE, mode);
  const done = new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new StoreError("保存被中止。"));
  });
  const result = await work(tx.objectStore(STORE));
  try {
    await done;
  } catch (error) {
    const quota = error && error.name === "QuotaExceededError";
    throw new StoreError(quota ? "本机存储空间不足，工作区未保存。请导出工作区文件留存，并清理浏览器空间。"
      : `工作区未保存（${error && error.message || error}）。`);
  }
  return result;
}

/** The year's workspace as stored (a plain object), or null when this browser has none. */
export async function loadWorkspace(year) {
  const stored = await loadStored(year);
  return stored ? stored.workspace : null;
}

/**
 * The year's stored record: {workspace, text, stamp}, or null. `stamp` is the scorer's check stamp of
 * `text` (scorer/stamps.py) when it was saved after the scorer checked it, else null: a page hands
 * both to `workspace_stamp`, which vouches for the text by hashing it instead of checking it again.
 */
export async function loadStored(year) {
  const key = yearKey(year);
  const record = await transaction("readonly", (store) => request(store.get(key)));
  if (!record) return null;
  return { workspace: JSON.parse(record.text), text: record.text, stamp: typeof record.stamp === "string" ? record.stamp : null };
}

/** When the year's workspace was last saved in this browser (ISO text), or null. */
export async function workspaceSavedAt(year) {
  const key = yearKey(year);
  const record = await transaction("readonly", (store) => request(store.get(key)));
  return record ? record.saved : null;
}

/** The years this browser holds a workspace for, ascending. */
export async function storedYears() {
  const keys = await transaction("readonly", (store) => request(store.getAllKeys()));
  return keys.map(Number).sort((a, b) => a - b);
}

/**
 * Store a `gm-workspace/1` document under its year, replacing the one stored before. `text`: its JSON
 * text when the caller has it (the scorer's own serialization, `application_save`), else
 * `JSON.stringify(workspace)`. `stamp`: the scorer's check stamp of that text (`workspace_read`,
 * `application_save` give it), or null.
 */
export async function saveWorkspace(workspace, { stamp = null, text = null } = {}) {
  if (!workspace || typeof workspace !== "object" || workspace.format !== WORKSPACE_FORMAT) {
    throw new StoreError(`只能保存 ${WORKSPACE_FORMAT} 格式的工作区。`);
  }
  const key = yearKey(workspace.year);
  const record = { year: key, text: typeof text === "string" ? text : JSON.stringify(workspace),
    stamp: typeof stamp === "string" ? stamp : null, saved: new Date().toISOString() };
  await transaction("readwrite", (store) => request(store.put(record)));
  announce({ year: key, saved: record.saved });
  return record.saved;
}

/**
 * Record the scorer's check stamp for the stored text, if the store still holds exactly `text` (another
 * tab may have saved meanwhile: then nothing changes). Not announced: the workspace is the same.
 */
export async function stampWorkspace(year, text, stamp) {
  const key = yearKey(year);
  return transaction("readwrite", async (store) => {
    const record = await request(store.get(key));
    if (!record || record.text !== text || record.stamp === stamp) return false;
    await request(store.put({ ...record, stamp }));
    return true;
  });
}

/** Remove the year's workspace from this browser (exported files are not affected). */
export async function clearWorkspace(year) {
  const key = yearKey(year);
  await transaction("readwrite", (store) => request(store.delete(key)));
  announce({ year: key, saved: null });
}

let channel = null;
// Which page announced a save. A BroadcastChannel delivers to every other channel object of its name,
// this page's own listeners included: without the sender, a page heard its own saves as another tab's,
// read the whole workspace back, had it vouched for (checked in full after a records-only save) and
// drew it again, in front of the user's next change.
const SENDER = typeof crypto !== "undefined" && typeof crypto.randomUUID === "function"
  ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;

function announce(message) {
  if (typeof BroadcastChannel === "undefined") return;
  channel = channel || new BroadcastChannel(CHANNEL);
  channel.postMessage({ ...message, sender: SENDER });
}

/** Call `listener({year, saved})` when another tab saves (saved: ISO text) or clears (null) a workspace
 *  (never for this page's own saves: the page that saved already holds what it saved). */
export function onWorkspaceChange(listener) {
  if (typeof BroadcastChannel === "undefined") return () => {};
  const listen = new BroadcastChannel(CHANNEL);
  listen.onmessage = (event) => {
    if (event.data && event.data.sender === SENDER) return;
    listener(event.data);
  };
  return () => listen.close();
}

// ---------------------------------------------------------------- the sealed envelope (gm-sealed/1)
//
// {"format": "gm-sealed/1", "content": "gm-workspace/1", "compression": "gzip",
//  "kdf": {"name": "PBKDF2", "hash": "SHA-256", "iterations": 600000, "salt": base64 (16 bytes)},
//  "cipher": {"name": "AES-GCM", "iv": base64 (12 bytes)}, "data": base64 (ciphertext and tag)}
//
// Every field but `data` is bound to the ciphertext as AES-GCM's additional data: a file whose
// header was edited (fewer iterations, another content format) fails to open like a wrong passphrase.
// The schema: scorer/schemas/sealed.schema.json.

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256; a file asking for fewer is refused. */
export const MIN_ITERATIONS = 600000;
/** A file asking for more would hold the tab for minutes: refused as damaged. */
export const MAX_ITERATIONS = 10000000;
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Bound on what a sealed file may unpack to (the scorer's own bound then applies to the text). */
export const MAX_OPENED_BYTES = 64 * 1024 * 1024;
const ENVELOPE_KEYS = ["format", "content", "compression", "kdf", "cipher", "data"];

export class SealError extends Error {
  constructor(message) {
    super(message);
    this.name = "SealError";
  }
}

const CHUNK = 0x8000;

function toBase64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

function fromBase64(text, what) {
  if (typeof text !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
    throw new SealError(`加密文件已损坏：${what}不是有效的 base64 编码。`);
  }
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function subtle() {
  const api = globalThis.crypto && globalThis.crypto.subtle;
  if (!api) {
    throw new SealError("此浏览器不提供加密功能（WebCrypto）。加密导出和导入需要通过 https 或本机地址打开本站。");
  }
  return api;
}

function checkPassphrase(passphrase) {
  if (typeof passphrase !== "string" || passphrase.length === 0) throw new SealError("请输入口令。");
  if (passphrase.length > 1024) throw new SealError("口令过长（最多 1024 个字符）。");
}

async function deriveKey(passphrase, salt, iterations, usage) {
  const material = await subtle().importKey("raw", new TextEncoder().encode(passphrase.normalize("NFC")), "PBKDF2", false, ["deriveKey"]);
  return subtle().deriveKey({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, material,
    { name: "AES-GCM", length: 256 }, false, [usage]);
}

/** The header fields as AES-GCM additional data: one fixed order, so both sides make the same bytes. */
function additionalData(envelope) {
  const { format, content, compression, kdf, cipher } = envelope;
  return new TextEncoder().encode(JSON.stringify([format, content, compression, kdf.name, kdf.hash, kdf.iterations,
    kdf.salt, cipher.name, cipher.iv]));
}

async function pipeThrough(bytes, transform, limit) {
  const stream = new Blob([bytes]).stream().pipeThrough(transform);
  const reader = stream.getReader();
  const parts = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new SealError(`加密文件解开后超过 ${Math.round(limit / 1024 / 1024)} MB，已拒绝（文件可能被改动过）。`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) { out.set(part, at); at += part.length; }
  return out;
}

/**
 * Seal text (a workspace's JSON) with a passphrase: gzip, then AES-GCM-256 with a key from
 * PBKDF2-SHA-256 over a random salt, a random IV. Returns the envelope object (JSON.stringify it to save).
 */
export async function seal(text, passphrase, { iterations = MIN_ITERATIONS, content = WORKSPACE_FORMAT } = {}) {
  checkPassphrase(passphrase);
  if (!Number.isInteger(iterations) || iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
    throw new SealError(`迭代次数应在 ${MIN_ITERATIONS} 到 ${MAX_ITERATIONS} 之间。`);
  }
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const envelope = {
    format: SEALED_FORMAT,
    content,
    compression: "gzip",
    kdf: { name: "PBKDF2", hash: "SHA-256", iterations, salt: toBase64(salt) },
    cipher: { name: "AES-GCM", iv: toBase64(iv) },
    data: "",
  };
  const packed = await pipeThrough(new TextEncoder().encode(text), new CompressionStream("gzip"), Infinity);
  const key = await deriveKey(passphrase, salt, iterations, "encrypt");
  const sealed = await subtle().encrypt({ name: "AES-GCM", iv, additionalData: additionalData(envelope) }, key, packed);
  envelope.data = toBase64(new Uint8Array(sealed));
  return envelope;
}

/** Is this parsed JSON value a sealed envelope (by its declared format)? */
export function isSealed(value) {
  return Boolean(value) && typeof value === "object" && !Array.isArray(value) && value.format === SEALED_FORMAT;
}

/** The envelope's shape, checked before any work: every refusal names what is wrong, in Chinese. */
export function checkEnvelope(envelope) {
  if (!isSealed(envelope)) throw new SealError(`不是加密的工作区文件（应为 ${SEALED_FORMAT} 格式）。`);
  const extra = Object.keys(envelope).filter((key) => !ENVELOPE_KEYS.includes(key));
  if (extra.length) throw new SealError(`加密文件已损坏：有未知的字段 ${extra.join("、")}。`);
  if (envelope.content !== WORKSPACE_FORMAT) throw new SealError(`加密文件的内容格式 ${String(envelope.content)} 不受支持（应为 ${WORKSPACE_FORMAT}）。`);
  if (envelope.compression !== "gzip") throw new SealError("加密文件已损坏：压缩方式应为 gzip。");
  const { kdf, cipher } = envelope;
  if (!kdf || typeof kdf !== "object" || kdf.name !== "PBKDF2" || kdf.hash !== "SHA-256") {
    throw new SealError("加密文件的密钥派生方式不受支持（应为 PBKDF2 / SHA-256）。");
  }
  if (!Number.isInteger(kdf.iterations) || kdf.iterations < MIN_ITERATIONS || kdf.iterations > MAX_ITERATIONS) {
    throw new SealError(`加密文件的迭代次数 ${String(kdf.iterations)} 不在允许范围（${MIN_ITERATIONS}–${MAX_ITERATIONS}）内，已拒绝。`);
  }
  if (!cipher || typeof cipher !== "object" || cipher.name !== "AES-GCM") throw new SealError("加密文件的加密算法不受支持（应为 AES-GCM）。");
  if (fromBase64(kdf.salt, "盐值").length !== SALT_BYTES) throw new SealError(`加密文件已损坏：盐值应为 ${SALT_BYTES} 字节。`);
  if (fromBase64(cipher.iv, "初始向量").length !== IV_BYTES) throw new SealError(`加密文件已损坏：初始向量应为 ${IV_BYTES} 字节。`);
  if (fromBase64(envelope.data, "密文").length < TAG_BYTES) throw new SealError("加密文件已损坏：密文过短。");
}

/**
 * Open a sealed envelope: the bytes sealed (UTF-8 JSON text), which the page hands to the scorer's
 * reader like the bytes of any file (`read_files`). A wrong passphrase, or any change to the file after it was
 * sealed, is refused with a SealError; AES-GCM's tag makes it impossible to get garbage instead.
 */
export async function unseal(envelope, passphrase, { limit = MAX_OPENED_BYTES } = {}) {
  checkEnvelope(envelope);
  checkPassphrase(passphrase);
  const salt = fromBase64(envelope.kdf.salt, "盐值");
  const iv = fromBase64(envelope.cipher.iv, "初始向量");
  const key = await deriveKey(passphrase, salt, envelope.kdf.iterations, "decrypt");
  let packed;
  try {
    packed = new Uint8Array(await subtle().decrypt({ name: "AES-GCM", iv, additionalData: additionalData(envelope) },
      key, fromBase64(envelope.data, "密文")));
  } catch {
    throw new SealError("口令不正确，或文件在加密后被改动过：无法解密。工作区未作任何改变。");
  }
  try {
    return await pipeThrough(packed, new DecompressionStream("gzip"), limit);
  } catch (error) {
    if (error instanceof SealError) throw error;
    throw new SealError("加密文件的内容无法解压（文件已损坏）。");
  }
}
