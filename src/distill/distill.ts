/**
 * `distill(config)`: the library entry point. A dual-encoder or cross-encoder teacher (model
 * directory or in memory) + training data (corpus, train queries and qrels, optional dev split) + a student spec
 * + a loss recipe -> a trained student model directory (projection included) and its ONNX
 * export, without the experiment suite.
 *
 * @module
 */

import { loadDirTokenizer } from "../models/onnx/mod.ts";
import type { WordPieceTokenizer } from "../text/mod.ts";
import { resolveDistillSettings } from "./settings.ts";
import { currentEngineSummary, type DistillProvenance, settingsHash } from "./provenance.ts";
import { PeakMemory } from "./teacher/mod.ts";
import { type DistillConfig, type DistillResult, inspectDistillData } from "./distill_config.ts";
import { prepareTeacher, resolveTeacher } from "./prepare_teacher.ts";
import { finaliseStudent, type TrainedStudent, trainStudent } from "./train_student.ts";

async function resolveTokenizer(config: DistillConfig): Promise<WordPieceTokenizer> {
  if (config.tokenizer !== undefined) return config.tokenizer;
  if (config.teacher.kind !== "dir") {
    throw new TypeError("Cannot distil: an in-memory teacher needs a tokenizer in the config");
  }
  return (await loadDirTokenizer(config.teacher.path)).tokenizer;
}

/**
 * Distil a student from a teacher. The teacher's query and document embeddings are computed once
 * (cached by content hash); training batches pair each training query with a relevant document
 * (in-batch negatives, optional mined hard negatives); the best dev checkpoint (or the last step
 * without a dev split) is written to `outputDir` with its tokenizer and ONNX export.
 *
 * A cross-encoder teacher scores fixed candidate lists (positive + k first-stage negatives) once,
 * cached; the student trains on those lists (`first-column` layout) with score KD and, for dual
 * pooling, matching of the CE's query (and document-side) embeddings; see `CeTeacherConfig`.
 *
 * With `queryGeneration` (dual-encoder teachers), queries generated from `data.unlabelled`
 * (cached; copies of training or dev queries dropped) get the teacher's query embeddings too, and
 * every step adds a batch of them, trained on the recipe's embedding-matching terms only (no
 * labels), to the labelled batch. The result's `provenance` names the student, the resolved
 * settings, the teacher and the dataset by hash, with the engine, seed, time per phase and peak
 * memory.
 *
 * @example
 * ```ts
 * const { modelDir, onnx } = await distill({
 *   teacher: { kind: "dir", path: "models/teacher" }, // config.json, model.safetensors, tokenizer.json
 *   data: { corpus, trainQueries, trainQrels, devQueries, devQrels },
 *   student: {
 *     kind: "asymmetric",
 *     encoder: { ...teacherEncoder, numLayers: 1, hiddenSize: 32, intermediateSize: 128 },
 *     init: { kind: "random", seed: 7 },
 *   },
 *   loss: { terms: [{ kind: "score-kd" }, { kind: "embed-match", side: "query" }] },
 *   training: { steps: 1000, batchSize: 32, learningRate: 1e-3 },
 *   outputDir: "models/student",
 * });
 * ```
 */
export async function distill(config: DistillConfig): Promise<DistillResult> {
  const memory = new PeakMemory();
  let t0 = performance.now();
  const source = await resolveTeacher(config.teacher);
  const report = inspectDistillData(config.data);
  const settings = resolveDistillSettings(source.spec, { ...config, data: report.sizes });
  const tokenizer = await resolveTokenizer(config);
  const prepared = await prepareTeacher(source, tokenizer, config);
  const prepare = (performance.now() - t0) / 1000;
  memory.sample();
  t0 = performance.now();
  let trained: TrainedStudent;
  try {
    trained = await trainStudent(prepared, tokenizer, config);
  } finally {
    prepared.release();
  }
  const train = (performance.now() - t0) / 1000;
  memory.sample();
  t0 = performance.now();
  const { modelHash: studentHash, ...written } = await finaliseStudent(
    prepared,
    trained,
    tokenizer,
    config,
  );
  const exported = (performance.now() - t0) / 1000;
  const provenance: DistillProvenance = {
    modelHash: studentHash,
    configHash: settingsHash(settings),
    teacherHash: prepared.hash,
    datasetChecksum: config.datasetChecksum ?? null,
    engine: await currentEngineSummary(),
    seed: settings.training.seed,
    seconds: { prepare, train, export: exported },
    peakRssBytes: memory.peak(),
  };
  return {
    ...written,
    settings,
    missingDocuments: report.missingDocuments,
    queryGeneration: prepared.queryGeneration,
    provenance,
  };
}
