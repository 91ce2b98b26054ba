/**
 * The one training loop, for students, dual-encoder teachers and cross-encoders alike: seeded
 * batches, the trainable's loss and gradients, clipping by global norm, a stop on a non-finite
 * loss, the fused Adam / AdamW update under a schedule, periodic dev evaluation keeping the best
 * model, atomic checkpoints with exact resume, and progress events (the library never prints).
 *
 * @module
 */

import { join } from "node:path";
import { BatchOrder, dataPosition } from "./batches.ts";
import {
  type EvalRecord,
  readLatestCheckpoint,
  type TrainerState,
  writeCheckpoint,
} from "./checkpoint.ts";
import { combineOutcomes } from "./combine_outcomes.ts";
import { NonFiniteLossError } from "./non_finite.ts";
import { AdamOptimizer, clipByGlobalNorm, type OptimizerConfig } from "./optimizer.ts";
import { learningRate, type Schedule, validateSchedule } from "./schedule.ts";
import type { StepOutcome, Trainable } from "./trainable.ts";
import type { Agreement, TrainingEvent, TrainingResult } from "./types.ts";
import { saveModelDir } from "../../models/mod.ts";
import { deriveSeed } from "../../engine/mod.ts";

/** Directory name of the best model inside the checkpoint directory. */
export const BEST_MODEL_DIR = "best";

/** Dev evaluation inside the loop. */
export interface LoopDev {
  /** Evaluate the trainable after `step` steps. */
  readonly evaluate: (step: number) => Promise<EvalRecord>;
  /** Evaluated every this many steps and after the last. */
  readonly every: number;
  /** The measure that selects the best model (higher is better). */
  readonly select: string;
}

/** Checkpoints of the loop. */
export interface LoopCheckpoints {
  /** Checkpoints (and the best model, in `best/`) go here. */
  readonly dir: string;
  /** A checkpoint every this many steps and after the last. */
  readonly every: number;
  /** Continue from the latest checkpoint in `dir` when there is one. */
  readonly resume: boolean;
  /** Test hook: called between writing a checkpoint's files and renaming it into place. */
  readonly beforeCommit?: (tempDir: string) => void | Promise<void>;
}

/** Everything {@link trainLoop} takes besides the trainable (no defaults here). */
export interface LoopOptions {
  /** Optimisation steps in total (a resumed run continues to the same total). */
  readonly steps: number;
  /** Examples per batch. */
  readonly batchSize: number;
  /** Data-order seed. */
  readonly seed: number;
  /** Training examples the batches are drawn from (indices 0 .. examples - 1). */
  readonly examples: number;
  readonly schedule: Schedule;
  readonly optimizer: OptimizerConfig;
  /** Global gradient-norm clip (Infinity disables). */
  readonly maxGradNorm: number;
  /** Agreement diagnostics every this many steps (0 disables). */
  readonly diagnosticsEvery: number;
  readonly dev?: LoopDev;
  readonly checkpoints?: LoopCheckpoints;
  readonly onEvent?: (event: TrainingEvent) => void;
}

/** What one optimisation step reports. */
export interface StepReport {
  readonly loss: number;
  readonly terms: Readonly<Record<string, number>>;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
  readonly learningRate: number;
  readonly agreement?: Agreement;
}

/** Settings of {@link optimisationStep}. */
export interface StepSettings {
  readonly schedule: Schedule;
  readonly maxGradNorm: number;
  readonly diagnose: boolean;
  /** The last checkpoint written (named in a {@link NonFiniteLossError}); default null. */
  readonly lastCheckpoint?: string | null;
  /**
   * The generated examples of this step (with `trainable.generated`): their gradients are added
   * to the labelled batch's before clipping, their terms reported with a `qg/` prefix.
   */
  readonly generatedBatch?: readonly number[];
}

/** The order of a trainable's generated examples: its own, seeded from the run's seed. */
export function generatedOrder(
  trainable: Trainable,
  batchSize: number,
  seed: number,
): BatchOrder | undefined {
  const generated = trainable.generated;
  if (generated === undefined) return undefined;
  if (generated.examples < batchSize) {
    throw new RangeError(
      `Cannot form a batch of ${batchSize} generated queries from ${generated.examples}: expected at least ${batchSize} (generate more, or lower the batch size)`,
    );
  }
  return new BatchOrder(generated.examples, batchSize, deriveSeed(seed, "generated"));
}

function stepOutcome(
  trainable: Trainable,
  batch: readonly number[],
  settings: StepSettings,
): StepOutcome {
  const labelled = trainable.lossOf(batch, settings.diagnose);
  const extra = settings.generatedBatch;
  if (extra === undefined) return labelled;
  if (trainable.generated === undefined) {
    for (const g of labelled.gradients.values()) g.dispose();
    throw new TypeError(
      "Cannot train on a generated batch: the trainable has no generated examples",
    );
  }
  let generated;
  try {
    generated = trainable.generated.lossOf(extra);
  } catch (error) {
    for (const g of labelled.gradients.values()) g.dispose();
    throw error;
  }
  return combineOutcomes(labelled, generated);
}

/**
 * One optimisation step (0-based `step`) on the examples `batch` (plus `settings.generatedBatch`
 * of the trainable's generated examples, gradients summed): loss and gradients, clipping by
 * global norm, a check that loss and norm are finite, then the Adam update at the schedule's
 * rate. Throws {@link NonFiniteLossError} (no update applied) on a NaN / Inf loss or norm.
 */
