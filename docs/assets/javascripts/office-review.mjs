// The review screen (office/review/): one organization's self-assessment beside the supervision
// records that concern it; a decision per declared occurrence, additions, the qualitative judgement,
// related results and the team; the final result with its receipt after every change; evidence
// files checked by fingerprint; the A4 evaluation sheet; the review saved into the office's workspace
// (office-workspace.mjs, the one store) and exported as a review file and as the organization's feedback.
//
// Every figure and rule is the scorer's (scorer/year_ops.py): `review_new` binds a new review to the
// self-assessment and the standard, `final_result` rescores after each change, `review_check` refuses
// a review whose self-assessment changed, `evidence_match` compares fingerprints, `feedback_make`
// writes the feedback. This page collects what the team chose and shows the answers.

import { startScorer } from "./scorer-client.mjs";
import { readThrough } from "./file-bytes.mjs";
import { fingerprintFiles } from "./assess-evidence.mjs";
import { loadWorkspace, saveWorkspace, onWorkspaceChange, WORKSPACE_FORMAT } from "./office-workspace.mjs";
import { SITE_ROOT } from "./site.mjs";
import { busyButton, hideMessage, showMessage } from "./office-common.mjs";
import { describeProblem } from "./problems.mjs";
import { download, el } from "./dom.mjs";
import { safeName } from "./export-files.mjs";
import { statusLine } from "./startup.mjs";
import { newId, organizationsOf, recordsFor, reviewDocument, stateOf, withReview } from "./office-review-model.mjs";
import { renderSheet } from "./office-review-sheet.mjs";

const OFFICE = "光明区落实全面从严治党主体责任领导小组办公室";
const root = document.getElementById("gm-review");
const $ = (selector, scope = root) => scope.querySelector(selector);
const $$ = (selector, scope = root) => Array.from(scope.querySelectorAll(selector));

const scorer = startScorer();
const setStatus = statusLine($('[data-testid="scorer-status"]'), ".gmo-status-text");
const alertBox = $("#gmr-alert");
const form = $("#gmr-form");
const resultBox = $("#gmr-result");
const orgSelect = $("#gmr-org");
const standardField = $("#gmr-standard-field");
const standardSelect = $("#gmr-standard");
const openButton = $('[data-action="open"]');

const indexPromise = fetch(new URL("data/index.json", SITE_ROOT)).then((response) => {
  if (!response.ok) throw new Error(`无法读取本站的标准目录 data/index.json（HTTP ${response.status}）。请刷新页面。`);
  return response.json();
});
indexPromise.catch(() => {});

let year = null;
let workspace = null;
let organizations = [];
let choices = null;     // register_choices: items per standard, sources
let rules = null;       // evaluation_settings of the year
const bundles = new Map(); // standard id -> bundle text
let current = null;     // {org, sid, bundle, assessment (text|null), base, occurrences, records}
let run = 0;
let renders = 0;
let lastResult = null;
let lastReview = null;

async function answer(promise) {
  const reply = await promise;
  if (!reply.ok) {
    const error = new Error(reply.problems.map(describeProblem).join("；"));
    error.problems = reply.problems;
    throw error;
  }
  return reply.result;
}

function refuse(heading, error) {
  const lines = error && error.problems ? error.problems.map(describeProblem) : [String((error && error.message) || error)];
  showMessage(alertBox, "error", heading, lines);
  alertBox.focus();
}

async function bundleOf(sid) {
  if (!bundles.has(sid)) bundles.set(sid, scorer.fetchBundle(year, sid));
  return bundles.get(sid);
}

// ---------------------------------------------------------------- start-up

scorer.onStatus((event) => {
  if (event.state === "error") setStatus("error", event.message);
  else if (event.state !== "ready") setStatus("loading", event.message || "正在启动评分程序……");
});

