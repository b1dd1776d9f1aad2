// The self-assessment's result region: the scorer's figures shown as they are (totals, areas, items'
// tallies, grade, receipt, chart, notes, what was declared). Nothing is computed here but words
// around the scorer's numbers; text goes in with textContent only. `tallies` is pure.

import { el } from "./dom.mjs";
import { drawChart } from "./assess-chart.mjs";

function text(value) {
  return value === null || value === undefined ? "—" : String(value);
}

// Only touch the DOM where something changed: a rescore then costs the browser almost no layout.
export function put(node, value) {
  if (node && node.textContent !== value) node.textContent = value;
}

/** Each item's line under it in the form ("已记录 2 次，扣 2 分"), from the score; pure. */
export function tallies(score) {
  const found = new Map();
  for (const area of score.areas) {
    for (const indicator of area.indicators) {
      for (const item of indicator.items) {
        found.set(item.id, `已记录 ${item.count} 次，扣 ${item.amount} 分${item.capped ? "（已达单项上限）" : ""}`);
      }
    }
  }
  for (const bonus of score.bonuses) {
    found.set(bonus.id, `已记录 ${bonus.count} 次，加 ${bonus.amount} 分${bonus.capped ? "（已达单项上限）" : ""}`);
  }
  for (const id of score.limits_applied) found.set(id, "已记录：本年度等级受此限制");
  return found;
}

/** An element with a text and a class: dom.mjs's `el` in this page's short form. */
const cell = (tag, value, className) => el(tag, { text: value, className });

/** What was declared, under its items (the scorer's `declared`): the signed report lists it. */
function declaredTable(declared) {
  if (!declared.length) return [cell("p", "未申报任何扣分、奖励或等级限制情形。")];
  const table = document.createElement("table");
  table.className = "gm-declared-table";
  const head = table.createTHead().insertRow();
  for (const label of ["日期", "次数", "说明", "佐证材料", "计分"]) {
    const th = cell("th", label);
    th.scope = "col";
    head.appendChild(th);
  }
  for (const item of declared) {
    const body = table.createTBody();
    const th = cell("th", `${item.id} ${item.kind_name}：${item.text}`);
    th.scope = "rowgroup";
    th.colSpan = 5;
    body.insertRow().appendChild(th);
    for (const o of item.occurrences) {
      const tr = body.insertRow();
      tr.append(cell("td", o.date), cell("td", String(o.count)), cell("td", o.note || "—"),
        cell("td", o.evidence.length ? o.evidence.join("；") : "—"),
        o.counted ? cell("td", "计入") : cell("td", o.reason, "gm-declared-out"));
    }
  }
  return [table];
}

/**
 * Show a score (the scorer's `score` result) in the page's result region under `root`: totals, areas,
 * each item's tally, the grade and its meaning, the receipt, the chart, the notes and what was
 * declared. incomplete: rows left out for want of a date; gradeNames: grade id -> name;
 * itemElements: item id -> its .gm-item in the form.
 */
export function renderScore(root, score, { incomplete, gradeNames, itemElements }) {
  const $ = (selector, scope = root) => scope.querySelector(selector);
  const setAll = (selector, value) => { for (const node of root.querySelectorAll(selector)) put(node, value); };
  const total = text(score.total);
  setAll('[data-testid="total-score"]', total);
  setAll('[data-testid="grade"]', score.grade.name);
  setAll('[data-sticky="total"]', total);
  setAll('[data-sticky="grade"]', score.grade.name);
  for (const area of score.areas) {
    const row = $(`[data-area-row="${area.id}"]`);
    if (row) {
      put($('[data-cell="deducted"]', row), area.deducted ? `−${area.deducted}` : "0");
      put($('[data-cell="score"]', row), text(area.score));
    }
    put($(`[data-area-score="${area.id}"]`), `得分 ${area.score} / ${area.points}`);
    for (const indicator of area.indicators) {
      put($(`[data-indicator-score="${indicator.id}"]`),
        indicator.deducted ? `扣 ${indicator.deducted} 分${indicator.floored ? "（扣完为止）" : ""}` : "");
    }
  }
  put($('[data-area-row="bonus"] [data-cell="bonus"]'), score.bonus ? `+${score.bonus}` : "0");
  const totalRow = $('[data-area-row="total"]');
  put($('[data-cell="deducted"]', totalRow), score.deducted ? `−${score.deducted}` : "0");
  put($('[data-cell="total"]', totalRow), total);
  put($('[data-area-score="bonuses"]'), score.bonus ? `加 ${score.bonus} 分` : "");
  put($('[data-area-score="limits"]'), score.limits_applied.length ? `已记录 ${score.limits_applied.length} 项` : "");

  const found = tallies(score);
  for (const [id, item] of itemElements) {
    put($(`[data-item-tally="${id}"]`, item), found.get(id) || "");
    if (item.classList.contains("gm-item--hit") !== found.has(id)) item.classList.toggle("gm-item--hit", found.has(id));
  }

  put($('[data-grade="meaning"]'), score.grade.meaning);
  for (const key of ["organization", "principal", "members"]) {
    put($(`[data-grade="${key}"]`), score.grade.application[key]);
  }
  const receipt = $("#gm-receipt");
  const lines = score.receipt.join("\n");
  if (receipt.dataset.lines !== lines) {
    receipt.dataset.lines = lines;
    receipt.replaceChildren(...score.receipt.map((line) => {
      const li = document.createElement("li");
      li.textContent = line;
      return li;
    }));
  }
  const chart = $("#gm-chart");
  const bars = JSON.stringify(score.areas.map((a) => [a.id, a.name, a.score, a.points]));
  if (chart.dataset.bars !== bars) {
    chart.dataset.bars = bars;
    drawChart(chart, score.areas);
  }
  const limited = score.grade_by_score !== score.grade.id;
  const limitNote = $('[data-grade="limit-note"]');
  put(limitNote, limited
    ? `出现等级限制情形（${score.limits_applied.join("、")}）：按得分评定为“${gradeNames[score.grade_by_score] || score.grade_by_score}”，最终等级为“${score.grade.name}”。`
    : "");
  if (limitNote.hidden === limited) limitNote.hidden = !limited;
  const notes = ["根据本页当前填写的内容计算。"];
  if (incomplete) notes.push(`有 ${incomplete} 条记录尚未填写日期，未计入得分。`);
  put($("#gm-result-note"), notes.join(""));
  const scoreNotes = $("#gm-score-notes");
  if (scoreNotes.dataset.notes !== JSON.stringify(score.notes)) {
    scoreNotes.dataset.notes = JSON.stringify(score.notes);
    scoreNotes.replaceChildren(...score.notes.map((note) => cell("li", note)));
    scoreNotes.hidden = !score.notes.length;
  }
  const declared = $("#gm-declared");
  const shown = JSON.stringify(score.declared);
  if (declared.dataset.shown !== shown) {
    declared.dataset.shown = shown;
    declared.replaceChildren(...declaredTable(score.declared));
  }
}

/** The result region when the form cannot be scored yet: dashes, no notes, no declared list. */
export function clearScore(root) {
  for (const selector of ['[data-testid="total-score"]', '[data-testid="grade"]', "[data-sticky]"]) {
    for (const node of root.querySelectorAll(selector)) put(node, "—");
  }
  root.querySelector("#gm-result-note").textContent = "";
  root.querySelector("#gm-score-notes").hidden = true;
  const declared = root.querySelector("#gm-declared");
  declared.dataset.shown = "";
  declared.replaceChildren(cell("p", "填写需要修改，修改后显示。"));
}
