"""The self-assessment page in Chromium: when it can be used, when the first score shows, how fast a
change is rescored, and how much memory the tab takes.

    .venv/bin/python bench/assess_page.py [--runs 5] [--changes 100] [--site DIR]

Builds the site (unless --site) and serves it on 127.0.0.1 twice: plainly (python's http.server, no
compression) and through a small server that gzips compressible responses when the browser asks
(Accept-Encoding), as nginx with `gzip on` or GitHub Pages do. Every figure is read from the page's
own clock (milliseconds since navigation start) or, for the rescore, measured inside the page.

- form interactive: the form parsed, its handlers bound and any draft restored: assess.mjs, an async
  module placed after the form, marks `gm-assess-interactive` when it is done. DOMContentLoaded, which
  also waits for the theme's scripts (Material's bundle: navigation, search), is printed beside it;
- first score: the first result drawn (`gm-first-score` mark, after the worker is ready and scored);
  cold = a fresh context (empty HTTP, code and service-worker caches);
  warm = a persistent profile visited once untimed; then every run is a new tab. With the service worker
  (as shipped) and, for comparison, with service workers blocked (HTTP cache only);
- link: cold, over the gzip server, with CDP Network.emulateNetworkConditions at 20 Mbps down/up and
  40 ms latency. The DevTools emulation is set on the page target; whether it also holds the module
  worker's downloads is checked by timing, and the same cold load is repeated with the link emulated by
  the server itself (one shared 20 Mbps pipe, 40 ms before each response), which holds every request;
- rescore: `--changes` edits of an occurrence's count, each from the input event to the `gm-scored`
  event the page fires after the new total is drawn;
- memory: JSHeapUsedSize (CDP Performance.getMetrics, the page's main thread only: Pyodide lives in the
  worker; CDP SystemInfo.getProcessInfo gives no memory figures) and, from /proc, the renderer process
  that hosts the page and its worker: its peak resident set (VmHWM, which counts every shared library
  page in full) and its peak private memory (USS) and PSS, sampled every 0.1 s from smaps_rollup. The
  same figure for the plain reading page of the standard is the reference of what Material costs.
Runs of the different conditions are interleaved, because run-to-run spread is large.

Every measured load starts in a tab that is already open, in a browser that is idle (`settle`): in
headless Chromium each new window starts its own top-chrome WebUI renderer (the omnibox popup), ~0.8 s
of CPU that would otherwise land on the 2 cores in the middle of the page's own start-up. A person's
browser has its window open before they follow a link.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
PAGE = "assess/2019/dept/"
LINK_BPS = 20_000_000
LINK_LATENCY_S = 0.040
COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".wasm", ".svg", ".txt", ".xml")  # nginx gzip_types

TIMINGS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const mark = (name) => { const e = performance.getEntriesByName(name)[0]; return e ? e.startTime : null; };
  return {dcl: nav.domContentLoadedEventEnd, interactive: mark("gm-assess-interactive"),
          ready: mark("gm-scorer-ready"), first: mark("gm-first-score")};
}"""

RESCORE = """async (changes) => {
  const root = document.getElementById("gm-assess");
  const item = root.querySelector('.gm-item[data-item="POL-01a"]');
  item.querySelector('[data-action="add-occurrence"]').click();
  const row = item.querySelector(".gm-occurrence:last-child");
  const date = row.querySelector('[data-field="date"]');
  const count = row.querySelector('[data-field="count"]');
  const scored = () => new Promise((resolve) => root.addEventListener("gm-scored", resolve, {once: true}));
  date.value = "2019-03-01";
  let done = scored();
  date.dispatchEvent(new Event("input", {bubbles: true}));
  await done;
  const times = [];
  const totals = new Set();
  for (let i = 0; i < changes; i++) {
    count.value = String((i % 6) + 1);
    done = scored();
    const start = performance.now();
    count.dispatchEvent(new Event("input", {bubbles: true}));
    await done;
    times.push(performance.now() - start);
    totals.add(root.querySelector('[data-testid="total-score"]').textContent);
  }
  return {times, totals: Array.from(totals)};
}"""


# ---------------------------------------------------------------- servers

class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # a context closed while the service worker was still storing the site


class Link:
    """One shared pipe: every byte any response sends waits its turn at `bps`."""

    def __init__(self, bps: float | None, latency: float):
        self.bps, self.latency = bps, latency
        self.lock = threading.Lock()
        self.free_at = 0.0
        self.sent = 0

    def send(self, write, data: bytes):
        for start in range(0, len(data), 16384):
            chunk = data[start:start + 16384]
            if self.bps:
                with self.lock:
                    now = time.monotonic()
                    begin = max(now, self.free_at)
                    self.free_at = begin + len(chunk) * 8 / self.bps
                    wait = self.free_at - now
                time.sleep(max(0.0, wait))
            write(chunk)
            self.sent += len(chunk)


