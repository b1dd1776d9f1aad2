// Page side of the in-browser scorer: start the worker, follow its start-up, call its operations.
//
//   import { startScorer } from "<site>/assets/javascripts/scorer-client.mjs";
//   const scorer = startScorer();                 // or startScorer({base: "/portal/"})
//   scorer.onStatus((s) => show(s.message));      // s.state: start | progress | ready | error
//   await scorer.ready;
//   const bundle = await scorer.fetchBundle(2019, "dept");          // JSON text, as published
//   const answer = await scorer.call("score", bundle, assessment);  // objects are sent as JSON text
//   answer.ok ? answer.result : answer.problems                     // see scorer/browser.py
//
// `call` resolves with the scorer's answer, including a refusal of bad input ({ok: false, problems});
// it rejects (ScorerError with a `code`) only when the scorer itself cannot answer. The worker does
// the work off the main thread, so the page stays responsive while Python boots.

const SCRIPT_URL = new URL(import.meta.url);
// The page's module graph was fetched whole (a module runs only then): startup-check.js, a classic
// script, explains a page whose modules were refused (wrong MIME type, missing file) by its absence.
document.documentElement.dataset.gmModules = "ran";

export class ScorerError extends Error {
  constructor(code, message) {
    super(message);
    this.name = "ScorerError";
    this.code = code;
  }
}

// Why not simply try: a browser without module workers runs the file as a classic script and fails
// with a syntax error nobody can act on. The `type` getter is read only by browsers that know it.
// Supported browsers: README.md, "Browser support".
function unsupportedReason() {
  if (typeof Worker !== "function") return "此浏览器不支持 Web Worker，无法在页面内评分。";
  if (typeof WebAssembly !== "object") {
    return "此浏览器不支持 WebAssembly，无法在页面内评分。请使用新版 Chrome、Edge、Firefox 或 Safari 浏览器。";
  }
  let moduleWorkers = false;
  try {
    // An unparsable URL: the constructor reads the options, then throws before fetching anything.
    // (A data: URL would do too, but a Content-Security-Policy with worker-src 'self' reports it.)
    const probe = new Worker("http://[", { get type() { moduleWorkers = true; return "module"; } });
    probe.terminate();
  } catch {
    // The options were read before the URL was refused, which is all the probe needs.
  }
  if (!moduleWorkers) return "此浏览器版本过旧（不支持模块化 Web Worker），无法在页面内评分。请升级浏览器。";
  // Pyodide is compiled with WebAssembly exception handling (Chrome 95, Firefox 100, Safari 15.2):
  // without it the runtime would download ~4 MB and then fail to compile. The smallest module with
  // a try/catch_all block tells (the same bytes as wasm-feature-detect's `exceptions`).
  const exceptions = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 8, 1, 6, 0, 6, 64, 25, 11, 11]);
  if (!WebAssembly.validate(exceptions)) return "此浏览器版本过旧（不支持 WebAssembly 异常处理），无法在页面内评分。请升级浏览器。";
  return null;
}

/**
 * Start the scorer in a module worker.
 * @param {{base?: string|URL, mode?: "fast"|"stdlib"|"stock"}} options
 *   base: the site root (default: two folders above this file, i.e. where `assets/` lives);
 *   mode: for comparison and diagnosis only: "stock" is a plain Pyodide start, "stdlib" a plain
 *   start with the precompiled stdlib; the default uses the memory snapshot when the build made one.
 */
