// Test helper: the build's snapshot file (gzipped, layout "gmss/1") as the raw memory image Pyodide
// boots from, expanded by the very module the browser's worker uses.
import fs from "node:fs";
import zlib from "node:zlib";
import { expandInto } from "../../docs/assets/javascripts/snapshot-pages.mjs";

export async function readSnapshotFile(path) {
  let data = fs.readFileSync(path);
  if (data[0] === 0x1f && data[1] === 0x8b) data = zlib.gunzipSync(data);
  const bytes = new Uint8Array(data.readUInt32LE(12)); // the header's raw size
  await expandInto(new Blob([data]).stream().getReader(), bytes);
  return bytes;
}
