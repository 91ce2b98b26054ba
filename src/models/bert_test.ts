import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { BertConfig } from "./config.ts";
import { attentionBias, bertForward } from "./bert.ts";
import { referenceForward, TINY_BERT, toReferenceBatch } from "../testing/mod.ts";
import { initBertWeights } from "./init.ts";
import { disposeParameters, toVariables } from "./parameters.ts";
import { bertInputs, type TokenBatch } from "./token_batch.ts";

await tf.setBackend("cpu");
tf.env().set("PROD", true);

const CONFIG: BertConfig = { ...TINY_BERT, numLayers: 3, maxPositions: 12 };

/** A random batch with right padding: row lengths between 1 and seq. */
function randomBatch(rows: number, seq: number, seed: number): TokenBatch {
  let state = seed;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const inputIds = new Int32Array(rows * seq);
  const attentionMask = new Int32Array(rows * seq);
  const tokenTypeIds = new Int32Array(rows * seq);
  for (let r = 0; r < rows; r++) {
    const length = r === 0 ? seq : 1 + Math.floor(next() * seq);
    for (let t = 0; t < length; t++) {
      inputIds[r * seq + t] = 1 + Math.floor(next() * (CONFIG.vocabSize - 1));
      attentionMask[r * seq + t] = 1;
      tokenTypeIds[r * seq + t] = next() < 0.5 ? 0 : 1;
    }
  }
  return { shape: [rows, seq], inputIds, attentionMask, tokenTypeIds };
}

Deno.test("tfjs BERT matches the float64 reference (several lengths, padding)", () => {
  const weights = initBertWeights(CONFIG, 11, { std: 0.2 });
  const params = toVariables(weights);
  try {
    for (const [rows, seq, seed] of [[4, 7, 1], [3, 12, 2], [2, 1, 3]] as const) {
      const batch = randomBatch(rows, seq, seed);
      const hidden = tf.tidy(() => bertForward(CONFIG, params, bertInputs(batch)));
      const got = hidden.dataSync();
      hidden.dispose();
      const expected = referenceForward(CONFIG, weights, toReferenceBatch(batch));
      let maxDiff = 0;
      expected.forEach((row, r) => {
        for (let i = 0; i < row.length; i++) {
          maxDiff = Math.max(maxDiff, Math.abs(got[r * row.length + i]! - row[i]!));
        }
      });
      assert(maxDiff < 1e-5, `max abs diff ${maxDiff} for ${rows}x${seq}`);
    }
  } finally {
    disposeParameters(params);
  }
});

Deno.test("attentionBias is 0 for tokens and MASK_BIAS for padding, shaped [B, 1, 1, S]", () => {
  tf.tidy(() => {
    const bias = attentionBias(tf.tensor2d([[1, 1, 0]]));
    assert.deepEqual(bias.shape, [1, 1, 1, 3]);
    assert.deepEqual([...bias.dataSync()].map((v) => v + 0), [0, 0, -1e9]);
  });
});

Deno.test("bertForward rejects sequences longer than the position table", () => {
  const params = toVariables(initBertWeights(CONFIG, 1));
  try {
    assert.throws(
      () => tf.tidy(() => bertForward(CONFIG, params, bertInputs(randomBatch(1, 13, 1)))),
      /Cannot encode 13 tokens: the model has 12 positions/,
    );
  } finally {
    disposeParameters(params);
  }
});
