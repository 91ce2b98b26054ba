import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import type { BertConfig, NamedTensor, NamedTensors } from "./config.ts";
import { createCrossEncoder, type CrossEncoder } from "./cross_encoder.ts";
import {
  loadModelDir,
  MODEL_FILES,
  saveModelDir,
  specFromConfigJson,
  specToConfigJson,
} from "./model_dir.ts";
import { initModelWeights, type ModelSpec } from "./architecture.ts";
import { createDualEncoder, type DualEncoder, embed } from "./dual_encoder.ts";
import { disposeParameters, fromVariables } from "./parameters.ts";
import { readSafetensorsFile } from "./safetensors.ts";
import { MICRO_BERT } from "../testing/mod.ts";

await tf.setBackend("cpu");
tf.env().set("PROD", true);

const ENCODER: BertConfig = MICRO_BERT;

const SPECS: readonly ModelSpec[] = [
  {
    kind: "dual",
    towers: { kind: "shared", tower: { encoder: ENCODER } },
    pooling: "mean",
    similarity: { kind: "dot" },
    queryMaxLength: 8,
    documentMaxLength: 12,
  },
  {
    kind: "dual",
    towers: {
      kind: "separate",
      query: { encoder: { ...ENCODER, numLayers: 1 }, projectionDim: 4 },
      document: { encoder: ENCODER, projectionDim: 4 },
    },
    pooling: "cls",
    similarity: { kind: "cosine", scale: 20 },
    queryMaxLength: 8,
    documentMaxLength: 12,
  },
  { kind: "cross", encoder: ENCODER, scorer: { kind: "cls" }, maxLength: 12 },
  {
    kind: "cross",
    encoder: ENCODER,
    scorer: { kind: "dual-pooling", includeSpecialTokens: true },
    maxLength: 12,
  },
];

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("config.json carries HF BERT fields and the embeddistill section; specs round-trip", () => {
  for (const spec of SPECS) {
    const json = JSON.parse(JSON.stringify(specToConfigJson(spec)));
    assert.equal(json.model_type, "bert");
    assert.equal(json.hidden_size, 8);
    assert.deepEqual(specFromConfigJson(json), spec);
  }
});

Deno.test("model directories round-trip specs and weights bit-exactly, no temp files left", async () => {
  await withTempDir(async (root) => {
    for (const [i, spec] of SPECS.entries()) {
      const dir = join(root, `m${i}`);
      const weights = initModelWeights(spec, i);
      await saveModelDir(dir, spec, weights);
      const back = await loadModelDir(dir);
      assert.deepEqual(back.spec, spec);
      assert.deepEqual(new Set(back.weights.keys()), new Set(weights.keys()));
      for (const [name, t] of weights) assert.deepEqual(back.weights.get(name)!.data, t.data);
      const files = [];
      for await (const entry of Deno.readDir(dir)) files.push(entry.name);
      assert.deepEqual(files.sort(), [MODEL_FILES.config, MODEL_FILES.weights]);
      const { metadata } = await readSafetensorsFile(join(dir, MODEL_FILES.weights));
      assert.deepEqual(metadata, { format: "pt" });
    }
  });
});

/** The tfjs model a spec describes. */
function createModel(spec: ModelSpec, weights: NamedTensors): DualEncoder | CrossEncoder {
  return spec.kind === "dual"
    ? createDualEncoder(spec, weights)
    : createCrossEncoder(spec, weights);
}

Deno.test("a tfjs model saves and loads to the same embeddings", async () => {
  await withTempDir(async (dir) => {
    const spec = SPECS[1]!;
    const model = createModel(spec, initModelWeights(spec, 9, 0.3));
    await saveModelDir(dir, model.spec, fromVariables(model.params));
    const stored = await loadModelDir(dir);
    const loaded = createModel(stored.spec, stored.weights);
    try {
      assert(model.kind === "dual" && loaded.kind === "dual");
      const batch = {
        shape: [1, 4] as const,
        inputIds: [1, 7, 9, 2],
        attentionMask: [1, 1, 1, 1],
      };
      const a = tf.tidy(() => embed(model, "query", batch).arraySync());
      const b = tf.tidy(() => embed(loaded, "query", batch).arraySync());
      assert.deepEqual(a, b);
    } finally {
      disposeParameters(model.params);
      disposeParameters(loaded.params);
    }
  });
});

Deno.test("loads HF task-model names (bert. prefix) and ignores extra tensors", () => {
  const spec = SPECS[2]!;
  const weights = initModelWeights(spec, 4);
  const hf = new Map<string, NamedTensor>();
  for (const [name, t] of weights) hf.set(name.startsWith("classifier") ? name : `bert.${name}`, t);
  hf.set("cls.predictions.bias", { shape: [30], data: new Float32Array(30) });
  const model = createModel(spec, hf);
  try {
    assert.equal(model.params.size, weights.size);
    assert(model.params.has("pooler.dense.weight"));
  } finally {
    disposeParameters(model.params);
  }
});

Deno.test("bad configs and missing tensors give clear errors", async () => {
  const json = specToConfigJson(SPECS[0]!);
  assert.throws(
    () =>
      specFromConfigJson({
        ...json,
        embeddistill: { ...(json.embeddistill as object), pooling: "max" },
      }),
    /Cannot read "embeddistill.pooling" of config.json: expected "cls" or "mean", found "max"/,
  );
  assert.throws(() => specFromConfigJson({ model_type: "bert" }), /not an embeddistill model/);
  const weights = initModelWeights(SPECS[0]!, 1);
  weights.delete("encoder.layer.1.output.dense.bias");
  await withTempDir(async (dir) => {
    await assert.rejects(
      () => saveModelDir(dir, SPECS[0]!, weights),
      /Cannot find tensor "encoder.layer.1.output.dense.bias"/,
    );
  });
});