async function start() {
  const index = await indexPromise;
  year = index.current;
  const entry = index.years.find((y) => y.year === year);
  await scorer.ready;
  const texts = await Promise.all(entry.standards.map((s) => bundleOf(s.id)));
  choices = await answer(scorer.call("register_choices", `[${texts.map((t) => t.trim()).join(",")}]`));
  rules = await answer(scorer.call("evaluation_settings", texts[0]));
  for (const s of choices.standards) standardSelect.append(el("option", { value: s.id }, `${s.title}（${s.kinds.join("、")}）`));
  await readWorkspace();
  setStatus("ready", `评分程序已就绪（${year} 年度）：选择党组织后点击“开始核查”。`);
}

start().catch((error) => setStatus("error", error.message || String(error)));

async function readWorkspace() {
  workspace = await loadWorkspace(year);
  organizations = organizationsOf(workspace);
  const summary = $("#gmr-workspace");
  const previous = orgSelect.value;
  orgSelect.replaceChildren(el("option", { value: "" }, "（请选择）"));
  for (const org of organizations) {
    const marks = [org.assessment ? "已提交自评" : "未提交自评", org.selected ? "列入检查计划" : "", org.review ? "已有核查" : ""];
    orgSelect.append(el("option", { value: org.name }, `${org.name}（${marks.filter(Boolean).join("，")}）`));
  }
  orgSelect.value = organizations.some((o) => o.name === previous) ? previous : "";
  if (!workspace) {
    summary.textContent = `本机还没有 ${year} 年度的工作文件：请先在“日常监督”页导入党组织名单、自评文件或工作文件；也可直接打开一份核查文件。`;
  } else {
    const count = (list) => (list || []).length;
    summary.textContent = `本机 ${year} 年度工作文件：名单 ${count(workspace.roster)} 个党组织，自评 ${count(workspace.assessments)} 份，`
      + `日常监督记录 ${count(workspace.supervision)} 条，核查 ${count(workspace.reviews)} 份。`;
  }
  chooseChanged();
}

onWorkspaceChange((event) => { if (event.year === year) readWorkspace(); });

function chooseChanged() {
  const org = organizations.find((o) => o.name === orgSelect.value);
  openButton.disabled = !org || !choices;
  const needStandard = Boolean(org && !org.assessment && !org.review);
  standardField.hidden = !needStandard;
  if (needStandard) {
    const fitting = choices && choices.standards.find((s) => s.kinds.includes(org.kind));
    if (fitting) standardSelect.value = fitting.id;
  }
}

orgSelect.addEventListener("change", chooseChanged);

// ---------------------------------------------------------------- opening one organization

async function openOrganization(org, review = null) {
  hideMessage(alertBox);
  const stored = org.assessment;
  const assessmentText = stored ? JSON.stringify(stored.assessment) : "null";
  const sid = (review && review.standard) || (stored && stored.assessment.standard) || (org.review && org.review.standard)
    || standardSelect.value;
  const bundle = await bundleOf(sid);
  const fresh = await answer(scorer.call("review_new", bundle, assessmentText,
    { id: newId("rev"), organization: { name: org.name, ...(org.kind ? { kind: org.kind } : {}) } }));
  let base = review || org.review || fresh.review;
  if (base !== fresh.review) {
    const check = await scorer.call("review_check", bundle, JSON.stringify(base), assessmentText);
    if (!check.ok) {
      refuse(`${org.name} 的核查记录与现有自评不符，未打开（可重新开始核查）：`, { problems: check.problems });
      offerRestart(org);
      return;
    }
  }
  const records = recordsFor(workspace, org.name).filter((r) => !r.standard || r.standard === sid);
  current = { org, sid, bundle, assessment: assessmentText, base, occurrences: fresh.occurrences, records };
  const related = (workspace && workspace.related && workspace.related[org.name]) || {};
  fillForm(stateOf(base, fresh.occurrences, related));
  form.hidden = false;
  resultBox.hidden = false;
  $("#gmr-saved").textContent = "";
  await rescore();
  $('[data-slot="title"]', form).focus();
}

function offerRestart(org) {
  const button = el("button", { type: "button", className: "gmo-button", dataset: { action: "restart" } }, "按现有自评重新开始核查");
  button.addEventListener("click", () => openOrganization({ ...org, review: null }).catch((e) => refuse("无法开始核查：", e)));
  alertBox.append(el("div", { className: "gmo-toolbar" }, button));
}

