/**
 * A tiny random BERT checkpoint with inputs and float64 reference outputs, written as files so
 * an independent implementation (bench/peers/bert_forward.py in PyTorch) can load the same
 * weights and compare its embeddings.
 *
 * Run `deno run --allow-read --allow-write src/models/forward_fixture.ts DIR` to write DIR/:
 * config.json + model.safetensors (a shared-tower dual encoder: HF BERT names), batch.json
 * (`input_ids`, `attention_mask`, `token_type_ids`) and expected.json (`last_hidden_state`,
 * `cls`, `mean`, from bert_reference.ts in float64).
 *
 * @module
 */

import { join } from "node:path";
import type { BertConfig } from "./config.ts";
import { writeFileAtomic } from "../io/mod.ts";
import { referenceForward, referencePool } from "./bert_reference.ts";
import { normalSampler } from "./init.ts";
import { saveModelDir } from "./model_dir.ts";
import { type DualEncoderSpec, initModelWeights } from "./model_spec.ts";

/** Architecture of the fixture model. */
export const FIXTURE_CONFIG: BertConfig = {
  vocabSize: 40,
  hiddenSize: 16,
  numLayers: 2,
  numHeads: 4,
  intermediateSize: 32,
  maxPositions: 16,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
};

/** The fixture's batch: three rows of 7 tokens, two of them right-padded, two segments. */
export const FIXTURE_BATCH = {
  input_ids: [[1, 5, 9, 13, 2, 21, 2], [1, 7, 2, 30, 2, 0, 0], [1, 39, 2, 0, 0, 0, 0]],
  attention_mask: [[1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 0, 0], [1, 1, 1, 0, 0, 0, 0]],
  token_type_ids: [[0, 0, 0, 0, 0, 1, 1], [0, 0, 0, 1, 1, 0, 0], [0, 0, 0, 0, 0, 0, 0]],
} as const;

/** Write the fixture into `dir` (created if needed). Returns the files written. */
export async function writeForwardFixture(dir: string, seed = 7): Promise<string[]> {
  const spec: DualEncoderSpec = {
    kind: "dual",
    towers: { kind: "shared", tower: { encoder: FIXTURE_CONFIG } },
    pooling: "mean",
    similarity: { kind: "dot" },
    queryMaxLength: 16,
    documentMaxLength: 16,
  };
  // Larger than BERT's 0.02 and with LayerNorm/biases jittered, so every term matters.
  const weights = initModelWeights(spec, seed, 0.3);
  const sampler = normalSampler(seed + 1);
  for (const { data } of weights.values()) {
    for (let i = 0; i < data.length; i++) data[i]! += 0.1 * sampler.next();
  }
  await saveModelDir(dir, spec, weights);
  const batch = {
    inputIds: FIXTURE_BATCH.input_ids,
    attentionMask: FIXTURE_BATCH.attention_mask,
    tokenTypeIds: FIXTURE_BATCH.token_type_ids,
  };
  const h = FIXTURE_CONFIG.hiddenSize;
  const hidden = referenceForward(FIXTURE_CONFIG, weights, batch);
  const expected = {
    last_hidden_state: hidden.map((states) =>
      Array.from({ length: states.length / h }, (_, t) => [...states.subarray(t * h, t * h + h)])
    ),
    cls: hidden.map((states, b) => [...referencePool(states, h, batch.attentionMask[b]!, "cls")]),
    mean: hidden.map((states, b) => [
      ...referencePool(states, h, batch.attentionMask[b]!, "mean"),
    ]),
  };
  await writeFileAtomic(join(dir, "batch.json"), JSON.stringify(FIXTURE_BATCH) + "\n");
  await writeFileAtomic(join(dir, "expected.json"), JSON.stringify(expected) + "\n");
  return ["config.json", "model.safetensors", "batch.json", "expected.json"].map((f) =>
    join(dir, f)
  );
}

if (import.meta.main) {
  const dir = Deno.args[0];
  if (dir === undefined) {
    throw new TypeError("Cannot write the forward fixture: pass the output folder as argument");
  }
  await writeForwardFixture(dir);
}
