/**
 * Acceptance checks of the tfjs models against the float64 reference: forward parity and, for
 * every parameter tensor, the tfjs gradient of a scalar loss against central finite differences
 * (>= 20 random coordinates per tensor, |g - g_fd| <= 1e-3 max(1, |g_fd|)), on stock tfjs cpu and
 * on the engine's default backend (wasm + the project's kernels).
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { BertConfig, NamedTensor } from "./config.ts";
import { crossEncoderForward } from "./cross_encoder.ts";
import { embed, scoreBatches } from "./dual_encoder.ts";
import { initEngine } from "../engine/mod.ts";
import {
  type CrossEncoderSpec,
  type DualEncoderSpec,
  initModelWeights,
  modelParameterShapes,
  type ModelSpec,
} from "./architecture.ts";
import {
  checkGradients,
  MICRO_BERT,
  type ReferenceBatch,
  referenceCrossForward,
  referenceEmbed,
  referenceScoreBatches,
  type ReferenceTensor,
  toReferenceBatch,
} from "../testing/mod.ts";
import { normalSampler } from "./init.ts";
import { disposeParameters, toVariables } from "./parameters.ts";
import type { TokenBatch } from "./token_batch.ts";

tf.env().set("PROD", true);

const ENCODER: BertConfig = {
  ...MICRO_BERT,
  vocabSize: 20,
  intermediateSize: 12,
  maxPositions: 10,
};
const SMALL: BertConfig = { ...ENCODER, hiddenSize: 6, numLayers: 1, intermediateSize: 10 };

/** Rows of (ids, segment ids), right-padded with id 0 to `seq`. */
function batchOf(rows: ReadonlyArray<readonly [number[], number[]?]>, seq: number): TokenBatch {
  const n = rows.length;
  const inputIds = new Int32Array(n * seq);
  const attentionMask = new Int32Array(n * seq);
  const tokenTypeIds = new Int32Array(n * seq);
  rows.forEach(([ids, types], r) => {
    ids.forEach((id, t) => {
      inputIds[r * seq + t] = id;
      attentionMask[r * seq + t] = 1;
      tokenTypeIds[r * seq + t] = types?.[t] ?? 0;
    });
  });
  return { shape: [n, seq], inputIds, attentionMask, tokenTypeIds };
}

// [CLS] = 1, [SEP] = 2, padding = 0.
const QUERIES = batchOf([[[1, 5, 7, 9, 2]], [[1, 4, 2]], [[1, 11, 12, 2]]], 5);
const DOCUMENTS = batchOf([[[1, 13, 14, 15, 16, 2]], [[1, 17, 2]], [[1, 18, 19, 3, 2]]], 6);
const PAIRS = batchOf([
  [[1, 5, 6, 2, 7, 8, 9, 2], [0, 0, 0, 0, 1, 1, 1, 1]],
  [[1, 4, 2, 10, 11, 2], [0, 0, 0, 1, 1, 1]],
  [[1, 3, 9, 12, 2, 13, 2], [0, 0, 0, 0, 0, 1, 1]],
], 8);

type Weights = ReadonlyMap<string, ReferenceTensor>;

interface Case {
  readonly name: string;
  readonly spec: ModelSpec;
  /** The scalar loss in tfjs (inside a gradient function). */
  readonly tfLoss: (params: ReadonlyMap<string, tf.Tensor>) => tf.Scalar;
  /** The same loss in float64. */
  readonly referenceLoss: (weights: Weights) => number;
  /** Forward outputs to compare: tfjs values and reference values, flattened. */
  readonly outputs: (
    params: ReadonlyMap<string, tf.Tensor>,
    weights: Weights,
  ) => [number[], number[]];
}

/** In-batch softmax cross-entropy with the diagonal as positives (mean over rows). */
function inBatchSoftmaxTf(scores: tf.Tensor2D): tf.Scalar {
  const diagonal = tf.sum(tf.mul(scores, tf.eye(scores.shape[0])), 1);
  return tf.mean(tf.sub(tf.logSumExp(scores, 1), diagonal));
}

