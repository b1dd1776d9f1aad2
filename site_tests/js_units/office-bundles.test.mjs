// Unit tests for office-bundles.mjs: the published bundles' paths, and the warm-up's made-up files.
import { test } from "node:test";
import assert from "node:assert/strict";
import { bundlePaths, warmUpFiles } from "../../docs/assets/javascripts/office-bundles.mjs";

const INDEX = {
  current: 2020,
  years: [
    { year: 2019, standards: [{ path: "2019/dept.json" }, { path: "2019/street.json" }] },
    { year: 2020, standards: [{ path: "2020/dept.json" }] },
    { year: 2021, standards: [{ path: "2021/dept.json" }] },
  ],
};

test("bundlePaths: every standard the site publishes, sorted", () => {
  assert.deepEqual(bundlePaths(INDEX), ["2019/dept.json", "2019/street.json", "2020/dept.json", "2021/dept.json"]);
  assert.deepEqual(bundlePaths({ current: null, years: [] }), []);
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
