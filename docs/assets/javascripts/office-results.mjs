// The district page of final results and the roster (office/results/): the roster and the year's
// inspection plan, self-assessments and related results imported into the year's workspace; the
// scorer's `results_view` of that workspace shown as a table (changed grades first), who is missing
// what (one click, exportable), the grade distribution and the heatmap; exports by `results_export`.
// Every figure is the scorer's; every file is read and checked by it, and a refused file never
// changes the stored workspace (office-year.mjs commits only what the scorer accepted).

import { registerOffline } from "./offline.mjs";
import { readThrough } from "./file-bytes.mjs";
import { distribution, heatmap, legend } from "./office-charts.mjs";
import { base64Bytes, csvBlob, XLSX_TYPE } from "./export-files.mjs";
import { busyButton, hideMessage, showMessage } from "./office-common.mjs";
import { describeProblem } from "./problems.mjs";
import { download, el } from "./dom.mjs";
import { emptyWorkspace, startYearPage } from "./office-year.mjs";
import { PAGE_SIZES, pageRange } from "./office-table.mjs";

const root = document.getElementById("gm-office-results");
const $ = (selector, scope = root) => scope.querySelector(selector);

const planBox = $("#gmo-plan");

let workspace = null;
let view = null;
let renderRun = 0;
const paging = { page: 0, size: PAGE_SIZES[0], all: false }; // all: while printing

const { scorer, setStatus, panel } = startYearPage(root, (value) => { workspace = value; render(); });

panel.ready.then(({ year }) => {
  setStatus("ready", `程序已就绪：${year} 年度的工作区保存在本机浏览器中。`);
  root.dataset.interactive = "true";
  registerOffline().catch(() => {});
}).catch((error) => setStatus("error", error.message || String(error)));

const problemsOf = (answer) => answer.problems.map(describeProblem);

/** Commit `next`; on refusal show why in `box` (the stored workspace is unchanged). */
async function commitOr(box, next, heading) {
  const answer = await panel.commit(next);
  if (!answer.ok) {
    showMessage(box, "error", `${heading}，本机工作区没有任何改变。原因：`, problemsOf(answer));
    box.focus();
  }
  return answer.ok;
}

// ---------------------------------------------------------------- roster and plan

function renderRoster() {
  const kinds = new Map();
  for (const o of workspace.roster) kinds.set(o.kind || "未分类", (kinds.get(o.kind || "未分类") || 0) + 1);
  $("#gmo-roster-summary").textContent = workspace.roster.length
    ? `名单共 ${workspace.roster.length} 个党组织（${[...kinds].map(([k, n]) => `${k} ${n} 个`).join("、")}）；检查计划 ${workspace.plan.selected.length} 个。`
    : "尚未导入党组织名单。";
  if (document.activeElement !== planBox) planBox.value = workspace.plan.selected.join("\n");
}

/**
 * A chosen CSV file read by the scorer (`readThrough`, then operation `op` on its text), then `use(result,
 * file)` with the answer; every refusal is shown in `box` and leaves the workspace as it was.
 */
function onCsvFile(input, box, op, use) {
  input.addEventListener("change", async (event) => {
    const file = event.target.files && event.target.files[0];
    event.target.value = "";
    if (!file) return;
    hideMessage(box);
    await panel.ready;
    const refuse = (lines) => { showMessage(box, "error", `未导入“${file.name}”，本机工作区没有任何改变。原因：`, lines); box.focus(); };
    const [read] = await readThrough(scorer, "csv", [file]);
    if (read.problems) { refuse(read.problems.map(describeProblem)); return; }
    const answer = await scorer.call(op, read.text);
    if (!answer.ok) { refuse(problemsOf(answer)); return; }
    await use(answer.result, file);
  });
}

