// The A4 evaluation sheet (评议表) of one organization: the final result as the scorer gave it, every
// difference with its reason, the qualitative judgement and related results, and signature lines for
// the team, the organization and the office. Hidden on screen; on paper it is the only thing printed
// from the review page (office-review.css). Built with textContent only (dom.mjs's `el`).

import { el } from "./dom.mjs";

function row(label, value) {
  return el("tr", {}, el("th", { scope: "row" }, label), el("td", {}, value));
}

/** The receipt's last part: how the year's rules made the final figures (the lines after "年终评议规则…："). */
function rulesPart(receipt) {
  const start = receipt.findIndex((line) => line.startsWith("年终评议规则"));
  return start < 0 ? receipt.slice(-1) : receipt.slice(start + 1); // its heading line is the h3 above
}

/** Fill `box` with the sheet: {result (final_result), review (gm-review/1), year, office, standard, org}. */
export function renderSheet(box, { result, review, year, office, standard, org }) {
  const self = result.self_declared;
  const team = (review && review.team) || {};
  const q = result.qualitative;
  const related = (result.related || []).map((r) => `${r.name}：${r.value === null ? "未提供" : `${r.value} 分`}（${r.mode_name}）`);
  const changes = result.changes.length
    ? el("ol", { className: "gmr-sheet-changes" }, result.changes.map((c) => el("li", {}, c.line)))
    : el("p", {}, "核查结论与自评一致，无差异。");
  const sign = (label) => el("div", { className: "gmr-sign" }, el("span", {}, label), el("span", { className: "gmr-sign-line" }),
    el("span", {}, "日期："), el("span", { className: "gmr-sign-line gmr-sign-line--short" }));
  box.replaceChildren(...[
    el("h2", { className: "gmr-sheet-title" }, `光明区落实全面从严治党主体责任 ${year} 年度评议表`),
    result.sample ? el("p", { className: "gmr-sheet-sample" }, "本年度评议规则和评价标准为示例值，仅供演示。") : null,
    el("table", { className: "gmr-sheet-table" }, el("tbody", {},
      row("党组织", `${org.name}${org.kind ? `（${org.kind}）` : ""}`),
      row("评价标准", standard.title),
      row("评议方式", result.method_name),
      row("自评结果", self ? `${self.total} 分，等次：${self.grade.name}` : "未提交自评"),
      row("核定标准得分", `${result.score_total} 分`),
      row("最终评议结果", result.grade ? `${result.total} 分，等次：${result.grade.name}` : `无法评定（${result.incomplete.join("；")}）`),
      row("定性评价", q ? `${q.name}（${q.mode_name}）${q.text ? `：${q.text}` : ""}` : "未作出"),
      row("相关评议结果", related.length ? related.join("；") : "—"),
      row("检查组", [team.leader ? `组长：${team.leader}` : "", (team.members || []).length ? `组员：${team.members.join("、")}` : ""].filter(Boolean).join("；") || "—"),
      row("核查日期", team.date || "—"))),
    el("h3", {}, "与自评的差异及理由"),
    changes,
    result.pending ? el("p", {}, `尚有 ${result.pending} 条自评记录未逐条核查，暂按自评计入。`) : null,
    el("h3", {}, "最终结果的评定"),
    el("ol", { className: "gmr-sheet-rules" }, rulesPart(result.receipt).map((line) => el("li", {}, line))),
    el("h3", {}, "签字"),
    el("div", { className: "gmr-signs" },
      sign("检查组组长（签字）："), sign("检查组成员（签字）："), sign("被评议党组织主要负责人（签字）："),
      sign(`${office}（盖章）：`)),
    el("p", { className: "gmr-sheet-foot" }, `核查编号：${review ? review.id : "—"}。得分和等次由本站评分程序按 ${year} 年度设置计算。`),
  ].filter(Boolean));
}
