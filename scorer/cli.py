"""`python -m scorer`: a thin command line over the library.

Exit codes: 0 all well, 1 invalid input (every problem is printed), 2 usage.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from decimal import Decimal

from . import assessment as assessment_module
from . import diff as diff_module
from . import cli_application, cli_review, newyear, planner, textinput, tree
from .errors import InvalidInput, Problem
from .items import bonus_rule, deduction_rule
from .numbers import fmt, to_json
from .scoring import score_result

DEFAULT_ROOT = "standards"


class UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scorer", description="光明区全面从严治党主体责任：标准校验与评分工具")
    parser.add_argument("--root", default=DEFAULT_ROOT, help="标准目录（默认 standards）")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="校验《实施办法》和各年度标准")
    p.add_argument("path", nargs="?", help="标准目录（默认 --root）")
    p = sub.add_parser("score", help="对自评文件评分并打印计分明细")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="输出 JSON 结果")
    p = sub.add_parser("show", help="输出某年度某标准（浏览器加载的规范化形式）")
    p.add_argument("year", type=int)
    p.add_argument("standard")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("diff", help="比较两个年度的标准")
    p.add_argument("year_a", type=int)
    p.add_argument("year_b", type=int)
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("new-year", help="以最新年度为底稿创建新年度（草稿）")
    p.add_argument("year", type=int)
    p = sub.add_parser("plan", help="制定任期内监督检查计划（每年一定比例、任期内全覆盖）")
    p.add_argument("organizations", help="党组织名单 CSV（列：名称,类别 或 name,kind）")
    p.add_argument("--first", type=int, required=True, help="任期首年")
    p.add_argument("--last", type=int, required=True, help="任期末年")
    p.add_argument("--share", required=True, help="每年检查比例，如 30%% 或 0.3")
    p.add_argument("--from-year", type=int, help="从哪一年开始计划（默认任期首年）")
    p.add_argument("--inspected", help="本任期已检查的党组织名单文件（每行一个名称，或含 名称/name 列的 CSV）")
    p.add_argument("--seed", type=int, default=0, help="随机种子（相同输入和种子得到相同计划）")
    p.add_argument("--csv", action="store_true", help="以 CSV 输出（年度,名称,类别,首次检查）")
    cli_review.add_parsers(sub)  # review, workspace, merge: the year-end evaluation (issue #15)
    cli_application.add_parsers(sub)  # proposals, rectification: results application (issue #16)
    return parser


def main(argv=None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    try:
        return COMMANDS[args.command](args)
    except InvalidInput as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"共 {len(exc.problems)} 个问题。", file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"用法错误：{exc}", file=sys.stderr)
        return 2


def cmd_validate(args) -> int:
    root = args.path or args.root
    loaded = tree.load(root)
    count = sum(len(y.standards) for y in loaded.years.values())
    current = loaded.current.year if loaded.current else "无"
    print(f"校验通过：《实施办法》{len(loaded.measures.chapters)} 章，{len(loaded.years)} 个年度，{count} 个标准（当前年度：{current}）。")
    return 0


def _bundle(root, year, standard_id):
    loaded = tree.load(root)
    try:
        chosen = loaded.year(year)
    except KeyError as exc:
        raise UsageError(exc.args[0])
    if standard_id not in chosen.standards:
        raise UsageError(f"{year} 年度没有标准 '{standard_id}'（已有：{', '.join(chosen.standards)}）")
    return chosen.bundle(standard_id)


def cmd_score(args) -> int:
    if not os.path.isfile(args.file):
        raise UsageError(f"无法读取 {args.file}：文件不存在")
    value = assessment_module.parse(textinput.read_path(args.file, args.file, "json"), args.file)
    assessment_module.check_shape(value, args.file)
    try:
        bundle = _bundle(args.root, value["year"], value["standard"])
    except UsageError as exc:
        raise InvalidInput([Problem(args.file, (), str(exc))])
    assessment_module.check(value, bundle, args.file)
    result = score_result(bundle, value, checked=True)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(f"{result.organization or '（未填写党组织名称）'}  {result.year} 年度  {bundle.standard.short_title}")
        for line in result.receipt:
            print("  " + line)
        for area in result.areas:
            print(f"  {area.name}：{fmt(area.score)} / {fmt(area.points)}")
        print(f"总分 {fmt(result.total)}，等级：{result.grade.name}")
        for note in result.notes:
            print(f"注意：{note}")
    return 0


def cmd_show(args) -> int:
    bundle = _bundle(args.root, args.year, args.standard)
    if args.json:
        print(json.dumps(bundle.to_json(), ensure_ascii=False, indent=2))
        return 0
    standard = bundle.standard
    print(f"{standard.title}（{args.year} 年度，{'样例分值' if standard.status == 'sample' else '正式'}）")
    for area in standard.areas:
        print(f"{area.name}  {fmt(area.points)} 分")
        for indicator in area.indicators:
            print(f"  {indicator.id}  {indicator.title}  {fmt(indicator.points)} 分")
            for item in indicator.deductions:  # the rule as every page words it (scorer.items)
                print(f"      {item.id}  {item.text}（{deduction_rule(item)}）")
    for bonus in standard.bonuses:
        print(f"奖励 {bonus.id}  {bonus.text}（{bonus_rule(bonus)}）")
    print(f"内容哈希 {bundle.hash}")
    return 0


def cmd_diff(args) -> int:
    loaded = tree.load(args.root)
    try:
        a, b = loaded.year(args.year_a), loaded.year(args.year_b)
    except KeyError as exc:
        raise UsageError(exc.args[0])
    result = diff_module.diff_years(a, b)
    if args.json:
        print(json.dumps(to_json(result), ensure_ascii=False, indent=2))
        return 0
    print(f"{args.year_a} → {args.year_b}")
    sections = [("年度设置", result["settings"])] + list(result["standards"].items())
    empty = True
    for name, records in sections:
        if not records:
            continue
        empty = False
        print(f"[{name}]")
        for r in records:
            extra = ""
            if r["kind"] == "moved":
                extra = f"（{r['old_area']} → {r['area']}）"
            elif r["kind"] == "replaced":
                extra = f"（替换 {r['old_id']}）"
            print(f"  {r['kind_label']} {r['id']} {r['title']}{extra}")
            for f in r.get("fields", []):
                print(f"      {f['path']}: {_value(f['old'])} → {_value(f['new'])}")
    if empty:
        print("没有变化。")
    return 0


def _value(value) -> str:
    if value is None:
        return "（无）"
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return fmt(value)
    return json.dumps(to_json(value), ensure_ascii=False)


def cmd_new_year(args) -> int:
    loaded = tree.load(args.root)
    latest = max(loaded.years)
    written = newyear.scaffold(args.root, args.year, latest)
    print(f"已以 {latest} 年度为底稿创建 {args.year} 年度（草稿，status: draft）：")
    for path in written:
        print(f"  {path}")
    folder = os.path.join(args.root, str(args.year))
    print("下一步：")
    print(f"  1. 修改 {folder}/ 下各标准的指标、分值和扣分项；改名或移动的指标保留原 id，或用 replaces 写明所替换的 id。")
    print(f"  2. 在 {folder}/year.yaml 的 changes 中逐条写明改了什么、为什么。")
    print("  3. python -m scorer validate    # 校验，逐条列出问题（文件:行:列）")
    print(f"  4. python -m scorer diff {latest} {args.year}    # 查看与上一年度的差异")
    print("  5. make serve    # 本地预览（草稿年度带有提示，不会成为当前年度）")
    print(f"  6. 定稿后将 {folder}/year.yaml 的 status 改为 published，提交并 git push。")
    return 0


def cmd_plan(args) -> int:
    organizations = read_organizations(args.organizations)
    inspected = read_names(args.inspected) if args.inspected else []
    result = planner.plan(organizations, args.first, args.last, args.share, inspected, args.from_year, args.seed)
    if args.csv:
        csv.writer(sys.stdout, lineterminator="\n").writerows(planner.csv_rows(result))
        return 0
    print(f"任期 {args.first}–{args.last}，每年检查 {result['per_year']} 个（比例 {result['share'] * 100:.1f}%），种子 {args.seed}")
    for year in result["years"]:
        names = "、".join(o["name"] + ("" if o["first"] else "（复查）") for o in year["organizations"])
        print(f"{year['year']}：{names}")
    return 0


def _read(path) -> str:
    """A CSV file's text, decoded as the pages decode it (UTF-8, UTF-16 or GB18030; `textinput`)."""
    if not os.path.isfile(path):
        raise UsageError(f"无法读取 {path}：文件不存在")
    return textinput.read_path(path, path, "csv")


def read_organizations(path) -> list:
    """Organizations from a CSV file with a header row: 名称/name and 类别/kind columns."""
    return planner.parse_organizations(_read(path), path)


def read_names(path) -> list:
    """Names from a file: one a line, or a CSV whose first column holds them."""
    return planner.parse_names(_read(path), path)


COMMANDS = {"validate": cmd_validate, "score": cmd_score, "show": cmd_show, "diff": cmd_diff, "new-year": cmd_new_year,
            "plan": cmd_plan, **cli_review.COMMANDS, **cli_application.COMMANDS}
