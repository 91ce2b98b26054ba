import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initEngine } from "../../engine/mod.ts";
import { createDualEncoder, embed } from "../dual_encoder.ts";
import { type DualEncoderSpec, initModelWeights } from "../architecture.ts";
import { OnnxEncoder } from "./encoder.ts";
import { exportDualEncoderTower } from "./encoder_export.ts";
import { normalSampler } from "../init.ts";
import { randomTokenIds, TINY_BERT } from "../../testing/mod.ts";
import { disposeParameters } from "../parameters.ts";

const SPECS: readonly DualEncoderSpec[] = [
  {
    kind: "dual",
    towers: { kind: "shared", tower: { encoder: TINY_BERT, projectionDim: 8 } },
    pooling: "mean",
    similarity: { kind: "cosine", scale: 20 },
    queryMaxLength: 12,
    documentMaxLength: 24,
  },
  {
    kind: "dual",
    towers: {
      kind: "separate",
      query: { encoder: { ...TINY_BERT, numLayers: 1 } },
      document: { encoder: TINY_BERT },
    },
    pooling: "cls",
    similarity: { kind: "dot" },
    queryMaxLength: 12,
    documentMaxLength: 24,
  },
];

/** Every tensor perturbed (biases and LayerNorm included) so each one matters. */
function randomWeights(spec: DualEncoderSpec, seed: number) {
  const weights = initModelWeights(spec, seed, 0.2);
  const sampler = normalSampler(seed + 1);
  for (const [, t] of weights) {
    for (let i = 0; i < t.data.length; i++) t.data[i]! += 0.1 * sampler.next();
  }
  return weights;
}

async function checkParity(backend: string) {
  for (const [n, spec] of SPECS.entries()) {
    const weights = randomWeights(spec, 30 + n);
    const model = createDualEncoder(spec, weights);
    const dir = await Deno.makeTempDir();
    try {
      for (const side of ["query", "document"] as const) {
        const sideDir = `${dir}/${side}`;
        await exportDualEncoderTower(sideDir, spec, weights, side);
        const lengths = side === "query" ? [4, 12, 1, 7] : [24, 3, 16, 9, 2];
        const sequences = randomTokenIds(TINY_BERT.vocabSize, lengths, 40 + n);
        const seq = Math.max(...lengths);
        const ids = sequences.flatMap((s) => [...s, ...Array(seq - s.length).fill(0)]);
        const mask = sequences.flatMap((s) =>
          Array.from({ length: seq }, (_, t) => +(t < s.length))
        );
        const expected = tf.tidy(() => {
          const e = embed(model, side, {
            shape: [lengths.length, seq],
            inputIds: ids,
            attentionMask: mask,
          });
          return spec.similarity.kind === "cosine" ? tf.div(e, tf.norm(e, 2, 1, true)) : e;
        });
        const want = await expected.data();
        expected.dispose();
        const encoder = await OnnxEncoder.load(sideDir, { session: { intraOpThreads: 1 } });
        try {
          const got = side === "query"
            ? await encoder.encodeQueries(sequences, { batchSize: 2 })
            : await encoder.encodeDocuments(sequences, { batchSize: 2 });
          assert.equal(got.vectors.length, want.length);
          let max = 0;
          for (let i = 0; i < want.length; i++) {
            max = Math.max(max, Math.abs(got.vectors[i]! - want[i]!));
          }
          assert.ok(max < 1e-4, `${backend}, spec ${n}, ${side}: max abs diff ${max}`);
        } finally {
          await encoder.close();
        }
      }
    } finally {
      disposeParameters(model.params);
      await Deno.remove(dir, { recursive: true });
    }
  }
}

Deno.test("ONNX export of each tower matches the tfjs dual encoder (cpu backend)", async () => {
  await tf.setBackend("cpu");
  await checkParity("tfjs cpu");
});

Deno.test("ONNX export of each tower matches the tfjs dual encoder (engine: wasm + kernels)", async () => {
  const engine = await initEngine({ backend: "wasm", threads: 1 });
  await checkParity(`tfjs ${engine.backend} (${engine.kernelsPatched.join(", ") || "stock"})`);
});
