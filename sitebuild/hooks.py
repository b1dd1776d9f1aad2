"""mkdocs hook (registered under `hooks:` in mkdocs.yml): add the in-browser scorer's runtime and the
published data to the built site. Thin on purpose: the work is in vendor/startup/publish.

After every build the site holds:
    assets/pyodide/            the pinned Pyodide runtime files (from node_modules, npm ci)
    assets/pyodide/startup/    precompiled stdlib + memory snapshot (see startup.py), if enabled
    assets/wheels/             the scorer wheel and manifest.json naming it (pages never hard-code it)
                               and the operations the worker may call (scorer.browser.REGISTRY)
    data/                      every year's standards as JSON bundles, and index.json
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

# mkdocs loads a hook by file path, not as part of its package: make the repository importable so the
# hook uses the same `sitebuild` and `scorer` as the tests, whatever the working directory.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sitebuild import publish, startup, vendor  # noqa: E402
from sitebuild.settings import standards_dir  # noqa: E402

log = logging.getLogger("mkdocs.hooks.sitebuild")


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_post_build(config, **kwargs):
    root, site = _root(config), Path(config.site_dir)
    try:
        manifest = vendor_runtime(root, site)
        publish.publish_bundles(standards_dir(root), site)
    except vendor.VendorError as exc:
        raise PluginError(str(exc)) from exc
    log.info("scorer runtime: Pyodide %s, %s, start-up: %s", manifest["pyodide"], manifest["scorer"],
             "fast" if "startup" in manifest else "stock")


def vendor_runtime(root: Path, site: Path) -> dict:
    """Copy Pyodide, build the wheel, add the start-up artifacts, write assets/wheels/manifest.json."""
    source = vendor.pyodide_dir(root)
    runtime = site / "assets" / "pyodide"
    vendor.copy_runtime(source, runtime)
    info = vendor.pyodide_info(source)
    wheels = site / "assets" / "wheels"
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
        folder = startup.ensure(source, wheel, vendor.xlsxwriter_wheel(root), root / ".cache" / "pyodide-startup",
                                startup.warm_up_job(standards_dir(root)))
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


def on_serve(server, config, builder, **kwargs):
    """`mkdocs serve`: rebuild when the scorer changes too, so the browser never runs an old wheel."""
    server.watch(str(_root(config) / "scorer"))
    return server
