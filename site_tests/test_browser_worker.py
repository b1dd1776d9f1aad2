"""The in-browser scorer in a real Chromium: the worker boots from the built site alone, scores as
CPython does, refuses anything but its named operations, and fails (or falls back) with a clear
reason when the server or an artifact is wrong.

Fixtures from conftest.py: `built_site` (one strict build), `site_url` (a local server over it) and
Debian's Chromium for pytest-playwright. A test page is deliberately not in the site: the client is
imported into any built page with a dynamic import().
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import json
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from scorer import assessment, browser, tree
from sitebuild import startup
from site_tests import gates
from site_tests.result_schemas import answer_problems

pytestmark = pytest.mark.browser

# Runs in the page: start the scorer, follow its status, score one assessment, try a forbidden call.
SCORE_IN_PAGE = """async ({mode, items}) => {
  const { startScorer } = await import("/assets/javascripts/scorer-client.mjs");
  const scorer = startScorer(mode ? {mode} : {});
  const events = [];
  scorer.onStatus((s) => events.push({state: s.state, step: s.step, message: s.message}));
  let ready;
  try { ready = await scorer.ready; } catch (error) { return {events, error: error.message}; }
  const bundle = await scorer.fetchBundle(2019, "dept");
  const answer = {format: "gm-assessment/1", standard: "dept", year: 2019, standard_hash: JSON.parse(bundle).hash,
                  organization: {name: "区某局党组"}, items};
  const scored = await scorer.call("score", bundle, answer);
  const refused = await scorer.call("score", bundle, "{oops");
  const rejections = [];
  for (const [op, args] of [["eval", ["1+1"]], ["__proto__", []], ["score", [bundle]], ["version", ["x"]]]) {
    try { await scorer.call(op, ...args); rejections.push(null); }
    catch (error) { rejections.push(error.code); }
  }
  const version = await scorer.call("version");
  scorer.terminate();
  return {events, ready, bundle, answer, scored, refused, rejections, version};
}"""

# Runs in the page: start the scorer and report how start-up ended (ready or error) and when.
START_IN_PAGE = """async () => {
  const { startScorer } = await import("/assets/javascripts/scorer-client.mjs");
  const started = performance.now();
  const scorer = startScorer();
  const events = [];
  scorer.onStatus((s) => events.push(s));
  try { await scorer.ready; } catch (error) {}
  const last = events[events.length - 1];
  scorer.terminate();
  return {events, last, elapsed_ms: performance.now() - started};
}"""


@pytest.mark.parametrize("mode", ["fast", "stock"])
def test_scores_in_the_browser_as_in_cpython(page: Page, site_url, mode):
    guard = gates.LocalOnly(page)
    page.goto(site_url)
    items = {"POL-01a": [{"date": "2019-03-01", "count": 2}], "IDE-01a": [{"date": "2019-04-01"}],
             "BON-01": [{"date": "2019-05-01"}]}
    known = assessment.item_ids(tree.load("standards").year(2019).bundle("dept").to_json())
    items = {k: v for k, v in items.items() if k in known}
    out = page.evaluate(SCORE_IN_PAGE, {"mode": None if mode == "fast" else "stock", "items": items})
    assert "error" not in out, out
    assert [e["state"] for e in out["events"]][0] == "start" and out["events"][-1]["state"] == "ready"
    assert {e["step"] for e in out["events"] if e["state"] == "progress"} == {"runtime", "wheel", "import"}
    assert out["ready"]["mode"] == ("snapshot" if mode == "fast" else "stock"), out["ready"]
    assert out["ready"]["fallback"] is None

    # The published bundle is the library's, and the browser's answer is CPython's, whole.
    assert json.loads(out["bundle"]) == json.loads(json.dumps(tree.load("standards").year(2019).bundle("dept").to_json()))
    expected = json.loads(browser.score(out["bundle"], json.dumps(out["answer"], ensure_ascii=False)))
    assert expected["ok"] and expected["result"]["total"] < 100
    assert out["scored"] == expected
    assert answer_problems("score", out["scored"]) == []
    assert out["refused"] == json.loads(browser.score(out["bundle"], "{oops"))
    assert out["rejections"] == ["unknown_op", "unknown_op", "bad_args", "bad_args"]
    assert out["version"]["result"]["platform"] == "emscripten"

    guard.assert_local()
    paths = {urlsplit(u).path for u in guard.seen}
    assert "/assets/pyodide/pyodide.asm.wasm" in paths
    assert any(p.startswith("/assets/wheels/guangming_scorer-") for p in paths)


class TamperingHandler(http.server.SimpleHTTPRequestHandler):
    """The built site, with chosen paths answered differently (bytes, content type, or 404) or late."""

    overrides: dict = {}
    delays: dict = {}  # path -> seconds to wait before answering
    wasm_type = "application/wasm"

    def log_message(self, format, *args):  # noqa: A002 - signature fixed by http.server
        pass

    def guess_type(self, path):
        if str(path).endswith(".wasm"):
            return self.wasm_type
        return super().guess_type(path)

    def send_head(self):
        path = urlsplit(self.path).path
        time.sleep(self.delays.get(path, 0))
        if path in self.overrides:
            body, content_type = self.overrides[path]
            if body is None:
                self.send_error(404)
                return None
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()


@pytest.fixture
def serve(built_site):
    """serve(wasm_type=..., overrides={path: (bytes|None, type)}) -> base URL of a tampered copy of the site."""
    servers = []

    def start(wasm_type="application/wasm", overrides=None, delays=None):
        handler = type("Handler", (TamperingHandler,),
                       {"wasm_type": wasm_type, "overrides": overrides or {}, "delays": delays or {}})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(built_site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def start_in(page: Page, url: str) -> dict:
    guard = gates.LocalOnly(page)
    page.goto(url)
    out = page.evaluate(START_IN_PAGE)
    guard.assert_local()
    return out


def test_wrong_wasm_mime_type_is_reported_not_hung(page: Page, serve):
    out = start_in(page, serve(wasm_type="application/octet-stream"))
    last = out["last"]
    assert last["state"] == "error" and last["step"] == "runtime"
    assert "服务器未以 application/wasm 类型提供 pyodide.asm.wasm（当前为 application/octet-stream）" in last["message"]
    assert "MIME 类型设为 application/wasm" in last["message"]
    assert out["elapsed_ms"] < 20000


def test_missing_manifest_is_reported(page: Page, serve):
    out = start_in(page, serve(overrides={"/assets/wheels/manifest.json": (None, "")}))
    assert out["last"]["state"] == "error"
    assert "评分程序清单 manifest.json" in out["last"]["message"] and "HTTP 404" in out["last"]["message"]


def _manifest(built_site: Path) -> dict:
    return json.loads((built_site / "assets" / "wheels" / "manifest.json").read_text("utf-8"))


# Runs in the page: while the scorer starts, call an operation the manifest dropped and one it kept.
CALL_WHILE_STARTING = """async (bundlePath) => {
  const { startScorer } = await import("/assets/javascripts/scorer-client.mjs");
  const bundle = await (await fetch(bundlePath)).text();
  const scorer = startScorer();
  const events = [];
  scorer.onStatus((s) => events.push(s));
  const outcome = async (promise) => { try { return {ok: true, value: await promise}; }
                                        catch (error) { return {ok: false, code: error.code, message: error.message}; } };
  const [dropped, kept] = await Promise.all([outcome(scorer.call("xlsx", bundle, "{}")), outcome(scorer.call("check", bundle))]);
  try { await scorer.ready; } catch (error) {}
  scorer.terminate();
  return {events, last: events[events.length - 1], dropped, kept};
}"""


def test_the_worker_allows_what_the_manifest_declares(page: Page, serve, built_site):
    """The allow-list comes from the manifest, not the worker: an operation the manifest lacks is
    refused before Python starts, a changed count is checked against, and a manifest that does not
    match the wheel's own registry fails the start-up rather than leave a name unreachable."""
    manifest = _manifest(built_site)
    del manifest["operations"]["xlsx"]
    manifest["operations"]["check"] = 1
    page.goto(serve(overrides={"/assets/wheels/manifest.json": (json.dumps(manifest).encode(), "application/json")}))
    out = page.evaluate(CALL_WHILE_STARTING, "/data/2019/dept.json")
    assert out["dropped"]["ok"] is False and out["dropped"]["code"] == "unknown_op"
    assert out["dropped"]["message"] == f"不支持的操作：xlsx（可用：{'、'.join(manifest['operations'])}）"
    # One argument now passes the worker's count check (two would be refused at once, "bad_args"), so
    # the call waits for a start-up that fails, the wheel's own registry still listing xlsx: the page's
    # client then refuses it with the start-up's reason.
    assert out["kept"]["ok"] is False and out["kept"]["code"] == "startup", out["kept"]
    assert out["last"]["state"] == "error" and out["last"]["step"] == "import", out["last"]
    assert "评分程序包加载失败" in out["last"]["message"] and "operations" in out["last"]["message"]


