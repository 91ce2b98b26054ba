/**
 * Teachers trained from scratch: `trainTeacher(config)` (a dual encoder or a cross-encoder on the
 * labels of a split, written as a self-contained model directory with its provenance), its
 * settings with every default, and the content address `teacherConfigHash`.
 *
 * @module
 */

export {
  TEACHER_FILES,
  type TeacherConfig,
  type TeacherEvent,
  type TeacherResult,
  trainTeacher,
} from "./train_teacher.ts";
export {
  CODE_SALT,
  type CrossTeacherModel,
  type DualTeacherModel,
  type NegativeSource,
  type ResolvedTeacherSettings,
  resolveTeacherSettings,
  TEACHER_DEFAULTS,
  teacherConfigHash,
  type TeacherDataKey,
  type TeacherModelSettings,
  type TeacherSettings,
  type TeacherSize,
  type TeacherTraining,
  type TeacherVocabulary,
  type TrainingLength,
} from "./settings.ts";
export {
  type EngineSummary,
  engineSummary,
  kernelPeakRss,
  PeakMemory,
  type PhaseSeconds,
  type TeacherProvenance,
} from "./provenance.ts";
