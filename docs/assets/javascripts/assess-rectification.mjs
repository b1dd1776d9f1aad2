// The organization's rectification report (assess/rectification/): open the list the office issued
// (a gm-rectification/1 file, or the feedback file carrying it), report progress per item (status,
// date done, note, evidence with SHA-256 fingerprints computed in the page) and export the
// gm-rectification-report/1 file. The scorer checks the list (each item's content hash) and builds
// the report (`rectification_open`, `rectification_report`); the page keeps the list and the
// progress in localStorage so a reload loses nothing. A feedback file is checked whole against its
// own standard (its list must be drawn from the review it carries). While the page holds a list and
// its progress, the scorer refuses a file for another organization or year, or an older list lacking
// items it holds (export and clear first): a wrong file loses nothing. The assessment page hands a feedback
// over (HANDOFF_KEY) when the organization follows its "填报整改进展" link; it opens here exactly as a
// chosen file does.

import { startScorer } from "./scorer-client.mjs";
import { readThrough } from "./file-bytes.mjs";
import { fingerprintFile } from "./assess-evidence.mjs";
import { download, el } from "./dom.mjs";
import { describeProblem } from "./problems.mjs";
import { statusLine } from "./startup.mjs";
import { hideMessage, showMessage } from "./office-common.mjs";
import { siteIndex } from "./office-year.mjs";
import { safeName } from "./export-files.mjs";
import { localDate, progressOf } from "./office-application-model.mjs";
import { HANDOFF_KEY } from "./assess-feedback.mjs";

const STORE_KEY = "gm-rectification-progress";
const root = document.getElementById("gm-rect-report");
const $ = (selector, scope = document) => scope.querySelector(selector);
const scorer = startScorer();
const setStatus = statusLine($('[data-testid="scorer-status"]', root), ".gmo-status-text");
const form = $("#gmy-progress");
const alertBox = $("#gmy-alert");
let index = null;
let opened = null; // {list, organization, items}

scorer.onStatus((event) => {
  if (event.state === "error") setStatus("error", event.message);
  else if (event.state !== "ready") setStatus("loading", event.message || "正在启动评分程序……");
});

const problemsOf = (answer) => answer.problems.map(describeProblem);

/** The standard a file is checked against: a feedback's own (year and standard), else any of its year. */
async function bundleFor(year, standard) {
  const entry = index.years.find((y) => y.year === year) || index.years.find((y) => y.year === index.current);
  const chosen = entry.standards.find((s) => s.id === standard) || entry.standards[0];
  return scorer.fetchBundle(entry.year, chosen.id);
}

function saved() {
  try { return JSON.parse(localStorage.getItem(STORE_KEY) || "null"); } catch { return null; }
}

function keep() {
  if (!opened) return;
  try {
    localStorage.setItem(STORE_KEY, JSON.stringify({ list: opened.list, form: formState() }));
  } catch (error) {
    showMessage(alertBox, "warning", "进展未能保存在本机（浏览器存储不可用或已满），请及时导出报告。", [String(error.message || error)]);
  }
}

function evidenceRow(itemIndex, rowIndex, value = {}) {
  const id = `gmy-${itemIndex}-${rowIndex}`;
  return el("div", { className: "gma-form gmy-evidence", dataset: { row: String(rowIndex) } },
    el("div", { className: "gmo-field" }, el("label", { for: `${id}-file`, text: "佐证材料文件名" }),
      el("input", { id: `${id}-file`, "data-field": "file", value: value.file || "", autocomplete: "off" })),
    el("div", { className: "gmo-field" }, el("label", { for: `${id}-loc`, text: "存放位置" }),
      el("input", { id: `${id}-loc`, "data-field": "location", value: value.location || "", autocomplete: "off" })),
    el("div", { className: "gmo-field" }, el("label", { for: `${id}-sha`, text: "SHA-256 校验值" }),
      el("input", { id: `${id}-sha`, "data-field": "sha256", value: value.sha256 || "", autocomplete: "off", spellcheck: "false" })),
    el("div", { className: "gmo-field" }, el("span", { className: "gmo-file" },
      el("input", { type: "file", id: `${id}-pick`, "data-field": "pick" }),
      el("label", { for: `${id}-pick`, className: "gmo-button", text: "选择文件计算校验值" })),
      el("span", { className: "gmo-hint", "data-slot": "pick-status", "aria-live": "polite" })));
}

