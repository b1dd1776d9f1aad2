"""sitebuild/pyc_stdlib.py's trimming, in CPython: which modules code can import, and the trimmed zip.

The same functions run inside Pyodide at build time (make_startup.mjs) over the precompiled stdlib;
the build then boots the snapshot and writes a workbook to prove the result is enough.
"""

from __future__ import annotations

import zipfile

from sitebuild import pyc_stdlib

SOURCE = '''
import json
from decimal import Decimal
from . import errors
from .numbers import fmt


def later():
    import zipfile
    from urllib.parse import urljoin
    from .. import sibling
'''


def test_every_import_counts_including_those_inside_functions_and_relative_ones():
    code = compile(SOURCE, "scorer/sub/mod.py", "exec")
    names = pyc_stdlib.imported_names(code, "scorer.sub.mod", is_package=False)
    assert {"json", "decimal", "decimal.Decimal", "zipfile", "urllib", "urllib.parse",
            "urllib.parse.urljoin"} <= names
    assert {"scorer.sub", "scorer.sub.errors", "scorer.sub.numbers", "scorer.sub.numbers.fmt",
            "scorer", "scorer.sibling"} <= names


def test_relative_imports_in_a_package_resolve_against_the_package_itself():
    code = compile("from . import errors\n", "scorer/__init__.py", "exec")
    assert pyc_stdlib.imported_names(code, "scorer", is_package=True) == {"scorer", "scorer.errors"}


def test_the_trimmed_zip_keeps_the_modules_asked_for_and_their_parent_packages(tmp_path):
    full = tmp_path / "full.zip"
    with zipfile.ZipFile(full, "w") as archive:
        for name in ("json/__init__.pyc", "json/decoder.pyc", "json/tool.pyc", "email/__init__.pyc",
                     "email/parser.pyc", "zipfile/__init__.pyc", "csv.pyc"):
            archive.writestr(name, b"x")
    trimmed = tmp_path / "startup.zip"
    result = pyc_stdlib.trim_zip(str(full), str(trimmed), {"json.decoder", "csv", "js", "sys"})
    assert sorted(zipfile.ZipFile(trimmed).namelist()) == ["csv.pyc", "json/__init__.pyc", "json/decoder.pyc"]
    assert result["kept"] == 3 and result["of"] == 7
    assert result["missing"] == ["email", "email.parser", "json.tool", "zipfile"]  # what the rescue answers for


def test_the_shipped_zip_leaves_out_what_the_snapshot_holds_imported(tmp_path):
    startup = tmp_path / "startup.zip"
    with zipfile.ZipFile(startup, "w") as archive:
        for name in ("json/__init__.pyc", "json/decoder.pyc", "importlib/__init__.pyc",
                     "importlib/metadata/__init__.pyc", "importlib/metadata/_meta.pyc", "csv.pyc", "re.pyc"):
            archive.writestr(name, b"x")
    shipped = tmp_path / "shipped.zip"
    imported = ["sys", "json", "json.decoder", "importlib", "re", "scorer"]
    result = pyc_stdlib.shipped_zip(str(startup), str(shipped), imported)
    # importlib.metadata is imported later, under its package (kept so the layout stays a package tree)
    assert sorted(zipfile.ZipFile(shipped).namelist()) == [
        "csv.pyc", "importlib/__init__.pyc", "importlib/metadata/__init__.pyc", "importlib/metadata/_meta.pyc"]
    assert result == {"kept": 4, "of": 7, "dropped": ["json", "json.decoder", "re"]}
