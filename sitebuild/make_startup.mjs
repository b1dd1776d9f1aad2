// Build-time (Node): the start-up accelerators for the in-browser scorer, from the vendored Pyodide.
//
//   node sitebuild/make_startup.mjs <pyodide dir> <scorer wheel> <out dir> <wheel sha256> [<stdlib zip>]
//
// (an existing precompiled stdlib zip is reused as it is: it depends on the runtime alone)
//
// Writes <out>/stdlib.zip (the stdlib precompiled by Pyodide's own CPython) and <out>/snapshot.bin
// (a memory snapshot taken after importing the scorer, booted with that same stdlib zip: the
// interpreter's zipimport caches hold offsets into it). Then boots the snapshot once to prove it
// works, and prints one JSON line of facts. The snapshot API is private to Pyodide and tied to its
// exact build; sitebuild/startup.py keys the cache by build id and wheel hash and the worker falls
// back to a plain start if it does not fit.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, wheelPath, outDir, wheelSha, reuseStdlib] = process.argv.slice(2);
if (!outDir || !wheelSha) {
  console.error("usage: make_startup.mjs <pyodide dir> <wheel> <out dir> <wheel sha256>");
  process.exit(2);
}
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const indexURL = path.resolve(pyodideDir) + path.sep;
const stdlibPath = path.resolve(outDir, "stdlib.zip");
const wheel = new Uint8Array(fs.readFileSync(wheelPath));
const quiet = { stdout: () => {}, stderr: (m) => console.error(m) };
const facts = { timings_ms: {} };
const clock = (name, t0) => { facts.timings_ms[name] = Math.round(performance.now() - t0); };

// Same code the worker runs after a boot: put the wheel in site-packages, then import it.
function installWheel(py) {
  const site = py.runPython("import sys; next(p for p in sys.path if p.endswith('site-packages'))");
  py.unpackArchive(wheel, "wheel", { extractDir: site });
}

let t0 = performance.now();
if (reuseStdlib) {
  fs.copyFileSync(reuseStdlib, stdlibPath);
  facts.stdlib = { reused: path.basename(reuseStdlib) };
} else {
  const stock = await loadPyodide({ indexURL, ...quiet });
  stock.runPython(fs.readFileSync(new URL("./pyc_stdlib.py", import.meta.url), "utf8"));
  facts.stdlib = stock.globals.get("compile_zip")("/tmp/stdlib.zip").toJs({ dict_converter: Object.fromEntries });
  fs.writeFileSync(stdlibPath, stock.FS.readFile("/tmp/stdlib.zip"));
}
clock("stdlib", t0);

t0 = performance.now();
const py = await loadPyodide({ indexURL, stdLibURL: stdlibPath, _makeSnapshot: true, ...quiet });
installWheel(py);
py.runPython(`
import importlib.resources, json
import scorer, scorer.browser
from scorer.schema import load_schema
for entry in importlib.resources.files("scorer").joinpath("schemas").iterdir():
    if entry.name.endswith(".schema.json"):
        load_schema(entry.name[: -len(".schema.json")])
json.loads(scorer.browser.version())
scorer._wheel_sha256 = ${JSON.stringify(wheelSha)}
`);
const snapshot = py.makeMemorySnapshot();
fs.writeFileSync(path.join(outDir, "snapshot.bin"), snapshot);
facts.snapshot_bytes = snapshot.length;
clock("snapshot", t0);

t0 = performance.now();
const check = await loadPyodide({ indexURL, stdLibURL: stdlibPath, _loadSnapshot: snapshot, ...quiet });
installWheel(check);
const version = JSON.parse(check.pyimport("scorer.browser").version());
const embedded = check.runPython("import scorer; getattr(scorer, '_wheel_sha256', None)");
if (!version.ok || embedded !== wheelSha) {
  console.error("snapshot check failed", version, embedded);
  process.exit(1);
}
clock("verify", t0);
facts.scorer = version.result.scorer;
facts.python = version.result.python;
console.log(JSON.stringify(facts));
