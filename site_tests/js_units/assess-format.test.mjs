// Unit tests for assess-format.mjs: a draft (the form as filled in) to a gm-assessment/1 document
// and back.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  FORMAT, asNumber, assessmentToDraft, backupFileName, emptyDraft, exportFileName, toAssessment,
} from "../../docs/assets/javascripts/assess-format.mjs";

const PAGE = { standard: "dept", year: 2019, hash: "h".repeat(64) };

function draft(items, organization = { name: " 区某局党组 ", kind: "" }, assessor = { name: "", date: "" }) {
  return { organization, assessor, items };
}

const row = (date, count = "1", note = "", evidence = []) => ({ date, count, note, evidence });

test("toAssessment: the page's standard, trimmed names, no empty assessor", () => {
  const { assessment, incomplete } = toAssessment(draft({}), PAGE);
  assert.deepEqual(assessment, {
    format: FORMAT, standard: "dept", year: 2019, standard_hash: PAGE.hash, organization: { name: "区某局党组" }, items: {},
  });
  assert.equal(incomplete, 0);
});

test("toAssessment: undated rows are left out and counted; refs lead back to the rows and evidence kept", () => {
  const ev = (file, location = "", sha256 = "") => ({ file, location, sha256 });
  const { assessment, refs, incomplete } = toAssessment(draft({
    "POL-01a": [row(""), row("2019-03-01", " 2 ", " 说明 ", [ev(""), ev(" a.pdf ", " 档案室 ", "AB".repeat(32))]), row("2019-04-01", "")],
    "POL-02a": [row("")],
  }), PAGE);
  assert.equal(incomplete, 2);
  assert.deepEqual(assessment.items, {
    "POL-01a": [
      { date: "2019-03-01", count: 2, note: "说明", evidence: [{ file: "a.pdf", location: "档案室", sha256: "ab".repeat(32) }] },
      { date: "2019-04-01" },
    ],
  });
  assert.deepEqual(refs["POL-01a"], [{ index: 1, evidence: [1] }, { index: 2, evidence: [] }]);
  assert.deepEqual(refs["POL-02a"], []);
});

test("asNumber: a number where the text is one, else the text for the scorer to refuse", () => {
  assert.equal(asNumber(" 3 "), 3);
  assert.equal(asNumber("1.5"), 1.5);
  assert.equal(asNumber("三"), "三");
  assert.equal(asNumber("Infinity"), "Infinity");
  assert.equal(asNumber(""), "");
});

test("assessmentToDraft then toAssessment gives the document back (generated documents)", () => {
  let seed = 7;
  const next = (n) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  for (let i = 0; i < 200; i++) {
    const items = {};
    for (let k = 0; k < next(5); k++) {
      items[`ID-${k}`] = Array.from({ length: 1 + next(3) }, (_, j) => {
        const o = { date: `2019-0${1 + next(9)}-1${next(10)}` };
        if (next(2)) o.count = 1 + next(5);
        if (next(2)) o.note = `说明${i}-${j}`;
        if (next(2)) o.evidence = [{ file: `f${j}.pdf`, ...(next(2) ? { location: "柜" } : {}), ...(next(2) ? { sha256: "0".repeat(64) } : {}) }];
        return o;
      });
    }
    const doc = { format: FORMAT, standard: "dept", year: 2019, standard_hash: PAGE.hash, organization: { name: `党组织${i}` }, items };
    if (next(2)) doc.organization.kind = "区直单位";
    if (next(2)) doc.assessor = { name: "张三", date: "2019-12-30" };
    const back = toAssessment(assessmentToDraft(doc), PAGE).assessment;
    const expected = structuredClone(doc);
    for (const rows of Object.values(expected.items)) for (const o of rows) if (!("count" in o)) o.count = 1;
    assert.deepEqual(back, expected);
  }
});

test("names: an export's and a backup's", () => {
  assert.equal(exportFileName("区某局/党组", 2019, "dept", "json"), "自评_区某局_党组_2019年度_dept.json");
  assert.equal(exportFileName("  ", 2019, "dept", "xlsx"), "自评_未填写党组织名称_2019年度_dept.xlsx");
  assert.equal(backupFileName(2019, "dept"), "草稿备份_2019_dept.json");
  assert.deepEqual(emptyDraft(), { organization: {}, assessor: {}, items: {} });
});
