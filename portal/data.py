"""Where the build reads its data from, and the reading itself.

`standards/` by default; the environment variable PORTAL_STANDARDS points the whole build (pages,
macros, published JSON) at another tree, which is how the tests build the multi-year fixture into a
site without shipping invented revisions in `standards/`.

No cache: the build plugin reads the tree once per build and keeps it on its build context, and the
macros module reads it once per build when mkdocs-macros loads it (a tenth of a second). Nothing is
kept between builds, so `mkdocs serve` always sees the files as they are now.
"""

from __future__ import annotations

import os
from pathlib import Path

from scorer import tree as tree_module

ENV = "PORTAL_STANDARDS"


def standards_dir(project_dir) -> Path:
    """The standards folder of the project at `project_dir` (the folder holding mkdocs.yml)."""
    return Path(project_dir) / os.environ.get(ENV, "standards")


def load_tree(project_dir) -> "tree_module.Tree":
    """The standards tree the build of the project at `project_dir` reads (InvalidInput if broken)."""
    return tree_module.load(str(standards_dir(project_dir)))