export function startScorer({ base, mode } = {}) {
  const root = base ? new URL(base, document.baseURI) : new URL("../../", SCRIPT_URL);
  const listeners = new Set();
  const pending = new Map();
  let last = null;
  let nextId = 1;
  let resolveReady;
  let rejectReady;
  const ready = new Promise((resolve, reject) => { resolveReady = resolve; rejectReady = reject; });
  ready.catch(() => {}); // a page that never awaits `ready` should not log an unhandled rejection

  function emit(event) {
    last = event;
    for (const listener of listeners) {
      try { listener(event); } catch (error) { console.error(error); }
    }
    if (event.state === "ready") resolveReady(event);
    if (event.state === "error") {
      const error = new ScorerError("startup", event.message);
      rejectReady(error);
      for (const { reject } of pending.values()) reject(error);
      pending.clear();
    }
  }

  let worker = null;
  const url = new URL("assets/javascripts/scorer-worker.mjs", root);
  if (mode === "stock" || mode === "stdlib") url.searchParams.set("mode", mode);

  function spawn() {
    const current = new Worker(url, { type: "module", name: "scorer" });
    current.addEventListener("message", (event) => {
      if (current !== worker) return; // a late message of a worker already replaced
      const data = event.data || {};
      if (data.type === "status") emit(data);
      else if (data.type === "reply" && pending.has(data.id)) {
        const { resolve, reject } = pending.get(data.id);
        pending.delete(data.id);
        if (data.ok) resolve(data.result);
        else reject(new ScorerError(data.error.code, data.error.message));
        // An internal error may have left Python unusable (a fatal Pyodide error poisons every later
        // call): start afresh, so the page's buttons keep working without a reload.
        if (!data.ok && data.error.code === "python_error") restart();
      }
    });
    // A worker file (or one it imports) that is missing, blocked or served with a wrong type never
    // posts anything: startup-check.js finds which file and why.
    current.addEventListener("error", async (event) => {
      event.preventDefault();
      if (current !== worker) return;
      if (last && last.state === "ready") { restart(); return; } // it died after start-up: recover
      // startup-check.js runs at the end of the page, which this (async) module may have beaten.
      if (document.readyState !== "complete") await new Promise((done) => window.addEventListener("load", done, { once: true }));
      const reason = typeof window.gmExplainScript === "function" ? await window.gmExplainScript(url.href) : null;
      emit({ type: "status", state: "error", step: "runtime", message: `评分程序无法启动：${reason ||
        `无法加载 ${url.pathname}。请确认网站已完整部署，且服务器以 text/javascript 类型提供 .mjs 文件。`}` });
    });
    return current;
  }

  /** Replace a worker that failed after start-up; calls still waiting on it are refused with a reason. */
  function restart() {
    const old = worker;
    worker = spawn();
    restarts += 1;
    if (old) old.terminate();
    const error = new ScorerError("restarted", "评分程序出错，已自动重新启动。请重试刚才的操作。");
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  }

  let restarts = 0;
  const unsupported = unsupportedReason();
  if (unsupported) {
    queueMicrotask(() => emit({ type: "status", state: "error", step: "runtime", message: unsupported }));
  } else {
    worker = spawn();
  }

  return {
    ready,
    /** Follow start-up; the listener is called at once with the latest status. Returns an unsubscribe function. */
    onStatus(listener) {
      listeners.add(listener);
      if (last) listener(last);
      return () => listeners.delete(listener);
    },
    /** Call one named operation; objects are sent as JSON text. */
    call(op, ...args) {
      if (last && last.state === "error") return Promise.reject(new ScorerError("startup", last.message));
      if (!worker) return ready.then(() => undefined);
      const id = nextId++;
      const texts = args.map((a) => (typeof a === "string" ? a : JSON.stringify(a)));
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ type: "request", id, op, args: texts });
      });
    },
    /** A published standard as JSON text (data/<year>/<standard>.json), ready to pass to `call`. */
    async fetchBundle(year, standard) {
      const url = new URL(`data/${encodeURIComponent(year)}/${encodeURIComponent(standard)}.json`, root);
      const response = await fetch(url);
      if (!response.ok) {
        throw new ScorerError("no_bundle", `无法获取 ${year} 年度的标准数据 ${url.pathname}（HTTP ${response.status}）。` +
          "请重新构建并完整部署网站，然后刷新页面。");
      }
      return response.text();
    },
    /** How many times the worker was replaced after a failure (for tests and diagnosis). */
    get restarts() { return restarts; },
    /** Stop the worker (and Python with it). */
    terminate() {
      if (worker) worker.terminate();
      for (const { reject } of pending.values()) reject(new ScorerError("terminated", "评分程序已停止"));
      pending.clear();
    },
  };
}
