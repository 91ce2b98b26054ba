import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initEngine } from "../../engine/mod.ts";
import { type CrossEncoderSpec, initModelWeights } from "../architecture.ts";
import { bertForward } from "../bert.ts";
import type { BertConfig } from "../config.ts";
import { createCrossEncoder, crossEncoderForward } from "../cross_encoder.ts";
import { normalSampler } from "../init.ts";
import { disposeParameters } from "../parameters.ts";
import { pool } from "../pooling.ts";
import { bertInputs, type TokenBatch } from "../token_batch.ts";
import { MICRO_BERT } from "../../testing/mod.ts";
import { maskedMeans, OnnxCrossEncoder } from "./cross_encoder.ts";
import { segmentAloneMask } from "../pooling.ts";

const ENCODER: BertConfig = { ...MICRO_BERT, maxPositions: 16 };
const CLS = 1;
const SEP = 2;

const SPECS: readonly CrossEncoderSpec[] = [
  { kind: "cross", encoder: ENCODER, scorer: { kind: "cls" }, maxLength: 16 },
  {
    kind: "cross",
    encoder: ENCODER,
    scorer: { kind: "dual-pooling", includeSpecialTokens: false },
    maxLength: 16,
  },
  {
    kind: "cross",
    encoder: { ...ENCODER, numLayers: 1 },
    scorer: { kind: "dual-pooling", includeSpecialTokens: true },
    maxLength: 16,
  },
];

/** Every tensor perturbed (biases, LayerNorm and head included) so each one matters. */
function randomWeights(spec: CrossEncoderSpec, seed: number) {
  const weights = initModelWeights(spec, seed, 0.3);
  const sampler = normalSampler(seed + 1);
  for (const [, t] of weights) {
    for (let i = 0; i < t.data.length; i++) t.data[i]! += 0.1 * sampler.next();
  }
  return weights;
}

/** Rows `[CLS] q [SEP] d [SEP]` right-padded to one width. */
function pairBatch(pairs: readonly (readonly [number[], number[]])[]): TokenBatch {
  const rows = pairs.map(([q, d]) => ({
    ids: [CLS, ...q, SEP, ...d, SEP],
    types: [0, ...q.map(() => 0), 0, ...d.map(() => 1), 1],
  }));
  const width = Math.max(...rows.map((r) => r.ids.length));
  const pad = (xs: number[], fill: number) => [...xs, ...Array(width - xs.length).fill(fill)];
  return {
    shape: [rows.length, width],
    inputIds: rows.flatMap((r) => pad(r.ids, 0)),
    attentionMask: rows.flatMap((r) => pad(r.ids.map(() => 1), 0)),
    tokenTypeIds: rows.flatMap((r) => pad(r.types, 0)),
  };
}

