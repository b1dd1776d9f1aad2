// The year workspace panel shared by the office's year pages (日常监督 office/supervision/, 评议结果
// office/results/): which year, what this browser holds for it, where that is and how to clear it,
// export (plain or with a passphrase) and import/merge of a workspace file.
//
// The store is office-workspace.mjs (IndexedDB); every check of a file and every merge is the
// scorer's (`workspace_*` operations in scorer/browser.py). A file refused here never changes the
// stored workspace: it is read, checked and merged into a copy, and only an accepted result is saved.

import { readThrough } from "./file-bytes.mjs";
import { SITE_ROOT } from "./site.mjs";
import { busyButton, hideMessage, showMessage } from "./office-common.mjs";
import { describeProblem } from "./problems.mjs";
import { download, el } from "./dom.mjs";
import { appendedRecords } from "./office-application-model.mjs";
import { startScorer } from "./scorer-client.mjs";
import { statusLine } from "./startup.mjs";
import {
  SealError, WORKSPACE_FORMAT, checkEnvelope, clearWorkspace, isSealed, loadStored, onWorkspaceChange, saveWorkspace, seal,
  stampWorkspace, unseal, workspaceSavedAt,
} from "./office-workspace.mjs";

/**
 * How every office page of the year starts: the scorer with the status line of `root` following its
 * start-up, and the year's workspace panel (`onChange` gets each workspace it holds). {scorer,
 * setStatus, panel}; the page says "ready" itself once its own first answers are in.
 */
export function startYearPage(root, onChange) {
  const scorer = startScorer();
  const setStatus = statusLine(root.querySelector('[data-testid="scorer-status"]'), ".gmo-status-text");
  scorer.onStatus((event) => {
    if (event.state === "error") setStatus("error", event.message);
    else if (event.state !== "ready") setStatus("loading", event.message || "正在启动评分程序……");
  });
  const panel = workspacePanel({ scorer, section: root.querySelector("#gmo-workspace"), onChange });
  return { scorer, setStatus, panel };
}

/** The published years and their bundles' paths (data/index.json): the year the office works on is the current one. */
export async function siteIndex() {
  const response = await fetch(new URL("data/index.json", SITE_ROOT));
  if (!response.ok) throw new Error(`无法读取本站的标准目录 data/index.json（HTTP ${response.status}）。请刷新页面。`);
  return response.json();
}

/** The year's bundles as one JSON array text (what `register_choices`, `workspace_*` take). */
export async function yearBundles(scorer, index, year) {
  const entry = index.years.find((y) => y.year === year);
  if (!entry) throw new Error(`本站没有 ${year} 年度的标准。`);
  const texts = await Promise.all(entry.standards.map((s) => scorer.fetchBundle(year, s.id)));
  return `[${texts.join(",")}]`;
}

/** An empty workspace of the year: the document `gm-workspace/1` with nothing in it yet. */
export function emptyWorkspace(year) {
  return { format: WORKSPACE_FORMAT, year, roster: [], plan: { selected: [] }, assessments: [], supervision: [], reviews: [], related: {} };
}

