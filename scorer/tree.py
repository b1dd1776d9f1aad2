"""The `standards/` folder: the folder tree is the data tree.

    standards/measures.yaml          the Measures
    standards/<YEAR>/year.yaml       that year's settings (grades, bonus cap, grade limits, change notes)
    standards/<YEAR>/<id>.yaml       that year's standards, one per kind of organization

CPython only (reads YAML). Every file is checked and every problem is collected before anything is
raised, so `python -m scorer validate` lists all of them at once.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from . import measures as measures_module
from . import standards as standards_module
from . import yamlsource
from .errors import InvalidInput, Problem
from .diff import diff_years
from .model import Bundle, Measures, Standard
from .model import Year as YearSettings
from .standards import bundle

YEAR_DIR = re.compile(r"[0-9]{4}")  # fullmatch: a folder "2019\n" is not a year


@dataclass
class Year:
    """One year folder: its settings and its standards as model records (`scorer.model`)."""

    year: int
    settings: YearSettings
    standards: dict = field(default_factory=dict)  # id -> Standard, in chapter 2's order
    locate: object = None  # path in year.yaml -> (line, column), for problems found across years

    @property
    def published(self) -> bool:
        return self.settings.published

    def bundle(self, standard_id: str) -> Bundle:
        return bundle(self.settings, self.standards[standard_id])


@dataclass
class Tree:
    root: str
    measures: Measures
    years: dict  # int -> Year, ascending

    @property
    def current(self) -> Year | None:
        """The latest published year: what readers and organizations see by default."""
        published = [y for y in self.years.values() if y.published]
        return published[-1] if published else None

    def year(self, year: int) -> Year:
        if year not in self.years:
            raise KeyError(f"没有 {year} 年度的标准（已有：{', '.join(map(str, self.years))}）")
        return self.years[year]


def _display(root: str, *parts: str) -> str:
    return os.path.normpath(os.path.join(root, *parts))


def _read(path: str, problems: list):
    try:
        return yamlsource.load(path, path)
    except InvalidInput as exc:
        problems.extend(exc.problems)
    except OSError as exc:
        problems.append(Problem(path, (), f"无法读取文件：{exc.strerror}"))
    return None


def load(root: str = "standards") -> Tree:
    """Read and check everything under `root`. Raises InvalidInput listing every problem in every file."""
    problems: list[Problem] = []
    measures_path = _display(root, "measures.yaml")
    measures = None
    located = _read(measures_path, problems)
    if located is not None:
        collector = located.collector()
        measures_module.check(located.value, collector)
        problems.extend(collector.problems)
        if not collector.problems:
            measures = located.value
    articles, subjects = {}, set()
    if measures is not None:
        for chapter in measures["chapters"]:
            for article in chapter["articles"]:
                articles[article["id"]] = article["title"]
                if chapter["number"] == 2:
                    subjects.add(article["id"])

    years = {}
    entries = sorted(os.listdir(root)) if os.path.isdir(root) else []
    if not os.path.isdir(root):
        problems.append(Problem(root, (), "找不到标准目录"))
    for name in entries:
        folder = os.path.join(root, name)
        if not os.path.isdir(folder):
            continue
        if not YEAR_DIR.fullmatch(name):
            problems.append(Problem(_display(root, name), (), "目录名应为四位年份（如 2020）"))
            continue
        year = _load_year(root, name, articles, subjects, problems, measures is not None)
        if year is not None:
            years[year.year] = year
    if not problems:
        problems.extend(_missing_change_notes(root, list(dict(sorted(years.items())).values())))
    if problems:
        raise InvalidInput(problems)
    if not years:
        raise InvalidInput([Problem(root, (), "没有任何年度的标准（应有至少一个年份目录，如 2019/）")])
    return Tree(root, Measures.from_json(measures), dict(sorted(years.items())))


def _load_year(root, name, articles, subjects, problems, can_check_refs):
    settings_path = _display(root, name, "year.yaml")
    if not os.path.exists(settings_path):
        problems.append(Problem(settings_path, (), "缺少年度设置文件 year.yaml"))
        return None
    located = _read(settings_path, problems)
    if located is None:
        return None
    collector = located.collector()
    standards_module.check_year(located.value, collector)
    if not collector.problems and located.value["year"] != int(name):
        collector.add(("year",), f"year 为 {located.value['year']}（应与目录名 {name} 一致）")
    problems.extend(collector.problems)
    settings_ok, settings_collector = not collector.problems, collector
    settings = located.value
    year = Year(int(name), None, locate=located.locate)
    for file_name, clash in _same_stem(os.listdir(os.path.join(root, name))):
        path = _display(root, name, file_name)
        if clash is not None:
            problems.append(Problem(path, (), f"与同目录的 {clash} 对应同一个{'年度设置' if clash == 'year.yaml' else '标准'}"
                                    "（.yaml 与 .yml 视为同一文件，只会用到其中一个：保留一个，删去或合并另一个）", 1, 1))
        if os.path.splitext(file_name)[0] == "year":
            continue
        located = _read(path, problems)
        if located is None:
            continue
        collector = located.collector()
        if can_check_refs:
            standards_module.check_standard(located.value, collector, articles, subjects,
                                            settings if settings_ok else None)
        stem = os.path.splitext(file_name)[0]
        if not collector.problems and located.value["id"] != stem:
            collector.add(("id",), f"id 为 '{located.value['id']}'（应与文件名 {stem} 一致）")
        problems.extend(collector.problems)
        if not collector.problems and clash is None:
            year.standards[located.value["id"]] = located.value
    if settings_ok:
        before = len(settings_collector.problems)
        standards_module.check_grades_reachable(settings, year.standards, settings_collector)
        problems.extend(settings_collector.problems[before:])
    # The order readers know (部门, 街道, 驻区) is chapter 2's: sort by the first article a standard applies to.
    year.standards = dict(sorted(year.standards.items(), key=lambda kv: _article_number(kv[1]["applies_to"][0])))
    # Checked values become model records once, here; nothing after the loader reads the dicts.
    if not any(p.source.startswith(_display(root, name)) for p in problems):
        year.settings = YearSettings.from_json(settings)
        year.standards = {sid: Standard.from_json(value) for sid, value in year.standards.items()}
    if not year.standards and not any(p.source.startswith(_display(root, name)) for p in problems):
        problems.append(Problem(_display(root, name), (), "该年度没有任何指标评价标准文件"))
    return year


def _same_stem(names) -> list:
    """(file, the file it clashes with or None) for every YAML file of a year folder: `dept.yml` beside
    `dept.yaml` would both be the standard dept (and `year.yml` beside `year.yaml` the settings), and
    one of them would silently win. The second in name order is the one reported."""
    first, out = {}, []
    for file_name in sorted(n for n in names if n.endswith((".yaml", ".yml"))):
        stem = os.path.splitext(file_name)[0]
        out.append((file_name, first.get(stem)))
        first.setdefault(stem, file_name)
    return out


def _article_number(article_id: str) -> int:
    return int(article_id.rsplit("-", 1)[1])


def _missing_change_notes(root, years) -> list:
    """A year whose data differs from the year before must say what changed and why."""
    problems = []
    for before, after in zip(years, years[1:]):
        result = diff_years(before, after)
        changed = len(result["settings"]) + sum(len(r) for r in result["standards"].values())
        if changed and not after.settings.changes:
            line, column = after.locate(("changes",)) or (None, None)
            problems.append(Problem(_display(root, str(after.year), "year.yaml"), ("changes",),
                                    f"与 {before.year} 年度相比有 {changed} 处变化，但 changes 为空"
                                    f"（请逐条写明改了什么、为什么；python -m scorer diff {before.year} {after.year} 可列出变化）",
                                    line, column))
    return problems
