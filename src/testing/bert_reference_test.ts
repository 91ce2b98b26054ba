import assert from "node:assert/strict";
import { type BertConfig, initBertWeights, type NamedTensor } from "../models/mod.ts";
import {
  referenceForward,
  referenceLayerNorm,
  referenceLinear,
  referencePool,
} from "./bert_reference.ts";
import { MICRO_BERT } from "./tiny_configs.ts";

const CONFIG: BertConfig = { ...MICRO_BERT, vocabSize: 20, intermediateSize: 12, maxPositions: 16 };

Deno.test("referenceLinear computes x W^T + b with W stored [out, in]", () => {
  // x = [[1, 2]], W = [[1, 0], [3, -1], [0.5, 0.5]], b = [0, 1, -1]
  const y = referenceLinear(new Float64Array([1, 2]), 1, 2, [1, 0, 3, -1, 0.5, 0.5], [0, 1, -1], 3);
  assert.deepEqual([...y], [1, 2, 0.5]);
});

Deno.test("referenceLayerNorm uses the biased variance and eps inside the root", () => {
  // x = [1, 2, 3, 6]: mean 3, variance (4 + 1 + 0 + 9) / 4 = 3.5
  const x = referenceLayerNorm(
    new Float64Array([1, 2, 3, 6]),
    1,
    4,
    [1, 1, 2, 1],
    [0, 0, 0, 1],
    0.5,
  );
  const inv = 1 / Math.sqrt(4);
  assert.deepEqual([...x], [-2 * inv, -1 * inv, 0, 3 * inv + 1]);
});

Deno.test("referencePool: cls takes token 0, mean averages masked tokens", () => {
  const hidden = new Float64Array([1, 2, 3, 4, 100, 100]);
  assert.deepEqual([...referencePool(hidden, 2, [1, 1, 0], "cls")], [1, 2]);
  assert.deepEqual([...referencePool(hidden, 2, [1, 1, 0], "mean")], [2, 3]);
  assert.throws(() => referencePool(hidden, 2, [0, 0, 0], "mean"), RangeError);
});

Deno.test("padding neither changes nor depends on the padded tokens", () => {
  const weights = initBertWeights(CONFIG, 1);
  const short = referenceForward(CONFIG, weights, {
    inputIds: [[2, 7, 5]],
    attentionMask: [[1, 1, 1]],
  })[0]!;
  const padded = referenceForward(CONFIG, weights, {
    inputIds: [[2, 7, 5, 0, 0], [2, 7, 5, 9, 13]],
    attentionMask: [[1, 1, 1, 0, 0], [1, 1, 1, 0, 0]],
  });
  for (const row of padded) {
    for (let i = 0; i < short.length; i++) assert(Math.abs(row[i]! - short[i]!) < 1e-12);
  }
});

Deno.test("without position embeddings the encoder is permutation-equivariant", () => {
  const weights = new Map<string, NamedTensor>(initBertWeights(CONFIG, 2, { std: 0.5 }));
  const pos = weights.get("embeddings.position_embeddings.weight")!;
  weights.set("embeddings.position_embeddings.weight", {
    ...pos,
    data: new Float32Array(pos.data.length),
  });
  const [a, b] = referenceForward(CONFIG, weights, {
    inputIds: [[3, 4, 11], [11, 3, 4]],
    attentionMask: [[1, 1, 1], [1, 1, 1]],
    tokenTypeIds: [[0, 1, 1], [1, 0, 1]],
  });
  const h = CONFIG.hiddenSize;
  const permutation = [1, 2, 0]; // token t of a is token permutation[t] of b
  let spread = 0;
  for (let t = 0; t < 3; t++) {
    for (let i = 0; i < h; i++) {
      assert(Math.abs(a![t * h + i]! - b![permutation[t]! * h + i]!) < 1e-12);
      spread = Math.max(spread, Math.abs(a![t * h + i]! - a![i]!));
    }
  }
  assert(spread > 1e-3, "tokens must differ, or the test proves nothing");
});

Deno.test("accepts bert.-prefixed names and rejects out-of-range ids", () => {
  const weights = initBertWeights(CONFIG, 3);
  const prefixed = new Map([...weights].map(([name, t]) => [`bert.${name}`, t]));
  const batch = { inputIds: [[1, 2]], attentionMask: [[1, 1]] };
  assert.deepEqual(
    referenceForward(CONFIG, prefixed, batch),
    referenceForward(CONFIG, weights, batch),
  );
  assert.throws(
    () => referenceForward(CONFIG, weights, { inputIds: [[20]], attentionMask: [[1]] }),
    RangeError,
  );
});
