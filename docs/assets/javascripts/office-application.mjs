// 运用建议与决定 (office/application/): one organization's proposals, persons with responsibility,
// 容错 and 澄清保护 findings, the leading group's decision, the notice and the result's history; the
// district's proposals table for the meeting and the summary of decisions.
//
// Every proposal, basis, check and figure is the scorer's (scorer/application_ops.py): the page sends
// the organization's slice of the workspace (office-application-model.mjs) and shows the answer. A
// record is stored only after `application_add` accepted it (it is then appended, never replacing
// anything: decisions are locked, a later change is a new dated entry).

import { registerOffline } from "./offline.mjs";
import { fingerprintFile } from "./assess-evidence.mjs";
import { el } from "./dom.mjs";
import { busyButton, hideMessage, showMessage } from "./office-common.mjs";
import { newId } from "./office-review-model.mjs";
import { localDate, sliceFor, withDistrictRow, withEntry } from "./office-application-model.mjs";
import { chunks, exportTable as exportFile, problemsOf, saveShown, yearSettings } from "./office-application-page.mjs";
import { startYearPage } from "./office-year.mjs";

const root = document.getElementById("gm-office-application");
const $ = (selector, scope = document) => scope.querySelector(selector);

const orgSelect = $("#gma-org");
const alertBox = $("#gma-alert");

let workspace = null;
let settings = null;
let district = null;
let view = null;
let renderRun = 0;
let orgRun = 0;

// A workspace saved by another tab (or imported, cleared) is drawn anew; this page's own saves are already shown.
const { scorer, setStatus, panel } = startYearPage(root, (value) => { workspace = value; render(); });

panel.ready.then(async ({ year }) => {
  settings = await yearSettings(scorer, panel);
  fillSettings();
  setStatus("ready", `程序已就绪：${year} 年度的工作区保存在本机浏览器中。`);
  root.dataset.interactive = "true";
  render();
  registerOffline().catch(() => {});
}).catch((error) => setStatus("error", error.message || String(error)));

function options(select, entries, placeholder) {
  const keep = select.value;
  select.replaceChildren(...(placeholder ? [el("option", { value: "", text: placeholder })] : []),
    ...entries.map(([value, text]) => el("option", { value, text })));
  if (entries.some(([value]) => value === keep)) select.value = keep;
}

function fillSettings() {
  options($("#gma-person-resp"), settings.responsibilities.map((r) => [r.id, r.name]), "请选择");
  options($("#gma-t-situation"), settings.situations.map((s) => [s.id, s.placeholder ? `${s.name}（占位，待编辑填写）` : s.name]), "请选择");
  $("#gma-tolerance-note").textContent = settings.tolerance.note;
  const sample = $("#gma-sample");
  sample.hidden = !settings.sample;
  sample.textContent = settings.sample ? "本年度结果运用设置（责任类型、运用建议表述、容错情形等）为示例值，尚待编辑替换为正式表述；容错情形为待填写的占位条目，不是正式条文。" : "";
  for (const input of root.querySelectorAll('input[type="date"]')) if (!input.value) input.value = localDate();
}

// ---------------------------------------------------------------- the district table

async function render() {
  if (!workspace || !settings) return;
  const run = ++renderRun;
  performance.mark("gma-table-start"); // bench/application_page.py reads these marks
  const answer = await scorer.call("application_view", panel.bundles, panel.textOf(workspace));
  performance.mark("gma-table-answer");
  if (run !== renderRun) return;
  if (!answer.ok) { $("#gma-summary").textContent = `无法计算运用建议：${problemsOf(answer).join("；")}`; return; }
  district = answer.result;
  renderTable();
  performance.mark("gma-table-rendered");
  const names = district.rows.map((r) => [r.name, r.grade ? `${r.name}（${r.grade.name}）` : `${r.name}（无最终结果）`]);
  options(orgSelect, names, "请选择党组织");
  root.dataset.rendered = String(Number(root.dataset.rendered || 0) + 1);
  if (orgSelect.value) await showOrganization(orgSelect.value);
}

const STATE_WORDS = { none: "未决定", decided: "已决定", changed: "已变更" };

const HEAD = ["党组织", "最终得分与等次", "建议对象", "运用建议", "依据", "决定"];

