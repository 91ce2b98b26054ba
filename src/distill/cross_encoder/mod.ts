/**
 * Cross-encoder teachers (EmbedDistill section 4.2, CE -> DE): candidate lists, the CE's cached
 * targets with `cls` or dual pooling, the document embeddings an asymmetric student scores
 * against, the preparation `distill()` runs for a CE teacher, and CE training.
 *
 * @module
 */

export type { CeTokens, CrossEncoderTeacher } from "./teacher.ts";
export { candidateLists, type CeFirstStage } from "./candidates.ts";
export type { CeDocumentSide } from "./pooled_targets.ts";
export {
  type CeInputs,
  type CePrepared,
  type CeTeacherConfig,
  type CeTeacherSettings,
  crossEncoderRecipe,
  prepareCrossEncoder,
  resolveCeTeacherConfig,
} from "./ce_distill.ts";
export { readDocumentEmbeddings, writeDocumentEmbeddings } from "./document_embeddings.ts";
export {
  type Agreement,
  type CeDiagnostic,
  type CeDiagnosticInputs,
  diagnoseCrossEncoder,
} from "./diagnose.ts";
export { embeddingGeometry, type Geometry } from "./geometry.ts";
export { type TopK, topKByInnerProduct } from "./top_k.ts";
export {
  type CeDev,
  type CePairScorer,
  type CeTrainOptions,
  type CeTrainResult,
  trainCrossEncoder,
} from "./train.ts";
