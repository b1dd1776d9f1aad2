// Unit tests for compare-view.mjs (what the comparison page shows of the scorer's diff records),
// under Node's own test runner. The records are in the shape of diff-record.schema.json.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fieldView, groups, summary } from "../../docs/assets/javascripts/compare-view.mjs";

const KINDS = { added: "新增", removed: "删除", changed: "修改", moved: "移动", replaced: "替换" };
const rec = (kind, scope, id, extra = {}) => ({ kind, kind_label: KINDS[kind], scope, scope_label: "", id, title: id, ...extra });
const RESULT = {
  kinds: KINDS,
  settings: [rec("changed", "year", "bonus_cap")],
  standard: [
    rec("replaced", "indicator", "POL-03"),
    rec("changed", "indicator", "IDE-01"),
    rec("added", "bonus", "BON-03"),
    rec("added", "indicator", "INS-02"),
    rec("changed", "area", "ideological"),
    rec("changed", "standard", "emphasis"),
  ],
};

test("groups: by scope and kind, in page order, empty ones left out; a bonus among them names itself", () => {
  const got = groups(RESULT).map((g) => [g.kind, g.title, g.records.map((r) => r.id)]);
  assert.deepEqual(got, [
    ["settings", "年度设置", ["bonus_cap"]],
    ["added", "新增指标和奖励项目", ["BON-03", "INS-02"]],
    ["changed", "修改", ["IDE-01"]],
    ["replaced", "替换（旧 id → 新 id）", ["POL-03"]],
    ["areas", "领域分值", ["ideological"]],
    ["standard", "标准基本信息", ["emphasis"]],
  ]);
  const plain = { ...RESULT, standard: RESULT.standard.filter((r) => r.scope !== "bonus") };
  assert.equal(groups(plain).find((g) => g.kind === "added").title, "新增指标");
});

test("summary: every kind counted with the scorer's word, areas and the standard apart", () => {
  const s = summary(RESULT);
  assert.equal(s.total, 7);
  assert.deepEqual(s.counts.map((c) => `${c.label} ${c.count}`), ["新增 2", "删除 0", "修改 1", "移动 0", "替换 1"]);
  assert.deepEqual(s.extra, ["领域分值调整 1 处", "标准基本信息修改 1 处"]);
  assert.equal(s.settings, 1);
});

const field = (extra) => ({ path: "x", scope: "indicator", item: null, field: "x", change: "changed", label: "名", ...extra });

test("fieldView: numbers and named values on one line", () => {
  assert.deepEqual(fieldView(field({ shape: "number", old: 15, new: null })), { path: "x", name: "名", line: "15 → （无）", numeric: true });
  const per = fieldView(field({ shape: "name", old: "occurrence", new: "once", labels: { occurrence: "每次", once: "一次" } }));
  assert.equal(per.line, "每次 → 一次");
  assert.equal(fieldView(field({ shape: "name", old: "x", new: null, labels: {} })).line, "x → （无）");
});

test("fieldView: a list's entries joined by 、, as the scorer marked them", () => {
  const view = fieldView(field({ shape: "list", old: ["a"], new: ["a", "b"],
    entries: { old: [["same", "第一条"]], new: [["same", "第一条"], ["ins", "第二条"]] } }));
  assert.deepEqual(view.new.runs, [["same", "第一条"], ["same", "、"], ["ins", "第二条"]]);
  assert.deepEqual(view.old.runs, [["same", "第一条"]]);
});

test("fieldView: a map side by side, line by key; text by its marks; a whole item's rule on its side", () => {
  const map = fieldView(field({ shape: "map", old: {}, new: {},
    entries: { old: [{ key: "k", name: "党组织", runs: [["del", "甲"]] }], new: [] } }));
  assert.deepEqual(map.old, { lines: [{ name: "党组织", runs: [["del", "甲"]] }] });
  assert.deepEqual(map.new, { lines: [] });
  const removed = fieldView(field({ shape: "text", change: "removed", old: "甲", new: null, rule: "每次扣 1 分",
    marks: { old: [["del", "甲"]], new: [] } }));
  assert.deepEqual(removed.old, { runs: [["del", "甲"]], note: "（每次扣 1 分）" });
  assert.deepEqual(removed.new, { runs: [] });
});
