"""Start-up accelerators for the in-browser scorer, made at build time and cached.

A stock Pyodide start spends most of its time compiling the standard library from source. Three
artifacts, all made by booting the vendored runtime in Node (make_startup.mjs):

- `stdlib-<key>.zip`: the start-up stdlib, precompiled to .pyc by Pyodide's own CPython, trimmed
  to what the scorer and XlsxWriter reach and the snapshot does not hold imported already (120 kB of
  4.5 MB: most of a cold start over a slow link is download);
- `snapshot-<key>.bin`: a memory snapshot taken after importing the scorer and scoring a real
  assessment on each current standard (warm_up_job: the first call does a tenth of a second of
  one-time work, compiling the schemas' patterns, warming caches, parsing the bundle), valid only
  with that exact Pyodide build and that stdlib zip. 31 MB,
  60 % zero pages: stored as its non-zero pages (sparse_encode, layout "gmss/1", read by
  docs/assets/javascripts/snapshot-pages.mjs), gzipped;
- `stdlib-full-<key>.zip`: the whole precompiled stdlib, fetched only by scorer.stdlib_rescue when
  an import misses the start-up zip, and used by the diagnostic `mode=stdlib` start.

All are derived, never committed: the cache key covers the Pyodide version and build id, its
stdlib, both wheels, the warm-up job and the generator itself, so any change there regenerates them
and an unchanged build reuses them. The worker checks the snapshot's build id and falls back to a plain
start if anything does not fit. SCORER_STARTUP=stock skips them (the site then starts plainly).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

from .vendor import VendorError, pyodide_info, sha256_file

HERE = Path(__file__).resolve().parent
GENERATOR = ("make_startup.mjs", "pyc_stdlib.py")
KEEP = 3  # cache entries kept: switching branches back and forth should not regenerate
STDLIB_DIR = "stdlib"  # precompiled stdlib zips, by stdlib_key, shared by the snapshots
NODE_TIMEOUT = 300
LAYOUT = "gmss/1"  # the snapshot file's layout (sparse_encode): in the cache key and the manifest


def enabled() -> bool:
    return os.environ.get("SCORER_STARTUP", "fast") != "stock"


def _key(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()[:16]


def stdlib_key(pyodide_src: Path) -> str:
    """The precompiled stdlib depends on the runtime alone: a scorer change must not recompile it (8 s)."""
    info = pyodide_info(pyodide_src)
    return _key(info["version"], info["build_id"] or "", sha256_file(Path(pyodide_src) / "python_stdlib.zip"),
                *(sha256_file(HERE / name) for name in GENERATOR))


def cache_key(pyodide_src: Path, wheel: Path, xlsxwriter: Path, warm_up: bytes = b"") -> str:
    """The snapshot depends on the runtime, its stdlib zip, the wheel it imported and the job it ran;
    the start-up zip also on what XlsxWriter imports."""
    return _key(stdlib_key(pyodide_src), sha256_file(wheel), sha256_file(xlsxwriter),
                hashlib.sha256(warm_up).hexdigest(), LAYOUT)


def warm_up_job(tree) -> bytes:
    """What the snapshot scores before it is taken, as a JSON list of {"bundle", "assessment"} (both
    JSON text, as the worker receives them): for each of the current year's standards, one occurrence
    of its first deduction. The one-time costs of a first score are paid at build time, and each
    bundle is the exact text the site publishes, so the scorer's parse cache (browser._bundle) already
    holds what the assessment pages fetch: their first score skips parsing and checking it."""
    from scorer import assessment

    from .publish import published_text

    year = tree.current or list(tree.years.values())[-1]  # the tree the build's pages read
    jobs = []
    for standard_id in year.standards:
        bundle = year.bundle(standard_id)
        answer = assessment.empty(bundle, "预热")
        first = bundle.standard.areas[0].indicators[0].deductions[0].id
        answer["items"] = {first: [{"date": f"{year.year}-03-01", "count": 1}]}
        jobs.append({"bundle": published_text(bundle.to_json()), "assessment": json.dumps(answer, ensure_ascii=False)})
    return json.dumps(jobs, ensure_ascii=False, sort_keys=True).encode("utf-8")


def ensure(pyodide_src: Path, wheel: Path, xlsxwriter: Path, cache_root: Path, warm_up: bytes = b"") -> Path:
    """The cache folder holding stdlib.zip, stdlib-full.zip, snapshot.bin.gz and meta.json.

    `warm_up`: a job from warm_up_job(), or nothing (tests that do not need it): the snapshot then
    holds the scorer imported but never run."""
    key = cache_key(pyodide_src, wheel, xlsxwriter, warm_up)
    cache_root = Path(cache_root)
    folder = cache_root / key
    if (folder / "meta.json").is_file():
        return folder
    cache_root.mkdir(parents=True, exist_ok=True)
    stdlib = cache_root / STDLIB_DIR / f"{stdlib_key(pyodide_src)}.zip"
    scratch = Path(tempfile.mkdtemp(prefix=".tmp-", dir=cache_root))
    try:
        meta = _generate(Path(pyodide_src), Path(wheel), Path(xlsxwriter), scratch,
                         stdlib if stdlib.is_file() else None, warm_up)
        if not stdlib.is_file():
            stdlib.parent.mkdir(exist_ok=True)
            partial = stdlib.with_suffix(f".{os.getpid()}.tmp")
            shutil.copyfile(scratch / "stdlib-full.zip", partial)
            os.replace(partial, stdlib)
        meta.update(key=key, pyodide=pyodide_info(pyodide_src), scorer_sha256=sha256_file(wheel))
        (scratch / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        try:
            os.replace(scratch, folder)  # atomic: a concurrent build sees all of it or none
        except OSError:
            if not (folder / "meta.json").is_file():  # lost a race to an identical build: fine
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    _prune(cache_root, keep=folder)
    return folder


def _generate(pyodide_src: Path, wheel: Path, xlsxwriter: Path, out: Path, stdlib: Path | None,
              warm_up: bytes) -> dict:
    node = shutil.which("node")
    if node is None:
        raise VendorError("找不到 node：生成评分程序的快速启动文件需要 Node.js（或设置 SCORER_STARTUP=stock 跳过）。")
    job = out / "warm-up.json"
    job.write_bytes(warm_up or b"[]")
    command = [node, str(HERE / "make_startup.mjs"), str(pyodide_src), str(wheel), str(xlsxwriter), str(out),
               sha256_file(wheel), str(job)]
    if stdlib is not None:
        command.append(str(stdlib))
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=NODE_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise VendorError(f"生成快速启动文件超时（{NODE_TIMEOUT} 秒）：{' '.join(command)}")
    if result.returncode != 0:
        raise VendorError(f"生成快速启动文件失败（{' '.join(command)}）：\n{_tail(result.stderr)}")
    facts = json.loads(result.stdout.strip().splitlines()[-1])
    raw = (out / "snapshot.bin").read_bytes()
    # mtime=0: the same snapshot gives the same file. Level 6: level 9 is 1 % smaller and 4x slower.
    (out / "snapshot.bin.gz").write_bytes(gzip.compress(sparse_encode(raw), compresslevel=6, mtime=0))
    (out / "snapshot.bin").unlink()
    job.unlink()
    return facts


SPARSE_MAGIC, SPARSE_VERSION, PAGE = b"GMSS", 1, 4096  # LAYOUT (top of the module) names this
SPARSE_HEADER = struct.Struct("<4sIII")  # magic, version, page size, raw size


def sparse_encode(raw: bytes, page: int = PAGE) -> bytes:
    """The snapshot as header + bitmap of its non-zero pages + those pages (see snapshot-pages.mjs)."""
    count = -(-len(raw) // page)
    bitmap = bytearray(-(-count // 8))
    kept = []
    for index in range(count):
        chunk = raw[index * page:(index + 1) * page]
        if chunk.count(0) != len(chunk):
            bitmap[index >> 3] |= 1 << (index & 7)
            kept.append(chunk)
    return SPARSE_HEADER.pack(SPARSE_MAGIC, SPARSE_VERSION, page, len(raw)) + bytes(bitmap) + b"".join(kept)


def sparse_decode(data: bytes) -> bytes:
    """The raw snapshot back from sparse_encode's output (tests tamper with the raw image)."""
    magic, version, page, size = SPARSE_HEADER.unpack_from(data)
    if magic != SPARSE_MAGIC or version != SPARSE_VERSION:
        raise ValueError("not a GMSS 1 snapshot file")
    count = -(-size // page)
    at = SPARSE_HEADER.size + -(-count // 8)
    raw = bytearray(size)
    for index in range(count):
        if data[SPARSE_HEADER.size + (index >> 3)] & (1 << (index & 7)):
            length = min(page, size - index * page)
            if at + length > len(data):
                raise ValueError("snapshot file truncated")
            raw[index * page:index * page + length] = data[at:at + length]
            at += length
    if at != len(data):
        raise ValueError("snapshot file longer than its page map says")
    return bytes(raw)


def _tail(text: str, lines: int = 30) -> str:
    """Node prints the offending line of minified Pyodide (a megabyte) with a trace: keep it short."""
    kept = [line if len(line) <= 300 else line[:300] + " …" for line in text.splitlines()]
    return "\n".join(kept[-lines:])


def _prune(cache_root: Path, keep: Path) -> None:
    newest_first = lambda paths: sorted(paths, key=lambda p: p.stat().st_mtime, reverse=True)  # noqa: E731
    entries = newest_first(p for p in cache_root.iterdir()
                           if p.is_dir() and not p.name.startswith(".") and p.name != STDLIB_DIR)
    for old in entries[KEEP:]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
    for old in newest_first((cache_root / STDLIB_DIR).glob("*.zip"))[KEEP:]:
        old.unlink(missing_ok=True)


def install(folder: Path, dest: Path) -> dict:
    """Copy the artifacts under content-keyed names into `dest`; return the manifest's `startup` entry.

    Keyed names mean a browser never pairs a cached old snapshot with a new stdlib: every
    combination has its own URLs.
    """
    meta = json.loads((Path(folder) / "meta.json").read_text("utf-8"))
    key = meta["key"]
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    stdlib, snapshot = dest / f"stdlib-{key}.zip", dest / f"snapshot-{key}.bin"
    full = dest / f"stdlib-full-{key}.zip"
    shutil.copyfile(Path(folder) / "stdlib.zip", stdlib)
    shutil.copyfile(Path(folder) / "stdlib-full.zip", full)
    shutil.copyfile(Path(folder) / "snapshot.bin.gz", snapshot)
    return {
        "key": key,
        # Pyodide fetches the stdlib zip itself (stdLibURL), with no integrity option: sizes only.
        "stdlib": {"file": stdlib.name, "bytes": stdlib.stat().st_size,
                   "modules": meta["startup_zip"]["kept"]},
        "stdlib_full": {"file": full.name, "bytes": full.stat().st_size,
                        "sha256": sha256_file(full)},
        "snapshot": {
            # No "integrity": the worker streams it (see fetchSnapshot in scorer-worker.mjs).
            "file": snapshot.name, "bytes": snapshot.stat().st_size,
            "encoding": "gzip", "layout": LAYOUT, "raw_bytes": meta["snapshot_bytes"],
            "build_id": meta["pyodide"]["build_id"], "scorer_sha256": meta["scorer_sha256"],
        },
    }
