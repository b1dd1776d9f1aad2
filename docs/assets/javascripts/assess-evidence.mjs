// Evidence fingerprints in the page: choosing an evidence file fills in its name and its SHA-256,
// computed here with WebCrypto. The file is read once into memory for the digest and dropped: it is
// never stored, sent to the worker or uploaded, and the file control is emptied at once, so a draft
// or an export only ever holds the name and the 64 hex digits. Typing a hash by hand stays possible.
//
// The office's review screen uses the same `fingerprintFiles` for the files it receives, so both
// sides compute the digest the same way; comparing them is the scorer's rule, not this module's.

/** WebCrypto digests a whole buffer (no streaming), so one file is bounded: 1 GiB. */
export const MAX_FINGERPRINT_BYTES = 1024 * 1024 * 1024;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Lower-case hex of bytes (an ArrayBuffer or a typed array). */
export function hexOf(buffer) {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer.buffer || buffer,
    buffer.byteOffset || 0, buffer.byteLength);
  let text = "";
  for (const byte of bytes) text += HEX[byte];
  return text;
}

/** SHA-256 of bytes as 64 lower-case hex digits (what gm-assessment/1's evidence `sha256` holds). */
export async function sha256Hex(bytes) {
  return hexOf(await globalThis.crypto.subtle.digest("SHA-256", bytes));
}

/** A file's size in words, for messages: 1.5 GB, 320 KB. */
export function sizeText(bytes) {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/**
 * {name, sha256} of one File/Blob with a name, or {name, problem} in Chinese: too large to digest in
 * the page, or unreadable (moved, permission). Never throws, so one bad file never stops a batch.
 */
export async function fingerprintFile(file, limit = MAX_FINGERPRINT_BYTES) {
  const name = file.name || "";
  if (file.size > limit) {
    return {
      name,
      problem: `文件“${name}”有 ${sizeText(file.size)}，超过页内计算校验值的上限 ${sizeText(limit)}：`
        + "请在本机用 certutil -hashfile 文件名 SHA256（Windows）或 sha256sum 文件名 计算后手工填写。",
    };
  }
  try {
    return { name, sha256: await sha256Hex(await file.arrayBuffer()) };
  } catch (error) {
    return { name, problem: `无法读取文件“${name}”（${(error && error.message) || error}），请重新选择。` };
  }
}

/** Fingerprints of several files, one after the other (one file's bytes in memory at a time). */
export async function fingerprintFiles(files, limit = MAX_FINGERPRINT_BYTES) {
  const out = [];
  for (const file of files) out.push(await fingerprintFile(file, limit));
  return out;
}

/**
 * Wire the evidence file pickers of the assessment form (`input[data-field="pick"]` inside each
 * `.gm-evidence-item`): a chosen file fills `file` (its name) and `sha256`, then
 * an `input` event on the hash field lets the form save and rescore as if typed.
 */
export function wireEvidencePicker(form) {
  form.addEventListener("change", async (event) => {
    const picker = event.target;
    if (!picker.matches || !picker.matches('input[type="file"][data-field="pick"]')) return;
    const entry = picker.closest(".gm-evidence-item");
    const chosen = picker.files && picker.files[0];
    picker.value = ""; // the file itself is never kept, not even in the control
    if (!entry || !chosen) return;
    const slot = entry.querySelector('[data-slot="pick-status"]');
    const say = (text, bad) => {
      slot.textContent = text;
      slot.classList.toggle("gm-evidence-pick--bad", Boolean(bad));
      slot.hidden = !text;
    };
    say(`正在计算“${chosen.name}”的 SHA-256 校验值……`);
    const print = await fingerprintFile(chosen);
    if (print.problem) { say(print.problem, true); return; }
    const nameField = entry.querySelector('[data-field="file"]');
    const hashField = entry.querySelector('[data-field="sha256"]');
    nameField.value = print.name; // the hash is this file's: so is the name beside it
    hashField.value = print.sha256;
    say(`已填写“${print.name}”的 SHA-256 校验值（文件只在本页计算，未上传，也未保存）。`);
    hashField.dispatchEvent(new Event("input", { bubbles: true }));
  });
}
