/**
 * Distillation: `distill(config)` (teacher -> student via a loss recipe), the loss recipe, students
 * of a dual-encoder teacher, the teacher's cached embeddings, cross-encoder teachers, and the
 * training loop. The sub-folders' faces hold the detail: ./loss/mod.ts (each loss, the
 * objective), ./cross_encoder/mod.ts (CE targets and training), ./train/mod.ts (the loop).
 *
 * @module
 */

export {
  defaultRecipe,
  distill,
  type DistillConfig,
  type DistillData,
  type DistillResult,
  type DistillTraining,
  type IdText,
  recipeObjective,
  type TeacherSource,
} from "./distill.ts";
export { type LossRecipe, type LossTerm, parseRecipe, resolveRecipe } from "./loss/mod.ts";
export {
  buildStudent,
  type Student,
  type StudentInit,
  type StudentSpec,
  type TeacherModel,
} from "./student.ts";
export { teacherEmbeddings, type TeacherEngine } from "./teacher_cache.ts";
export {
  type CeTeacherConfig,
  type CeTrainOptions,
  type CeTrainResult,
  type CrossEncoderTeacher,
  readDocumentEmbeddings,
  trainCrossEncoder,
} from "./cross_encoder/mod.ts";

// train/ (C1 replaces this block with re-exports from "./train/mod.ts": the names the CLI and
// the benches need)
export type { Agreement, TrainingData, TrainingEvent } from "./train/types.ts";
export { AdamOptimizer, clipByGlobalNorm } from "./train/optimizer.ts";
export { computeStep } from "./train/step.ts";