openButton.addEventListener("click", () => {
  const org = organizations.find((o) => o.name === orgSelect.value);
  if (org) busyButton(openButton, "正在打开……", () => openOrganization(org), (e) => refuse("无法开始核查：", e));
});

$("#gmr-review-file").addEventListener("change", async (event) => {
  const input = event.target;
  const [file] = input.files;
  input.value = "";
  if (!file) return;
  try {
    const [read] = await readThrough(scorer, "json", [file]);
    if (read.problems) throw Object.assign(new Error("无法读取"), { problems: read.problems });
    const review = JSON.parse(read.text);
    const name = review && review.organization && review.organization.name;
    if (typeof name !== "string" || review.format !== "gm-review/1" || review.year !== year) {
      throw new Error(`文件“${file.name}”不是 ${year} 年度的核查文件（gm-review/1）。`);
    }
    const org = organizations.find((o) => o.name === name)
      || { name, kind: review.organization.kind || "", assessment: null, review: null, selected: false };
    await openOrganization(org, review);
  } catch (error) {
    refuse(`核查文件“${file.name}”未打开：`, error);
  }
});

// ---------------------------------------------------------------- the form

const itemsOf = () => new Map(choices.standards.find((s) => s.id === current.sid).items.map((i) => [i.id, i]));
const itemText = (id) => { const i = itemsOf().get(id); return i ? `${id} ${i.text}` : id; };
const sourceName = (id) => (choices.sources.find((s) => s.id === id) || { name: id }).name;
let uid = 0;
const fieldId = () => `gmr-f${++uid}`;

function labelled(label, control, extra = "") {
  control.id = control.id || fieldId();
  return el("div", { className: `gmo-field ${extra}` }, el("label", { for: control.id }, label), control);
}

function occurrenceText(o) {
  const parts = [`${o.date}，${o.count} 次`];
  if (o.note) parts.push(`说明：${o.note}`);
  if (o.evidence && o.evidence.length) {
    parts.push(`佐证材料：${o.evidence.map((e) => e.file + (e.sha256 ? `（SHA-256 ${e.sha256.slice(0, 12)}…）` : "")).join("、")}`);
  }
  return parts.join("；");
}

const DECISION_LABELS = [["", "未核查"], ["confirm", "认定"], ["adjust", "核减/核增"], ["reject", "不予认定"]];

function decisionRow(o, d, i) {
  const name = `gmr-d${i}`;
  const radios = DECISION_LABELS.map(([value, label]) => {
    const input = el("input", { type: "radio", name, value, id: fieldId(), dataset: { field: "decision" } });
    input.checked = (d.decision || "") === value;
    return el("span", { className: "gmo-check" }, input, el("label", { for: input.id }, label));
  });
  const count = el("input", { type: "number", min: "1", max: "1000", step: "1", inputmode: "numeric", dataset: { field: "count" } });
  count.value = d.count === "" ? String(o.count) : String(d.count);
  const date = el("input", { type: "date", min: `${year}-01-01`, max: `${year}-12-31`, dataset: { field: "date" } });
  date.value = d.date || o.date;
  const reason = el("textarea", { rows: "2", maxlength: "2000", dataset: { field: "reason" } });
  reason.value = d.reason;
  const adjust = el("div", { className: "gmo-grid gmr-adjust", dataset: { slot: "adjust" } },
    labelled("核定次数", count), labelled("核定日期", date));
  const row = el("li", { className: "gmr-row", dataset: { item: o.item, index: String(o.index) } },
    el("fieldset", {},
      el("legend", {}, `${itemText(o.item)}（第 ${o.index + 1} 条自评记录）`),
      el("p", { className: "gmr-declared" }, "自评：", occurrenceText(o)),
      el("div", { className: "gmr-decisions", role: "radiogroup", "aria-label": `${o.item} 第 ${o.index + 1} 条的核查结论` }, radios),
      adjust,
      labelled("理由（核减/核增、不予认定时必填）", reason, "gmo-field--wide gmr-reason"),
      el("p", { className: "gmr-row-message", dataset: { slot: "message" }, hidden: true })));
  showDecisionFields(row);
  return row;
}

