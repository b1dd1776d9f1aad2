// Test helper: booting the vendored Pyodide from the build's snapshot file (gzipped, layout "gmss/1")
// and start-up zip as the browser's worker does: expanded and restored page by page by the very
// module the worker uses.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import zlib from "node:zlib";
import { expandInto, withSparseRestore } from "../../docs/assets/javascripts/snapshot-pages.mjs";

/** The raw memory image and which of its pages are not zero (expandInto's answer). */
export async function readSnapshotFile(file) {
  let data = fs.readFileSync(file);
  if (data[0] === 0x1f && data[1] === 0x8b) data = zlib.gunzipSync(data);
  const bytes = new Uint8Array(data.readUInt32LE(12)); // the header's raw size
  const layout = await expandInto(new Blob([data]).stream().getReader(), bytes);
  return { bytes, layout };
}

/** loadPyodide's options for a snapshot start (add indexURL, stdout…); `sparse: false` for Pyodide's own restore. */
export async function snapshotOptions(pyodideDir, stdlibPath, snapshotPath, { sparse = true } = {}) {
  const { bytes, layout } = await readSnapshotFile(snapshotPath);
  const asm = await import(pathToFileURL(path.join(pyodideDir, "pyodide.asm.mjs")).href);
  return {
    stdLibURL: path.resolve(stdlibPath),
    _loadSnapshot: bytes,
    createPyodideModule: sparse ? withSparseRestore(asm.default, () => layout) : asm.default,
  };
}
