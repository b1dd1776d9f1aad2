"""Vendoring the browser runtime: Pyodide from node_modules and the scorer as a wheel.

The list of runtime files is explicit so a Pyodide upgrade that renames one (0.2x shipped
`pyodide.asm.js`) fails the build instead of publishing a site whose scorer never starts.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .errors import BuildError

RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
# Any fixed date: zip entries carry it, and a wheel that depends only on its sources can key caches.
SOURCE_DATE_EPOCH = "315532800"  # 1980-01-01, the earliest date a zip can hold
_BUILD_ID = re.compile(r'BUILD_ID:"([0-9a-f]{64})"')


class VendorError(BuildError):
    """Something the build needs is missing or broken; the message says how to fix it."""


def pyodide_dir(root: Path) -> Path:
    return Path(root) / "node_modules" / "pyodide"


def pyodide_info(src: Path) -> dict:
    """Version and build id of the installed runtime: memory snapshots are valid for exactly one build."""
    src = Path(src)
    try:
        version = json.loads((src / "package.json").read_text("utf-8"))["version"]
        found = _BUILD_ID.search((src / "pyodide.mjs").read_text("utf-8"))
    except (OSError, ValueError, KeyError) as exc:
        raise VendorError(f"无法读取 Pyodide 的版本信息（{src}）：{exc}。请先运行 npm ci（或 make setup）。") from exc
    return {"version": version, "build_id": found.group(1) if found else None}


def copy_runtime(src: Path, dest: Path) -> list[Path]:
    """Copy exactly RUNTIME_FILES from `src` to `dest`; raise VendorError naming every missing one."""
    src, dest = Path(src), Path(dest)
    missing = [name for name in RUNTIME_FILES if not (src / name).is_file()]
    if missing:
        raise VendorError(
            f"缺少 Pyodide 运行时文件 {', '.join(missing)}（应在 {src}/ 下）。"
            "请在仓库根目录运行 npm ci --no-audit --no-fund（或 make setup）安装锁定版本的 Pyodide 后重新构建。"
        )
    dest.mkdir(parents=True, exist_ok=True)
    copied = []
    for name in RUNTIME_FILES:
        shutil.copyfile(src / name, dest / name)
        copied.append(dest / name)
    return copied


def build_wheel(root: Path, outdir: Path) -> Path:
    """A py3-none-any wheel of `scorer/` by a standard PEP 517 build; returns its path.

    Built from a scratch copy of the sources, so setuptools' build/ and egg-info never land in the
    work tree and a module deleted from scorer/ cannot survive in a stale build/lib. With a fixed
    SOURCE_DATE_EPOCH the same sources give the same bytes, so the wheel's hash can key caches.
    """
    root, outdir = Path(root), Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gm-wheel-") as scratch:
        src = Path(scratch) / "src"
        src.mkdir()
        for name in ("pyproject.toml", "README.md"):
            if (root / name).is_file():
                shutil.copyfile(root / name, src / name)
        shutil.copytree(root / "scorer", src / "scorer", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        built = Path(scratch) / "dist"
        env = dict(os.environ, SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH)
        result = subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(built), str(src)],
            cwd=src, env=env, capture_output=True, text=True,
        )
        wheels = sorted(built.glob("*-py3-none-any.whl"))
        if result.returncode != 0 or len(wheels) != 1:
            raise VendorError(f"评分程序包（wheel）构建失败：\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
        for old in outdir.glob("*.whl"):
            old.unlink()
        return Path(shutil.copy2(wheels[0], outdir / wheels[0].name))


XLSXWRITER_PIN = re.compile(r"^XlsxWriter==([0-9][0-9A-Za-z.]*)\s*$", re.MULTILINE | re.IGNORECASE)


def xlsxwriter_version(root: Path) -> str:
    """The XlsxWriter version pinned in requirements.txt: the CLI's and the browser's must be one."""
    found = XLSXWRITER_PIN.search((Path(root) / "requirements.txt").read_text("utf-8"))
    if not found:
        raise VendorError("requirements.txt 中没有固定 XlsxWriter 的版本（应有一行 XlsxWriter==X.Y.Z）。")
    return found.group(1)


def xlsxwriter_wheel(root: Path) -> Path:
    """The PyPI wheel in .cache/wheels/ for the pinned version (never committed: `make setup` downloads it)."""
    version = xlsxwriter_version(root)
    name = f"xlsxwriter-{version}-py3-none-any.whl"
    for candidate in sorted((Path(root) / ".cache" / "wheels").glob("*.whl")):
        if candidate.name.lower() == name:
            return candidate
    raise VendorError(
        f"缺少 XlsxWriter {version} 的 wheel（应在 .cache/wheels/{name}）。请运行 make setup，或："
        f".venv/bin/python -m pip download --no-deps --only-binary=:all: XlsxWriter=={version} -d .cache/wheels"
    )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_json(path: Path, value) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def integrity(path: Path) -> str:
    """Subresource Integrity value (sha256-<base64>): the worker fetches with it, so a truncated or
    stale file from a cache or proxy is refused instead of loaded."""
    return "sha256-" + base64.b64encode(bytes.fromhex(sha256_file(path))).decode("ascii")
