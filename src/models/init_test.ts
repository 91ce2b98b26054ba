import assert from "node:assert/strict";
import type { BertConfig } from "./config.ts";
import { bertParameterShapes } from "./bert_names.ts";
import { initBertWeights, normalSampler } from "./init.ts";
import { MICRO_BERT } from "../testing/mod.ts";

const CONFIG: BertConfig = { ...MICRO_BERT, maxPositions: 10 };

Deno.test("initBertWeights uses Hugging Face names, PyTorch layouts and BERT init", () => {
  const weights = initBertWeights(CONFIG, 7, { pooler: true });
  assert.equal(weights.size, 5 + 16 * 2 + 2);
  assert.deepEqual(weights.get("encoder.layer.1.intermediate.dense.weight")!.shape, [16, 8]);
  assert.deepEqual(weights.get("encoder.layer.1.output.dense.weight")!.shape, [8, 16]);
  assert.deepEqual(weights.get("pooler.dense.weight")!.shape, [8, 8]);
  assert(weights.get("embeddings.LayerNorm.weight")!.data.every((v) => v === 1));
  assert(weights.get("encoder.layer.0.output.LayerNorm.bias")!.data.every((v) => v === 0));
  assert(weights.get("encoder.layer.0.attention.self.query.bias")!.data.every((v) => v === 0));
  const word = weights.get("embeddings.word_embeddings.weight")!.data;
  const mean = word.reduce((a, b) => a + b, 0) / word.length;
  const std = Math.sqrt(word.reduce((a, b) => a + (b - mean) ** 2, 0) / word.length);
  assert(Math.abs(mean) < 0.005 && Math.abs(std - 0.02) < 0.003, `mean ${mean}, std ${std}`);
  assert.deepEqual([...weights.keys()].slice(0, 37), [...bertParameterShapes(CONFIG).keys()]);
});

Deno.test("the same seed gives the same weights; another seed does not", () => {
  const a = initBertWeights(CONFIG, 1).get("encoder.layer.0.attention.self.key.weight")!.data;
  const b = initBertWeights(CONFIG, 1).get("encoder.layer.0.attention.self.key.weight")!.data;
  const c = initBertWeights(CONFIG, 2).get("encoder.layer.0.attention.self.key.weight")!.data;
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

Deno.test("normalSampler draws standard normal numbers", () => {
  const sampler = normalSampler(42);
  const n = 20000;
  let sum = 0;
  let squares = 0;
  let beyond2 = 0;
  for (let i = 0; i < n; i++) {
    const x = sampler.next();
    sum += x;
    squares += x * x;
    if (Math.abs(x) > 2) beyond2++;
  }
  assert(Math.abs(sum / n) < 0.03);
  assert(Math.abs(squares / n - 1) < 0.04);
  assert(Math.abs(beyond2 / n - 0.0455) < 0.008); // P(|Z| > 2) = 0.0455
});
