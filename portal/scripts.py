"""The page scripts' static import graphs, read at build time: what a page must preload.

Why: a module the page does not preload is requested only once its importer has been fetched and
parsed, and the whole graph (on the assessment page, the scorer's start with it) waits for that late
round trip. A hand-kept list of `<link rel="modulepreload">` forgot a new import more than once; the
templates take the list from here instead (`module_graph`), so every static import is preloaded.

Static imports only (`import … from "./x.mjs"`, `import "./x.mjs"`, `export … from "./x.mjs"`, one or
many lines): a dynamic `import("./x.mjs")` is loaded late on purpose and is not preloaded. Read as
text, comments removed first, as site_tests/js_units/imports.test.mjs reads them: page scripts touch
the DOM when imported, so nothing here runs them.
"""

from __future__ import annotations

import re
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent / "docs" / "assets" / "javascripts"

_COMMENTS = (re.compile(r"/\*.*?\*/", re.S), re.compile(r"(^|[^:\"'`\\])//.*$", re.M))
_STATIC = re.compile(
    r"""^[ \t]*(?:import[ \t]*["']\./([\w.-]+\.mjs)["']"""           # import "./x.mjs";
    r"""|(?:import|export)\s[^;"'`()]*?\sfrom\s*["']\./([\w.-]+\.mjs)["'])""",  # import/export … from "./x.mjs"
    re.M)


class ScriptError(ValueError):
    """A page script imports a file that is not there: the page would fail to load its module graph."""


def imports_of(text: str) -> list[str]:
    """The file names a module's source imports statically from its own folder, in source order."""
    for pattern in _COMMENTS:
        text = pattern.sub(lambda m: m.group(1) if m.groups() else "", text)
    return [side or named for side, named in _STATIC.findall(text)]


def module_graph(entry: str, folder: Path = SCRIPTS) -> list[str]:
    """`entry` and every module it reaches by static imports, each once, entry first then in the order
    a depth-first walk of the imports meets them (the order the browser asks for them)."""
    folder = Path(folder)
    seen: list[str] = []
    todo = [(entry, None)]
    while todo:
        name, importer = todo.pop()
        if name in seen:
            continue
        path = folder / name
        if not path.is_file():
            where = f"{importer} 导入的" if importer else "页面引用的"
            raise ScriptError(f"{where}页面脚本 {name} 不存在（应在 {folder}/ 下）：页面将无法加载其脚本。")
        seen.append(name)
        todo.extend((child, name) for child in reversed(imports_of(path.read_text("utf-8"))))
    return seen
