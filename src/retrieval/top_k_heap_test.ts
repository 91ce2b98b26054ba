import assert from "node:assert/strict";
import { compareRanked } from "../eval/mod.ts";
import { TopKHeap } from "./top_k_heap.ts";

Deno.test("TopKHeap keeps the k best in ranking order, ties by document id descending", () => {
  const heap = new TopKHeap(3);
  for (const [score, id] of [[1, "a"], [2, "b"], [2, "d"], [0, "z"], [2, "c"], [1, "y"]] as const) {
    heap.offer(score, id);
  }
  assert.deepEqual(heap.hits(), [
    { docId: "d", score: 2 },
    { docId: "c", score: 2 },
    { docId: "b", score: 2 },
  ]);
  assert.equal(heap.floor, 2);
});

Deno.test("TopKHeap agrees with a full sort on random data with many ties", () => {
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  for (let trial = 0; trial < 50; trial++) {
    const k = 1 + (next() % 12);
    const items = Array.from({ length: 1 + (next() % 60) }, (_, i) => ({
      docId: `d${(next() % 1000).toString().padStart(3, "0")}-${i}`,
      score: (next() % 5) - 2,
    }));
    const heap = new TopKHeap(k);
    for (const item of items) heap.offer(item.score, item.docId);
    assert.deepEqual(heap.hits(), [...items].sort(compareRanked).slice(0, k));
  }
});

Deno.test("TopKHeap rejects k < 1 and NaN scores", () => {
  assert.throws(() => new TopKHeap(0), RangeError);
  const heap = new TopKHeap(2);
  assert.equal(heap.offer(NaN, "x"), false);
  assert.equal(heap.size, 0);
  assert.equal(heap.floor, -Infinity);
});