function showDecisionFields(row) {
  const chosen = $$('input[data-field="decision"]', row).find((r) => r.checked);
  const value = chosen ? chosen.value : "";
  $('[data-slot="adjust"]', row).hidden = value !== "adjust";
  $(".gmr-reason", row).hidden = value === "" || value === "confirm";
}

function option(value, label, selected) {
  const node = el("option", { value }, label);
  node.selected = value === selected;
  return node;
}

function evidenceRow(ref = {}) {
  const file = el("input", { type: "text", maxlength: "300", dataset: { field: "file" } });
  file.value = ref.file || "";
  const sha = el("input", { type: "text", maxlength: "64", spellcheck: "false", autocomplete: "off", dataset: { field: "sha256" } });
  sha.value = ref.sha256 || "";
  return el("div", { className: "gmo-grid gmr-evidence", dataset: { slot: "evidence" } },
    labelled("佐证材料文件名", file), labelled("SHA-256 校验值（可选）", sha));
}

function additionRow(a) {
  const item = el("select", { dataset: { field: "item" } },
    Array.from(itemsOf().values()).map((i) => option(i.id, `${i.id} ${i.text}（${i.kind_name}）`, a.item)));
  const date = el("input", { type: "date", min: `${year}-01-01`, max: `${year}-12-31`, dataset: { field: "date" } });
  date.value = a.date || "";
  const count = el("input", { type: "number", min: "1", max: "1000", step: "1", inputmode: "numeric", dataset: { field: "count" } });
  count.value = String(a.count ?? 1);
  const source = el("select", { dataset: { field: "source" } }, choices.sources.map((s) => option(s.id, s.name, a.source)));
  const note = el("textarea", { rows: "2", maxlength: "2000", dataset: { field: "note" } });
  note.value = a.note || "";
  const evidence = (a.evidence && a.evidence.length ? a.evidence : [{}]).map(evidenceRow);
  return el("li", { className: "gmr-row", dataset: { addition: a.id, record: a.record || "" } },
    el("fieldset", {},
      el("legend", {}, a.record ? `补充认定（来自日常监督记录 ${a.record}）` : "补充认定"),
      labelled("扣分项、奖励项或等级限制", item, "gmo-field--wide"),
      el("div", { className: "gmo-grid" }, labelled("日期", date), labelled("次数", count), labelled("来源", source)),
      labelled("说明", note, "gmo-field--wide"),
      evidence,
      el("div", { className: "gmo-toolbar" },
        el("button", { type: "button", className: "gmo-button", dataset: { action: "add-evidence" } }, "＋ 佐证材料"),
        el("button", { type: "button", className: "gmo-button", dataset: { action: "remove-addition" } }, "删除此补充认定"))));
}

function supervisionRow(r) {
  const adopted = $$("#gmr-additions > li").some((li) => li.dataset.record === r.id);
  const button = el("button", { type: "button", className: "gmo-button", dataset: { action: "adopt", record: r.id }, disabled: adopted },
    adopted ? "已作为补充认定" : "作为补充认定添加");
  return el("li", { className: "gmr-record" },
    el("p", {}, el("strong", {}, itemText(r.item)), `：${r.date}，${r.count || 1} 次，来源：${sourceName(r.source)}`,
      r.organizations.length > 1 ? `（同一记录涉及 ${r.organizations.length} 个党组织）` : ""),
    r.note ? el("p", { className: "gmo-hint" }, r.note) : null,
    button);
}

