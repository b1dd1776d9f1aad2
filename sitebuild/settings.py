"""Where the build reads its data from.

`standards/` by default; the environment variable PORTAL_STANDARDS points the whole build (pages,
macros, published JSON) at another tree, which is how the tests build the multi-year fixture into a
site without shipping invented revisions in `standards/`.
"""

from __future__ import annotations

import os
from pathlib import Path

from scorer import tree as tree_module

ENV = "PORTAL_STANDARDS"


def standards_dir(project_dir) -> Path:
    return Path(project_dir) / os.environ.get(ENV, "standards")


_loaded: dict = {}


def load_tree(root) -> "tree_module.Tree":
    """The standards tree under `root`, read once per build rather than by every hook and macro.

    Cached by the folder's files and their modification times, so `mkdocs serve` still sees edits.
    """
    root = Path(root)
    signature = tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size)
                             for p in root.rglob("*") if p.is_file()))
    key = str(root.resolve())
    if key not in _loaded or _loaded[key][0] != signature:
        _loaded[key] = (signature, tree_module.load(str(root)))
    return _loaded[key][1]