class Gzipping(Quiet):
    """The site, gzip-compressed when the browser accepts it (compressed once, kept in memory)."""

    cache: dict = {}
    link: Link = Link(None, 0.0)

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()
            path = path / "index.html"
        if not path.is_file():
            return super().send_head()
        body = path.read_bytes()
        encoding = None
        if "gzip" in self.headers.get("Accept-Encoding", "") and path.suffix in COMPRESSIBLE and len(body) > 1024:
            key = (str(path), path.stat().st_mtime)
            if key not in self.cache:
                self.cache[key] = gzip.compress(body, 6)
            body, encoding = self.cache[key], "gzip"
        if self.link.latency:
            time.sleep(self.link.latency)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
            self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        if self.command == "HEAD":
            return None
        self.link.send(self.wfile.write, body)
        return None

    def do_GET(self):
        self.send_head()

    def do_HEAD(self):
        self.send_head()


class Throttled(Gzipping):
    """The gzip server behind an emulated 20 Mbps / 40 ms link that holds every request."""

    link = Link(LINK_BPS, LINK_LATENCY_S)
    cache = Gzipping.cache


def serve(site: Path, handler):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def build_site(out: Path) -> None:
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)],
                   cwd=ROOT, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


@contextlib.contextmanager
def built_site(site: Path | None):
    """`site` (a bench's `--site DIR`, to compare runs of one build), or else this checkout built into
    a temporary folder that is removed on exit. Every bench measures a site got this one way."""
    with tempfile.TemporaryDirectory(prefix="gm-bench-site-") as scratch:
        if site is None:
            site = Path(scratch) / "site"
            print("building the site…", file=sys.stderr)
            build_site(site)
        yield site


@contextlib.contextmanager
def served_site(site: Path | None, handler=Quiet):
    """`built_site(site)` served on 127.0.0.1 by `handler`: yields (site folder, base URL) and shuts
    the server down on exit, a failed run included (the benches' build-or-serve block, once)."""
    with built_site(site) as folder:
        server, url = serve(folder, handler)
        try:
            yield folder, url
        finally:
            server.shutdown()
            server.server_close()  # the port too: a closed bench's URL refuses at once


# ---------------------------------------------------------------- memory from /proc

def _status(pid: int) -> dict:
    values = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            values[key] = value.strip()
    except OSError:
        pass
    return values


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def browser_processes(tag: str) -> list[int]:
    """The Chromium launched with `tag` in its command line and every process under it."""
    pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    parent = {pid: int(_status(pid).get("PPid", "0") or 0) for pid in pids}
    roots = {pid for pid in pids if tag in _cmdline(pid) and "--type=" not in _cmdline(pid)}
    found = []
    for pid in pids:
        up, seen = pid, 0
        while up and up not in roots and seen < 10:
            up, seen = parent.get(up, 0), seen + 1
        if up in roots:
            found.append(pid)
    return found


def renderers(tag: str) -> list[int]:
    """Renderer processes of the Chromium launched with `tag`."""
    return [pid for pid in browser_processes(tag) if "--type=renderer" in _cmdline(pid)]