/** Padded batches of different widths (3 to 16 tokens). */
const BATCHES: readonly TokenBatch[] = [
  pairBatch([[[5, 6, 7], [10, 11]], [[8], [12, 13, 14, 15, 16, 17, 18, 19, 20]], [[9, 9], [3]]]),
  pairBatch([[[4], [21]]]),
  pairBatch([
    [[22, 23, 24, 25, 26, 27], [28, 29, 5, 6, 7, 8]],
    [[11, 12], [13]],
    [[14, 15, 16], [17, 18]],
    [[19], [20, 21, 22, 23]],
  ]),
];

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>, what: string): number {
  assert.equal(a.length, b.length, `${what}: lengths differ`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

async function checkParity(backend: string) {
  for (const [n, spec] of SPECS.entries()) {
    const weights = randomWeights(spec, 60 + n);
    const model = createCrossEncoder(spec, weights);
    const onnx = await OnnxCrossEncoder.create(spec, weights, { session: { intraOpThreads: 1 } });
    try {
      for (const [i, batch] of BATCHES.entries()) {
        const want = crossEncoderForward(model, batch);
        const got = await onnx.run(batch);
        try {
          assert.equal(got.kind, want.kind);
          const where = `${backend}, spec ${n} (${spec.scorer.kind}), batch ${i}`;
          const scores = maxAbsDiff(got.scores, await want.scores.data(), where);
          assert.ok(scores <= 1e-4, `${where}: scores max abs diff ${scores}`);
          // Rows must differ, so a head or segment mistake moves scores beyond float noise.
          if (got.scores.length > 1) {
            const spread = Math.max(...got.scores) - Math.min(...got.scores);
            assert.ok(spread > 1e-3, `${where}: flat scores (spread ${spread})`);
          }
          if (got.kind === "dual-pooling" && want.kind === "dual-pooling") {
            const q = maxAbsDiff(got.queryEmbeddings, await want.queryEmbeddings.data(), where);
            const d = maxAbsDiff(
              got.documentEmbeddings,
              await want.documentEmbeddings.data(),
              where,
            );
            assert.ok(q <= 1e-4 && d <= 1e-4, `${where}: embeddings max abs diff ${q}, ${d}`);
          }
        } finally {
          tf.dispose(Object.values(want).filter((x): x is tf.Tensor => x instanceof tf.Tensor));
        }
      }
    } finally {
      disposeParameters(model.params);
      await onnx.close();
    }
  }
}

Deno.test("ONNX cross-encoder matches tfjs crossEncoderForward (cpu backend)", async () => {
  await tf.setBackend("cpu");
  await checkParity("tfjs cpu");
});

Deno.test("ONNX cross-encoder matches tfjs crossEncoderForward (engine: wasm + kernels)", async () => {
  const engine = await initEngine({ backend: "wasm", threads: 1 });
  await checkParity(`tfjs ${engine.backend} (${engine.kernelsPatched.join(", ") || "stock"})`);
});

Deno.test("ONNX cross-encoder rejects rows longer than its positions, as tfjs does", async () => {
  const spec = SPECS[0]!;
  const onnx = await OnnxCrossEncoder.create(spec, randomWeights(spec, 80), {
    session: { intraOpThreads: 1 },
  });
  try {
    const long = pairBatch([[[5, 6, 7, 8, 9], Array.from({ length: 10 }, (_, i) => 10 + i)]]);
    assert.equal(long.shape[1], 18);
    await assert.rejects(
      () => onnx.run(long),
      /Cannot encode 18 tokens: the model has 16 positions/,
    );
  } finally {
    await onnx.close();
  }
});

Deno.test("segmentAloneMask keeps one segment, without its special tokens unless asked", () => {
  // [CLS] [SEP] d d [SEP] pad, then [CLS] q q [SEP] pad pad
  const rows: TokenBatch = {
    shape: [2, 6],
    inputIds: [1, 2, 7, 8, 2, 0, 1, 5, 6, 2, 0, 0],
    attentionMask: [1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 0],
    tokenTypeIds: [0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0],
  };
  const documents = { ...rows, shape: [1, 6] as const, ...slice(rows, 0) };
  const queries = { ...rows, shape: [1, 6] as const, ...slice(rows, 1) };
  assert.deepEqual(Array.from(segmentAloneMask(documents, 1, false)), [0, 0, 1, 1, 0, 0]);
  assert.deepEqual(Array.from(segmentAloneMask(documents, 1, true)), [0, 0, 1, 1, 1, 0]);
  assert.deepEqual(Array.from(segmentAloneMask(queries, 0, false)), [0, 1, 1, 0, 0, 0]);
  assert.deepEqual(Array.from(segmentAloneMask(queries, 0, true)), [1, 1, 1, 1, 0, 0]);
  assert.throws(() => segmentAloneMask(queries, 1, true), /document of row 0/);
});

function slice(rows: TokenBatch, row: number) {
  const [, s] = rows.shape;
  const part = (xs: ArrayLike<number>) => Array.from(xs).slice(row * s, (row + 1) * s);
  return {
    inputIds: part(rows.inputIds),
    attentionMask: part(rows.attentionMask),
    tokenTypeIds: part(rows.tokenTypeIds!),
  };
}

Deno.test("maskedMeans averages the weighted tokens of each row", () => {
  const hidden = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]); // [2, 3, 2]
  const got = maskedMeans(hidden, Float32Array.from([1, 0, 1, 0, 1, 0]), [2, 3, 2]);
  assert.deepEqual(Array.from(got), [3, 4, 9, 10]);
  assert.throws(() => maskedMeans(hidden, new Float32Array(5), [2, 3, 2]), TypeError);
});

Deno.test("ONNX segmentAlone matches the tfjs mean over the segment's tokens", async () => {
  await tf.setBackend("cpu");
  const spec = SPECS[1]!;
  const weights = randomWeights(spec, 70);
  const model = createCrossEncoder(spec, weights);
  const onnx = await OnnxCrossEncoder.create(spec, weights, { session: { intraOpThreads: 1 } });
  try {
    const documents: TokenBatch = {
      shape: [2, 7],
      inputIds: [CLS, SEP, 10, 11, SEP, 0, 0, CLS, SEP, 12, 13, 14, 15, SEP],
      attentionMask: [1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1],
      tokenTypeIds: [0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1],
    };
    const queries: TokenBatch = {
      shape: [3, 5],
      inputIds: [CLS, 5, 6, 7, SEP, CLS, 8, SEP, 0, 0, CLS, 9, 9, SEP, 0],
      attentionMask: [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0],
      tokenTypeIds: new Array(15).fill(0),
    };
    for (const [rows, segment] of [[documents, 1], [queries, 0]] as const) {
      for (const special of [false, true]) {
        const mask = segmentAloneMask(rows, segment, special);
        const want = tf.tidy(() =>
          pool(
            bertForward(spec.encoder, model.params, bertInputs(rows, spec.encoder)),
            tf.tensor2d(mask, [...rows.shape]),
            "mean",
          )
        );
        const got = await onnx.segmentAlone(rows, segment, special);
        const diff = maxAbsDiff(got, await want.data(), `segment ${segment}`);
        want.dispose();
        assert.ok(diff <= 1e-4, `segment ${segment}, special ${special}: max abs diff ${diff}`);
      }
    }
    // Defaults to the scorer's includeSpecialTokens (false here).
    const byDefault = await onnx.segmentAlone(documents, 1);
    assert.deepEqual(byDefault, await onnx.segmentAlone(documents, 1, false));
  } finally {
    disposeParameters(model.params);
    await onnx.close();
  }
});
