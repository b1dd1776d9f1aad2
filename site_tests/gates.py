"""Helpers of the quality-gate tests (CSP, inert content, phones, weight): every page of a built site,
visited in one browser context, with the pages that do something made to do it.

Not a test module: test_gate_*.py import it. `visit` drives one page to the state worth checking
(the form scored, the office page with a file imported, the plan made, the comparison shown);
`Watch` records, per page, CSP violations, console messages, dialogs and `alert` calls.

`walk_site` visits every page of a site once, at phone width, and records for each what the CSP
gate and the phone gate check (conftest.py's `site_walk` and `years_walk` do it once per session
for both gates: the walk is the expensive part, the Pyodide start-ups on the working pages).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from scorer import assessment
from sitebuild import engine as engines

READY_MS = 90_000

# Runs before any page script: records CSP violations and any alert/confirm/prompt call.
INIT_SCRIPT = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push({directive: e.violatedDirective, blocked: e.blockedURI,
                               source: e.sourceFile, line: e.lineNumber, sample: e.sample});
}, true);
window.__alerts = [];
for (const name of ["alert", "confirm", "prompt"]) {
  const original = window[name];
  window[name] = function (...args) { window.__alerts.push([name, String(args[0])]); };
  window[name].original = original;
}
"""


def page_paths(site: Path) -> list[str]:
    """URL path (relative to the site root) of every HTML page of a built site, sorted."""
    paths = []
    for page in sorted(Path(site).rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        paths.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return sorted(paths)


ROOT = Path(__file__).resolve().parent.parent


def build_site(out: Path, what: str, standards: Path | str | None = None, timeout: int = 600,
               engine: str | None = None) -> Path:
    """`<engine> build --strict` of the repository into `out` (the engine requirements.txt installs,
    unless `engine` names another: sitebuild/engine.py), from the standards tree `standards` (the
    shipped one by default); a failed build fails the test with the end of the engine's own output.
    cwd=ROOT: mkdocs.yml's jieba user dictionary path resolves against the working directory."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if standards is not None:
        env["PORTAL_STANDARDS"] = str(standards)
    name = engine or engines.declared(ROOT)
    if name not in ("mkdocs", "properdocs"):  # named here so site_tests/tiers.py sees what this starts
        pytest.fail(f"unknown engine {name!r}: add it to sitebuild/engine.py ENGINES and here")
    python = engines.python_for(ROOT, name) if engine else Path(sys.executable)
    done = subprocess.run(engines.build_command(python, name, ROOT / "mkdocs.yml", out),
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        pytest.fail(f"build of {what} failed ({done.returncode}):\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    return Path(out)


class LocalOnly:
    """Record every request (the workers' too: the route is on the context) and abort any to a host
    other than `host`; `assert_local` fails the test if there was one."""

    def __init__(self, page: Page, host: str = "127.0.0.1"):
        self.host = host
        self.seen: list[str] = []
        self.blocked: list[str] = []
        page.context.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        self.seen.append(url)
        if urlsplit(url).hostname == self.host:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def assert_local(self):
        assert self.blocked == [], f"requests leaving {self.host}: {self.blocked}"


class Guard(LocalOnly):
    """LocalOnly, and the page's console errors and uncaught errors: `assert_clean` checks both."""

    def __init__(self, page: Page, host: str = "127.0.0.1"):
        super().__init__(page, host)
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def assert_clean(self):
        self.assert_local()
        assert self.errors == [], f"console errors: {self.errors}"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature fixed by http.server
        pass


@contextlib.contextmanager
def serving(directory: Path):
    """Base URL of a built site on 127.0.0.1, on a free port."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class Watch:
    """What a context's pages report: console messages (pages and workers), page errors, dialogs."""

    def __init__(self, page: Page):
        self.console: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.context.add_init_script(INIT_SCRIPT)
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("worker", lambda w: w.on("console", lambda m: self.console.append(f"worker {m.type}: {m.text}")))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def take(self) -> tuple[list, list]:
        """(console lines, page errors) since the last call."""
        console, errors = self.console, self.errors
        self.console, self.errors = [], []
        return console, errors


def csp_report(page: Page) -> list:
    return page.evaluate("window.__cspViolations || []")


def csp_console(lines: list[str]) -> list[str]:
    return [line for line in lines if "Content Security Policy" in line or "Content-Security-Policy" in line]


# ---------------------------------------------------------------- driving the pages that do something

def wait_ready(page: Page) -> None:
    status = page.get_by_test_id("scorer-status")
    expect(status).to_have_attribute("data-state", "ready", timeout=READY_MS)


def bundle_of(site: Path, year: int, sid: str) -> dict:
    return json.loads((Path(site) / "data" / str(year) / f"{sid}.json").read_text("utf-8"))


def current_year(site: Path) -> int:
    index = json.loads((Path(site) / "data" / "index.json").read_text("utf-8"))
    return int(index["current"])


def an_assessment(site: Path, *, organization: str = "光明区测试党组织", kind: str | None = None, **extra) -> dict:
    """A valid assessment of the site's current year's first standard, with one deduction recorded."""
    year = current_year(site)
    index = json.loads((Path(site) / "data" / "index.json").read_text("utf-8"))
    sid = next(iter(_standards(index, year)))
    bundle = bundle_of(site, year, sid)
    value = assessment.empty(bundle, organization=organization)
    if kind is not None:
        value["organization"]["kind"] = kind
    first = bundle["standard"]["areas"][0]["indicators"][0]["deductions"][0]["id"]
    value["items"] = {first: [{"date": f"{year}-03-01", "count": 1}]}
    value.update(extra)
    return value


def _standards(index: dict, year: int):
    for entry in index["years"]:
        if int(entry["year"]) == year:
            return [s["id"] if isinstance(s, dict) else s for s in entry["standards"]]
    raise KeyError(year)


def json_file(name: str, value) -> dict:
    """A file for `set_input_files`: bytes as they are (a sealed or broken file), text, or a JSON value."""
    if isinstance(value, bytes):
        return {"name": name, "mimeType": "application/json", "buffer": value}
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return {"name": name, "mimeType": "application/json", "buffer": text.encode("utf-8")}


def use_assess_form(page: Page) -> None:
    """Wait for the scorer, record one deduction, wait for the new total."""
    wait_ready(page)
    total = page.get_by_test_id("total-score")
    expect(total).not_to_have_text("—")
    before = total.text_content()
    item = page.locator(".gm-item").first
    item.locator('[data-action="add-occurrence"]').click()
    row = item.locator(".gm-occurrence").last
    year = page.locator("#gm-assess").get_attribute("data-year")
    row.locator('[data-field="date"]').fill(f"{year}-03-01")
    expect(total).not_to_have_text(before, timeout=READY_MS)


def use_office(page: Page, site: Path, files: list | None = None) -> None:
    """Wait for the scorer and import files (by default one valid assessment)."""
    wait_ready(page)
    files = files or [json_file("自评.json", an_assessment(site))]
    page.get_by_test_id("office-files").set_input_files(files)
    expect(page.locator("#gm-office")).to_have_attribute("data-renders", "1", timeout=READY_MS)


PLAN_ORGS = "名称,类别\n" + "".join(f"光明区党组织{i:02d},区直单位\n" for i in range(12))


def use_plan(page: Page) -> None:
    wait_ready(page)
    page.get_by_test_id("organizations").fill(PLAN_ORGS)
    expect(page.get_by_test_id("organizations-status")).to_contain_text("已识别 12 个党组织")
    page.get_by_test_id("first").fill("2021")
    page.get_by_test_id("last").fill("2024")
    page.get_by_test_id("share").fill("25%")
    page.get_by_test_id("make-plan").click()
    expect(page.get_by_test_id("plan-table").locator("tbody tr").first).to_be_visible(timeout=READY_MS)


def use_compare(page: Page) -> None:
    """Wait for the comparison the URL asks for (or the page's message when there is nothing to compare)."""
    # Not page.wait_for_function: it eval()s its predicate in the page, which the site's CSP (no
    # 'unsafe-eval') refuses whenever the DevTools exemption races (microsoft/playwright#36982).
    expect(page.locator("#gm-compare")).to_have_attribute("data-state", re.compile(r"^(done|empty)$"), timeout=READY_MS)


def use_search(page: Page, query: str = "党组织", timeout: float = 30_000) -> None:
    """Material's search (its own worker): type a query and wait up to `timeout` ms for results."""
    field = page.locator("input.md-search__input")
    opener = page.locator('label.md-header__button[for="__search"]')
    if opener.is_visible():  # narrow screens: the search opens from the header's icon
        opener.click()
    field.click()
    field.fill(query)
    field.press("End")
    expect(page.locator(".md-search-result__item").first).to_be_attached(timeout=timeout)
    page.keyboard.press("Escape")


def visit(page: Page, base: str, path: str, site: Path, *, compare_query: str = "") -> None:
    """Open one page and drive it to the state worth checking."""
    url = base + path + (compare_query if path == "standards/compare/" else "")
    page.goto(url)
    page.wait_for_load_state("load")
    if path.startswith("assess/") and path.count("/") == 3:
        use_assess_form(page)
    elif path == "office/":
        use_office(page, site)
    elif path == "office/plan/":
        use_plan(page)
    elif path == "standards/compare/":
        use_compare(page)


# ---------------------------------------------------------------- one walk for the CSP and phone gates

PHONE = {"width": 375, "height": 800}

# Main pages screenshotted during the walk at 375 px (test_gate_phones.py takes them at 1280 px).
SHOTS = {"": "home", "measures/": "measures", "standards/": "standards", "standards/{year}/": "year",
         "standards/{year}/dept/": "standard", "assess/": "assess-index", "assess/{year}/dept/": "assess-form",
         "office/": "office", "office/plan/": "plan", "editors/": "editors"}

# Elements that scroll sideways inside the page, and whether a keyboard can reach them and a screen
# reader can name them (WCAG 2.1.1 and 4.1.2; axe's scrollable-region-focusable).
SCROLLERS = """() => Array.from(document.querySelectorAll('body *')).filter((el) => {
    const style = getComputedStyle(el);
    return ['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1
      && el.checkVisibility({opacityProperty: true, visibilityProperty: true});
  }).map((el) => ({
    element: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
             + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : ''),
    focusable: el.tabIndex >= 0,
    named: Boolean(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')),
  }))"""

# The rightmost elements that stick out past the viewport, to say what is too wide.
WIDE = """(limit) => Array.from(document.querySelectorAll('body *'))
    .filter((el) => el.getBoundingClientRect().right > limit + 1 && el.getClientRects().length)
    .slice(-3).map((el) => el.tagName.toLowerCase() + '.' + String(el.getAttribute('class') || '').split(' ')[0]
                       + ' right=' + Math.round(el.getBoundingClientRect().right))"""


def narrow_problems(page: Page, where: str, width: int = PHONE["width"]) -> list[str]:
    """Sideways scrolling at this width, and boxes that scroll sideways without focus and a name."""
    problems = []
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        problems.append(f"{where}: scrollWidth {scroll_width} > {width} ({page.evaluate(WIDE, width)})")
    for scroller in page.evaluate(SCROLLERS):
        if not (scroller["focusable"] and scroller["named"]):
            problems.append(f"{where}: {scroller['element']} scrolls sideways but is not focusable and named")
    return problems


# Paper: A4 (794 CSS px) less Chromium's default margins, as wide as a printed page's content is.
A4_WIDTH = 718

# Boxes whose content would be cut off on paper: they scroll sideways, and paper cannot scroll.
CLIPPED = """() => Array.from(document.querySelectorAll('body *')).filter((el) => {
    const style = getComputedStyle(el);
    return ['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1
      && el.checkVisibility({opacityProperty: true, visibilityProperty: true})
      && el.clientWidth > 2 /* not the visually hidden */ && !el.closest('.md-header, .md-sidebar, .md-search, .md-footer');
  }).map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '.' + String(el.getAttribute('class') || '').split(' ')[0]
                   + ' ' + el.scrollWidth + '>' + el.clientWidth)"""


def paper_problems(page: Page, where: str) -> list[str]:
    """Printed on A4: nothing past the paper's right edge, nothing cut off inside a box."""
    width = page.viewport_size
    page.set_viewport_size({"width": A4_WIDTH, "height": PHONE["height"]})
    page.emulate_media(media="print")
    try:
        problems = []
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > A4_WIDTH:
            problems.append(f"{where} (A4): scrollWidth {scroll_width} > {A4_WIDTH} ({page.evaluate(WIDE, A4_WIDTH)})")
        problems += [f"{where} (A4): {box} is cut off" for box in page.evaluate(CLIPPED)]
        return problems
    finally:
        page.emulate_media(media="screen")
        page.set_viewport_size(width)


def is_form(path: str) -> bool:
    return path.startswith("assess/") and path.count("/") == 3


@dataclass
class PageReport:
    csp: list = field(default_factory=list)     # violations, and console lines about the policy
    errors: list = field(default_factory=list)  # uncaught page errors
    narrow: list = field(default_factory=list)  # phone-width problems, on screen and (forms) printed
    paper: list = field(default_factory=list)   # problems printed on A4


def walk_site(browser, base: str, site: Path, *, compare_query: str = "", shots: dict | None = None,
              artifacts: Path | None = None) -> dict[str, PageReport]:
    """Visit every page of a built site at 375 px, each driven to its working state, the home page's
    search used; `shots` maps a path to a screenshot name (written to `artifacts`, with `-375.png`)."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    watch = Watch(page)
    reports = {}
    try:
        for path in page_paths(site):
            visit(page, base, path, site, compare_query=compare_query)
            report = reports[path] = PageReport()
            report.narrow = narrow_problems(page, path or "/")
            if is_form(path):  # the printed report, from a phone
                page.emulate_media(media="print")
                report.narrow += narrow_problems(page, f"{path} (print)")
                page.emulate_media(media="screen")
            report.paper = paper_problems(page, path or "/")
            if shots and path in shots and artifacts is not None:
                page.screenshot(path=str(artifacts / f"gate-{shots[path]}-375.png"), full_page=True)
                if is_form(path):
                    page.emulate_media(media="print")
                    page.screenshot(path=str(artifacts / "gate-assess-report-375.png"), full_page=True)
                    page.emulate_media(media="screen")
            if path == "":
                use_search(page)
            console, errors = watch.take()
            report.csp = csp_report(page) + csp_console(console)
            report.errors = errors
        if watch.dialogs:
            reports["(dialogs)"] = PageReport(errors=list(watch.dialogs))
    finally:
        context.close()
    return reports
