// The self-assessment form (assess/<year>/<standard>/): occurrence rows, drafts, import and export,
// and the live result, scored by the site's own `scorer` package in the Pyodide worker.
//
// The page is rendered at build time from the YAML (macros/templates/assess_form.md.j2): every area,
// indicator and item is already there, and the form can be filled before Python has started. This
// script adds behaviour only. Rules it keeps:
//   - scores, grades and receipts come from the worker (`call("score", bundle, assessment)`), never
//     from arithmetic here;
//   - whatever a user typed is shown with textContent, never as HTML (no innerHTML anywhere);
//   - no inline scripts or handlers (a Content-Security-Policy without 'unsafe-inline' will come);
//   - an import replaces the draft only after the scorer's `check` accepted the file.

import { startScorer } from "./scorer-client.mjs";
import { startUp, statusLine } from "./startup.mjs";
import { SITE_ROOT } from "./site.mjs";
import { download, el } from "./dom.mjs";
import { describeProblem as describe, pointer } from "./problems.mjs";
import { xlsxBlob } from "./export-files.mjs";
import { assessmentToDraft, backupFileName, emptyDraft, exportFileName, toAssessment } from "./assess-format.mjs";
import { draftKey, formatSaved, isEmptyDraft, readDraft, saveDraft, storedRevision } from "./assess-draft.mjs";
import { clearScore, put, renderScore } from "./assess-result.mjs";
import { earlierYear, offerCarry, showReminders } from "./assess-carry.mjs";
import { readThrough } from "./file-bytes.mjs";
import { wireEvidencePicker } from "./assess-evidence.mjs";
import { wireFeedback } from "./assess-feedback.mjs";

const SAVE_DELAY_MS = 400;
const BUSY_DELAY_MS = 150; // "计算中" only when a rescore is slow enough to be noticed

const root = document.getElementById("gm-assess");
const YEAR = Number(root.dataset.year);
const STANDARD = root.dataset.standard;
const HASH = root.dataset.hash;
const TITLE = root.dataset.title;
const KEY = draftKey(YEAR, STANDARD);
const PAGE_STANDARD = { standard: STANDARD, year: YEAR, hash: HASH };

// Start Python first: everything below is quick, the worker's start-up is not.
const scorer = startScorer();
const bundlePromise = scorer.fetchBundle(YEAR, STANDARD);
bundlePromise.catch(() => {});

const $ = (selector, scope = root) => scope.querySelector(selector);
const $$ = (selector, scope = root) => Array.from(scope.querySelectorAll(selector));

const setStatus = statusLine($('[data-testid="scorer-status"]'), ".gm-status-text");
const alertBox = $("#gm-alert");
const draftStatus = $("#gm-draft-status");
const form = $("#gm-form");
const result = $("#gm-result");
const basic = {
  orgName: $("#gm-org-name"),
  orgKind: $("#gm-org-kind"),
  assessorName: $("#gm-assessor-name"),
  assessorDate: $("#gm-assessor-date"),
};
const itemElements = new Map($$(".gm-item[data-item]").map((node) => [node.dataset.item, node]));
const occurrenceTemplate = $("#gm-occurrence-template");
const evidenceTemplate = $("#gm-evidence-template");

let bundleText = null;
let gradeNames = {}; // grade id -> name, from the bundle (the result names only the final grade)
let lastResult = null;
let lastProblems = [];
let nextId = 1;

// ---------------------------------------------------------------- status line

const READY_TEXT = "评分程序已就绪，得分随填写即时更新。";

scorer.onStatus((event) => {
  if (event.state === "ready") {
    // For diagnosis and the benchmark (bench/assess_page.py): how the worker started, and when.
    root.dataset.scorerMode = event.mode || "";
    root.dataset.scorerTimings = JSON.stringify(event.timings || {});
  }
});

// ---------------------------------------------------------------- occurrence rows

function uid() {
  return `gm-f${nextId++}`;
}

// Give each cloned control an id and its <label> a `for`: every control keeps a real label.
function labelControls(scope) {
  for (const label of $$("label[data-for]", scope)) {
    const control = label.parentElement.querySelector(`[data-field="${label.dataset.for}"]`);
    if (!control) continue;
    control.id = uid();
    label.htmlFor = control.id;
  }
}