@pytest.mark.parametrize("operations", [None, [], {}, {"_bundle": 1}, {"score": "2"}, {"score": -1}],
                         ids=["missing", "list", "empty", "private", "text count", "negative"])
def test_a_manifest_without_a_valid_operation_list_is_refused(page: Page, serve, built_site, operations):
    """Nothing but public names with small counts: a damaged manifest opens nothing else in Python."""
    manifest = _manifest(built_site)
    if operations is None:
        del manifest["operations"]
    else:
        manifest["operations"] = operations
    out = start_in(page, serve(overrides={"/assets/wheels/manifest.json": (json.dumps(manifest).encode(), "application/json")}))
    assert out["last"]["state"] == "error" and out["last"]["step"] == "runtime"
    assert "评分程序清单 manifest.json 缺少有效的操作列表（operations）" in out["last"]["message"]


def _snapshot_path(manifest) -> str:
    return "/assets/pyodide/startup/" + manifest["startup"]["snapshot"]["file"]


def _raw_snapshot(built_site: Path, manifest) -> bytes:
    """The memory image itself: the file is gzipped and holds only its non-zero pages."""
    return startup.sparse_decode(gzip.decompress((built_site / _snapshot_path(manifest).lstrip("/")).read_bytes()))


def test_a_snapshot_slower_than_the_runtime_is_waited_for_not_restored_half_filled(page: Page, serve, built_site):
    """Pyodide gets the snapshot's buffer before its bytes arrive (it compiles meanwhile); the start
    must hold until they are all in. Had it restored the empty buffer, the start would fall back."""
    out = start_in(page, serve(delays={_snapshot_path(_manifest(built_site)): 2.5}))
    assert out["last"]["state"] == "ready", out["last"]
    assert out["last"]["mode"] == "snapshot" and out["last"]["fallback"] is None
    assert out["last"]["timings"]["snapshot"] >= 2500 and out["last"]["timings"]["runtime"] >= out["last"]["timings"]["snapshot"]


