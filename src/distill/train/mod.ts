/**
 * The one training loop and what it needs: `trainLoop` over a `Trainable` (students, dual-encoder
 * teachers and cross-encoders), `train` for dual encoders, the fused-Adam optimiser, schedules,
 * checkpoints with exact resume, the trainer's data types (the teacher's signal as one tagged
 * union), batches, hard-negative mining and dev evaluation.
 *
 * @module
 */

export {
  BEST_MODEL_DIR,
  type LoopCheckpoints,
  type LoopDev,
  type LoopOptions,
  optimisationStep,
  type StepReport,
  type StepSettings,
  trainLoop,
} from "./loop.ts";
export type {
  GeneratedBatches,
  SavedModel,
  StepOutcome,
  Trainable,
  TrainableDualEncoder,
} from "./trainable.ts";
export { combineOutcomes, GENERATED_TERM_PREFIX } from "./combine_outcomes.ts";
export { NonFiniteLossError } from "./non_finite.ts";
export { train } from "./trainer.ts";
export {
  type ClipSettings,
  type DevSettings,
  resolveTrainerSettings,
  type TrainerSettings,
} from "./trainer_settings.ts";
export { type LabelledData, trainDualEncoderOnLabels } from "./teacher.ts";
export { dualEncoderTrainable, generatedBatchOf } from "./dual_encoder_trainable.ts";
export { computeStep, listScores, type StepBatch } from "./step.ts";
export {
  type Agreement,
  CANDIDATE_MASK,
  type CandidateTeacher,
  type DevSet,
  type InBatchScorerTeacher,
  type StepTensors,
  teacherDocumentsOf,
  type TeacherSignal,
  type TrainerOptions,
  type TrainingData,
  type TrainingEvent,
  type TrainingExample,
  type TrainingObjective,
  type TrainingResult,
  type TrainingSeconds,
} from "./types.ts";
export { AdamOptimizer, type OptimizerConfig } from "./optimizer.ts";
export type { Schedule } from "./schedule.ts";
export type { EvalRecord } from "./checkpoint.ts";
export { padSequences } from "./batch_rows.ts";
export { mineHardNegatives } from "./negatives.ts";
export { studentEmbeddings } from "./dev_eval.ts";