function fillForm(state) {
  const o = current.org;
  $('[data-slot="title"]', form).textContent = `核查：${o.name}`;
  $('[data-slot="title"]', form).tabIndex = -1;
  const standard = choices.standards.find((s) => s.id === current.sid);
  $('[data-testid="binding"]', form).textContent = current.assessment === "null"
    ? `${year} 年度 · ${standard.title}。该党组织未提交自评：依据日常监督记录和现场核查补充认定评议。`
    : `${year} 年度 · ${standard.title}。本核查对应其自评文件（内容指纹 ${current.base.assessment_hash.slice(7, 19)}…）；自评文件改动后本核查将不再适用。`;
  const declared = $("#gmr-declared");
  declared.replaceChildren(...current.occurrences.map((occ, i) => decisionRow(occ, state.decisions[i], i)));
  if (!current.occurrences.length) declared.append(el("li", { className: "gmo-hint" }, "没有自评记录。"));
  $("#gmr-additions").replaceChildren(...state.additions.map(additionRow));
  renderSupervision();
  const level = $("#gmr-level");
  level.replaceChildren(option("", "（未作出）", state.qualitative.level),
    ...rules.qualitative.levels.map((l) => option(l.id, l.name, state.qualitative.level)));
  $("#gmr-level-text").value = state.qualitative.text;
  $("#gmr-rules").textContent = `本年度规则${rules.sample ? "（示例值）" : ""}：定性评价${rules.qualitative.mode_name}；`
    + rules.related.map((r) => `${r.name}${r.mode_name}`).join("；") + `；未经核查的党组织${rules.not_reviewed_name}。`;
  $("#gmr-related").replaceChildren(...rules.related.map((r) => {
    const input = el("input", { type: "number", min: "0", max: "100", step: "0.01", inputmode: "decimal", dataset: { related: r.name } });
    input.value = state.related[r.name] ?? "";
    return labelled(`${r.name}（分，${r.mode_name}）`, input);
  }));
  $("#gmr-leader").value = state.team.leader;
  $("#gmr-members").value = state.team.members;
  $("#gmr-date").value = state.team.date;
  $("#gmr-evidence-summary").textContent = "";
  $("#gmr-evidence-table").hidden = true;
}

function renderSupervision() {
  const list = $("#gmr-supervision");
  list.replaceChildren(...current.records.map(supervisionRow));
  if (!current.records.length) list.append(el("li", { className: "gmo-hint" }, "日常监督记录中没有涉及本党组织的记录。"));
}

/** The form as the model's state (strings as typed). */
function collect() {
  const decisions = $$("#gmr-declared > li.gmr-row").map((row) => {
    const chosen = $$('input[data-field="decision"]', row).find((r) => r.checked);
    return { item: row.dataset.item, index: Number(row.dataset.index), decision: chosen ? chosen.value : "",
             count: $('[data-field="count"]', row).value, date: $('[data-field="date"]', row).value,
             reason: $('[data-field="reason"]', row).value };
  });
  const additions = $$("#gmr-additions > li").map((row) => ({
    id: row.dataset.addition, record: row.dataset.record,
    item: $('[data-field="item"]', row).value, date: $('[data-field="date"]', row).value,
    count: $('[data-field="count"]', row).value, source: $('[data-field="source"]', row).value,
    note: $('[data-field="note"]', row).value,
    evidence: $$('[data-slot="evidence"]', row).map((e) => ({ file: $('[data-field="file"]', e).value, sha256: $('[data-field="sha256"]', e).value })),
  }));
  const related = Object.fromEntries($$("#gmr-related input").map((i) => [i.dataset.related, i.value]));
  return {
    decisions, additions, related,
    qualitative: { level: $("#gmr-level").value, text: $("#gmr-level-text").value },
    team: { leader: $("#gmr-leader").value, members: $("#gmr-members").value, date: $("#gmr-date").value },
  };
}

// ---------------------------------------------------------------- the result

async function rescore() {
  const mine = ++run;
  const review = reviewDocument(current.base, collect());
  // Supervision records enter a final result only when there is no review (`final_result`'s contract):
  // this screen always sends one, so it sends no records, and the scorer does not check them again
  // on every change. The team adopts a record explicitly, as an addition.
  const reply = await scorer.call("final_result", current.bundle, current.assessment, JSON.stringify(review), "[]");
  if (mine !== run) return; // a newer change is on its way
  lastReview = review;
  if (!reply.ok) {
    lastResult = null;
    showMessage(alertBox, "warning", "核查内容尚不完整或有误，结果暂不更新：", reply.problems.map(describeProblem));
    resultBox.dataset.state = "stale";
  } else {
    hideMessage(alertBox);
    lastResult = reply.result;
    resultBox.dataset.state = "done";
    showResult(reply.result);
  }
  renders += 1;
  root.dataset.renders = String(renders);
}