function occurrenceRows(item) {
  return $$(":scope > .gm-occurrences > .gm-occurrence", item);
}

function renumber(item) {
  occurrenceRows(item).forEach((row, i) => {
    $('[data-slot="legend"]', row).textContent = `${item.dataset.item} 第 ${i + 1} 次记录`;
  });
}

function field(scope, name) {
  return scope.querySelector(`[data-field="${name}"]`);
}

function addEvidence(row, value = {}) {
  const fragment = evidenceTemplate.content.cloneNode(true);
  const entry = fragment.querySelector(".gm-evidence-item");
  labelControls(entry);
  field(entry, "file").value = value.file || "";
  field(entry, "location").value = value.location || "";
  field(entry, "sha256").value = value.sha256 || "";
  $(".gm-evidence-list", row).appendChild(entry);
  return entry;
}

function addOccurrence(item, value = {}) {
  const fragment = occurrenceTemplate.content.cloneNode(true);
  const row = fragment.querySelector(".gm-occurrence");
  labelControls($(".gm-occurrence-fields", row));
  field(row, "date").value = value.date || "";
  field(row, "count").value = value.count === undefined || value.count === null ? "1" : String(value.count);
  field(row, "note").value = value.note || "";
  for (const evidence of value.evidence || []) addEvidence(row, evidence);
  $(":scope > .gm-occurrences", item).appendChild(row);
  renumber(item);
  rowWarning(row);
  return row;
}

// Gentle, local hints (not scoring): a row without a date is not counted yet. Whether a dated row
// counts (its year) is the scorer's decision: its reason is shown on the row by markExcluded.
function rowWarning(row) {
  const date = field(row, "date").value;
  const slot = $('[data-slot="warning"]', row);
  let text = "";
  if (!date) text = "请填写日期；填写后本次记录才计入得分。";
  const incompleteEvidence = $$(".gm-evidence-item", row).some((e) => !field(e, "file").value.trim()
    && (field(e, "location").value.trim() || field(e, "sha256").value.trim()));
  if (incompleteEvidence) text += (text ? " " : "") + "佐证材料请填写文件名，未填文件名的材料不会保存到导出文件。";
  put(slot, text);
  if (slot.hidden !== !text) slot.hidden = !text;
  row.classList.toggle("gm-occurrence--incomplete", !date);
}

// ---------------------------------------------------------------- form <-> draft <-> assessment

/** The form exactly as filled in (strings), unfinished rows included: what a draft stores. */
function collect() {
  const items = {};
  for (const [id, item] of itemElements) {
    const rows = occurrenceRows(item);
    if (!rows.length) continue;
    items[id] = rows.map((row) => ({
      date: field(row, "date").value,
      count: field(row, "count").value,
      note: field(row, "note").value,
      evidence: $$(".gm-evidence-item", row).map((e) => ({
        file: field(e, "file").value, location: field(e, "location").value, sha256: field(e, "sha256").value,
      })),
    }));
  }
  return {
    organization: { name: basic.orgName.value, kind: basic.orgKind.value },
    assessor: { name: basic.assessorName.value, date: basic.assessorDate.value },
    items,
  };
}

/** Replace the whole form with `draft`; returns the ids it held that this standard does not have. */
function fill(draft) {
  const organization = draft.organization || {};
  const assessor = draft.assessor || {};
  basic.orgName.value = organization.name || "";
  const kinds = Array.from(basic.orgKind.options, (o) => o.value);
  basic.orgKind.value = kinds.includes(organization.kind) ? organization.kind : "";
  basic.assessorName.value = assessor.name || "";
  basic.assessorDate.value = assessor.date || "";
  for (const item of itemElements.values()) {
    for (const row of occurrenceRows(item)) row.remove();
  }
  const unknown = [];
  for (const [id, rows] of Object.entries(draft.items || {})) {
    const item = itemElements.get(id);
    if (!item) { unknown.push(id); continue; }
    for (const row of rows || []) addOccurrence(item, row);
  }
  echo();
  return unknown;
}

// ---------------------------------------------------------------- result

function echo() {
  const values = {
    "org-name": basic.orgName.value.trim(), "org-kind": basic.orgKind.value,
    "assessor-name": basic.assessorName.value.trim(), "assessor-date": basic.assessorDate.value,
  };
  for (const node of $$("[data-echo]")) put(node, values[node.dataset.echo] || "（未填写）");
}

