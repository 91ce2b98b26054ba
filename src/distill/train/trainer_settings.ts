/**
 * The trainer's options with every default resolved (schedule, optimiser, clipping, evaluation
 * and checkpoint intervals, dev measures): what `train` runs with and what a run records.
 *
 * @module
 */

import { DEFAULT_DEV_DEPTH, DEFAULT_DEV_MEASURES } from "./dev_eval.ts";
import { type ResolvedOptimizerConfig, resolveOptimizerConfig } from "./optimizer.ts";
import type { Schedule } from "./schedule.ts";
import type { DevSet, TrainerOptions } from "./types.ts";

/** Dev evaluation as resolved: none, or the measures, selection measure and depth. */
export type DevSettings =
  | { readonly kind: "none" }
  | {
    readonly kind: "dev";
    readonly measures: readonly string[];
    /** The measure that selects the best checkpoint (higher is better). */
    readonly select: string;
    /** Documents retrieved per dev query. */
    readonly depth: number;
  };

/** Gradient clipping as resolved (`none` for an infinite bound, which JSON cannot hold). */
export type ClipSettings =
  | { readonly kind: "global-norm"; readonly maxNorm: number }
  | { readonly kind: "none" };

/** Every setting of a `train` run, defaults filled in; plain JSON data. */
export interface TrainerSettings {
  readonly steps: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly negativesPerQuery: number;
  /** The optimiser (its decay filter is a function: the default one unless given). */
  readonly optimizer: ResolvedOptimizerConfig;
  readonly schedule: Schedule;
  readonly clip: ClipSettings;
  /** Dev evaluation interval (and at the last step). */
  readonly evalEvery: number;
  /** Checkpoint interval (and at the last step); used when a checkpoint directory is given. */
  readonly checkpointEvery: number;
  /** Agreement diagnostics interval (0: none). */
  readonly diagnosticsEvery: number;
  readonly dev: DevSettings;
}

/** The options {@link resolveTrainerSettings} reads (a dev set's data is not needed). */
export type TrainerSettingsInput =
  & Omit<TrainerOptions, "dev" | "onEvent" | "beforeCheckpointCommit">
  & { readonly dev?: Pick<DevSet, "measures" | "select" | "depth"> };

/**
 * Resolve the defaults of `train` (see {@link TrainerOptions}): AdamW, linear warm-up (10 % of the
 * steps) to a peak of 5e-4 then linear decay, clip 1, dev evaluation every steps / 5 (RR@10,
 * nDCG@10, selected by the first, depth 100), checkpoints at the evaluation interval, agreement
 * every 10 steps.
 */
export function resolveTrainerSettings(options: TrainerSettingsInput): TrainerSettings {
  const { steps } = options;
  const evalEvery = Math.max(1, options.evalEvery ?? Math.floor(steps / 5));
  const maxGradNorm = options.maxGradNorm ?? 1;
  const dev = options.dev;
  const measures = dev?.measures ?? DEFAULT_DEV_MEASURES;
  return {
    steps,
    batchSize: options.batchSize,
    seed: options.seed,
    negativesPerQuery: options.negativesPerQuery ?? 0,
    optimizer: resolveOptimizerConfig(options.optimizer ?? { kind: "adamw" }),
    schedule: options.schedule ?? {
      kind: "linear",
      peak: options.learningRate ?? 5e-4,
      warmupSteps: options.warmupSteps ?? Math.floor(steps / 10),
      totalSteps: steps,
    },
    clip: Number.isFinite(maxGradNorm)
      ? { kind: "global-norm", maxNorm: maxGradNorm }
      : { kind: "none" },
    evalEvery,
    checkpointEvery: Math.max(1, options.checkpointEvery ?? evalEvery),
    diagnosticsEvery: options.diagnosticsEvery ?? 10,
    dev: dev === undefined ? { kind: "none" } : {
      kind: "dev",
      measures: [...measures],
      select: dev.select ?? measures[0]!,
      depth: dev.depth ?? DEFAULT_DEV_DEPTH,
    },
  };
}
