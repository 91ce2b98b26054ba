/**
 * Distillation: the EmbedDistill losses (one-hot, score KD, Margin-MSE, embedding matching,
 * cross-encoder dual-pooling matching) and their combined objective, students, query generation
 * and the trainer.
 *
 * @module
 */

export { type PositiveLayout, positiveMask } from "./loss/layout.ts";
export { oneHotLoss, type OneHotOptions } from "./loss/one_hot.ts";
export {
  SCORE_KD_DEFAULTS,
  type ScoreKdForm,
  scoreKdLoss,
  type ScoreKdOptions,
  type ScoreKdRescale,
} from "./loss/score_kd.ts";
export {
  inBatchMarginMseLoss,
  type InBatchMarginMseOptions,
  marginMseLoss,
  type MarginPairs,
} from "./loss/margin_mse.ts";
export {
  applyProjection,
  createProjection,
  disposeProjection,
  type EmbedProjection,
  loadProjection,
  type ProjectionOptions,
  projectionTensors,
  projectionVariables,
} from "./loss/projection.ts";
export {
  EMBED_MATCH_EPS,
  type EmbedDistance,
  embedDistances,
  embedMatchLoss,
  type EmbedMatchOptions,
} from "./loss/embed_match.ts";
export {
  type CeDocumentSide,
  crossEncoderDocumentAlone,
  type CrossEncoderTargets,
  crossEncoderTargets,
  documentAloneBatch,
} from "./cross_encoder/pooled_targets.ts";
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
} from "./loss/recipe.ts";
export { computeObjective, type ObjectiveInputs, type ObjectiveResult } from "./loss/objective.ts";
export {
  type GeneratedQuery,
  generatedQueryId,
  type GenerateOptions,
  type GenerationProgress,
  generatorLabel,
  type QueryGenerator,
  type QueryGeneratorConfig,
  type SourceDocument,
} from "../querygen/generator.ts";
export { configHash, corpusHash } from "../querygen/hash.ts";
export {
  SALIENT_TERM_DEFAULTS,
  type SalientTermConfig,
  SalientTermGenerator,
} from "../querygen/salient.ts";
export { type FirstWordsConfig, FirstWordsGenerator } from "../querygen/first_words.ts";
export {
  type Decoding,
  type GreedyDecoding,
  type TopKDecoding,
  validateDecoding,
} from "../querygen/decode.ts";
export {
  type QueryTokenizer,
  vocabQueryTokenizer,
  type VocabTokenizerOptions,
  wordPieceQueryTokenizer,
} from "../querygen/tokenizer.ts";
export {
  OPTIMUM_SEQ2SEQ_NAMES,
  type Seq2SeqConfig,
  type Seq2SeqGraphNames,
  type Seq2SeqOptions,
} from "../querygen/seq2seq_config.ts";
export { Seq2SeqQueryGenerator } from "../querygen/seq2seq.ts";
export {
  type CachedQueries,
  generateCached,
  GENERATED_QUERIES_FILE,
  GENERATED_QUERIES_META_FILE,
  generatedQueriesDir,
  type QueryCacheOptions,
  readGeneratedQueries,
  writeGeneratedQueries,
} from "../querygen/cache.ts";
export {
  assertNoLeak,
  findQueryLeaks,
  type HeldOutQuery,
  normalizeQueryText,
  type QueryLeak,
  QueryLeakError,
} from "../querygen/leak.ts";
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
  type CeTokens,
  type CrossEncoderTeacher,
  documentAloneRows,
  pairRows,
} from "./cross_encoder/teacher.ts";
export {
  type CandidateInputs,
  candidateLists,
  type CandidateTexts,
  type CeFirstStage,
} from "./cross_encoder/candidates.ts";
export {
  CE_TARGETS_FILE,
  type CeTargetOptions,
  type CeTargets,
  crossEncoderTargetsCached,
} from "./cross_encoder/targets.ts";
export { crossEncoderScoreMatrix } from "./cross_encoder/in_batch.ts";
export {
  type Agreement,
  type EvalRecord,
  type LabelledData,
  NonFiniteLossError,
  trainDualEncoderOnLabels,
  type TrainerOptions,
  type TrainingEvent,
  type TrainingExample,
  type TrainingResult,
} from "./train/mod.ts";
export {
  type CeTrainOptions,
  type CeTrainResult,
  trainCrossEncoder,
} from "./cross_encoder/train.ts";
export {
  CE_DOCUMENT_FILES,
  readDocumentEmbeddings,
  writeDocumentEmbeddings,
} from "./cross_encoder/document_embeddings.ts";
export {
  type CeInputs,
  type CePrepared,
  type CeTeacherConfig,
  crossEncoderAsTeacher,
  crossEncoderRecipe,
  prepareCrossEncoder,
} from "./cross_encoder/ce_distill.ts";
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
