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
