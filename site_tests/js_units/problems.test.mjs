// Unit tests for problems.mjs: the scorer's problems in words, the same on every page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FIELD_NAMES, describeProblem, pointer, where } from "../../docs/assets/javascripts/problems.mjs";

test("pointer: RFC 6901 unescaping, [] for the whole document", () => {
  assert.deepEqual(pointer(""), []);
  assert.deepEqual(pointer(undefined), []);
  assert.deepEqual(pointer("/items/A~1B~0C/0"), ["items", "A/B~C", "0"]);
});

test("pointer: any key survives an escape and back", () => {
  const keys = ["", "~", "/", "~1", "a/b~c", "__proto__", "POL-01a", "~0~1//"];
  for (const key of keys) {
    const escaped = "/" + key.replace(/~/g, "~0").replace(/\//g, "~1");
    assert.deepEqual(pointer(escaped), [key]);
  }
});

test("where: an occurrence's field, its evidence, the organization and the assessor", () => {
  assert.equal(where({ path: "/items/POL-02a/0/count" }), "POL-02a 第 1 次记录的次数");
  assert.equal(where({ path: "/items/POL-02a/3" }), "POL-02a 第 4 次记录");
  assert.equal(where({ path: "/items/POL-02a/0/evidence/1/sha256" }), "POL-02a 第 1 次记录的第 2 份佐证材料的校验值");
  assert.equal(where({ path: "/items/POL-02a/0/evidence/1" }), "POL-02a 第 1 次记录的第 2 份佐证材料");
  assert.equal(where({ path: "/organization/kind" }), "党组织类别");
  assert.equal(where({ path: "/organization/name" }), "党组织名称");
  assert.equal(where({ path: "/assessor/date" }), "自评日期");
  assert.equal(where({ path: "/assessor/name" }), "自评人");
  assert.equal(where({ path: "/organizations/2/name" }), "党组织名单 第 3 项 名称");
});

test("where: a rectification list's array of items, alone or in a feedback file, is counted, not read as item ids", () => {
  assert.equal(where({ path: "/items/0/hash" }), "记录 第 1 项 内容哈希");
  assert.equal(where({ path: "/items/2/id" }), "记录 第 3 项 id");
  assert.equal(where({ path: "/rectification/organization" }), "整改清单 党组织");
  assert.equal(where({ path: "/rectification/items/1/item/problem" }), "整改清单 记录 第 2 项 整改事项 问题编号");
  assert.equal(where({ path: "/items/POL-02a/0/count" }), "POL-02a 第 1 次记录的次数"); // an assessment's, as before
});

test("where: a place in the text wins over a path; the whole file is \"\"", () => {
  assert.equal(where({ path: "/items", line: 3, column: 2 }), "第 3 行第 2 列");
  assert.equal(where({ line: 7 }), "第 7 行");
  assert.equal(where({ path: "" }), "");
});

test("where: a user's key is a key, never Object's prototype", () => {
  for (const key of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
    assert.equal(where({ path: `/${key}` }), key);
    assert.equal(where({ path: `/items/X/0/${key}` }), "X 第 1 次记录");
  }
});

test("describeProblem: place and message; the whole file is named only where the page asks", () => {
  assert.equal(describeProblem({ path: "/year", message: "应为整数" }), "年度：应为整数");
  assert.equal(describeProblem({ path: "", message: "不是有效的 JSON" }), "不是有效的 JSON");
  assert.equal(describeProblem({ path: "", message: "不是有效的 JSON" }, "文件"), "文件：不是有效的 JSON");
  assert.equal(describeProblem({ path: "/items/A/0/date", line: 2, column: 5, message: "重复的键" }, "文件"), "第 2 行第 5 列：重复的键");
});

test("FIELD_NAMES: every name is Chinese", () => {
  for (const [key, name] of Object.entries(FIELD_NAMES)) assert.match(name, /^[\u4e00-\u9fff]+$/, key);
});
