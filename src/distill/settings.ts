/**
 * The settings of a `distill(config)` run with every default resolved (loss recipe with
 * temperatures and score-KD form, optimiser, schedule, intervals, negatives, cross-encoder
 * candidates): computed from the config and the teacher's spec alone, before any work, so a run
 * can record them at its start and a resumed run can be compared with them.
 *
 * @module
 */

import type { ModelSpec } from "../models/mod.ts";
import {
  type CeTeacherConfig,
  type CeTeacherSettings,
  crossEncoderRecipe,
  resolveCeTeacherConfig,
} from "./cross_encoder/mod.ts";
import { type LossRecipe, type ResolvedRecipe, resolveRecipe } from "./loss/mod.ts";
import {
  type QueryGenerationConfig,
  type QueryGenerationSettings,
  queryGenerationSettings,
} from "./query_generation.ts";
import type { StudentSpec } from "./student.ts";
import type { TeacherEngine } from "./teacher_cache.ts";
import { resolveTrainerSettings, type TrainerOptions, type TrainerSettings } from "./train/mod.ts";

/** Defaults of `distill`'s training settings the trainer itself does not default. */
export const DISTILL_TRAINING_DEFAULTS = { steps: 1000, batchSize: 32, seed: 42 } as const;

/** The teacher's part of a run, resolved. */
export type DistillTeacherSettings =
  | {
    readonly kind: "dual-encoder";
    /** Teacher-mined hard negatives per query (0: in-batch negatives only). */
    readonly hardNegatives: number;
    /** Engine of the teacher's embeddings. */
    readonly engine: TeacherEngine;
  }
  | ({ readonly kind: "cross-encoder" } & CeTeacherSettings);

/** Sizes of the data a run trains on (a cheap fingerprint for comparing runs). */
export interface DataSettings {
  readonly documents: number;
  readonly trainQueries: number;
  readonly trainJudgments: number;
  /** 0 without a dev split. */
  readonly devQueries: number;
}

/** Every setting of a `distill` run, defaults filled in; plain JSON data, no nulls. */
export interface DistillSettings {
  readonly teacher: DistillTeacherSettings;
  readonly student: StudentSpec;
  /** The loss recipe as summed: every term with its weight, temperatures, form and rescale. */
  readonly loss: ResolvedRecipe;
  readonly training: TrainerSettings;
  readonly data: DataSettings;
  readonly exportOnnx: boolean;
  /** Query generation (absent without it). */
  readonly queryGeneration?: QueryGenerationSettings;
}

/** What {@link resolveDistillSettings} reads of a `DistillConfig` (its data as sizes). */
export interface DistillSettingsInput {
  readonly student: StudentSpec;
  readonly loss?: LossRecipe;
  readonly training?: Partial<Omit<TrainerOptions, "dev" | "checkpointDir" | "onEvent" | "resume">>;
  readonly hardNegatives?: number;
  readonly crossEncoder?: CeTeacherConfig;
  readonly exportOnnx?: boolean;
  readonly teacherEngine?: TeacherEngine;
  readonly queryGeneration?: QueryGenerationConfig;
  readonly data: DataSettings;
}

/**
 * The default objective for a dual-encoder teacher: score KD (Eq. 11) + query embedding matching
 * (Eq. 7), and for a symmetric student also document embedding matching (Eq. 8). For a
 * cross-encoder see `crossEncoderRecipe`.
 */
export function defaultRecipe(student: StudentSpec): LossRecipe {
  return {
    terms: [
      { kind: "score-kd" },
      { kind: "embed-match", side: "query" },
      ...(student.kind === "symmetric" ? [{ kind: "embed-match", side: "document" } as const] : []),
    ],
  };
}

/** The loss recipe a run of `teacher` uses: the given one, else the teacher kind's default. */
export function distillRecipe(
  teacher: ModelSpec,
  config: Pick<DistillSettingsInput, "student" | "loss" | "crossEncoder">,
): LossRecipe {
  if (config.loss !== undefined) return config.loss;
  return teacher.kind === "cross"
    ? crossEncoderRecipe({ spec: teacher }, config.student, config.crossEncoder?.documentSide)
    : defaultRecipe(config.student);
}

/** The trainer's options of a run (without dev data, checkpoints or callbacks). */
export function distillTrainerOptions(
  teacher: ModelSpec,
  config: Pick<DistillSettingsInput, "training" | "hardNegatives" | "crossEncoder">,
): Omit<TrainerOptions, "dev" | "checkpointDir" | "onEvent" | "resume"> {
  const t = config.training ?? {};
  let negativesPerQuery = config.hardNegatives ?? 0;
  if (teacher.kind === "cross") {
    const ce = resolveCeTeacherConfig(teacher, config.crossEncoder);
    negativesPerQuery = ce.scoring === "candidates" ? 0 : ce.negatives;
  }
  return {
    ...t,
    steps: t.steps ?? DISTILL_TRAINING_DEFAULTS.steps,
    batchSize: t.batchSize ?? DISTILL_TRAINING_DEFAULTS.batchSize,
    seed: t.seed ?? DISTILL_TRAINING_DEFAULTS.seed,
    negativesPerQuery,
  };
}

/**
 * Resolve every default of a `distill` run for a teacher of `teacher` spec (read from its
 * `config.json`; no weights needed). `distill` trains with exactly these settings and returns
 * them; throws as `resolveRecipe` for a bad loss recipe.
 *
 * @example
 * ```ts
 * const settings = resolveDistillSettings(teacherSpec, { student, data: { documents: 1200,
 *   trainQueries: 60, trainJudgments: 60, devQueries: 12 } });
 * settings.training.schedule; // { kind: "linear", peak: 5e-4, warmupSteps: 100, totalSteps: 1000 }
 * ```
 */
export function resolveDistillSettings(
  teacher: ModelSpec,
  config: DistillSettingsInput,
): DistillSettings {
  const options = distillTrainerOptions(teacher, config);
  return {
    teacher: teacher.kind === "cross"
      ? { kind: "cross-encoder", ...resolveCeTeacherConfig(teacher, config.crossEncoder) }
      : {
        kind: "dual-encoder",
        hardNegatives: config.hardNegatives ?? 0,
        engine: config.teacherEngine ?? "onnx",
      },
    student: config.student,
    loss: resolveRecipe(distillRecipe(teacher, config)),
    training: resolveTrainerSettings({
      ...options,
      ...(config.data.devQueries > 0 ? { dev: {} } : {}),
    }),
    data: config.data,
    exportOnnx: config.exportOnnx ?? true,
    ...(config.queryGeneration === undefined
      ? {}
      : { queryGeneration: queryGenerationSettings(config.queryGeneration) }),
  };
}
