/**
 * Tests of the relevance rules on a hand-built plan (grades worked out by hand).
 *
 * @module
 */

import assert from "node:assert/strict";
import { judge } from "./judge.ts";
import type { DocPlan, QueryPlan } from "./plan.ts";

const doc = (a: number, b: number, sides: number[], relation = -1): DocPlan => ({
  topic: 0,
  a,
  b,
  relation,
  answer: "",
  sides,
  origin: "background",
});
const docs: DocPlan[] = [
  doc(1, 2, [7]), // 0: about the pair
  doc(2, 1, [], 3), // 1: about the pair, roles reversed
  doc(1, 5, [2]), // 2: about concept 1, mentions 2 in passing
  doc(5, 6, [1, 2]), // 3: mentions both, about neither
  doc(1, 5, [6]), // 4: about concept 1 only
  doc(1, 2, [], 4), // 5: about the pair, other relation
  doc(1, 2, [], 3), // 6: about the pair, asked relation
];
const query: QueryPlan = { topic: 0, a: 1, b: 2, relation: 3, answer: "x" };

Deno.test("judge: generic grades pair documents 2, passing mentions 1", () => {
  const got = judge({ kind: "generic" }, [query], docs)[0]!;
  assert.deepEqual(
    got.sort((x, y) => x.doc - y.doc),
    [
      { doc: 0, grade: 2 },
      { doc: 1, grade: 2 },
      { doc: 2, grade: 1 },
      { doc: 5, grade: 2 },
      { doc: 6, grade: 2 },
    ],
  );
});

Deno.test("judge: msmarco is binary on the concept pair", () => {
  const got = judge({ kind: "msmarco" }, [query], docs)[0]!.map((j) => j.doc).sort();
  assert.deepEqual(got, [0, 1, 5, 6]);
});

Deno.test("judge: nq needs the same roles and relation", () => {
  const got = judge({ kind: "nq" }, [query], docs)[0]!;
  assert.deepEqual(got, [{ doc: 6, grade: 1 }]);
});
