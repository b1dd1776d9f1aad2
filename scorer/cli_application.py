"""`python -m scorer proposals | rectification`: the results application from the command line.

The same readers and rules as the pages' operations (`application_ops`), so a workspace is refused,
and proposals, decisions and overdue items computed, identically in both. Exit codes as for every
command: 0 all well, 1 invalid input (every problem printed), 2 usage.
"""

from __future__ import annotations

import json

from . import application, rectification, yearfiles
from .cli_review import _bundles, _read
from .application_files import check_as_of
from .numbers import num, to_json


def add_parsers(sub) -> None:
    p = sub.add_parser("proposals", help="年度工作文件中每个党组织的运用建议、运用决定和结果沿革")
    p.add_argument("file", help="年度工作文件（gm-workspace/1）")
    p.add_argument("--json", action="store_true", help="输出 JSON 结果")
    p = sub.add_parser("rectification", help="年度工作文件中的整改事项及其状态（逾期按 --as-of 日期计算）")
    p.add_argument("file", help="年度工作文件（gm-workspace/1）")
    p.add_argument("--as-of", required=True, help="按哪一天计算是否逾期（YYYY-MM-DD）")
    p.add_argument("--json", action="store_true", help="输出 JSON 结果")


def _load(path: str, root: str):
    value = yearfiles.read(_read(path, "workspace"), yearfiles.WORKSPACE, path)
    bundles = _bundles(root, value["year"], path)
    yearfiles.check_workspace(value, bundles, path)
    return bundles, value, value.get("application") or application.empty()


def cmd_proposals(args) -> int:
    bundles, value, part = _load(args.file, args.root)
    shown = application.district(bundles, value, part)
    if args.json:
        views = application.views(bundles, value, part, None)
        for row in shown["rows"]:
            row["history"] = views[row["name"]]["history"]
            row["notice"] = application.notice(views[row["name"]])
        print(json.dumps(to_json(shown), ensure_ascii=False, indent=2))
        return 0
    views = application.views(bundles, value, part, None)
    for row in shown["rows"]:
        grade = row["grade"]["name"] if row["grade"] else "无最终结果"
        total = "" if row["total"] is None else f"{num(row['total'])} 分，"
        state = {"none": "未决定", "decided": "已决定", "changed": "已变更"}[row["decision_state"]]
        print(f"{row['name']}（{total}等次{grade}）：{state}" + ("；结果已改变，须重新审议" if row["stale"] else ""))
        for reason in row["blocked"]:
            print(f"  须先处理：{reason}")
        for p in row["proposals"] + row["persons"]:
            edited = f"（已改动，理由：{p['reason']}）" if p.get("edited") else ""
            print(f"  建议 {p['label']}：{p['text']}{edited}")
            for basis in p["basis"]:
                print(f"    依据：{basis}")
        for step in views[row["name"]]["history"]:
            print(f"  沿革 {step['date'] or '—'} {step['step_name']}：{step['text']}")
    s = shown["summary"]
    print(f"共 {s['organizations']} 个党组织有评议结果：已决定 {s['decided']}（其中变更 {s['changed']}），"
          f"未决定 {s['undecided']}，结果已改变须重新审议 {s['stale']}。")
    if shown["sample"]:
        print("注意：本年度结果运用表述为示例值。")
    return 0


def cmd_rectification(args) -> int:
    when = check_as_of(args.as_of, "--as-of")
    bundles, value, part = _load(args.file, args.root)
    rules = application.settings(next(iter(bundles.values())).year)
    shown = rectification.district(part, value["roster"], rules, when)
    if args.json:
        print(json.dumps(to_json(shown), ensure_ascii=False, indent=2))
        return 0
    print("党组织,事项编号,问题,整改措施,责任人,整改期限,状态,逾期天数,完成日期")
    for o in shown["organizations"]:
        for i in o["items"]:
            print(",".join([o["name"], i["id"], i["problem_text"], i["measure"], i["responsible"], i["deadline"],
                            i["status_name"] + ("（逾期）" if i["overdue"] else ""), str(i["days_overdue"] or ""), i["done"]]))
    c = shown["counts"]
    print(f"截至 {when}：整改事项 {c['items']} 项，未销号 {c['open']} 项（逾期 {c['overdue']} 项，待验收 {c['reported']} 项），"
          f"已销号 {c['accepted']} 项；有未销号事项的党组织 {c['organizations_open']} 个。")
    return 0


COMMANDS = {"proposals": cmd_proposals, "rectification": cmd_rectification}
