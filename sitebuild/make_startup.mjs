// Build-time (Node): the start-up accelerators for the in-browser scorer, from the vendored Pyodide.
//
//   node sitebuild/make_startup.mjs <pyodide dir> <scorer wheel> <xlsxwriter wheel> <out dir> <wheel sha256> <warm-up job> [<full stdlib zip>]
//
// (an existing full precompiled stdlib zip is reused as it is: it depends on the runtime alone)
//
// Writes into <out>:
//   stdlib-full.zip  the whole stdlib precompiled by Pyodide's own CPython (the rescue, and mode=stdlib)
//   stdlib.zip       the start-up zip: of every module the scorer and XlsxWriter can reach besides
//                    what Pyodide's boot imports (pyc_stdlib.startup_zip), those the snapshot does
//                    not hold imported already (pyc_stdlib.shipped_zip): 120 kB of the full 4.5 MB
//   snapshot.bin     a memory snapshot taken after importing the scorer and running the warm-up job
//                    (a JSON list of {"bundle", "assessment"}: see startup.warm_up_job), booted from the
//                    whole start-up zip, with zipimport's cache of its directory emptied (so the
//                    restored interpreter reads the directory of the zip it is given) and
//                    scorer.stdlib_rescue installed for the modules stdlib.zip leaves out
// Then boots the snapshot once to prove it works, XlsxWriter included, and prints one JSON line of
// facts. The snapshot API is private to Pyodide and tied to its exact build; sitebuild/startup.py keys
// the cache by build id and wheel hashes and the worker falls back to a plain start if it does not fit.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, wheelPath, xlsxPath, outDir, wheelSha, jobPath, reuseStdlib] = process.argv.slice(2);
if (!jobPath) {
  console.error("usage: make_startup.mjs <pyodide dir> <scorer wheel> <xlsxwriter wheel> <out dir> <wheel sha256> <warm-up job> [<full stdlib zip>]");
  process.exit(2);
}
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const indexURL = path.resolve(pyodideDir) + path.sep;
const fullPath = path.resolve(outDir, "stdlib-full.zip");
const startupPath = path.resolve(outDir, "stdlib.zip");
const quiet = { stdout: () => {}, stderr: (m) => console.error(m) };
const facts = { timings_ms: {} };
const clock = (name, t0) => { facts.timings_ms[name] = Math.round(performance.now() - t0); };
const tools = fs.readFileSync(new URL("./pyc_stdlib.py", import.meta.url), "utf8");

// What the snapshot holds besides the boot: the scorer imported, and a real job scored and checked on
// each current standard (which loads the schemas those need), so the page's first score does not pay
// the one-time costs (160 ms of 175 in Node), nor parsing the bundle it fetches (the very text: 33 ->
// 13 ms in Node). The office's operation modules are imported too, but not called: scorer.browser
// imports them on first call (site_tests/test_scorer_imports.py), and compiling their source then cost
// an office page half a second before its first answer (489-571 ms in Node), on the path to its table;
// held compiled in the snapshot, they cost every page their share of its bytes (5.40 -> 5.84 MB:
// year_ops' part 0.31 MB, application_ops' 0.12 MB), paid once per site version (the service worker
// and the HTTP cache keep the snapshot), where the compiling was paid on every office page open. Their schemas
// (most of what the office's first calls load) are left to their first call.
const WARM_UP = `
import json
import scorer, scorer.browser, scorer.stdlib_rescue
import scorer.year_ops, scorer.application_ops
json.loads(scorer.browser.version())
def _warm_up(jobs):
    for job in jobs:
        for op in (scorer.browser.score, scorer.browser.check):
            answer = json.loads(op(job["bundle"], job["assessment"]))
            if not answer["ok"]:
                raise SystemExit(f"warm-up job refused: {answer}")
_warm_up(json.loads(${JSON.stringify(fs.readFileSync(jobPath, "utf8"))}))
del _warm_up
`;
// What an export does after the snapshot: report_xlsx._install_from_site unpacks the XlsxWriter wheel
// and calls importlib.invalidate_caches() (whose frozen code imports importlib.metadata), then
// XlsxWriter writes a workbook.
const WORKBOOK = `
import importlib
importlib.invalidate_caches()
import io, xlsxwriter
buffer = io.BytesIO()
book = xlsxwriter.Workbook(buffer, {"in_memory": True})
sheet = book.add_worksheet("检查")
sheet.write_row(0, 0, ["自评", 95.5])
book.close()
xlsx_bytes = len(buffer.getvalue())
`;

