"""Source paths of the site's pages that are linked or generated from the data.

The build generates a page at each of these paths (sitebuild/pages.py) and the templates link to
them (macros/); both take the paths from here, so a page cannot be generated at one address and
linked at another.
"""

from __future__ import annotations

INDEX_PATH = "standards/index.md"
MEASURES_PATH = "measures/index.md"
COMPARE_PATH = "standards/compare.md"  # hand-written page (compare.mjs)
ASSESS_INDEX = "assess/index.md"


def standard_path(year: int, standard_id: str) -> str:
    return f"standards/{year}/{standard_id}.md"


def year_path(year: int) -> str:
    return f"standards/{year}/index.md"


def assess_path(year: int, standard_id: str) -> str:
    return f"assess/{year}/{standard_id}.md"
