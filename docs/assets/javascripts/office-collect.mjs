// The office's collection page (office/): many exported self-assessments at once, each checked and
// rescored by the scorer in the worker (`collect`: one call for all the files, never one per file),
// reviewed in a sortable, filterable table, a grade distribution and a heatmap; related review
// results beside the score (`references`, `combine`); exports as .xlsx and CSV made by the scorer.
//
// Everything stays in this page's memory: files are read with File.text() and never sent anywhere.

import { startScorer } from "./scorer-client.mjs";
import { startUp, statusLine } from "./startup.mjs";
import { SITE_ROOT } from "./site.mjs";
import { download, el } from "./dom.mjs";
import { describeProblem } from "./problems.mjs";
import { csvBlob, xlsxBlob } from "./export-files.mjs";
import { HANDOVER_KEY, busyButton, showMessage } from "./office-common.mjs";
import { fileEntries, readThrough, unreadableProblem } from "./file-bytes.mjs";
import { bundleSource, warmUpFiles } from "./office-bundles.mjs";
import {
  cellText, exportName, exportView, filterDistribution, filterRows, layout, nextSort, sortRows, titles,
} from "./office-table.mjs";
import { distribution, heatmap, legend, shorten } from "./office-charts.mjs";
import { detailContent } from "./office-detail.mjs";

const NARROW = window.matchMedia("(max-width: 44.9375em)"); // Material's phone layout

const root = document.getElementById("gm-office");
const $ = (selector, scope = root) => scope.querySelector(selector);

// Start Python first: everything below is quick, the worker's start-up is not.
const scorer = startScorer();
const { index: indexPromise, bundles: bundleTexts } = bundleSource(SITE_ROOT);

const setStatus = statusLine($('[data-testid="scorer-status"]'), ".gmo-status-text");
const summary = $("#gmo-summary");
const notices = $("#gmo-notices");
const refsNotices = $("#gmo-refs-notices");
const results = $("#gmo-results");
const tableBox = $("#gmo-table-box");
const filterStandard = $("#gmo-filter-standard");
const filterYear = $("#gmo-filter-year");
const clearButton = $('[data-action="clear"]');
const removeRefsButton = $('[data-action="remove-references"]');

const state = {
  files: [], // [{name, text}]: what was read, in the order added
  seen: new Set(), // name + text of every file added: the same file twice is skipped
  refused: [], // files refused before the scorer saw them (too large, unreadable): [{file, problems}]
  base: null, // the scorer's `collect` result
  view: null, // `base`, or `base` combined with the references
  references: null, // the scorer's `references` result
  referencesFile: "",
  sort: { key: null, direction: "ascending" },
  renders: 0,
};
// ---------------------------------------------------------------- start-up

const READY_TEXT = "评分程序已就绪：导入的文件将在本机逐一检查并重新计分。";
const whenReady = Promise.all([scorer.ready, indexPromise]);
whenReady.catch(() => {});
const startup = startUp({
  scorer, setStatus, whenReady,
  loading: (message) => `${message || "正在启动评分程序……"}现在即可选择文件，评分程序就绪后自动检查和计分。`,
  ready: READY_TEXT,
  offline: (note) => `${READY_TEXT}${note}（断网后仍可打开本页并计分）。`,
  onReady: () => warmUp(),
});

// ---------------------------------------------------------------- warm-up

// While the page waits for files (the office is choosing them): fetch the current year's bundles,
// have the scorer check them (it keeps them by their text), import its collection code, and collect
// a batch of made-up assessments. The browser compiles Python's interpreter to fast machine code only
// once it has run for a while: measured, this halves the time of a first real import of 1,000 files.
// The made-up files are thrown away; skipped if real files came first.
const WARM_UP_FILES = 200;

function warmUp() {
  queue = queue.then(async () => {
    if (state.files.length) return;
    const bundles = await bundleTexts();
    await scorer.call("collect", bundles, JSON.stringify(warmUpFiles(JSON.parse(bundles), WARM_UP_FILES)));
  }).catch(() => {}) // a real import reports any problem itself
    .finally(() => { root.dataset.warm = "done"; });
}

// ---------------------------------------------------------------- import

let queue = Promise.resolve();
const timings = {};

function mark(name, since) {
  timings[name] = Math.round(performance.now() - since);
}

