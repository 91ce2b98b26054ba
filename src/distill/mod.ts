/**
 * Distillation: the EmbedDistill losses (one-hot, score KD, Margin-MSE, embedding matching,
 * cross-encoder dual-pooling matching) and their combined objective, students, query generation
 * and the trainer.
 *
 * @module
 */

export { type PositiveLayout, positiveMask } from "./loss_layout.ts";
export { oneHotLoss, type OneHotOptions } from "./loss_one_hot.ts";
export {
  SCORE_KD_DEFAULTS,
  type ScoreKdForm,
  scoreKdLoss,
  type ScoreKdOptions,
  type ScoreKdRescale,
} from "./loss_score_kd.ts";
export {
  inBatchMarginMseLoss,
  type InBatchMarginMseOptions,
  marginMseLoss,
  type MarginPairs,
} from "./loss_margin_mse.ts";
export {
  applyProjection,
  createProjection,
  disposeProjection,
  type EmbedProjection,
  loadProjection,
  type ProjectionOptions,
  projectionTensors,
  projectionVariables,
} from "./loss_projection.ts";
export {
  EMBED_MATCH_EPS,
  type EmbedDistance,
  embedDistances,
  embedMatchLoss,
  type EmbedMatchOptions,
} from "./loss_embed_match.ts";
export {
  type CeDocumentSide,
  crossEncoderDocumentAlone,
  type CrossEncoderTargets,
  crossEncoderTargets,
  documentAloneBatch,
} from "./loss_cross_encoder.ts";
export {
  canonicalRecipe,
  type EmbedMatchTerm,
  type LossRecipe,
  type LossTerm,
  type MarginMseTerm,
  type OneHotTerm,
  parseRecipe,
  type ResolvedLossTerm,
  type ResolvedRecipe,
  resolveRecipe,
  type ScoreKdTerm,
} from "./objective_recipe.ts";
export { computeObjective, type ObjectiveInputs, type ObjectiveResult } from "./objective.ts";
export {
  type GeneratedQuery,
  generatedQueryId,
  type GenerateOptions,
  type GenerationProgress,
  generatorLabel,
  type QueryGenerator,
  type QueryGeneratorConfig,
  type SourceDocument,
} from "./query_gen.ts";
export { configHash, corpusHash } from "./query_gen_hash.ts";
export {
  SALIENT_TERM_DEFAULTS,
  type SalientTermConfig,
  SalientTermGenerator,
} from "./query_gen_salient.ts";
export { type FirstWordsConfig, FirstWordsGenerator } from "./query_gen_first_words.ts";
export {
  type Decoding,
  type GreedyDecoding,
  type TopKDecoding,
  validateDecoding,
} from "./query_gen_decode.ts";
export {
  type QueryTokenizer,
  vocabQueryTokenizer,
  type VocabTokenizerOptions,
  wordPieceQueryTokenizer,
} from "./query_gen_tokenizer.ts";
export {
  OPTIMUM_SEQ2SEQ_NAMES,
  type Seq2SeqConfig,
  type Seq2SeqGraphNames,
  type Seq2SeqOptions,
} from "./query_gen_seq2seq_config.ts";
export { Seq2SeqQueryGenerator } from "./query_gen_seq2seq.ts";
export {
  type CachedQueries,
  generateCached,
  GENERATED_QUERIES_FILE,
  GENERATED_QUERIES_META_FILE,
  generatedQueriesDir,
  type QueryCacheOptions,
  readGeneratedQueries,
  writeGeneratedQueries,
} from "./query_gen_cache.ts";
export {
  assertNoLeak,
  findQueryLeaks,
  type HeldOutQuery,
  normalizeQueryText,
  type QueryLeak,
  QueryLeakError,
} from "./query_gen_leak.ts";
export {
  type ConstantSchedule,
  learningRate,
  type LinearSchedule,
  type Schedule,
  validateSchedule,
} from "./schedule.ts";
export {
  AdamOptimizer,
  clipByGlobalNorm,
  decaysByDefault,
  type OptimizerConfig,
  type OptimizerState,
  optimizerStateFrom,
  optimizerTensors,
} from "./optimizer.ts";
export {
  type AsymmetricStudentSpec,
  buildStudent,
  type Student,
  type StudentInit,
  studentModelSpec,
  type StudentSpec,
  type SymmetricStudentSpec,
  type TeacherModel,
  towerTensors,
} from "./student.ts";
export {
  type CachedEmbeddings,
  type EmbeddingMatrix,
  TEACHER_EMBEDDINGS_FILE,
  teacherEmbeddings,
  type TeacherEmbedOptions,
  type TeacherEngine,
} from "./teacher_cache.ts";
export {
  type Checkpoint,
  CHECKPOINT_FILES,
  type CheckpointContents,
  checkpointName,
  type CheckpointWriteOptions,
  type EvalRecord,
  readCheckpoint,
  readLatestCheckpoint,
  type TrainerState,
  writeCheckpoint,
} from "./checkpoint.ts";
export type {
  Agreement,
  CandidateTeacher,
  DevSet,
  ObjectiveValue,
  StepTensors,
  TrainerOptions,
  TrainingData,
  TrainingEvent,
  TrainingExample,
  TrainingObjective,
  TrainingResult,
} from "./trainer_types.ts";
export { CANDIDATE_MASK } from "./trainer_types.ts";
export { batchesPerEpoch, BatchOrder, type DataPosition, dataPosition } from "./trainer_batches.ts";
export { DEFAULT_DEV_MEASURES, evaluateStudent, studentEmbeddings } from "./trainer_eval.ts";
export { computeStep, listScores } from "./trainer_step.ts";
export { gatherRows, padSequences } from "./batch_rows.ts";
export { mineHardNegatives } from "./trainer_negatives.ts";
export { BEST_MODEL_DIR, NonFiniteLossError, train } from "./trainer.ts";
export {
  type CeTokens,
  type CrossEncoderTeacher,
  documentAloneRows,
  pairRows,
} from "./ce_teacher.ts";
export {
  type CandidateInputs,
  candidateLists,
  type CandidateTexts,
  type CeFirstStage,
} from "./ce_candidates.ts";
export {
  CE_TARGETS_FILE,
  type CeTargetOptions,
  type CeTargets,
  crossEncoderTargetsCached,
} from "./ce_targets.ts";
export { crossEncoderScoreMatrix } from "./ce_in_batch.ts";
export { type CeTrainOptions, type CeTrainResult, trainCrossEncoder } from "./ce_train.ts";
export {
  CE_DOCUMENT_FILES,
  readDocumentEmbeddings,
  writeDocumentEmbeddings,
} from "./ce_document_embeddings.ts";
export {
  type CeInputs,
  type CePrepared,
  type CeTeacherConfig,
  crossEncoderAsTeacher,
  crossEncoderRecipe,
  prepareCrossEncoder,
} from "./ce_distill.ts";
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
