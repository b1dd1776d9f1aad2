// 整改 (office/rectification/): items issued per organization from the problems of its final result,
// the list file sent to it, its report imported, each reported item accepted or returned with a
// reason, and the district view (overdue items and organizations with open items first).
//
// What is overdue, every status, and every check of an item, a report or an acceptance is the
// scorer's (scorer/rectification.py, application_ops.py); the page shows the answers and appends to
// the workspace only what the scorer accepted (items and events are never edited once recorded).

import { registerOffline } from "./offline.mjs";
import { readThrough } from "./file-bytes.mjs";
import { download, el } from "./dom.mjs";
import { describeProblem } from "./problems.mjs";
import { busyButton, hideMessage, showMessage } from "./office-common.mjs";
import { newId, organizationsOf, safeName } from "./office-review-model.mjs";
import { applicationOf, localDate, sliceFor, withEntry, withEvents } from "./office-application-model.mjs";
import { exportTable, problemsOf, startPage, yearSettings } from "./office-application-page.mjs";

const root = document.getElementById("gm-office-rectification");
const $ = (selector, scope = document) => scope.querySelector(selector);

const orgSelect = $("#gmx-org");
const asOf = $("#gmx-as-of");
const issueForm = $("#gmx-issue");

let workspace = null;
let settings = null;
let orgView = null;
let renderRun = 0;

asOf.value = localDate();
$("#gmx-issued").value = localDate();

const { scorer, setStatus, panel } = startPage(root, (value) => { workspace = value; render(); });

panel.ready.then(async ({ year }) => {
  settings = await yearSettings(scorer, panel);
  $("#gmx-deadline-hint").textContent = `年度设置（${settings.sample ? "示例值" : "正式"}）：整改期限一般为下发后 ${settings.rectification.deadline_days} 日；` +
    `期限后 ${settings.rectification.grace_days} 日仍未销号的，计为逾期。`;
  setStatus("ready", `程序已就绪：${year} 年度的工作区保存在本机浏览器中。`);
  root.dataset.interactive = "true";
  render();
  registerOffline().catch(() => {});
}).catch((error) => setStatus("error", error.message || String(error)));

// ---------------------------------------------------------------- the district view

const badge = (item) => {
  if (item.overdue) return el("span", { className: "gmx-badge gmx-badge--overdue", text: `逾期 ${item.days_overdue} 天` });
  if (item.status === "reported") return el("span", { className: "gmx-badge gmx-badge--reported", text: item.status_name });
  if (item.status === "accepted") return el("span", { className: "gmx-badge gmx-badge--accepted", text: item.status_name });
  return el("span", { className: "gmx-badge", text: item.status_name });
};

function itemRow(item, name, decidable = true) {
  const decide = decidable && item.status === "reported" ? el("form", { className: "gmx-decide", dataset: { item: item.id } },
    el("div", { className: "gmo-field" }, el("label", { for: `gmx-reason-${item.id}`, text: "退回理由" }),
      el("input", { id: `gmx-reason-${item.id}`, name: "reason", autocomplete: "off" })),
    el("button", { type: "button", className: "gmo-button gmo-button--primary", "data-action": "accept", text: "验收销号" }),
    el("button", { type: "button", className: "gmo-button", "data-action": "return", text: "退回重改" })) : null;
  const last = item.events.length ? item.events[item.events.length - 1] : null;
  return el("tr", { className: item.overdue ? "gmx-overdue" : null, dataset: { item: item.id, status: item.status, overdue: String(item.overdue) } },
    el("th", { scope: "row", text: name }),
    el("td", { text: item.id }),
    el("td", { text: item.problem_text }),
    el("td", { text: item.measure }),
    el("td", { text: item.responsible }),
    el("td", { className: "gmo-num", text: item.deadline }),
    el("td", {}, badge(item), last ? el("div", { className: "gmo-hint", text: `${last.kind_name}（${last.date}）${last.note ? `：${last.note}` : ""}${last.reason ? `：${last.reason}` : ""}` }) : null,
      item.evidence_text ? el("div", { className: "gmo-hint", text: item.evidence_text }) : null),
    el("td", {}, decide));
}

const HEAD = ["党组织", "编号", "问题", "整改措施", "责任人", "整改期限", "状态", "验收"];

function itemsTable(rows, testid, caption) {
  return el("table", { className: "gmo-table gma-wrap gmx-table", "data-testid": testid }, el("caption", { className: "gmo-visually-hidden", text: caption }),
    el("thead", {}, el("tr", {}, HEAD.map((h) => el("th", { scope: "col", text: h })))), el("tbody", {}, rows));
}

