import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { topKByInnerProduct } from "./top_k.ts";

await tf.setBackend("cpu");

Deno.test("topKByInnerProduct: hand-computed top documents per query, k capped by the corpus", () => {
  const queries = { count: 2, dims: 2, vectors: Float32Array.from([1, 0, 0, 1]) };
  const documents = { count: 3, dims: 2, vectors: Float32Array.from([3, 1, 1, 2, 2, 5]) };
  // Query (1, 0): scores 3, 1, 2; query (0, 1): scores 1, 2, 5.
  assert.deepEqual(topKByInnerProduct(queries, documents, 2), [
    { indices: [0, 2], scores: [3, 2] },
    { indices: [2, 1], scores: [5, 2] },
  ]);
  assert.equal(topKByInnerProduct(queries, documents, 10)[0]!.indices.length, 3);
  assert.throws(
    () => topKByInnerProduct({ count: 1, dims: 3, vectors: new Float32Array(3) }, documents, 1),
    /3 dims, documents 2/,
  );
});
