// Unit tests for office-table.mjs: the scorer's columns laid out, filters, sorting, export names.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  cellText, exportName, exportView, filterRows, layout, nextSort, pageRange, sortRows, sortValue, titles,
} from "../../docs/assets/javascripts/office-table.mjs";

const COLUMNS = [
  { id: "organization", label: "党组织", number: false, group: "", empty: "（未填写名称）", sorted: false },
  { id: "year", label: "年度", number: true, group: "", empty: "", sorted: false },
  { id: "total", label: "总分", number: true, group: "", empty: "", sorted: false },
  { id: "grade", label: "等级", number: false, group: "", empty: "", sorted: true },
  { id: "area:A", label: "政治建设", number: true, group: "area", empty: "", sorted: false },
  { id: "ref:考核", label: "参考：考核", number: true, group: "reference", empty: "", sorted: false },
];

const row = (organization, total, grade, rank, area, extra = {}) => ({
  standard: "dept", year: 2019, standard_title: "区直单位", file: `${organization}.json`,
  cells: [organization, 2019, total, grade, area, null], keys: { grade: rank }, ...extra,
});

test("layout: every scorer column keeps its place in the cells, gets a width, and the detail button comes last", () => {
  const cols = layout(COLUMNS);
  assert.deepEqual(cols.slice(0, -1).map((c) => c.index), COLUMNS.map((_, i) => i));
  assert.ok(cols.every((c) => c.width > 0));
  assert.equal(cols.find((c) => c.id === "area:A").width, 3.9);
  assert.equal(cols.find((c) => c.id === "ref:考核").width, 6);
  assert.deepEqual(cols.at(-1), { id: "detail", label: "详情", width: 3.6, button: true });
});

test("cellText: a blank name in the column's words, a missing number as —", () => {
  const cols = layout(COLUMNS);
  const r = row("", 90, "好", 1, undefined);
  assert.equal(cellText(r, cols[0]), "（未填写名称）");
  assert.equal(cellText(r, cols[4]), "—");
  assert.equal(cellText(r, cols[5]), "—");
  assert.equal(cellText(r, cols[2]), "90");
});

test("sortRows: grades by the scorer's rank, numbers as numbers, blanks last both ways, ties stable", () => {
  const cols = layout(COLUMNS);
  const rows = [row("乙", 9, "一般", 2, 5), row("甲", 100, "好", 0, undefined), row("丙", 80.5, "较好", 1, 5), row("丁", 80.5, "较好", 1, 3)];
  const by = (key, direction) => sortRows(rows, cols, { key, direction }).map((r) => r.cells[0]);
  assert.deepEqual(by("grade", "ascending"), ["甲", "丙", "丁", "乙"]);
  assert.deepEqual(by("total", "descending"), ["甲", "丙", "丁", "乙"]);
  assert.deepEqual(by("total", "ascending"), ["乙", "丙", "丁", "甲"]);
  assert.deepEqual(by("area:A", "ascending"), ["丁", "乙", "丙", "甲"]);
  assert.deepEqual(by("area:A", "descending"), ["乙", "丙", "丁", "甲"]);
  assert.deepEqual(by("detail", "ascending"), ["乙", "甲", "丙", "丁"], "the button column does not sort");
  assert.equal(sortValue(rows[0], cols[3]), 2);
});

test("sortRows: any order of generated rows gives a sorted, complete result", () => {
  const cols = layout(COLUMNS);
  let seed = 3;
  const next = (n) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  for (let round = 0; round < 100; round++) {
    const rows = Array.from({ length: next(30) }, (_, i) => row(`组${next(50)}`, next(4) ? next(1000) / 10 : null, "", next(5), next(3) ? next(30) : ""));
    for (const direction of ["ascending", "descending"]) {
      const sorted = sortRows(rows, cols, { key: "total", direction });
      assert.equal(sorted.length, rows.length);
      const values = sorted.map((r) => r.cells[2]);
      const firstBlank = values.findIndex((v) => v === null);
      if (firstBlank >= 0) assert.ok(values.slice(firstBlank).every((v) => v === null), "blanks last");
      const numbers = values.filter((v) => v !== null);
      for (let i = 1; i < numbers.length; i++) {
        assert.ok(direction === "ascending" ? numbers[i - 1] <= numbers[i] : numbers[i - 1] >= numbers[i]);
      }
    }
  }
});

test("nextSort: a new number column starts highest first, a text A to Z, the same column flips", () => {
  const cols = layout(COLUMNS);
  assert.deepEqual(nextSort({ key: null, direction: "ascending" }, "total", cols), { key: "total", direction: "descending" });
  assert.deepEqual(nextSort({ key: "total", direction: "descending" }, "organization", cols), { key: "organization", direction: "ascending" });
  assert.deepEqual(nextSort({ key: "total", direction: "descending" }, "total", cols), { key: "total", direction: "ascending" });
});

test("filters, titles, export names and what an export sends", () => {
  const rows = [row("甲", 1, "", 0, 1), row("乙", 2, "", 0, 1, { standard: "street", standard_title: "街道", year: 2020 })];
  assert.deepEqual(filterRows(rows, { standard: "street" }).map((r) => r.cells[0]), ["乙"]);
  assert.deepEqual(filterRows(rows, { year: "2019" }).map((r) => r.cells[0]), ["甲"]);
  assert.equal(filterRows(rows, {}).length, 2);
  const names = titles(rows);
  assert.equal(names.get("street"), "街道");
  assert.equal(exportName(names, { standard: "street", year: "2020" }, "csv"), "自评结果汇总_2020年度_街道.csv");
  assert.equal(exportName(names, {}, "xlsx"), "自评结果汇总.xlsx");
  const view = { areas: [{ id: "A" }], reference_columns: ["考核"], rejected: [{ file: "b.json" }], duplicates: [],
    distribution: [{ standard: "dept", year: 2019 }, { standard: "street", year: 2020 }] };
  const sent = exportView(view, rows, { year: "2020" }, { references: null, refused: [{ file: "a.json" }] });
  assert.deepEqual(sent.reference_columns, []);
  assert.deepEqual(sent.distribution, [{ standard: "street", year: 2020 }]);
  assert.deepEqual(sent.rejected.map((r) => r.file), ["a.json", "b.json"]);
  assert.deepEqual(exportView(view, rows, {}, { references: {}, refused: [] }).reference_columns, ["考核"]);
});

test("pageRange: pages of a long table, clamped, and 'all'", () => {
  assert.deepEqual(pageRange(1000, 0, 100), { start: 0, end: 100, page: 0, pages: 10 });
  assert.deepEqual(pageRange(1000, 9, 100), { start: 900, end: 1000, page: 9, pages: 10 });
  assert.deepEqual(pageRange(1000, 42, 100), { start: 900, end: 1000, page: 9, pages: 10 }); // past the end: the last page
  assert.deepEqual(pageRange(1000, -3, 500), { start: 0, end: 500, page: 0, pages: 2 });
  assert.deepEqual(pageRange(1000, 1, "all"), { start: 0, end: 1000, page: 0, pages: 1 });
  assert.deepEqual(pageRange(130, 1, 100), { start: 100, end: 130, page: 1, pages: 2 });
  assert.deepEqual(pageRange(0, 0, 100), { start: 0, end: 0, page: 0, pages: 1 });
  assert.deepEqual(pageRange(12, 0, "bogus"), { start: 0, end: 12, page: 0, pages: 1 }); // an unknown size: the first
});
