// Unit tests for office-review-model.mjs (the review screen's pure parts), under Node's own runner.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  newId, organizationsOf, recordsFor, reviewDocument, stateOf, withReview,
} from "../../docs/assets/javascripts/office-review-model.mjs";

const BASE = {
  format: "gm-review/1", id: "rev-1", year: 2019, standard: "dept", standard_hash: `sha256:${"a".repeat(64)}`,
  rules_hash: `sha256:${"d".repeat(64)}`, organization: { name: "区某局党组", kind: "区直单位" }, assessment_hash: `sha256:${"b".repeat(64)}`, decisions: [], additions: [],
};

function random(seed) {
  let s = seed;
  return () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
}

test("reviewDocument then stateOf gives back every decision, addition, judgement and team (generated states)", () => {
  const rnd = random(2019);
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  for (let round = 0; round < 300; round += 1) {
    const occurrences = Array.from({ length: Math.floor(rnd() * 6) }, (_, i) => ({ item: pick(["POL-01a", "ORG-01a"]), index: i, date: "2019-03-01", count: 1 }));
    const decisions = occurrences.map((o) => {
      const decision = pick(["", "confirm", "adjust", "reject"]);
      return { item: o.item, index: o.index, decision, count: decision === "adjust" ? 1 + Math.floor(rnd() * 5) : "",
               date: decision === "adjust" && rnd() < 0.5 ? "2019-04-02" : "", reason: decision === "adjust" || decision === "reject" ? `理由${round}` : "" };
    });
    const additions = Array.from({ length: Math.floor(rnd() * 3) }, (_, i) => ({
      id: `add-${i}`, item: "POL-03a", date: "2019-07-15", count: 1 + i, source: "daily", record: rnd() < 0.5 ? "sup-1" : undefined,
      note: rnd() < 0.5 ? "说明" : undefined, evidence: rnd() < 0.5 ? [{ file: "a.pdf", sha256: "c".repeat(64) }] : [],
    }));
    const state = { decisions, additions, qualitative: { level: pick(["", "good", "poor"]), text: "" },
                    related: { 考核: rnd() < 0.5 ? "88" : "" }, team: { leader: "王五", members: "赵六、钱七", date: "2019-12-20" } };
    const review = reviewDocument(BASE, state, "2019-12-20T10:00:00Z");
    assert.equal(review.decisions.length, decisions.filter((d) => d.decision).length);
    for (const d of review.decisions) {
      if (d.decision === "confirm") assert.equal(d.reason, undefined);
      if (d.decision !== "adjust") assert.equal(d.count, undefined);
    }
    const back = stateOf(review, occurrences);
    assert.deepEqual(back.decisions.map((d) => d.decision), decisions.map((d) => d.decision));
    assert.deepEqual(back.decisions.map((d) => d.reason), decisions.map((d) => d.reason));
    assert.deepEqual(back.decisions.filter((d) => d.decision === "adjust").map((d) => d.count),
                     decisions.filter((d) => d.decision === "adjust").map((d) => d.count));
    assert.deepEqual(back.additions.map((a) => [a.id, a.count, a.record]), additions.map((a) => [a.id, a.count, a.record]));
    assert.equal(back.qualitative.level, state.qualitative.level);
    assert.equal(back.team.members, "赵六、钱七");
    assert.deepEqual(reviewDocument(BASE, back, "2019-12-20T10:00:00Z"), review);
    assert.equal(review.assessment_hash, BASE.assessment_hash);
  }
});

test("typed values are passed on, not hidden: a count of 0 or text stays for the scorer to refuse", () => {
  const review = reviewDocument(BASE, { decisions: [{ item: "POL-01a", index: 0, decision: "adjust", count: "0", reason: " " }] });
  assert.equal(review.decisions[0].count, 0);
  assert.equal(review.decisions[0].reason, undefined);
  const related = reviewDocument(BASE, { related: { 考核: "abc" } }).related;
  assert.ok(Number.isNaN(related.考核));
});

test("organizationsOf: roster order first, one entry per name, assessments and reviews attached", () => {
  const workspace = {
    roster: [{ name: "甲", kind: "区直单位" }, { name: "乙" }], plan: { selected: ["乙"] },
    assessments: [{ hash: "h", assessment: { organization: { name: "丙", kind: "街道" } } }, { hash: "h2", assessment: { organization: { name: "甲" } } }],
    reviews: [{ organization: { name: "乙" }, standard: "dept" }], supervision: [],
  };
  const orgs = organizationsOf(workspace);
  assert.deepEqual(orgs.map((o) => o.name), ["甲", "乙", "丙"]);
  assert.equal(orgs[0].assessment.hash, "h2");
  assert.ok(orgs[1].review && orgs[1].selected && !orgs[0].selected);
  assert.deepEqual(organizationsOf(null), []);
});

test("recordsFor: the records naming the organization, deleted ones left out", () => {
  const ws = { supervision: [{ id: "1", organizations: ["甲", "乙"] }, { id: "2", organizations: ["乙"] }, { id: "3", organizations: ["甲"], deleted: true }] };
  assert.deepEqual(recordsFor(ws, "甲").map((r) => r.id), ["1"]);
});

test("withReview replaces the organization's earlier review of the same standard and keeps others", () => {
  const ws = { reviews: [{ id: "old", organization: { name: "甲" }, standard: "dept" }, { id: "x", organization: { name: "乙" }, standard: "dept" }] };
  const next = withReview(ws, { id: "new", organization: { name: "甲" }, standard: "dept", updated: "2019-12-21T00:00:00Z" });
  assert.deepEqual(next.reviews.map((r) => r.id), ["x", "new"]);
  assert.equal(next.updated, "2019-12-21T00:00:00Z");
  assert.equal(ws.reviews.length, 2); // not changed in place
});

test("newId fits the formats' id pattern", () => {
  for (let i = 0; i < 100; i += 1) assert.match(newId("rev"), /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/);
});

test("reviewDocument keeps the whole binding of review_new's document, the year's rules hash included", () => {
  const review = reviewDocument(BASE, { decisions: [], additions: [] }, "2019-12-20T10:00:00Z");
  for (const key of ["format", "id", "year", "standard", "standard_hash", "rules_hash", "organization", "assessment_hash"]) {
    assert.deepEqual(review[key], BASE[key], key);
  }
});
