// Unit tests for the pure parts of office-charts.mjs, under Node's own test runner.
import { test } from "node:test";
import assert from "node:assert/strict";
import { band, BANDS, labelLines } from "../../docs/assets/javascripts/office-charts.mjs";

test("band: each share falls into the band whose lower bound it reaches", () => {
  assert.equal(band(0), 0);
  assert.equal(band(0.59), 0);
  assert.equal(band(0.6), 1);
  assert.equal(band(0.95), BANDS.length - 1);
});

test("labelLines: two long names that would share a cut label are written out in full", () => {
  const a = "光明区甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥局党组";
  const b = a.replace("壬", "天"); // differs only in the middle, which a cut label drops
  const lines = labelLines([a, b], 6, 2);
  assert.notEqual(lines.get(a).join(""), lines.get(b).join(""));
  assert.equal(lines.get(a).join(""), a);
});