function addFiles(list) {
  const picked = Array.from(list || []);
  if (!picked.length) return;
  queue = queue.then(() => ingest(picked)).catch((error) => {
    // The files already collected are kept (ingest commits only what the scorer answered); the
    // scorer client restarts a failed worker, so the page stays usable without a reload.
    render();
    results.setAttribute("aria-busy", "false");
    showMessage(notices.appendChild(el("div")), "error", "处理文件时出错（已导入的文件保持不变）：", [error.message || String(error)]);
    summary.textContent = "处理文件时出错，已导入的文件保持不变；请重新选择刚才的文件重试。";
  });
}

/**
 * Add the chosen files: their bytes go to the scorer with the files already held, in one `collect`
 * (it decodes and bounds them as the command line does, so a GB18030 or UTF-16 file, random bytes or
 * a renamed workbook is refused with its reason and never reaches the table as mojibake). The same
 * file (name and bytes) chosen again is skipped.
 */
async function ingest(picked) {
  const since = performance.now();
  results.setAttribute("aria-busy", "true");
  summary.textContent = `正在读取 ${picked.length} 个文件……`;
  if (!startup.ready) await whenReady; // the scorer's bounds decide which files are read at all
  const entries = await fileEntries(scorer, "json", picked);
  const key = (entry) => `${entry.name}\u0000${entry.base64}`;
  const seen = new Set(state.seen);
  const fresh = new Set();
  let skipped = 0;
  for (const entry of entries) {
    if (entry.unreadable) continue;
    if (entry.base64 !== undefined) {
      if (seen.has(key(entry))) { skipped += 1; continue; }
      seen.add(key(entry));
    }
    fresh.add(entry);
  }
  mark("read", since);
  // Committed only once the scorer has answered for all of them: a failure leaves the page as it was.
  await rescore(since, [...fresh], (read) => {
    const answers = read[Symbol.iterator]();
    for (const entry of entries) { // refusals in the order the files were chosen
      if (entry.unreadable) {
        state.refused.push({ file: entry.name, problems: [unreadableProblem(entry)] });
      } else if (fresh.has(entry)) {
        const answer = answers.next().value;
        if (answer.problems) {
          state.refused.push({ file: answer.name, problems: answer.problems });
          seen.delete(key(entry)); // chosen again after a fix, it is read again
        }
      }
    }
    state.seen = seen;
    state.skipped = skipped;
  });
}

/** Collect the files held and `fresh` ones (bytes) in one call; `commit(read)` on success only. */
async function rescore(since, fresh, commit) {
  const count = state.files.length + fresh.length;
  if (!startup.ready) {
    summary.textContent = `已读取 ${count} 个文件，正在等待评分程序就绪……`;
    await whenReady;
  }
  summary.textContent = `正在检查并计分 ${count} 个文件……`;
  let phase = performance.now();
  const bundles = await bundleTexts();
  mark("bundles", phase);
  phase = performance.now();
  const answer = await scorer.call("collect", bundles, JSON.stringify([...state.files, ...fresh]));
  mark("collect", phase);
  if (!answer.ok) throw new Error(answer.problems.map(describeProblem).join("；"));
  state.files = [...state.files, ...answer.result.read.filter((r) => !r.problems).map((r) => ({ name: r.name, text: r.text }))];
  commit(answer.result.read);
  delete answer.result.read; // the texts are in state.files now: never sent back with the view
  state.base = answer.result;
  state.view = state.base;
  if (state.references) await combine(bundles);
  phase = performance.now();
  render();
  mark("render", phase);
  mark("total", since);
  root.dataset.timings = JSON.stringify(timings);
}

async function combine(bundles) {
  const phase = performance.now();
  const answer = await scorer.call("combine", JSON.stringify(state.base), JSON.stringify(state.references), bundles);
  mark("combine", phase);
  if (!answer.ok) throw new Error(answer.problems.map(describeProblem).join("；"));
  state.view = answer.result;
}

// ---------------------------------------------------------------- rendering

const titlesShown = () => titles(state.view ? state.view.rows : []);

// A file name is shown cut in the middle to this many characters (the full name is the cell's
// accessible text and tooltip): three lines of a long name made every row three lines tall.
const FILE_CHARS = 12;

/** The table's columns: the scorer's (it sends them with the rows), laid out for this page. */
function columns() {
  return layout(state.view.columns);
}

const filter = () => ({ standard: filterStandard.value, year: filterYear.value });

function visibleRows() {
  return sortRows(filterRows(state.view.rows, filter()), columns(), state.sort);
}