let busyTimer = null;
function busy(on) {
  const value = on ? "true" : "false";
  if (result.getAttribute("aria-busy") !== value) result.setAttribute("aria-busy", value);
  clearTimeout(busyTimer);
  if (on) busyTimer = setTimeout(() => result.classList.add("gm-result--busy"), BUSY_DELAY_MS);
  else result.classList.remove("gm-result--busy");
}

function clearMarks() {
  for (const node of $$("[aria-invalid]", form)) node.removeAttribute("aria-invalid");
  for (const node of $$('[data-slot="message"]:not([hidden])', form)) { node.textContent = ""; node.hidden = true; }
}

/** A problem in words; one with the whole file (no path, no line) is the 文件's. */
function describeProblem(problem) {
  return describe(problem, "文件");
}

/** A problem as an alert line: with a link when the scorer names a page of the site to go to. */
function problemLine(problem) {
  if (typeof problem.link !== "string") return describeProblem(problem);
  return { text: `${describeProblem(problem)}。`, href: new URL(problem.link, SITE_ROOT).href, label: "打开该标准的自评页面" };
}

// Put the scorer's problem next to the control it is about; returns whether it found one.
function markProblem(problem, refs) {
  const parts = pointer(problem.path);
  let control = null;
  let row = null;
  if (parts[0] === "organization") control = parts[1] === "kind" ? basic.orgKind : basic.orgName;
  else if (parts[0] === "assessor") control = parts[1] === "date" ? basic.assessorDate : basic.assessorName;
  else if (parts[0] === "items" && parts.length >= 3 && Object.hasOwn(refs, parts[1])) {
    const ref = refs[parts[1]][Number(parts[2])];
    const item = itemElements.get(parts[1]);
    if (ref && item) {
      row = occurrenceRows(item)[ref.index];
      if (row && parts[3] === "evidence" && parts.length >= 5) {
        const entry = $$(".gm-evidence-item", row)[ref.evidence[Number(parts[4])]];
        control = entry ? field(entry, parts[5] || "file") : null;
      } else if (row) {
        control = field(row, parts[3] || "date");
      }
    }
  }
  if (control) control.setAttribute("aria-invalid", "true");
  if (row) {
    const slot = $('[data-slot="message"]', row);
    slot.textContent = (slot.textContent ? slot.textContent + " " : "") + problem.message;
    slot.hidden = false;
  }
  return Boolean(control);
}

function showProblems(problems, refs) {
  const box = $("#gm-result-problems");
  for (const problem of problems) markProblem(problem, refs);
  box.replaceChildren(el("p", { text: `有 ${problems.length} 处填写需要修改，修改后即显示得分（已在表格中标出）：` }),
    el("ul", {}, problems.map((problem) => el("li", { text: describeProblem(problem) }))));
  box.hidden = false;
}

// The scorer's reason beside each row it left out (a date outside the year): shown, never decided here.
function markExcluded(excluded, refs) {
  for (const entry of excluded) {
    const ref = refs[entry.id] && refs[entry.id][entry.index];
    const item = itemElements.get(entry.id);
    const row = ref && item ? occurrenceRows(item)[ref.index] : null;
    if (!row) continue;
    const slot = $('[data-slot="message"]', row);
    slot.textContent = (slot.textContent ? slot.textContent + " " : "") + entry.reason;
    slot.hidden = false;
  }
}

function render(answer, refs, incomplete) {
  clearMarks();
  const box = $("#gm-result-problems");
  if (answer.ok) {
    if (!box.hidden) {
      box.hidden = true;
      box.replaceChildren();
    }
    lastResult = answer.result;
    lastProblems = [];
    renderScore(root, answer.result, { incomplete, gradeNames, itemElements });
    markExcluded(answer.result.excluded, refs);
  } else {
    lastResult = null;
    lastProblems = answer.problems;
    clearScore(root);
    showProblems(answer.problems, refs);
  }
  root.dispatchEvent(new CustomEvent("gm-scored", { detail: { ok: answer.ok } }));
}

// ---------------------------------------------------------------- rescoring

let inflight = false;
let pending = false;
let scored = 0;

function requestScore() {
  pending = true;
  if (started.ready && !inflight) runScore();
}

