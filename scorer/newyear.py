"""Scaffold next year's standards from the latest year, as a draft.

Files are copied as text, not re-serialised, so editors' comments and layout survive; only the
`year:`, `status:` and `changes:` lines of year.yaml are rewritten, and each file's header comment
(its leading `#` lines, which describe that file's year, e.g. "# 2019 年度设置") names the new year.
"""

from __future__ import annotations

import os
import re

from .errors import InvalidInput, Problem


def scaffold(root: str, year: int, latest: int) -> list[str]:
    """Create `root/<year>/` from `root/<latest>/`; returns the files written."""
    target = os.path.join(root, str(year))
    if os.path.exists(target):
        raise InvalidInput([Problem(target, (), f"{year} 年度目录已存在（new-year 只创建新的年度）")])
    if year <= latest:
        raise InvalidInput([Problem(target, (), f"{year} 不晚于最新年度 {latest}（新年度应晚于 {latest}）")])
    source = os.path.join(root, str(latest))
    os.makedirs(target)
    written = []
    for name in sorted(os.listdir(source)):
        if not name.endswith((".yaml", ".yml")):
            continue
        destination = os.path.join(target, name)
        # newline="" keeps the files' own line endings; the tree was validated, so it is UTF-8.
        with open(os.path.join(source, name), encoding="utf-8", newline="") as handle:
            text = rewrite_header(handle.read(), latest, year)
        if name == "year.yaml":
            text = rewrite_settings(text, year)
        with open(destination, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        written.append(destination)
    return written


def rewrite_header(text: str, latest: int, year: int) -> str:
    """The file's header comment (leading comment and blank lines) with `latest` read as `year`: the
    header describes the file's own year, and a copied "# 2019 年度设置" would be wrong in 2020. The
    YAML below it, comments included, is left to the editor."""
    lines = text.splitlines(keepends=True)
    end = 0
    while end < len(lines) and (lines[end].lstrip().startswith("#") or not lines[end].strip()):
        end += 1
    pattern = re.compile(rf"(?<!\d){latest}(?!\d)")
    return "".join(pattern.sub(str(year), line) for line in lines[:end]) + "".join(lines[end:])


def rewrite_settings(text: str, year: int) -> str:
    """year.yaml of the new year: the new year number, draft status and an empty change list to fill."""
    text = re.sub(r"(?m)^year:.*$", f"year: {year}", text, count=1)
    text = re.sub(r"(?m)^status:.*$", "status: draft", text, count=1)
    # Drop the previous year's notes (a block list or a flow list) and leave an empty list to fill in.
    text = re.sub(r"(?ms)^changes:.*?(?=^[^\s-]|\Z)", "changes: []  # 写明本年度相对上一年度改了什么、为什么\n", text, count=1)
    return text
