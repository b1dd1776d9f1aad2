"""The page scripts' pure modules, tested under Node's own test runner (`node --test`).

Each `site_tests/js_units/*.test.mjs` imports a module from `docs/assets/javascripts/` directly: the
format conversions, table rows and view models that need no DOM. This test runs them all, so the
README's test command covers them; a failing Node test fails here with Node's report.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

# Not "js": site_tests is on sys.path, and a folder named js there is taken for Pyodide's bridge.
JS_TESTS = Path(__file__).parent / "js_units"


def test_node_unit_tests_pass():
    files = sorted(JS_TESTS.glob("*.test.mjs"))
    assert files, f"no *.test.mjs under {JS_TESTS}"
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: the page scripts' unit tests need it (make setup)")
    run = subprocess.run([node, "--test", *map(str, files)], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
