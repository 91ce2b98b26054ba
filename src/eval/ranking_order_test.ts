import assert from "node:assert/strict";
import { compareRanked, type Scored } from "./ranking_order.ts";

Deno.test("compareRanked orders by score descending, then document id descending", () => {
  const docs: Scored[] = [
    { docId: "d1", score: 1 },
    { docId: "d3", score: 2 },
    { docId: "d10", score: 2 },
    { docId: "d2", score: 2 },
    { docId: "d9", score: -1 },
  ];
  const ordered = [...docs].sort(compareRanked).map((d) => d.docId);
  // "d3" > "d2" > "d10" as strings (trec_eval's strcmp), so ties are d3, d2, d10.
  assert.deepEqual(ordered, ["d3", "d2", "d10", "d1", "d9"]);
});

Deno.test("compareRanked is zero only for the same id and score", () => {
  assert.equal(compareRanked({ docId: "a", score: 1 }, { docId: "a", score: 1 }), 0);
  assert.ok(compareRanked({ docId: "a", score: 1 }, { docId: "b", score: 1 }) > 0);
  assert.ok(compareRanked({ docId: "a", score: 1.5 }, { docId: "b", score: 1 }) < 0);
});