function fillSelect(select, options) {
  const current = select.value;
  const values = options.map(([value]) => value);
  select.replaceChildren(el("option", { value: "", text: "全部" }), ...options.map(([value, label]) => el("option", { value, text: label })));
  select.value = values.includes(current) ? current : "";
}

function renderFilters() {
  const names = titlesShown();
  const standards = [...names.keys()].sort().map((id) => [id, names.get(id) || id]);
  const years = [...new Set(state.view.rows.map((r) => r.year))].sort((a, b) => b - a).map((y) => [String(y), `${y} 年度`]);
  fillSelect(filterStandard, standards);
  fillSelect(filterYear, years);
}

function renderTable(rows, cols) {
  const head = el("tr", {}, cols.map((c) => {
    if (c.button) {
      const th = el("th", { scope: "col", className: "gmo-plain-head", dataset: { column: c.id }, text: c.label });
      th.style.width = `${c.width}em`;
      return th;
    }
    const sorted = state.sort.key === c.id ? state.sort.direction : null;
    const mark = sorted === "ascending" ? "▲" : sorted === "descending" ? "▼" : "↕";
    const hint = sorted === "ascending" ? "（升序，点击改为降序）" : sorted === "descending" ? "（降序，点击改为升序）" : "（点击排序）";
    const th = el("th", { scope: "col", "aria-sort": sorted || "none", className: c.number ? "gmo-num" : null, dataset: { column: c.id } },
      el("button", { type: "button", className: "gmo-sort", dataset: { sort: c.id }, title: `按“${c.label}”排序${hint}` },
        c.group === "area" ? twoLines(c.label) : c.label, el("span", { className: "gmo-sort-mark", "aria-hidden": "true", text: mark })));
    th.style.width = `${c.width}em`; // CSSOM, not a style attribute: allowed by a strict CSP
    return th;
  }));
  const body = document.createDocumentFragment();
  for (const row of rows) {
    const tr = el("tr", { className: row.duplicate ? "gmo-row--dup" : null, dataset: { file: row.file } });
    cols.forEach((c, i) => {
      if (c.button) {
        tr.append(el("td", { dataset: { column: c.id } }, detailButton(row)));
        return;
      }
      const text = cellText(row, c);
      const short = c.id === "file" ? shorten(text, FILE_CHARS) : text;
      const cell = el(i === 0 ? "th" : "td", { scope: i === 0 ? "row" : null, className: c.number ? "gmo-num" : null, dataset: { column: c.id } });
      if (c.id === "note" && row.duplicate) {
        cell.append(el("span", { className: "gmo-badge gmo-badge--dup", text: "重复提交" }), text.slice("重复提交".length));
      } else if (short !== text) {
        // The cut name for the eye (drawn from data-short by office.css, so the cell's text stays the
        // whole name), the whole name for screen readers, copying, printing and the tooltip.
        cell.title = text;
        cell.append(el("span", { "aria-hidden": "true", className: "gmo-cut", dataset: { short } }),
          el("span", { className: "gmo-visually-hidden", text }));
      } else {
        cell.textContent = text;
      }
      tr.append(cell);
    });
    body.append(tr);
  }
  const table = el("table", { className: "gmo-table", "data-testid": "office-table" },
    el("caption", { className: "gmo-visually-hidden", text: "自评结果汇总表（点击表头排序）" }),
    el("thead", {}, head), el("tbody", {}, body));
  tableBox.replaceChildren(table);
}

/** A narrow column's heading on two lines, broken in the middle only ("政治" / "建设", not a character a line). */
function twoLines(label) {
  const chars = Array.from(label);
  if (chars.length < 4) return label;
  const half = Math.ceil(chars.length / 2);
  return el("span", {}, el("span", { className: "gmo-nowrap", text: chars.slice(0, half).join("") }),
    el("span", { className: "gmo-nowrap", text: chars.slice(half).join("") }));
}

/** A row's 查看详情 button: it opens the file's detail (by its place in the files sent to the scorer). */
function detailButton(row) {
  return el("button", {
    type: "button", className: "gmo-button gmo-button--small gmo-detail-open", dataset: { detail: String(row.source) },
    "aria-label": `查看详情：${row.organization || "（未填写名称）"}（${row.file}）`, text: "详情",
  });
}

