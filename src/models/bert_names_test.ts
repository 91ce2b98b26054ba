import assert from "node:assert/strict";
import type { BertConfig, NamedTensor } from "./config.ts";
import { bertParameterShapes, findTensor, takeTensors } from "./bert_names.ts";
import { initBertWeights } from "./init.ts";
import { MICRO_BERT } from "../testing/mod.ts";

const CONFIG: BertConfig = {
  ...MICRO_BERT,
  vocabSize: 10,
  hiddenSize: 4,
  numLayers: 1,
  intermediateSize: 8,
  maxPositions: 6,
};

Deno.test("bertParameterShapes lists HF BertModel names with PyTorch [out, in] layouts", () => {
  const shapes = bertParameterShapes(CONFIG);
  assert.equal(shapes.size, 5 + 16);
  assert.deepEqual(shapes.get("embeddings.word_embeddings.weight"), [10, 4]);
  assert.deepEqual(shapes.get("embeddings.position_embeddings.weight"), [6, 4]);
  assert.deepEqual(shapes.get("encoder.layer.0.attention.self.value.weight"), [4, 4]);
  assert.deepEqual(shapes.get("encoder.layer.0.intermediate.dense.weight"), [8, 4]);
  assert.deepEqual(shapes.get("encoder.layer.0.output.dense.weight"), [4, 8]);
  assert.deepEqual(shapes.get("encoder.layer.0.output.LayerNorm.bias"), [4]);
});

Deno.test("findTensor accepts bare, bert.-prefixed, tower-prefixed and gamma/beta names", () => {
  const t: NamedTensor = { shape: [4], data: new Float32Array(4) };
  assert.equal(
    findTensor(new Map([["embeddings.LayerNorm.weight", t]]), "embeddings.LayerNorm.weight"),
    t,
  );
  assert.equal(
    findTensor(new Map([["bert.embeddings.LayerNorm.weight", t]]), "embeddings.LayerNorm.weight"),
    t,
  );
  assert.equal(
    findTensor(new Map([["bert.embeddings.LayerNorm.gamma", t]]), "embeddings.LayerNorm.weight"),
    t,
  );
  assert.equal(
    findTensor(new Map([["q.embeddings.LayerNorm.beta", t]]), "embeddings.LayerNorm.bias", "q."),
    t,
  );
  assert.equal(
    findTensor(new Map([["embeddings.LayerNorm.weight", t]]), "embeddings.LayerNorm.weight", "q."),
    undefined,
  );
});

Deno.test("takeTensors names the missing tensor and the wrong shape", () => {
  const weights = new Map(initBertWeights(CONFIG, 1));
  weights.delete("encoder.layer.0.attention.self.key.bias");
  assert.throws(
    () => takeTensors(weights, bertParameterShapes(CONFIG), "", '"x.safetensors"'),
    new RangeError(
      'Cannot find tensor "encoder.layer.0.attention.self.key.bias" (or "bert.encoder.layer.0.attention.self.key.bias") in "x.safetensors"',
    ),
  );
  weights.set("encoder.layer.0.attention.self.key.bias", { shape: [5], data: new Float32Array(5) });
  assert.throws(
    () => takeTensors(weights, bertParameterShapes(CONFIG)),
    /"encoder.layer.0.attention.self.key.bias" of weights: expected shape \[4\], found \[5\]/,
  );
});
