// The comparison page (/standards/compare/): two years and one standard in, the scorer's diff out.
//
// The years and standards come from data/index.json; the comparison itself is the scorer's `diff`
// operation (scorer/browser.py) run in the worker, so the page and `python -m scorer diff` agree.
// The choice lives in the query string (?from=2020&to=2021&standard=dept, plus draft=1 for editors)
// so a comparison can be linked. Draft years are offered only to an editor who asks (the 包括草稿年度
// box, or draft=1), and every view that involves one says 草稿 where the year is named and in a
// notice above the result: a draft is a preview, never the published standard. The editors' own
// change notes (year.yaml `changes`, published in data/index.json) are shown for every year spanned. Everything is built with DOM calls and textContent: no data ever
// goes through innerHTML. No inline script or handler: a strict Content-Security-Policy allows this.

import { startScorer } from "./scorer-client.mjs";

const ROOT = new URL("../../", import.meta.url);
const INDEX_URL = new URL("data/index.json", ROOT);

const GROUPS = {
  bonus: "奖励加分", grade: "等级", grade_limit: "等级限制情形",
};
const KIND_LABELS = { added: "新增", removed: "删除", changed: "修改", moved: "移动", replaced: "替换" };
const FIELD_NAMES = {
  // indicators
  title: "标题", content: "评价内容", points: "分值", method: "评价方式", basis: "依据",
  // standards as a whole
  base_score: "基本分", applies_to: "适用条款", organization_kinds: "适用党组织", emphasis: "工作侧重",
  // year settings
  bonus_cap: "奖励上限", name: "名称", min: "最低分", meaning: "含义", application: "结果运用",
  max_grade: "最高等级",
};
const ITEM_FIELD_NAMES = { text: "", points: "分值", per: "计扣方式", cap: "扣分上限" };
const BONUS_FIELD_NAMES = { text: "内容", points: "每次加分", cap: "加分上限" };
const LIMIT_FIELD_NAMES = { text: "情形" };
const APPLICATION_NAMES = { organization: "党组织", principal: "主要负责人", members: "领导班子成员" };
const STANDARD_FIELDS = new Set(["title", "base_score", "applies_to", "organization_kinds", "emphasis"]);

const $ = (id) => document.getElementById(id);
const page = {
  root: $("gm-compare"),
  form: $("gm-compare-form"),
  from: $("gm-compare-from"),
  to: $("gm-compare-to"),
  standard: $("gm-compare-standard"),
  draftField: $("gm-compare-draft-field"),
  drafts: $("gm-compare-drafts"),
  status: $("gm-compare-status"),
  result: $("gm-compare-result"),
};

let index = null;       // data/index.json
let offered = [];       // the year entries a reader may pick, oldest first
let draft = false;      // ?draft=1: editors may preview draft years
let scorer = null;      // started on the first comparison that needs it
let scorerReady = false;
let generation = 0;     // a newer choice makes older answers stale
const bundles = new Map();

// ---------- small DOM helpers ----------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

const own = (object, key) => typeof key === "string" && Object.prototype.hasOwnProperty.call(object, key);
const hidden = (text) => el("span", { class: "gm-visually-hidden", text });

function setStatus(text, state) {
  page.status.textContent = text;
  if (state) page.root.dataset.state = state;
}

function message(text, kind = "info") {
  page.result.replaceChildren(el("p", { class: `gm-compare-message gm-compare-message--${kind}`, text }));
}

// ---------- values ----------

// As the scorer compares text: NFKC, white space removed (so 2 spaces or ，/, never count).
const norm = (value) => (typeof value === "string" ? value.normalize("NFKC").replace(/\s+/g, "") : JSON.stringify(value));

function number(value) {
  if (value === null || value === undefined) return "（无）";
  return String(value);
}

// ---------- links ----------

// Relative to this page (standards/compare/), like the build's rel(): works under any base path.
const standardHref = (year, sid, anchor) => `../${year}/${encodeURIComponent(sid)}/${anchor ? `#${encodeURIComponent(anchor)}` : ""}`;
const yearHref = (year, anchor) => `../${year}/${anchor ? `#${encodeURIComponent(anchor)}` : ""}`;