function withEvidence(item) {
  const reported = [...item.events].reverse().find((e) => e.kind === "reported");
  const files = reported && reported.evidence ? reported.evidence : [];
  return files.length ? { ...item, evidence_text: `佐证：${files.map((f) => f.file + (f.sha256 ? `（SHA-256 ${f.sha256.slice(0, 12)}…）` : "")).join("、")}` } : item;
}

async function render() {
  if (!workspace || !settings) return;
  const run = ++renderRun;
  fillOrganizations();
  performance.mark("gmx-view-start"); // bench/application_page.py reads these marks
  const answer = await scorer.call("rectification_view", panel.bundles, JSON.stringify(workspace), asOf.value || localDate());
  if (run !== renderRun) return;
  if (!answer.ok) { $("#gmx-counts").textContent = `无法计算整改情况：${problemsOf(answer).join("；")}`; return; }
  const v = answer.result;
  const c = v.counts;
  $("#gmx-counts").textContent = `核对日期 ${v.as_of}：整改事项 ${c.items} 项，未销号 ${c.open} 项（其中逾期 ${c.overdue} 项，已报告待验收 ${c.reported} 项），` +
    `已销号 ${c.accepted} 项；有未销号事项的党组织 ${c.organizations_open} 个。`;
  $("#gmx-overdue").replaceChildren(v.overdue_items.length
    ? itemsTable(v.overdue_items.map((i) => itemRow(withEvidence(i), i.organization, false)), "overdue-items", "逾期事项")
    : el("p", { className: "gmo-hint", text: "没有逾期事项。" }));
  const orgRows = [];
  for (const o of v.organizations) {
    if (!o.total) continue;
    orgRows.push(el("tr", { className: `gmx-org-row${o.overdue ? " gmx-overdue" : o.open ? " gmx-open-org" : ""}`, dataset: { organization: o.name, open: String(o.open), overdue: String(o.overdue) } },
      el("th", { scope: "rowgroup", colspan: HEAD.length, text: `${o.name}：事项 ${o.total} 项，未销号 ${o.open} 项，逾期 ${o.overdue} 项，待验收 ${o.reported} 项，已销号 ${o.accepted} 项` })));
    for (const i of o.items) orgRows.push(itemRow(withEvidence(i), o.name));
  }
  $("#gmx-orgs").replaceChildren(orgRows.length ? itemsTable(orgRows, "rect-table", "各党组织整改事项") : el("p", { className: "gmo-hint", text: "尚未下发整改事项。" }));
  performance.mark("gmx-view-rendered");
  root.dataset.rendered = String(Number(root.dataset.rendered || 0) + 1);
}

asOf.addEventListener("change", () => render());

// ---------------------------------------------------------------- issuing

function fillOrganizations() {
  const keep = orgSelect.value;
  orgSelect.replaceChildren(el("option", { value: "", text: "请选择党组织" }),
    ...organizationsOf(workspace).map((o) => el("option", { value: o.name, text: o.name })));
  if ([...orgSelect.options].some((o) => o.value === keep)) orgSelect.value = keep;
}

async function showOrganization() {
  const box = $("#gmx-issue-alert");
  const name = orgSelect.value;
  issueForm.hidden = !name;
  orgView = null;
  $("#gmx-org-items").replaceChildren();
  if (!name) return;
  const answer = await scorer.call("application_org", panel.bundles, JSON.stringify(sliceFor(workspace, name)), name, asOf.value || localDate());
  if (!answer.ok) { issueForm.hidden = true; showMessage(box, "error", `无法为“${name}”下发整改事项：`, problemsOf(answer)); return; }
  orgView = answer.result;
  const select = $("#gmx-problem");
  select.replaceChildren(el("option", { value: "", text: orgView.suggested.length ? "请选择问题" : "没有尚未下发整改的问题" }),
    ...orgView.suggested.map((s) => el("option", { value: s.problem, text: s.problem_text })));
  const items = orgView.rectification.items;
  $("#gmx-org-items").replaceChildren(items.length
    ? el("p", { className: "gmo-hint", text: `已向“${name}”下发 ${items.length} 项：${items.map((i) => `${i.id}（${i.status_name}）`).join("、")}` }) : null);
}

orgSelect.addEventListener("change", () => { hideMessage($("#gmx-issue-alert")); showOrganization(); });

issueForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const box = $("#gmx-issue-alert");
  const button = issueForm.querySelector('button[type="submit"]');
  busyButton(button, "正在下发……", async () => {
    hideMessage(box);
    const data = Object.fromEntries(new FormData(issueForm).entries());
    const problem = orgView.suggested.find((s) => s.problem === data.problem);
    const entry = { id: newId("rect"), organization: orgView.organization, problem: data.problem,
      problem_text: problem ? problem.problem_text : data.problem, measure: data.measure.trim(), deadline: data.deadline,
      responsible: data.responsible.trim(), issued: data.issued };
    await add("items", entry, box, "未下发");
    issueForm.reset();
    $("#gmx-issued").value = localDate();
    await showOrganization();
  }, (error) => showMessage(box, "error", "未下发：", [error.message || String(error)]));
});

