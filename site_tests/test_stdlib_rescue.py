"""scorer.stdlib_rescue in CPython: the finder that imports what the trimmed start-up stdlib lacks.

Under Pyodide it fetches the full precompiled stdlib from the site; here the fetch is a function
returning a zip of plain sources, which zipimport reads the same way.
"""

from __future__ import annotations

import importlib
import sys
import zipfile

import pytest

from scorer import stdlib_rescue


@pytest.fixture
def full_zip(tmp_path):
    path = tmp_path / "full.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("gm_rescue_demo.py", "VALUE = 'top'\n")
        archive.writestr("gm_rescue_pkg/__init__.py", "")
        archive.writestr("gm_rescue_pkg/inner.py", "VALUE = 'inner'\n")
    return str(path)


@pytest.fixture
def clean_modules():
    yield
    for name in [n for n in sys.modules if n.startswith("gm_rescue_")]:
        del sys.modules[name]
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, stdlib_rescue.StdlibRescue)]


def test_a_missing_module_is_imported_from_the_full_zip_fetched_once(full_zip, clean_modules):
    fetched = []
    rescue = stdlib_rescue.StdlibRescue({"gm_rescue_demo", "gm_rescue_pkg", "gm_rescue_pkg.inner"},
                                        fetch_zip=lambda: fetched.append(1) or full_zip)
    sys.meta_path.append(rescue)
    assert importlib.import_module("gm_rescue_demo").VALUE == "top"
    assert importlib.import_module("gm_rescue_pkg.inner").VALUE == "inner"
    assert fetched == [1]
    assert rescue.rescued == ["gm_rescue_demo", "gm_rescue_pkg"]  # the package's own path found `inner`


def test_a_submodule_missing_under_a_package_that_is_present_is_found_under_its_prefix(full_zip, tmp_path,
                                                                                      clean_modules):
    present = tmp_path / "present"
    (present / "gm_rescue_pkg").mkdir(parents=True)
    (present / "gm_rescue_pkg" / "__init__.py").write_text("", "utf-8")
    sys.path.insert(0, str(present))
    try:
        sys.meta_path.append(stdlib_rescue.StdlibRescue({"gm_rescue_pkg.inner"}, fetch_zip=lambda: full_zip))
        assert importlib.import_module("gm_rescue_pkg.inner").VALUE == "inner"
    finally:
        sys.path.remove(str(present))


def test_names_it_was_not_told_about_are_left_to_fail_without_a_download(clean_modules):
    def fetch():
        raise AssertionError("no download for a module that is in no stdlib")

    sys.meta_path.append(stdlib_rescue.StdlibRescue({"gm_rescue_demo"}, fetch_zip=fetch))
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("gm_rescue_nowhere")


def test_a_failed_download_is_an_import_error_that_says_what_to_do(clean_modules):
    def fetch():
        raise OSError("HTTP 404")

    sys.meta_path.append(stdlib_rescue.StdlibRescue({"gm_rescue_demo"}, fetch_zip=fetch))
    with pytest.raises(ImportError, match="gm_rescue_demo 不在启动包中.*HTTP 404.*请检查网络连接"):
        importlib.import_module("gm_rescue_demo")


def test_install_keeps_a_single_rescue_last_on_the_meta_path(clean_modules):
    first = stdlib_rescue.install({"a"})
    second = stdlib_rescue.install({"b"})
    assert sys.meta_path[-1] is second and first not in sys.meta_path