function renderSummary() {
  const s = district.summary;
  $("#gma-summary").textContent = `${district.year} 年度：有最终结果的党组织 ${s.with_result} 个，已作运用决定 ${s.decided} 个（按建议通过 ${s.adopted} 个，` +
    `改变建议 ${s.modified} 个，其后变更 ${s.changed} 个），未决定 ${s.undecided} 个；结果已改变须重新审议 ${s.stale} 个。`;
  const grades = Object.values(s.by_grade);
  $("#gma-grades").replaceChildren(el("table", { className: "gmo-dist-table" },
    el("thead", {}, el("tr", {}, ["等次", "党组织", "已决定"].map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, grades.map((g) => el("tr", {}, el("th", { scope: "row", text: g.name }),
      el("td", { className: "gmo-num", text: String(g.count) }), el("td", { className: "gmo-num", text: String(g.decided) }))))));
}

const COLUMNS = ["gma-c-name", "gma-c-grade", "gma-c-who", "gma-c-text", "gma-c-basis", "gma-c-decision"];

/**
 * One organization's rows of the proposals table, as a table of its own (same fixed columns, its name
 * as caption) in its block, grouped in blocks the browser lays out only when near the screen
 * (office-application-page.mjs `chunks`): one table of 6000 rows was laid out whole (seconds) on the first draw and again
 * after every change; now one change replaces one small table and lays out just that.
 */
function rowGroup(r, first) {
  const body = [];
  const lines = [...r.proposals, ...r.persons];
  lines.forEach((p, i) => {
    const cells = [];
    if (i === 0) {
      cells.push(el("th", { scope: "row", rowspan: lines.length, text: r.name }),
        el("td", { className: "gmo-num", rowspan: lines.length, text: r.grade ? `${r.total} 分 · ${r.grade.name}` : "—" }));
    }
    const decided = Object.hasOwn(r.decided, p.key) ? r.decided[p.key] : null;
    cells.push(el("td", { text: p.label }),
      el("td", {}, p.text, p.edited ? el("span", { className: "gma-edited", text: `（已改动：${p.reason}）` }) : null),
      el("td", { className: "gma-basis", text: p.basis.join("；") }),
      el("td", { className: r.stale ? "gma-stale" : null },
        r.decision_state === "none" ? STATE_WORDS.none : `${STATE_WORDS[r.decision_state]}${decided !== null && decided !== p.text ? `：${decided}` : ""}`,
        r.stale && i === 0 ? el("strong", { text: "（结果已改变，须重新审议）" }) : null));
    body.push(el("tr", { dataset: { organization: r.name, key: p.key } }, cells));
  });
  if (r.blocked.length) body.push(el("tr", {}, el("td", { colspan: 6, className: "gma-blocked", text: r.blocked.join("；") })));
  return el("table", { className: "gmo-table gma-wrap gma-table" },
    el("caption", { className: "gmo-visually-hidden", text: `${r.name}的运用建议` }),
    el("colgroup", {}, COLUMNS.map((c) => el("col", { className: c }))),
    el("thead", { className: first ? null : "gma-head-repeat" }, el("tr", {}, HEAD.map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, body));
}

const orgBlock = (r, first) => el("div", { className: "gma-org", dataset: { organization: r.name } }, rowGroup(r, first));

function renderTable() {
  renderSummary();
  const rows = district.rows.filter((r) => r.proposals.length + r.persons.length + r.blocked.length);
  $("#gma-table").replaceChildren(rows.length ? el("div", { className: "gma-tables", "data-testid": "proposals-table" },
    el("p", { className: "gma-table-caption", text: `${district.year} 年度全面从严治党主体责任评议结果运用建议表${district.sample ? "（运用表述为示例值）" : ""}` }),
    ...chunks(rows.map((r, i) => orgBlock(r, i === 0)))) : el("p", { className: "gmo-hint", text: "工作区中还没有最终评议结果：请先在评议结果页导入名单和自评。" }));
}

/**
 * The organization's row of the proposals table replaced from its view (`application_add`'s answer),
 * and the summary. Its block stays and only the table inside is replaced: replacing the block in the
 * list of 1000 had the browser style and re-attach every block of the list again (a Chromium trace:
 * 1000 blocks, 20 ms, each change).
 */
function replaceRow(row) {
  if (!district) return;
  district = withDistrictRow(district, row);
  const block = $(`#gma-table .gma-org[data-organization="${CSS.escape(row.name)}"]`);
  if (block) block.replaceChildren(rowGroup(row, block === $("#gma-table .gma-org")));
  renderSummary();
}

// ---------------------------------------------------------------- one organization

async function showOrganization(name) {
  const run = ++orgRun;
  if (!name) { view = null; $("#gma-view").replaceChildren(); $("#gma-forms").hidden = true; $("#gma-notice-card").hidden = true; return; }
  performance.mark("gma-org-start");
  const answer = await scorer.call("application_org", panel.bundles, JSON.stringify(sliceFor(workspace, name)), name, localDate());
  if (run !== orgRun) return;
  if (!answer.ok) { showMessage(alertBox, "error", `无法显示“${name}”的运用建议：`, problemsOf(answer)); return; }
  view = answer.result;
  renderOrganization();
  performance.mark("gma-org-rendered");
  root.dataset.orgRendered = String(Number(root.dataset.orgRendered || 0) + 1);
}

function list(items, make) {
  return items.length ? el("ul", {}, items.map(make)) : el("p", { className: "gmo-hint", text: "无。" });
}

function renderOrganization() {
  const v = view;
  const d = v.decision;
  const lines = [...v.proposals, ...v.persons];
  const parts = [
    el("p", { className: "gma-figures", "data-testid": "org-figures" },
      el("strong", { text: v.organization }), `：最终评议 ${v.total} 分，等次“${v.grade ? v.grade.name : "—"}”（${v.method_name}）`),
  ];
  if (v.blocked.length) parts.push(el("div", { className: "gmo-alert gmo-alert--warning", role: "note" }, list(v.blocked, (t) => el("li", { text: t }))));
  parts.push(el("h3", { text: "评议发现的问题" }), list(v.problems, (p) => el("li", { dataset: { key: p.key } },
    `${p.item} ${p.text}（${p.origin_name}${p.source_name ? `·${p.source_name}` : ""}，${p.date}，${p.count} 次）`,
    p.clarified ? el("strong", { className: "gma-clarified", text: " 已澄清（反映失实）" }) : null,
    p.issued.length ? el("span", { className: "gmo-hint", text: ` 已下发整改：${p.issued.join("、")}` }) : null)));
  parts.push(el("h3", { text: "运用建议" }), el("div", { className: "gmo-scroll", tabindex: "0", role: "region", "aria-label": "运用建议（较宽时可左右滚动）" },
    el("table", { className: "gmo-table gma-wrap gma-lines", "data-testid": "org-proposals" },
      el("thead", {}, el("tr", {}, ["建议对象", "所涉问题", "运用建议", "依据"].map((h) => el("th", { scope: "col", text: h })))),
      el("tbody", {}, lines.map((p) => el("tr", { dataset: { key: p.key, tolerance: p.tolerance ? "true" : "false", none: p.none ? "true" : "false" } },
        el("th", { scope: "row", text: p.label }),
        el("td", { text: p.problem_text || "—" }),
        el("td", {}, p.text, p.edited ? el("span", { className: "gma-edited", text: `（已改动，原表述：${p.prefilled}；理由：${p.reason}）` }) : null,
          p.tolerance ? el("span", { className: "gma-tolerance", text: `（容错：${p.tolerance.name}${p.tolerance.placeholder ? "，占位条目" : ""}）` }) : null),
        el("td", { className: "gma-basis", text: p.basis.join("；") })))))));
  if (v.clarifications.length) {
    parts.push(el("h3", { text: "澄清保护" }), list(v.clarifications, (c) => el("li", {}, `${c.problem_text}：${c.finding}（${c.date}）`,
      c.counted ? el("strong", { text: " 仍计入最终结果，须先在核查评议中不予认定" }) : null)));
  }
  parts.push(el("h3", { text: "运用决定" }), el("p", { "data-testid": "decision-state", dataset: { state: d.state, stale: String(d.stale) } },
    d.state === "none" ? "尚未作出运用决定。" : `${STATE_WORDS[d.state]}：${d.meeting}（${d.date}）`,
    d.stale ? el("strong", { className: "gma-stale", text: " 作出决定后最终评议结果已改变，须按当前结果重新审议。" }) : null));
  if (d.entries.length) {
    parts.push(list(d.entries, (e) => el("li", {}, `${e.date} ${e.meeting}：${e.kind === "decision" ? "决定" : "变更"}，${e.outcome === "adopted" ? "按建议通过" : "改变建议"}`,
      e.reason ? `，理由：${e.reason}` : "")));
  }
  parts.push(el("h3", { text: "评议结果的历程" }), el("ol", { className: "gma-history", "data-testid": "history" },
    v.history.map((h) => el("li", { dataset: { step: h.step } }, el("strong", { text: h.step_name }), h.date ? `（${h.date}）` : "", `：${h.text}`))));
  $("#gma-view").replaceChildren(...parts);
  fillForms();
  renderNotice();
}

function fillForms() {
  const v = view;
  $("#gma-forms").hidden = !v.grade;
  const decidable = [...v.proposals, ...v.persons].filter((p) => !p.none);
  options($("#gma-p-target"), decidable.map((p) => [p.key, p.label]), "请选择");
  const open = v.problems.filter((p) => !p.clarified);
  options($("#gma-person-problem"), open.map((p) => [p.key, `${p.item} ${p.text}（${p.origin_name}，${p.date}）`]), "请选择");
  options($("#gma-t-person"), v.persons.filter((p) => !p.none).map((p) => [p.id, p.label]), "请选择");
  const reports = [...v.problems.map((p) => [p.key, `${p.item} ${p.text}（${p.origin_name}，${p.date}）`]),
    ...v.reports.filter((k) => !v.problems.some((p) => p.key === k)).map((k) => [k, `${k}（已不计入结果的反映）`])];
  options($("#gma-c-problem"), reports, "请选择");
  $("#gma-decision-title").textContent = v.decision.state === "none" ? "领导小组运用决定" : "变更运用决定（原决定保留，另记一条）";
  $("#gma-d-reason").required = v.decision.state !== "none";
  const texts = $("#gma-decision-texts");
  texts.replaceChildren(el("p", { className: "gmo-hint", text: "改变的对象写出决定的表述；与建议相同的可不改。" }),
    ...decidable.map((p, i) => el("div", { className: "gmo-field gmo-field--wide" },
      el("label", { for: `gma-dt-${i}`, text: p.label }),
      el("textarea", { id: `gma-dt-${i}`, rows: 2, dataset: { key: p.key, proposed: p.text } }, Object.hasOwn(v.decision.texts, p.key) ? v.decision.texts[p.key] : p.text))));
}

function renderNotice() {
  const n = view.notice;
  const card = $("#gma-notice-card");
  card.hidden = !n;
  if (!n) { $("#gma-notice").replaceChildren(); return; }
  $("#gma-notice").replaceChildren(...[
    el("h3", { className: "gma-notice-title", text: "全面从严治党主体责任评议结果运用决定通知" }),
    n.sample ? el("p", { className: "gma-notice-sample", text: "（运用表述为示例值，正式使用前由编辑替换）" }) : null,
    el("p", { className: "gma-notice-to", text: `${n.organization}：` }),
    el("p", { text: `经${n.meeting}（${n.date}）审议，你单位 ${n.year} 年度落实全面从严治党主体责任最终评议结果为 ${n.total} 分，等次“${n.grade ? n.grade.name : "—"}”。现将运用决定通知如下：` }),
    el("table", { className: "gma-notice-table" }, el("tbody", {}, n.lines.map((l) => el("tr", {}, el("th", { scope: "row", text: l.label }), el("td", { text: l.text }))))),
    n.changes.length ? el("p", { text: `决定变更：${n.changes.map((c) => `${c.date} ${c.meeting}，理由：${c.reason}`).join("；")}` }) : null,
    n.stale ? el("p", { className: "gma-stale", text: "注意：作出决定后最终评议结果已改变，本通知须经重新审议后再发。" }) : null,
    el("p", { text: "请按决定抓好落实，评议中发现的问题按整改清单限期整改并报告整改情况。" }),
    el("p", { className: "gma-notice-sign", text: "区委落实全面从严治党主体责任领导小组办公室" }),
    el("p", { className: "gma-notice-sign", text: `${n.date}` })].filter(Boolean));
}

// ---------------------------------------------------------------- recording

function formEntry(form) {
  const data = Object.fromEntries(new FormData(form).entries());
  const trim = (k) => (typeof data[k] === "string" ? data[k].trim() : "");
  const org = view.organization;
  switch (form.dataset.part) {
    case "proposals": {
      const key = trim("target");
      const entry = { id: newId("prop"), organization: org, text: trim("text"), reason: trim("reason") };
      return key.startsWith("person:") ? { ...entry, target: "person", person: key.slice(7) } : { ...entry, target: key };
    }
    case "persons":
      return { id: newId("per"), organization: org, name: trim("name"), post: trim("post"), responsibility: trim("responsibility"), problem: trim("problem") };
    case "tolerance": {
      const entry = { id: newId("tol"), organization: org, person: trim("person"), situation: trim("situation"), reason: trim("reason"), date: trim("date") };
      if (trim("file")) entry.evidence = [{ file: trim("file"), ...(trim("sha256") ? { sha256: trim("sha256").toLowerCase() } : {}) }];
      return entry;
    }
    case "clarifications":
      return { id: newId("cla"), organization: org, problem: trim("problem"), finding: trim("finding"), date: trim("date") };
    case "decisions": {
      const entry = { id: newId("dec"), organization: org, kind: view.decision.state === "none" ? "decision" : "change",
        result_hash: view.result_hash, outcome: data.outcome, date: trim("date"), meeting: trim("meeting") };
      if (trim("reason")) entry.reason = trim("reason");
      if (data.outcome === "changed") {
        const texts = {};
        for (const area of form.querySelectorAll("#gma-decision-texts textarea")) {
          if (area.value.trim() && area.value.trim() !== area.dataset.proposed) texts[area.dataset.key] = area.value.trim();
        }
        entry.texts = texts;
      }
      return entry;
    }
    default: throw new Error(`unknown form ${form.dataset.part}`);
  }
}

async function record(form) {
  hideMessage(alertBox);
  const part = form.dataset.part;
  const entry = formEntry(form);
  const name = view.organization;
  performance.mark("gma-change-start");
  const slice = JSON.stringify(sliceFor(workspace, name));
  performance.mark("gma-change-sliced");
  const answer = await scorer.call("application_add", panel.bundles, slice, part, JSON.stringify(entry), localDate());
  performance.mark("gma-change-answer");
  if (!answer.ok) {
    showMessage(alertBox, "error", "未记录，本机工作区没有任何改变。原因：", problemsOf(answer));
    alertBox.focus();
    return;
  }
  // Show the scorer's new view at once, and the organization's row of the district table from it;
  // the whole workspace is then checked and saved (seconds for 1000 organizations), off that path.
  view = answer.result.view;
  renderOrganization();
  replaceRow(view.row);
  performance.mark("gma-change-shown");
  const saved = await saveShown(panel, withEntry(workspace, part, answer.result.entry));
  if (!saved.ok) {
    showMessage(alertBox, "error", "未保存，本机工作区没有任何改变。原因：", problemsOf(saved));
    alertBox.focus();
    render();
    return;
  }
  workspace = panel.workspace();
  form.reset();
  for (const input of form.querySelectorAll('input[type="date"]')) input.value = localDate();
  $("#gma-decision-texts").hidden = true;
  showMessage(alertBox, "info", `已记录：${{ proposals: "运用建议表述", persons: "责任人", tolerance: "容错认定", clarifications: "澄清保护认定", decisions: "运用决定" }[part]}。`);
  root.dataset.recorded = String(Number(root.dataset.recorded || 0) + 1);
}

for (const form of root.querySelectorAll(".gma-form")) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!view) return;
    const button = form.querySelector('button[type="submit"]');
    busyButton(button, "正在记录……", () => record(form), (error) => showMessage(alertBox, "error", "未记录：", [error.message || String(error)]));
  });
}