function idLink(id, href, title) {
  return el("a", { class: "gm-id", href, title }, id);
}

// ---------- the choice: query string <-> selects ----------

function yearEntry(year) {
  return index.years.find((y) => y.year === year) || null;
}

function readQuery() {
  const params = new URLSearchParams(window.location.search);
  const year = (name) => (/^\d{4}$/.test(params.get(name) || "") ? Number(params.get(name)) : null);
  return { from: year("from"), to: year("to"), standard: params.get("standard") };
}

function queryFor(choice) {
  const params = new URLSearchParams();
  params.set("from", String(choice.from));
  params.set("to", String(choice.to));
  if (choice.standard) params.set("standard", choice.standard);
  if (draft) params.set("draft", "1");
  return `?${params}`;
}

function defaults() {
  const years = offered.map((y) => y.year);
  const published = offered.filter((y) => y.status === "published").map((y) => y.year);
  let to = years.includes(index.current) ? index.current : years[years.length - 1];
  // An editor previewing drafts wants the newest draft against the year before it.
  const drafts = offered.filter((y) => y.status === "draft" && (index.current === null || y.year > index.current));
  if (draft && drafts.length) to = drafts[drafts.length - 1].year;
  const earlier = published.filter((y) => y < to);
  const before = years.filter((y) => y < to);
  const from = earlier.length ? earlier[earlier.length - 1] : before.length ? before[before.length - 1] : years.filter((y) => y !== to).pop() ?? to;
  return { from, to };
}

const isDraft = (year) => yearEntry(year)?.status === "draft";
// A year as the result names it: a draft always carries its mark.
const yearName = (year) => `${year} 年度${isDraft(year) ? "（草稿）" : ""}`;

// The same page with draft years offered (the link an editor follows from a refusal or from the
// one-published-year message).
function draftHref(from, to) {
  const params = new URLSearchParams(window.location.search);
  if (from !== undefined) params.set("from", String(from));
  if (to !== undefined) params.set("to", String(to));
  params.set("draft", "1");
  return `?${params}`;
}

function yearLabel(entry) {
  return entry.status === "draft" ? `${entry.year} 年度（草稿）` : `${entry.year} 年度${entry.year === index.current ? "（现行）" : ""}`;
}

function fillYears(select, value) {
  select.replaceChildren(...offered.map((y) => el("option", { value: y.year, selected: y.year === value }, yearLabel(y))));
  select.value = String(value);
}

// Standards present in both years, in the new year's order; a requested one missing from either
// year stays selectable so the page can say which year lacks it.
function fillStandards(from, to, wanted) {
  const a = yearEntry(from), b = yearEntry(to);
  const inA = new Map(a.standards.map((s) => [s.id, s]));
  const both = b.standards.filter((s) => inA.has(s.id));
  const options = both.map((s) => ({ id: s.id, label: s.short_title }));
  if (wanted && !options.some((o) => o.id === wanted)) {
    const known = [...a.standards, ...b.standards].find((s) => s.id === wanted);
    options.push({ id: wanted, label: known ? `${known.short_title}（仅 ${inA.has(wanted) ? from : to} 年度有）` : `${wanted}（未找到）` });
  }
  const value = wanted && options.some((o) => o.id === wanted) ? wanted : options[0]?.id ?? "";
  page.standard.replaceChildren(...options.map((o) => el("option", { value: o.id, selected: o.id === value }, o.label)));
  page.standard.value = value;
  page.standard.disabled = options.length === 0;
  return value;
}

function currentChoice() {
  return { from: Number(page.from.value), to: Number(page.to.value), standard: page.standard.value };
}

// ---------- start ----------

async function start() {
  setStatus("正在读取年度列表…", "loading");
  try {
    const response = await fetch(INDEX_URL);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    index = await response.json();
  } catch (error) {
    setStatus(`无法读取年度列表（${INDEX_URL.pathname}）：${error.message}。请刷新页面重试。`, "error");
    return;
  }
  page.form.addEventListener("submit", (event) => event.preventDefault());
  for (const select of [page.from, page.to, page.standard]) {
    select.addEventListener("change", choose);
  }
  page.drafts.addEventListener("change", toggleDrafts);
  window.addEventListener("popstate", () => restore(false));
  restore(true);
}

