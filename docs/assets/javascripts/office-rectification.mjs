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
import { applicationOf, localDate, sliceFor, withEntry, withEvents, withRectificationOrganization } from "./office-application-model.mjs";
import { chunks, exportTable, problemsOf, saveShown, yearSettings } from "./office-application-page.mjs";
import { startYearPage } from "./office-year.mjs";

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

// A workspace saved by another tab (or imported, cleared) is drawn anew; this page's own saves are already shown.
const { scorer, setStatus, panel } = startYearPage(root, (value) => { workspace = value; render(); });

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
//
// One row per organization (its counts, the scorer's order: overdue first, then open), the most
// overdue items listed by themselves, and an organization's items drawn only when the user opens it
// (from its own view, `application_org` on its slice): 10 000 item rows with their controls are
// nobody's work list and took the page 19 s to draw. After an acceptance or a return, only that
// organization's row and items are replaced, from the answer of `application_add`.

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
    decidable ? el("td", {}, decide) : null);
}

const HEAD = ["党组织", "编号", "问题", "整改措施", "责任人", "整改期限", "状态"];

function itemsTable(rows, testid, caption, decidable) {
  return el("table", { className: "gmo-table gma-wrap gmx-table", "data-testid": testid }, el("caption", { className: "gmo-visually-hidden", text: caption }),
    el("thead", {}, el("tr", {}, [...HEAD, ...(decidable ? ["验收"] : [])].map((h) => el("th", { scope: "col", text: h })))), el("tbody", {}, rows));
}

function withEvidence(item) {
  const reported = [...item.events].reverse().find((e) => e.kind === "reported");
  const files = reported && reported.evidence ? reported.evidence : [];
  return files.length ? { ...item, evidence_text: `佐证：${files.map((f) => f.file + (f.sha256 ? `（SHA-256 ${f.sha256.slice(0, 12)}…）` : "")).join("、")}` } : item;
}

let district = null; // the scorer's rectification_view, with rows replaced after each change
const opened = new Map(); // organization -> its rectification (counts and items) while its items are shown

async function render() {
  if (!workspace || !settings) return;
  const run = ++renderRun;
  fillOrganizations();
  performance.mark("gmx-view-start"); // bench/application_page.py reads these marks
  const answer = await scorer.call("rectification_view", panel.bundles, panel.textOf(workspace), asOf.value || localDate());
  performance.mark("gmx-view-answer");
  if (run !== renderRun) return;
  if (!answer.ok) { $("#gmx-counts").textContent = `无法计算整改情况：${problemsOf(answer).join("；")}`; return; }
  district = answer.result;
  opened.clear();
  overdueListed = null;
  drawDistrict();
  performance.mark("gmx-view-rendered");
  root.dataset.rendered = String(Number(root.dataset.rendered || 0) + 1);
}

function drawCounts() {
  const v = district;
  const c = v.counts;
  $("#gmx-counts").textContent = `核对日期 ${v.as_of}：整改事项 ${c.items} 项，未销号 ${c.open} 项（其中逾期 ${c.overdue} 项，已报告待验收 ${c.reported} 项），` +
    `已销号 ${c.accepted} 项；有未销号事项的党组织 ${c.organizations_open} 个。`;
  $("#gmx-overdue-hint").textContent = c.overdue > c.overdue_shown
    ? `共 ${c.overdue} 项逾期，这里列出逾期最久的 ${c.overdue_shown} 项；各党组织的全部事项在下表中展开查看，完整清单请导出 Excel 或 CSV。`
    : "";
  // Redrawn only when the listed items changed: after one status change they mostly have not.
  const listed = JSON.stringify(v.overdue_items.map((i) => [i.id, i.days_overdue, i.status, i.events.length]));
  if (listed === overdueListed) return;
  overdueListed = listed;
  $("#gmx-overdue").replaceChildren(v.overdue_items.length
    ? itemsTable(v.overdue_items.map((i) => itemRow(withEvidence(i), i.organization, false)), "overdue-items", "逾期事项", false)
    : el("p", { className: "gmo-hint", text: "没有逾期事项。" }));
}

let overdueListed = null;

const FILTERS = {
  open: { test: (o) => o.open > 0, none: "没有未销号事项的党组织。" },
  overdue: { test: (o) => o.overdue > 0, none: "没有有逾期事项的党组织。" },
  all: { test: (o) => o.total > 0, none: "尚未下发整改事项。" },
};

