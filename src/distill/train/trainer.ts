/**
 * The training loop: seeded batches with in-batch (and optional hard) negatives, the objective's
 * gradients clipped by global norm, Adam/AdamW under a warm-up + linear-decay schedule, periodic
 * dev evaluation keeping the best model, atomic checkpoints with exact resume, a stop on a
 * non-finite loss, and progress events (the library never prints).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { fromVariables, saveModelDir } from "../../models/mod.ts";
import {
  type Checkpoint,
  type EvalRecord,
  readLatestCheckpoint,
  type TrainerState,
  writeCheckpoint,
} from "./checkpoint.ts";
import { AdamOptimizer, clipByGlobalNorm } from "./optimizer.ts";
import { learningRate, type Schedule, validateSchedule } from "./schedule.ts";
import type { Student } from "../student.ts";
import { BatchOrder, dataPosition } from "./batches.ts";
import { DEFAULT_DEV_MEASURES, evaluateStudent } from "./dev_eval.ts";
import { computeStep, type StepBatch } from "./step.ts";
import type { TrainerOptions, TrainingData, TrainingObjective, TrainingResult } from "./types.ts";

/** Thrown when the loss or the gradient norm stops being finite; training stops at that step. */
export class NonFiniteLossError extends Error {
  /** The step (1-based) whose loss was not finite. */
  readonly step: number;
  /** The last checkpoint written, or null. */
  readonly lastCheckpoint: string | null;

  /** See the fields. */
  constructor(message: string, step: number, lastCheckpoint: string | null) {
    super(message);
    this.name = "NonFiniteLossError";
    this.step = step;
    this.lastCheckpoint = lastCheckpoint;
  }
}

/** Directory name of the best model inside the checkpoint directory. */
export const BEST_MODEL_DIR = "best";

function scheduleOf(options: TrainerOptions): Schedule {
  if (options.schedule !== undefined) return options.schedule;
  return {
    kind: "linear",
    peak: options.learningRate ?? 5e-4,
    warmupSteps: options.warmupSteps ?? Math.floor(options.steps / 10),
    totalSteps: options.steps,
  };
}

function batchOf(data: TrainingData, examples: readonly number[], negatives: number): StepBatch {
  const picked = examples.map((i) => data.examples[i]!);
  if (data.candidates !== undefined && data.candidates.inBatch !== true) {
    const width = data.candidates.scores.dims;
    const documents = picked.flatMap((e) => [e.positive, ...(e.negatives ?? [])].slice(0, width));
    if (documents.length !== picked.length * width) {
      throw new RangeError(`Cannot form candidate lists of ${width} documents: too few negatives`);
    }
    return { queries: picked.map((e) => e.query), documents, examples, listWidth: width };
  }
  const documents = picked.map((e) => e.positive);
  for (const e of picked) {
    const mined = e.negatives ?? [];
    if (mined.length < negatives) {
      throw new RangeError(
        `Cannot append ${negatives} hard negatives for query ${e.query}: only ${mined.length} mined`,
      );
    }
    documents.push(...mined.slice(0, negatives));
  }
  return { queries: picked.map((e) => e.query), documents, examples };
}

function assignWeights(student: Student, checkpoint: Checkpoint): void {
  for (const [name, variable] of student.model.params) {
    const saved = checkpoint.weights.get(name);
    if (saved === undefined || saved.data.length !== variable.size) {
      throw new TypeError(
        `Cannot resume from "${checkpoint.dir}": tensor "${name}" is missing or has the wrong size`,
      );
    }
    tf.tidy(() => variable.assign(tf.tensor(saved.data, variable.shape, "float32")));
  }
}

/**
 * Train `student` in place on `data` with `objective`. With `checkpointDir` and `resume`, a run
 * continues from the latest checkpoint and ends with the same weights as an uninterrupted run
 * (for a fixed backend and thread count). Throws {@link NonFiniteLossError} on a NaN/Inf loss.
 */
