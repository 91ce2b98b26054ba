import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { candidateLists } from "./candidates.ts";
import { mineHardNegatives, type TrainingExample } from "../train/mod.ts";

await tf.setBackend("cpu");

const EXAMPLES: TrainingExample[] = [
  { query: 0, positive: 0 },
  { query: 0, positive: 1 },
  { query: 1, positive: 2 },
];
const RELEVANT = new Map([[0, new Set([0, 1])], [1, new Set([2])]]);
const DOCUMENTS = [
  "apple banana cherry", // 0: relevant to query 0
  "apple pie", // 1: relevant to query 0
  "engine oil", // 2: relevant to query 1
  "apple banana smoothie", // 3
  "banana bread", // 4
  "engine repair manual", // 5
  "river stone", // 6
  "quiet evening", // 7
];
const QUERIES = ["apple banana", "engine"];

Deno.test("random candidates: k distinct non-relevant documents per query, seeded", async () => {
  const inputs = { examples: EXAMPLES, relevant: RELEVANT, documentCount: DOCUMENTS.length };
  const a = await candidateLists(inputs, 4, { kind: "random", seed: 5 });
  const b = await candidateLists(inputs, 4, { kind: "random", seed: 5 });
  const c = await candidateLists(inputs, 4, { kind: "random", seed: 6 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.map((e) => e.negatives), c.map((e) => e.negatives));
  for (const e of a) {
    assert.equal(e.negatives!.length, 4);
    assert.equal(new Set(e.negatives).size, 4);
    for (const d of e.negatives!) assert.ok(!RELEVANT.get(e.query)!.has(d) && d < 8);
  }
  assert.deepEqual(a[0]!.negatives, a[1]!.negatives); // one list per query
  assert.deepEqual(
    (await candidateLists(inputs, 0, { kind: "random", seed: 1 }))[0]!.negatives,
    [],
  );
  await assert.rejects(() => candidateLists(inputs, 7, { kind: "random", seed: 1 }), RangeError);
});

Deno.test("bm25 candidates rank by BM25, skip relevant documents and top up at random", async () => {
  const inputs = {
    examples: EXAMPLES,
    relevant: RELEVANT,
    documentCount: DOCUMENTS.length,
    texts: { queries: QUERIES, documents: DOCUMENTS },
  };
  const lists = await candidateLists(inputs, 3, { kind: "bm25" });
  // Query 0 shares terms with 3 (apple + banana) and 4 (banana) only: then one random top-up.
  assert.deepEqual(lists[0]!.negatives!.slice(0, 2), [3, 4]);
  assert.ok(![0, 1, 3, 4].includes(lists[0]!.negatives![2]!));
  // Query 1 ("engine") matches 5 after skipping its positive 2.
  assert.equal(lists[2]!.negatives![0], 5);
  assert.equal(new Set(lists[2]!.negatives).size, 3);
  await assert.rejects(
    () =>
      candidateLists({ examples: EXAMPLES, relevant: RELEVANT, documentCount: 8 }, 3, {
        kind: "bm25",
      }),
    TypeError,
  );
});

Deno.test("embedding candidates are the first stage's top non-relevant documents", async () => {
  const queries = { count: 2, dims: 2, vectors: Float32Array.from([1, 0, 0, 1]) };
  const documents = {
    count: 8,
    dims: 2,
    vectors: Float32Array.from([9, 0, 8, 0, 0, 9, 7, 1, 6, 2, 1, 8, 0, 1, 3, 3]),
  };
  const lists = await candidateLists(
    { examples: EXAMPLES, relevant: RELEVANT, documentCount: 8 },
    2,
    { kind: "embeddings", queries, documents },
  );
  assert.deepEqual(lists[0]!.negatives, [3, 4]); // scores 7, 6 after the relevant 9, 8
  assert.deepEqual(lists[2]!.negatives, [5, 7]); // 8, 3 after the relevant 9
  assert.deepEqual(
    lists,
    mineHardNegatives(EXAMPLES, queries, documents, RELEVANT, 2),
  );
});

Deno.test("mixed candidates share k over first stages, each drawn from its own top depth", async () => {
  const queries = { count: 2, dims: 2, vectors: Float32Array.from([1, 0, 0, 1]) };
  const documents = {
    count: 8,
    dims: 2,
    vectors: Float32Array.from([9, 0, 8, 0, 0, 9, 7, 1, 6, 2, 1, 8, 0, 1, 3, 3]),
  };
  const inputs = {
    examples: EXAMPLES,
    relevant: RELEVANT,
    documentCount: DOCUMENTS.length,
    texts: { queries: QUERIES, documents: DOCUMENTS },
  };
  const embeddings = { kind: "embeddings", queries, documents } as const;
  const mix = { kind: "mix", stages: [{ kind: "bm25" }, embeddings], depth: 2, seed: 5 } as const;
  const lists = await candidateLists(inputs, 3, mix);
  const bm25Top = (await candidateLists(inputs, 2, { kind: "bm25" }))[0]!.negatives!;
  const embeddingTop = (await candidateLists(inputs, 2, embeddings))[0]!.negatives!;
  const first = lists[0]!.negatives!;
  // 3 = 1 from BM25's top 2, then 2 from the embeddings' top 2 not drawn yet, topped up at random.
  assert.equal(first.length, 3);
  assert.equal(new Set(first).size, 3);
  assert.ok(bm25Top.includes(first[0]!), `${first} vs BM25 ${bm25Top}`);
  const pool = embeddingTop.filter((d) => d !== first[0]);
  assert.deepEqual(first.slice(1, 1 + pool.length).sort(), [...pool].sort());
  for (const e of lists) {
    assert.ok(e.negatives!.every((d) => !RELEVANT.get(e.query)!.has(d)));
  }
  assert.deepEqual(await candidateLists(inputs, 3, mix), lists);
  await assert.rejects(() => candidateLists(inputs, 3, { ...mix, stages: [] }), RangeError);
});
