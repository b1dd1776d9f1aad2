// The in-browser scorer: a module worker running the site's own `scorer` package under Pyodide.
//
// Why a worker: booting Python takes seconds and must not freeze the page. Why a *module* worker:
// Pyodide refuses classic workers. Everything is resolved from this file's own URL, so the site
// works under any base path and loads nothing from another origin (intranets block CDNs).
//
// Protocol (see scorer-client.mjs, which is what pages use):
//   worker -> page  {type: "status", state: "start"|"progress"|"ready"|"error", step, message, ...}
//                   steps: "runtime" (Pyodide), "wheel" (the scorer package), "import"
//   page -> worker  {type: "request", id, op, args}   op in the manifest's operations, args all strings
//   worker -> page  {type: "reply", id, ok: true, result} | {type: "reply", id, ok: false, error: {code, message}}
// Exactly one reply per request. Only the named operations of `scorer.browser` can be called, with
// strings: no message can make Python evaluate code.

import { expandInto, withSparseRestore } from "./snapshot-pages.mjs";
import { scorerCaller } from "./scorer-call.mjs";

const TIMEOUT_MS = { runtime: 30000, wheel: 15000, import: 10000 };
const FAST_TIMEOUT_MS = 30000; // abandon a fast start that hangs (a slow link must not trigger a second download)
// Pyodide's snapshot header (pyodide.asm.mjs, private): magic, then at 32-bit words 4..11 the build id.
const SNAPSHOT_MAGIC = 1886286592;

const HERE = new URL(import.meta.url);
const MANIFEST_URL = new URL("../wheels/manifest.json", HERE);
const RUNTIME_URL = new URL("../pyodide/", HERE);
// "fast" (default): memory snapshot + the precompiled start-up stdlib, falling back to a plain start. For
// comparison and diagnosis only: "stdlib" (plain start with the full precompiled stdlib), "stock".
const MODE = ["stock", "stdlib"].includes(HERE.searchParams.get("mode")) ? HERE.searchParams.get("mode") : "fast";

class StartupError extends Error {
  constructor(step, message, { fatal = true } = {}) {
    super(message);
    this.step = step;
    this.fatal = fatal; // false: the fast start may still fall back to the plain one
  }
}

function post(message) {
  self.postMessage(message);
}

function status(state, step, message, extra = {}) {
  post({ type: "status", state, step, message, ...extra });
}

function withTimeout(promise, ms, step, message) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new StartupError(step, message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describe(error) {
  return error && error.message ? error.message : String(error);
}

async function fetchOk(url, init, what, step) {
  let response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw new StartupError(step, `无法从服务器获取${what}（${describe(error)}）。请检查网络连接后刷新页面。`);
  }
  if (!response.ok) {
    throw new StartupError(step, `服务器上获取${what}失败（HTTP ${response.status}，${url.pathname}）。请重新构建并完整部署网站。`);
  }
  return response;
}

async function readManifest() {
  // Revalidated on every start: it names the current wheel, so a cached copy must never outlive a deploy.
  const response = await fetchOk(MANIFEST_URL, { cache: "no-cache" }, "评分程序清单 manifest.json", "runtime");
  try {
    return await response.json();
  } catch (error) {
    throw new StartupError("runtime", `评分程序清单 manifest.json 无法解析（${describe(error)}）。请重新构建网站。`);
  }
}

// The allow-list, op -> number of arguments: scorer.browser's REGISTRY, written into the manifest by the
// build (sitebuild/runtime.py), so this file keeps no list of its own. Public names only (no "_"), each
// with a small count: a damaged manifest still cannot open anything else in Python to a page.
function operationsOf(manifest) {
  const declared = manifest && manifest.operations;
  const entries = declared && typeof declared === "object" && !Array.isArray(declared) ? Object.entries(declared) : [];
  if (!entries.length || !entries.every(([op, n]) => /^[a-z][a-z0-9_]*$/.test(op) && Number.isInteger(n) && n >= 0 && n <= 8)) {
    throw new StartupError("runtime", "评分程序清单 manifest.json 缺少有效的操作列表（operations）。请重新构建并完整部署网站。");
  }
  return Object.freeze(Object.assign(Object.create(null), declared));
}

