"""The import of last resort for the in-browser scorer's trimmed standard library (Pyodide only).

Why: the fast start boots from a memory snapshot plus a start-up stdlib zip that holds only the
modules the scorer and XlsxWriter can reach and the snapshot does not hold imported already
(sitebuild/pyc_stdlib.py), 120 kB of the full 4.5 MB. The build finds those modules by importing
everything and reading every `import` in the scorer's code; a stdlib module imported only from C or
behind an unusual branch could still be left out. Rather than fail such an operation, this finder,
installed at the end of `sys.meta_path` before the snapshot is taken, fetches the full precompiled
stdlib the site also ships (once, checked against the manifest's sha256) and imports from it. It answers only for names that are in the full zip and
not in the start-up one, so an optional import that fails anyway (`js`, Windows modules) never
costs a download. Every rescued name is kept in `rescued` and logged to the console: the browser
tests fail if any operation needs the rescue, since that means the start-up zip should grow.
"""

from __future__ import annotations

import hashlib
import sys
import zipimport
from urllib.parse import urljoin

from . import sitefiles

TARGET = "/lib/python-stdlib-full.zip"  # where the fetched zip is written in Pyodide's file system


class StdlibRescue:
    """A meta path finder for the modules `missing` from the start-up zip."""

    def __init__(self, missing, fetch_zip=None):
        self.missing = frozenset(missing)
        self.fetch_zip = fetch_zip or fetch_full_zip  # -> path of the full zip in the file system
        self.path = None
        self.rescued = []

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in self.missing:
            return None
        if self.path is None:
            try:
                self.path = self.fetch_zip()
            except (OSError, ValueError, KeyError, AttributeError, ImportError) as exc:  # AttributeError: no js.location
                raise ImportError(f"标准库模块 {fullname} 不在启动包中，且无法获取完整标准库（{exc}）。"
                                  "请检查网络连接后刷新页面。", name=fullname) from None
        self.rescued.append(fullname)
        _log(f"[scorer] 标准库模块 {fullname} 取自完整标准库（stdlib module not in the start-up zip）")
        package = fullname.rpartition(".")[0]
        prefix = self.path + ("/" + package.replace(".", "/") + "/" if package else "")
        return zipimport.zipimporter(prefix).find_spec(fullname)


def fetch_full_zip() -> str:
    """Fetch the full stdlib named under manifest["startup"]["stdlib_full"], check it, store it."""
    manifest, manifest_url = sitefiles.manifest()
    entry = manifest["startup"]["stdlib_full"]
    data = sitefiles.fetch(urljoin(manifest_url, entry["path"]))
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        raise ValueError(f"{entry['path']} 与清单不符（文件可能不完整或已过期）")
    with open(TARGET, "wb") as handle:
        handle.write(data)
    return TARGET


def install(missing) -> StdlibRescue:
    """Put a rescue finder for `missing` last on sys.meta_path (once) and return it."""
    for finder in sys.meta_path:
        if isinstance(finder, StdlibRescue):
            sys.meta_path.remove(finder)
    rescue = StdlibRescue(missing)
    sys.meta_path.append(rescue)
    return rescue


def _log(message: str) -> None:
    # Pyodide is told by the platform, not by `import js` succeeding: under pytest the test folder
    # site_tests/js (the page scripts' Node tests) is importable as a namespace package named js.
    if sys.platform != "emscripten":  # CPython (tests)
        print(message, file=sys.stderr)
        return
    import js

    js.console.warn(message)