function renderNotices() {
  const view = state.view;
  const parts = [];
  const rejected = [...state.refused, ...(view ? view.rejected : [])];
  if (rejected.length) {
    const box = el("div", { "data-testid": "rejected" });
    showMessage(box, "error", `以下 ${rejected.length} 个文件有问题，未计入汇总（请退回报送单位修改后重新报送）：`);
    box.append(el("ul", { className: "gmo-rejected" }, rejected.map((r) => el("li", { dataset: { file: r.file } },
      el("strong", { text: r.file }),
      el("ul", {}, r.problems.map((p) => el("li", { text: describeProblem(p) })))))));
    parts.push(box);
  }
  if (view && view.duplicates.length) {
    const box = el("div", { "data-testid": "duplicates" });
    const names = titlesShown();
    showMessage(box, "warning", `以下 ${view.duplicates.length} 个党组织对同一年度、同一标准提交了多份自评文件，表中已标为“重复提交”，统计时每个党组织只计一份，请核实：`,
      view.duplicates.map((d) => `${d.organization || "（未填写名称）"}（${d.year} 年度 · ${names.get(d.standard) || d.standard}）：${d.files.join("、")}；计入统计的是 ${d.counted}` +
        (d.counted_assessed ? `（自评日期 ${d.counted_assessed}）` : "（未填写自评日期）")));
    box.append(el("p", { className: "gmo-hint", text: view.count_rule }));
    parts.push(box);
  }
  if (view && view.notices && view.notices.length) {
    // The scorer's own sentences (scoring.score notes), e.g. records dated outside the assessment year.
    const box = el("div", { "data-testid": "score-notices" });
    showMessage(box, "warning", `以下 ${view.notices.length} 个文件中有记录未计入得分，请核实：`,
      view.notices.map((n) => `${n.organization || "（未填写名称）"}（${n.file}）：${n.notes.join("")}`));
    parts.push(box);
  }
  notices.replaceChildren(...parts);
}

function renderSummary() {
  const view = state.view;
  const valid = view ? view.rows.length : 0;
  const bad = state.refused.length + (view ? view.rejected.length : 0);
  let text = `已导入 ${state.files.length + state.refused.length} 个文件：${valid} 个有效`;
  text += bad ? `，${bad} 个有问题（见下方列表）` : "，没有问题文件";
  if (view && view.duplicates.length) text += `；${view.duplicates.length} 个党组织重复提交`;
  text += "。";
  if (state.skipped) text += `另有 ${state.skipped} 个文件与已导入的文件完全相同，已跳过。`;
  summary.textContent = text;
}

function weightsNote() {
  const note = $("#gmo-weights-note");
  const view = state.view;
  if (!view || !view.rows.length) return;
  const present = new Set(view.rows.map((r) => `${r.year}|${r.standard}`));
  const applying = view.weights.filter((w) => present.has(`${w.year}|${w.standard}`) && Object.keys(w.weights).length);
  const years = [...new Set(view.rows.map((r) => r.year))].sort();
  if (!applying.length) {
    note.textContent = `已导入文件所属的 ${years.join("、")} 年度设置中未规定参考评议结果的权重（reference_weights）：参考结果只在汇总表中对照显示，不改变得分和等级。`;
    return;
  }
  const names = titlesShown();
  const described = applying.map((w) => `${w.year} 年度 · ${names.get(w.standard) || w.standard}：` +
    Object.entries(w.weights).map(([c, v]) => `${c} ${Math.round(v * 1000) / 10}%`).join("、"));
  note.textContent = `以下年度和标准规定了参考评议结果的权重，“综合得分”按权重计算（其余部分为自评得分；缺少任一参考结果的不计算）：${described.join("；")}。其余年度只作对照显示。`;
}

function renderReferences() {
  removeRefsButton.hidden = !state.references;
  const parts = [];
  if (state.references) {
    const box = el("div");
    const lines = [];
    const unmatched = state.view && state.view.unmatched_references ? state.view.unmatched_references : [];
    if (unmatched.length) {
      lines.push(`以下 ${unmatched.length} 个名称未匹配到已导入的党组织（名称须与自评文件中的党组织名称完全一致）：${unmatched.join("、")}`);
    }
    showMessage(box, unmatched.length ? "warning" : "info",
      `已导入参考评议结果“${state.referencesFile}”：${state.references.columns.join("、")}（${Object.keys(state.references.values).length} 个党组织）。`, lines);
    parts.push(box);
  }
  refsNotices.replaceChildren(...parts);
  weightsNote();
}

