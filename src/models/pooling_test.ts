import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { pool, segmentMasks } from "./pooling.ts";

await tf.setBackend("cpu");
tf.env().set("PROD", true);

Deno.test("pool: cls takes token 0, mean averages the weighted tokens", () => {
  tf.tidy(() => {
    const hidden = tf.tensor3d([[[1, 2], [3, 4], [100, 100]], [[0, 0], [2, 2], [4, 8]]]);
    const mask = tf.tensor2d([[1, 1, 0], [1, 1, 1]]);
    assert.deepEqual(pool(hidden, mask, "cls").arraySync(), [[1, 2], [0, 0]]);
    assert.deepEqual(pool(hidden, mask, "mean").arraySync(), [
      [2, 3],
      [2, 10 / 3].map(Math.fround),
    ]);
  });
});

Deno.test("segmentMasks splits [CLS] q [SEP] d [SEP] rows, with or without special tokens", () => {
  const batch = {
    shape: [2, 7] as const,
    inputIds: [1, 5, 6, 2, 7, 8, 2, 1, 5, 2, 7, 2, 0, 0],
    attentionMask: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0],
    tokenTypeIds: [0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 0, 0],
  };
  const without = segmentMasks(batch, false);
  assert.deepEqual([...without.query], [0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
  assert.deepEqual([...without.document], [0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0]);
  const withSpecial = segmentMasks(batch, true);
  assert.deepEqual([...withSpecial.query], [1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0]);
  assert.deepEqual([...withSpecial.document], [0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 0, 0]);
  assert.throws(
    () => segmentMasks({ ...batch, tokenTypeIds: new Array(14).fill(0) }, false),
    /row 0 of a cross-encoder batch: its document segment has no tokens/,
  );
});