$("#gma-form-decision").addEventListener("change", (event) => {
  if (event.target.name === "outcome") $("#gma-decision-texts").hidden = event.target.value !== "changed";
});

$("#gma-p-target").addEventListener("change", (event) => {
  const p = view && [...view.proposals, ...view.persons].find((x) => x.key === event.target.value);
  if (p) $("#gma-p-text").value = p.text;
});

$("#gma-t-pick").addEventListener("change", async (event) => {
  const chosen = event.target.files && event.target.files[0];
  event.target.value = ""; // the file itself is never kept
  if (!chosen) return;
  const say = $("#gma-t-pick-status");
  say.textContent = `正在计算“${chosen.name}”的 SHA-256 校验值……`;
  const print = await fingerprintFile(chosen);
  if (print.problem) { say.textContent = print.problem; return; }
  $("#gma-t-file").value = print.name;
  $("#gma-t-sha").value = print.sha256;
  say.textContent = `已填写“${print.name}”的 SHA-256 校验值（文件只在本页计算，未上传，也未保存）。`;
});

orgSelect.addEventListener("change", () => { hideMessage(alertBox); showOrganization(orgSelect.value); });

function printPart(part) {
  document.body.dataset.gmaPrint = part;
  window.addEventListener("afterprint", () => { delete document.body.dataset.gmaPrint; }, { once: true });
  window.print();
}

function exportTable(kind, button) {
  const stem = `${kind.startsWith("proposals") ? "运用建议表" : "运用决定汇总"}_${workspace.year}`;
  return exportFile({ scorer, panel, workspace, kind, asOf: localDate(), stem, button, box: $("#gma-export-alert") });
}

root.addEventListener("click", (event) => {
  const target = event.target.closest("[data-action]");
  if (!target || !root.contains(target) || target.closest("#gmo-workspace")) return;
  if (target.dataset.action === "print-table") printPart("table");
  else if (target.dataset.action === "print-notice") printPart("notice");
  else if (target.dataset.action === "export") exportTable(target.dataset.kind, target);
});
