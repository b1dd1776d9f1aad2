"""The workspace walks' helpers (site_tests/workspace_pages.py) are the one copy: no browser test
defines its own way to open a page, read the stored workspace or import a workspace file."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from site_tests import gates

HERE = Path(__file__).resolve().parent
SHARED = {"ready", "open_page", "stored", "reload_intact", "import_workspace", "json_file", "export_sealed",
          "clear_workspace", "import_sealed"}


@pytest.mark.parametrize("module", sorted(p.name for p in HERE.glob("test_browser_*.py")))
def test_no_browser_test_keeps_its_own_copy_of_the_workspace_helpers(module):
    tree = ast.parse((HERE / module).read_text("utf-8"))
    own = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)} & SHARED
    assert not own, f"{module}: use site_tests/workspace_pages.py for {sorted(own)}"


def test_a_workspace_file_is_given_as_bytes_text_or_a_value():
    sealed = b'{"format": "gm-sealed/1", "x": "\\u0000"}\xff'
    assert gates.json_file("加密.json", sealed)["buffer"] == sealed
    assert gates.json_file("a.json", '{"a": "甲"}')["buffer"] == '{"a": "甲"}'.encode("utf-8")
    assert json.loads(gates.json_file("b.json", {"b": "乙"})["buffer"]) == {"b": "乙"}