def test_corrupt_snapshot_falls_back_to_a_plain_start(page: Page, serve, built_site):
    """Fetched without Subresource Integrity (so it can stream): gzip's own check refuses the damage."""
    manifest = _manifest(built_site)
    good = (built_site / _snapshot_path(manifest).lstrip("/")).read_bytes()
    corrupt = good[:1000] + bytes(b ^ 0xFF for b in good[1000:1100]) + good[1100:]
    out = start_in(page, serve(overrides={_snapshot_path(manifest): (corrupt, "application/octet-stream")}))
    assert out["last"]["state"] == "ready", out["last"]
    assert out["last"]["mode"] == "stock" and out["last"]["fallback"]


def test_snapshot_of_another_pyodide_build_is_not_used(page: Page, serve, built_site):
    """A snapshot from another runtime build would not boot: the worker reads its build id first."""
    manifest = _manifest(built_site)
    raw = bytearray(_raw_snapshot(built_site, manifest))
    raw[16:20] = b"\x01\x02\x03\x04"  # first word of the build id
    out = start_in(page, serve(overrides={
        _snapshot_path(manifest): (startup.sparse_encode(bytes(raw)), "application/octet-stream"),
        "/assets/wheels/manifest.json": (json.dumps(manifest).encode(), "application/json"),
    }))
    assert out["last"]["state"] == "ready", out["last"]
    assert out["last"]["mode"] == "stock" and "build id" in out["last"]["fallback"]


