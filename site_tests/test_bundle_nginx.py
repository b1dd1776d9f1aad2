"""The intranet bundle, served by nginx with the nginx.conf it ships: the right MIME types, gzip,
cache and security headers, and a self-assessment that completes in Chromium under that
Content-Security-Policy without a single violation.

The bundle is made from the session's strict build (`built_site`), unpacked to a temporary folder
and served by a real nginx on a free loopback port, with the shipped server block edited only where
DEPLOY.md tells an administrator to (`listen`, `root`). nginx runs in the foreground as a child of
the test and is stopped when the module's tests are done.
"""

from __future__ import annotations

import datetime
import gzip
import http.client
import os
import re
import shutil
import socket
import subprocess
import time
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from scorer import assessment, scoring, tree
from sitebuild import bundle

pytestmark = pytest.mark.browser

READY_TIMEOUT_MS = 90000


def _nginx() -> str:
    """nginx's path; missing nginx skips locally but fails in CI (`make test` installs it)."""
    for candidate in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    message = "nginx not found: install Debian's nginx (`tools/ensure-nginx`) to run the bundle test"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def bundle_zip(built_site, tmp_path_factory) -> Path:
    return bundle.make_bundle(built_site, tmp_path_factory.mktemp("dist"), version="0000000")


@pytest.fixture(scope="module")
def unpacked(bundle_zip, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bundle")
    with zipfile.ZipFile(bundle_zip) as archive:
        archive.extractall(folder)
    return folder


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _shipped_server_block(unpacked: Path, port: int) -> str:
    """The bundle's nginx.conf with `listen` and `root` set as DEPLOY.md says, and nothing else."""
    text = (unpacked / "nginx.conf").read_text("utf-8")
    text, listens = re.subn(r"(?m)^(\s*)listen\s+\S+;", rf"\g<1>listen 127.0.0.1:{port};", text)
    text, roots = re.subn(r"(?m)^(\s*)root\s+\S+;", rf"\g<1>root {unpacked / 'site'};", text)
    assert (listens, roots) == (1, 1), "nginx.conf should have exactly one listen and one root line"
    return text


def _wrapper(prefix: Path) -> str:
    """The http context around the shipped server block: what /etc/nginx/nginx.conf provides on a
    server, with every path inside the temporary prefix (nginx may run unprivileged)."""
    lines = []
    if os.geteuid() == 0:
        # As root, nginx's workers would switch to www-data, which cannot read pytest's 0700 folders.
        lines.append("user root;")
    temp = "\n".join(f"    {kind}_temp_path {prefix / 'temp' / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    lines += [
        "worker_processes 1;",
        f"error_log {prefix / 'error.log'} warn;",
        "events { worker_connections 64; }",
        "http {",
        f"    access_log {prefix / 'access.log'};",
        temp,
        f"    include {prefix / 'portal.conf'};",
        "}",
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def nginx_url(unpacked, tmp_path_factory):
    """Base URL of the bundle served by nginx with its own server block; nginx is stopped afterwards."""
    nginx = _nginx()
    prefix = tmp_path_factory.mktemp("nginx")
    (prefix / "temp").mkdir()
    mime_types = Path("/etc/nginx/mime.types")
    if not mime_types.is_file():
        pytest.fail(f"{mime_types} is missing: the shipped server block includes the distribution's mime.types")
    shutil.copyfile(mime_types, prefix / "mime.types")  # `include mime.types` resolves next to the config
    # One file without its .gz twin, to show that nginx then compresses on the fly.
    (unpacked / "site" / "search" / "search_index.json.gz").unlink()
    port = _free_port()
    (prefix / "portal.conf").write_text(_shipped_server_block(unpacked, port), "utf-8")
    (prefix / "nginx.conf").write_text(_wrapper(prefix), "utf-8")
    command = [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log"),
               "-g", f"daemon off; pid {prefix / 'nginx.pid'};"]
    checked = subprocess.run(command + ["-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, f"nginx -t rejected the shipped server block:\n{checked.stderr}"
    assert "[emerg]" not in checked.stderr and "[alert]" not in checked.stderr, checked.stderr

    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            if server.poll() is not None:
                log = (prefix / "error.log").read_text("utf-8", "replace") if (prefix / "error.log").exists() else ""
                pytest.fail(f"nginx exited ({server.returncode}):\n{server.stderr.read()}\n{log}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"nginx did not listen on 127.0.0.1:{port} within 20 s")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/"
        log = (prefix / "error.log").read_text("utf-8", "replace")
        worrying = [line for line in log.splitlines() if re.search(r"\[(emerg|alert|crit|error)\]", line)
                    and "/no-such-page/" not in line]  # the 404 the tests ask for on purpose
        assert not worrying, "nginx logged errors:\n" + "\n".join(worrying)
    finally:
        server.terminate()  # SIGTERM: nginx's fast shutdown
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        server.stderr.close()


def _get(base: str, path: str, **headers) -> http.client.HTTPResponse:
    """One GET with exactly these request headers (no automatic decompression); body read."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


# --- the zip ----------------------------------------------------------------------------------------

def test_bundle_holds_the_site_the_note_and_the_server_block(bundle_zip, built_site):
    assert re.fullmatch(r"guangming-portal-\d{8}-0000000\.zip", bundle_zip.name)
    with zipfile.ZipFile(bundle_zip) as archive:
        names = set(archive.namelist())
        assert archive.testzip() is None
        note = archive.read("DEPLOY.md").decode("utf-8")
        conf = archive.read("nginx.conf").decode("utf-8")
    assert {n for n in names if not n.startswith("site/")} == {"DEPLOY.md", "nginx.conf"}
    site_files = {"site/" + p.relative_to(built_site).as_posix() for p in built_site.rglob("*") if p.is_file()}
    assert site_files <= names, sorted(site_files - names)[:10]
    extra = names - site_files - {"DEPLOY.md", "nginx.conf"}
    assert extra and all(n.endswith(".gz") and n[:-3] in site_files for n in extra), sorted(extra)[:10]
    assert "site/assets/pyodide/pyodide.asm.wasm.gz" in names

    for needed in ("application/wasm", "text/javascript", "application/json", "application/zip", "gzip",
                   "nginx.conf", "/assess/", "MIME", "不需要连接互联网"):
        assert needed in note, needed
    assert bundle.content_security_policy(built_site) in note
    assert f'add_header Content-Security-Policy "{bundle.content_security_policy(built_site)}" always;' in conf


def test_bundle_is_named_after_the_commit():
    version = bundle.git_version()
    assert re.fullmatch(r"[0-9a-f]{7,}(-dirty)?|nogit", version), version
    assert bundle.bundle_label(datetime.date(2026, 3, 1), "abc1234") == "guangming-portal-20260301-abc1234"


def test_policy_covers_every_inline_script_and_allows_no_inline_code(built_site):
    csp = bundle.content_security_policy(built_site)
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives["script-src"].startswith("'self' 'wasm-unsafe-eval' 'sha256-")
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'self'"
    # style-src 'self' holds only while the pages carry no inline styles: say so if that changes.
    for page in built_site.rglob("*.html"):
        text = page.read_text("utf-8")
        assert not re.search(r"<style[\s>]", text), f"{page}: inline <style> needs style-src 'unsafe-inline'"
        assert not re.search(r"\sstyle\s*=", text), f"{page}: style= attribute needs style-src 'unsafe-inline'"
        assert not re.search(r"\son[a-z]+\s*=\s*[\"']", text), f"{page}: inline event handler is blocked by CSP"


# --- nginx ------------------------------------------------------------------------------------------

def test_nginx_sends_the_types_the_scorer_needs(nginx_url):
    expected = {
        "/assets/pyodide/pyodide.asm.wasm": "application/wasm",
        "/assets/pyodide/pyodide.mjs": "text/javascript",
        "/assets/javascripts/scorer-worker.mjs": "text/javascript",
        "/data/index.json": "application/json",
        "/assets/pyodide/python_stdlib.zip": "application/zip",
        "/assets/wheels/manifest.json": "application/json",
        "/": "text/html",
    }
    for path, content_type in expected.items():
        response = _get(nginx_url, path)
        assert response.status == 200, path
        assert response.getheader("Content-Type").split(";")[0].strip() == content_type, path
    wheel = next(p for p in _get(nginx_url, "/assets/wheels/manifest.json").body.decode().split('"')
                 if p.endswith(".whl"))
    response = _get(nginx_url, f"/assets/wheels/{wheel}")
    assert response.status == 200 and response.getheader("Content-Type") in ("application/zip", "application/octet-stream")
    assert _get(nginx_url, "/").getheader("Content-Type") == "text/html; charset=utf-8"


def test_nginx_sends_the_wasm_gzipped_only_to_who_asks(nginx_url, built_site):
    raw = (built_site / "assets" / "pyodide" / "pyodide.asm.wasm").read_bytes()
    plain = _get(nginx_url, "/assets/pyodide/pyodide.asm.wasm")
    assert plain.getheader("Content-Encoding") is None and plain.body == raw
    packed = _get(nginx_url, "/assets/pyodide/pyodide.asm.wasm", **{"Accept-Encoding": "gzip"})
    assert packed.getheader("Content-Encoding") == "gzip"
    assert packed.getheader("Content-Type") == "application/wasm"
    assert "Accept-Encoding" in packed.getheader("Vary", "")
    assert len(packed.body) < 0.5 * len(raw)
    assert gzip.decompress(packed.body) == raw
    # A file without a .gz twin (the fixture removed the search index's) is compressed on the fly.
    search = _get(nginx_url, "/search/search_index.json", **{"Accept-Encoding": "gzip"})
    assert search.getheader("Content-Encoding") == "gzip"
    assert gzip.decompress(search.body) == (built_site / "search" / "search_index.json").read_bytes()


def test_nginx_sends_security_and_cache_headers(nginx_url, built_site):
    csp = bundle.content_security_policy(built_site)
    bundle_js = next((built_site / "assets" / "javascripts").glob("bundle.*.min.js")).name
    snapshot = next((built_site / "assets" / "pyodide" / "startup").glob("*"), None)
    paths = ["/", "/measures/", "/data/index.json", "/assets/pyodide/pyodide.asm.wasm",
             f"/assets/javascripts/{bundle_js}", "/no-such-page/"]
    for path in paths:
        response = _get(nginx_url, path)
        assert response.getheader("Content-Security-Policy") == csp, path
        assert response.getheader("X-Content-Type-Options") == "nosniff", path
        assert response.getheader("Referrer-Policy") == "same-origin", path
        assert response.getheader("Permissions-Policy"), path
    assert _get(nginx_url, "/no-such-page/").status == 404

    def cache(path):
        return _get(nginx_url, path).getheader("Cache-Control")

    for revalidated in ("/", "/measures/", "/data/index.json", "/assets/wheels/manifest.json",
                        "/assets/pyodide/pyodide.asm.wasm", "/assets/javascripts/scorer-client.mjs"):
        assert cache(revalidated) == "no-cache", revalidated
    assert cache(f"/assets/javascripts/{bundle_js}") == "max-age=31536000"
    if snapshot is not None:
        assert cache(f"/assets/pyodide/startup/{snapshot.name}") == "max-age=31536000"
    if (built_site / "sw.js").is_file():
        assert cache("/sw.js") == "no-cache"
    moved = _get(nginx_url, "/measures")
    assert moved.status == 301 and moved.getheader("Location") == "/measures/"


# --- Chromium through nginx -------------------------------------------------------------------------

# Collects CSP violations in the page (the event carries the directive and what was blocked).
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push({directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile,
                               line: e.lineNumber, sample: e.sample});
});
"""

SCORE_WITH_CLIENT = """async ({items}) => {
  const { startScorer } = await import("/assets/javascripts/scorer-client.mjs");
  const scorer = startScorer();
  const events = [];
  scorer.onStatus((s) => events.push({state: s.state, step: s.step, message: s.message}));
  try { await scorer.ready; } catch (error) { return {events, error: error.message}; }
  const bundle = await scorer.fetchBundle(2019, "dept");
  const answer = {format: "gm-assessment/1", standard: "dept", year: 2019, standard_hash: JSON.parse(bundle).hash,
                  organization: {name: "区某局党组"}, items};
  const scored = await scorer.call("score", bundle, answer);
  scorer.terminate();
  return {events, scored};
}"""


def _assess_form(built_site: Path) -> str | None:
    """URL path of the first self-assessment form in the build, once the assess pages exist."""
    for page in sorted(built_site.glob("assess/*/*/index.html")):
        if 'data-testid="scorer-status"' in page.read_text("utf-8"):
            return "/" + page.parent.relative_to(built_site).as_posix() + "/"
    return None


def test_self_assessment_through_nginx_without_csp_violations(page: Page, nginx_url, built_site):
    console = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    responses = {}
    page.context.on("response", lambda r: responses.setdefault(urlsplit(r.url).path, r))
    page.add_init_script(WATCH_CSP)

    # The headers an HTML page arrives with, as Chromium sees them.
    home = page.goto(nginx_url)
    headers = home.all_headers()
    assert headers["content-security-policy"] == bundle.content_security_policy(built_site)
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert page.locator(".md-header").is_visible()

    form = _assess_form(built_site)
    if form is not None:
        # The self-assessment page, as a person uses it: wait for the scorer, record one deduction,
        # and see the total and grade CPython gives for the same assessment.
        page.goto(nginx_url.rstrip("/") + form)
        status = page.get_by_test_id("scorer-status")
        try:
            expect(status).to_have_attribute("data-state", re.compile("ready|error"), timeout=READY_TIMEOUT_MS)
        except AssertionError:
            pytest.fail(f"scorer status still {status.get_attribute('data-state')!r} after {READY_TIMEOUT_MS} ms: "
                        f"{status.inner_text()!r}; console: {console}")
        assert status.get_attribute("data-state") == "ready", status.inner_text()
        expect(page.get_by_test_id("total-score")).not_to_have_text("—")
        year, sid = form.strip("/").split("/")[1:3]
        standard = tree.load("standards").year(int(year)).bundle(sid).to_json()
        item_id = standard["standard"]["areas"][0]["indicators"][0]["deductions"][0]["id"]
        block = page.locator(f'.gm-item[data-item="{item_id}"]')
        block.locator('[data-action="add-occurrence"]').click()
        row = block.locator(".gm-occurrence").last
        row.locator('[data-field="date"]').fill(f"{year}-03-01")
        if row.locator('[data-field="count"]').count():
            row.locator('[data-field="count"]').fill("2")
        value = assessment.empty(standard, organization="")
        value["items"] = {item_id: [{"date": f"{year}-03-01", "count": 2}]}
        expected = scoring.score(standard, value)
        assert expected["total"] < 100
        expect(page.get_by_test_id("total-score")).to_have_text(str(expected["total"]))
        expect(page.get_by_test_id("grade")).to_have_text(expected["grade"]["name"])
    else:
        # The /assess/<year>/<standard>/ pages are not in this build: drive the scorer client
        # directly, as test_browser_worker.py does. `_assess_form` switches to the page once it exists.
        out = page.evaluate(SCORE_WITH_CLIENT, {"items": {"POL-01a": [{"date": "2019-03-01", "count": 2}]}})
        assert "error" not in out, out
        assert out["events"][-1]["state"] == "ready", out["events"]
        assert out["scored"]["ok"], out["scored"]
        assert out["scored"]["result"]["total"] < 100

    # What the scorer loaded came through nginx with the right types, the wasm compressed.
    wasm = responses.get("/assets/pyodide/pyodide.asm.wasm")
    if wasm is not None:  # a service worker may answer from its cache instead
        assert wasm.all_headers()["content-type"] == "application/wasm"
        assert wasm.all_headers().get("content-encoding") == "gzip"
    for path, response in list(responses.items()):
        if path.endswith(".mjs"):
            assert response.all_headers()["content-type"].startswith("text/javascript"), path

    violations = page.evaluate("window.__cspViolations")
    reported = [line for line in console if "Content Security Policy" in line or "Content-Security-Policy" in line
                or "Permissions-Policy" in line]
    known = [v for v in violations if _is_worker_probe(v)]
    assert [v for v in violations if v not in known] == [], violations
    assert [line for line in reported if not (known and "Creating a worker from 'data:" in line)] == [], reported
    if known:
        # scorer-client.mjs probes for module workers with `new Worker("data:…")`, which worker-src
        # 'self' blocks (harmlessly: the probe only reads the options). A probe URL that cannot be
        # parsed, e.g. new Worker("http://[", {get type() {…}}), reads the options the same way and
        # throws a SyntaxError before any CSP check. Until the client does that, this is expected.
        pytest.xfail(f"scorer-client.mjs's module-worker probe violates worker-src: {known}")


def _is_worker_probe(violation: dict) -> bool:
    return (violation["directive"] == "worker-src" and violation["blocked"] == "data"
            and violation["source"].endswith("/assets/javascripts/scorer-client.mjs"))
