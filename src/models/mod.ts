/**
 * Models: the BERT encoder in tfjs with Hugging Face names, its float64 reference, safetensors
 * checkpoints, dual encoders, cross-encoders and model directories.
 *
 * @module
 */

export {
  BERT_DEFAULTS,
  type BertConfig,
  fromHfConfig,
  type NamedTensor,
  type NamedTensors,
  type Pooling,
  toHfConfig,
} from "./config.ts";
export {
  decodeTensor,
  elementCount,
  encodeSafetensors,
  parseSafetensors,
  readSafetensors,
  readSafetensorsFile,
  SAFETENSORS_DTYPE_SIZES,
  type SafetensorsContents,
  type SafetensorsDtype,
  type SafetensorsEntry,
  type SafetensorsFile,
  type SafetensorsWriteOptions,
  writeSafetensorsFile,
} from "./safetensors.ts";
export { bertParameterShapes, findTensor, poolerShapes, takeTensors } from "./bert_names.ts";
export {
  BERT_INIT_STD,
  initBertWeights,
  type InitOptions,
  initTensor,
  type NormalSampler,
  normalSampler,
} from "./init.ts";
export {
  MASK_BIAS,
  type ReferenceBatch,
  referenceForward,
  referenceLayerNorm,
  referenceLinear,
  referenceParam,
  referencePool,
  type ReferenceTensor,
  type ReferenceWeights,
} from "./bert_reference.ts";
export {
  batchRows,
  type BertInputs,
  bertInputs,
  checkTokenBatch,
  type TokenBatch,
} from "./token_batch.ts";
export {
  disposeParameters,
  fromVariables,
  param,
  type Parameters,
  toVariables,
} from "./parameters.ts";
export { attentionBias, bertForward, linear } from "./bert.ts";
export { pool, type SegmentMasks, segmentMasks } from "./pooling.ts";
export { l2Normalize, NORM_EPS, pairSimilarity, similarityMatrix } from "./similarity.ts";
export {
  collectModelWeights,
  type CrossEncoderSpec,
  type CrossScorer,
  type DualEncoderSpec,
  embeddingDim,
  initModelWeights,
  modelParameterShapes,
  type ModelSpec,
  type Side,
  type Similarity,
  type Tower,
  towerOf,
  towerPrefix,
  type Towers,
  validateSpec,
} from "./model_spec.ts";
export {
  createDualEncoder,
  type DualEncoder,
  embed,
  scoreBatches,
  towerVariables,
} from "./dual_encoder.ts";
export {
  createCrossEncoder,
  type CrossEncoder,
  crossEncoderForward,
  type CrossEncoderOutput,
} from "./cross_encoder.ts";
export {
  referenceCrossForward,
  type ReferenceCrossOutput,
  referenceEmbed,
  referenceScoreBatches,
  referenceSimilarity,
} from "./model_reference.ts";
export { type LayerSubset, selectLayers } from "./layer_subset.ts";
export {
  loadModelDir,
  MODEL_FILES,
  MODEL_FORMAT_VERSION,
  saveModelDir,
  specFromConfigJson,
  specToConfigJson,
  type StoredModel,
} from "./model_dir.ts";
export { modelHash } from "./model_hash.ts";
export {
  checkGradients,
  type CoordinateCheck,
  type GradientCheckOptions,
  type GradientCheckReport,
  type TensorCheck,
} from "./gradient_check.ts";
export { FIXTURE_BATCH, FIXTURE_CONFIG, writeForwardFixture } from "./forward_fixture.ts";
export {
  createModel,
  disposeModel,
  loadModel,
  modelWeights,
  type RetrievalModel,
  saveModel,
} from "./retrieval_model.ts";
export {
  floatAttr,
  intAttr,
  intsAttr,
  type OnnxAttribute,
  type OnnxDim,
  type OnnxElementType,
  OnnxGraphBuilder,
  type OnnxModelOptions,
} from "../engine/onnx_graph.ts";
export {
  buildBertOnnx,
  EMBEDDING_OUTPUT,
  ENCODER_INPUTS,
  exportedDimension,
  HIDDEN_OUTPUT,
  ONNX_MODEL_FILE,
  type OnnxExportOptions,
  type Projection,
  saveOnnxModel,
} from "./onnx/export.ts";
export {
  type EncoderExportOptions,
  exportBertEncoder,
  exportDualEncoderTower,
} from "./onnx/encoder_export.ts";
export {
  type EncoderPooling,
  type EncoderSimilarity,
  ONNX_ENCODER_CONFIG_FILE,
  ONNX_ENCODER_DEFAULTS,
  type OnnxEncoderConfig,
  onnxEncoderConfigJson,
  parseOnnxEncoderConfig,
  readOnnxEncoderConfig,
  writeOnnxEncoderConfig,
} from "./onnx/encoder_config.ts";
export {
  type EncodedMatrix,
  type EncodeOptions,
  type EncodeProgress,
  OnnxEncoder,
  type OnnxEncoderInfo,
  type OnnxEncoderLoadOptions,
} from "./onnx/encoder.ts";
export {
  DEFAULT_TITLE_JOIN,
  documentText,
  loadDirTokenizer,
  OnnxTextEncoder,
  type TextEncoderInfo,
  type TextEncoderLoadOptions,
  type TitledText,
  type TitleJoin,
  TOKENIZER_FILES,
  type TokenizerSource,
} from "./onnx/text_encoder.ts";
