// What a download is made of (pure: no DOM): a safe file name, the scorer's base64 workbook as bytes,
// the MIME types. The pages save with dom.mjs's `download`.

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** A name part that every file system accepts: no path separators, reserved or control characters,
 *  no blanks, at most 60 characters. */
export function safeName(value) {
  return String(value).trim().replace(/[\\/:*?"<>|\u0000-\u001f\s]+/g, "_").slice(0, 60);
}

/** The bytes of a base64 text (the scorer's .xlsx crosses the worker boundary as text). */
export function base64Bytes(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** CSV text from the scorer (it carries the byte-order mark Excel needs) as a downloadable Blob. */
export function csvBlob(text) {
  return new Blob([text], { type: "text/csv;charset=utf-8" });
}

/** A workbook from the scorer's {base64} answer as a downloadable Blob. */
export function xlsxBlob(base64) {
  return new Blob([base64Bytes(base64)], { type: XLSX_TYPE });
}
