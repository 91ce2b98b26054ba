import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { pairSimilarity, similarityMatrix } from "./similarity.ts";

await tf.setBackend("cpu");
tf.env().set("PROD", true);

Deno.test("dot and scaled cosine similarities match hand-computed values", () => {
  tf.tidy(() => {
    const q = tf.tensor2d([[3, 4], [1, 0]]);
    const d = tf.tensor2d([[0, 2], [6, 8], [0, 0]]);
    assert.deepEqual(similarityMatrix({ kind: "dot" }, q, d).arraySync(), [[8, 50, 0], [0, 6, 0]]);
    const cos = similarityMatrix({ kind: "cosine", scale: 10 }, q, d).arraySync();
    const expected = [[8, 10, 0], [0, 6, 0]];
    cos.flat().forEach((v, i) => assert(Math.abs(v - expected.flat()[i]!) < 1e-5, `${v}`));
    const pairs = pairSimilarity({ kind: "cosine", scale: 2 }, q, d.slice([0, 0], [2, 2]));
    pairs.dataSync().forEach((v, i) => assert(Math.abs(v - [1.6, 1.2][i]!) < 1e-6));
    assert.deepEqual([...pairSimilarity({ kind: "dot" }, q, d.slice([0, 0], [2, 2])).dataSync()], [
      8,
      6,
    ]);
  });
});
