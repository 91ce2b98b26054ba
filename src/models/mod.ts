/**
 * Models: the BERT encoder in tfjs with Hugging Face names, dual encoders and cross-encoders as
 * readonly specs, seeded initialisation, safetensors checkpoints and model directories; the ONNX
 * export and ONNX Runtime encoders as the `onnx` namespace (also `./onnx/mod.ts`).
 *
 * @module
 */

export {
  type BertConfig,
  type NamedTensor,
  type NamedTensors,
  type Pooling,
  toHfConfig,
} from "./config.ts";
export { readSafetensorsFile, writeSafetensorsFile } from "./safetensors.ts";
export { initBertWeights, normalSampler } from "./init.ts";
export { bertInputs, checkTokenBatch, type TokenBatch } from "./token_batch.ts";
export { disposeParameters, fromVariables, toVariables } from "./parameters.ts";
export { bertForward } from "./bert.ts";
export { pool, segmentAloneMask } from "./pooling.ts";
export { l2Normalize, NORM_EPS, pairSimilarity, similarityMatrix } from "./similarity.ts";
export {
  collectModelWeights,
  type CrossEncoderSpec,
  type DualEncoderSpec,
  embeddingDim,
  initModelWeights,
  type ModelSpec,
  type Prompts,
  type Side,
  type Similarity,
  type Tower,
  towerOf,
  towerPrefix,
  withPrompt,
} from "./architecture.ts";
export { createDualEncoder, type DualEncoder, embed, scoreBatches } from "./dual_encoder.ts";
export { createCrossEncoder, type CrossEncoder, crossEncoderForward } from "./cross_encoder.ts";
export { selectLayers } from "./layer_subset.ts";
export { warmStart, type WarmStartReport } from "./warm_start.ts";
export { loadModelDir, readModelSpec, saveModelDir, specFromConfigJson } from "./model_dir.ts";
export {
  FOREIGN_DOCUMENT_MAX_LENGTH,
  FOREIGN_QUERY_MAX_LENGTH,
  ST_COSINE_SCALE,
  ST_DENSE_WEIGHTS,
  ST_FILES,
  ST_MODULES,
} from "./foreign_dir.ts";
export {
  ST_MODULE_DIRS,
  TOKENIZER_CONFIG_FILE,
  writeSentenceTransformersFiles,
} from "./st_layout.ts";
export { modelHash } from "./model_hash.ts";
export {
  type ParameterCount,
  parameterCount,
  sizeRatio,
  type TowerParameters,
} from "./parameter_count.ts";
export {
  readTeacherRecord,
  TEACHER_RECORD_FILE,
  type TeacherRecord,
  writeTeacherRecord,
} from "./teacher_record.ts";
export * as onnx from "./onnx/mod.ts";
