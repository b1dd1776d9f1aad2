"""`python -m scorer review | workspace | merge`: the year-end evaluation from the command line.

The same readers (`yearfiles`) and rules (`evaluation`, `workspace`) as the pages' operations, so a
file is refused, and a final result computed, identically in both. Exit codes as for every command:
0 all well, 1 invalid input (every problem printed), 2 usage.
"""

from __future__ import annotations

import json
import os

from . import assessment as assessment_module
from . import textinput, tree, workspace as workspace_module, yearfiles
from .errors import InvalidInput, Problem
from .evaluation import final_result
from .numbers import fmt, num, to_json


def add_parsers(sub) -> None:
    p = sub.add_parser("review", help="按核查评议文件计算最终评议结果并打印计分明细")
    p.add_argument("review", help="评议文件（gm-review/1）")
    p.add_argument("--assessment", help="所核查的自评文件（评议针对自评文件时必须提供）")
    p.add_argument("--supervision", help="监督记录文件（gm-supervision/1）：核对评议引用的监督记录")
    p.add_argument("--json", action="store_true", help="输出 JSON 结果")
    p = sub.add_parser("workspace", help="年度工作文件中每个党组织的状态和最终评议结果")
    p.add_argument("file", help="年度工作文件（gm-workspace/1）")
    p.add_argument("--json", action="store_true", help="输出 JSON 结果")
    p = sub.add_parser("merge", help="合并两个监督记录文件或年度工作文件（按记录编号去重）")
    p.add_argument("first")
    p.add_argument("second")
    p.add_argument("-o", "--output", required=True, help="合并结果写入的文件")


def _read(path: str, kind: str) -> str:
    if not os.path.isfile(path):
        from .cli import UsageError
        raise UsageError(f"无法读取 {path}：文件不存在")
    return textinput.read_path(path, path, kind)


def _year(root: str, year: int, source: str):
    loaded = tree.load(root)
    if year not in loaded.years:
        raise InvalidInput([Problem(source, ("year",), f"没有 {year} 年度的标准（已有：{', '.join(map(str, loaded.years))}）")])
    return loaded.years[year]


def _bundles(root: str, year: int, source: str) -> dict:
    chosen = _year(root, year, source)
    return {sid: chosen.bundle(sid) for sid in chosen.standards}


def cmd_review(args) -> int:
    review = yearfiles.read(_read(args.review, "json"), yearfiles.REVIEW, args.review)
    bundles = _bundles(args.root, review["year"], args.review)
    if review["standard"] not in bundles:
        raise InvalidInput([Problem(args.review, ("standard",), f"{review['year']} 年度没有标准 '{review['standard']}'")])
    bundle = bundles[review["standard"]]
    assessment = None
    if args.assessment:
        assessment = assessment_module.parse(_read(args.assessment, "json"), args.assessment)
        assessment_module.check(assessment, bundle, args.assessment)
    yearfiles.check_review(review, bundle, assessment, args.review)
    if args.supervision:
        register = yearfiles.read(_read(args.supervision, "register"), yearfiles.SUPERVISION, args.supervision)
        yearfiles.check_supervision(register, bundles, args.supervision)
        ids = {r["id"] for r in register["records"]}
        missing = [Problem(args.review, ("additions", i, "record"), f"监督记录文件中没有编号为 '{a['record']}' 的记录")
                   for i, a in enumerate(review["additions"]) if a.get("record") and a["record"] not in ids]
        if missing:
            raise InvalidInput(missing)
    result = final_result(bundle, assessment, review)
    if args.json:
        print(json.dumps(to_json(result), ensure_ascii=False, indent=2))
        return 0
    print(f"{result['organization']}  {result['year']} 年度  {bundle['standard']['short_title']}  （{result['method_name']}）")
    for line in result["receipt"]:
        print("  " + line)
    own = result["self_declared"]
    if own:
        print(f"自评：{num(own['total'])} 分，等次{own['grade']['name']}")
    if result["grade"] is None:
        print("没有最终评议结果：" + "；".join(result["incomplete"]))
    else:
        print(f"最终评议结果：{num(result['total'])} 分，等次{result['grade']['name']}（与自评不同之处 {len(result['changes'])} 项）")
    if result["sample"]:
        print("注意：本年度评议规则为示例值。")
    return 0


def cmd_workspace(args) -> int:
    value = yearfiles.read(_read(args.file, "workspace"), yearfiles.WORKSPACE, args.file)
    bundles = _bundles(args.root, value["year"], args.file)
    yearfiles.check_workspace(value, bundles, args.file)
    result = workspace_module.district(value, bundles)
    if args.json:
        print(json.dumps(to_json(result), ensure_ascii=False, indent=2))
        return 0
    yes = {True: "是", False: "否"}
    print("名称,类别,已提交,抽中检查,已核查,有最终结果,自评得分,自评等次,最终得分,最终等次,缺少")
    for r in result["rows"]:
        figures = [fmt(r["self_total"]) if r["self_total"] is not None else "", r["self_grade"] or "",
                   fmt(r["total"]) if r["total"] is not None else "", r["grade"] or ""]
        print(",".join([r["name"], r["kind"], yes[r["submitted"]], yes[r["selected"]], yes[r["reviewed"]], yes[r["final"]],
                        *figures, "；".join(r["missing"])]))
    counts = result["counts"]
    print(f"共 {len(result['rows'])} 个党组织：已提交 {counts['submitted']}，抽中 {counts['selected']}，"
          f"已核查 {counts['reviewed']}，有最终结果 {counts['final']}。")
    return 0


def cmd_merge(args) -> int:
    first_text = _read(args.first, "workspace")
    probe = textinput.loads(first_text, args.first, "workspace")
    expected = probe.get("format") if isinstance(probe, dict) else None
    if expected not in (yearfiles.SUPERVISION, yearfiles.WORKSPACE):
        raise InvalidInput([Problem(args.first, ("format",), f"只能合并监督记录文件（{yearfiles.SUPERVISION}）或年度工作文件（{yearfiles.WORKSPACE}）")])
    a = yearfiles.read(probe, expected, args.first, strings=False)
    kind = "register" if expected == yearfiles.SUPERVISION else "workspace"
    b = yearfiles.read(_read(args.second, kind), expected, args.second)
    bundles = _bundles(args.root, a["year"], args.first)
    if expected == yearfiles.SUPERVISION:
        yearfiles.check_supervision(a, bundles, args.first)
        yearfiles.check_supervision(b, bundles, args.second)
        merged = workspace_module.merge_registers(a, b)
        out, added = merged["register"], merged["added"]
    else:
        yearfiles.check_workspace(a, bundles, args.first)
        yearfiles.check_workspace(b, bundles, args.second)
        merged = workspace_module.merge(a, b)
        out, added = merged["workspace"], sum(merged["added"].values())
    with open(args.output, "w", encoding="utf-8") as handle:
        json.dump(to_json(out), handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    conflicts = merged["conflicts"]
    n = len(conflicts) if isinstance(conflicts, list) else sum(len(v) for v in conflicts.values())
    print(f"已合并到 {args.output}：新增 {added} 条，两边都改过的 {n} 条（保留更新时间较晚的一份）。")
    return 0


COMMANDS = {"review": cmd_review, "workspace": cmd_workspace, "merge": cmd_merge}
