// Unit tests for office-application-model.mjs (the results application pages' pure parts), under Node's own runner.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  PARTS, appendedRecords, applicationFor, applicationOf, localDate, progressOf, sliceFor, withEntry, withEvents,
} from "../../docs/assets/javascripts/office-application-model.mjs";

function random(seed) {
  let s = seed;
  return () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
}

/** A generated workspace: organizations with files, records naming one or several, application records. */
function generated(rnd, size) {
  const names = Array.from({ length: size }, (_, i) => `党组织${i}`);
  const pick = () => names[Math.floor(rnd() * names.length)];
  const application = Object.fromEntries(PARTS.map((p) => [p, []]));
  for (let i = 0; i < size * 3; i += 1) {
    const part = PARTS[Math.floor(rnd() * (PARTS.length - 1))];
    application[part].push({ id: `${part}-${i}`, organization: pick() });
  }
  for (const item of application.items) application.events.push({ id: `e-${item.id}`, item: item.id });
  return {
    format: "gm-workspace/1", year: 2019,
    roster: names.map((name) => ({ name })),
    plan: { selected: names.filter(() => rnd() < 0.5) },
    assessments: names.filter(() => rnd() < 0.8).map((name) => ({ hash: "h", assessment: { organization: { name } } })),
    reviews: names.filter(() => rnd() < 0.5).map((name) => ({ id: `rev-${name}`, organization: { name } })),
    supervision: Array.from({ length: size * 2 }, (_, i) => ({ id: `sup-${i}`, organizations: [pick(), pick()], deleted: rnd() < 0.1 })),
    related: Object.fromEntries(names.filter(() => rnd() < 0.5).map((name) => [name, { 考核: 90 }])),
    application,
  };
}

test("sliceFor keeps exactly what concerns the organization, and every such thing (generated workspaces)", () => {
  const rnd = random(16);
  for (let round = 0; round < 100; round += 1) {
    const ws = generated(rnd, 1 + Math.floor(rnd() * 8));
    for (const { name } of ws.roster) {
      const s = sliceFor(ws, name);
      assert.deepEqual(s.roster, [{ name }]);
      assert.deepEqual(s.assessments, ws.assessments.filter((a) => a.assessment.organization.name === name));
      assert.deepEqual(s.reviews, ws.reviews.filter((r) => r.organization.name === name));
      assert.deepEqual(s.supervision, ws.supervision.filter((r) => !r.deleted && r.organizations.includes(name)));
      assert.deepEqual(s.plan.selected, ws.plan.selected.includes(name) ? [name] : []);
      assert.deepEqual(Object.keys(s.related), name in ws.related ? [name] : []);
      for (const part of PARTS.filter((p) => p !== "events")) {
        assert.deepEqual(s.application[part], ws.application[part].filter((e) => e.organization === name));
      }
      const items = new Set(s.application.items.map((i) => i.id));
      assert.deepEqual(s.application.events, ws.application.events.filter((e) => items.has(e.item)));
      assert.equal(s.format, ws.format);
      assert.equal(s.year, ws.year);
    }
  }
});

test("a workspace from before #16 reads as an empty application part; a related result named __proto__ is a name", () => {
  const old = { format: "gm-workspace/1", year: 2019, roster: [{ name: "__proto__" }], plan: { selected: [] }, assessments: [], supervision: [], reviews: [], related: {} };
  assert.deepEqual(applicationOf(old), Object.fromEntries(PARTS.map((p) => [p, []])));
  assert.deepEqual(sliceFor(old, "__proto__").related, {});
  assert.deepEqual(applicationFor(applicationOf(old), "x").events, []);
});