// Fewer than two years to pick from: say so; name the drafts an editor could preview, with the link.
function tooFew() {
  generation += 1; // an answer still on its way is stale
  page.form.hidden = true;
  setStatus("", "empty");
  const text = offered.length === 0
    ? "尚无已发布的年度标准，没有可对比的内容。"
    : `目前只有一个已发布年度（${offered[0].year} 年度），没有可对比的年度。发布新年度的标准后，可在本页逐项对比。`;
  const nodes = [el("p", { class: "gm-compare-message gm-compare-message--info", text })];
  const drafts = index.years.filter((y) => y.status === "draft");
  if (!draft && drafts.length && index.years.length >= 2) {
    const names = drafts.map((y) => `${y.year} 年度`).join("、");
    nodes.push(el("p", { class: "gm-compare-message gm-compare-message--draft" },
      `另有草稿年度：${names}（尚未发布，不是正式标准）。编辑可`,
      el("a", { href: draftHref(), "data-draft-link": "" }, "预览草稿年度的对比"), "。"));
  }
  page.result.replaceChildren(...nodes);
}

// The 包括草稿年度 box: record it in the URL, keep the chosen years if they are still offered.
function toggleDrafts() {
  const params = new URLSearchParams(window.location.search);
  if (page.drafts.checked) params.set("draft", "1");
  else {
    params.delete("draft");
    // A draft in the pair leaves it: back to the default pair of published years.
    if (["from", "to"].some((name) => isDraft(Number(params.get(name))))) {
      params.delete("from");
      params.delete("to");
    }
  }
  window.history.pushState(null, "", `?${params}`);
  restore(true); // writes the resulting choice into that entry

}

// Apply the query string to the selects (falling back to the defaults) and compare.
function restore(first) {
  draft = new URLSearchParams(window.location.search).get("draft") === "1";
  offered = index.years
    .filter((y) => y.status === "published" || (draft && y.status === "draft"))
    .sort((a, b) => a.year - b.year);
  page.draftField.hidden = !index.years.some((y) => y.status === "draft");
  page.drafts.checked = draft;
  if (offered.length < 2) {
    tooFew();
    return;
  }
  page.form.hidden = false;
  const query = readQuery();
  const years = offered.map((y) => y.year);
  const fallback = defaults();
  const notes = [];
  // A year that cannot be picked (unknown, or a draft without ?draft=1) resets both to the default pair,
  // which keeps them apart; the reader is told why.
  for (const value of [query.from, query.to]) {
    if (value === null || years.includes(value)) continue;
    const entry = yearEntry(value);
    notes.push(entry && entry.status === "draft"
      ? [`${value} 年度尚未发布（草稿），不能对比；已改为默认年度。编辑可`,
        el("a", { href: draftHref(query.from ?? undefined, query.to ?? undefined), "data-draft-link": "" }, "预览含草稿年度的对比"), "。"]
      : `没有 ${value} 年度的标准；已改为默认年度。`);
  }
  let { from, to } = fallback;
  if (!notes.length) {
    from = query.from ?? (query.to === fallback.from ? fallback.to : fallback.from);
    to = query.to ?? (from === fallback.to ? fallback.from : fallback.to);
  }
  fillYears(page.from, from);
  fillYears(page.to, to);
  const standard = fillStandards(from, to, query.standard);
  const choice = { from, to, standard };
  if (first) window.history.replaceState(null, "", queryFor(choice) + window.location.hash);
  compare(choice, notes);
}

// A select changed: keep the standard if both years have it (else the first they share), record the
// choice in the URL, compare.
function choose() {
  const from = Number(page.from.value), to = Number(page.to.value);
  const shared = (sid) => [from, to].every((y) => yearEntry(y).standards.some((s) => s.id === sid));
  const standard = fillStandards(from, to, shared(page.standard.value) ? page.standard.value : null);
  const choice = { from, to, standard };
  window.history.pushState(null, "", queryFor(choice));
  compare(choice, []);
}

// ---------- compare ----------