function put(testid, value) {
  $(`[data-testid="${testid}"]`).textContent = value;
}

function showResult(result) {
  const self = result.self_declared;
  put("self-total", self ? `${self.total} 分` : "—");
  put("self-grade", self ? self.grade.name : "未提交自评");
  put("final-total", result.total === null ? "无法计算" : `${result.total} 分`);
  put("final-grade", result.grade ? result.grade.name : "无法评定");
  put("method", result.method_name);
  $('[data-slot="sticky"]').textContent = `自评 ${self ? `${self.total} 分 · ${self.grade.name}` : "未提交"} → 最终 `
    + (result.grade ? `${result.total} 分 · ${result.grade.name}` : "无法评定");
  const pending = $('[data-testid="pending"]');
  pending.hidden = !result.pending;
  pending.textContent = result.pending ? `尚有 ${result.pending} 条自评记录未逐条核查，暂按自评计入。` : "";
  const incomplete = $('[data-testid="incomplete"]');
  incomplete.replaceChildren(...result.incomplete.map((line) => el("li", {}, line)));
  incomplete.hidden = !result.incomplete.length;
  const changes = $("#gmr-changes");
  changes.replaceChildren(...result.changes.map((c) => el("li", {}, c.line)));  // the scorer's words (change_text)
  if (!result.changes.length) changes.append(el("li", {}, "无差异。"));
  $("#gmr-receipt").replaceChildren(...result.receipt.map((line) => el("li", {}, line)));
  renderSheet($("#gmr-sheet"), { result, review: lastReview, year, office: OFFICE,
    standard: choices.standards.find((s) => s.id === current.sid), org: current.org });
}

form.addEventListener("input", (event) => {
  const row = event.target.closest(".gmr-row");
  if (row && event.target.dataset.field === "decision") showDecisionFields(row);
  rescore();
});
// Radios, selects and date fields fire `input` too: listening to `change` as well would score twice.
form.addEventListener("submit", (event) => event.preventDefault());

root.addEventListener("click", (event) => {
  const button = event.target.closest("[data-action]");
  if (!button || !root.contains(button) || !current) return;
  const action = button.dataset.action;
  if (action === "add-addition") {
    const row = additionRow({ id: newId("add"), source: choices.sources[0].id, count: 1 });
    $("#gmr-additions").append(row);
    $('[data-field="item"]', row).focus();
    rescore();
  } else if (action === "adopt") {
    const r = current.records.find((x) => x.id === button.dataset.record);
    const row = additionRow({ id: newId("add"), item: r.item, date: r.date, count: r.count || 1, source: r.source,
                              record: r.id, note: r.note || "", evidence: r.evidence || [] });
    $("#gmr-additions").append(row);
    renderSupervision();
    $('[data-field="item"]', row).focus();
    rescore();
  } else if (action === "remove-addition") {
    button.closest("li").remove();
    renderSupervision();
    $('[data-action="add-addition"]').focus();
    rescore();
  } else if (action === "add-evidence") {
    const row = evidenceRow();
    button.closest(".gmo-toolbar").before(row);
    $('[data-field="file"]', row).focus();
  } else if (action === "save") {
    busyButton(button, "正在保存……", save, (e) => refuse("未能保存：", e));
  } else if (action === "export-review") {
    if (lastReview) download(jsonBlob(lastReview), `核查_${safeName(current.org.name)}_${year}年度_${current.sid}.json`);
  } else if (action === "export-feedback") {
    busyButton(button, "正在生成……", exportFeedback, (e) => refuse("未能生成反馈文件：", e));
  } else if (action === "print") {
    window.print();
  }
});

const jsonBlob = (value) => new Blob([JSON.stringify(value, null, 2)], { type: "application/json" });