function render() {
  const view = state.view;
  renderSummary();
  renderNotices();
  renderReferences();
  clearButton.disabled = !state.files.length && !state.refused.length;
  results.hidden = !view || !view.rows.length;
  if (view && view.rows.length) {
    renderFilters();
    renderView();
  }
  results.setAttribute("aria-busy", "false");
  state.renders += 1;
  root.dataset.rows = String(view ? view.rows.length : 0);
  root.dataset.renders = String(state.renders);
}

function renderView() {
  let phase = performance.now();
  const cols = columns();
  const rows = visibleRows();
  renderTable(rows, cols);
  mark("render_table", phase);
  phase = performance.now();
  const entries = filterDistribution(state.view.distribution, filter());
  $("#gmo-distribution").replaceChildren(...distribution(entries, titlesShown()));
  $("#gmo-count-rule").textContent = `每个党组织在每个年度、每项标准下只计一次。${state.view.count_rule}`;
  $("#gmo-legend").replaceChildren(legend());
  mark("render_distribution", phase);
  phase = performance.now();
  // The screen's width, not the box's: reading a box's size here would force a layout of the new table.
  const box = $("#gmo-heatmap");
  box.replaceChildren(heatmap(rows, state.view.areas, { compact: NARROW.matches }));
  box.style.containIntrinsicSize = `auto ${Math.min(36 + 26 * rows.length + 4, 720)}px`; // ≈ its height, capped by max-height
  mark("render_heatmap", phase);
  const total = state.view.rows.length;
  $("#gmo-shown").textContent = rows.length === total ? `共 ${total} 行。` : `显示 ${rows.length} 行（共 ${total} 行）。`;
}

// ---------------------------------------------------------------- one organization's detail

const detailDialog = $("#gmo-detail");
const detailBody = $("#gmo-detail-body");
let detailOpener = null;

/** Ask the scorer for the detail of the file at `source` in state.files and show it in the dialog. */
async function openDetail(source, opener) {
  const file = state.files[Number(source)];
  const row = state.view && state.view.rows.find((r) => String(r.source) === String(source));
  if (!file || !row) return;
  detailOpener = opener;
  opener.setAttribute("aria-busy", "true");
  try {
    const answer = await scorer.call("office_detail", await bundleTexts(), JSON.stringify(file));
    $("#gmo-detail-title").textContent = `扣分详情：${row.organization || "（未填写名称）"}`;
    if (answer.ok) {
      detailBody.replaceChildren(...detailContent(answer.result, row));
    } else {
      const box = el("div");
      showMessage(box, "error", `无法显示“${file.name}”的详情：`, answer.problems.map(describeProblem));
      detailBody.replaceChildren(box);
    }
  } catch (error) {
    const box = el("div");
    showMessage(box, "error", `无法显示“${file.name}”的详情：`, [error.message || String(error)]);
    detailBody.replaceChildren(box);
  } finally {
    opener.removeAttribute("aria-busy");
  }
  detailDialog.dataset.source = String(source);
  if (!detailDialog.open) detailDialog.showModal();
}

detailDialog.addEventListener("close", () => {
  // Back to the row's button (the table may have been redrawn meanwhile: find it again).
  const again = detailOpener && detailOpener.isConnected ? detailOpener
    : tableBox.querySelector(`button[data-detail="${CSS.escape(detailDialog.dataset.source || "")}"]`);
  if (again) again.focus();
  detailOpener = null;
});

// A click on the backdrop (outside the dialog's box) closes it, as Escape does.
detailDialog.addEventListener("click", (event) => {
  if (event.target === detailDialog) {
    const box = detailDialog.getBoundingClientRect();
    const inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
    if (!inside) detailDialog.close();
  }
});

// ---------------------------------------------------------------- references

async function importReferences(input) {
  const file = input.files && input.files[0];
  input.value = "";
  if (!file) return;
  const refused = (lines) => {
    const box = el("div");
    showMessage(box, "error", `未导入“${file.name}”，原因如下：`, lines);
    refsNotices.replaceChildren(box);
  };
  queue = queue.then(async () => {
    if (!startup.ready) await whenReady;
    const [read] = await readThrough(scorer, "csv", [file]); // GB18030 and UTF-16 from Excel, decoded by the scorer
    if (read.problems) { refused(read.problems.map(describeProblem)); return; }
    const answer = await scorer.call("references", read.text);
    if (!answer.ok) { refused(answer.problems.map(describeProblem)); return; }
    state.references = answer.result;
    state.referencesFile = file.name;
    if (state.base) {
      await combine(await bundleTexts());
      render();
    } else {
      renderReferences();
    }
  }).catch((error) => refused([error.message || String(error)]));
}

