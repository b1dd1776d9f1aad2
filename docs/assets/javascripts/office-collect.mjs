// The office's collection page (office/): many exported self-assessments at once, each checked and
// rescored by the scorer in the worker (`collect`: one call for all the files, never one per file),
// reviewed in a sortable, filterable table, a grade distribution and a heatmap; related review
// results beside the score (`references`, `combine`); exports as .xlsx and CSV made by the scorer.
//
// Everything stays in this page's memory: files are read with File.text() and never sent anywhere.

import { startScorer } from "./scorer-client.mjs";
import { registerOffline } from "./assess-sw.mjs";
import {
  HANDOVER_KEY, SITE_ROOT, XLSX_TYPE, base64Bytes, busyButton, csvBlob, describeProblem, download, el, showMessage,
  statusLine,
} from "./office-common.mjs";
import { readThrough } from "./file-bytes.mjs";
import { distribution, heatmap, legend, shorten } from "./office-charts.mjs";
import { detailContent } from "./office-detail.mjs";

const NARROW = window.matchMedia("(max-width: 44.9375em)"); // Material's phone layout

const root = document.getElementById("gm-office");
const $ = (selector, scope = root) => scope.querySelector(selector);

// Start Python first: everything below is quick, the worker's start-up is not.
const scorer = startScorer();
const indexPromise = fetch(new URL("data/index.json", SITE_ROOT)).then((response) => {
  if (!response.ok) throw new Error(`无法读取本站的标准目录 data/index.json（HTTP ${response.status}）。请刷新页面。`);
  return response.json();
});
indexPromise.catch(() => {});

const setStatus = statusLine($('[data-testid="scorer-status"]'));
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
let ready = false;

// ---------------------------------------------------------------- start-up

scorer.onStatus((event) => {
  if (event.state === "error") setStatus("error", event.message);
  else if (event.state !== "ready" && !ready) {
    setStatus("loading", `${event.message || "正在启动评分程序……"}现在即可选择文件，评分程序就绪后自动检查和计分。`);
  }
});

const whenReady = Promise.all([scorer.ready, indexPromise]);
whenReady.catch(() => {});
whenReady.then(() => {
  ready = true;
  setStatus("ready", "评分程序已就绪：导入的文件将在本机逐一检查并重新计分。");
  warmUp();
}, (error) => {
  setStatus("error", error.message || String(error));
}).finally(() => {
  // Offline support after start-up, so its downloads never compete with the scorer's.
  registerOffline().then((note) => {
    if (ready && note) setStatus("ready", `评分程序已就绪：导入的文件将在本机逐一检查并重新计分。${note}（断网后仍可打开本页并计分）。`);
  });
});

// ---------------------------------------------------------------- bundles

const bundleTexts = new Map(); // data path -> Promise<JSON text>
let bundlesKey = "";
let bundlesJson = "[]";

function yearsOf(files) {
  const years = new Set();
  for (const file of files) {
    try {
      const value = JSON.parse(file.text);
      if (value && Number.isInteger(value.year)) years.add(value.year);
    } catch {
      // Not JSON: the scorer says so, with the line and column.
    }
  }
  return years;
}

/** The published bundles the files need (every standard of their years, and the current year's) as one JSON array. */
async function bundlesFor(files) {
  const index = await indexPromise;
  const years = yearsOf(files);
  if (index.current) years.add(index.current);
  const paths = index.years.filter((y) => years.has(y.year)).flatMap((y) => y.standards.map((s) => s.path)).sort();
  const key = paths.join("|");
  if (key === bundlesKey) return bundlesJson; // the same text: the scorer parses it once
  const texts = await Promise.all(paths.map((path) => {
    if (!bundleTexts.has(path)) {
      const promise = fetch(new URL(`data/${path}`, SITE_ROOT)).then((response) => {
        if (!response.ok) throw new Error(`无法读取标准数据 data/${path}（HTTP ${response.status}）。请刷新页面。`);
        return response.text();
      });
      promise.catch(() => bundleTexts.delete(path));
      bundleTexts.set(path, promise);
    }
    return bundleTexts.get(path);
  }));
  bundlesKey = key;
  bundlesJson = `[${texts.map((t) => t.trim()).join(",")}]`;
  return bundlesJson;
}

// While the page waits for files (the office is choosing them): fetch the current year's bundles,
// have the scorer check them (it keeps them by their text), import its collection code, and collect
// a batch of made-up assessments. The browser compiles Python's interpreter to fast machine code only
// once it has run for a while: measured, this halves the time of a first real import of 1,000 files.
// The made-up files are thrown away; skipped if real files came first.
const WARM_UP_FILES = 200;