function logSumExp(values: readonly number[]): number {
  const max = Math.max(...values);
  return max + Math.log(values.reduce((a, v) => a + Math.exp(v - max), 0));
}

function inBatchSoftmaxReference(scores: readonly (readonly number[])[]): number {
  return scores.reduce((a, row, i) => a + logSumExp(row) - row[i]!, 0) / scores.length;
}

function dualCase(name: string, spec: DualEncoderSpec): Case {
  const q = toReferenceBatch(QUERIES);
  const d = toReferenceBatch(DOCUMENTS);
  return {
    name,
    spec,
    tfLoss: (params) => inBatchSoftmaxTf(scoreBatches({ spec, params }, QUERIES, DOCUMENTS)),
    referenceLoss: (w) => inBatchSoftmaxReference(referenceScoreBatches(spec, w, q, d)),
    outputs: (params, w) => {
      const got = tf.tidy(() => [
        ...embed({ spec, params }, "query", QUERIES).dataSync(),
        ...embed({ spec, params }, "document", DOCUMENTS).dataSync(),
        ...scoreBatches({ spec, params }, QUERIES, DOCUMENTS).dataSync(),
      ]);
      const expected = [
        ...referenceEmbed(spec, w, "query", q).flatMap((e) => [...e]),
        ...referenceEmbed(spec, w, "document", d).flatMap((e) => [...e]),
        ...referenceScoreBatches(spec, w, q, d).flat(),
      ];
      return [got, expected];
    },
  };
}

function crossCase(name: string, spec: CrossEncoderSpec): Case {
  const rows: ReferenceBatch = toReferenceBatch(PAIRS);
  // Listwise softmax over the batch with row 0 as the positive, plus the scores' sum (softmax
  // alone is blind to the classifier bias) and the embeddings' sum (dual pooling).
  return {
    name,
    spec,
    tfLoss: (params) => {
      const out = crossEncoderForward({ spec, params }, PAIRS);
      let loss = tf.add(
        tf.sub(tf.logSumExp(out.scores), tf.slice(out.scores, [0], [1]).reshape([])),
        tf.mul(0.05, tf.sum(out.scores)),
      );
      if (out.kind === "dual-pooling") {
        loss = tf.add(
          loss,
          tf.mul(0.1, tf.sum(tf.sub(out.queryEmbeddings, out.documentEmbeddings))),
        );
      }
      return loss as tf.Scalar;
    },
    referenceLoss: (w) => {
      const out = referenceCrossForward(spec, w, rows);
      let loss = logSumExp(out.scores) - out.scores[0]! +
        0.05 * out.scores.reduce((a, v) => a + v, 0);
      out.queryEmbeddings?.forEach((qe, b) => {
        const de = out.documentEmbeddings![b]!;
        for (let i = 0; i < qe.length; i++) loss += 0.1 * (qe[i]! - de[i]!);
      });
      return loss;
    },
    outputs: (params, w) => {
      const out = crossEncoderForward({ spec, params }, PAIRS);
      const got = [...out.scores.dataSync()];
      out.scores.dispose();
      if (out.kind === "dual-pooling") {
        got.push(...out.queryEmbeddings.dataSync(), ...out.documentEmbeddings.dataSync());
        out.queryEmbeddings.dispose();
        out.documentEmbeddings.dispose();
      }
      const ref = referenceCrossForward(spec, w, rows);
      const expected = [
        ...ref.scores,
        ...(ref.queryEmbeddings ?? []).flatMap((e) => [...e]),
        ...(ref.documentEmbeddings ?? []).flatMap((e) => [...e]),
      ];
      return [got, expected];
    },
  };
}

