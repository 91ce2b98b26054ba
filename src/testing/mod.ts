/**
 * Test support: where the shared real IR data lives, tiny model configurations, a tiny synthetic
 * training task, seeded random matrices, float64 reference implementations of the models, of the
 * distillation losses and of the evaluation (the oracles of the parity and gradient tests),
 * finite-difference gradient checking, the forward fixture the PyTorch peer compares against, and
 * the dataset-fetch fixtures and the tiny seq2seq query-generator graphs. Imported by tests only.
 *
 * @module
 */

export { REPO_ROOT, type SharedData, sharedData, sharedPath } from "./shared_data.ts";
export { randomMatrix } from "./random_matrix.ts";
export {
  checkLossGradients,
  type LossGradientCheck,
  refEmbedMatch,
  refInBatchMarginMse,
  type RefKdOptions,
  refLogSoftmax,
  refMarginMse,
  refOneHot,
  type RefProjection,
  refScoreKd,
  type Rows,
} from "./loss_reference.ts";
export { MICRO_BERT, TINY_BERT } from "./tiny_configs.ts";
export { randomBertWeights, randomTokenIds } from "./random_bert.ts";
export {
  type ReferenceBatch,
  referenceForward,
  referenceLayerNorm,
  referenceLinear,
  referenceParam,
  referencePool,
  type ReferenceTensor,
  type ReferenceWeights,
  toReferenceBatch,
} from "./bert_reference.ts";
export {
  referenceCrossForward,
  type ReferenceCrossOutput,
  referenceEmbed,
  referenceScoreBatches,
  referenceSimilarity,
} from "./model_reference.ts";
export {
  checkGradients,
  type CoordinateCheck,
  type GradientCheckOptions,
  type GradientCheckReport,
  type TensorCheck,
} from "./gradient_check.ts";
export { type ForwardFixtureExpected, withForwardFixture } from "./forward_fixture.ts";
export { parseRunText, referenceEvaluate } from "./reference_eval.ts";
export { beirZip, serveFixture, testLock } from "./fetch_fixture.ts";
export {
  buildCopyDecoder,
  buildTinyEncoder,
  TINY_SEQ2SEQ_IDS,
  TINY_SEQ2SEQ_VOCAB,
} from "../querygen/seq2seq_fixture.ts";
export {
  encoderConfig,
  teacherSpec,
  type TinyTask,
  tinyTask,
  type TinyTaskOptions,
} from "./tiny_task.ts";
export { FIXTURE_STEPS } from "./train_resume_fixture.ts";
export { type TeacherOnDisk, teacherOnDisk } from "./teacher_on_disk.ts";
export { type SearchFixture, searchFixture } from "./search_fixture.ts";
export {
  childLines,
  killWhenWalGrows,
  sampleCell,
  sampleRun,
  withTempStore,
} from "./store_fixture.ts";
export {
  type CapturedIo,
  captureIo,
  runTask,
  taskCommand,
  type TaskEnvironment,
  type TaskOutput,
} from "./run_task.ts";
export {
  FIXTURE_LAYOUT,
  FIXTURE_QUERIES,
  type FixtureRunOptions,
  withFixtureStore,
  writeFixtureRun,
} from "./report_fixture.ts";
export { type ChromiumForTests, chromiumForTests } from "./chromium.ts";
export { runUnpermitted } from "./unpermitted.ts";
