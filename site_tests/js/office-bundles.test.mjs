// Unit tests for office-bundles.mjs: which bundles the files need, and the warm-up's made-up files.
import { test } from "node:test";
import assert from "node:assert/strict";
import { bundlePaths, warmUpFiles, yearsOf } from "../../docs/assets/javascripts/office-bundles.mjs";

const INDEX = {
  current: 2020,
  years: [
    { year: 2019, standards: [{ path: "2019/dept.json" }, { path: "2019/street.json" }] },
    { year: 2020, standards: [{ path: "2020/dept.json" }] },
    { year: 2021, standards: [{ path: "2021/dept.json" }] },
  ],
};

test("yearsOf: the years JSON files name; other text names none", () => {
  const files = [{ text: '{"year": 2019}' }, { text: "{oops" }, { text: '{"year": "2021"}' }, { text: "[]" }, { text: "null" }, { text: '{"year": 2019.5}' }];
  assert.deepEqual([...yearsOf(files)], [2019]);
});

test("bundlePaths: every standard of the files' years and of the current year, sorted", () => {
  assert.deepEqual(bundlePaths(INDEX, new Set([2019])), ["2019/dept.json", "2019/street.json", "2020/dept.json"]);
  assert.deepEqual(bundlePaths(INDEX, new Set()), ["2020/dept.json"]);
  assert.deepEqual(bundlePaths({ ...INDEX, current: null }, new Set([2031])), []);
});

test("warmUpFiles: as many valid-looking files as asked, over every bundle, each naming its own", () => {
  const bundle = (id, n) => ({ hash: id.repeat(64).slice(0, 64), year: { year: 2019 }, standard: { id, areas: [
    { indicators: [{ deductions: Array.from({ length: n }, (_, i) => ({ id: `${id}-${i}` })) }] }] } });
  const bundles = [bundle("dept", 20), bundle("street", 3)];
  const files = warmUpFiles(bundles, 50);
  assert.equal(files.length, 50);
  assert.equal(new Set(files.map((f) => f.name)).size, 50);
  for (const file of files) {
    const value = JSON.parse(file.text);
    const mine = bundles.find((b) => b.standard.id === value.standard);
    assert.equal(value.format, "gm-assessment/1");
    assert.equal(value.standard_hash, mine.hash);
    for (const [id, rows] of Object.entries(value.items)) {
      assert.ok(id.startsWith(`${value.standard}-`));
      assert.ok(rows.every((r) => r.date === "2019-06-30" && r.count >= 1));
    }
  }
});
