"""The build's vendoring of the browser runtime, without running mkdocs: what a broken setup looks
like to the person building, and what the site is guaranteed to contain."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from scorer import browser, tree
from sitebuild import publish, runtime, startup, vendor

ROOT = Path(__file__).resolve().parent.parent


def test_missing_runtime_files_fail_the_build_with_the_fix(tmp_path):
    source = tmp_path / "node_modules" / "pyodide"
    source.mkdir(parents=True)
    (source / "pyodide.mjs").write_text("// only one of the five")
    with pytest.raises(vendor.VendorError) as caught:
        vendor.copy_runtime(source, tmp_path / "out")
    message = str(caught.value)
    assert "npm ci" in message
    assert all(name in message for name in vendor.RUNTIME_FILES if name != "pyodide.mjs")
    assert not (tmp_path / "out").exists()


def test_runtime_copy_is_exactly_the_listed_files(tmp_path):
    source = vendor.pyodide_dir(ROOT)
    if not (source / "pyodide.mjs").is_file():
        pytest.skip("node_modules/pyodide missing: run make setup")
    copied = vendor.copy_runtime(source, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(vendor.RUNTIME_FILES)
    assert [p.name for p in copied] == list(vendor.RUNTIME_FILES)
    info = vendor.pyodide_info(source)
    assert info["version"] == json.loads((ROOT / "package.json").read_text())["dependencies"]["pyodide"]
    assert len(info["build_id"]) == 64


def test_the_wheel_is_pure_complete_and_reproducible(tmp_path):
    first = vendor.build_wheel(ROOT, tmp_path / "a")
    second = vendor.build_wheel(ROOT, tmp_path / "b")
    assert first.name.endswith("-py3-none-any.whl")
    assert vendor.sha256_file(first) == vendor.sha256_file(second)  # a cache key, not a timestamp
    names = zipfile.ZipFile(first).namelist()
    assert "scorer/browser.py" in names and "scorer/schemas/assessment.schema.json" in names
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
    assert vendor.integrity(first).startswith("sha256-")


def test_startup_cache_key_follows_both_wheels(tmp_path):
    source = vendor.pyodide_dir(ROOT)
    if not (source / "pyodide.mjs").is_file():
        pytest.skip("node_modules/pyodide missing: run make setup")
    a, b = tmp_path / "a.whl", tmp_path / "b.whl"
    a.write_bytes(b"one")
    b.write_bytes(b"two")
    assert startup.cache_key(source, a, b) == startup.cache_key(source, a, b)
    assert startup.cache_key(source, a, b) != startup.cache_key(source, b, b)  # the scorer: the snapshot imports it
    assert startup.cache_key(source, a, b) != startup.cache_key(source, a, a)  # XlsxWriter: the start-up zip serves it


def test_every_standard_is_published_with_an_index(tmp_path):
    loaded = tree.load(str(ROOT / "standards"))
    index = publish.publish_bundles(loaded, tmp_path)
    assert index == json.loads((tmp_path / "data" / "index.json").read_text("utf-8"))
    assert index["current"] == loaded.current.year
    for year in index["years"]:
        for entry in year["standards"]:
            text = (tmp_path / "data" / entry["path"]).read_text("utf-8")
            assert "\\u" not in text  # Chinese stays readable
            bundle = json.loads(text)
            assert bundle == json.loads(json.dumps(loaded.year(year["year"]).bundle(entry["id"]).to_json()))
            assert bundle["hash"] == entry["hash"]


def test_the_snapshot_warm_up_jobs_are_real_assessments_on_the_published_bundles(built_site):
    loaded = tree.load(str(ROOT / "standards"))
    jobs = json.loads(startup.warm_up_job(loaded))
    index = json.loads((built_site / "data" / "index.json").read_text("utf-8"))
    current = next(y for y in index["years"] if y["year"] == index["current"])
    # byte for byte what the pages fetch: the snapshot's parse cache then answers their first score
    assert [job["bundle"] for job in jobs] == [
        (built_site / "data" / entry["path"]).read_text("utf-8") for entry in current["standards"]]
    for job in jobs:
        for op in ("score", "check"):
            assert json.loads(getattr(browser, op)(job["bundle"], job["assessment"]))["ok"] is True
        answer = json.loads(job["assessment"])
        assert sum(len(v) for v in answer["items"].values()) == 1  # exercises a deduction, not just an empty form
    assert startup.warm_up_job(loaded) == startup.warm_up_job(tree.load(str(ROOT / "standards")))  # a stable cache key


def test_the_manifest_carries_the_scorer_s_own_operations(built_site):
    """The worker's allow-list is the one in scorer.browser, as built into the site: same names, same
    order (what `version()` lists), same argument counts."""
    manifest = json.loads((built_site / "assets" / "wheels" / "manifest.json").read_text("utf-8"))
    assert manifest["operations"] == browser.registry()
    assert list(manifest["operations"]) == list(browser.OPERATIONS)


def _wheel_with(tmp_path, browser_source: str) -> Path:
    wheel = tmp_path / "guangming_scorer-0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("scorer/__init__.py", "")
        archive.writestr("scorer/browser.py", browser_source)
    return wheel


def test_the_operations_are_read_from_the_wheel_not_the_building_process(tmp_path):
    """Under `mkdocs serve` the build process keeps the scorer it first imported: the manifest must
    still name what the wheel it ships declares."""
    wheel = _wheel_with(tmp_path, "def registry():\n    return {'only': 1}\n")
    assert runtime.operations_of(wheel) == {"only": 1} != browser.registry()


@pytest.mark.parametrize("source", ["raise ImportError('broken')\n", "def registry():\n    return {}\n"], ids=["broken", "empty"])
def test_a_wheel_without_operations_fails_the_build_naming_it(tmp_path, source):
    wheel = _wheel_with(tmp_path, source)
    with pytest.raises(vendor.VendorError, match="无法从评分程序包 .*guangming_scorer-0-py3-none-any.whl 读取操作列表"):
        runtime.operations_of(wheel)


@pytest.mark.parametrize("raw", [
    b"", bytes(4096), b"\x01" * 4096, bytes(10000) + b"end", b"start" + bytes(8192) + b"\x02" * 100,
], ids=["empty", "one zero page", "one full page", "short last page", "zeros between"])
def test_the_snapshot_page_layout_round_trips_and_drops_zero_pages(raw):
    encoded = startup.sparse_encode(raw)
    assert startup.sparse_decode(encoded) == raw
    nonzero_pages = sum(1 for i in range(0, len(raw), 4096) if raw[i:i + 4096].count(0) != len(raw[i:i + 4096]))
    header_and_map = 16 + -(-(-(-len(raw) // 4096)) // 8)
    assert len(encoded) <= header_and_map + nonzero_pages * 4096


def test_a_damaged_page_file_is_refused():
    encoded = startup.sparse_encode(b"\x05" * 5000)
    with pytest.raises(ValueError, match="GMSS"):
        startup.sparse_decode(b"XXXX" + encoded[4:])
    with pytest.raises(ValueError, match="longer"):
        startup.sparse_decode(encoded + b"tail")
    with pytest.raises(ValueError, match="truncated"):
        startup.sparse_decode(encoded[:-10])
