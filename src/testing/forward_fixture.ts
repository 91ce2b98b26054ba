/**
 * A tiny random BERT checkpoint with inputs and float64 reference outputs, written as files so
 * an independent implementation (bench/peers/bert_forward.py in PyTorch) can load the same
 * weights and compare its embeddings.
 *
 * Run `deno run --allow-read --allow-write src/testing/forward_fixture.ts DIR` to write DIR/:
 * config.json + model.safetensors (a shared-tower dual encoder: HF BERT names), batch.json
 * (`input_ids`, `attention_mask`, `token_type_ids`) and expected.json (`last_hidden_state`,
 * `cls`, `mean`, from bert_reference.ts in float64).
 *
 * @module
 */

import { join } from "node:path";
import { writeFileAtomic } from "../io/mod.ts";
import {
  type BertConfig,
  type DualEncoderSpec,
  initModelWeights,
  normalSampler,
  saveModelDir,
} from "../models/mod.ts";
import { referenceForward, referencePool } from "./bert_reference.ts";
import { TINY_BERT } from "./tiny_configs.ts";

/** Architecture of the fixture model. */
export const FIXTURE_CONFIG: BertConfig = {
  ...TINY_BERT,
  vocabSize: 40,
  intermediateSize: 32,
  maxPositions: 16,
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

/** The reference outputs of the fixture (expected.json), as written by {@link writeForwardFixture}. */
export interface ForwardFixtureExpected {
  /** Final hidden states [batch][token][hidden]. */
  readonly last_hidden_state: number[][][];
  /** `cls` pooling [batch][hidden]. */
  readonly cls: number[][];
  /** `mean` pooling over the attention mask [batch][hidden]. */
  readonly mean: number[][];
}

/** Write the fixture into a temporary folder, run `fn` on it and its outputs, then remove it. */
export async function withForwardFixture(
  fn: (dir: string, expected: ForwardFixtureExpected) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "embeddistill-forward-fixture-" });
  try {
    await writeForwardFixture(dir);
    const text = await Deno.readTextFile(join(dir, "expected.json"));
    await fn(dir, JSON.parse(text) as ForwardFixtureExpected);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const dir = Deno.args[0];
  if (dir === undefined) {
    throw new TypeError("Cannot write the forward fixture: pass the output folder as argument");
  }
  await writeForwardFixture(dir);
}