function renderItems(state = null) {
  const rows = state ? state.rows : [];
  $("#gmy-items").replaceChildren(...opened.items.map((item, i) => {
    const s = rows.find((r) => r.id === item.id) || {};
    const evidence = s.evidence && s.evidence.length ? s.evidence : [{}];
    return el("fieldset", { className: "gmx-item", dataset: { item: item.id } },
      el("legend", {}, el("strong", { text: `${item.id}：${item.problem_text}` })),
      el("p", { text: `整改措施：${item.measure}；责任人：${item.responsible}；下发 ${item.issued}，整改期限 ${item.deadline}` }),
      el("div", { className: "gma-form" },
        el("div", { className: "gmo-field" }, el("label", { for: `gmy-${i}-status`, text: "进展" }),
          el("select", { id: `gmy-${i}-status`, "data-field": "status" },
            ...[["", "本次不报告"], ["in-progress", "整改中"], ["done", "已完成"]].map(([v, t]) => el("option", { value: v, text: t, selected: s.status === v })))),
        el("div", { className: "gmo-field" }, el("label", { for: `gmy-${i}-done`, text: "完成日期" }),
          el("input", { id: `gmy-${i}-done`, type: "date", "data-field": "done", value: s.done || "" })),
        el("div", { className: "gmo-field gmo-field--wide" }, el("label", { for: `gmy-${i}-note`, text: "整改情况说明" }),
          el("textarea", { id: `gmy-${i}-note`, rows: 2, "data-field": "note" }, s.note || ""))),
      el("div", { className: "gmy-evidence-list" }, evidence.map((e, r) => evidenceRow(i, r, e))),
      el("button", { type: "button", className: "gmo-button", "data-action": "add-evidence", text: "添加佐证材料" }));
  }));
  $("#gmy-reported").value = (state && state.reported) || localDate();
  $("#gmy-contact").value = (state && state.contact) || "";
  $("#gmy-progress-card").hidden = false;
  $("#gmy-summary").textContent = `${opened.list.year} 年度 · ${opened.organization}：整改事项 ${opened.items.length} 项（清单下发于 ${opened.list.issued}${opened.list.office ? `，${opened.list.office}` : ""}）。`;
}

function formState() {
  const rows = [...form.querySelectorAll("fieldset.gmx-item")].map((box) => ({
    id: box.dataset.item,
    status: $('[data-field="status"]', box).value,
    done: $('[data-field="done"]', box).value,
    note: $('[data-field="note"]', box).value,
    evidence: [...box.querySelectorAll(".gmy-evidence")].map((row) => ({
      file: $('[data-field="file"]', row).value, location: $('[data-field="location"]', row).value, sha256: $('[data-field="sha256"]', row).value })),
  }));
  return { reported: $("#gmy-reported").value, contact: $("#gmy-contact").value, rows };
}

/** Open a list or feedback text; `held`: the list this page holds, which the scorer lets it replace only without losing progress. */
async function openList(text, { quiet = false, held = null } = {}) {
  let year = index.current;
  let standard = null;
  try { ({ year, standard } = JSON.parse(text)); } catch { /* the scorer says why */ }
  const answer = await scorer.call("rectification_open", await bundleFor(year, standard), text, JSON.stringify(held));
  if (!answer.ok) return answer;
  opened = answer.result;
  if (!quiet) hideMessage(alertBox);
  return answer;
}

(async () => {
  index = await siteIndex();
  await scorer.ready;
  const state = saved();
  if (state && state.list) {
    const answer = await openList(JSON.stringify(state.list), { quiet: true });
    if (answer.ok) renderItems(state.form);
  }
  const handed = handedOver();
  if (handed) await openFile(handed.name, { text: handed.text });
  setStatus("ready", "程序已就绪：请选择办公室发来的整改清单或反馈文件。");
  root.dataset.interactive = "true";
})().catch((error) => setStatus("error", error.message || String(error)));