function stamp(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  const two = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

const PART_NAMES = { roster: "名单", plan: "检查计划", assessments: "自评", supervision: "监督记录", reviews: "评议", related: "相关评议结果" };

/** What a merge brought: "新增监督记录 3 条；监督记录 1 条两边不同，保留了较新的一份". */
function mergeWords({ added = {}, conflicts = {} }) {
  const size = (v) => (Array.isArray(v) ? v.length : Number(v) || 0);
  const parts = Object.entries(added).filter(([, v]) => size(v)).map(([k, v]) => `新增${PART_NAMES[k] || k} ${size(v)} 项`);
  const differ = Object.entries(conflicts).filter(([, v]) => size(v)).map(([k, v]) => `${PART_NAMES[k] || k} ${size(v)} 项两边不同，保留了较新的一份`);
  return [...parts, ...differ].join("；") || "没有新的内容（文件中的记录本机都已有）。";
}

/** Words for what a workspace holds: "名单 12 个党组织，自评 3 份，监督记录 5 条，评议 1 份". */
export function contents(workspace) {
  const live = workspace.supervision.filter((r) => !r.deleted).length;
  return `名单 ${workspace.roster.length} 个党组织，检查计划 ${workspace.plan.selected.length} 个，自评 ${workspace.assessments.length} 份，` +
    `日常监督记录 ${live} 条，核查评议 ${workspace.reviews.length} 份，相关评议结果 ${Object.keys(workspace.related).length} 个党组织`;
}

function fileName(workspace, sealed) {
  const d = new Date();
  const two = (n) => String(n).padStart(2, "0");
  const day = `${d.getFullYear()}${two(d.getMonth() + 1)}${two(d.getDate())}-${two(d.getHours())}${two(d.getMinutes())}`;
  return `评议工作区_${workspace.year}_${day}${sealed ? "_已加密" : ""}.json`;
}

/** A passphrase from a modal dialog (twice when sealing); null when cancelled. */
function askPassphrase(dialog, { confirm, title, hint }) {
  const form = dialog.querySelector("form");
  const first = dialog.querySelector('[data-field="passphrase"]');
  const again = dialog.querySelector('[data-field="again"]');
  const againRow = again.closest(".gmo-field");
  const error = dialog.querySelector(".gmo-pass-error");
  dialog.querySelector("h2").textContent = title;
  dialog.querySelector(".gmo-pass-hint").textContent = hint;
  againRow.hidden = !confirm;
  again.required = confirm;
  first.value = "";
  again.value = "";
  error.textContent = "";
  dialog.showModal();
  first.focus();
  return new Promise((resolve) => {
    const finish = (value) => {
      form.removeEventListener("submit", submit);
      dialog.removeEventListener("cancel", cancel);
      dialog.querySelector('[data-action="pass-cancel"]').removeEventListener("click", cancel);
      dialog.close();
      first.value = "";
      again.value = "";
      resolve(value);
    };
    const submit = (event) => {
      event.preventDefault();
      if (!first.value) { error.textContent = "请输入口令。"; first.focus(); return; }
      if (confirm && first.value.length < 8) { error.textContent = "口令至少 8 个字符。"; first.focus(); return; }
      if (confirm && first.value !== again.value) { error.textContent = "两次输入的口令不一致。"; again.focus(); return; }
      finish(first.value);
    };
    const cancel = (event) => { event.preventDefault(); finish(null); };
    form.addEventListener("submit", submit);
    dialog.addEventListener("cancel", cancel);
    dialog.querySelector('[data-action="pass-cancel"]').addEventListener("click", cancel);
  });
}

function panelMarkup() {
  const passDialog = el("dialog", { className: "gmo-pass", "data-testid": "passphrase-dialog", "aria-labelledby": "gmo-pass-title" },
    el("form", { method: "dialog", novalidate: true },
      el("h2", { id: "gmo-pass-title", text: "口令" }),
      el("p", { className: "gmo-hint gmo-pass-hint" }),
      // What a password manager files the passphrase under (it asks for a user name beside a password).
      el("input", { type: "text", autocomplete: "username", value: "评议工作区", hidden: true, "aria-hidden": "true", tabindex: "-1", readonly: true }),
      el("div", { className: "gmo-field" }, el("label", { for: "gmo-pass-1", text: "口令" }),
        el("input", { type: "password", id: "gmo-pass-1", "data-field": "passphrase", autocomplete: "new-password", required: true })),
      el("div", { className: "gmo-field" }, el("label", { for: "gmo-pass-2", text: "再次输入口令" }),
        el("input", { type: "password", id: "gmo-pass-2", "data-field": "again", autocomplete: "new-password" })),
      el("p", { className: "gmo-pass-error", role: "alert" }),
      el("div", { className: "gmo-toolbar" },
        el("button", { type: "submit", className: "gmo-button gmo-button--primary", "data-testid": "passphrase-ok", text: "确定" }),
        el("button", { type: "button", className: "gmo-button", "data-action": "pass-cancel", text: "取消" }))));
  return [
    el("h2", { id: "gmo-ws-title", text: "本机工作区" }),
    el("p", { className: "gmo-ws-summary", "data-testid": "workspace-summary", "aria-live": "polite", text: "正在读取本机保存的工作区……" }),
    el("div", { className: "gmo-toolbar" },
      el("button", { type: "button", className: "gmo-button", "data-action": "ws-export", "data-testid": "workspace-export", text: "导出工作区文件" }),
      el("button", { type: "button", className: "gmo-button", "data-action": "ws-export-sealed", "data-testid": "workspace-export-sealed", text: "加密导出（设置口令）" }),
      el("span", { className: "gmo-file" },
        el("input", { type: "file", id: "gmo-ws-file", "data-testid": "workspace-file", accept: ".json,application/json" }),
        el("label", { for: "gmo-ws-file", className: "gmo-button", text: "导入或合并工作区文件" })),
      el("button", { type: "button", className: "gmo-button gmo-button--danger", "data-action": "ws-clear", "data-testid": "workspace-clear", text: "清除本机工作区" })),
    el("p", { className: "gmo-hint", text: "导入的工作区文件与本机工作区合并：同一条记录（编号相同）只保留较新的一份，不会重复；不同工作人员分别处理不同党组织后，可互相导入合并。" +
      "加密导出的文件用 AES-GCM 加密，口令不保存在任何地方，忘记口令将无法打开文件。" }),
    el("div", { id: "gmo-ws-alert", className: "gmo-alert", tabindex: "-1", hidden: true }),
    passDialog,
  ];
}

/**
 * The panel in `section`, bound to the current year's stored workspace.
 * Returns {year, index, bundles, workspace(), update(fn), ready}: `update(fn)` applies `fn` to a copy,
 * lets the scorer check the result (`workspace_read`), saves it, and calls `onChange(workspace)`.
 */
export function workspacePanel({ scorer, section, onChange }) {
  section.replaceChildren(...panelMarkup());
  const $ = (selector) => section.querySelector(selector);
  const summary = $('[data-testid="workspace-summary"]');
  const alertBox = $("#gmo-ws-alert");
  const passDialog = $(".gmo-pass");
  let current = null;
  let currentText = null; // the stored text `current` was read from or saved as (what the scorer checked)
  let year = null;
  let bundles = null;
  let index = null;

  async function showSummary() {
    const saved = await workspaceSavedAt(year);
    summary.textContent = saved
      ? `本机浏览器中保存的 ${year} 年度工作区：${contents(current)}。最后保存于 ${stamp(saved)}。`
      : `本机浏览器中还没有 ${year} 年度的工作区：录入或导入的内容会自动保存在本机。`;
    section.dataset.saved = saved || "";
  }

  /**
   * Save `next` once the scorer accepted it. `records`: the supervision records that are the only change
   * from the stored (already checked) workspace: then only they are checked (`supervision_read`), so
   * entering one record in a year of 20 000 does not re-check the whole year.
   */
  async function commit(next, { announce = true, records = null } = {}) {
    let value = next;
    let stamp = null; // a workspace checked records-only gets no stamp; the next open checks it once
    let text = null;
    const appended = records ? null : appendedRecords(current, next);
    if (records) {
      const register = JSON.stringify({ format: "gm-supervision/1", year, records });
      const answer = await scorer.call("supervision_read", bundles, register);
      if (!answer.ok) return answer;
    } else if (appended && Object.keys(appended).length) {
      // Results application records added to the stored year (a proposal, a decision, a status
      // change, a report's events): the scorer checks them in context and serializes the year.
      const answer = await scorer.call("application_save", bundles, currentText ?? JSON.stringify(current),
        JSON.stringify({ records: appended, updated: next.updated }));
      if (!answer.ok) return answer;
      ({ text, stamp } = answer.result);
    } else {
      const answer = await scorer.call("workspace_read", bundles, JSON.stringify(next));
      if (!answer.ok) return answer;
      value = answer.result.workspace;
      stamp = answer.result.stamp;
    }
    text ??= JSON.stringify(value);
    await saveWorkspace(value, { stamp, text });
    current = value;
    currentText = text;
    await showSummary();
    if (announce) onChange(current);
    return { ok: true };
  }

  /**
   * The stored workspace, vouched for by the scorer: its check stamp matches (the text is only hashed),
   * or it is checked in full now and stamped for the next open. Either way the operations the page runs
   * next on this text do not check it again (scorer/stamps.py). A text the scorer now refuses (e.g. the
   * year's standards were revised since) stays stored as it is: the page's operations say why.
   */
  async function vouch(stored) {
    section.dataset.opened = "";
    if (!stored) return;
    const answer = await scorer.call("workspace_stamp", bundles, stored.text, JSON.stringify(stored.stamp));
    // How this open went, for the tests and the benchmark: "stamp" (hashed only), "checked" (in full), "refused".
    section.dataset.opened = !answer.ok ? "refused" : answer.result.vouched ? "stamp" : "checked";
    if (answer.ok && !answer.result.vouched) await stampWorkspace(year, stored.text, answer.result.stamp);
  }

  const ready = (async () => {
    index = await siteIndex();
    year = index.current;
    const stored = await loadStored(year);
    performance.mark("gmo-workspace-loaded"); // bench/year_workspace.py reads these marks
    await scorer.ready;
    bundles = await yearBundles(scorer, index, year);
    await vouch(stored);
    performance.mark("gmo-workspace-vouched");
    current = stored ? stored.workspace : emptyWorkspace(year);
    currentText = stored ? stored.text : null;
    await showSummary();
    onChange(current);
    return { year, index, bundles };
  })();
  ready.catch((error) => { summary.textContent = error.message || String(error); });

  // Another tab saved or cleared this year's workspace: show its version (nothing is merged behind the user's back).
  onWorkspaceChange(async (message) => {
    if (!year || message.year !== year) return;
    const stored = await loadStored(year);
    await vouch(stored);
    current = stored ? stored.workspace : emptyWorkspace(year);
    currentText = stored ? stored.text : null;
    await showSummary();
    onChange(current);
  });

  async function exportPlain(button) {
    await busyButton(button, "正在导出……", async () => {
      download(new Blob([JSON.stringify(current, null, 2)], { type: "application/json" }), fileName(current, false));
    }, (error) => showMessage(alertBox, "error", "导出失败：", [error.message || String(error)]));
  }

  async function exportSealed(button) {
    const passphrase = await askPassphrase(passDialog, {
      confirm: true, title: "加密导出：设置口令",
      hint: "口令至少 8 个字符。口令不会保存，请另行妥善告知需要打开文件的同事；忘记口令将无法打开文件。",
    });
    if (passphrase === null) return;
    await busyButton(button, "正在加密……", async () => {
      const envelope = await seal(JSON.stringify(current), passphrase);
      download(new Blob([JSON.stringify(envelope)], { type: "application/json" }), fileName(current, true));
      showMessage(alertBox, "info", "已加密导出工作区文件。打开时需要输入刚才设置的口令。");
    }, (error) => showMessage(alertBox, "error", "加密导出失败：", [error.message || String(error)]));
  }

  /** A chosen file -> the workspace text it holds (opened with a passphrase when sealed), or problems. */
  async function readWorkspaceFile(file) {
    const [read] = await readThrough(scorer, "workspace", [file]);
    if (read.problems) return { problems: read.problems.map(describeProblem) };
    let outer = null;
    try { outer = JSON.parse(read.text); } catch { outer = null; }
    if (!isSealed(outer)) return { text: read.text };
    checkEnvelope(outer); // a damaged or hostile envelope is refused before anyone types a passphrase
    const passphrase = await askPassphrase(passDialog, { confirm: false, title: `打开加密文件“${file.name}”`, hint: "请输入导出该文件时设置的口令。" });
    if (passphrase === null) return { cancelled: true };
    // The opened text is bounded by the scorer's own bound for a year file, not by ours.
    const limits = ((await scorer.ready).version || {}).limits || {};
    const bytes = await unseal(outer, passphrase, limits.workspace ? { limit: limits.workspace } : {});
    // The opened bytes are read like any file's: decoding, bounds and the scorer's checks.
    const [inner] = await readThrough(scorer, "workspace", [new File([bytes], file.name, { type: "application/json" })]);
    return inner.problems ? { problems: inner.problems.map(describeProblem) } : { text: inner.text };
  }

  async function importFile(file) {
    hideMessage(alertBox);
    let read;
    try {
      read = await readWorkspaceFile(file);
    } catch (error) {
      if (error instanceof SealError) {
        showMessage(alertBox, "error", `未导入“${file.name}”，本机工作区没有任何改变。原因：`, [error.message]);
        alertBox.focus();
        return;
      }
      throw error;
    }
    if (read.cancelled) return;
    if (read.problems) {
      showMessage(alertBox, "error", `未导入“${file.name}”，本机工作区没有任何改变。原因：`, read.problems);
      alertBox.focus();
      return;
    }
    const answer = await mergeText(read.text);
    if (!answer.ok) {
      showMessage(alertBox, "error", `未导入“${file.name}”，本机工作区没有任何改变。原因：`, answer.problems.map(describeProblem));
      alertBox.focus();
      return;
    }
    const saved = await commit(answer.workspace);
    if (!saved.ok) {
      showMessage(alertBox, "error", `未导入“${file.name}”，本机工作区没有任何改变。原因：`, saved.problems.map(describeProblem));
      alertBox.focus();
      return;
    }
    showMessage(alertBox, "info", `已合并“${file.name}”：${mergeWords(answer)}`);
  }

  /** A workspace file, or a supervision register file, merged into a copy of the current workspace by the scorer. */
  async function mergeText(text) {
    let format = null;
    try { format = JSON.parse(text).format; } catch { format = null; }
    if (format === "gm-supervision/1") {
      const mine = JSON.stringify({ format, year, records: current.supervision });
      const answer = await scorer.call("supervision_merge", bundles, mine, text);
      if (!answer.ok) return answer;
      return { ok: true, workspace: { ...current, supervision: answer.result.register.records },
        added: { supervision: answer.result.added }, conflicts: { supervision: answer.result.conflicts } };
    }
    const answer = await scorer.call("workspace_merge", bundles, currentText ?? JSON.stringify(current), text);
    if (!answer.ok) return answer;
    return { ok: true, ...answer.result };
  }

  async function clear(button) {
    if (!window.confirm(`确定从本机浏览器中清除 ${year} 年度的工作区吗？已导出的文件不受影响；未导出的内容将无法恢复。`)) return;
    await busyButton(button, "正在清除……", async () => {
      await clearWorkspace(year);
      current = emptyWorkspace(year);
      currentText = null;
      await showSummary();
      onChange(current);
      showMessage(alertBox, "info", `已从本机浏览器中清除 ${year} 年度的工作区。`);
    }, (error) => showMessage(alertBox, "error", "清除失败：", [error.message || String(error)]));
  }

  section.addEventListener("click", (event) => {
    const target = event.target.closest("[data-action]");
    if (!target || !section.contains(target)) return;
    if (target.dataset.action === "ws-export") exportPlain(target);
    else if (target.dataset.action === "ws-export-sealed") exportSealed(target);
    else if (target.dataset.action === "ws-clear") clear(target);
  });
  $("#gmo-ws-file").addEventListener("change", async (event) => {
    const file = event.target.files && event.target.files[0];
    event.target.value = "";
    if (!file) return;
    await ready;
    importFile(file).catch((error) => showMessage(alertBox, "error", `未导入“${file.name}”：`, [error.message || String(error)]));
  });

  return {
    ready,
    get year() { return year; },
    get bundles() { return bundles; },
    get index() { return index; },
    workspace: () => current,
    /**
     * The JSON text of `workspace` for the scorer: the stored text when it is the panel's current
     * workspace (the same object: a change makes a new workspace, never edits one in place), which
     * the scorer has vouched for, so the page neither stringifies 9 MB again for each operation nor
     * sends a text the scorer would check anew; otherwise `JSON.stringify(workspace)`.
     */
    textOf: (workspace) => (workspace === current && currentText !== null ? currentText : JSON.stringify(workspace)),
    /** Check `next` with the scorer and save it: {ok, problems?}. The stored workspace is unchanged on refusal. */
    commit,
    alertBox,
  };
}
