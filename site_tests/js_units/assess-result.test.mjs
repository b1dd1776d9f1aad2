// Unit tests for the pure part of assess-result.mjs: each item's tally line, from the scorer's result.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tallies } from "../../docs/assets/javascripts/assess-result.mjs";

test("tallies: deductions, bonuses and grade limits in the scorer's figures; caps said", () => {
  const score = {
    areas: [{ indicators: [{ items: [{ id: "POL-01a", count: 2, amount: 2, capped: false }, { id: "POL-02a", count: 9, amount: 5, capped: true }] }] }],
    bonuses: [{ id: "BON-01", count: 1, amount: 1.5, capped: false }],
    limits_applied: ["LIM-01"],
  };
  assert.deepEqual(Object.fromEntries(tallies(score)), {
    "POL-01a": "已记录 2 次，扣 2 分",
    "POL-02a": "已记录 9 次，扣 5 分（已达单项上限）",
    "BON-01": "已记录 1 次，加 1.5 分",
    "LIM-01": "已记录：本年度等级受此限制",
  });
  assert.equal(tallies({ areas: [], bonuses: [], limits_applied: [] }).size, 0);
});