export async function train(
  student: Student,
  data: TrainingData,
  objective: TrainingObjective,
  options: TrainerOptions,
): Promise<TrainingResult> {
  const { steps, batchSize, seed } = options;
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RangeError(`Cannot train for ${steps} steps: expected a positive integer`);
  }
  const schedule = scheduleOf(options);
  validateSchedule(schedule);
  const negatives = options.negativesPerQuery ?? 0;
  const maxGradNorm = options.maxGradNorm ?? 1;
  const evalEvery = Math.max(1, options.evalEvery ?? Math.floor(steps / 5));
  const checkpointEvery = Math.max(1, options.checkpointEvery ?? evalEvery);
  const diagnosticsEvery = options.diagnosticsEvery ?? 10;
  const dev = options.dev;
  const select = dev === undefined ? "" : dev.select ?? (dev.measures ?? DEFAULT_DEV_MEASURES)[0]!;
  const order = new BatchOrder(data.examples.length, batchSize, seed);
  const optimizer = new AdamOptimizer(
    student.trainable,
    options.optimizer ?? { kind: "adamw" },
  );
  const root = options.checkpointDir;
  const bestDir = root === undefined ? null : join(root, BEST_MODEL_DIR);
  let losses: number[] = [];
  let evals: EvalRecord[] = [];
  let best: TrainerState["best"] = null;
  let lastCheckpoint: string | null = null;
  let start = 0;
  try {
    if (root !== undefined && options.resume === true) {
      const checkpoint = await readLatestCheckpoint(root);
      if (checkpoint !== undefined) {
        if (checkpoint.state.seed !== seed) {
          throw new RangeError(
            `Cannot resume from "${checkpoint.dir}": it was trained with seed ${checkpoint.state.seed}, not ${seed}`,
          );
        }
        assignWeights(student, checkpoint);
        optimizer.load(checkpoint.optimizer);
        start = checkpoint.state.step;
        losses = [...checkpoint.state.losses];
        evals = [...checkpoint.state.evals];
        best = checkpoint.state.best;
        lastCheckpoint = checkpoint.dir;
        options.onEvent?.({ kind: "resumed", step: start, dir: checkpoint.dir });
      }
    }
    const began = performance.now();
    for (let step = start; step < steps; step++) {
      const batch = batchOf(data, order.batch(step), negatives);
      const diagnose = diagnosticsEvery > 0 && (step + 1) % diagnosticsEvery === 0;
      const outcome = computeStep(student, data, batch, objective, diagnose);
      const clipped = clipByGlobalNorm(outcome.gradients, maxGradNorm);
      for (const g of outcome.gradients.values()) g.dispose();
      if (!Number.isFinite(outcome.loss) || !Number.isFinite(clipped.norm)) {
        for (const g of clipped.gradients.values()) g.dispose();
        const where = lastCheckpoint === null
          ? "no checkpoint was written"
          : `the last good checkpoint is "${lastCheckpoint}"`;
        throw new NonFiniteLossError(
          `Training stopped at step ${step + 1}: the loss is ${outcome.loss} (terms ${
            JSON.stringify(outcome.terms)
          }, gradient norm ${clipped.norm}); ${where}`,
          step + 1,
          lastCheckpoint,
        );
      }
      const lr = learningRate(schedule, step);
      optimizer.apply(clipped.gradients, lr);
      for (const g of clipped.gradients.values()) g.dispose();
      losses.push(outcome.loss);
      const done = step + 1;
      const seconds = (performance.now() - began) / 1000;
      const rate = ((done - start) * batchSize) / Math.max(seconds, 1e-9);
      options.onEvent?.({
        kind: "step",
        step: done,
        totalSteps: steps,
        loss: outcome.loss,
        terms: outcome.terms,
        learningRate: lr,
        gradNorm: clipped.norm,
        examplesPerSecond: rate,
        etaSeconds: ((steps - done) * batchSize) / rate,
        ...(outcome.agreement === undefined ? {} : { agreement: outcome.agreement }),
      });
      if (dev !== undefined && (done % evalEvery === 0 || done === steps)) {
        const record = await evaluateStudent(
          student,
          dev,
          data.documents,
          data.teacherDocuments,
          done,
        );
        evals.push(record);
        const value = record.metrics[select];
        if (value === undefined) {
          throw new RangeError(`Cannot select the best model by "${select}": it was not measured`);
        }
        const improved = best === null || value > best.value;
        if (improved) {
          best = { step: done, measure: select, value };
          if (bestDir !== null) {
            await saveModelDir(bestDir, student.model.spec, fromVariables(student.model.params));
          }
        }
        options.onEvent?.({ kind: "eval", record, best: improved });
      }
      if (root !== undefined && (done % checkpointEvery === 0 || done === steps)) {
        const position = dataPosition(data.examples.length, batchSize, done);
        lastCheckpoint = await writeCheckpoint(root, {
          spec: student.model.spec,
          weights: fromVariables(student.model.params),
          optimizer: optimizer.state(),
          state: { step: done, seed, ...position, best, evals, losses },
        }, options.beforeCheckpointCommit ? { beforeCommit: options.beforeCheckpointCommit } : {});
        options.onEvent?.({ kind: "checkpoint", step: done, dir: lastCheckpoint });
      }
    }
  } finally {
    optimizer.dispose();
  }
  return { steps, losses, evals, best, bestDir: best === null ? null : bestDir };
}
