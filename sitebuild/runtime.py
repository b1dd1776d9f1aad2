"""The in-browser scorer's runtime in the built site: what the pages' worker loads.

After `vendor_runtime` and `vendor_xlsxwriter` the site holds:
    assets/pyodide/            the pinned Pyodide runtime files (from node_modules, npm ci)
    assets/pyodide/startup/    precompiled stdlib + memory snapshot (see startup.py), if enabled
    assets/wheels/             the scorer wheel, XlsxWriter's wheel (the .xlsx export), and
                               manifest.json naming them (pages never hard-code a file name) and the
                               operations the worker may call (scorer.browser.REGISTRY)

The work is in vendor/startup; these functions only put it together. XlsxWriter's wheel is never
committed: `make setup` downloads it with pip into .cache/wheels/ at the version pinned in
requirements.txt, and the build copies that file.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from . import startup, vendor


def vendor_runtime(root: Path, site: Path, tree) -> dict:
    """Copy Pyodide, build the wheel, add the start-up artifacts, write assets/wheels/manifest.json.
    `tree` (the standards the build reads) is what the start-up snapshot is warmed up with."""
    source = vendor.pyodide_dir(root)
    runtime = Path(site) / "assets" / "pyodide"
    vendor.copy_runtime(source, runtime)
    info = vendor.pyodide_info(source)
    wheels = Path(site) / "assets" / "wheels"
    wheel = vendor.build_wheel(root, wheels)
    manifest = {
        "scorer": wheel.name,
        "pyodide": info["version"],
        "scorer_sha256": vendor.sha256_file(wheel),
        "scorer_bytes": wheel.stat().st_size,
        "scorer_integrity": vendor.integrity(wheel),
        "pyodide_build_id": info["build_id"],
        # The worker's allow-list, name -> argument count: declared once, in scorer.browser.REGISTRY.
        "operations": operations_of(wheel),
    }
    if startup.enabled():
        folder = startup.ensure(source, wheel, vendor.xlsxwriter_wheel(root), Path(root) / ".cache" / "pyodide-startup",
                                startup.warm_up_job(tree))
        entry = startup.install(folder, runtime / "startup")
        for part in ("stdlib", "stdlib_full", "snapshot"):
            entry[part]["path"] = "../pyodide/startup/" + entry[part]["file"]
        manifest["startup"] = entry
    vendor.write_json(wheels / "manifest.json", manifest)
    return manifest


def operations_of(wheel: Path) -> dict:
    """The wheel's own `scorer.browser.registry()`, asked of a fresh interpreter that imports only the
    wheel: the manifest must describe the wheel it names, and under `mkdocs serve` this process keeps
    the `scorer` it imported at the first build, however the sources change after."""
    code = "import json, sys; sys.path.insert(0, sys.argv[1]); from scorer import browser; print(json.dumps(browser.registry()))"
    result = subprocess.run([sys.executable, "-I", "-c", code, str(wheel)], capture_output=True, text=True)
    try:
        operations = json.loads(result.stdout) if result.returncode == 0 else None
    except ValueError:
        operations = None
    if not isinstance(operations, dict) or not operations:
        raise vendor.VendorError(f"无法从评分程序包 {wheel} 读取操作列表（scorer.browser.registry）：\n{result.stderr[-2000:]}")
    return operations


def vendor_xlsxwriter(site: Path, root: Path) -> dict:
    """Copy XlsxWriter's wheel next to the scorer's and name it in manifest.json (which vendor_runtime
    wrote: this step comes after it, sitebuild/build.py)."""
    wheel = vendor.xlsxwriter_wheel(root)
    wheels = Path(site) / "assets" / "wheels"
    manifest_path = wheels / "manifest.json"
    if not manifest_path.is_file():
        raise vendor.VendorError("assets/wheels/manifest.json 不存在：评分程序运行时（runtime）须在 XlsxWriter 之前写入"
                                 "（见 sitebuild/build.py 的 STEPS 顺序）。")
    target = wheels / wheel.name.lower()
    shutil.copyfile(wheel, target)
    entry = {
        "file": target.name,
        "version": vendor.xlsxwriter_version(root),
        "sha256": vendor.sha256_file(target),
        "bytes": target.stat().st_size,
        "integrity": vendor.integrity(target),
    }
    manifest = json.loads(manifest_path.read_text("utf-8"))
    manifest["xlsxwriter"] = entry
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return entry
