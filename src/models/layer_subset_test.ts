import assert from "node:assert/strict";
import type { BertConfig, NamedTensor } from "./config.ts";
import { bertParameterShapes } from "./bert_names.ts";
import { MICRO_BERT, referenceForward } from "../testing/mod.ts";
import { initBertWeights } from "./init.ts";
import { selectLayers } from "./layer_subset.ts";

const TEACHER: BertConfig = {
  ...MICRO_BERT,
  vocabSize: 20,
  numLayers: 4,
  intermediateSize: 12,
  maxPositions: 8,
};

Deno.test("layers [0, 3] of 4 become layers 0 and 1, everything else copied", () => {
  const teacher = initBertWeights(TEACHER, 1);
  const { config, weights } = selectLayers(TEACHER, teacher, [0, 3]);
  assert.equal(config.numLayers, 2);
  assert.deepEqual(new Set(weights.keys()), new Set(bertParameterShapes(config).keys()));
  const name = (l: number) => `encoder.layer.${l}.attention.self.query.weight`;
  assert.equal(weights.get(name(0)), teacher.get(name(0)));
  assert.equal(weights.get(name(1)), teacher.get(name(3)));
  assert.equal(
    weights.get("embeddings.word_embeddings.weight"),
    teacher.get("embeddings.word_embeddings.weight"),
  );
});

Deno.test("a student of all layers in order computes what the teacher computes", () => {
  const teacher = initBertWeights(TEACHER, 2, { std: 0.3 });
  const prefixed = new Map<string, NamedTensor>(
    [...teacher].map(([n, t]) => [`query.bert.${n}`, t]),
  );
  prefixed.set("query.projection.weight", { shape: [1], data: new Float32Array([1]) });
  const { config, weights } = selectLayers(TEACHER, prefixed, [0, 1, 2, 3], "query.");
  assert.ok(weights.has("query.projection.weight"));
  const batch = { inputIds: [[1, 5, 7, 2]], attentionMask: [[1, 1, 1, 0]] };
  assert.deepEqual(
    referenceForward(config, weights, batch, "query."),
    referenceForward(TEACHER, teacher, batch),
  );
  // Dropping the last layer changes the output.
  const shallow = selectLayers(TEACHER, teacher, [0, 1, 2]);
  assert.notDeepEqual(
    referenceForward(shallow.config, shallow.weights, batch),
    referenceForward(TEACHER, teacher, batch),
  );
});

Deno.test("rejects empty, repeated and out-of-range layer lists", () => {
  const teacher = initBertWeights(TEACHER, 1);
  assert.throws(() => selectLayers(TEACHER, teacher, []), /list of layers is empty/);
  assert.throws(() => selectLayers(TEACHER, teacher, [1, 1]), /layer 1 twice/);
  assert.throws(() => selectLayers(TEACHER, teacher, [4]), /expected an integer in \[0, 4\)/);
});