function removeReferences() {
  state.references = null;
  state.referencesFile = "";
  if (state.base) {
    state.view = state.base;
    render();
  } else {
    renderReferences();
  }
}

// ---------------------------------------------------------------- exports

function exportFailed(error) {
  const box = el("div");
  showMessage(box, "error", "导出失败：", [error.message || String(error)]);
  notices.replaceChildren(box);
}

async function exportAs(kind, button) {
  if (!state.view) return;
  const op = kind === "xlsx" ? "office_xlsx" : "office_csv";
  await busyButton(button, kind === "xlsx" ? "正在生成 Excel 表格……" : "正在生成 CSV……", async () => {
    const shown = exportView(state.view, visibleRows(), filter(), { references: state.references, refused: state.refused });
    const answer = await scorer.call(op, "combined", JSON.stringify(shown));
    if (!answer.ok) throw new Error(answer.problems.map(describeProblem).join("；"));
    const name = exportName(titlesShown(), filter(), kind);
    download(kind === "xlsx" ? xlsxBlob(answer.result.base64) : csvBlob(answer.result.text), name);
  }, exportFailed);
}

// ---------------------------------------------------------------- events

$("#gmo-files").addEventListener("change", (event) => {
  addFiles(event.target.files);
  event.target.value = ""; // the same files can be chosen again
});
$("#gmo-refs").addEventListener("change", (event) => importReferences(event.target));

const drop = $("#gmo-drop");
const hasFiles = (event) => event.dataTransfer && Array.from(event.dataTransfer.types || []).includes("Files");
drop.addEventListener("dragover", (event) => {
  if (!hasFiles(event)) return;
  event.preventDefault();
  event.dataTransfer.dropEffect = "copy";
  drop.classList.add("gmo-drop--over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("gmo-drop--over"));
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  drop.classList.remove("gmo-drop--over");
  addFiles(event.dataTransfer.files);
});
// A file dropped next to the zone must not make the browser leave the page (and lose the data).
window.addEventListener("dragover", (event) => { if (hasFiles(event)) event.preventDefault(); });
window.addEventListener("drop", (event) => { if (hasFiles(event)) event.preventDefault(); });

for (const select of [filterStandard, filterYear]) select.addEventListener("change", () => renderView());

tableBox.addEventListener("click", (event) => {
  const opener = event.target.closest("button[data-detail]");
  if (opener) {
    openDetail(opener.dataset.detail, opener);
    return;
  }
  const button = event.target.closest("button[data-sort]");
  if (!button) return;
  const key = button.dataset.sort;
  state.sort = nextSort(state.sort, key, columns()); // a new score column: highest first
  renderView();
  const again = tableBox.querySelector(`button[data-sort="${CSS.escape(key)}"]`);
  if (again) again.focus();
});

root.addEventListener("click", (event) => {
  const target = event.target.closest("[data-action]");
  if (!target) return;
  switch (target.dataset.action) {
    case "clear":
      state.files = [];
      state.seen.clear();
      state.refused = [];
      state.base = null;
      state.view = null;
      state.skipped = 0;
      render();
      summary.textContent = "已清空，尚未导入文件。";
      break;
    case "remove-references":
      removeReferences();
      break;
    case "close-detail":
      detailDialog.close();
      break;
    case "print-detail":
      window.print(); // office.css prints only the open dialog
      break;
    case "export-xlsx":
      exportAs("xlsx", target);
      break;
    case "export-csv":
      exportAs("csv", target);
      break;
    case "to-plan": {
      // Names and kinds only, in this tab only: the plan page offers them (office-plan.mjs).
      const seen = new Map();
      for (const row of state.view ? state.view.rows : []) {
        if (row.organization && !seen.has(row.organization)) seen.set(row.organization, row.kind || row.standard_title);
      }
      try {
        sessionStorage.setItem(HANDOVER_KEY, JSON.stringify([...seen].map(([name, kind]) => ({ name, kind }))));
      } catch {
        // Storage refused (private mode, policy): the plan page simply does not offer them.
      }
      break;
    }
    default:
      break;
  }
});

root.dataset.interactive = "true";
