// Test helper: the vendored Pyodide in Node, answering scorer requests as JSON lines.
//
//   node run_scorer.mjs <pyodide dir> <wheel> [<stdlib zip> <snapshot(.gz)>]
//
// Boots the runtime like the browser worker does (plainly, or from the build's memory snapshot with
// its precompiled stdlib, restored page by page), installs the wheel into site-packages, then prints
// {"ready": true, ...} and answers each stdin line {"id", "op", "args"} with one stdout line
// {"id", "ok": true, "result"} or {"id", "ok": false, "error"}. Only scorer.browser's declared
// operations (its REGISTRY) are callable, as in the worker.
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { pathToFileURL } from "node:url";
import { snapshotOptions } from "./snapshot.mjs";
import { scorerCaller } from "../../docs/assets/javascripts/scorer-call.mjs";

const [pyodideDir, wheelPath, stdlibPath, snapshotPath] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);

const started = performance.now();
const pyodide = await loadPyodide({
  indexURL: path.resolve(pyodideDir) + path.sep, stdout: () => {}, stderr: (m) => process.stderr.write(m + "\n"),
  ...(snapshotPath ? await snapshotOptions(pyodideDir, stdlibPath, snapshotPath) : {}),
});
const site = pyodide.pyimport("sys").path.toJs().find((p) => p.endsWith("site-packages"));
pyodide.unpackArchive(new Uint8Array(fs.readFileSync(wheelPath)), "wheel", { extractDir: site });
const api = pyodide.pyimport("scorer.browser");
// The allow-list, op -> number of arguments, from the wheel's own declaration (scorer.browser.REGISTRY,
// which the site build writes into the manifest the worker reads): no copy kept here.
const OPERATIONS = Object.freeze(Object.assign(Object.create(null), api.registry().toJs({ dict_converter: Object.fromEntries })));
const call = scorerCaller(api); // as the worker calls: texts across as UTF-8 bytes
const write = (value) => process.stdout.write(JSON.stringify(value) + "\n");
write({
  ready: true,
  mode: snapshotPath ? "snapshot" : "stock",
  boot_ms: Math.round(performance.now() - started),
  version: JSON.parse(call("version", [])).result,
  scorer_file: pyodide.pyimport("scorer").__file__,
});

for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (!line.trim()) continue;
  let request = {};
  try {
    request = JSON.parse(line);
    const { op, args } = request;
    if (!Object.prototype.hasOwnProperty.call(OPERATIONS, op) || !Array.isArray(args) || args.length !== OPERATIONS[op]) {
      write({ id: request.id ?? null, ok: false, error: { code: "unknown_op", message: String(op) } });
      continue;
    }
    write({ id: request.id, ok: true, result: JSON.parse(call(op, args)) });
  } catch (error) {
    write({ id: request.id ?? null, ok: false, error: { code: "python_error", message: String(error && error.message) } });
  }
}