async function save() {
  if (!lastResult) throw new Error("核查内容尚不完整或有误，请先按提示修改。");
  const base = workspace || { format: WORKSPACE_FORMAT, year, roster: [], plan: { selected: [] }, assessments: [],
                              supervision: [], reviews: [], related: {} };
  const next = withReview(base, lastReview);
  const checked = await answer(scorer.call("workspace_read", `[${(await Promise.all(choices.standards.map((s) => bundleOf(s.id)))).map((t) => t.trim()).join(",")}]`,
    JSON.stringify(next)));
  await saveWorkspace(checked.workspace, { stamp: checked.stamp });
  current.base = lastReview;
  $("#gmr-saved").textContent = `已保存到本机 ${year} 年度工作文件（${new Date().toLocaleTimeString("zh-CN")}）。`;
  await readWorkspace();
  orgSelect.value = current.org.name;
}

async function exportFeedback() {
  if (!lastReview) return;
  const today = new Date().toISOString().slice(0, 10);
  // The items issued so far travel with the feedback (issue #16): the scorer picks this organization's.
  const items = (workspace && workspace.application && workspace.application.items) || [];
  const made = await answer(scorer.call("feedback_make", current.bundle, current.assessment, JSON.stringify(lastReview),
    { office: OFFICE, issued: today, rectification: items }));
  download(jsonBlob(made.feedback), `反馈_${safeName(current.org.name)}_${year}年度_${current.sid}.json`);
  const carried = made.feedback.rectification;
  $("#gmr-feedback-note").textContent = carried
    ? `已生成反馈文件，附整改清单 ${carried.items.length} 项（本机工作文件中已向该党组织下发的全部事项）。`
    : "已生成反馈文件（尚未向该党组织下发整改事项，反馈中没有整改清单）。";
}

// ---------------------------------------------------------------- evidence fingerprints

$("#gmr-evidence-files").addEventListener("change", async (event) => {
  const input = event.target;
  const files = Array.from(input.files);
  input.value = ""; // the files themselves are never kept
  if (!files.length || !current) return;
  const summary = $("#gmr-evidence-summary");
  summary.textContent = `正在计算 ${files.length} 个文件的 SHA-256……`;
  const prints = await fingerprintFiles(files);
  const bad = prints.filter((p) => p.problem);
  const review = reviewDocument(current.base, collect());
  const reply = await scorer.call("evidence_match", current.assessment, JSON.stringify(review),
    JSON.stringify(prints.filter((p) => p.sha256)));
  if (!reply.ok) { refuse("无法核对佐证材料：", { problems: reply.problems }); return; }
  const { rows, counts, unused } = reply.result;
  summary.textContent = `核对 ${rows.length} 份登记的佐证材料：一致 ${counts.match}，不一致 ${counts.differ}，未收到 ${counts.missing}，`
    + `未登记校验值 ${counts.unrecorded}。` + (unused.length ? `收到但未登记的文件：${unused.join("、")}。` : "")
    + (bad.length ? bad.map((b) => b.problem).join(" ") : "");
  const table = el("table", { className: "gmo-table gmr-evidence-table" },
    el("thead", {}, el("tr", {}, ["条目", "出处", "登记的文件名", "登记的校验值", "核对结果", "收到的文件"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, rows.map((r) => el("tr", { dataset: { status: r.status } },
      el("td", {}, r.item), el("td", {}, r.origin === "declared" ? `自评第 ${r.index + 1} 条` : "补充认定"),
      el("td", {}, r.file), el("td", { className: "gmr-hash" }, r.expected ? `${r.expected.slice(0, 16)}…` : "—"),
      el("td", {}, el("strong", {}, r.status_name)), el("td", {}, r.received || "—")))));
  const box = $("#gmr-evidence-table");
  box.replaceChildren(table);
  box.hidden = false;
});

// The sheet prints; the screen's result box and form do not (office-review.css).
window.addEventListener("beforeprint", () => { if (lastResult) $("#gmr-sheet").dataset.ready = "true"; });
