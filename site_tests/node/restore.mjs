// Test helper: does the worker's page-by-page restore (snapshot-pages.mjs) leave the wasm memory
// exactly as Pyodide's own restore does?
//
//   node restore.mjs <pyodide dir> <stdlib zip> <snapshot(.gz)>
//
// Boots the vendored runtime from the snapshot twice, once each way, hashes the whole wasm memory
// right after the restore, and prints one JSON line. Also restores a small made-up image over a
// memory with leftovers where the image is zero, the case the real runtime may or may not show.
import crypto from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { restoreInto } from "../../docs/assets/javascripts/snapshot-pages.mjs";
import { snapshotOptions } from "./snapshot.mjs";

const [pyodideDir, stdlibPath, snapshotPath] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const sha256 = (bytes) => crypto.createHash("sha256").update(bytes).digest("hex");

async function memoryAfterRestore(sparse) {
  const options = await snapshotOptions(pyodideDir, stdlibPath, snapshotPath, { sparse });
  const create = options.createPyodideModule;
  const seen = {};
  options.createPyodideModule = async (settings) => {
    const module = await create(settings);
    const restore = module.API.restoreSnapshot;
    module.API.restoreSnapshot = (image) => {
      const state = restore(image);
      seen.memory = sha256(new Uint8Array(module.HEAP8.buffer));
      seen.bytes = module.HEAP8.buffer.byteLength;
      return state;
    };
    return module;
  };
  const pyodide = await loadPyodide({ indexURL: path.resolve(pyodideDir) + path.sep, stdout: () => {}, stderr: () => {}, ...options });
  seen.works = pyodide.runPython("import json; json.dumps({'ok': [1, 2]})");
  return seen;
}

function madeUp() {
  const pageSize = 64;
  const offset = 16;
  const image = new Uint8Array(offset + 4 * pageSize + 24); // the last page is short
  image.fill(7, 0, offset); // header
  image.fill(1, 2 * pageSize + 3, 2 * pageSize + 9); // page 2 not zero; pages 0 (header), 4 too
  image[image.length - 1] = 9;
  const pages = [0, 2, 4];
  const heap = new Uint8Array(image.length + 64);
  heap.fill(5, pageSize - offset + 8, pageSize - offset + 12); // leftovers under zero page 1
  heap.fill(6, 3 * pageSize - offset, 3 * pageSize - offset + 2); // and under zero page 3
  const expected = heap.slice();
  expected.set(image.subarray(offset), 0);
  const counts = restoreInto(heap, image, { pages, pageSize }, offset);
  return { equal: sha256(heap) === sha256(expected), ...counts };
}

const stock = await memoryAfterRestore(false);
const sparse = await memoryAfterRestore(true);
process.stdout.write(JSON.stringify({ stock, sparse, madeUp: madeUp() }) + "\n");
