"""Shared fixtures for the site tests: one real `mkdocs build --strict` per session, a local HTTP
server over it, and Debian's Chromium for pytest-playwright.

The build goes to a temporary folder so tests never read a stale `site/` left by a developer.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from site_tests import gates, tiers

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Chromium's own background lookups of outside hosts fail fast instead of leaking out.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def pytest_addoption(parser):
    parser.addoption("--fast", action="store_true",
                     help="the fast tier (make test-fast): only tests that need no site build, no browser, no "
                          "Node/Pyodide and no nginx/Java (site_tests/tiers.py); starting one of those fails")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: set by site_tests/tiers.py on every test outside the fast tier "
                                       "(needs a site build, a browser, Node/Pyodide or nginx/Java)")
    if config.getoption("fast"):
        current = config.stash[_RUNNING] = ["the session"]
        guard = tiers.guarding(lambda: current[0])
        guard.__enter__()
        config.add_cleanup(lambda: guard.__exit__(None, None, None))


_RUNNING = pytest.StashKey[list]()


def pytest_collection_modifyitems(config, items):
    """Mark every slow test `slow` (the reason is in its `slow` marker); under --fast, deselect them."""
    fast, slow = [], []
    for item in items:
        reason = tiers.slow_reason(item)
        if reason:
            item.add_marker(pytest.mark.slow(reason=reason))
        (slow if reason else fast).append(item)
    if config.getoption("fast"):
        if slow:
            config.hook.pytest_deselected(items=slow)
        items[:] = fast


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Under --fast, name the running test in the guard's message."""
    running = item.config.stash.get(_RUNNING, None)
    if running is not None:
        running[0] = item.nodeid
    return (yield)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site as `<engine> build --strict` makes it (the engine requirements.txt installs); the build's own output explains a failure."""
    return gates.build_site(tmp_path_factory.mktemp("site"), "the shipped site", timeout=300)


@pytest.fixture(scope="session")
def site_url(built_site):
    """Base URL (ending in '/') of the built site on 127.0.0.1, on a free port."""
    with gates.serving(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def years_url(years_site):
    """Base URL of the multi-year fixture site on 127.0.0.1."""
    with gates.serving(years_site) as url:
        yield url


def _require_chromium():
    """Missing Chromium skips locally but fails in CI, where skipped browser tests would pass silently."""
    if os.access(CHROMIUM, os.X_OK):
        return
    message = f"{CHROMIUM} not found: install Debian's chromium (`make browser`) to run the browser tests"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright hook: launch Debian's Chromium (Playwright cannot download its own here)."""
    _require_chromium()
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": list(CHROMIUM_ARGS)}


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Screenshots for humans to look at after a run (gitignored)."""
    path = ROOT / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def years_site(tmp_path_factory) -> Path:
    """The site built from the multi-year fixture (2019-2021 published, 2022 draft), once per session."""
    return gates.build_site(tmp_path_factory.mktemp("years-site"), "the multi-year fixture",
                            "site_tests/fixtures/years", timeout=300)


@pytest.fixture(scope="session")
def site_walk(browser, site_url, built_site, artifacts_dir):
    """Every page of the shipped site visited once at 375 px, driven to its working state: what the
    CSP gate and the phone gate check, per page (site_tests/gates.py)."""

    year = gates.current_year(built_site)
    shots = {path.format(year=year): name for path, name in gates.SHOTS.items()}
    return gates.walk_site(browser, site_url, built_site, shots=shots, artifacts=artifacts_dir)


@pytest.fixture(scope="session")
def years_walk(browser, years_site, artifacts_dir):
    """The same walk over the multi-year fixture site, the comparison page showing 2019 -> 2020."""
    from site_tests import gates, tiers

    with gates.serving(years_site) as base:
        return gates.walk_site(browser, base, years_site, compare_query="?from=2019&to=2020&standard=dept",
                               shots={"standards/compare/": "compare"}, artifacts=artifacts_dir)


@pytest.fixture(autouse=True)
def _no_stdlib_rescue(request):
    """Every test that drives a page fails if the scorer fetched the full stdlib: whatever the operations
    import must be in the trimmed start-up zip (scorer/stdlib_rescue.py is a safety net, not a path).
    The page's request events include the worker's synchronous requests: test_browser_assess.py sees
    the XlsxWriter wheel arrive the same way."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    rescued, named = [], []
    page.context.on("request", lambda r: rescued.append(r.url) if "/startup/stdlib-full-" in r.url else None)
    page.on("worker", lambda w: w.on("console", lambda m: named.append(m.text) if "取自完整标准库" in m.text else None))
    yield
    assert not rescued, (f"the scorer fetched the full stdlib ({rescued}): an operation imports a module the "
                         f"start-up zip lacks: {named}")