// Same code the worker runs after a boot: put a wheel in site-packages.
function install(py, wheel) {
  const site = py.runPython("import sys; next(p for p in sys.path if p.endswith('site-packages'))");
  py.unpackArchive(new Uint8Array(fs.readFileSync(wheel)), "wheel", { extractDir: site });
  return site;
}

let t0 = performance.now();
if (reuseStdlib) {
  fs.copyFileSync(reuseStdlib, fullPath);
  facts.stdlib = { reused: path.basename(reuseStdlib) };
} else {
  const stock = await loadPyodide({ indexURL, ...quiet });
  stock.runPython(tools);
  facts.stdlib = stock.globals.get("compile_zip")("/tmp/stdlib.zip").toJs({ dict_converter: Object.fromEntries });
  fs.writeFileSync(fullPath, stock.FS.readFile("/tmp/stdlib.zip"));
}
clock("stdlib", t0);

t0 = performance.now();
const tracer = await loadPyodide({ indexURL, stdLibURL: fullPath, ...quiet });
install(tracer, wheelPath);
const site = install(tracer, xlsxPath);
tracer.runPython(WARM_UP);
tracer.runPython(WORKBOOK); // real paths first: they reach modules that only the frozen importlib imports
const booted = tracer.runPython("import sys; sorted(sys.modules)"); // before pyc_stdlib.py's own imports
tracer.runPython(tools);
const full = tracer.globals.get("source_zip")(); // the full zip this interpreter booted from
const trimmed = tracer.globals.get("startup_zip")(full, "/tmp/startup.zip", ["scorer", "xlsxwriter"], site, booted)
  .toJs({ dict_converter: Object.fromEntries });
fs.writeFileSync(startupPath, tracer.FS.readFile("/tmp/startup.zip"));
clock("trim", t0);

t0 = performance.now();
const py = await loadPyodide({ indexURL, stdLibURL: startupPath, _makeSnapshot: true, ...quiet });
install(py, wheelPath);
py.runPython(WARM_UP);
const imported = JSON.parse(py.runPython("import json, sys; json.dumps(sorted(sys.modules))"));
const shipped = tracer.globals.get("shipped_zip")("/tmp/startup.zip", "/tmp/shipped.zip", imported)
  .toJs({ dict_converter: Object.fromEntries });
fs.writeFileSync(startupPath, tracer.FS.readFile("/tmp/shipped.zip")); // py has its own copy of the whole one
facts.startup_zip = { reachable: trimmed.kept, kept: shipped.kept, of: trimmed.of, bytes: fs.statSync(startupPath).size };
py.globals.set("missing", py.toPy([...trimmed.missing, ...shipped.dropped]));
py.runPython(`
import zipimport
import scorer, scorer.stdlib_rescue
scorer.stdlib_rescue.install(missing)
del missing
scorer._wheel_sha256 = ${JSON.stringify(wheelSha)}
zipimport._zip_directory_cache.clear()
`);
const snapshot = py.makeMemorySnapshot();
fs.writeFileSync(path.join(outDir, "snapshot.bin"), snapshot);
facts.snapshot_bytes = snapshot.length;
clock("snapshot", t0);

// The check: boot as the browser does, then export a workbook, which imports XlsxWriter and all it
// needs after the snapshot. Node has no XMLHttpRequest, so a module the start-up zip lacks fails here.
t0 = performance.now();
const check = await loadPyodide({ indexURL, stdLibURL: startupPath, _loadSnapshot: snapshot, ...quiet });
install(check, wheelPath);
install(check, xlsxPath);
const version = JSON.parse(check.pyimport("scorer.browser").version());
check.runPython(WORKBOOK);
const verdict = check.runPython(`
import json, sys
import scorer
from scorer.stdlib_rescue import StdlibRescue
rescue = next(f for f in sys.meta_path if isinstance(f, StdlibRescue))
json.dumps({"embedded": getattr(scorer, "_wheel_sha256", None), "xlsx_bytes": xlsx_bytes,
            "rescued": rescue.rescued, "missing": len(rescue.missing)})
`);
const checked = JSON.parse(verdict);
if (!version.ok || checked.embedded !== wheelSha || checked.rescued.length || !checked.xlsx_bytes) {
  console.error("snapshot check failed", JSON.stringify(version), verdict);
  process.exit(1);
}
clock("verify", t0);
facts.scorer = version.result.scorer;
facts.python = version.result.python;
console.log(JSON.stringify(facts));