function ensureScorer() {
  if (scorer) return scorer;
  scorer = startScorer();
  scorer.onStatus((s) => {
    if (s.state === "ready") { scorerReady = true; return; } // the comparison says what happens next
    if (s.state === "error") setStatus(startupText(s.message), "error");
    else if (page.root.dataset.state === "loading") setStatus(s.message || "正在加载评分程序…");
  });
  return scorer;
}

// The worker's own sentence says what failed; some already begin with 评分程序…
const startupText = (text) => (/^评分程序/.test(text) ? text : `评分程序无法启动：${text}`);

async function bundle(year, sid) {
  const key = `${year}/${sid}`;
  if (!bundles.has(key)) {
    const text = scorer.fetchBundle(year, sid);
    bundles.set(key, text);
    text.catch(() => bundles.delete(key));
  }
  return bundles.get(key);
}

async function compare(choice, notes) {
  const mine = ++generation;
  page.result.replaceChildren();
  const { from, to, standard } = choice;
  const a = yearEntry(from), b = yearEntry(to);
  const intro = notes.map((note) => el("p", { class: "gm-compare-message gm-compare-message--warn" }, note));
  const drafts = [...new Set([from, to])].filter(isDraft);
  if (drafts.length) {
    intro.unshift(el("p", { class: "gm-compare-message gm-compare-message--draft", "data-draft-notice": "" },
      el("strong", {}, "草稿预览："),
      `${drafts.map((y) => `${y} 年度`).join("、")}的标准是草稿，尚未发布，不是正式标准；以下对比仅供编辑核对，发布前仍可能修改。`));
  }
  const show = (...nodes) => page.result.replaceChildren(...intro, ...nodes);
  const say = (text, kind = "info") => show(el("p", { class: `gm-compare-message gm-compare-message--${kind}`, text }));
  if (from === to) {
    setStatus("", "empty");
    say(`原年度与新年度相同（${from} 年度），没有可对比的内容。请选择两个不同的年度。`);
    return;
  }
  if (!standard) {
    setStatus("", "empty");
    say(`${from} 年度与 ${to} 年度没有共同的标准，无法对比。`);
    return;
  }
  const missing = [a, b].filter((y) => !y.standards.some((s) => s.id === standard)).map((y) => `${y.year} 年度`);
  if (missing.length) {
    const known = [...a.standards, ...b.standards].find((s) => s.id === standard);
    setStatus("", "empty");
    say(`${missing.join("和 ")}没有${known ? `“${known.short_title}”标准` : `标准 ${standard}`}，无法对比。请另选标准或年度。`, "warn");
    return;
  }
  show();
  ensureScorer();
  setStatus(scorerReady ? "正在对比…" : "正在加载评分程序…", "loading");
  try {
    await scorer.ready;
    if (mine !== generation) return;
    setStatus(`正在对比 ${yearName(from)}与 ${yearName(to)}…`, "loading");
    const [oldText, newText] = await Promise.all([bundle(from, standard), bundle(to, standard)]);
    const answer = await scorer.call("diff", oldText, newText);
    if (mine !== generation) return;
    if (!answer.ok) {
      setStatus("对比失败：标准数据有问题。", "error");
      show(problemList(answer.problems));
      return;
    }
    const parsed = { old: JSON.parse(oldText), new: JSON.parse(newText) };
    show(...render(answer.result, choice, parsed));
    setStatus(`已对比 ${yearName(from)}与 ${yearName(to)}的“${b.standards.find((s) => s.id === standard).short_title}”标准。`, "done");
  } catch (error) {
    if (mine !== generation) return;
    const text = error && error.message ? error.message : String(error);
    if (error && error.code === "startup") setStatus(startupText(text), "error");
    else setStatus(`对比失败：${text}`, "error");
  }
}

function problemList(problems) {
  return el("ul", { class: "gm-compare-problems" },
    (problems || []).map((p) => el("li", {}, `${p.source}${p.path ? `（${p.path}）` : ""}：${p.message}`)));
}

// ---------- rendering the diff ----------

