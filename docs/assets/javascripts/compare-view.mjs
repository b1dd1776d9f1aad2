// What the comparison page shows of the scorer's diff, without the DOM: which records go in which
// group under which heading, the counts of the summary, and each changed field as a line or as two
// sides of marked runs. Every record already says its scope, its item, its field and their names
// (scorer/diff.py, schema diff-record.schema.json); this module only arranges them, so nothing here
// infers a scope, parses a field path or matches list entries. Unit-tested under `node --test`
// (site_tests/js_units/compare-view.test.mjs); compare-render.mjs turns the views into elements.

export const KINDS = ["added", "removed", "changed", "moved", "replaced"];
const ITEM_SCOPES = new Set(["indicator", "bonus"]);

/** A number as the page prints it: the value, or （无） where there is none. */
export function number(value) {
  if (value === null || value === undefined) return "（无）";
  return String(value);
}

/**
 * The result's groups in page order: [{kind, title, records}], only those with records. `settings`
 * first, then the indicators and bonuses by kind, the areas' points, the standard's own fields.
 */
export function groups(result) {
  const items = result.standard.filter((r) => ITEM_SCOPES.has(r.scope));
  const byKind = (kind) => items.filter((r) => r.kind === kind);
  const withBonus = (kind, plain, mixed) => (byKind(kind).some((r) => r.scope === "bonus") ? mixed : plain);
  const titles = {
    added: withBonus("added", "新增指标", "新增指标和奖励项目"),
    removed: withBonus("removed", "删除指标", "删除指标和奖励项目"),
    changed: "修改",
    moved: "移动（原领域 → 新领域）",
    replaced: "替换（旧 id → 新 id）",
  };
  const all = [
    { kind: "settings", title: "年度设置", records: result.settings },
    ...KINDS.map((kind) => ({ kind, title: titles[kind], records: byKind(kind) })),
    { kind: "areas", title: "领域分值", records: result.standard.filter((r) => r.scope === "area") },
    { kind: "standard", title: "标准基本信息", records: result.standard.filter((r) => r.scope === "standard") },
  ];
  return all.filter((g) => g.records.length);
}

/**
 * The summary's figures: {total, counts: [{kind, label, count}] of indicators and bonuses, extra:
 * sentences for the areas and the standard's fields, settings: the count of settings records}.
 * `result.kinds` names each kind (the scorer's words).
 */
export function summary(result) {
  const items = result.standard.filter((r) => ITEM_SCOPES.has(r.scope));
  const counts = KINDS.map((kind) => ({ kind, label: result.kinds[kind], count: items.filter((r) => r.kind === kind).length }));
  const areas = result.standard.filter((r) => r.scope === "area").length;
  const standard = result.standard.filter((r) => r.scope === "standard").length;
  const extra = [];
  if (areas) extra.push(`领域分值调整 ${areas} 处`);
  if (standard) extra.push(`标准基本信息修改 ${standard} 处`);
  return { total: result.standard.length + result.settings.length, counts, extra, settings: result.settings.length };
}

/**
 * One changed field as the page shows it:
 *   {path, name, line: "15 → 12", numeric}            numbers and named values, on one line
 *   {path, name, old: side, new: side}                 text, lists and maps, side by side
 * where a side is {runs: [[same|del|ins, text]], note} or {lines: [{name, runs}]}. A list's entries
 * are runs joined by 、; an empty side's runs are [] (shown as （无））.
 */
export function fieldView(change) {
  const { old: a, new: b } = change;
  const base = { path: change.path, name: change.label };
  if (change.shape === "number") return { ...base, line: `${number(a)} → ${number(b)}`, numeric: true };
  if (change.shape === "name") {
    const name = (v) => (v === null || v === undefined ? "（无）" : change.labels && Object.hasOwn(change.labels, v) ? change.labels[v] : String(v));
    return { ...base, line: `${name(a)} → ${name(b)}` };
  }
  let sides;
  if (change.shape === "list") {
    const joined = (entries) => entries.flatMap((entry, i) => (i ? [["same", "、"], entry] : [entry]));
    sides = { old: { runs: joined(change.entries.old) }, new: { runs: joined(change.entries.new) } };
  } else if (change.shape === "map") {
    const lines = (entries) => ({ lines: entries.map((e) => ({ name: e.name, runs: e.runs })) });
    sides = { old: lines(change.entries.old), new: lines(change.entries.new) };
  } else {
    sides = { old: { runs: change.marks.old }, new: { runs: change.marks.new } };
  }
  // A whole item added or removed: its rule, in the scorer's words, on the side that has it.
  if (change.rule) sides[change.change === "removed" ? "old" : "new"].note = `（${change.rule}）`;
  return { ...base, ...sides };
}
