/**
 * One training step (forward + backward + Adam, the library's `optimisationStep`) of a dual
 * encoder with shared towers, mean pooling and the in-batch softmax loss, on random token ids: at
 * the student's size (4 layers / hidden 256, the full preset's 1-10 student, BERT-mini shape) and
 * at the mini preset's teacher size (2 layers / hidden 128). tfjs wasm with the engine's kernels
 * (OpenBLAS matmul): BLAS-bound, timed against the sgemm reference. The set-up is shared with
 * bench/train_step_bench.ts.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { initEngine } from "../../src/engine/mod.ts";
import {
  type BertConfig,
  createDualEncoder,
  type DualEncoderSpec,
  initModelWeights,
  scoreBatches,
  type TokenBatch,
} from "../../src/models/mod.ts";
import { oneHotLoss } from "../../src/distill/loss/mod.ts";
import {
  AdamOptimizer,
  dualEncoderTrainable,
  optimisationStep,
  type TrainingData,
} from "../../src/distill/train/mod.ts";
import { BERT_MINI } from "../bert_mini.ts";
import type { BenchCase, PreparedCase } from "./case.ts";

/** A dual encoder's training step and its forward pass alone, on fixed random batches. */
export interface TrainStepWorkload {
  /** One step; returns the loss. */
  trainStep(): number;
  /** The loss without gradients or update. */
  forwardOnly(): number;
  readonly what: string;
}

/** Build the training-step workload of `encoder` on `batch` queries x `batch` documents of `seq`. */
export function trainStepWorkload(
  encoder: BertConfig,
  batch: number,
  seq: number,
): TrainStepWorkload {
  const spec: DualEncoderSpec = {
    kind: "dual",
    towers: { kind: "shared", tower: { encoder } },
    pooling: "mean",
    similarity: { kind: "dot" },
    queryMaxLength: seq,
    documentMaxLength: seq,
  };
  const model = createDualEncoder(spec, initModelWeights(spec, 1));
  const randomBatch = (seed: number): TokenBatch => {
    let state = seed;
    const inputIds = Array.from({ length: batch * seq }, (_, i) => {
      if (i % seq === 0) return 101;
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return 1000 + (state % (encoder.vocabSize - 1000));
    });
    return { shape: [batch, seq], inputIds, attentionMask: new Array(batch * seq).fill(1) };
  };
  const queries = randomBatch(1);
  const documents = randomBatch(2);
  const rows = (b: TokenBatch) =>
    Array.from({ length: batch }, (_, i) => Array.from(b.inputIds).slice(i * seq, (i + 1) * seq));
  const data: TrainingData = {
    queries: rows(queries),
    documents: rows(documents),
    examples: Array.from({ length: batch }, (_, i) => ({ query: i, positive: i })),
    teacher: { kind: "none" },
  };
  const trainable = dualEncoderTrainable(
    { kind: "symmetric", model, trainable: model.params } as const,
    data,
    (step) => ({ total: oneHotLoss(step.studentScores), terms: {} }),
    0,
  );
  const optimizer = new AdamOptimizer(model.params, { kind: "adam", weightDecay: 0 });
  const examples = data.examples.map((_, i) => i);
  let steps = 0;
  return {
    what:
      `${encoder.numLayers}L/H${encoder.hiddenSize}/S${seq}, B${batch}x2, vocab ${encoder.vocabSize}`,
    trainStep: () =>
      optimisationStep(trainable, optimizer, examples, steps++, {
        schedule: { kind: "constant", rate: 1e-4 },
        maxGradNorm: Infinity,
        diagnose: false,
      }).loss,
    forwardOnly: () =>
      tf.tidy(() => {
        const scores = scoreBatches(model, queries, documents);
        const diagonal = tf.sum(tf.mul(scores, tf.eye(batch)), 1);
        return tf.mean(tf.sub(tf.logSumExp(scores, 1), diagonal)).dataSync()[0]!;
      }),
  };
}

/** The mini preset's teacher shape (experiments/presets.ts) with the real vocabulary. */
export const MINI_TEACHER: BertConfig = {
  ...BERT_MINI,
  numLayers: 2,
  hiddenSize: 128,
  numHeads: 2,
  intermediateSize: 512,
};

function trainCase(name: string, encoder: BertConfig, batch: number, quick: boolean): BenchCase {
  return {
    kind: "bench-case",
    name,
    reference: "sgemm",
    threshold: 0.5,
    quick,
    maxRepeats: 7,
    async prepare(context): Promise<PreparedCase> {
      const engine = await initEngine({ backend: "wasm", threads: context.threads });
      const workload = trainStepWorkload(encoder, batch, 32);
      return {
        kind: "prepared-case",
        backend: engine.backend,
        blas: engine.blas.found ? "openblas" : null,
        workload: workload.what,
        run() {
          workload.trainStep();
        },
      };
    },
  };
}

/** `train/student-step` (4L/H256, batch 16). */
export const STUDENT_STEP_CASE: BenchCase = trainCase("train/student-step", BERT_MINI, 16, true);

/** `train/teacher-step` (2L/H128, batch 32). */
export const TEACHER_STEP_CASE: BenchCase = trainCase("train/teacher-step", MINI_TEACHER, 32, true);