// Which part of the standard a record belongs to (scorer/diff.py marks indicators and bonuses with
// `area`; area totals and the standard's own fields come without one). `areas` are the two bundles'
// area names by id (areaNames): the data's, never a copy kept here.
function scope(record, areas) {
  if (own(areas, record.area)) return "indicator";
  if (record.area === "bonus") return "bonus";
  if (!record.area && own(areas, record.id)) return "area";
  if (!record.area && STANDARD_FIELDS.has(record.id)) return "standard";
  return "other";
}

function render(result, choice, bundlesByAge) {
  const { from, to, standard } = choice;
  const records = result.standard;
  const areas = areaNames(bundlesByAge);
  const itemRecords = records.filter((r) => ["indicator", "bonus", "other"].includes(scope(r, areas)));
  const byKind = (kind) => itemRecords.filter((r) => r.kind === kind);
  const areaRecords = records.filter((r) => scope(r, areas) === "area");
  const standardRecords = records.filter((r) => scope(r, areas) === "standard");
  const ctx = { from, to, standard, grades: gradeNames(bundlesByAge), areas };

  const nodes = [summary(result, ctx, byKind, areaRecords, standardRecords), changeNotes(from, to)];
  if (from > to) {
    nodes.push(el("p", { class: "gm-compare-message gm-compare-message--warn",
      text: `注意：原年度（${from}）晚于新年度（${to}），下列是从 ${from} 年度回看 ${to} 年度的差异。` }));
  }
  if (result.settings.length) nodes.push(group("settings", "年度设置", result.settings.map((r) => settingRecord(r, ctx))));
  const nothing = !records.length && !result.settings.length;
  if (nothing) return nodes;
  const heading = (kind, plain, mixed) => (byKind(kind).some((r) => scope(r, areas) === "bonus") ? mixed : plain);
  const sections = [
    ["added", heading("added", "新增指标", "新增指标和奖励项目"), (r) => itemRecord(r, ctx)],
    ["removed", heading("removed", "删除指标", "删除指标和奖励项目"), (r) => itemRecord(r, ctx)],
    ["changed", "修改", (r) => itemRecord(r, ctx)],
    ["moved", "移动（原领域 → 新领域）", (r) => itemRecord(r, ctx)],
    ["replaced", "替换（旧 id → 新 id）", (r) => itemRecord(r, ctx)],
  ];
  for (const [kind, title, draw] of sections) {
    const list = byKind(kind);
    if (list.length) nodes.push(group(kind, title, list.map(draw)));
  }
  if (areaRecords.length) nodes.push(group("areas", "领域分值", areaRecords.map((r) => areaRecord(r, ctx))));
  if (standardRecords.length) nodes.push(group("standard", "标准基本信息", standardRecords.map((r) => standardRecord(r, ctx))));
  return nodes;
}

// Area id -> name from both years' standards (the later year's name where both have the area).
function areaNames({ old, new: next }) {
  return Object.fromEntries([...old.standard.areas, ...next.standard.areas].map((a) => [a.id, a.name]));
}

function gradeNames({ old, new: next }) {
  const names = (b) => Object.fromEntries((b.year.grades || []).map((g) => [g.id, g.name]));
  return { old: names(old), new: names(next) };
}

function summary(result, ctx, byKind, areaRecords, standardRecords) {
  const { from, to } = ctx;
  const counts = ["added", "removed", "changed", "moved", "replaced"].map((kind) => [kind, byKind(kind).length]);
  const box = el("section", { class: "gm-compare-summary", "aria-labelledby": "gm-compare-summary-title" },
    el("h2", { id: "gm-compare-summary-title" }, `${yearName(from)} → ${yearName(to)}：变化概要`));
  const total = result.standard.length + result.settings.length;
  if (!total) {
    box.append(el("p", { class: "gm-compare-none" },
      "两个年度的这一标准和年度设置完全相同（标点全角半角和空格的差异不算变化）。"));
    return box;
  }
  box.append(el("p", { class: "gm-compare-counts" }, "指标和奖励项目：",
    counts.map(([kind, n], i) => [el("span", { class: `gm-count gm-count--${kind}`, "data-kind": kind },
      `${KIND_LABELS[kind]} ${n}`), i < counts.length - 1 ? "、" : ""])));
  const extra = [];
  if (areaRecords.length) extra.push(`领域分值调整 ${areaRecords.length} 处`);
  if (standardRecords.length) extra.push(`标准基本信息修改 ${standardRecords.length} 处`);
  if (extra.length) box.append(el("p", {}, `另有：${extra.join("，")}。`));
  box.append(el("p", { class: "gm-compare-settings-count" },
    result.settings.length ? `年度设置：${result.settings.length} 处变化。` : "年度设置：无变化。"));
  return box;
}

