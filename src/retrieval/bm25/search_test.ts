/**
 * Tests of BM25 scoring: hand-computed values, agreement with the full-scan reference on a random
 * corpus, tie order, and parameter checks.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { Document } from "../../data/mod.ts";
import { buildBm25Index } from "./inverted_index.ts";
import { Bm25Scan } from "./scan.ts";
import { bm25Idf, Bm25Searcher } from "./search.ts";

const close = (a: number, b: number, tol = 1e-12) =>
  assert.ok(Math.abs(a - b) <= tol, `${a} differs from ${b}`);

Deno.test("bm25Idf is Lucene's ln(1 + (N - df + 0.5) / (df + 0.5))", () => {
  close(bm25Idf(3, 1), Math.log(1 + 2.5 / 1.5));
  close(bm25Idf(3, 1), 0.9808292530117262);
  close(bm25Idf(10, 10), Math.log(1 + 0.5 / 10.5)); // positive even when every doc has the term
});

Deno.test("Bm25Searcher scores a tiny corpus as computed by hand", async () => {
  // d1 = "apple apple pie" (3 tokens), d2 = "apple tart" (2), d3 = "cherry pie" (2): avgdl 7/3.
  const docs: Document[] = [
    { id: "d1", title: "apple", text: "apple pie" },
    { id: "d2", title: "", text: "apple tart" },
    { id: "d3", title: "cherry", text: "pie" },
  ];
  const index = await buildBm25Index(docs);
  assert.deepEqual([...index.docLengths], [3, 2, 2]);
  close(index.averageLength, 7 / 3);
  const searcher = new Bm25Searcher(index, { k1: 1.2, b: 0.75 });
  // Query "apple": df = 2, idf = ln(1 + 1.5 / 2.5) = ln 1.6.
  // d1: tf 2, dl 3: 2 * 2.2 / (2 + 1.2 * (1/4 + 3/4 * 9/7)) = 4.4 / (2 + 1.2 * 17/14) = 30.8 / 24.2
  // d2: tf 1, dl 2: 2.2 / (1 + 1.2 * (1/4 + 3/4 * 6/7)) = 2.2 / (1 + 1.2 * 25/28) = 30.8 / 29
  const idf = Math.log(1.6);
  const hits = searcher.search("Apple apple", 10);
  assert.deepEqual(hits.map((h) => h.docId), ["d1", "d2"]);
  close(hits[0]!.score, idf * 30.8 / 24.2);
  close(hits[1]!.score, idf * 30.8 / 29);
  assert.deepEqual(searcher.search("banana", 10), []);
  const textOnly = await buildBm25Index(docs, { fields: "text" });
  assert.deepEqual([...textOnly.docLengths], [2, 2, 1]);
  assert.deepEqual(new Bm25Searcher(textOnly).search("cherry", 10), []);
});

Deno.test("Bm25Searcher breaks score ties by document id descending", async () => {
  const docs: Document[] = ["b", "c", "a"].map((id) => ({ id, title: "", text: "same words" }));
  const searcher = new Bm25Searcher(await buildBm25Index(docs));
  assert.deepEqual(searcher.search("words", 2).map((h) => h.docId), ["c", "b"]);
});

/** Deterministic pseudo-random corpus (LCG) over a small vocabulary, so terms repeat. */
function randomCorpus(n: number, seed: number): Document[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const vocab = Array.from({ length: 60 }, (_, i) => `w${i}`);
  const word = () => vocab[Math.floor(next() ** 2 * vocab.length)]!;
  return Array.from({ length: n }, (_, i) => ({
    id: `doc${(i * 7919) % n}`,
    title: Array.from({ length: 1 + Math.floor(next() * 4) }, word).join(" "),
    text: Array.from({ length: 5 + Math.floor(next() * 40) }, word).join(" "),
  }));
}

Deno.test("Bm25Searcher equals the full-scan reference on a random corpus", async () => {
  const docs = randomCorpus(400, 42);
  const index = await buildBm25Index(docs);
  const scan = new Bm25Scan(docs);
  for (const params of [{ k1: 0.9, b: 0.4 }, { k1: 1.5, b: 1 }, { k1: 0, b: 0 }]) {
    const searcher = new Bm25Searcher(index, params);
    for (let q = 0; q < 30; q++) {
      const query = randomCorpus(1, 1000 + q)[0]!.title + " w0 w5";
      const got = searcher.search(query, 20);
      const want = scan.search(query, 20, params);
      assert.deepEqual(got.map((h) => h.docId), want.map((h) => h.docId), query);
      got.forEach((h, i) => close(h.score, want[i]!.score, 1e-9));
    }
  }
});

Deno.test("Bm25Searcher refuses bad parameters and the builder repeated ids", async () => {
  const index = await buildBm25Index([{ id: "x", title: "", text: "y" }]);
  assert.throws(() => new Bm25Searcher(index, { k1: -1, b: 0.5 }), RangeError);
  assert.throws(() => new Bm25Searcher(index, { k1: 1, b: 1.5 }), /BM25 b "1.5"/);
  await assert.rejects(
    buildBm25Index([{ id: "x", title: "", text: "y" }, { id: "x", title: "", text: "z" }]),
    /Cannot index document "x" twice/,
  );
});
