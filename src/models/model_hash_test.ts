import assert from "node:assert/strict";
import type { BertConfig } from "./config.ts";
import { modelHash } from "./model_hash.ts";
import { initModelWeights, type ModelSpec } from "./architecture.ts";
import { MICRO_BERT } from "../testing/mod.ts";

const ENCODER: BertConfig = { ...MICRO_BERT, vocabSize: 20, numLayers: 1 };

const SPEC: ModelSpec = {
  kind: "dual",
  towers: { kind: "shared", tower: { encoder: ENCODER } },
  pooling: "mean",
  similarity: { kind: "dot" },
  queryMaxLength: 8,
  documentMaxLength: 12,
};

Deno.test("modelHash: equal for equal models, different when a weight, the seed or the spec changes", () => {
  const weights = initModelWeights(SPEC, 1);
  const hash = modelHash(SPEC, weights);
  assert.match(hash, /^[0-9a-f]{64}$/);
  assert.equal(modelHash(SPEC, initModelWeights(SPEC, 1)), hash);
  assert.notEqual(modelHash(SPEC, initModelWeights(SPEC, 2)), hash);
  assert.notEqual(modelHash({ ...SPEC, pooling: "cls" }, weights), hash);
  const [name, tensor] = [...weights][0]!;
  const changed = new Map(weights);
  const data = tensor.data.slice();
  data[0] = data[0]! + 1e-7;
  changed.set(name, { shape: tensor.shape, data });
  assert.notEqual(modelHash(SPEC, changed), hash);
});