onCsvFile($("#gmo-roster-file"), $("#gmo-roster-alert"), "organizations", async (organizations, file) => {
  const box = $("#gmo-roster-alert");
  if (workspace.roster.length && !window.confirm(`用“${file.name}”中的 ${organizations.length} 个党组织替换现有名单（${workspace.roster.length} 个）吗？`)) return;
  const roster = organizations.map((o) => (o.kind ? { name: o.name, kind: o.kind } : { name: o.name }));
  if (await commitOr(box, { ...workspace, roster }, `未导入“${file.name}”`)) {
    showMessage(box, "info", `已导入名单：${roster.length} 个党组织。`);
  }
});

async function savePlan(button) {
  const box = $("#gmo-roster-alert");
  hideMessage(box);
  const names = [...new Set(planBox.value.split(/\r?\n/).map((line) => line.split(/[,\t]/)[0].trim()).filter(Boolean))];
  await busyButton(button, "正在保存……", async () => {
    if (await commitOr(box, { ...workspace, plan: { ...workspace.plan, selected: names } }, "检查计划未保存")) {
      showMessage(box, "info", `已保存检查计划：${names.length} 个党组织。`);
    }
  }, (error) => showMessage(box, "error", "检查计划未保存：", [error.message || String(error)]));
}

// ---------------------------------------------------------------- self-assessments

$("#gmo-assessments").addEventListener("change", async (event) => {
  const files = Array.from(event.target.files || []);
  event.target.value = "";
  if (!files.length) return;
  const box = $("#gmo-import-alert");
  hideMessage(box);
  showMessage(box, "info", `正在检查 ${files.length} 个文件……`);
  await panel.ready;
  const refused = [];
  const accepted = [];
  const reads = await readThrough(scorer, "json", files);
  for (const read of reads) {
    if (read.problems) { refused.push(`${read.name}：${read.problems.map(describeProblem).join("；")}`); continue; }
    const hashed = await scorer.call("assessment_hash", read.text);
    if (!hashed.ok) { refused.push(`${read.name}：${problemsOf(hashed).join("；")}`); continue; }
    const entry = { name: read.name, hash: hashed.result.hash, imported: new Date().toISOString(), assessment: JSON.parse(read.text) };
    // Each file checked alone against the year's standards, so one bad file names itself and spoils nothing.
    const alone = await scorer.call("workspace_read", panel.bundles, JSON.stringify({ ...emptyWorkspace(workspace.year), assessments: [entry] }));
    if (!alone.ok) { refused.push(`${read.name}：${problemsOf(alone).join("；")}`); continue; }
    accepted.push(entry);
  }
  let added = 0;
  if (accepted.length) {
    // The scorer's merge keeps one entry per content hash: a file imported twice is not doubled.
    const incoming = { ...emptyWorkspace(workspace.year), assessments: accepted };
    const merged = await scorer.call("workspace_merge", panel.bundles, panel.textOf(workspace), JSON.stringify(incoming));
    if (!merged.ok) { showMessage(box, "error", "未导入，本机工作区没有任何改变。原因：", problemsOf(merged)); box.focus(); return; }
    if (!(await commitOr(box, merged.result.workspace, "未导入"))) return;
    const count = merged.result.added.assessments;
    added = Array.isArray(count) ? count.length : Number(count) || 0;
  }
  const lines = [];
  if (accepted.length - added > 0) lines.push(`${accepted.length - added} 个文件与已导入的内容相同，未重复导入。`);
  lines.push(...refused);
  showMessage(box, refused.length ? "warning" : "info", `已导入 ${added} 份自评${refused.length ? `；${refused.length} 个文件未导入（本机工作区中的其他内容没有改变），原因如下` : "。"}`, lines);
  if (refused.length) box.focus();
});

// ---------------------------------------------------------------- related results

onCsvFile($("#gmo-related-file"), $("#gmo-related-alert"), "references", async (references, file) => {
  const related = { ...workspace.related };
  for (const [name, values] of Object.entries(references.values)) related[name] = { ...(related[name] || {}), ...values };
  if (await commitOr($("#gmo-related-alert"), { ...workspace, related }, `未导入“${file.name}”`)) {
    showMessage($("#gmo-related-alert"), "info", `已导入相关评议结果：${Object.keys(references.values).length} 个党组织，${references.columns.join("、")}。`);
  }
});