const CASES: readonly Case[] = [
  dualCase("dual encoder, shared towers, mean pooling, projection, dot", {
    kind: "dual",
    towers: { kind: "shared", tower: { encoder: ENCODER, projectionDim: 5 } },
    pooling: "mean",
    similarity: { kind: "dot" },
    queryMaxLength: 5,
    documentMaxLength: 6,
  }),
  dualCase("dual encoder, separate asymmetric towers, cls pooling, scaled cosine", {
    kind: "dual",
    towers: {
      kind: "separate",
      query: { encoder: ENCODER, projectionDim: 6 },
      document: { encoder: SMALL },
    },
    pooling: "cls",
    similarity: { kind: "cosine", scale: 5 },
    queryMaxLength: 5,
    documentMaxLength: 6,
  }),
  crossCase("cross-encoder, cls head", {
    kind: "cross",
    encoder: ENCODER,
    scorer: { kind: "cls" },
    maxLength: 8,
  }),
  crossCase("cross-encoder, dual pooling", {
    kind: "cross",
    encoder: ENCODER,
    scorer: { kind: "dual-pooling", includeSpecialTokens: false },
    maxLength: 8,
  }),
];

/** Seeded weights with every tensor (LayerNorm and biases too) jittered away from 0 and 1. */
function tinyWeights(spec: ModelSpec, seed: number): Map<string, NamedTensor> {
  const weights = initModelWeights(spec, seed, 0.3);
  const sampler = normalSampler(seed + 1);
  for (const { data } of weights.values()) {
    for (let i = 0; i < data.length; i++) data[i]! += 0.1 * sampler.next();
  }
  return weights;
}

/** Rows of an embedding table that the batches use (other rows have zero gradient). */
function usedRows(name: string): number[] | undefined {
  if (name.endsWith("word_embeddings.weight")) {
    return [
      ...new Set([QUERIES, DOCUMENTS, PAIRS].flatMap((b) => Array.from(b.inputIds))),
    ];
  }
  if (name.endsWith("position_embeddings.weight")) return [0, 1, 2, 3, 4, 5, 6, 7];
  return undefined;
}

/** Make `backend` active: stock tfjs cpu, or the engine's default (wasm + project kernels). */
async function activate(backend: "cpu" | "engine"): Promise<void> {
  if (backend === "engine") await initEngine({ backend: "wasm", threads: 1 });
  else await tf.setBackend("cpu");
}

for (const backend of ["cpu", "engine"] as const) {
  for (const testCase of CASES) {
    Deno.test(`${testCase.name} [${backend}]: tfjs forward matches the float64 reference`, async () => {
      await activate(backend);
      const weights = tinyWeights(testCase.spec, 3);
      const params = toVariables(weights);
      try {
        const [got, expected] = testCase.outputs(params, weights);
        assert.equal(got.length, expected.length);
        const maxDiff = Math.max(...got.map((g, i) => Math.abs(g - expected[i]!)));
        assert(maxDiff < 1e-5, `max abs diff ${maxDiff}`);
      } finally {
        disposeParameters(params);
      }
    });

    Deno.test(`${testCase.name} [${backend}]: gradients match float64 finite differences`, async () => {
      await activate(backend);
      const report = checkGradients({
        weights: tinyWeights(testCase.spec, 5),
        tfLoss: testCase.tfLoss,
        referenceLoss: testCase.referenceLoss,
        coordinatesPerTensor: 20,
        rows: usedRows,
      });
      assert(
        Math.abs(report.tfLoss - report.referenceLoss) < 1e-5,
        `loss: tfjs ${report.tfLoss}, reference ${report.referenceLoss}`,
      );
      assert.equal(report.tensors.length, initModelWeights(testCase.spec, 0).size);
      for (const t of report.tensors) {
        const worst = t.coordinates.find((c) => c.error === t.maxError)!;
        assert(
          t.maxError <= 1e-3,
          `"${t.name}"[${worst.index}]: tfjs ${worst.gradient}, finite difference ${worst.finiteDifference}`,
        );
        assert(t.coordinates.length >= Math.min(20, elementCount(t.name, testCase.spec)));
        // The key bias provably has zero gradient (softmax is shift-invariant); every other
        // tensor must move the loss, or the comparison proves nothing.
        if (!t.name.endsWith("attention.self.key.bias")) {
          assert(t.maxAbsFiniteDifference > 1e-5, `"${t.name}": finite differences all ~0`);
        }
      }
    });
  }
}

function elementCount(name: string, spec: ModelSpec): number {
  return modelParameterShapes(spec).get(name)!.reduce((a, b) => a * b, 1);
}
