/**
 * `train`: a dual encoder (a student, or a teacher on labels) trained by the one loop (loop.ts)
 * with the trainer's defaults (AdamW, warm-up + linear decay, clip 1, dev evaluation every
 * steps / 5 keeping the best model, checkpoints with exact resume).
 *
 * @module
 */

import type { TrainableDualEncoder } from "./trainable.ts";
import { DEFAULT_DEV_MEASURES, evaluateStudent } from "./dev_eval.ts";
import { dualEncoderTrainable } from "./dual_encoder_trainable.ts";
import { type LoopDev, trainLoop } from "./loop.ts";
import type { Schedule } from "./schedule.ts";
import {
  teacherDocumentsOf,
  type TrainerOptions,
  type TrainingData,
  type TrainingObjective,
  type TrainingResult,
} from "./types.ts";

function scheduleOf(options: TrainerOptions): Schedule {
  if (options.schedule !== undefined) return options.schedule;
  return {
    kind: "linear",
    peak: options.learningRate ?? 5e-4,
    warmupSteps: options.warmupSteps ?? Math.floor(options.steps / 10),
    totalSteps: options.steps,
  };
}

/**
 * Train the dual encoder `encoder` (a student, or a teacher on labels) in place on `data` with
 * `objective`, by the one training loop with the defaults of {@link TrainerOptions}. With
 * `checkpointDir` and `resume`, a run continues from the latest checkpoint and ends with the same
 * weights as an uninterrupted run (for a fixed backend and thread count). Throws
 * `NonFiniteLossError` on a NaN/Inf loss.
 */
export async function train(
  encoder: TrainableDualEncoder,
  data: TrainingData,
  objective: TrainingObjective,
  options: TrainerOptions,
): Promise<TrainingResult> {
  const { steps, dev } = options;
  const evalEvery = Math.max(1, options.evalEvery ?? Math.floor(steps / 5));
  const root = options.checkpointDir;
  const loopDev: LoopDev | undefined = dev === undefined ? undefined : {
    evaluate: (step) =>
      evaluateStudent(encoder, dev, data.documents, teacherDocumentsOf(data.teacher), step),
    every: evalEvery,
    select: dev.select ?? (dev.measures ?? DEFAULT_DEV_MEASURES)[0]!,
  };
  return await trainLoop(
    dualEncoderTrainable(encoder, data, objective, options.negativesPerQuery ?? 0),
    {
      steps,
      batchSize: options.batchSize,
      seed: options.seed,
      examples: data.examples.length,
      schedule: scheduleOf(options),
      optimizer: options.optimizer ?? { kind: "adamw" },
      maxGradNorm: options.maxGradNorm ?? 1,
      diagnosticsEvery: options.diagnosticsEvery ?? 10,
      ...(loopDev === undefined ? {} : { dev: loopDev }),
      ...(root === undefined ? {} : {
        checkpoints: {
          dir: root,
          every: Math.max(1, options.checkpointEvery ?? evalEvery),
          resume: options.resume === true,
          ...(options.beforeCheckpointCommit === undefined
            ? {}
            : { beforeCommit: options.beforeCheckpointCommit }),
        },
      }),
      ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
    },
  );
}