// ---------------------------------------------------------------- the results

const STATUS_WORDS = { submitted: ["已提交", "未提交"], selected: ["抽中", "未抽中"], reviewed: ["已核查", "未核查"], final: ["有结果", "无结果"] };

function badge(row, key) {
  const [yes, no] = STATUS_WORDS[key];
  return el("span", { className: `gmo-status-badge gmo-status-badge--${row[key] ? "yes" : "no"}`, text: row[key] ? yes : no });
}

function figure(total, grade) {
  if (total === null || total === undefined) return "—";
  return `${total} 分 · ${grade}`;
}

function tableRow(r) {
  return el("tr", { className: r.grade_changed ? "gmo-row-changed" : null, dataset: { organization: r.organization, changed: String(r.grade_changed) } },
    el("th", { scope: "row", text: r.organization }),
    el("td", { text: r.kind || "" }),
    ...["submitted", "selected", "reviewed", "final"].map((k) => el("td", {}, badge(r, k))),
    el("td", { text: r.method_name || "—" }),
    el("td", { className: "gmo-num", text: figure(r.self_total, r.self_grade) }),
    el("td", { className: "gmo-num", "data-testid": "final-figure" }, figure(r.total, r.grade),
      r.grade_changed ? el("span", { className: "gmo-changed", text: `（${r.self_grade} → ${r.grade}）` }) : null),
    el("td", { className: "gmo-num", text: String(r.changes || 0) }),
    el("td", { text: r.missing.join("；") }));
}

