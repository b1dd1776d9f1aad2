// One organization's detail on the office page: the dialog a table row's 查看详情 button opens.
// Its content is the scorer's `office_detail` answer laid out as text: each deducted item with the
// scorer's amount and the occurrences the file declared (date, count, note, evidence). Figures are
// the scorer's; the words around them are the only thing made here. Built with textContent only.

import { el } from "./dom.mjs";

function occurrences(list) {
  if (!list.length) return null;
  return el("ul", { className: "gmo-detail-occurrences" }, list.map((o) => {
    const parts = [o.date || "（未填写日期）"];
    if (o.count !== 1) parts.push(`${o.count} 次`);
    return el("li", { className: o.left_out ? "gmo-detail-left-out" : null },
      el("span", { className: "gmo-detail-date", text: parts.join(" · ") }),
      o.left_out ? el("span", { className: "gmo-detail-reason", text: o.left_out }) : null,
      o.note ? el("span", { className: "gmo-detail-note" }, "说明：", o.note) : null,
      o.evidence.length ? el("span", { className: "gmo-detail-evidence" }, "佐证材料：", o.evidence.join("、")) : null);
  }));
}

function item(entry, verb) {
  return el("li", { className: "gmo-detail-item", dataset: { item: entry.id } },
    el("p", { className: "gmo-detail-item-head" }, el("strong", { text: entry.id }), " ", entry.text),
    el("p", { className: `gmo-detail-sum gmo-detail-sum--${verb === "加" ? "plus" : "minus"}`, text: entry.arithmetic }),
    occurrences(entry.occurrences));
}

function facts(detail, row) {
  const pairs = [
    ["党组织", detail.organization || "（未填写名称）"],
    ["类别", detail.kind || "（未填写）"],
    ["标准", `${detail.year} 年度 · ${detail.standard_title}`],
    ["自评人", detail.assessor || "（未填写）"],
    ["自评日期", detail.assessed || "（未填写）"],
    ["文件", detail.file],
    ["总分", `${detail.total}（基本分 ${detail.base} − 扣分 ${detail.deducted} + 奖励 ${detail.bonus}）`],
    ["等级", detail.grade_name === detail.grade_by_score ? detail.grade_name
      : `${detail.grade_name}（按得分为${detail.grade_by_score}，因等级限制情形降低）`],
  ];
  if (row && row.duplicate) pairs.push(["重复提交", row.counted === false ? "是，本份未计入统计（同一党组织另有更新的一份）" : "是，本份计入统计"]);
  return el("dl", { className: "gmo-detail-facts" }, pairs.flatMap(([term, value]) => [el("dt", { text: term }), el("dd", { text: value })]));
}

/**
 * The detail's content (headings from h3): facts, then each area's deducted items, bonuses and grade
 * limits. detail: the scorer's `office_detail` result; row: the table's row (duplicate flags).
 */
export function detailContent(detail, row) {
  const parts = [facts(detail, row)];
  const deducted = detail.areas.filter((a) => a.items.length);
  const clean = detail.areas.filter((a) => !a.items.length);
  parts.push(el("h3", { text: "扣分项" }));
  if (!deducted.length) parts.push(el("p", { text: "本文件未申报任何扣分情形。" }));
  for (const area of deducted) {
    parts.push(el("section", { className: "gmo-detail-area", dataset: { area: area.id } },
      el("h4", { text: `${area.name}：得分 ${area.score} / ${area.points}（扣 ${area.deducted} 分）` }),
      el("ol", { className: "gmo-detail-items" }, area.items.map((entry) => item(entry, "扣")))));
  }
  if (clean.length && deducted.length) parts.push(el("p", { className: "gmo-hint", text: `无扣分：${clean.map((a) => a.name).join("、")}。` }));
  if (detail.bonuses.length) {
    parts.push(el("h3", { text: `奖励项（合计加 ${detail.bonus} 分）` }),
      el("ol", { className: "gmo-detail-items" }, detail.bonuses.map((entry) => item(entry, "加"))));
  }
  if (detail.limits.length) {
    parts.push(el("h3", { text: "等级限制情形" }), el("ol", { className: "gmo-detail-items" }, detail.limits.map((limit) =>
      el("li", { className: "gmo-detail-item", dataset: { item: limit.id } },
        el("p", { className: "gmo-detail-item-head" }, el("strong", { text: limit.id }), " ", limit.text),
        el("p", { className: "gmo-detail-sum gmo-detail-sum--minus", text: `等级最高为${limit.max_grade}` }),
        occurrences(limit.occurrences)))));
  }
  if (detail.notes.length) parts.splice(1, 0, el("ul", { className: "gmo-detail-notes" }, detail.notes.map((n) => el("li", { text: n }))));
  return parts;
}