/** Open a list or feedback file's text (`name` as the user knows it); refused files change nothing. */
async function openFile(name, read) {
  hideMessage(alertBox);
  const refuse = (lines) => { showMessage(alertBox, "error", `未打开“${name}”${opened ? "，本页保存的清单和已填写的进展没有改变" : ""}。原因：`, lines); alertBox.focus(); };
  if (read.problems) { refuse(read.problems.map(describeProblem)); return; }
  const before = opened;
  const previous = opened ? formState() : null;
  // Another organization's or year's file, or an older list lacking items this page holds, is refused by the scorer.
  const answer = await openList(read.text, { quiet: true, held: before ? before.list : null });
  if (!answer.ok) { opened = before; refuse(problemsOf(answer)); return; }
  renderItems(previous);
  keep();
  showMessage(alertBox, "info", `已打开“${name}”：${opened.organization}，整改事项 ${opened.items.length} 项。`);
}

/** The feedback file the assessment page handed over (its "填报整改进展" link), taken once. */
function handedOver() {
  try {
    const value = JSON.parse(sessionStorage.getItem(HANDOFF_KEY) || "null");
    sessionStorage.removeItem(HANDOFF_KEY);
    return value && typeof value.name === "string" && typeof value.text === "string" ? value : null;
  } catch { return null; }
}

$("#gmy-list").addEventListener("change", async (event) => {
  const file = event.target.files && event.target.files[0];
  event.target.value = "";
  if (!file) return;
  const [read] = await readThrough(scorer, "json", [file]);
  await openFile(file.name, read);
});

form.addEventListener("input", () => keep());
form.addEventListener("change", async (event) => {
  const picker = event.target;
  if (!picker.matches('input[type="file"][data-field="pick"]')) { keep(); return; }
  const row = picker.closest(".gmy-evidence");
  const chosen = picker.files && picker.files[0];
  picker.value = ""; // the file itself is never kept
  if (!chosen) return;
  const say = $('[data-slot="pick-status"]', row);
  say.textContent = `正在计算“${chosen.name}”的 SHA-256 校验值……`;
  const print = await fingerprintFile(chosen);
  if (print.problem) { say.textContent = print.problem; return; }
  $('[data-field="file"]', row).value = print.name;
  $('[data-field="sha256"]', row).value = print.sha256;
  say.textContent = `已填写“${print.name}”的 SHA-256 校验值（文件只在本页计算，未上传，也未保存）。`;
  keep();
});

form.addEventListener("click", (event) => {
  const target = event.target.closest('[data-action="add-evidence"]');
  if (!target) return;
  const box = target.closest("fieldset.gmx-item");
  const list = $(".gmy-evidence-list", box);
  const itemIndex = [...form.querySelectorAll("fieldset.gmx-item")].indexOf(box);
  const row = evidenceRow(itemIndex, list.children.length);
  list.append(row);
  $("input", row).focus();
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const box = $("#gmy-export-alert");
  hideMessage(box);
  keep();
  const progress = progressOf(formState());
  if (!progress.items.length) { showMessage(box, "error", "未导出：请至少为一个事项选择进展（整改中或已完成）。"); box.focus(); return; }
  const answer = await scorer.call("rectification_report", JSON.stringify(opened.list), JSON.stringify(progress));
  if (!answer.ok) { showMessage(box, "error", "未导出，原因：", problemsOf(answer)); box.focus(); return; }
  const report = answer.result.report;
  download(new Blob([JSON.stringify(report, null, 2)], { type: "application/json" }),
    `整改情况报告_${report.year}_${safeName(report.organization)}_${report.reported}.json`);
  showMessage(box, "info", `已导出整改情况报告：${report.items.length} 个事项。请将文件报送领导小组办公室。`);
});

root.addEventListener("click", (event) => {
  if (!event.target.closest('[data-action="clear"]')) return;
  if (!window.confirm("确定清除本机保存的整改清单和已填写的进展吗？已导出的报告文件不受影响。")) return;
  localStorage.removeItem(STORE_KEY);
  opened = null;
  $("#gmy-items").replaceChildren();
  $("#gmy-progress-card").hidden = true;
  $("#gmy-summary").textContent = "";
  showMessage(alertBox, "info", "已清除本机保存的整改清单和进展。");
});
