// The self-assessment page holds Material's search worker back until the scorer is ready.
//
// Why: both start with the page. Material's search worker builds the index of the whole site (lunr,
// ~0.3 s of CPU on a two-core office PC) while the scorer's worker boots Python; on two cores the two
// slow each other down, and the first score is what the page is for. So the search worker is created,
// and given its messages, only when the scorer is ready or has failed (assess.mjs dispatches
// "gm-scorer-settled" on document), when the reader turns to the search box, or after 10 s, whichever
// comes first. Search is not lost: opened early, it starts at once.
//
// A plain script placed before Material's bundle (which creates the worker once, as the page loads,
// and only posts to it and listens for its messages): while the page loads, `Worker` is a wrapper that
// hands out a stand-in for the search worker and the real thing for any other. It is put back once
// the stand-in exists or the page has loaded.
(() => {
  const Native = window.Worker;
  if (typeof Native !== "function" || typeof EventTarget !== "function") return;

  const SEARCH_WORKER = /\/assets\/javascripts\/workers\/search\.[\w.]*js$/;
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  document.addEventListener("gm-scorer-settled", () => release(), { once: true });
  document.addEventListener("focusin", (event) => {
    if (event.target instanceof Element && event.target.closest(".md-search")) release();
  });
  document.addEventListener("pointerdown", (event) => {
    if (event.target instanceof Element && event.target.closest('label[for="__search"], .md-search')) release();
  });
  setTimeout(() => release(), 10000);

  class HeldWorker extends EventTarget {
    constructor(url, options) {
      super();
      this.queue = [];
      this.worker = null;
      this.stopped = false;
      released.then(() => {
        if (this.stopped) return;
        const worker = new Native(url, options);
        for (const type of ["message", "messageerror", "error"]) {
          worker.addEventListener(type, (event) => {
            const copy = type === "error"
              ? new ErrorEvent("error", { message: event.message, filename: event.filename, lineno: event.lineno })
              : new MessageEvent(type, { data: event.data });
            this.dispatchEvent(copy);
            if (type === "error" && copy.defaultPrevented) event.preventDefault();
          });
        }
        this.worker = worker;
        for (const [message, transfer] of this.queue) worker.postMessage(message, transfer);
        this.queue = null;
      });
    }

    postMessage(message, transfer = []) {
      if (this.worker) this.worker.postMessage(message, transfer);
      else if (this.queue) this.queue.push([message, transfer]);
    }

    terminate() {
      this.stopped = true;
      this.queue = null;
      if (this.worker) this.worker.terminate();
    }
  }

  const isSearchWorker = (url) => {
    try {
      return SEARCH_WORKER.test(new URL(String(url), document.baseURI).pathname);
    } catch {
      return false; // an unparsable URL is the native constructor's to refuse
    }
  };

  function Worker(url, options) {
    if (!new.target) throw new TypeError("Failed to construct 'Worker': Please use the 'new' operator.");
    if (!isSearchWorker(url)) return new Native(url, options);
    window.Worker = Native;
    return new HeldWorker(url, options);
  }
  Worker.prototype = Native.prototype;
  window.Worker = Worker;
  window.addEventListener("load", () => { if (window.Worker === Worker) window.Worker = Native; }, { once: true });
})();
