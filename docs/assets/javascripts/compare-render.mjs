// The comparison page's result as elements: the views of compare-view.mjs and the records' own
// words (scorer/diff.py) put into the DOM with textContent only; no data ever goes through innerHTML.
// The links and year names come from compare-choice.mjs, `el` from the shared office-common.mjs.

import { el } from "./dom.mjs";
import { standardHref, yearHref, yearName } from "./compare-choice.mjs";
import { fieldView, groups, number, summary } from "./compare-view.mjs";

const hidden = (text) => el("span", { className: "gm-visually-hidden", text });
const none = () => el("span", { className: "gm-muted" }, "（无）");

/**
 * Every section of one comparison: summary, the editors' notes, and one group per kind of change.
 * ctx: {index (data/index.json), from, to, standard}.
 */
export function render(result, ctx) {
  const { from, to } = ctx;
  const nodes = [summaryBox(result, ctx), changeNotes(ctx)];
  if (from > to) {
    nodes.push(el("p", { className: "gm-compare-message gm-compare-message--warn",
      text: `注意：原年度（${from}）晚于新年度（${to}），下列是从 ${from} 年度回看 ${to} 年度的差异。` }));
  }
  const draw = { settings: settingRecord, areas: areaRecord, standard: standardRecord };
  for (const g of groups(result)) {
    nodes.push(group(g.kind, g.title, g.records.map((r) => (draw[g.kind] || itemRecord)(r, ctx))));
  }
  return nodes;
}

function summaryBox(result, ctx) {
  const { index, from, to } = ctx;
  const figures = summary(result);
  const box = el("section", { className: "gm-compare-summary", "aria-labelledby": "gm-compare-summary-title" },
    el("h2", { id: "gm-compare-summary-title" }, `${yearName(index, from)} → ${yearName(index, to)}：变化概要`));
  if (!figures.total) {
    box.append(el("p", { className: "gm-compare-none" },
      "两个年度的这一标准和年度设置完全相同（标点全角半角和空格的差异不算变化）。"));
    return box;
  }
  box.append(el("p", { className: "gm-compare-counts" }, "指标和奖励项目：",
    figures.counts.flatMap(({ kind, label, count }, i) => [
      el("span", { className: `gm-count gm-count--${kind}`, "data-kind": kind }, `${label} ${count}`),
      i < figures.counts.length - 1 ? "、" : ""])));
  if (figures.extra.length) box.append(el("p", {}, `另有：${figures.extra.join("，")}。`));
  box.append(el("p", { className: "gm-compare-settings-count" },
    figures.settings ? `年度设置：${figures.settings} 处变化。` : "年度设置：无变化。"));
  return box;
}

// The editors' own words: each spanned year's `changes` (year.yaml), relative to the year before it.
// They are notes, not the comparison: the records below are computed from the data.
function changeNotes({ index, from, to }) {
  const low = Math.min(from, to), high = Math.max(from, to);
  const all = [...index.years].sort((a, b) => a.year - b.year);
  const box = el("section", { className: "gm-compare-notes", "aria-labelledby": "gm-compare-notes-title" },
    el("h2", { id: "gm-compare-notes-title" }, "修订说明"),
    el("p", { className: "gm-muted" }, "编辑在各年度 year.yaml 的 changes 中写明的改动和理由；下方逐项差异由评分程序根据标准数据算出。"));
  all.forEach((entry, i) => {
    if (entry.year <= low || entry.year > high) return;
    const previous = i > 0 ? all[i - 1].year : null;
    const notes = Array.isArray(entry.changes) ? entry.changes : [];
    box.append(el("section", { className: "gm-compare-note", "data-year": entry.year },
      el("h3", {}, el("a", { href: yearHref(entry.year, "changes") }, yearName(index, entry.year)),
        previous === null ? "" : `（相对 ${previous} 年度）`),
      notes.length
        ? el("ol", {}, notes.map((note) => el("li", {}, String(note))))
        : el("p", { className: "gm-muted" }, "未填写修订说明。")));
  });
  return box;
}

function group(kind, title, items) {
  const id = `gm-compare-group-${kind}`;
  return el("section", { className: `gm-compare-group gm-compare-group--${kind}`, "aria-labelledby": id, "data-group": kind },
    el("h2", { id }, `${title}（${items.length}）`),
    el("ol", { className: "gm-changes" }, items));
}

const idLink = (id, href, title) => el("a", { className: "gm-id", href, title }, id);
const titleSpan = (record) => el("span", { className: "gm-change-title" }, record.title);