test("withEntry and withEvents append, never replace, and leave the original untouched", () => {
  const ws = generated(random(3), 4);
  const before = JSON.stringify(ws);
  for (const part of PARTS) {
    const next = withEntry(ws, part, { id: "new" }, "2020-01-01T00:00:00Z");
    assert.deepEqual(next.application[part], [...ws.application[part], { id: "new" }]);
    assert.equal(next.updated, "2020-01-01T00:00:00Z");
  }
  assert.throws(() => withEntry(ws, "roster", {}));
  const next = withEvents(ws, [{ id: "a" }, { id: "b" }]);
  assert.deepEqual(next.application.events.slice(-2), [{ id: "a" }, { id: "b" }]);
  assert.equal(JSON.stringify(ws), before);
});

test("progressOf drops items without a status and empty fields, keeps the rest trimmed", () => {
  const progress = progressOf({ reported: " 2020-02-12 ", contact: " ", rows: [
    { id: "a", status: "", done: "2020-01-01", note: "x", evidence: [] },
    { id: "b", status: "done", done: "2020-02-10", note: "  已完成 ", evidence: [{ file: "f.pdf", location: "", sha256: "AB".repeat(32) }, { file: " ", sha256: "" }] },
    { id: "c", status: "in-progress", done: "", note: "", evidence: [{}] },
  ] });
  assert.deepEqual(progress, { reported: "2020-02-12", items: [
    { id: "b", status: "done", done: "2020-02-10", note: "已完成", evidence: [{ file: "f.pdf", sha256: "ab".repeat(32) }] },
    { id: "c", status: "in-progress" },
  ] });
});

test("localDate is the browser's calendar date", () => {
  assert.equal(localDate(new Date(2020, 0, 5, 23, 59)), "2020-01-05");
  assert.equal(localDate(new Date(2019, 11, 31, 0, 0)), "2019-12-31");
});

test("appendedRecords finds what withEntry and withEvents append, and nothing else passes for an append (generated workspaces)", () => {
  const rnd = random(16);
  let checked = 0;
  for (let n = 0; n < 30; n += 1) {
    const before = generated(rnd, 1 + Math.floor(rnd() * 8));
    const part = PARTS[Math.floor(rnd() * PARTS.length)];
    const one = withEntry(before, part, { id: `new-${n}`, organization: "党组织0" });
    assert.deepEqual(appendedRecords(before, one), { [part]: [{ id: `new-${n}`, organization: "党组织0" }] });
    const events = [{ id: `ev-a-${n}`, item: "x" }, { id: `ev-b-${n}`, item: "y" }];
    const two = withEvents(one, events);
    assert.deepEqual(appendedRecords(one, two), { events });
    assert.deepEqual(appendedRecords(before, two), part === "events"
      ? { events: [{ id: `new-${n}`, organization: "党组织0" }, ...events] } : { [part]: [{ id: `new-${n}`, organization: "党组织0" }], events });
    // anything but an append: a changed earlier record, a removed one, another part changed, no time
    if (applicationOf(before)[part].length) {
      const list = applicationOf(one)[part];
      const edited = { ...one, application: { ...one.application, [part]: [{ ...list[0], id: "edited" }, ...list.slice(1)] } };
      assert.equal(appendedRecords(before, edited), null);
      assert.equal(appendedRecords(before, { ...one, application: { ...one.application, [part]: list.slice(1) } }), null);
      checked += 1;
    }
    assert.equal(appendedRecords(before, { ...one, reviews: [...before.reviews] }), null);
    assert.equal(appendedRecords(before, { ...one, roster: JSON.parse(JSON.stringify(before.roster)) }), null);
    assert.equal(appendedRecords(before, { ...one, updated: undefined }), null);
    assert.equal(appendedRecords(before, { ...one, application: { ...one.application, extra: [] } }), null);
  }
  assert.ok(checked > 10, checked);
  // a workspace from before #16 (no application part) takes appended records too
  const old = generated(random(3), 3);
  delete old.application;
  assert.deepEqual(appendedRecords(old, withEntry(old, "items", { id: "i1", organization: "党组织1" })), { items: [{ id: "i1", organization: "党组织1" }] });
});
