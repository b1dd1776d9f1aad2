// Unit tests for compare-choice.mjs (the comparison page's choice of years and standard), under
// Node's own test runner.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  defaults, draftHref, offeredYears, queryFor, readQuery, resolvePair, standardHref, standardOptions, yearLabel, yearName,
} from "../../docs/assets/javascripts/compare-choice.mjs";

const std = (id, short_title) => ({ id, short_title });
const INDEX = {
  current: 2021,
  years: [
    { year: 2021, status: "published", standards: [std("dept", "部门"), std("street", "街道")] },
    { year: 2019, status: "published", standards: [std("dept", "部门")] },
    { year: 2022, status: "draft", standards: [std("dept", "部门"), std("street", "街道")] },
    { year: 2020, status: "published", standards: [std("street", "街道"), std("dept", "部门")] },
  ],
};

test("offeredYears: published years oldest first; drafts only for an editor", () => {
  assert.deepEqual(offeredYears(INDEX, false).map((y) => y.year), [2019, 2020, 2021]);
  assert.deepEqual(offeredYears(INDEX, true).map((y) => y.year), [2019, 2020, 2021, 2022]);
});

test("defaults: the previous published year against the current one, or the newest draft", () => {
  assert.deepEqual(defaults(INDEX, offeredYears(INDEX, false), false), { from: 2020, to: 2021 });
  assert.deepEqual(defaults(INDEX, offeredYears(INDEX, true), true), { from: 2021, to: 2022 });
});

test("resolvePair: a year that cannot be picked resets both, and says whether it is a draft", () => {
  const offered = offeredYears(INDEX, false);
  assert.deepEqual(resolvePair(INDEX, offered, false, readQuery("?from=2019&to=2020")), { from: 2019, to: 2020, refused: [] });
  assert.deepEqual(resolvePair(INDEX, offered, false, readQuery("?from=2021&to=2022")),
    { from: 2020, to: 2021, refused: [{ year: 2022, draft: true }] });
  assert.deepEqual(resolvePair(INDEX, offered, false, readQuery("?from=1999")).refused, [{ year: 1999, draft: false }]);
  // Only `to` given and equal to the default `from`: the pair stays apart.
  assert.deepEqual(resolvePair(INDEX, offered, false, readQuery("?to=2020")), { from: 2021, to: 2020, refused: [] });
});

test("the query string both ways", () => {
  assert.deepEqual(readQuery("?from=2019&to=20x1&standard=dept"), { from: 2019, to: null, standard: "dept" });
  assert.equal(queryFor({ from: 2019, to: 2020, standard: "dept" }, true), "?from=2019&to=2020&standard=dept&draft=1");
  assert.equal(draftHref("?standard=dept", 2021, 2022), "?standard=dept&from=2021&to=2022&draft=1");
});

test("standardOptions: shared standards in the new year's order; a missing one stays, named", () => {
  const [y2019, y2020] = [2019, 2020].map((year) => INDEX.years.find((y) => y.year === year));
  assert.deepEqual(standardOptions(y2020, INDEX.years[0], null),
    { options: [{ id: "dept", label: "部门" }, { id: "street", label: "街道" }], value: "dept" });
  assert.deepEqual(standardOptions(y2019, y2020, "street").options.at(-1), { id: "street", label: "街道（仅 2020 年度有）" });
  assert.deepEqual(standardOptions(y2019, y2020, "nope").options.at(-1), { id: "nope", label: "nope（未找到）" });
});

test("names and links", () => {
  assert.equal(yearName(INDEX, 2022), "2022 年度（草稿）");
  assert.equal(yearLabel(INDEX.years[0], 2021), "2021 年度（现行）");
  assert.equal(standardHref(2019, "dept", "POL-01"), "../2019/dept/#POL-01");
});
