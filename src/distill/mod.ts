/**
 * Distillation: `distill(config)` (teacher -> student via a loss recipe), the loss recipe, students
 * of a dual-encoder teacher, the teacher's cached embeddings, cross-encoder teachers, and the
 * training loop. The sub-folders' faces hold the detail: ./loss/mod.ts (each loss, the
 * objective), ./cross_encoder/mod.ts (CE targets and training), ./train/mod.ts (the loop).
 *
 * @module
 */

export { distill } from "./distill.ts";
export {
  type DistillConfig,
  type DistillData,
  type DistillDataReport,
  type DistillResult,
  type DistillTraining,
  inspectDistillData,
  type TeacherSource,
} from "./distill_config.ts";
export { recipeObjective } from "./train_student.ts";
export {
  type DataSettings,
  defaultRecipe,
  type DistillSettings,
  type DistillTeacherSettings,
  resolveDistillSettings,
} from "./settings.ts";
export {
  capPerDocument,
  generatedRecipe,
  type QueryGenerationConfig,
  type QueryGenerationReport,
  type QueryGenerationSettings,
} from "./query_generation.ts";
export { type DistillPhaseSeconds, type DistillProvenance, settingsHash } from "./provenance.ts";
export {
  describeMissingDocuments,
  type MissingDocuments,
  missingDocuments,
} from "./missing_documents.ts";
export { type LossRecipe, type LossTerm, parseRecipe, resolveRecipe } from "./loss/mod.ts";
export {
  buildStudent,
  type Student,
  type StudentInit,
  type StudentSpec,
  type TeacherModel,
} from "./student.ts";
export {
  type Embedder,
  modelEmbedder,
  teacherEmbeddings,
  type TeacherEngine,
} from "./teacher_cache.ts";
export {
  type CeDiagnostic,
  type CeFirstStage,
  type CeTeacherConfig,
  type CeTrainOptions,
  type CeTrainResult,
  type CrossEncoderTeacher,
  diagnoseCrossEncoder,
  type Geometry,
  readDocumentEmbeddings,
  trainCrossEncoder,
} from "./cross_encoder/mod.ts";

export {
  type Agreement,
  type EvalRecord,
  type LabelledData,
  NonFiniteLossError,
  trainDualEncoderOnLabels,
  type TrainingEvent,
  type TrainingExample,
  type TrainingResult,
} from "./train/mod.ts";
export * from "./teacher/mod.ts";
