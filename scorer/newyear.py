"""Scaffold next year's standards from the latest year, as a draft.

Files are copied as text, not re-serialised, so editors' comments and layout survive; only the
`year:`, `status:` and `changes:` lines of year.yaml are rewritten.
"""

from __future__ import annotations

import os
import re
import shutil

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
        if name == "year.yaml":
            with open(os.path.join(source, name), encoding="utf-8") as handle:
                text = handle.read()
            with open(destination, "w", encoding="utf-8") as handle:
                handle.write(rewrite_settings(text, year))
        else:
            shutil.copyfile(os.path.join(source, name), destination)
        written.append(destination)
    return written


def rewrite_settings(text: str, year: int) -> str:
    """year.yaml of the new year: the new year number, draft status and an empty change list to fill."""
    text = re.sub(r"(?m)^year:.*$", f"year: {year}", text, count=1)
    text = re.sub(r"(?m)^status:.*$", "status: draft", text, count=1)
    # Drop the previous year's notes (a block list or a flow list) and leave an empty list to fill in.
    text = re.sub(r"(?ms)^changes:.*?(?=^[^\s-]|\Z)", "changes: []  # 写明本年度相对上一年度改了什么、为什么\n", text, count=1)
    return text
