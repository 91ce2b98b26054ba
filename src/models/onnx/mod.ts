/**
 * ONNX side of the models: BERT encoders exported to ONNX graphs (with pooling, projection and
 * normalisation inside the graph), their `encoder_config.json`, ONNX Runtime encoders that
 * turn token ids or text into embedding matrices, and cross-encoders run in ONNX Runtime.
 *
 * @module
 */

export { buildBertOnnx } from "./export.ts";
export { exportBertEncoder, exportDualEncoderTower } from "./encoder_export.ts";
export { type OnnxEncoderConfig, parseOnnxEncoderConfig } from "./encoder_config.ts";
export { type EncodeOptions, OnnxEncoder } from "./encoder.ts";
export {
  maskedMeans,
  OnnxCrossEncoder,
  type OnnxCrossEncoderOptions,
  type OnnxCrossEncoderOutput,
} from "./cross_encoder.ts";
export {
  DEFAULT_TITLE_JOIN,
  documentText,
  loadDirTokenizer,
  OnnxTextEncoder,
  type TitledText,
} from "./text_encoder.ts";
export { exportOnnxTowers, exportTextEncoderTower, ONNX_TOWER_DIRS } from "./tower_dirs.ts";
export {
  buildEcosystemOnnx,
  completeEcosystemFiles,
  ECOSYSTEM_ONNX,
  ECOSYSTEM_OUTPUTS,
  type EcosystemExportOptions,
  type EcosystemFiles,
  exportEcosystemFiles,
  MODEL_CARD_FILE,
  modelCard,
  transformersJsOptions,
} from "./ecosystem_export.ts";