function orgRow(o, index) {
  const cells = `gmx-items-${index}`;
  const open = opened.has(o.name);
  return el("tr", { className: `gmx-org-row${o.overdue ? " gmx-overdue" : o.open ? " gmx-open-org" : ""}`,
    dataset: { organization: o.name, open: String(o.open), overdue: String(o.overdue) } },
  el("th", { scope: "row", text: o.name }),
  el("td", { className: "gmo-num", text: String(o.total) }),
  el("td", { className: "gmo-num", text: String(o.open) }),
  el("td", { className: "gmo-num gmx-days", text: o.overdue ? `${o.overdue}（最长 ${o.max_days_overdue} 天）` : "0" }),
  el("td", { className: "gmo-num", text: String(o.reported) }),
  el("td", { className: "gmo-num", text: String(o.accepted) }),
  el("td", {}, el("button", { type: "button", className: "gmo-button", "data-action": "toggle-org", "aria-expanded": String(open),
    "aria-controls": cells, dataset: { organization: o.name }, text: open ? "收起事项" : "查看事项" })));
}

function itemsRow(o, index) {
  const rect = opened.get(o.name);
  return el("tr", { className: "gmx-items-row", id: `gmx-items-${index}`, dataset: { itemsOf: o.name } },
    el("td", { colspan: 7 }, rect.items.length
      ? itemsTable(rect.items.map((i) => itemRow(withEvidence(i), o.name)), "org-items-table", `${o.name}的整改事项`, true)
      : el("p", { className: "gmo-hint", text: "没有整改事项。" })));
}

const ORG_HEAD = ["党组织", "事项", "未销号", "逾期", "待验收", "已销号", "事项明细"];

/**
 * One organization's row (and its items, when opened) as a table of its own (same fixed columns, its
 * name as caption) in a block of its own, grouped in blocks the browser lays out only when near the
 * screen (office-application-page.mjs `chunks`), as the proposals table does: with one table of 1000 row groups,
 * replacing one group after an acceptance restyled and laid out all 1000 (150 ms a change); now a
 * change replaces one small table. The column heads show once; the later tables keep theirs for
 * screen readers, collapsed to nothing on screen.
 */
