import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initEngine } from "../../engine/mod.ts";
import { embedMatchLoss } from "./embed_match.ts";
import { inBatchMarginMseLoss } from "./margin_mse.ts";
import { oneHotLoss } from "./one_hot.ts";
import {
  checkLossGradients,
  randomMatrix,
  refEmbedMatch,
  refInBatchMarginMse,
  refOneHot,
  refScoreKd,
} from "../../testing/mod.ts";
import { scoreKdLoss } from "./score_kd.ts";
import { computeObjective } from "./objective.ts";

// The engine's default backend (EMBEDDISTILL_BACKEND, else wasm) with the project's kernels
// (e.g. the strided Sum / Mean that every loss's reduction uses); the other tests use cpu.
const engine = await initEngine();

const T = randomMatrix(4, 6, 1, 2);
const S = randomMatrix(4, 6, 2, 2);
const TQ = randomMatrix(4, 8, 3);
const SQ = randomMatrix(4, 8, 4);
const KD = {
  teacherTemperature: 0.5,
  studentTemperature: 2,
  form: "kl",
  rescale: "t-squared",
} as const;

const CASES: readonly {
  name: string;
  inputs: Record<string, number[][]>;
  tfLoss: (p: ReadonlyMap<string, tf.Tensor>) => tf.Scalar;
  ref: (m: Readonly<Record<string, number[][]>>) => number;
}[] = [
  {
    name: "one-hot",
    inputs: { s: S },
    tfLoss: (p) => oneHotLoss(p.get("s") as tf.Tensor2D),
    ref: (m) => refOneHot(m.s!),
  },
  {
    name: "score-kd",
    inputs: { s: S },
    tfLoss: (p) => scoreKdLoss(tf.tensor2d(T), p.get("s") as tf.Tensor2D, KD),
    ref: (m) => refScoreKd(T, m.s!, KD),
  },
  {
    name: "margin-mse",
    inputs: { s: S },
    tfLoss: (p) => inBatchMarginMseLoss(tf.tensor2d(T), p.get("s") as tf.Tensor2D),
    ref: (m) => refInBatchMarginMse(T, m.s!),
  },
  ...(["l2", "mse", "cosine"] as const).map((distance) => ({
    name: `embed-match ${distance}`,
    inputs: { q: SQ },
    tfLoss: (p: ReadonlyMap<string, tf.Tensor>) =>
      embedMatchLoss(tf.tensor2d(TQ), p.get("q") as tf.Tensor2D, { distance }),
    ref: (m: Readonly<Record<string, number[][]>>) => refEmbedMatch(TQ, m.q!, distance),
  })),
];

for (const c of CASES) {
  Deno.test(`${c.name} on the engine's ${engine.backend} backend: value and gradient vs float64`, () => {
    const check = checkLossGradients(c.inputs, c.tfLoss, c.ref);
    assert.ok(
      Math.abs(check.tfLoss - check.referenceLoss) < 1e-5 * Math.max(1, check.referenceLoss),
      `${check.tfLoss} vs ${check.referenceLoss}`,
    );
    assert.ok(check.maxAbsGradient > 0.005);
    assert.ok(check.maxError < 1e-3, `${check.maxError}`);
  });
}

Deno.test(`objective on the engine's ${engine.backend} backend leaks no tensors`, () => {
  const inputs = {
    teacherScores: tf.tensor2d(T),
    studentScores: tf.tensor2d(S),
    teacherQueries: tf.tensor2d(TQ),
    studentQueries: tf.tensor2d(SQ),
  };
  const before = tf.memory().numTensors;
  const out = computeObjective({
    terms: [{ kind: "score-kd" }, { kind: "embed-match", side: "query" }, { kind: "one-hot" }],
  }, inputs);
  tf.dispose([out.total, ...Object.values(out.terms)]);
  assert.equal(tf.memory().numTensors, before);
  tf.dispose(Object.values(inputs));
});