/** One record through `application_add`, then the workspace with it checked and saved. */
async function add(part, entry, box, refusal) {
  const owner = part === "events" ? (applicationOf(workspace).items.find((i) => i.id === entry.item) || {}).organization : entry.organization;
  performance.mark("gmx-change-start");
  const answer = await scorer.call("application_add", panel.bundles, JSON.stringify(sliceFor(workspace, owner)), part, JSON.stringify(entry), asOf.value || localDate());
  if (!answer.ok) { showMessage(box, "error", `${refusal}，本机工作区没有任何改变。原因：`, problemsOf(answer)); box.focus(); return false; }
  const saved = await panel.commit(withEntry(workspace, part, answer.result.entry));
  if (!saved.ok) { showMessage(box, "error", `${refusal}，本机工作区没有任何改变。原因：`, problemsOf(saved)); box.focus(); return false; }
  showMessage(box, "info", part === "items" ? `已下发整改事项 ${entry.id}。` : `已记录：${entry.kind === "accepted" ? "验收销号" : "退回重改"}（${entry.item}）。`);
  return true;
}

async function exportList(button) {
  const box = $("#gmx-issue-alert");
  await busyButton(button, "正在生成……", async () => {
    const name = orgSelect.value;
    const answer = await scorer.call("rectification_list", panel.bundles, JSON.stringify(sliceFor(workspace, name)), name,
      JSON.stringify({ issued: $("#gmx-issued").value || localDate(), office: "区委落实全面从严治党主体责任领导小组办公室" }));
    if (!answer.ok) throw new Error(problemsOf(answer).join("；"));
    download(new Blob([JSON.stringify(answer.result.list, null, 2)], { type: "application/json" }), `整改清单_${workspace.year}_${safeName(name)}.json`);
  }, (error) => showMessage(box, "error", "导出失败：", [error.message || String(error)]));
}

// ---------------------------------------------------------------- reports, acceptance

$("#gmx-report").addEventListener("change", async (event) => {
  const file = event.target.files && event.target.files[0];
  event.target.value = "";
  if (!file) return;
  const box = $("#gmx-import-alert");
  hideMessage(box);
  await panel.ready;
  const [read] = await readThrough(scorer, "json", [file]);
  const refuse = (lines) => { showMessage(box, "error", `未导入“${file.name}”，本机工作区没有任何改变。原因：`, lines); box.focus(); };
  if (read.problems) { refuse(read.problems.map(describeProblem)); return; }
  const answer = await scorer.call("rectification_import", panel.bundles, JSON.stringify(workspace), read.text, new Date().toISOString().slice(0, 19) + "Z");
  if (!answer.ok) { refuse(problemsOf(answer)); return; }
  const r = answer.result;
  if (!r.events.length) { showMessage(box, "info", `“${file.name}”此前已导入，没有新的内容。`); return; }
  const saved = await panel.commit(withEvents(workspace, r.events));
  if (!saved.ok) { refuse(problemsOf(saved)); return; }
  showMessage(box, "info", `已导入“${r.organization}”的整改情况报告：${r.events.length} 个事项${r.already.length ? `（${r.already.length} 个此前已导入）` : ""}。请在下方逐项验收或退回。`);
});

async function decide(form, kind, button) {
  const box = $("#gmx-decide-alert");
  hideMessage(box);
  const reason = form.querySelector('[name="reason"]').value.trim();
  const entry = { id: newId("evt"), item: form.dataset.item, kind, date: asOf.value || localDate(), recorded: new Date().toISOString().slice(0, 19) + "Z" };
  if (reason) entry.reason = reason;
  await busyButton(button, "正在记录……", () => add("events", entry, box, kind === "accepted" ? "未销号" : "未退回"),
    (error) => showMessage(box, "error", "未记录：", [error.message || String(error)]));
}

function exportView(kind, button) {
  return exportTable({ scorer, panel, workspace, kind, asOf: asOf.value || localDate(), stem: `整改情况_${workspace.year}_${asOf.value}`,
    button, box: $("#gmx-decide-alert") });
}

root.addEventListener("click", (event) => {
  const target = event.target.closest("[data-action]");
  if (!target || !root.contains(target) || target.closest("#gmo-workspace")) return;
  const action = target.dataset.action;
  if (action === "accept" || action === "return") decide(target.closest("form"), action === "accept" ? "accepted" : "returned", target);
  else if (action === "export-list") exportList(target);
  else if (action === "export") exportView(target.dataset.kind, target);
});