// One indicator or bonus record: its ids linking to both years, its area, its fields.
function itemRecord(record, ctx) {
  const { from, to, standard } = ctx;
  const word = record.scope_label;
  const oldLink = (id) => idLink(id, standardHref(from, standard, id), `${from} 年度的${word} ${id}`);
  const newLink = (id) => idLink(id, standardHref(to, standard, id), `${to} 年度的${word} ${id}`);
  const where = el("span", { className: "gm-change-area" }, `（${record.area_name}）`);
  const heads = {
    added: () => [newLink(record.id), " ", titleSpan(record), where],
    removed: () => [oldLink(record.id), " ", titleSpan(record), where],
    replaced: () => [oldLink(record.old_id), el("span", { className: "gm-arrow" }, " → "), newLink(record.id), " ", titleSpan(record), where],
    moved: () => [newLink(record.id), " ", titleSpan(record), "：",
      el("span", { className: "gm-moved" }, `${record.old_area_name} → ${record.area_name}`), yearLinks(record.id, ctx, word)],
    changed: () => [newLink(record.id), " ", titleSpan(record), where, yearLinks(record.id, ctx, word)],
  };
  const item = el("li", { className: `gm-change gm-change--${record.kind}`, "data-kind": record.kind, "data-id": record.id },
    el("p", { className: "gm-change-head" }, heads[record.kind]()));
  const fields = record.fields || [];
  if (record.kind === "replaced" && !fields.length) item.append(el("p", { className: "gm-muted" }, "内容未变，只更换了编号。"));
  if (fields.length) item.append(fieldList(fields, ctx));
  return item;
}

function yearLinks(id, ctx, word) {
  const { from, to, standard } = ctx;
  return el("span", { className: "gm-year-links" }, "查看：",
    el("a", { href: standardHref(from, standard, id), title: `${from} 年度的${word} ${id}` }, `${from} 年度`), " · ",
    el("a", { href: standardHref(to, standard, id), title: `${to} 年度的${word} ${id}` }, `${to} 年度`));
}

function areaRecord(record, ctx) {
  const field = record.fields[0];
  return el("li", { className: "gm-change gm-change--changed", "data-kind": "changed", "data-id": record.id },
    el("p", { className: "gm-change-head" },
      el("a", { href: standardHref(ctx.to, ctx.standard, record.id), title: `${ctx.to} 年度的${record.title}` }, record.title), "：",
      el("span", { className: "gm-number" }, `${number(field.old)} → ${number(field.new)} 分`)));
}

function standardRecord(record, ctx) {
  return el("li", { className: "gm-change gm-change--changed", "data-kind": "changed", "data-id": record.id },
    fieldList(record.fields, ctx));
}

function settingRecord(record, ctx) {
  const { from, to } = ctx;
  const item = el("li", { className: `gm-change gm-change--${record.kind}`, "data-kind": record.kind, "data-id": record.id });
  if (record.scope === "year") {
    const field = record.fields[0];
    item.append(el("p", { className: "gm-change-head" },
      el("span", { className: "gm-field-name" }, field.label), "：",
      el("span", { className: "gm-number" }, `${number(field.old)} → ${number(field.new)} 分`),
      el("span", { className: "gm-year-links" }, "查看：",
        el("a", { href: yearHref(from, "grades") }, `${from} 年度`), " · ", el("a", { href: yearHref(to, "grades") }, `${to} 年度`))));
    return item;
  }
  const anchor = record.scope === "grade" ? `grade-${record.id}` : record.id;
  const href = yearHref(record.kind === "removed" ? from : to, anchor);
  // A grade is known by its name (its id is internal); a limit by its id, as on the year page.
  const label = record.scope === "grade"
    ? [el("a", { className: "gm-change-title", href }, record.title)]
    : [el("a", { className: "gm-id", href }, record.id), " ", titleSpan(record)];
  item.append(el("p", { className: "gm-change-head" },
    el("span", { className: "gm-tag" }, `${record.kind_label}${record.scope_label}`), " ", label));
  if (record.fields && record.fields.length) item.append(fieldList(record.fields, ctx));
  return item;
}

function fieldList(fields, ctx) {
  return el("div", { className: "gm-fields" }, fields.map((f) => fieldBlock(fieldView(f), ctx)));
}

function fieldBlock(view, { index, from, to }) {
  const block = el("div", { className: "gm-field", "data-field": view.path });
  if (view.line !== undefined) {
    const value = view.numeric ? el("span", { className: "gm-number" }, view.line) : view.line;
    block.append(el("p", { className: "gm-field-line" }, el("span", { className: "gm-field-name" }, view.name), "：", value));
    return block;
  }
  block.append(el("p", { className: "gm-field-name" }, view.name));
  const side = (which, year) => el("div", { className: `gm-side gm-side--${which}` },
    el("p", { className: "gm-side-label" }, yearName(index, year)), el("div", { className: "gm-side-text" }, sideNodes(view[which])));
  block.append(el("div", { className: "gm-sides" }, side("old", from), side("new", to)));
  return block;
}

function sideNodes(side) {
  const nodes = side.lines
    ? side.lines.map((line) => el("p", { className: "gm-side-line" }, `${line.name}：`, runs(line.runs, false)))
    : runs(side.runs, true);
  if (side.note) nodes.push(el("p", { className: "gm-side-line gm-muted" }, side.note));
  return nodes;
}

// The scorer's marked runs as text, <del> and <ins>; the hidden prefix is read out by screen
// readers, which rarely announce the elements themselves, and the colour is never the only sign.
function runs(list, orNone) {
  const out = [];
  for (const [kind, text] of list) {
    if (kind === "del") out.push(hidden("删除："), el("del", {}, text));
    else if (kind === "ins") out.push(hidden("新增："), el("ins", {}, text));
    else out.push(text);
  }
  return out.length || !orNone ? out : [none()];
}
