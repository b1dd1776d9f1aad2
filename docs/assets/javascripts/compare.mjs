// The comparison page (/standards/compare/): two years and one standard in, the scorer's diff out.
//
// The years and standards come from data/index.json; the comparison itself is the scorer's `diff`
// operation (scorer/browser.py) run in the worker, so the page and `python -m scorer diff` agree.
// The choice lives in the query string (?from=2020&to=2021&standard=dept, plus draft=1 for editors)
// so a comparison can be linked. Draft years are offered only to an editor who asks (the 包括草稿年度
// box, or draft=1), and every view that involves one says 草稿 where the year is named and in a
// notice above the result: a draft is a preview, never the published standard. The editors' own
// change notes (year.yaml `changes`, published in data/index.json) are shown for every year spanned.
// This module is the wiring (fetch, selects, history, worker); the choice, the view and the elements are
// compare-choice.mjs, compare-view.mjs and compare-render.mjs. Everything is built with DOM calls and
// textContent: no data ever goes through innerHTML. No inline script or handler: a strict Content-Security-Policy allows this.

import { startScorer } from "./scorer-client.mjs";
import { el } from "./dom.mjs";
import {
  draftHref, isDraft, offeredYears, queryFor, readQuery, resolvePair, standardOptions, yearEntry, yearLabel, yearName,
} from "./compare-choice.mjs";
import { render } from "./compare-render.mjs";

const ROOT = new URL("../../", import.meta.url);
const INDEX_URL = new URL("data/index.json", ROOT);

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

function setStatus(text, state) {
  page.status.textContent = text;
  if (state) page.root.dataset.state = state;
}

function fillYears(select, value) {
  select.replaceChildren(...offered.map((y) => el("option", { value: y.year, selected: y.year === value }, yearLabel(y, index.current))));
  select.value = String(value);
}

function fillStandards(from, to, wanted) {
  const { options, value } = standardOptions(yearEntry(index, from), yearEntry(index, to), wanted);
  page.standard.replaceChildren(...options.map((o) => el("option", { value: o.id, selected: o.id === value }, o.label)));
  page.standard.value = value;
  page.standard.disabled = options.length === 0;
  return value;
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

const message = (kind, ...content) => el("p", { className: `gm-compare-message gm-compare-message--${kind}` }, ...content);

// Fewer than two years to pick from: say so; name the drafts an editor could preview, with the link.
function tooFew() {
  generation += 1; // an answer still on its way is stale
  page.form.hidden = true;
  setStatus("", "empty");
  const text = offered.length === 0
    ? "尚无已发布的年度标准，没有可对比的内容。"
    : `目前只有一个已发布年度（${offered[0].year} 年度），没有可对比的年度。发布新年度的标准后，可在本页逐项对比。`;
  const nodes = [message("info", text)];
  const drafts = index.years.filter((y) => y.status === "draft");
  if (!draft && drafts.length && index.years.length >= 2) {
    const names = drafts.map((y) => `${y.year} 年度`).join("、");
    nodes.push(message("draft", `另有草稿年度：${names}（尚未发布，不是正式标准）。编辑可`,
      el("a", { href: draftHref(window.location.search), "data-draft-link": "" }, "预览草稿年度的对比"), "。"));
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
    if (["from", "to"].some((name) => isDraft(index, Number(params.get(name))))) {
      params.delete("from");
      params.delete("to");
    }
  }
  window.history.pushState(null, "", `?${params}`);
  restore(true); // writes the resulting choice into that entry
}

// Apply the query string to the selects (falling back to the defaults) and compare.
function restore(first) {
  const search = window.location.search;
  draft = new URLSearchParams(search).get("draft") === "1";
  offered = offeredYears(index, draft);
  page.draftField.hidden = !index.years.some((y) => y.status === "draft");
  page.drafts.checked = draft;
  if (offered.length < 2) {
    tooFew();
    return;
  }
  page.form.hidden = false;
  const query = readQuery(search);
  const { from, to, refused } = resolvePair(index, offered, draft, query);
  // The reader is told why a year in the link was not taken.
  const notes = refused.map(({ year, draft: isDraftYear }) => (isDraftYear
    ? [`${year} 年度尚未发布（草稿），不能对比；已改为默认年度。编辑可`,
      el("a", { href: draftHref(search, query.from ?? undefined, query.to ?? undefined), "data-draft-link": "" }, "预览含草稿年度的对比"), "。"]
    : [`没有 ${year} 年度的标准；已改为默认年度。`]));
  fillYears(page.from, from);
  fillYears(page.to, to);
  const standard = fillStandards(from, to, query.standard);
  const choice = { from, to, standard };
  if (first) window.history.replaceState(null, "", queryFor(choice, draft) + window.location.hash);
  compare(choice, notes);
}

// A select changed: keep the standard if both years have it (else the first they share), record the
// choice in the URL, compare.
function choose() {
  const from = Number(page.from.value), to = Number(page.to.value);
  const shared = (sid) => [from, to].every((y) => yearEntry(index, y).standards.some((s) => s.id === sid));
  const standard = fillStandards(from, to, shared(page.standard.value) ? page.standard.value : null);
  const choice = { from, to, standard };
  window.history.pushState(null, "", queryFor(choice, draft));
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
const startupText = (text) => (text.startsWith("评分程序") ? text : `评分程序无法启动：${text}`);

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
  const a = yearEntry(index, from), b = yearEntry(index, to);
  const intro = notes.map((note) => message("warn", ...note));
  const drafts = [...new Set([from, to])].filter((year) => isDraft(index, year));
  if (drafts.length) {
    intro.unshift(el("p", { className: "gm-compare-message gm-compare-message--draft", "data-draft-notice": "" },
      el("strong", {}, "草稿预览："),
      `${drafts.map((y) => `${y} 年度`).join("、")}的标准是草稿，尚未发布，不是正式标准；以下对比仅供编辑核对，发布前仍可能修改。`));
  }
  const show = (...nodes) => page.result.replaceChildren(...intro, ...nodes);
  const say = (text, kind = "info") => show(el("p", { className: `gm-compare-message gm-compare-message--${kind}`, text }));
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
    setStatus(`正在对比 ${yearName(index, from)}与 ${yearName(index, to)}…`, "loading");
    const [oldText, newText] = await Promise.all([bundle(from, standard), bundle(to, standard)]);
    const answer = await scorer.call("diff", oldText, newText);
    if (mine !== generation) return;
    if (!answer.ok) {
      setStatus("对比失败：标准数据有问题。", "error");
      show(problemList(answer.problems));
      return;
    }
    show(...render(answer.result, { index, from, to, standard }));
    setStatus(`已对比 ${yearName(index, from)}与 ${yearName(index, to)}的“${b.standards.find((s) => s.id === standard).short_title}”标准。`, "done");
  } catch (error) {
    if (mine !== generation) return;
    const text = error && error.message ? error.message : String(error);
    if (error && error.code === "startup") setStatus(startupText(text), "error");
    else setStatus(`对比失败：${text}`, "error");
  }
}

function problemList(problems) {
  return el("ul", { className: "gm-compare-problems" },
    (problems || []).map((p) => el("li", {}, `${p.source}${p.path ? `（${p.path}）` : ""}：${p.message}`)));
}

start();