/** The table's rows of the current page (every row while printing), and the pager under it. */
function renderTable() {
  const head = ["党组织", "类别", "自评", "抽中", "核查", "结果", "评议方式", "自评得分与等级", "最终得分与等级", "变更", "尚缺"];
  const range = pageRange(view.rows.length, paging.page, paging.all ? "all" : paging.size);
  if (!paging.all) paging.page = range.page; // printing keeps the page the screen goes back to
  const table = el("table", { className: "gmo-table", "data-testid": "results-table" },
    el("caption", { className: "gmo-visually-hidden", text: `${view.year} 年度最终评议结果` }),
    el("thead", {}, el("tr", {}, head.map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, view.rows.slice(range.start, range.end).map(tableRow)));
  $("#gmo-table-box").replaceChildren(view.rows.length ? table : el("p", { className: "gmo-hint", text: "工作区中还没有党组织。" }));
  const pager = $("#gmo-pager");
  pager.hidden = view.rows.length <= PAGE_SIZES[0];
  $('[data-testid="page-range"]').textContent = `第 ${range.start + 1}–${range.end} 个，共 ${view.rows.length} 个（第 ${range.page + 1}/${range.pages} 页）`;
  $('[data-action="page-prev"]').disabled = range.page === 0;
  $('[data-action="page-next"]').disabled = range.page >= range.pages - 1;
}

$("#gmo-page-size").addEventListener("change", (event) => {
  paging.size = event.target.value === "all" ? "all" : Number(event.target.value);
  paging.page = 0;
  if (view) renderTable();
});
// Printing lists every organization; the screen goes back to its page after.
window.addEventListener("beforeprint", () => { paging.all = true; if (view) renderTable(); });
window.addEventListener("afterprint", () => { paging.all = false; if (view) renderTable(); });

function renderMissing() {
  const list = $("#gmo-missing");
  list.replaceChildren(view.missing.length
    ? el("ul", { className: "gmo-missing-list" }, view.missing.map((m) => el("li", {}, el("strong", { text: m.name }), m.kind ? `（${m.kind}）` : "", "：", m.missing.join("；"))))
    : el("p", { className: "gmo-hint", text: "没有尚缺材料的党组织。" }));
  $('[data-action="show-missing"]').textContent = `${list.hidden ? "查看" : "收起"}尚缺名单（${view.missing.length} 个）`;
}

function renderCharts() {
  const titles = new Map(view.rows.map((r) => [r.standard, r.standard_title]));
  const blocks = distribution(view.distribution, titles);
  const compare = view.distribution.map((entry) => el("table", { className: "gmo-dist-table", "data-testid": "self-vs-final" },
    el("caption", { text: `${titles.get(entry.standard) || entry.standard}：自评等级与最终等级` }),
    el("thead", {}, el("tr", {}, ["等级", "最终评定", "自评"].map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, entry.grades.map((g) => el("tr", {}, el("th", { scope: "row", text: g.name }),
      el("td", { className: "gmo-num", text: String(g.count) }), el("td", { className: "gmo-num", text: String(g.self_count) }))))));
  $("#gmo-distribution").replaceChildren(...blocks, ...compare);
  $("#gmo-legend").replaceChildren(legend());
  const finals = view.rows.filter((r) => r.final);
  $("#gmo-heatmap").replaceChildren(finals.length ? heatmap(finals, view.areas, { compact: window.innerWidth < 700 })
    : el("p", { className: "gmo-hint", text: "还没有最终结果。" }));
}

async function render() {
  if (!workspace) return;
  renderRoster();
  const run = ++renderRun;
  await panel.ready;
  performance.mark("gmo-results-start"); // bench/year_workspace.py reads these marks
  const answer = await scorer.call("results_view", panel.bundles, panel.textOf(workspace));
  performance.mark("gmo-results-answer");
  if (run !== renderRun) return; // a newer workspace arrived meanwhile
  if (!answer.ok) {
    $("#gmo-counts").textContent = `无法计算评议结果：${problemsOf(answer).join("；")}`;
    return;
  }
  view = answer.result;
  const c = view.counts;
  $("#gmo-counts").textContent = `名单 ${view.roster} 个党组织，表中共 ${view.rows.length} 个：已提交自评 ${c.submitted} 个，抽中检查 ${c.selected} 个，` +
    `已核查评议 ${c.reviewed} 个，有最终结果 ${c.final} 个；等级经评议改变的 ${view.changed} 个；尚缺材料的 ${view.missing.length} 个。`;
  renderTable();
  renderMissing();
  renderCharts();
  performance.mark("gmo-results-rendered");
  root.dataset.rendered = String(Number(root.dataset.rendered || 0) + 1);
}

// ---------------------------------------------------------------- exports

async function exportResults(kind, button) {
  const box = $("#gmo-import-alert");
  await busyButton(button, "正在生成……", async () => {
    const answer = await scorer.call("results_export", kind, panel.bundles, panel.textOf(workspace));
    if (!answer.ok) throw new Error(problemsOf(answer).join("；"));
    const stem = kind === "missing" ? `尚缺名单_${workspace.year}` : `评议结果_${workspace.year}`;
    if (kind === "xlsx") download(new Blob([base64Bytes(answer.result.base64)], { type: XLSX_TYPE }), `${stem}.xlsx`);
    else download(csvBlob(answer.result.text), `${stem}.csv`);
  }, (error) => showMessage(box, "error", "导出失败：", [error.message || String(error)]));
}

root.addEventListener("click", (event) => {
  const target = event.target.closest("[data-action]");
  if (!target || !root.contains(target) || target.closest("#gmo-workspace")) return;
  switch (target.dataset.action) {
    case "save-plan": savePlan(target); break;
    case "show-missing": {
      const list = $("#gmo-missing");
      list.hidden = !list.hidden;
      target.setAttribute("aria-expanded", String(!list.hidden));
      if (view) renderMissing();
      break;
    }
    case "page-prev": case "page-next":
      paging.page += target.dataset.action === "page-next" ? 1 : -1;
      renderTable();
      break;
    case "export-missing": exportResults("missing", target); break;
    case "export-xlsx": exportResults("xlsx", target); break;
    case "export-csv": exportResults("csv", target); break;
    default: break;
  }
});