// Latest wins, no timer: a change made while the worker is busy is scored as soon as it answers,
// and an answer already overtaken by a newer change is not drawn.
async function runScore() {
  inflight = true;
  busy(true);
  try {
    while (pending) {
      pending = false;
      const { assessment, refs, incomplete } = toAssessment(collect(), PAGE_STANDARD);
      const answer = await scorer.call("score", bundleText, assessment);
      if (!pending) {
        render(answer, refs, incomplete);
        if (++scored === 1) {
          performance.mark("gm-first-score");
          root.dataset.firstScoreMs = String(Math.round(performance.now()));
        }
      }
    }
  } catch (error) {
    setStatus("error", error.message || String(error));
  } finally {
    inflight = false;
    busy(false);
  }
}

// ---------------------------------------------------------------- drafts

let saveTimer = null;
let draftRevision = null; // the stored draft's revision as this tab last read or wrote it
let draftConflict = null; // the notice while another tab's newer draft waits for the person's choice

function saveNow({ force = false } = {}) {
  clearTimeout(saveTimer);
  saveTimer = null;
  if (draftConflict && !force) return; // held: nothing is written over the newer draft without asking
  const outcome = saveDraft(KEY, collect(), HASH, draftRevision, { force });
  if (outcome.conflict) {
    offerNewerDraft();
    return;
  }
  if (!outcome.error) draftRevision = outcome.revision;
  draftStatus.textContent = outcome.error || (outcome.revision === null
    ? "填写内容会自动保存在本机浏览器中（关闭页面后再打开仍在）。"
    : `已自动保存到本机（${formatSaved(new Date().toISOString())}）。`);
  draftStatus.classList.toggle("gm-draft-status--error", Boolean(outcome.error));
}

// Another tab (or window) saved this form's draft after this tab last read or wrote it: keep this
// tab's form on screen, save nothing, and ask which one to keep.
function offerNewerDraft() {
  if (draftConflict) return;
  clearTimeout(saveTimer);
  saveTimer = null;
  const choose = (choice) => () => {
    notice.remove();
    draftConflict = null;
    choice();
    draftStatus.tabIndex = -1; // focus stays near the choice once its buttons are gone
    draftStatus.focus();
  };
  const notice = el("div", { id: "gm-draft-conflict", className: "gm-alert gm-alert--warning", role: "alert" },
    el("p", { className: "gm-alert-head", text: "另一个标签页（或窗口）保存了本表更新的草稿。" }),
    el("p", { text: "为免覆盖较新的内容，本页的修改暂未保存。请选择：载入较新的草稿（本页当前的填写将被替换），或保留本页的填写（另一个标签页的草稿将被替换）。" }),
    el("p", { className: "gm-alert-actions" }, actionButton("载入较新的草稿", choose(loadNewerDraft)),
      actionButton("保留本页的填写", choose(keepThisDraft))));
  alertBox.before(notice);
  draftConflict = notice;
  draftStatus.textContent = "草稿未保存：另一个标签页保存了更新的草稿，请在下方选择保留哪一份。";
  draftStatus.classList.add("gm-draft-status--error");
}

function loadNewerDraft() {
  const stored = readDraft(KEY);
  draftRevision = stored ? stored.revision : null;
  const draft = stored && stored.draft ? stored.draft : { organization: {}, assessor: {}, items: {} };
  if (!(stored && stored.damaged)) fill(draft);
  echo();
  requestScore();
  draftStatus.classList.remove("gm-draft-status--error");
  draftStatus.textContent = stored && stored.draft
    ? `已载入另一个标签页保存的草稿${stored.saved ? `（${formatSaved(stored.saved)}）` : ""}。`
    : "另一个标签页已清空草稿，本页已同样清空。";
}

function keepThisDraft() {
  saveNow({ force: true });
}

window.addEventListener("storage", (event) => {
  // key null: the whole storage was cleared
  if ((event.key === KEY || event.key === null) && storedRevision(KEY) !== draftRevision) offerNewerDraft();
});

function scheduleSave() {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(saveNow, SAVE_DELAY_MS);
}

function flushSave() {
  if (saveTimer !== null) saveNow();
}

window.addEventListener("pagehide", flushSave);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden") flushSave();
});

// ---------------------------------------------------------------- messages (alert region)