export function optimisationStep(
  trainable: Trainable,
  optimizer: AdamOptimizer,
  batch: readonly number[],
  step: number,
  settings: StepSettings,
): StepReport {
  const outcome = stepOutcome(trainable, batch, settings);
  const clipped = clipByGlobalNorm(outcome.gradients, settings.maxGradNorm);
  for (const g of outcome.gradients.values()) g.dispose();
  try {
    if (!Number.isFinite(outcome.loss) || !Number.isFinite(clipped.norm)) {
      const last = settings.lastCheckpoint ?? null;
      const where = last === null
        ? "no checkpoint was written"
        : `the last good checkpoint is "${last}"`;
      throw new NonFiniteLossError(
        `Training stopped at step ${step + 1}: the loss is ${outcome.loss} (terms ${
          JSON.stringify(outcome.terms)
        }, gradient norm ${clipped.norm}); ${where}`,
        step + 1,
        last,
      );
    }
    const lr = learningRate(settings.schedule, step);
    optimizer.apply(clipped.gradients, lr);
    return {
      loss: outcome.loss,
      terms: outcome.terms,
      gradNorm: clipped.norm,
      learningRate: lr,
      ...(outcome.agreement === undefined ? {} : { agreement: outcome.agreement }),
    };
  } finally {
    for (const g of clipped.gradients.values()) g.dispose();
  }
}

/**
 * Train `trainable` in place for `options.steps` steps. With checkpoints and `resume`, a run
 * continues from the latest checkpoint and ends with the same weights as an uninterrupted run
 * (for a fixed backend and thread count). Throws {@link NonFiniteLossError} on a NaN/Inf loss.
 */
export async function trainLoop(
  trainable: Trainable,
  options: LoopOptions,
): Promise<TrainingResult> {
  const { steps, batchSize, seed, schedule, dev } = options;
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RangeError(`Cannot train for ${steps} steps: expected a positive integer`);
  }
  validateSchedule(schedule);
  const order = new BatchOrder(options.examples, batchSize, seed);
  const generated = generatedOrder(trainable, batchSize, seed);
  const optimizer = new AdamOptimizer(trainable.variables, options.optimizer);
  const saved = options.checkpoints;
  const bestDir = saved === undefined ? null : join(saved.dir, BEST_MODEL_DIR);
  let losses: number[] = [];
  let evals: EvalRecord[] = [];
  let best: TrainerState["best"] = null;
  let lastCheckpoint: string | null = null;
  let start = 0;
  let evaluationSeconds = 0;
  let checkpointSeconds = 0;
  let optimisationSeconds = 0;
  try {
    if (saved !== undefined && saved.resume) {
      const checkpoint = await readLatestCheckpoint(saved.dir);
      if (checkpoint !== undefined) {
        if (checkpoint.state.seed !== seed) {
          throw new RangeError(
            `Cannot resume from "${checkpoint.dir}": it was trained with seed ${checkpoint.state.seed}, not ${seed}`,
          );
        }
        trainable.load(checkpoint.weights, checkpoint.dir);
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
    // Throughput counts optimisation only: evaluation and checkpoint time is kept apart.
    const trainingSeconds = () =>
      (performance.now() - began) / 1000 - evaluationSeconds - checkpointSeconds;
    for (let step = start; step < steps; step++) {
      const diagnose = options.diagnosticsEvery > 0 && (step + 1) % options.diagnosticsEvery === 0;
      const report = optimisationStep(trainable, optimizer, order.batch(step), step, {
        schedule,
        maxGradNorm: options.maxGradNorm,
        diagnose,
        lastCheckpoint,
        ...(generated === undefined ? {} : { generatedBatch: generated.batch(step) }),
      });
      losses.push(report.loss);
      const done = step + 1;
      const rate = ((done - start) * batchSize) / Math.max(trainingSeconds(), 1e-9);
      options.onEvent?.({
        kind: "step",
        step: done,
        totalSteps: steps,
        ...report,
        examplesPerSecond: rate,
        etaSeconds: ((steps - done) * batchSize) / rate,
      });
      if (dev !== undefined && (done % dev.every === 0 || done === steps)) {
        const evalStart = performance.now();
        const record = await dev.evaluate(done);
        evals.push(record);
        const value = record.metrics[dev.select];
        if (value === undefined) {
          throw new RangeError(
            `Cannot select the best model by "${dev.select}": it was not measured`,
          );
        }
        const improved = best === null || value > best.value;
        if (improved) {
          best = { step: done, measure: dev.select, value };
          if (bestDir !== null) {
            const model = trainable.save();
            await saveModelDir(bestDir, model.spec, model.weights);
          }
        }
        const seconds = (performance.now() - evalStart) / 1000;
        evaluationSeconds += seconds;
        options.onEvent?.({ kind: "eval", record, best: improved, seconds });
      }
      if (saved !== undefined && (done % saved.every === 0 || done === steps)) {
        const checkpointStart = performance.now();
        const position = dataPosition(options.examples, batchSize, done);
        lastCheckpoint = await writeCheckpoint(
          saved.dir,
          {
            ...trainable.save(),
            optimizer: optimizer.state(),
            state: { step: done, seed, ...position, best, evals, losses },
          },
          saved.beforeCommit === undefined ? {} : { beforeCommit: saved.beforeCommit },
        );
        const seconds = (performance.now() - checkpointStart) / 1000;
        checkpointSeconds += seconds;
        options.onEvent?.({ kind: "checkpoint", step: done, dir: lastCheckpoint, seconds });
      }
      optimisationSeconds = trainingSeconds();
    }
  } finally {
    optimizer.dispose();
  }
  return {
    steps,
    losses,
    evals,
    best,
    bestDir: best === null ? null : bestDir,
    seconds: {
      training: optimisationSeconds,
      evaluation: evaluationSeconds,
      checkpoints: checkpointSeconds,
    },
  };
}
