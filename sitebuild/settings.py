"""Where the build reads its data from.

`standards/` by default; the environment variable PORTAL_STANDARDS points the whole build (pages,
macros, published JSON) at another tree, which is how the tests build the multi-year fixture into a
site without shipping invented revisions in `standards/`.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV = "PORTAL_STANDARDS"


def standards_dir(project_dir) -> Path:
    return Path(project_dir) / os.environ.get(ENV, "standards")