// The editors' own words: each spanned year's `changes` (year.yaml), relative to the year before it.
// They are notes, not the comparison: the records below are computed from the data.
function changeNotes(from, to) {
  const low = Math.min(from, to), high = Math.max(from, to);
  const all = [...index.years].sort((a, b) => a.year - b.year);
  const box = el("section", { class: "gm-compare-notes", "aria-labelledby": "gm-compare-notes-title" },
    el("h2", { id: "gm-compare-notes-title" }, "修订说明"),
    el("p", { class: "gm-muted" }, "编辑在各年度 year.yaml 的 changes 中写明的改动和理由；下方逐项差异由评分程序根据标准数据算出。"));
  all.forEach((entry, i) => {
    if (entry.year <= low || entry.year > high) return;
    const previous = i > 0 ? all[i - 1].year : null;
    const notes = Array.isArray(entry.changes) ? entry.changes : [];
    box.append(el("section", { class: "gm-compare-note", "data-year": entry.year },
      el("h3", {}, el("a", { href: yearHref(entry.year, "changes") }, yearName(entry.year)),
        previous === null ? "" : `（相对 ${previous} 年度）`),
      notes.length
        ? el("ol", {}, notes.map((note) => el("li", {}, String(note))))
        : el("p", { class: "gm-muted" }, "未填写修订说明。")));
  });
  return box;
}

function group(kind, title, items) {
  const id = `gm-compare-group-${kind}`;
  return el("section", { class: `gm-compare-group gm-compare-group--${kind}`, "aria-labelledby": id, "data-group": kind },
    el("h2", { id }, `${title}（${items.length}）`),
    el("ol", { class: "gm-changes" }, items));
}

function areaName(id, areas) {
  return own(areas, id) ? areas[id] : own(GROUPS, id) ? GROUPS[id] : id;
}

// One indicator or bonus record.
function itemRecord(record, ctx) {
  const { from, to, standard } = ctx;
  const bonus = scope(record, ctx.areas) === "bonus";
  const kindWord = bonus ? "奖励项目" : "指标";
  const oldLink = (id) => idLink(id, standardHref(from, standard, id), `${from} 年度的${kindWord} ${id}`);
  const newLink = (id) => idLink(id, standardHref(to, standard, id), `${to} 年度的${kindWord} ${id}`);
  const head = el("p", { class: "gm-change-head" });
  const where = el("span", { class: "gm-change-area" }, `（${areaName(record.area, ctx.areas)}）`);
  if (record.kind === "added") {
    head.append(newLink(record.id), " ", el("span", { class: "gm-change-title" }, record.title), where);
  } else if (record.kind === "removed") {
    head.append(oldLink(record.id), " ", el("span", { class: "gm-change-title" }, record.title), where);
  } else if (record.kind === "replaced") {
    head.append(oldLink(record.old_id), el("span", { class: "gm-arrow" }, " → "), newLink(record.id), " ",
      el("span", { class: "gm-change-title" }, record.title), where);
  } else if (record.kind === "moved") {
    head.append(newLink(record.id), " ", el("span", { class: "gm-change-title" }, record.title), "：",
      el("span", { class: "gm-moved" }, `${areaName(record.old_area, ctx.areas)} → ${areaName(record.area, ctx.areas)}`));
    head.append(yearLinks(record.id, record.id, ctx, kindWord));
  } else {
    head.append(newLink(record.id), " ", el("span", { class: "gm-change-title" }, record.title), where);
    head.append(yearLinks(record.id, record.id, ctx, kindWord));
  }
  const item = el("li", { class: `gm-change gm-change--${record.kind}`, "data-kind": record.kind, "data-id": record.id }, head);
  if (record.kind === "replaced" && !(record.fields || []).length) {
    item.append(el("p", { class: "gm-muted" }, "内容未变，只更换了编号。"));
  }
  if (record.fields && record.fields.length) {
    item.append(fieldList(record.fields, ctx, bonus ? BONUS_FIELD_NAMES : null));
  }
  return item;
}