// Read once, as the module starts: requests are checked against it without waiting for Python.
const manifestRead = readManifest();
const operationsRead = manifestRead.then(operationsOf);
for (const promise of [manifestRead, operationsRead]) promise.catch(() => {});

// The Content-Type the server gives `url`: HEAD first (no body); a server that refuses HEAD (405, 501)
// gets a GET whose body is abandoned as soon as the headers are in.
async function contentType(url, what, step) {
  let response = await fetchOk(url, { method: "HEAD" }, what, step).catch((error) => {
    if (/HTTP (405|501)/.test(error.message)) return null;
    throw error;
  });
  if (!response) {
    const controller = new AbortController();
    response = await fetchOk(url, { signal: controller.signal }, what, step);
    controller.abort();
  }
  return (response.headers.get("content-type") || "").split(";")[0].trim().toLowerCase();
}

// loadPyodide hangs for ever when the .wasm comes with another MIME type: find out first, and say so.
async function checkWasmType(url) {
  const type = await contentType(url, " pyodide.asm.wasm ", "runtime");
  if (type !== "application/wasm") {
    throw new StartupError("runtime",
      `服务器未以 application/wasm 类型提供 pyodide.asm.wasm（当前为 ${type || "未设置"}）。` +
      "请在服务器配置中将 .wasm 的 MIME 类型设为 application/wasm。");
  }
}

const MJS_FIX = "请确认网站已完整部署，且服务器以 text/javascript 类型提供 .mjs 文件（部署说明 DEPLOY.md 有示例）。";

// Why import(url) failed, as a StartupError naming the file: missing (HTTP status) or a wrong type.
async function moduleFailure(url) {
  let type;
  try {
    type = await contentType(url, ` ${url.pathname.split("/").pop()} `, "runtime");
  } catch (error) {
    return error;
  }
  const wrong = /^(text|application)\/(x-)?(javascript|ecmascript)$/.test(type) ? ""
    : `服务器以 ${type || "未设置的"} 类型提供该文件，浏览器拒绝将其作为程序运行。`;
  return new StartupError("runtime", `无法加载 Python 运行环境 ${url.pathname}。${wrong}${MJS_FIX}`);
}

// Why a plain start failed ("Program terminated with exit(1)" says nothing): the first of the
// runtime's files that the server does not give, or else the error itself with what to do.
async function runtimeFailure(error, runtimeUrl, stdLibURL) {
  if (error instanceof StartupError) return error;
  const files = [[stdLibURL || new URL("python_stdlib.zip", runtimeUrl), "Python 标准库"],
    [new URL("pyodide-lock.json", runtimeUrl), "运行环境清单"]];
  for (const [url, what] of files) {
    try {
      await contentType(url, ` ${what} ${url.pathname.split("/").pop()} `, "runtime");
    } catch (problem) {
      return problem;
    }
  }
  return new StartupError("runtime", `Python 运行环境启动失败（${describe(error)}）。请刷新页面；仍失败请重新构建并完整部署网站。`);
}

async function fetchWheel(manifest) {
  const url = new URL(manifest.scorer, MANIFEST_URL);
  url.searchParams.set("v", manifest.scorer_sha256.slice(0, 16)); // same name across builds: bust caches
  const init = manifest.scorer_integrity ? { integrity: manifest.scorer_integrity } : {};
  let response;
  try {
    response = await fetchOk(url, init, `评分程序包 ${manifest.scorer} `, "wheel");
    return new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    if (error instanceof StartupError) throw error;
    throw new StartupError("wheel", `评分程序包加载失败（${url.href}）：文件不完整或与清单不符（${describe(error)}）。请刷新页面；仍失败请重新部署网站。`);
  }
}

async function importRuntime(runtimeUrl) {
  const url = new URL("pyodide.mjs", runtimeUrl);
  try {
    return await import(url.href);
  } catch (error) {
    console.error("[scorer]", error);
    throw await moduleFailure(url);
  }
}

