"""The fast test tier: which tests need no site build, no browser, no Node/Pyodide and no nginx/Java.

`make test-fast` (`pytest --fast`) runs only those; `make test` runs everything. Which tests are slow
is derived, not kept by hand, so a new test lands in the right tier without anyone remembering to mark
it. A test is slow when

- it carries the `browser` or `site` marker, or
- it uses, directly or through other fixtures (pytest's closure), a fixture in SLOW_FIXTURES, or
- its own function or any fixture it uses launches one of PROGRAMS: the code names the program (a
  string constant, as in `shutil.which("node")` or `["node", runner]`) or calls code of this
  repository that does, followed through helpers, classes and modules (`gates.build_site` runs
  `python -m mkdocs`, so `built_site` and every fixture or test that builds a site is slow).

The rule reads code, so it can miss a launch it cannot see (a program name built at run time). The
fast tier therefore also guards `subprocess.Popen`, which `subprocess.run` and asyncio's subprocesses
go through: a fast test that starts one of PROGRAMS anyway fails, naming the program, instead of
quietly making the tier slow.
"""

from __future__ import annotations

import importlib.util
import inspect
import os
import shlex
import subprocess
import sys
import types
from contextlib import contextmanager

PROGRAMS = frozenset({"node", "nginx", "java", "chromium", "mkdocs", "properdocs"})
SLOW_MARKERS = frozenset({"browser", "site"})
# Playwright's own fixture starts its Node driver (and, through `browser`, Chromium) from a package
# outside this repository, whose code the rule does not read.
SLOW_FIXTURES = frozenset({"playwright"})
# Code the rule follows: this repository's, wherever pytest imported it from (test modules import
# under their bare names), but not the packages installed into .venv or node_modules.
REPO = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


def slow_reason(item) -> str | None:
    """Why `item` is slow ("marker browser", "fixture built_site launches mkdocs", ...), or None."""
    marked = sorted(SLOW_MARKERS & {mark.name for mark in item.iter_markers()})
    if marked:
        return f"marker {marked[0]}"
    names = list(getattr(item, "fixturenames", ()))
    for name in names:
        if name in SLOW_FIXTURES:
            return f"fixture {name}"
    program = launches(getattr(item, "obj", None))
    if program:
        return f"launches {program}"
    definitions = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    for name in names:
        for definition in definitions.get(name, ()):
            program = launches(definition.func)
            if program:
                return f"fixture {name} launches {program}"
    return None


_verdicts: dict = {}


def launches(obj, _seen: set | None = None) -> str | None:
    """The program of PROGRAMS that `obj` (a function or class of this repository) may start, or None."""
    seen = set() if _seen is None else _seen
    if isinstance(obj, type):
        for member in vars(obj).values():
            found = launches(member, seen)
            if found:
                return found
        return None
    func = inspect.unwrap(getattr(obj, "__func__", obj)) if obj is not None else None
    code = getattr(func, "__code__", None)
    if code is None or code in seen:
        return None
    if _seen is None and code in _verdicts:
        return _verdicts[code]
    seen.add(code)
    found = _scan(code, getattr(func, "__globals__", {}), seen)
    if _seen is None:  # a verdict reached inside a cycle of calls may be partial: keep only whole ones
        _verdicts[code] = found
    return found


def _scan(code: types.CodeType, namespace: dict, seen: set) -> str | None:
    modules = [v for v in namespace.values() if isinstance(v, types.ModuleType) and _ours(v)]
    for const in code.co_consts:
        if isinstance(const, str) and const in PROGRAMS:
            return const
        if isinstance(const, (tuple, frozenset)):  # `name in ("mkdocs", "properdocs")`
            named = sorted(c for c in const if isinstance(c, str) and c in PROGRAMS)
            if named:
                return named[0]
        if isinstance(const, types.CodeType):  # nested functions, lambdas, comprehensions
            found = _scan(const, namespace, seen)
            if found:
                return found
    # `from site_tests.x import helper` inside a function names the module among co_names.
    modules += [m for m in map(_module, code.co_names) if m is not None]
    for name in code.co_names:
        for target in (namespace.get(name), *(getattr(m, name, None) for m in modules)):
            if target is not None and _ours(target):
                found = launches(target, seen)
                if found:
                    return found
    return None


def _module(name: str):
    """The module of this repository a dotted name in code refers to, imported if need be (pytest
    imports test modules under their bare names, so `site_tests.test_x` may not be loaded yet)."""
    if name in sys.modules:
        return sys.modules[name] if _ours(sys.modules[name]) else None
    if "." not in name or name.split(".")[0] not in sys.modules:
        return None
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not _ours_path(spec.origin):
        return None
    return importlib.import_module(name)


def _ours(obj) -> bool:
    """Whether a module, function or class was loaded from this repository's own files."""
    if isinstance(obj, type):
        obj = sys.modules.get(obj.__module__)
    code = getattr(inspect.unwrap(getattr(obj, "__func__", obj)), "__code__", None)
    path = code.co_filename if code is not None else getattr(obj, "__file__", None)
    return bool(path) and _ours_path(path)


def _ours_path(path: str) -> bool:
    path = os.path.realpath(path)
    return path.startswith(REPO + os.sep) and os.sep + "site-packages" + os.sep not in path


def launched(args) -> str | None:
    """The program of PROGRAMS a Popen argument list starts (`python -m mkdocs` counts), or None."""
    argv = shlex.split(args) if isinstance(args, str) else [os.fspath(a) for a in args]
    for word in argv[:3]:  # the program, or `python -m program`
        name = os.path.basename(word)
        if name in PROGRAMS:
            return name
    return None


class SlowLaunch(RuntimeError):
    """A test of the fast tier started a program the tier excludes."""


@contextmanager
def guarding(who=lambda: "a test of the fast tier"):
    """While active, starting one of PROGRAMS raises SlowLaunch naming the program and `who()`."""
    original = subprocess.Popen.__init__

    def guarded(self, args, *rest, **options):
        program = launched(args)
        if program:
            raise SlowLaunch(f"{who()} started {program} ({args!r}), which the fast tier excludes: the selection "
                             f"rule in site_tests/tiers.py missed it. Mark the test `site` or `browser`, or "
                             f"name the program where the rule can read it.")
        original(self, args, *rest, **options)

    subprocess.Popen.__init__ = guarded
    try:
        yield
    finally:
        subprocess.Popen.__init__ = original