function yearLinks(oldId, newId, ctx, kindWord) {
  const { from, to, standard } = ctx;
  return el("span", { class: "gm-year-links" }, "查看：",
    el("a", { href: standardHref(from, standard, oldId), title: `${from} 年度的${kindWord} ${oldId}` }, `${from} 年度`), " · ",
    el("a", { href: standardHref(to, standard, newId), title: `${to} 年度的${kindWord} ${newId}` }, `${to} 年度`));
}

function areaRecord(record, ctx) {
  const field = record.fields[0];
  return el("li", { class: "gm-change gm-change--changed", "data-kind": "changed", "data-id": record.id },
    el("p", { class: "gm-change-head" },
      el("a", { href: standardHref(ctx.to, ctx.standard, record.id), title: `${ctx.to} 年度的${record.title}` }, record.title), "：",
      el("span", { class: "gm-number" }, `${number(field.old)} → ${number(field.new)} 分`)));
}

function standardRecord(record, ctx) {
  return el("li", { class: "gm-change gm-change--changed", "data-kind": "changed", "data-id": record.id },
    fieldList(record.fields, ctx, null));
}

function settingRecord(record, ctx) {
  const { from, to } = ctx;
  const item = el("li", { class: `gm-change gm-change--${record.kind}`, "data-kind": record.kind, "data-id": record.id });
  if (record.id === "bonus_cap") {
    item.append(el("p", { class: "gm-change-head" },
      el("span", { class: "gm-field-name" }, "奖励上限"), "：",
      el("span", { class: "gm-number" }, `${number(record.fields[0].old)} → ${number(record.fields[0].new)} 分`),
      el("span", { class: "gm-year-links" }, "查看：",
        el("a", { href: yearHref(from, "grades") }, `${from} 年度`), " · ", el("a", { href: yearHref(to, "grades") }, `${to} 年度`))));
    return item;
  }
  const what = areaName(record.area, ctx.areas);
  const anchor = record.area === "grade" ? `grade-${record.id}` : record.id;
  const href = yearHref(record.kind === "removed" ? from : to, anchor);
  // A grade is known by its name (its id is internal); a limit by its id, as on the year page.
  const label = record.area === "grade"
    ? [el("a", { class: "gm-change-title", href }, record.title)]
    : [el("a", { class: "gm-id", href }, record.id), " ", el("span", { class: "gm-change-title" }, record.title)];
  item.append(el("p", { class: "gm-change-head" }, el("span", { class: "gm-tag" }, `${KIND_LABELS[record.kind]}${what}`), " ", label));
  if (record.fields && record.fields.length) {
    item.append(fieldList(record.fields, ctx, record.area === "grade_limit" ? LIMIT_FIELD_NAMES : null));
  }
  return item;
}

// ---------- fields ----------

function fieldName(field, names) {
  const deduction = /^deductions\.([A-Z]{3}-\d{2,3}[a-z])(?:\.(\w+))?$/.exec(field);
  if (deduction) {
    const [, id, sub] = deduction;
    const suffix = sub ? (own(ITEM_FIELD_NAMES, sub) ? ITEM_FIELD_NAMES[sub] : sub) : "";
    return `扣分情形 ${id}${suffix ? ` ${suffix}` : ""}`;
  }
  if (names && own(names, field)) return names[field];
  return own(FIELD_NAMES, field) ? FIELD_NAMES[field] : field;
}

function fieldList(fields, ctx, names) {
  return el("div", { class: "gm-fields" }, fields.map((f) => fieldBlock(f, ctx, names)));
}

