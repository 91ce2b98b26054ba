/**
 * `train`: a dual encoder (a student, or a teacher on labels) trained by the one loop (loop.ts)
 * with the trainer's defaults (AdamW, warm-up + linear decay, clip 1, dev evaluation every
 * steps / 5 keeping the best model, checkpoints with exact resume).
 *
 * @module
 */

import type { TrainableDualEncoder } from "./trainable.ts";
import { evaluateStudent } from "./dev_eval.ts";
import { dualEncoderTrainable } from "./dual_encoder_trainable.ts";
import { type LoopDev, trainLoop } from "./loop.ts";
import { resolveTrainerSettings } from "./trainer_settings.ts";
import {
  teacherDocumentsOf,
  type TrainerOptions,
  type TrainingData,
  type TrainingObjective,
  type TrainingResult,
} from "./types.ts";

/**
 * Train the dual encoder `encoder` (a student, or a teacher on labels) in place on `data` with
 * `objective`, by the one training loop with the defaults of {@link TrainerOptions} (resolved by
 * `resolveTrainerSettings`). With `checkpointDir` and `resume`, a run continues from the latest
 * checkpoint and ends with the same weights as an uninterrupted run (for a fixed backend and
 * thread count). Throws `NonFiniteLossError` on a NaN/Inf loss. With `data.generated`, every
 * step also trains a batch of generated examples on `generatedObjective` (required then; the
 * embedding-matching terms only), gradients summed before clipping.
 */
export async function train(
  encoder: TrainableDualEncoder,
  data: TrainingData,
  objective: TrainingObjective,
  options: TrainerOptions,
  generatedObjective?: TrainingObjective,
): Promise<TrainingResult> {
  const { steps, dev } = options;
  const settings = resolveTrainerSettings(options);
  const root = options.checkpointDir;
  const loopDev: LoopDev | undefined = dev === undefined || settings.dev.kind === "none"
    ? undefined
    : {
      evaluate: (step) =>
        evaluateStudent(encoder, dev, data.documents, teacherDocumentsOf(data.teacher), step),
      every: settings.evalEvery,
      select: settings.dev.select,
    };
  return await trainLoop(
    dualEncoderTrainable(
      encoder,
      data,
      objective,
      settings.negativesPerQuery,
      generatedObjective,
    ),
    {
      steps,
      batchSize: options.batchSize,
      seed: options.seed,
      examples: data.examples.length,
      schedule: settings.schedule,
      // The caller's config keeps its decay filter (a function the settings do not hold).
      optimizer: options.optimizer ?? settings.optimizer,
      maxGradNorm: settings.clip.kind === "none" ? Infinity : settings.clip.maxNorm,
      diagnosticsEvery: settings.diagnosticsEvery,
      ...(loopDev === undefined ? {} : { dev: loopDev }),
      ...(root === undefined ? {} : {
        checkpoints: {
          dir: root,
          every: settings.checkpointEvery,
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