def test_missing_snapshot_falls_back_to_a_plain_start(page: Page, serve, built_site):
    out = start_in(page, serve(overrides={_snapshot_path(_manifest(built_site)): (None, "")}))
    assert out["last"]["state"] == "ready" and out["last"]["mode"] == "stock"
    assert "HTTP 404" in out["last"]["fallback"]


def test_truncated_snapshot_falls_back_to_a_plain_start(page: Page, serve, built_site):
    manifest = _manifest(built_site)
    raw = gzip.decompress((built_site / _snapshot_path(manifest).lstrip("/")).read_bytes())  # the page file
    out = start_in(page, serve(overrides={
        _snapshot_path(manifest): (raw[: len(raw) // 2], "application/octet-stream"),
        "/assets/wheels/manifest.json": (json.dumps(manifest).encode(), "application/json"),
    }))
    assert out["last"]["state"] == "ready", out["last"]
    assert out["last"]["mode"] == "stock" and "truncated" in out["last"]["fallback"]


def test_snapshot_that_fails_to_boot_falls_back_to_a_plain_start(page: Page, serve, built_site):
    """Right build id and size, damaged memory: booting it fails, and the plain start takes over."""
    manifest = _manifest(built_site)
    raw = bytearray(_raw_snapshot(built_site, manifest))
    heap = int.from_bytes(raw[4:8], "little")  # header word 1: where the memory image starts
    raw[heap:heap + (4 << 20)] = bytes(4 << 20)  # its first 4 MB wiped
    out = start_in(page, serve(overrides={
        _snapshot_path(manifest): (startup.sparse_encode(bytes(raw)), "application/octet-stream"),
        "/assets/wheels/manifest.json": (json.dumps(manifest).encode(), "application/json"),
    }))
    assert out["last"]["state"] == "ready", out["last"]
    assert out["last"]["mode"] == "stock" and out["last"]["fallback"]


@pytest.mark.parametrize("script,expected", [
    ("delete window.WebAssembly;", "此浏览器不支持 WebAssembly"),
    # An old browser: Worker ignores the options, so `type: "module"` is never even read.
    ("{ const Original = window.Worker; window.Worker = function (url) { return new Original(url); }; }",
     "不支持模块化 Web Worker"),
    # Module workers but no WebAssembly exception handling (Safari 15.0/15.1, Chrome 80-94).
    ("WebAssembly.validate = () => false;", "不支持 WebAssembly 异常处理"),
])
def test_an_unsupported_browser_gets_a_reason_and_a_readable_page(page: Page, site_url, script, expected):
    page.add_init_script(script)
    out = start_in(page, site_url)
    assert out["last"]["state"] == "error" and expected in out["last"]["message"]
    assert page.locator("h1").first.is_visible()


def _worker_files(page: Page) -> list[str]:
    return sorted(urlsplit(w.url).path.rsplit("/", 1)[-1].split(".")[0] for w in page.workers)


def test_search_waits_for_the_scorer_then_works(page: Page, serve, built_site):
    """search-hold.js: Material's search worker (lunr builds the site's index) does not compete with
    the scorer's start-up; it starts once the scorer is ready."""
    page.goto(serve(delays={_snapshot_path(_manifest(built_site)): 2.5}) + "assess/2019/dept/")
    page.wait_for_timeout(1500)
    assert page.get_by_test_id("scorer-status").get_attribute("data-state") == "loading"
    assert _worker_files(page) == ["scorer-worker"]
    expect(page.get_by_test_id("scorer-status")).to_have_attribute("data-state", "ready", timeout=30_000)
    for _ in range(100):  # page.workers, polled (wait_for_function would need 'unsafe-eval')
        if "search" in _worker_files(page):
            break
        page.wait_for_timeout(50)
    assert _worker_files(page) == ["scorer-worker", "search"]
    gates.use_search(page, "四风", timeout=15_000)


def test_search_opened_before_the_scorer_is_ready_starts_at_once(page: Page, serve, built_site):
    page.goto(serve(delays={_snapshot_path(_manifest(built_site)): 8}) + "assess/2019/dept/")
    page.wait_for_timeout(500)
    gates.use_search(page, "四风", timeout=15_000)
    assert page.get_by_test_id("scorer-status").get_attribute("data-state") == "loading"
    expect(page.get_by_test_id("scorer-status")).to_have_attribute("data-state", "ready", timeout=30_000)