function fieldBlock(change, ctx, names) {
  let name = fieldName(change.field, names);
  const block = el("div", { class: "gm-field", "data-field": change.field });
  const { old: a, new: b } = change;
  // A whole deduction item added or removed: the diff gives its text and its rule (scorer.items).
  const wholeItem = /^deductions\.([A-Z]{3}-\d{2,3}[a-z])$/.exec(change.field);
  if (wholeItem) name += a === null ? "（新增）" : b === null ? "（删除）" : "";
  const isNumber = (v) => typeof v === "number";
  const plain = (v) => v === null || v === undefined;
  if ((isNumber(a) || plain(a)) && (isNumber(b) || plain(b))) {
    block.append(el("p", { class: "gm-field-line" }, el("span", { class: "gm-field-name" }, name), "：",
      el("span", { class: "gm-number" }, `${number(a)} → ${number(b)}`)));
    return block;
  }
  if (/\.per$/.test(change.field) || change.field === "max_grade") {
    const label = change.field === "max_grade"
      ? (v, side) => (plain(v) ? "（无）" : own(ctx.grades[side], v) ? ctx.grades[side][v] : v)
      : (v) => (plain(v) ? "（无）" : change.labels && own(change.labels, v) ? change.labels[v] : v);
    block.append(el("p", { class: "gm-field-line" }, el("span", { class: "gm-field-name" }, name), "：",
      `${label(a, "old")} → ${label(b, "new")}`));
    return block;
  }
  block.append(el("p", { class: "gm-field-name" }, name));
  let left, right;
  if (change.marks) {
    left = runs(change.marks.old);
    right = runs(change.marks.new);
  } else if (Array.isArray(a) || Array.isArray(b)) {
    [left, right] = listSides(a || [], b || [], change.labels);
  } else if ((a && typeof a === "object") || (b && typeof b === "object")) {
    [left, right] = objectSides(a || {}, b || {});
  } else {
    left = plain(a) ? [none()] : runs([["del", String(a)]]);
    right = plain(b) ? [none()] : runs([["ins", String(b)]]);
  }
  if (wholeItem) {
    const rule = el("p", { class: "gm-side-line gm-muted" }, `（${change.rule}）`);
    (a !== null ? left : right).push(rule);
  }
  block.append(el("div", { class: "gm-sides" },
    el("div", { class: "gm-side gm-side--old" }, el("p", { class: "gm-side-label" }, yearName(ctx.from)), el("div", { class: "gm-side-text" }, left)),
    el("div", { class: "gm-side gm-side--new" }, el("p", { class: "gm-side-label" }, yearName(ctx.to)), el("div", { class: "gm-side-text" }, right))));
  return block;
}

const none = () => el("span", { class: "gm-muted" }, "（无）");

// The scorer's marked runs as text, <del> and <ins>; the hidden prefix is read out by screen
// readers, which rarely announce the elements themselves, and the colour is never the only sign.
function runs(list) {
  const out = [];
  for (const [kind, text] of list || []) {
    if (kind === "del") out.push(hidden("删除："), el("del", {}, text));
    else if (kind === "ins") out.push(hidden("新增："), el("ins", {}, text));
    else out.push(text);
  }
  return out.length ? out : [none()];
}

// `labels` (the scorer's, for lists of article ids) names each entry: 第十七条, not article-17.
function listSides(a, b, labels) {
  const label = (v) => (labels && own(labels, v) ? labels[v] : String(v));
  const inA = new Set(a.map(norm)), inB = new Set(b.map(norm));
  const side = (list, other, mark) => {
    if (!list.length) return [none()];
    const out = [];
    list.forEach((v, i) => {
      if (i) out.push("、");
      out.push(...(other.has(norm(v)) ? [label(v)] : runs([[mark, label(v)]])));
    });
    return out;
  };
  return [side(a, inB, "del"), side(b, inA, "ins")];
}

function objectSides(a, b) {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const side = (obj, other, mark) => keys.filter((k) => k in obj).map((k) =>
    el("p", { class: "gm-side-line" }, `${own(APPLICATION_NAMES, k) ? APPLICATION_NAMES[k] : k}：`,
      ...(norm(obj[k]) === norm(other[k]) ? [String(obj[k])] : runs([[mark, String(obj[k])]]))));
  return [side(a, b, "del"), side(b, a, "ins")];
}

start();