/** A small button of an alert or notice; `action` runs on click. */
function actionButton(label, action) {
  const button = el("button", { type: "button", className: "gm-small-button", text: label });
  button.addEventListener("click", action);
  return button;
}

function showAlert(kind, heading, lines = [], actions = []) {
  alertBox.className = `gm-alert gm-alert--${kind}`;
  alertBox.setAttribute("role", kind === "error" ? "alert" : "status");
  const parts = [el("p", { className: "gm-alert-head", text: heading })];
  if (lines.length) {
    parts.push(el("ul", {}, lines.map((line) => (typeof line === "string" ? el("li", { text: line })
      // {text, href, label}: a problem the user acts on elsewhere (another standard's page)
      : el("li", {}, line.text, " ", el("a", { href: line.href, text: line.label }))))));
  }
  parts.push(el("p", { className: "gm-alert-actions" },
    [...actions, ["知道了", hideAlert]].map(([label, action]) => actionButton(label, action))));
  alertBox.replaceChildren(...parts);
  alertBox.hidden = false;
  if (kind === "error") alertBox.focus({ preventScroll: false });
}

function hideAlert() {
  alertBox.hidden = true;
  alertBox.replaceChildren();
}

// ---------------------------------------------------------------- files

function fileName(extension) {
  return exportFileName(basic.orgName.value, YEAR, STANDARD, extension);
}

function exportJson() {
  const { assessment, incomplete } = toAssessment(collect(), PAGE_STANDARD);
  const name = fileName("json");
  download(new Blob([JSON.stringify(assessment, null, 2) + "\n"], { type: "application/json" }), name);
  const notes = [];
  if (incomplete) notes.push(`有 ${incomplete} 条记录未填写日期，未包含在导出文件中。`);
  if (lastProblems.length) notes.push(`当前有 ${lastProblems.length} 处填写需要修改；修改前导出的文件无法导入。`);
  showAlert(notes.length ? "warning" : "info", `已导出“${name}”。`, notes);
}

