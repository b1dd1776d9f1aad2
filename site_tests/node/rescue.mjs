// Test helper: scorer.stdlib_rescue under the real Pyodide, booted from the build's snapshot and
// start-up zip, in Node with a stand-in for the worker's synchronous XMLHttpRequest (reading files).
//
//   node rescue.mjs <pyodide dir> <stdlib zip> <snapshot(.gz)> <site dir> <module>
//
// Imports <module> (one the start-up zip lacks) and prints one JSON line: the module's file, what the
// rescue fetched, and the requests made; or {"error": ...} when the import failed.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { snapshotOptions } from "./snapshot.mjs";

const [pyodideDir, stdlibPath, snapshotPath, siteDir, moduleName] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: path.resolve(pyodideDir) + path.sep, stdout: () => {}, stderr: () => {},
  ...(await snapshotOptions(pyodideDir, stdlibPath, snapshotPath)),
});

const requests = [];
globalThis.location = { href: pathToFileURL(path.join(siteDir, "assets/javascripts/scorer-worker.mjs")).href };
globalThis.XMLHttpRequest = class {
  open(method, url, async) { this.url = url; this.async = async; }
  send() {
    requests.push(path.relative(siteDir, fileURLToPath(this.url)));
    if (this.async !== false) throw new Error("the rescue must request synchronously");
    try {
      const body = fs.readFileSync(fileURLToPath(this.url));
      this.status = 200;
      this.response = body.buffer.slice(body.byteOffset, body.byteOffset + body.length);
    } catch {
      this.status = 404;
    }
  }
};

pyodide.globals.set("module_name", moduleName);
const result = pyodide.runPython(`
import importlib, json, sys
from scorer.stdlib_rescue import StdlibRescue
rescue = next(f for f in sys.meta_path if isinstance(f, StdlibRescue))
try:
    module = importlib.import_module(module_name)
    answer = {"file": module.__file__, "rescued": rescue.rescued}
except ImportError as exc:
    answer = {"error": str(exc), "rescued": rescue.rescued}
json.dumps(answer, ensure_ascii=False)
`);
console.log(JSON.stringify({ ...JSON.parse(result), requests }));
