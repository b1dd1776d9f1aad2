"""Runs inside Pyodide (in Node, at build time): the standard library zip, precompiled to .pyc.

Why: ~70 % of a stock Pyodide start is CPython compiling ~190 stdlib modules from source. Compiled
here by Pyodide's own CPython, the bytecode has exactly the magic number the browser's interpreter
expects. Unchecked hash-based pycs (PEP 552) without their sources: zipimport then loads them as
they are, and the zip is the same bytes for the same runtime, so it can be cached by hash.
"""

import importlib._bootstrap_external as bootstrap
import importlib.util
import sys
import zipfile

FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def source_zip() -> str:
    """The stdlib zip on sys.path (/lib/python3XY.zip): its name follows the Python version."""
    return next(p for p in sys.path if p.endswith(".zip"))


def compile_zip(dest: str) -> dict:
    """Write `dest`: every .py of the stdlib zip as a .pyc, everything else copied; return counts."""
    src_path = source_zip()
    counts = {"compiled": 0, "kept_source": 0, "other": 0}
    with zipfile.ZipFile(src_path) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in src.infolist():
            data = src.read(info)
            name = info.filename
            if name.endswith(".py"):
                try:
                    # The file name zipimport would give the source, so tracebacks read the same.
                    code = compile(data, f"{src_path}/{name}", "exec", dont_inherit=True)
                except SyntaxError:
                    counts["kept_source"] += 1
                else:
                    data = bytes(bootstrap._code_to_hash_pyc(code, importlib.util.source_hash(data), False))
                    name += "c"
                    counts["compiled"] += 1
            else:
                counts["other"] += 1
            out.writestr(zipfile.ZipInfo(name, FIXED_DATE), data, zipfile.ZIP_DEFLATED)
    return counts


# ---- the start-up zip: only what the scorer can reach ----
#
# With a memory snapshot, the 190-odd modules Pyodide imports at boot are already in memory: only the
# few imported after the snapshot need a file. Shipping the whole precompiled stdlib (4.5 MB) for them
# is most of a cold start over a slow link. The snapshot is made from a start-up zip of the boot
# modules and every module the scorer and XlsxWriter can import (their own function-level imports
# included; startup_zip); the zip shipped beside it drops what the snapshot holds imported
# (shipped_zip), and the snapshot's zipimport directory cache is emptied so the restored interpreter
# reads the directory of the zip it gets. stdlib_rescue.py fetches the full zip on the rare import
# both miss.


def zip_modules(path: str) -> dict:
    """Module name -> zip entry name of every .pyc in a precompiled stdlib zip."""
    modules = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith(".pyc"):
                module = name[: -len(".pyc")].replace("/", ".")
                modules[module.removesuffix(".__init__")] = name
    return modules


def imported_names(code, module: str, is_package: bool) -> set:
    """Every module an `import` statement anywhere in `code` (functions included) may load.

    `from a import b` yields `a` and `a.b` (b may be a submodule); relative imports are resolved
    against `module`; each dotted name brings its parents.
    """
    import dis

    found = set()
    stack = [code]
    while stack:
        current = stack.pop()
        instructions = list(dis.get_instructions(current))
        for index, instruction in enumerate(instructions):
            if instruction.opname != "IMPORT_NAME" or index < 2:
                continue
            level, fromlist = instructions[index - 2].argval, instructions[index - 1].argval
            name = instruction.argval
            if isinstance(level, int) and level > 0:
                base = module if is_package else module.rpartition(".")[0]
                for _ in range(level - 1):
                    base = base.rpartition(".")[0]
                name = f"{base}.{name}" if name else base
            found.add(name)
            if isinstance(fromlist, tuple):
                found.update(f"{name}.{item}" for item in fromlist if item != "*")
        stack.extend(const for const in current.co_consts if hasattr(const, "co_code"))
    return with_parents(found)


def with_parents(names) -> set:
    """The dotted names and every package above them: importing a.b.c imports a and a.b first."""
    out = set()
    for name in names:
        parts = name.split(".")
        out.update(".".join(parts[:end]) for end in range(1, len(parts) + 1))
    return out


def reachable(packages: list, site_packages: str) -> None:
    """Import every module of `packages`, every module their code names anywhere, and every module
    named anywhere in the stdlib modules that brought in (one level: the full closure would drag in
    pyrepl, multiprocessing and unittest). Module-level imports follow transitively; sys.modules holds
    the result. What a function of the stdlib imports two levels down is the rescue's business."""
    import os

    names = set()
    for package in packages:
        root = os.path.join(site_packages, package)
        for folder, _dirs, files in os.walk(root):
            for file in files:
                if not file.endswith(".py"):
                    continue
                path = os.path.join(folder, file)
                module = os.path.relpath(path, site_packages)[: -len(".py")].replace(os.sep, ".")
                is_package = module.endswith(".__init__")
                module = module.removesuffix(".__init__")
                if module.endswith("__main__"):  # importing it would run the command line
                    continue
                with open(path, encoding="utf-8") as handle:
                    code = compile(handle.read(), path, "exec", dont_inherit=True)
                names.add(module)
                names.update(imported_names(code, module, is_package))
    before = set(sys.modules)
    _import_all(names)
    named = set()
    for name in sorted(set(sys.modules) - before):
        module = sys.modules[name]
        loader = getattr(getattr(module, "__spec__", None), "loader", None)
        if loader is None or type(loader).__name__ != "zipimporter":
            continue
        code = loader.get_code(name)
        if code is not None:
            named.update(imported_names(code, name, hasattr(module, "__path__")))
    _import_all(named)


def _import_all(names) -> None:
    import importlib

    for name in sorted(names):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - optional imports (js, yaml, Windows-only modules) are expected to fail
            continue


def trim_zip(full: str, dest: str, keep: set) -> dict:
    """Write `dest`: the entries of `full` for the modules in `keep` (and their parent packages)."""
    modules = zip_modules(full)
    entries = {modules[name] for name in with_parents(keep) if name in modules}
    with zipfile.ZipFile(full) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in src.infolist():
            if info.filename in entries:
                out.writestr(zipfile.ZipInfo(info.filename, FIXED_DATE), src.read(info), zipfile.ZIP_DEFLATED)
    kept = sorted(name for name in modules if modules[name] in entries)
    return {"kept": len(kept), "of": len(modules), "missing": sorted(set(modules) - set(kept))}


def shipped_zip(startup: str, dest: str, imported) -> dict:
    """Write `dest`: the start-up zip without the modules the snapshot holds imported already, 94 %
    of its bytes, which nothing imports again; what is left is what the page imports later
    (XlsxWriter's and the office exports' needs). Returns counts and the names left out (the rescue
    answers for them should one ever be imported afresh)."""
    modules = zip_modules(startup)
    result = trim_zip(startup, dest, set(modules) - set(imported))
    return {"kept": result["kept"], "of": result["of"], "dropped": result["missing"]}


def startup_zip(full: str, dest: str, packages: list, site_packages: str, booted: list) -> dict:
    """The start-up zip: the modules `booted` (imported by Pyodide's boot, installing the wheels and
    the real paths the build exercises, listed before this file ran) plus everything `packages` can
    reach. Returns counts and the names left out."""
    import sys

    before = set(sys.modules)
    reachable(packages, site_packages)  # imports them: sys.modules grows by all they pull in
    return trim_zip(full, dest, set(booted) | (set(sys.modules) - before))