async function exportXlsx(button) {
  if (!started.ready) {
    showAlert("info", "评分程序尚未就绪，请稍候再导出 Excel 表格。");
    return;
  }
  const label = button.textContent;
  button.disabled = true;
  button.textContent = "正在生成 Excel 表格……";
  try {
    const { assessment } = toAssessment(collect(), PAGE_STANDARD);
    const answer = await scorer.call("xlsx", bundleText, assessment);
    if (!answer.ok) {
      showAlert("error", "无法导出 Excel 表格，原因如下：", answer.problems.map(describeProblem));
      return;
    }
    const name = fileName("xlsx");
    download(xlsxBlob(answer.result.base64), name);
    showAlert("info", `已导出“${name}”。`);
  } catch (error) {
    showAlert("error", "无法导出 Excel 表格：", [error.message || String(error)]);
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}

function openDialog(dialog) {
  return new Promise((resolve) => {
    const onClose = () => {
      dialog.removeEventListener("close", onClose);
      resolve(dialog.returnValue === "confirm");
    };
    dialog.returnValue = "";
    dialog.addEventListener("close", onClose);
    dialog.showModal();
  });
}

async function importFile(input) {
  const file = input.files && input.files[0];
  input.value = ""; // the same file can be chosen again after a fix
  if (!file) return;
  const refused = `未导入“${file.name}”，当前填写的内容保持不变。原因如下：`;
  if (!started.ready) {
    showAlert("info", `正在等待评分程序就绪，就绪后将检查“${file.name}”……`);
    try { await whenReady; } catch (error) { showAlert("error", refused, [error.message || String(error)]); return; }
  }
  // The file's bytes go to the scorer, which decodes and bounds them as the command line does.
  let content;
  try {
    const [read] = await readThrough(scorer, "json", [file]);
    if (read.problems) {
      showAlert("error", refused, read.problems.map(describeProblem));
      return;
    }
    content = read.text;
  } catch (error) {
    showAlert("error", refused, [error.message || String(error)]);
    return;
  }
  const earlier = earlierYear(content, STANDARD, YEAR);
  if (earlier !== null) {
    await carryForward(file.name, content, earlier, refused);
    return;
  }
  let answer;
  try {
    answer = await scorer.call("check", bundleText, content);
  } catch (error) {
    showAlert("error", refused, [error.message || String(error)]);
    return;
  }
  if (!answer.ok || (answer.problems && answer.problems.length)) {
    showAlert("error", refused, answer.problems.map(problemLine));
    return;
  }
  const value = JSON.parse(content); // the scorer parsed and accepted it
  if (!isEmptyDraft(collect())) {
    const dialog = $("#gm-replace-dialog");
    $('[data-slot="message"]', dialog).textContent =
      `文件“${file.name}”检查通过。导入后，本页当前填写的内容将被文件中的内容替换。需要保留当前内容，请先导出。`;
    if (!(await openDialog(dialog))) {
      showAlert("info", `已取消导入“${file.name}”，当前填写的内容保持不变。`);
      return;
    }
  }
  fill(assessmentToDraft(value));
  saveNow();
  requestScore();
  hideAlert();
  showAlert("info", `已导入“${file.name}”。`);
}

// An earlier year's file of this standard: offer to start this year from it (scorer `carry`): who is
// assessed carries, last year's occurrences stay reminders (copyable with a date of this year), and
// last year's record is scored under both years; the draft changes only on acceptance.
async function carryForward(name, content, earlier, refused) {
  let answer;
  try {
    const oldBundle = await scorer.fetchBundle(earlier, STANDARD).catch(() => {
      throw new Error(`本站没有 ${earlier} 年度的该类标准，无法结转。`);
    });
    answer = await scorer.call("carry", oldBundle, bundleText, content);
  } catch (error) {
    showAlert("error", refused, [error.message || String(error)]);
    return;
  }
  if (!answer.ok) {
    showAlert("error", refused, answer.problems.map(describeProblem));
    return;
  }
  hideAlert();
  let host = $("#gm-carry");
  if (!host) {
    host = el("section", { id: "gm-carry", className: "gm-carry", "aria-labelledby": "gm-carry-title" });
    alertBox.after(host);
  }
  if (!(await offerCarry(host, name, answer.result))) {
    showAlert("info", `已取消结转“${name}”，当前填写的内容保持不变。`);
    return;
  }
  if (!isEmptyDraft(collect())) {
    const dialog = $("#gm-replace-dialog");
    $('[data-slot="message"]', dialog).textContent =
      `结转后，本页当前填写的内容将被“${name}”结转的内容替换。需要保留当前内容，请先导出。`;
    if (!(await openDialog(dialog))) {
      showAlert("info", `已取消结转“${name}”，当前填写的内容保持不变。`);
      return;
    }
  }
  fill(assessmentToDraft(answer.result.assessment));
  saveNow();
  requestScore();
  const reminders = answer.result.reminders.length;
  showAlert("info", `已将“${name}”的党组织和自评人信息结转到 ${YEAR} 年度。` +
    (reminders ? `上一年度的 ${reminders} 个条目列在下方作为提醒，未计入本年度得分。` : ""));
  showReminders(host, answer.result, copyReminder);
}

/** A reminded occurrence copied into this year's form, with the date the user chose for it. */
function copyReminder(id, occurrence) {
  const item = itemElements.get(id);
  if (!item) return;
  addOccurrence(item, occurrence);
  scheduleSave();
  requestScore();
}

// ---------------------------------------------------------------- events

function onEdit(event) {
  const target = event.target;
  if (target.matches("[data-basic]")) echo();
  const row = target.closest(".gm-occurrence");
  if (row) rowWarning(row);
  scheduleSave();
  requestScore();
}

form.addEventListener("input", onEdit);
form.addEventListener("change", onEdit);
wireEvidencePicker(form);

// A wheel over a focused number field must scroll the page, not change the count.
form.addEventListener("wheel", (event) => {
  if (event.target.matches('input[type="number"]') && document.activeElement === event.target) event.target.blur();
}, { passive: true });

root.addEventListener("click", (event) => {
  const button = event.target.closest("[data-action]");
  if (!button || !root.contains(button)) return;
  const action = button.dataset.action;
  const item = button.closest(".gm-item");
  const row = button.closest(".gm-occurrence");
  switch (action) {
    case "add-occurrence": {
      const added = addOccurrence(item);
      field(added, "date").focus();
      scheduleSave();
      requestScore();
      break;
    }
    case "remove-occurrence": {
      const owner = row.closest(".gm-item");
      row.remove();
      renumber(owner);
      $('[data-action="add-occurrence"]', owner).focus();
      scheduleSave();
      requestScore();
      break;
    }
    case "add-evidence":
      field(addEvidence(row), "file").focus();
      scheduleSave();
      break;
    case "remove-evidence": {
      const owner = button.closest(".gm-occurrence");
      button.closest(".gm-evidence-item").remove();
      $('[data-action="add-evidence"]', owner).focus();
      rowWarning(owner);
      scheduleSave();
      requestScore();
      break;
    }
    case "export-json":
      exportJson();
      break;
    case "export-xlsx":
      exportXlsx(button);
      break;
    case "print":
      window.print();
      break;
    case "clear":
      openDialog($("#gm-clear-dialog")).then((confirmed) => {
        if (!confirmed) return;
        fill(emptyDraft());
        saveNow();
        requestScore();
        showAlert("info", "已清空本页填写的内容。");
        basic.orgName.focus();
      });
      break;
    case "clear-export":
    case "replace-export":
      exportJson();
      break;
    case "clear-confirm":
    case "replace-confirm":
      button.closest("dialog").close("confirm");
      break;
    case "dialog-cancel":
      button.closest("dialog").close("cancel");
      break;
    default:
      break;
  }
});

// The report prints with its receipt, even if the reader folded it away on screen.
window.addEventListener("beforeprint", () => {
  $(".gm-receipt-box").open = true;
  $(".gm-declared-box").open = true;
});

$('[data-testid="import-file"]').addEventListener("change", (event) => importFile(event.target));
wireFeedback({ input: $("#gm-feedback-file"), box: $("#gm-feedback"), scorer, bundleText: () => bundleText });

// ---------------------------------------------------------------- start

function restore() {
  const stored = readDraft(KEY);
  if (!stored) return;
  draftRevision = stored.revision;
  if (stored.damaged) {
    showAlert("warning", "本机保存的草稿已损坏，无法恢复，已忽略。", [],
      [["下载损坏的草稿", () => download(new Blob([stored.damaged], { type: "application/json" }), backupFileName(YEAR, STANDARD))]]);
    return;
  }
  const unknown = fill(stored.draft);
  const when = stored.saved ? formatSaved(stored.saved) : "";
  draftStatus.textContent = `已恢复本机保存的草稿${when ? `（${when}）` : ""}。`;
  if (stored.hash && stored.hash !== HASH) {
    const lines = unknown.length ? [`以下条目在当前标准中已不存在，未恢复：${unknown.join("、")}。`] : [];
    const raw = JSON.stringify(stored.draft, null, 2);
    showAlert("warning", "本机草稿是按修订前的标准填写的，已按当前标准恢复，请逐项核对。", lines,
      [["下载原草稿备份", () => download(new Blob([raw], { type: "application/json" }), backupFileName(YEAR, STANDARD))]]);
  }
}

restore();
echo();

const whenReady = Promise.all([scorer.ready, bundlePromise]).then(([, text]) => {
  let hash = null;
  try { hash = JSON.parse(text).hash; } catch { /* reported below */ }
  if (hash !== HASH) {
    throw new Error("本页与服务器上的标准数据版本不一致（网站可能刚刚更新）。请刷新页面；仍出现请清除浏览器缓存后重试。");
  }
  bundleText = text;
  gradeNames = Object.fromEntries(JSON.parse(text).year.grades.map((g) => [g.id, g.name]));
});
whenReady.catch(() => {});

const started = startUp({
  scorer, setStatus, whenReady,
  loading: (message) => `${message || "正在启动评分程序……"}表格可以先填写，得分将在评分程序就绪后自动显示。`,
  ready: READY_TEXT,
  offline: (note) => `${READY_TEXT}${note}（断网后仍可打开本页并计分）。`,
  onReady: () => {
    performance.mark("gm-scorer-ready");
    requestScore();
  },
  onError: () => {
    $("#gm-result-note").textContent = "评分程序未能启动，暂时无法显示得分。已填写的内容仍会保存在本机。";
  },
  onSettled: () => document.dispatchEvent(new Event("gm-scorer-settled")), // search-hold.js lets Material's search start
});

root.dataset.interactive = "true";
performance.mark("gm-assess-interactive");