function warmUpFiles(bundles) {
  const files = [];
  bundles.forEach((bundle, b) => {
    const ids = bundle.standard.areas.flatMap((a) => a.indicators.flatMap((i) => i.deductions.map((d) => d.id)));
    for (let n = b; n < WARM_UP_FILES; n += bundles.length) {
      const items = {};
      for (let k = 0; k < 4 && ids.length; k++) items[ids[(n * 7 + k * 13) % ids.length]] = [{ date: `${bundle.year.year}-06-30`, count: 1 + (n % 3) }];
      files.push({ name: `warm-up-${n}.json`, text: JSON.stringify({
        format: "gm-assessment/1", standard: bundle.standard.id, year: bundle.year.year, standard_hash: bundle.hash,
        organization: { name: `预热${n}` }, items }) });
    }
  });
  return files;
}

function warmUp() {
  queue = queue.then(async () => {
    if (state.files.length) return;
    const bundles = await bundlesFor([]);
    await scorer.call("collect", bundles, JSON.stringify(warmUpFiles(JSON.parse(bundles))));
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
 * [{name, text} | {name, problems}] in the order given: the files' bytes decoded and bounded by the
 * scorer (`read_files`, the same code as the command line), so a GB18030 or UTF-16 file, random bytes
 * or a renamed workbook is refused with its reason and never reaches `collect` as mojibake.
 */
async function readFiles(picked) {
  if (!ready) await whenReady;
  return readThrough(scorer, "json", picked);
}

async function ingest(picked) {
  const started = performance.now();
  results.setAttribute("aria-busy", "true");
  summary.textContent = `正在读取 ${picked.length} 个文件……`;
  const read = await readFiles(picked);
  let skipped = 0;
  const files = [...state.files];
  const seen = new Set(state.seen);
  const refused = [];
  for (const entry of read) {
    if (entry.problems) {
      refused.push({ file: entry.name, problems: entry.problems });
      continue;
    }
    const key = `${entry.name}\u0000${entry.text}`;
    if (seen.has(key)) { skipped += 1; continue; }
    seen.add(key);
    files.push({ name: entry.name, text: entry.text });
  }
  mark("read", started);
  // Committed only once the scorer has answered for all of them: a failure leaves the page as it was.
  await rescore(started, files, () => {
    state.seen = seen;
    state.refused.push(...refused);
    state.skipped = skipped;
  });
}

async function rescore(started = performance.now(), files = state.files, commit = () => {}) {
  if (!ready) {
    summary.textContent = `已读取 ${files.length} 个文件，正在等待评分程序就绪……`;
    await whenReady;
  }
  summary.textContent = `正在检查并计分 ${files.length} 个文件……`;
  let phase = performance.now();
  const bundles = await bundlesFor(files);
  mark("bundles", phase);
  phase = performance.now();
  const answer = await scorer.call("collect", bundles, JSON.stringify(files));
  mark("collect", phase);
  if (!answer.ok) throw new Error(answer.problems.map(describeProblem).join("；"));
  state.files = files;
  commit();
  state.base = answer.result;
  state.view = state.base;
  if (state.references) await combine(bundles);
  phase = performance.now();
  render();
  mark("render", phase);
  mark("total", started);
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

function titles() {
  const found = new Map();
  for (const row of state.view ? state.view.rows : []) found.set(row.standard, row.standard_title);
  return found;
}

function gradeRanks() {
  const ranks = new Map();
  for (const entry of state.view.distribution) {
    entry.grades.forEach((g, i) => ranks.set(`${entry.year}|${g.grade}`, i));
  }
  return ranks;
}

function columns() {
  const view = state.view;
  const ranks = gradeRanks();
  const references = state.references ? view.reference_columns || [] : [];
  const weighted = view.rows.some((r) => r.combined !== null && r.combined !== undefined);
  // width (em): the table has a fixed layout, so a thousand rows are laid out without measuring
  // every cell to size the columns; longer texts wrap inside their column. With six areas the
  // widths add up to the page's content box at 1280 px (about 75em): the table scrolls only on
  // narrower screens, with references, or with more areas. Area headings wrap onto two lines.
  const cols = [
    { key: "organization", label: "党组织", width: 9.5, text: (r) => r.organization || "（未填写名称）" },
    { key: "kind", label: "类别", width: 5.5, text: (r) => r.kind || "" },
    { key: "standard", label: "标准", width: 8.5, text: (r) => r.standard_title },
    { key: "year", label: "年度", width: 3.8, number: (r) => r.year },
    { key: "total", label: "总分", width: 3.8, number: (r) => r.total },
    { key: "grade", label: "等级", width: 3.8, text: (r) => r.grade_name, rank: (r) => ranks.get(`${r.year}|${r.grade}`) },
    ...view.areas.map((a) => ({ key: `area:${a.id}`, label: a.name, width: 3.9, number: (r) => (r.areas || {})[a.id], area: true })),
    ...references.map((c) => ({ key: `ref:${c}`, label: `参考：${c}`, width: 6, number: (r) => (r.references && Object.hasOwn(r.references, c) ? r.references[c] : undefined), reference: true })),
  ];
  if (weighted) cols.push({ key: "combined", label: "综合得分", width: 5, number: (r) => r.combined });
  cols.push({ key: "note", label: "备注", width: 6.4, text: note });
  cols.push({ key: "file", label: "文件", width: 7.5, text: (r) => r.file, short: (r) => shorten(r.file, FILE_CHARS) });
  cols.push({ key: "detail", label: "详情", width: 3.6, button: true });
  return cols;
}

// A file name is shown cut in the middle to this many characters (the full name is the cell's
// accessible text and tooltip): three lines of a long name made every row three lines tall.
const FILE_CHARS = 12;

/** Why a row deserves a second look: filed twice (counted or not), or a grade lowered by a grade limit. */
function note(row) {
  const parts = [];
  if (row.duplicate) parts.push(`重复提交${row.counted === false ? "（未计入统计）" : "（计入统计）"}`);
  if (row.limits_applied && row.limits_applied.length) parts.push(`等级限制：${row.limits_applied.join("、")}`);
  if (row.notes && row.notes.length) parts.push("有记录未计入");
  return parts.join("；");
}

function visibleRows() {
  const standard = filterStandard.value;
  const year = filterYear.value;
  const rows = state.view.rows.filter((r) => (!standard || r.standard === standard) && (!year || String(r.year) === year));
  const { key, direction } = state.sort;
  const column = key && columns().find((c) => c.key === key);
  if (!column) return rows;
  const sign = direction === "ascending" ? 1 : -1;
  const collator = new Intl.Collator("zh-CN", { numeric: true });
  const value = (r) => (column.rank ? column.rank(r) : column.number ? column.number(r) : column.text(r));
  return rows.map((row, i) => ({ row, i, v: value(row) })).sort((a, b) => {
    const missingA = a.v === undefined || a.v === null || a.v === "";
    const missingB = b.v === undefined || b.v === null || b.v === "";
    if (missingA || missingB) return missingA === missingB ? a.i - b.i : missingA ? 1 : -1; // blanks last
    const order = typeof a.v === "number" && typeof b.v === "number" ? a.v - b.v : collator.compare(String(a.v), String(b.v));
    return order ? order * sign : a.i - b.i;
  }).map((entry) => entry.row);
}

function fillSelect(select, options) {
  const current = select.value;
  const values = options.map(([value]) => value);
  select.replaceChildren(el("option", { value: "", text: "全部" }), ...options.map(([value, label]) => el("option", { value, text: label })));
  select.value = values.includes(current) ? current : "";
}

function renderFilters() {
  const names = titles();
  const standards = [...names.keys()].sort().map((id) => [id, names.get(id) || id]);
  const years = [...new Set(state.view.rows.map((r) => r.year))].sort((a, b) => b - a).map((y) => [String(y), `${y} 年度`]);
  fillSelect(filterStandard, standards);
  fillSelect(filterYear, years);
}

function renderTable(rows, cols) {
  const head = el("tr", {}, cols.map((c) => {
    if (c.button) {
      const th = el("th", { scope: "col", className: "gmo-plain-head", dataset: { column: c.key }, text: c.label });
      th.style.width = `${c.width}em`;
      return th;
    }
    const sorted = state.sort.key === c.key ? state.sort.direction : null;
    const mark = sorted === "ascending" ? "▲" : sorted === "descending" ? "▼" : "↕";
    const hint = sorted === "ascending" ? "（升序，点击改为降序）" : sorted === "descending" ? "（降序，点击改为升序）" : "（点击排序）";
    const th = el("th", { scope: "col", "aria-sort": sorted || "none", className: c.number ? "gmo-num" : null, dataset: { column: c.key } },
      el("button", { type: "button", className: "gmo-sort", dataset: { sort: c.key }, title: `按“${c.label}”排序${hint}` },
        c.area ? twoLines(c.label) : c.label, el("span", { className: "gmo-sort-mark", "aria-hidden": "true", text: mark })));
    th.style.width = `${c.width}em`; // CSSOM, not a style attribute: allowed by a strict CSP
    return th;
  }));
  const body = document.createDocumentFragment();
  for (const row of rows) {
    const tr = el("tr", { className: row.duplicate ? "gmo-row--dup" : null, dataset: { file: row.file } });
    cols.forEach((c, i) => {
      if (c.button) {
        tr.append(el("td", { dataset: { column: c.key } }, detailButton(row)));
        return;
      }
      const raw = c.number ? c.number(row) : c.text(row);
      const text = raw === undefined || raw === null || raw === "" ? (c.number ? "—" : "") : String(raw);
      const cell = el(i === 0 ? "th" : "td", { scope: i === 0 ? "row" : null, className: c.number ? "gmo-num" : null, dataset: { column: c.key } });
      if (c.key === "note" && row.duplicate) {
        cell.append(el("span", { className: "gmo-badge gmo-badge--dup", text: "重复提交" }), text.slice("重复提交".length));
      } else if (c.short && c.short(row) !== text) {
        // The cut name for the eye (drawn from data-short by office.css, so the cell's text stays the
        // whole name), the whole name for screen readers, copying, printing and the tooltip.
        cell.title = text;
        cell.append(el("span", { "aria-hidden": "true", className: "gmo-cut", dataset: { short: c.short(row) } }),
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
    const names = titles();
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
  const names = titles();
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
  const standard = filterStandard.value;
  const year = filterYear.value;
  const entries = state.view.distribution.filter((d) => (!standard || d.standard === standard) && (!year || String(d.year) === year));
  $("#gmo-distribution").replaceChildren(...distribution(entries, titles()));
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
    const answer = await scorer.call("office_detail", await bundlesFor(state.files), JSON.stringify(file));
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
    if (!ready) await whenReady;
    const [read] = await readThrough(scorer, "csv", [file]); // GB18030 and UTF-16 from Excel, decoded by the scorer
    if (read.problems) { refused(read.problems.map(describeProblem)); return; }
    const answer = await scorer.call("references", read.text);
    if (!answer.ok) { refused(answer.problems.map(describeProblem)); return; }
    state.references = answer.result;
    state.referencesFile = file.name;
    if (state.base) {
      await combine(await bundlesFor(state.files));
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

function safeName(value) {
  return value.trim().replace(/[\\/:*?"<>|\u0000-\u001f\s]+/g, "_").slice(0, 60);
}

function exportName(extension) {
  const names = titles();
  const parts = ["自评结果汇总"];
  if (filterYear.value) parts.push(`${filterYear.value}年度`);
  if (filterStandard.value) parts.push(safeName(names.get(filterStandard.value) || filterStandard.value));
  return `${parts.join("_")}.${extension}`;
}

function exportView() {
  const standard = filterStandard.value;
  const year = filterYear.value;
  const view = state.view;
  return {
    rows: visibleRows(),
    areas: view.areas,
    reference_columns: state.references ? view.reference_columns || [] : [],
    distribution: view.distribution.filter((d) => (!standard || d.standard === standard) && (!year || String(d.year) === year)),
    rejected: [...state.refused, ...view.rejected],
    duplicates: view.duplicates,
  };
}

function exportFailed(error) {
  const box = el("div");
  showMessage(box, "error", "导出失败：", [error.message || String(error)]);
  notices.replaceChildren(box);
}

async function exportAs(kind, button) {
  if (!state.view) return;
  const op = kind === "xlsx" ? "office_xlsx" : "office_csv";
  await busyButton(button, kind === "xlsx" ? "正在生成 Excel 表格……" : "正在生成 CSV……", async () => {
    const answer = await scorer.call(op, "combined", JSON.stringify(exportView()));
    if (!answer.ok) throw new Error(answer.problems.map(describeProblem).join("；"));
    if (kind === "xlsx") download(new Blob([base64Bytes(answer.result.base64)], { type: XLSX_TYPE }), exportName("xlsx"));
    else download(csvBlob(answer.result.text), exportName("csv"));
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
  const column = columns().find((c) => c.key === key);
  if (state.sort.key === key) state.sort.direction = state.sort.direction === "ascending" ? "descending" : "ascending";
  else state.sort = { key, direction: column && column.number ? "descending" : "ascending" }; // scores: highest first
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