def cpu_ms(pids: list[int]) -> float:
    """User + system CPU time the processes have used so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total * 1000 / os.sysconf("SC_CLK_TCK")


def settle(tags: list[str], quiet_ms: float = 20, every: float = 0.25, limit: float = 10.0) -> None:
    """Wait until the browsers launched with `tags` have used at most `quiet_ms` of CPU in each of two
    consecutive `every`-second windows (a new window's WebUI renderer takes ~1.3 s to go quiet)."""
    def used() -> float:
        return cpu_ms([pid for tag in tags for pid in browser_processes(tag)])

    deadline = time.monotonic() + limit
    last, calm = used(), 0
    while calm < 2 and time.monotonic() < deadline:
        time.sleep(every)
        now = used()
        calm = calm + 1 if now - last <= quiet_ms else 0
        last = now


def kb(text: str) -> int:
    return int(text.split()[0]) if text else 0


def private_kb(pid: int) -> tuple[int, int]:
    """(USS, PSS) in kB from /proc/<pid>/smaps_rollup: memory the process does not share, and its
    proportional share of what it does (RSS counts every shared library page in full)."""
    values = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            key, _, value = line.partition(":")
            values[key] = kb(value.strip())
    except OSError:
        return 0, 0
    return values.get("Private_Clean", 0) + values.get("Private_Dirty", 0), values.get("Pss", 0)


class Sampler:
    """Peak USS and PSS of every renderer of the tagged browser, polled while a tab loads and works."""

    def __init__(self, tag: str, every: float = 0.1):
        self.tag, self.every = tag, every
        self.peak: dict[int, list[int]] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        pids: list[int] = []
        rounds = 0
        while not self.stop.is_set():
            if rounds % 10 == 0:
                pids = renderers(self.tag)
            rounds += 1
            for pid in pids:
                uss, pss = private_kb(pid)
                best = self.peak.setdefault(pid, [0, 0])
                best[0], best[1] = max(best[0], uss), max(best[1], pss)
            self.stop.wait(self.every)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()

    def top(self) -> tuple[int, int, int]:
        """(pid, peak USS kB, peak PSS kB) of the renderer that used the most."""
        if not self.peak:
            return 0, 0, 0
        pid, (uss, pss) = max(self.peak.items(), key=lambda kv: kv[1][0])
        return pid, uss, pss


# ---------------------------------------------------------------- one measured load

def wait_until(page, expression: str, timeout: float = 120000) -> None:
    """Poll with page.evaluate (wait_for_function evals its predicate in the page, which a CSP without
    'unsafe-eval' forbids)."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise TimeoutError(f"still false after {timeout / 1000:.0f} s: {expression}")
        time.sleep(0.02)


def first_load(page, url: str, timeout=120000) -> dict:
    page.goto(url + PAGE)
    try:
        wait_until(page, "Boolean(document.getElementById('gm-assess').dataset.firstScoreMs)", timeout)
    except TimeoutError:
        status = page.evaluate("""() => { const s = document.querySelector('[data-testid="scorer-status"]');
            return s ? s.dataset.state + ': ' + s.textContent : 'no status element'; }""")
        raise SystemExit(f"no first score within {timeout / 1000:.0f} s at {page.url} ({status})")
    return page.evaluate(TIMINGS)


def cold(browser, url: str, tags: list[str], emulate: bool = False) -> dict:
    context = browser.new_context()
    page = context.new_page()
    settle(tags)
    if emulate:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": LINK_LATENCY_S * 1000,
            "downloadThroughput": LINK_BPS / 8, "uploadThroughput": LINK_BPS / 8})
    try:
        return first_load(page, url)
    finally:
        context.close()


def reference(browser, url: str, tag: str, tags: list[str]) -> tuple[float, float]:
    """DOMContentLoaded and renderer peak memory (MiB) of the same standard's reading page (no form,
    no scorer): what Material itself costs on this machine."""
    context = browser.new_context()
    page = context.new_page()
    settle(tags)
    try:
        page.goto(url + PAGE.replace("assess/", "standards/"))
        page.wait_for_load_state("load")
        dcl = page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
        peaks = [private_kb(pid)[0] / 1024 for pid in renderers(tag)]
        return dcl, max(peaks) if peaks else None
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument("--site", type=Path, help="an already built site (default: build one)")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="gm-bench-"))
    with (built_site(args.site) as site, served_site(site) as (_, plain), served_site(site, Gzipping) as (_, gz),
          served_site(site, Throttled) as (_, slow)):
        rows: dict[str, list[float]] = {}
        notes: list[str] = []

        def add(name, value):
            if value is not None:
                rows.setdefault(name, []).append(value)

        tag = f"--gm-bench={uuid.uuid4().hex}"
        load_before = os.getloadavg()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS + [tag])
            warm_dirs = {mode: Path(tempfile.mkdtemp(prefix=f"gm-warm-{mode}-", dir=scratch)) for mode in ("allow", "block")}
            warm = {}
            tags = [tag]
            for mode, folder in warm_dirs.items():
                tags.append(f"--gm-bench-warm={uuid.uuid4().hex}")
                warm[mode] = p.chromium.launch_persistent_context(str(folder), executable_path=CHROMIUM, args=ARGS + [tags[-1]],
                                                                  service_workers=mode)
                page = warm[mode].new_page()
                first_load(page, plain)
                if mode == "allow":  # the first visit ends when the service worker has stored everything
                    wait_until(page, "navigator.serviceWorker.controller !== null")
                page.close()

            for run in range(args.runs):
                print(f"run {run + 1}/{args.runs}", file=sys.stderr)
                t = cold(browser, plain, tags)
                add("form interactive, cold (loopback)", t["interactive"])
                add("DOMContentLoaded, cold (loopback)", t["dcl"])
                add("scorer ready, cold (loopback)", t["ready"])
                add("first score, cold (loopback)", t["first"])
                dcl, peak = reference(browser, plain, tag, tags)
                add("reference: DOMContentLoaded of the standard's reading page (no form, no scorer), cold", dcl)
                add("reference: that page's renderer, private memory (USS, MiB) after load", peak)
                for mode, label in (("allow", "first score, warm (service worker)"),
                                    ("block", "first score, warm (HTTP cache only, service worker blocked)")):
                    page = warm[mode].new_page()
                    settle(tags)
                    t = first_load(page, plain)
                    page.close()
                    add(label, t["first"])
                    if mode == "allow":
                        add("form interactive, warm (service worker)", t["interactive"])
                        add("DOMContentLoaded, warm (service worker)", t["dcl"])
                Throttled.link.sent = 0
                t = cold(browser, slow, tags)
                add("first score, cold, 20 Mbps / 40 ms (server-side link), gzip", t["first"])
                add("form interactive, cold, 20 Mbps / 40 ms (server-side link), gzip", t["interactive"])
                add("bytes over the link to first score (MB, gzip)", Throttled.link.sent / 1e6)
                t = cold(browser, gz, tags, emulate=True)
                add("first score, cold, 20 Mbps / 40 ms (CDP emulation, page target), gzip", t["first"])
                t = cold(browser, gz, tags)
                add("first score, cold, loopback, gzip", t["first"])

            # Rescore latency and memory: a fresh tab, the service worker done storing, then `changes` edits.
            # Memory again in a tab whose service worker is blocked, to tell the two apart.
            memory = {}
            for mode in ("allow", "block"):
                context = browser.new_context(service_workers=mode)
                page = context.new_page()
                settle(tags)
                cdp = context.new_cdp_session(page)
                cdp.send("Performance.enable")
                with Sampler(tag) as sampler:
                    first_load(page, plain)
                    if mode == "allow":
                        wait_until(page, "navigator.serviceWorker.controller !== null")
                        out = page.evaluate(RESCORE, args.changes)
                        times = sorted(out["times"])
                    else:
                        page.evaluate(RESCORE, 10)
                    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
                    pids = renderers(tag)
                    hwm = sorted(((kb(_status(pid).get("VmHWM", "")), kb(_status(pid).get("VmRSS", "")), pid)
                                  for pid in pids), reverse=True)
                memory[mode] = (metrics, hwm, sampler.top())
                context.close()
            for context_ in warm.values():
                context_.close()
            browser.close()

    def median(values):
        return statistics.median(values)

    print(f"\nSelf-assessment page ({PAGE}), Chromium {CHROMIUM}, medians of {args.runs} runs (ms unless noted); "
          f"{os.cpu_count()} CPUs, load average {load_before[0]:.1f} before and {os.getloadavg()[0]:.1f} after\n")
    print("| measure | median | min | max |\n|---|---:|---:|---:|")
    for name, values in rows.items():
        fmt = (lambda v: f"{v:.2f}") if "(MB" in name else (lambda v: f"{v:.0f}")
        print(f"| {name} | {fmt(median(values))} | {fmt(min(values))} | {fmt(max(values))} |")
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    print(f"| rescore after a change, {len(times)} changes (input event → total drawn) | "
          f"{median(times):.1f} | {times[0]:.1f} | {times[-1]:.1f} |")
    print(f"| rescore p95 | {p95:.1f} | | |")
    print(f"\ntotals seen during the rescore loop: {', '.join(out['totals'])}")
    for mode, label in (("allow", "with the service worker (storing the site for offline use)"),
                        ("block", "service worker blocked")):
        metrics, peaks, (top_pid, uss, pss) = memory[mode]
        print(f"\nmemory, {label}:")
        print(f"  page main-thread JS heap: used {metrics.get('JSHeapUsedSize', 0) / 1e6:.1f} MB, total "
              f"{metrics.get('JSHeapTotalSize', 0) / 1e6:.1f} MB (Performance.getMetrics; Pyodide's heap and wasm "
              "memory live in the worker and are not in it)")
        if peaks:
            hwm, rss, pid = peaks[0]
            print(f"  renderer process of the tab (page + scorer worker, pid {pid}): peak RSS (VmHWM) {hwm / 1024:.0f} MiB, "
                  f"RSS at the end {rss / 1024:.0f} MiB; renderers alive: " + ", ".join(f"{h / 1024:.0f}" for h, _, _ in peaks)
                  + " MiB peak")
            print(f"  same process, sampled every 0.1 s from /proc/{top_pid}/smaps_rollup: peak private memory (USS) "
                  f"{uss / 1024:.0f} MiB, peak PSS {pss / 1024:.0f} MiB")
        else:
            print("  renderer memory: no renderer process found under /proc")
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