function orgTable(o, index, first) {
  return el("table", { className: "gmo-table gmx-org-table" },
    el("caption", { className: "gmo-visually-hidden", text: `${o.name}的整改情况` }),
    el("thead", { className: first ? null : "gmx-head-repeat" }, el("tr", {}, ORG_HEAD.map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", { dataset: { organization: o.name } }, orgRow(o, index), opened.has(o.name) ? itemsRow(o, index) : null));
}

function drawDistrict() {
  drawCounts();
  const filter = FILTERS[$("#gmx-filter").value] || FILTERS.open;
  const index = new Map(district.organizations.map((o, i) => [o.name, i]));
  const shown = district.organizations.filter(filter.test);
  $("#gmx-orgs").replaceChildren(shown.length ? el("div", { className: "gmx-orgs", "data-testid": "rect-table" },
    ...chunks(shown.map((o, i) => el("div", { className: "gmx-org", dataset: { organization: o.name } }, orgTable(o, index.get(o.name), i === 0))))) : el("p", { className: "gmo-hint", text: filter.none }));
}

/**
 * Replace one organization's table (its row, and its items when shown), and the counts. Its block
 * stays and only the table inside is replaced: replacing a block (or a row group) in the list of 1000
 * had the browser style every one of the list again (a Chromium trace: 10 000 elements, 80 ms, each
 * change).
 */
function redrawOrganization(name, before = null) {
  const index = district.organizations.findIndex((o) => o.name === name);
  const block = $(`#gmx-orgs .gmx-org[data-organization="${CSS.escape(name)}"]`);
  if (block && index >= 0 && !patchOrganization(block, district.organizations[index], index, before)) {
    block.replaceChildren(orgTable(district.organizations[index], index, block === $("#gmx-orgs .gmx-org")));
  }
  drawCounts();
}

/**
 * After one step recorded for an opened organization (`before`: its items as they were drawn), replace
 * only its row and the rows of the items that changed, when it holds the same items in the same order;
 * false otherwise (the caller draws its whole table). One acceptance changes one item of an
 * organization's ten or more: drawing all of them again, each with its form, was most of the layout
 * of a change.
 */
function patchOrganization(block, o, index, before) {
  const after = opened.get(o.name);
  if (!before || !after || before.items.length !== after.items.length || before.items.some((item, i) => item.id !== after.items[i].id)) return false;
  const rows = new Map([...block.querySelectorAll("tr[data-item]")].map((tr) => [tr.dataset.item, tr]));
  const row = block.querySelector("tr.gmx-org-row");
  if (!row || rows.size !== after.items.length) return false;
  row.replaceWith(orgRow(o, index));
  after.items.forEach((item, i) => {
    if (JSON.stringify(item) !== JSON.stringify(before.items[i])) rows.get(item.id).replaceWith(itemRow(withEvidence(item), o.name));
  });
  return true;
}

async function toggleOrganization(button) {
  const name = button.dataset.organization;
  if (opened.has(name)) {
    opened.delete(name);
    redrawOrganization(name);
    $(`#gmx-orgs tbody[data-organization="${CSS.escape(name)}"] [data-action="toggle-org"]`).focus();
    return;
  }
  await busyButton(button, "正在读取……", async () => {
    const answer = await scorer.call("application_org", panel.bundles, JSON.stringify(sliceFor(workspace, name)), name, district.as_of);
    if (!answer.ok) throw new Error(problemsOf(answer).join("；"));
    opened.set(name, answer.result.rectification);
    district = withRectificationOrganization(district, name, answer.result.rectification);
    redrawOrganization(name);
  }, (error) => showMessage($("#gmx-decide-alert"), "error", `无法显示“${name}”的整改事项：`, [error.message || String(error)]));
  const again = $(`#gmx-orgs tbody[data-organization="${CSS.escape(name)}"] [data-action="toggle-org"]`);
  if (again) again.focus();
  root.dataset.opened = String(Number(root.dataset.opened || 0) + 1);
}

$("#gmx-filter").addEventListener("change", () => { if (district) drawDistrict(); });

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

/**
 * One record through `application_add` on the organization's slice; its answer is shown at once (the
 * organization's row and, when open, its items), then the workspace with the record is checked and
 * saved (`panel.commit`) without recomputing the district. While that save runs, leaving the page asks
 * first (office-application-page.mjs `saveShown`).
 */
async function add(part, entry, box, refusal) {
  const owner = part === "events" ? (applicationOf(workspace).items.find((i) => i.id === entry.item) || {}).organization : entry.organization;
  performance.mark("gmx-change-start");
  const answer = await scorer.call("application_add", panel.bundles, JSON.stringify(sliceFor(workspace, owner)), part, JSON.stringify(entry), asOf.value || localDate());
  performance.mark("gmx-change-answer");
  if (!answer.ok) { showMessage(box, "error", `${refusal}，本机工作区没有任何改变。原因：`, problemsOf(answer)); box.focus(); return false; }
  const shownAsOf = district ? district.as_of : null;
  if (district && shownAsOf === (asOf.value || localDate())) {
    const rect = answer.result.view.rectification;
    const before = opened.get(owner) || null;
    if (opened.has(owner)) opened.set(owner, rect);
    district = withRectificationOrganization(district, owner, rect);
    redrawOrganization(owner, before);
    performance.mark("gmx-change-shown");
  }
  const saved = await saveShown(panel, withEntry(workspace, part, answer.result.entry));
  if (!saved.ok) {
    showMessage(box, "error", `${refusal}，本机工作区没有任何改变。原因：`, problemsOf(saved));
    box.focus();
    workspace = panel.workspace();
    render();
    return false;
  }
  workspace = panel.workspace();
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
  const answer = await scorer.call("rectification_import", panel.bundles, panel.textOf(workspace), read.text, new Date().toISOString().slice(0, 19) + "Z");
  if (!answer.ok) { refuse(problemsOf(answer)); return; }
  const r = answer.result;
  if (!r.events.length) { showMessage(box, "info", `“${file.name}”此前已导入，没有新的内容。`); return; }
  const saved = await panel.commit(withEvents(workspace, r.events), { announce: false });
  if (!saved.ok) { refuse(problemsOf(saved)); return; }
  workspace = panel.workspace();
  render(); // a report touches many items: the district is drawn anew, once
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
  else if (action === "toggle-org") toggleOrganization(target);
  else if (action === "export") exportView(target.dataset.kind, target);
});