// The body into `bytes` (its size known from the manifest) as it arrives: gunzipped on the way unless a
// server already did (Content-Encoding), then only its non-zero pages written (snapshot-pages.mjs).
// Returns which pages those were, for the restore.
async function readSnapshot(response, bytes) {
  const reader = response.body.getReader();
  const first = await reader.read();
  const head = first.done ? new Uint8Array(0) : first.value;
  let stream = new ReadableStream({
    start(controller) {
      if (head.length) controller.enqueue(head);
      if (first.done) controller.close();
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
  });
  if (head[0] === 0x1f && head[1] === 0x8b) {
    if (typeof DecompressionStream !== "function") throw new Error("DecompressionStream unavailable");
    stream = stream.pipeThrough(new DecompressionStream("gzip"));
  }
  return expandInto(stream.getReader(), bytes);
}

function buildIdOf(snapshot) {
  const words = new Uint32Array(snapshot.buffer, snapshot.byteOffset, 12);
  if (words[0] !== SNAPSHOT_MAGIC) throw new Error("not a Pyodide memory snapshot (bad magic number)");
  return Array.from(words.subarray(4, 12), (w) => w.toString(16).padStart(8, "0")).join("");
}

// The snapshot, checked before use: a private Pyodide format, valid for exactly one runtime build.
// Returns its buffer at once (allocated at the size the manifest gives), `filled`, which settles when
// the body is in and checked, `layout()`, which pages it holds once filled, and `release()`.
// loadPyodide gets the buffer straight away and compiles the wasm while the body still streams in
// (see startFast).
// Fetched without `integrity`, unlike the wheel: Subresource Integrity holds the whole body back until
// it is hashed, and the point of streaming is to gunzip 31 MB while 5 MB still arrive. What SRI would
// catch is caught anyway: the URL is keyed by content, gzip's CRC-32 and length fail a damaged body,
// the raw size must match the manifest and the build id the runtime (a mismatch means a plain start).
function fetchSnapshot(manifest) {
  const entry = manifest.startup.snapshot;
  const bytes = new Uint8Array(entry.raw_bytes);
  let layout = null;
  const filled = (async () => {
    if (entry.scorer_sha256 !== manifest.scorer_sha256) throw new Error("snapshot made for another scorer wheel");
    if (entry.layout !== "gmss/1") throw new Error(`unknown snapshot layout ${entry.layout}`);
    const url = new URL(entry.path, MANIFEST_URL);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status} for ${url.pathname}`);
    layout = await readSnapshot(response, bytes);
    const found = buildIdOf(bytes);
    if (found !== manifest.pyodide_build_id || found !== entry.build_id) {
      throw new Error(`snapshot build id ${found} does not match this runtime (${manifest.pyodide_build_id})`);
    }
  })();
  filled.catch(() => {});
  // Once restored, the 12 MB the image fills are dead weight that Pyodide's config still references:
  // detaching the buffer frees them at once (ArrayBuffer.prototype.transfer, where there is one).
  const release = () => { if (typeof bytes.buffer.transfer === "function") bytes.buffer.transfer(0); };
  return { bytes, filled, layout: () => layout, release };
}

function installWheel(pyodide, bytes, manifest) {
  try {
    const path = pyodide.pyimport("sys").path.toJs();
    const site = path.find((p) => p.endsWith("site-packages"));
    pyodide.unpackArchive(bytes, "wheel", { extractDir: site });
  } catch (error) {
    throw new StartupError("wheel", `评分程序包加载失败（${new URL(manifest.scorer, MANIFEST_URL).href}）：${describe(error)}`,
      { fatal: false });
  }
}

// An actual import and call, since a package "loaded" is not yet a package that works. The module
// proxy lives as long as the worker: the function proxies taken from it are borrowed from it.
function importScorer(pyodide, manifest, operations, mode) {
  try {
    const api = pyodide.pyimport("scorer.browser");
    const version = JSON.parse(api.version());
    if (!version.ok) throw new Error("version() did not answer");
    if (mode === "snapshot") {
      const embedded = pyodide.pyimport("scorer")._wheel_sha256;
      if (embedded !== manifest.scorer_sha256) throw new Error("the snapshot holds another scorer build");
    }
    // The manifest and the wheel come from one build; the names version() lists must be the manifest's.
    if (JSON.stringify(version.result.operations) !== JSON.stringify(Object.keys(operations))) {
      throw new Error("the manifest's operations are not this scorer's");
    }
    return { call: scorerCaller(api), version: version.result };
  } catch (error) {
    throw new StartupError("import",
      `评分程序包加载失败（${new URL(manifest.scorer, MANIFEST_URL).href}）：无法导入 scorer（${describe(error)}）。请刷新页面；仍失败请重新构建并部署网站。`,
      { fatal: false });
  }
}

async function startPlain(loadPyodide, runtimeUrl, stdLibURL) {
  const options = stdLibURL ? { indexURL: runtimeUrl.href, stdLibURL: stdLibURL.href } : { indexURL: runtimeUrl.href };
  return withTimeout(loadPyodide(options), TIMEOUT_MS.runtime, "runtime",
    `Python 运行环境在 ${TIMEOUT_MS.runtime / 1000} 秒内未能启动。请刷新页面重试；若反复出现，请检查网络或联系网站管理员。`);
}

// loadPyodide (314) awaits `_loadSnapshot` before it even starts compiling the wasm, since it sizes the
// wasm memory from it; it reads the contents only after instantiating. So it gets the buffer at once,
// compiles while the body streams in, and `fsInit` (run after instantiation, before the memory is
// restored) holds the start until the buffer is filled and checked. If the snapshot fails, that gate
// never opens: the race below rejects, and boot() starts plainly instead. The restore itself writes
// only the snapshot's non-zero pages (withSparseRestore): the rest of the wasm memory stays untouched.
async function startFast(loadPyodide, asmImported, runtimeUrl, manifest, operations, snapshot, wheel, mark) {
  const stdlib = new URL(manifest.startup.stdlib.path, MANIFEST_URL);
  const filled = snapshot.filled.then(() => mark("snapshot"));
  const gate = () => filled.catch(() => new Promise(() => {}));
  const failed = filled.then(() => new Promise(() => {}));
  const createPyodideModule = withSparseRestore((settings) => asmImported.then((asm) => asm.default(settings)), snapshot.layout);
  const pyodide = await Promise.race([
    loadPyodide({ indexURL: runtimeUrl.href, stdLibURL: stdlib.href, _loadSnapshot: snapshot.bytes, fsInit: gate,
      createPyodideModule }),
    failed,
  ]);
  mark("runtime");
  snapshot.release();
  status("progress", "wheel", "正在安装评分程序包…");
  installWheel(pyodide, await wheel, manifest);
  status("progress", "import", "正在导入评分程序…");
  return { pyodide, scorer: importScorer(pyodide, manifest, operations, "snapshot") };
}

async function boot() {
  const started = performance.now();
  const timings = {};
  const mark = (name) => { timings[name] = Math.round(performance.now() - started); };
  status("start", "runtime", "正在启动评分程序…");
  if (typeof WebAssembly !== "object") {
    throw new StartupError("runtime", "此浏览器不支持 WebAssembly，无法在页面内评分。请使用新版 Chrome、Edge、Firefox 或 Safari 浏览器。");
  }
  // Independent round trips at once: the manifest, the wasm's MIME type, the runtime's two modules.
  const runtimeUrl = RUNTIME_URL;
  const wasmChecked = checkWasmType(new URL("pyodide.asm.wasm", runtimeUrl));
  const runtimeImported = importRuntime(runtimeUrl);
  // loadPyodide imports this 1.25 MB module itself, but only once it runs: fetched and compiled now,
  // its import there is immediate (same URL, same module). A failure here is reported there.
  const asmUrl = new URL("pyodide.asm.mjs", runtimeUrl);
  const asmImported = import(asmUrl.href);
  const asmFailed = asmImported.then(() => null, () => moduleFailure(asmUrl));
  for (const promise of [wasmChecked, runtimeImported, asmImported]) promise.catch(() => {});
  const manifest = await withTimeout(manifestRead, TIMEOUT_MS.runtime, "runtime", "读取评分程序清单超时。请检查网络后刷新页面。");
  const operations = await operationsRead;
  await withTimeout(wasmChecked, TIMEOUT_MS.runtime, "runtime", "连接服务器超时（pyodide.asm.wasm）。请检查网络后刷新页面。");
  mark("checked");

  // Fetch in parallel with the runtime's own downloads; failures surface at their step.
  const wheel = fetchWheel(manifest);
  wheel.catch(() => {});
  const fast = MODE === "fast" && manifest.startup;
  const snapshot = fast ? fetchSnapshot(manifest) : null;

  status("progress", "runtime", "正在加载 Python 运行环境…");
  const { loadPyodide } = await withTimeout(runtimeImported, TIMEOUT_MS.runtime, "runtime",
    "加载 Python 运行环境超时。请检查网络后刷新页面。");
  mark("imported");

  let pyodide = null;
  let scorer = null;
  let mode = "stock";
  let fallback = null; // why the fast start was abandoned, reported with "ready" for diagnosis
  if (fast) {
    try {
      ({ pyodide, scorer } = await withTimeout(startFast(loadPyodide, asmImported, runtimeUrl, manifest, operations, snapshot, wheel, mark),
        FAST_TIMEOUT_MS, "runtime", "fast start timed out"));
      mode = "snapshot";
      mark("fast");
    } catch (error) {
      if (error instanceof StartupError && error.fatal && error.step === "wheel") throw error; // download: same either way
      console.warn("[scorer] 快速启动失败，改用普通启动（fast start failed, falling back to a plain start）:", error);
      fallback = describe(error);
      pyodide = null;
    }
  }
  if (!pyodide) {
    const precompiled = MODE === "stdlib" && manifest.startup;
    const stdLibURL = precompiled && new URL(manifest.startup.stdlib_full.path, MANIFEST_URL);
    const asmProblem = await asmFailed; // loadPyodide would only say "Failed to fetch dynamically imported module"
    if (asmProblem) throw asmProblem;
    try {
      pyodide = await startPlain(loadPyodide, runtimeUrl, stdLibURL);
    } catch (error) {
      console.error("[scorer]", error);
      throw await runtimeFailure(error, runtimeUrl, stdLibURL);
    }
    if (precompiled) mode = "stdlib";
    mark("runtime");
    status("progress", "wheel", "正在安装评分程序包…");
    const bytes = await withTimeout(wheel, TIMEOUT_MS.wheel, "wheel",
      `评分程序包在 ${TIMEOUT_MS.wheel / 1000} 秒内未能下载（${new URL(manifest.scorer, MANIFEST_URL).href}）。请检查网络后刷新页面。`);
    installWheel(pyodide, bytes, manifest);
    mark("wheel");
    status("progress", "import", "正在导入评分程序…");
    scorer = await withTimeout(Promise.resolve().then(() => importScorer(pyodide, manifest, operations, "stock")),
      TIMEOUT_MS.import, "import", `导入评分程序超时（${TIMEOUT_MS.import / 1000} 秒）。请刷新页面重试。`);
  }
  mark("ready");
  return { ...scorer, mode, fallback, timings };
}

const booting = boot();

booting.then(
  ({ version, mode, fallback, timings }) => status("ready", "import", "评分程序已就绪", { mode, fallback, version, timings }),
  (error) => {
    const step = error instanceof StartupError ? error.step : "runtime";
    const message = error instanceof StartupError ? error.message : `评分程序启动失败：${describe(error)}。请刷新页面重试。`;
    console.error("[scorer]", error);
    status("error", step, message);
  },
);

function reply(id, ok, payload) {
  post(ok ? { type: "reply", id, ok: true, result: payload } : { type: "reply", id, ok: false, error: payload });
}

async function handle(request) {
  const id = request.id ?? null;
  const { op, args } = request;
  let operations;
  try {
    // A manifest that never arrives fails the start-up on its timeout: that failure answers too.
    operations = await Promise.race([operationsRead, booting.then(() => operationsRead)]);
  } catch (error) {
    return reply(id, false, { code: "not_ready", message: describe(error) });
  }
  if (typeof op !== "string" || !Object.prototype.hasOwnProperty.call(operations, op)) {
    return reply(id, false, { code: "unknown_op", message: `不支持的操作：${String(op)}（可用：${Object.keys(operations).join("、")}）` });
  }
  if (!Array.isArray(args) || args.length !== operations[op] || !args.every((a) => typeof a === "string")) {
    return reply(id, false, { code: "bad_args", message: `操作 ${op} 需要 ${operations[op]} 个 JSON 文本参数` });
  }
  let scorer;
  try {
    scorer = await booting;
  } catch (error) {
    return reply(id, false, { code: "not_ready", message: describe(error) });
  }
  try {
    return reply(id, true, JSON.parse(scorer.call(op, args)));
  } catch (error) {
    console.error("[scorer]", op, error);
    return reply(id, false, { code: "python_error", message: `评分程序内部错误：${describe(error)}` });
  }
}

self.addEventListener("message", (event) => {
  const data = event.data;
  if (data && data.type === "request") handle(data);
});
