/**
 * `distill(config)`: the library entry point. A dual-encoder or cross-encoder teacher (model
 * directory or in memory) + training data (corpus, train queries and qrels, optional dev split) + a student spec
 * + a loss recipe -> a trained student model directory (projection included) and its ONNX
 * export, without the experiment suite.
 *
 * @module
 */

import { join, resolve } from "node:path";
import { match } from "ts-pattern";
import type { Document, Query } from "../data/mod.ts";
import type { Qrels } from "../eval/mod.ts";
import {
  type CrossEncoderSpec,
  disposeParameters,
  type DualEncoderSpec,
  fromVariables,
  loadModelDir,
  modelHash,
  type NamedTensors,
  saveModelDir,
  withPrompt,
} from "../models/mod.ts";
import {
  DEFAULT_TITLE_JOIN,
  documentText,
  exportEcosystemFiles,
  exportOnnxTowers,
  loadDirTokenizer,
} from "../models/onnx/mod.ts";
import { writeTeacherRecord } from "../models/mod.ts";
import { saveTokenizerJson, WordPieceTokenizer } from "../text/mod.ts";
import {
  type CeTeacherConfig,
  type CrossEncoderTeacher,
  prepareCrossEncoder,
  writeDocumentEmbeddings,
} from "./cross_encoder/mod.ts";
import { computeObjective, type LossRecipe } from "./loss/mod.ts";
import { type MissingDocuments, missingDocuments } from "./missing_documents.ts";
import {
  type DataSettings,
  DISTILL_TRAINING_DEFAULTS,
  distillRecipe,
  type DistillSettings,
  resolveDistillSettings,
} from "./settings.ts";
import { buildStudent, type StudentSpec, type TeacherModel } from "./student.ts";
import { currentEngineSummary, type DistillProvenance, settingsHash } from "./provenance.ts";
import {
  generatedRecipe,
  generateForDistill,
  type QueryGenerationConfig,
  type QueryGenerationReport,
} from "./query_generation.ts";
import { PeakMemory } from "./teacher/mod.ts";
import type { Matrix } from "../io/mod.ts";
import { teacherEmbeddings, type TeacherEngine } from "./teacher_cache.ts";
import {
  BEST_MODEL_DIR,
  type DevSet,
  mineHardNegatives,
  teacherDocumentsOf,
  train,
  type TrainerOptions,
  type TrainingData,
  type TrainingEvent,
  type TrainingExample,
  type TrainingObjective,
  type TrainingResult,
} from "./train/mod.ts";

/** The data a student is distilled on. */
export interface DistillData {
  /** The corpus (a document's non-empty title is prepended to its text). */
  readonly corpus: readonly Document[];
  readonly trainQueries: readonly Query[];
  /** Training pairs: every (query, document) judged > 0. */
  readonly trainQrels: Qrels;
  /**
   * Optional dev split (used when it has at least one query): evaluated during training, selects
   * the best checkpoint.
   */
  readonly devQueries?: readonly Query[];
  readonly devQrels?: Qrels;
  /**
   * Unlabelled documents queries are generated from (with {@link DistillConfig.queryGeneration};
   * each must be in the corpus). Default: none.
   */
  readonly unlabelled?: readonly Document[];
}

/**
 * Where the teacher comes from: a model directory (dual encoder or cross-encoder) or a model in
 * memory (a dual encoder's {@link TeacherModel} or a {@link CrossEncoderTeacher}).
 */
export type TeacherSource =
  | { readonly kind: "dir"; readonly path: string }
  | { readonly kind: "model"; readonly model: TeacherModel | CrossEncoderTeacher };

/** Training settings of {@link distill}; every field has a default. */
export type DistillTraining = Partial<
  Omit<TrainerOptions, "dev" | "checkpointDir" | "onEvent" | "resume">
>;

/** Everything {@link distill} needs. */
export interface DistillConfig {
  readonly teacher: TeacherSource;
  /** Default: `tokenizer.json` of the teacher's directory (required for in-memory teachers). */
  readonly tokenizer?: WordPieceTokenizer;
  readonly data: DistillData;
  readonly student: StudentSpec;
  /**
   * Default: score KD (Eq. 11) + query embedding matching (Eq. 7), weights 1, and for a
   * symmetric student also document embedding matching (Eq. 8): EmbedDistill's objective.
   */
  readonly loss?: LossRecipe;
  /**
   * Defaults: steps 1000, batchSize 32, seed 42, AdamW, peak rate 5e-4 with 10 % warm-up and
   * linear decay, clip 1, dev evaluation every steps / 5 (RR@10, nDCG@10; best by RR@10).
   */
  readonly training?: DistillTraining;
  /** Teacher-mined hard negatives per query (default 0: in-batch negatives only, as the paper). */
  readonly hardNegatives?: number;
  /**
   * Cross-encoder teachers only: candidate lists, document side, scoring mode (see
   * {@link CeTeacherConfig}; all defaulted). `hardNegatives` does not apply: use its `negatives`.
   */
  readonly crossEncoder?: CeTeacherConfig;
  /** The student model directory goes here; checkpoints in `checkpoints/`, ONNX in `onnx-*`. */
  readonly outputDir: string;
  /** Continue from `outputDir/checkpoints` when present (default false). */
  readonly resume?: boolean;
  /** Export both towers to ONNX (default true). */
  readonly exportOnnx?: boolean;
  /** Engine for a dual-encoder teacher's embeddings (default `onnx`; a cross-encoder runs in tfjs). */
  readonly teacherEngine?: TeacherEngine;
  /**
   * Query generation (default none): queries generated from `data.unlabelled` train in their own
   * batches, one per step beside the labelled batch, on the recipe's embedding-matching terms
   * only (times `weight`); dual-encoder teachers only.
   */
  readonly queryGeneration?: QueryGenerationConfig;
  /** The dataset's checksum, recorded in the provenance when given (e.g. `LoadedSplit.checksum`). */
  readonly datasetChecksum?: string;
  /** Cache root (default `$EMBEDDISTILL_HOME`). */
  readonly home?: string;
  readonly onEvent?: (event: TrainingEvent) => void;
}

/** What {@link distill} produced. */
export interface DistillResult {
  /** The student's model directory (config.json, model.safetensors, tokenizer.json). */
  readonly modelDir: string;
  /**
   * ONNX encoder directories of each tower (null when not exported). `document` is null for an
   * asymmetric student of a cross-encoder: its documents are {@link documentEmbeddings}.
   */
  readonly onnx: { readonly query: string; readonly document: string | null } | null;
  /**
   * An asymmetric student of a cross-encoder scores against the CE's document-alone embeddings:
   * written to `outputDir/document-embeddings.safetensors` ("embeddings" [documents, hidden], in
   * corpus order; ids one per line in `document-ids.txt`). Null otherwise.
   */
  readonly documentEmbeddings: string | null;
  readonly training: TrainingResult;
  /** Content hash of the teacher (dual encoder or cross-encoder). */
  readonly teacherHash: string;
  /** Every setting of the run, defaults resolved (see `resolveDistillSettings`). */
  readonly settings: DistillSettings;
  /** Qrels lines naming documents absent from the corpus (see {@link inspectDistillData}). */
  readonly missingDocuments: DistillDataReport["missingDocuments"];
  /** What query generation produced (null without it). */
  readonly queryGeneration: QueryGenerationReport | null;
  /** Hashes, engine, seed, wall time per phase and peak memory of the run. */
  readonly provenance: DistillProvenance;
}

/** What {@link finaliseStudent} wrote, with the saved student's model hash. */
export type FinalisedStudent =
  & Omit<DistillResult, "settings" | "missingDocuments" | "queryGeneration" | "provenance">
  & { readonly modelHash: string };

/** What {@link inspectDistillData} finds in a run's data. */
export interface DistillDataReport {
  readonly sizes: DataSettings;
  /**
   * Judgments naming a document that is not in the corpus: left out of the training pairs;
   * in the dev qrels they stay relevant documents no student can retrieve.
   */
  readonly missingDocuments: {
    readonly train: MissingDocuments;
    readonly dev: MissingDocuments;
  };
}

/** Whether the data has a dev split to evaluate (dev queries and their qrels, at least one). */
function hasDev(
  data: DistillData,
): data is DistillData & { devQueries: readonly Query[]; devQrels: Qrels } {
  return data.devQueries !== undefined && data.devQrels !== undefined &&
    data.devQueries.length > 0;
}

/**
 * Sizes of `data` (documents, training queries and pairs, dev queries) and the qrels lines that
 * name documents absent from the corpus, for a run to report before it trains.
 */
export function inspectDistillData(data: DistillData): DistillDataReport {
  const ids = new Set(data.corpus.map((d) => d.id));
  const train = missingDocuments(data.trainQrels, ids);
  const dev = hasDev(data)
    ? missingDocuments(data.devQrels, ids)
    : { judgments: 0, documents: 0, firstIds: [] };
  let trainJudgments = 0;
  for (const q of data.trainQueries) {
    for (const [docId, label] of data.trainQrels.queries.get(q.id) ?? []) {
      if (label > 0 && ids.has(docId)) trainJudgments++;
    }
  }
  return {
    sizes: {
      documents: data.corpus.length,
      trainQueries: data.trainQueries.length,
      trainJudgments,
      devQueries: hasDev(data) ? data.devQueries.length : 0,
    },
    missingDocuments: { train, dev },
  };
}

/** The trainer's objective for a loss recipe (EmbedDistill's combined objective). */
export function recipeObjective(recipe: LossRecipe): TrainingObjective {
  return (step) => computeObjective(recipe, step);
}

async function resolveTeacher(source: TeacherSource): Promise<TeacherModel | CrossEncoderTeacher> {
  if (source.kind === "model") return source.model;
  const stored = await loadModelDir(source.path);
  // Both branches build the same object; each narrows the spec to one kind for the union.
  return stored.spec.kind === "dual"
    ? { spec: stored.spec, weights: stored.weights }
    : { spec: stored.spec, weights: stored.weights };
}

/** What {@link prepareTeacher} hands to training: the teacher's signal and the student's base. */
export interface PreparedTeacher {
  /** The dual encoder `buildStudent` reads (a CE's dual-encoder view for CE teachers). */
  readonly teacher: TeacherModel;
  readonly data: TrainingData;
  /** Hard negatives per query appended in-batch. */
  readonly negativesPerQuery: number;
  /** Token length of the student's queries (dev queries are cut to it). */
  readonly queryMaxLength: number;
  readonly recipe: LossRecipe;
  /** Content hash of the teacher (dual encoder or cross-encoder). */
  readonly hash: string;
  /** Whether the student's documents are a CE's document-alone embeddings (asymmetric of a CE). */
  readonly shipsDocumentEmbeddings: boolean;
  /** Release what preparing held (a live CE for in-batch scoring); idempotent no-op otherwise. */
  readonly release: () => void;
  /** The objective of the generated batches (with query generation). */
  readonly generatedRecipe?: LossRecipe;
  /** What query generation produced (null without it). */
  readonly queryGeneration: QueryGenerationReport | null;
}

/** What {@link trainStudent} produced. */
export interface TrainedStudent {
  readonly spec: DualEncoderSpec;
  /** The weights of the last step. */
  readonly last: NamedTensors;
  readonly training: TrainingResult;
  /** Where checkpoints (and `best/`) went. */
  readonly checkpointDir: string;
}

function trainingPairs(data: DistillData): {
  examples: TrainingExample[];
  relevant: Map<number, Set<number>>;
} {
  const docIndex = new Map(data.corpus.map((d, i) => [d.id, i]));
  const relevant = new Map<number, Set<number>>();
  const examples: TrainingExample[] = [];
  data.trainQueries.forEach((q, i) => {
    const judged = data.trainQrels.queries.get(q.id);
    for (const [docId, label] of judged ?? []) {
      const doc = docIndex.get(docId);
      if (label <= 0 || doc === undefined) continue;
      examples.push({ query: i, positive: doc });
      relevant.set(i, (relevant.get(i) ?? new Set()).add(doc));
    }
  });
  if (examples.length === 0) {
    throw new RangeError(
      "Cannot distil: no training query has a relevant document in the corpus",
    );
  }
  return { examples, relevant };
}

async function prepareCrossEncoderTeacher(
  ce: CrossEncoderTeacher,
  tokenizer: WordPieceTokenizer,
  config: DistillConfig,
  pairs: ReturnType<typeof trainingPairs>,
): Promise<PreparedTeacher> {
  if ((config.hardNegatives ?? 0) > 0) {
    throw new TypeError(
      "Cannot distil from a cross-encoder with hardNegatives: set crossEncoder.negatives instead",
    );
  }
  if (config.queryGeneration !== undefined) {
    throw new TypeError(
      "Cannot distil from a cross-encoder with query generation: it is supported for dual-encoder teachers only (not yet for cross-encoders)",
    );
  }
  const recipe = distillRecipe(ce.spec, config);
  const { data } = config;
  const prepared = await prepareCrossEncoder(
    ce,
    {
      tokenizer,
      queryTexts: data.trainQueries.map((q) => q.text),
      documentTexts: data.corpus.map((d) => documentText(d, DEFAULT_TITLE_JOIN)),
      ...pairs,
      ...(config.home === undefined ? {} : { home: config.home }),
    },
    config.student,
    recipe,
    config.crossEncoder,
  );
  return {
    teacher: prepared.teacher,
    data: prepared.data,
    negativesPerQuery: prepared.negativesPerQuery,
    queryMaxLength: prepared.queryMaxLength,
    recipe,
    hash: modelHash(ce.spec, ce.weights),
    shipsDocumentEmbeddings: config.student.kind === "asymmetric",
    release: prepared.dispose,
    queryGeneration: null,
  };
}

/** Rows of `a` then rows of `b` (same width). */
function concatRows(a: Matrix, b: Matrix): Matrix {
  if (a.dims !== b.dims) {
    throw new RangeError(`Cannot stack embeddings of width ${a.dims} and ${b.dims}`);
  }
  const vectors = new Float32Array((a.count + b.count) * a.dims);
  vectors.set(a.vectors.subarray(0, a.count * a.dims));
  vectors.set(b.vectors.subarray(0, b.count * b.dims), a.count * a.dims);
  return { count: a.count + b.count, dims: a.dims, vectors };
}

/** Corpus positions of `ids`; throws naming the first id absent from the corpus. */
function corpusPositions(corpus: readonly Document[], ids: readonly string[]): number[] {
  const index = new Map(corpus.map((d, i) => [d.id, i]));
  return ids.map((id) => {
    const found = index.get(id);
    if (found === undefined) {
      throw new RangeError(
        `Cannot generate queries from document "${id}": it is not in the corpus (unlabelled documents must be corpus documents)`,
      );
    }
    return found;
  });
}

/** Generated queries (tokenised), their objective and report, for a dual-encoder teacher. */
async function generatedData(
  qg: QueryGenerationConfig,
  recipe: LossRecipe,
  config: DistillConfig,
  tokenizer: WordPieceTokenizer,
  maxLength: number,
  prompt: string,
) {
  const generated = generatedRecipe(recipe, qg.weight);
  const { data } = config;
  if (data.unlabelled === undefined) {
    throw new TypeError(
      "Cannot generate queries: query generation needs unlabelled documents (data.unlabelled)",
    );
  }
  corpusPositions(data.corpus, data.unlabelled.map((d) => d.id));
  const prepared = await generateForDistill(
    qg,
    data.unlabelled,
    [...data.trainQueries, ...(data.devQueries ?? [])],
    config.home,
  );
  return {
    queries: prepared.queries,
    positives: corpusPositions(data.corpus, prepared.queries.map((q) => q.docId)),
    tokens: prepared.queries.map((q) => tokenizer.encode(prompt + q.text, { maxLength }).ids),
    recipe: generated,
    report: prepared.report,
  };
}

async function prepareDualEncoderTeacher(
  teacher: TeacherModel,
  tokenizer: WordPieceTokenizer,
  config: DistillConfig,
  pairs: ReturnType<typeof trainingPairs>,
): Promise<PreparedTeacher> {
  const { data } = config;
  const queryLength = { maxLength: teacher.spec.queryMaxLength };
  const docLength = { maxLength: teacher.spec.documentMaxLength };
  // The teacher's prompts (sentence-transformers teachers) go before every text; the student
  // inherits them (see studentModelSpec).
  const documents = data.corpus.map((d) =>
    tokenizer.encode(
      withPrompt(teacher.spec, "document", documentText(d, DEFAULT_TITLE_JOIN)),
      docLength,
    )
      .ids
  );
  const trainQueries = data.trainQueries.map((q) =>
    tokenizer.encode(withPrompt(teacher.spec, "query", q.text), queryLength).ids
  );
  const embedOptions = {
    ...(config.teacherEngine === undefined ? {} : { engine: config.teacherEngine }),
    ...(config.home === undefined ? {} : { home: config.home }),
  };
  const recipe = distillRecipe(teacher.spec, config);
  const qg = config.queryGeneration === undefined ? undefined : await generatedData(
    config.queryGeneration,
    recipe,
    config,
    tokenizer,
    queryLength.maxLength,
    teacher.spec.prompts?.query ?? "",
  );
  const queries = qg === undefined ? trainQueries : [...trainQueries, ...qg.tokens];
  const labelledQueries = await teacherEmbeddings(teacher, "query", trainQueries, embedOptions);
  // Generated queries are embedded (and cached) apart: the training queries' entry is shared
  // with runs without query generation.
  const teacherQueries = qg === undefined ? labelledQueries : concatRows(
    labelledQueries,
    await teacherEmbeddings(teacher, "query", qg.tokens, embedOptions),
  );
  const teacherDocuments = await teacherEmbeddings(teacher, "document", documents, embedOptions);
  const negatives = config.hardNegatives ?? 0;
  const examples = negatives > 0
    ? mineHardNegatives(pairs.examples, teacherQueries, teacherDocuments, pairs.relevant, negatives)
    : pairs.examples;
  return {
    teacher,
    data: {
      queries,
      documents,
      examples,
      ...(qg === undefined ? {} : {
        generated: qg.positives.map((positive, i) => ({
          query: trainQueries.length + i,
          positive,
        })),
      }),
      teacher: { kind: "embeddings", queries: teacherQueries, documents: teacherDocuments },
    },
    negativesPerQuery: negatives,
    queryMaxLength: teacher.spec.queryMaxLength,
    recipe,
    hash: modelHash(teacher.spec, teacher.weights),
    shipsDocumentEmbeddings: false,
    release: () => {},
    ...(qg === undefined ? {} : { generatedRecipe: qg.recipe }),
    queryGeneration: qg?.report ?? null,
  };
}

/**
 * Prepare the teacher's signal: training pairs from the qrels, then for a dual encoder its cached
 * query and document embeddings (and mined hard negatives), for a cross-encoder its cached (or
 * live) scores over candidate lists (`prepareCrossEncoder`).
 */
export async function prepareTeacher(
  source: TeacherModel | CrossEncoderTeacher,
  tokenizer: WordPieceTokenizer,
  config: DistillConfig,
): Promise<PreparedTeacher> {
  const pairs = trainingPairs(config.data);
  return await match(source.spec)
    .with(
      { kind: "cross" },
      (spec: CrossEncoderSpec) =>
        prepareCrossEncoderTeacher({ spec, weights: source.weights }, tokenizer, config, pairs),
    )
    .with(
      { kind: "dual" },
      (spec: DualEncoderSpec) =>
        prepareDualEncoderTeacher({ spec, weights: source.weights }, tokenizer, config, pairs),
    )
    .exhaustive();
}

/**
 * Build the student from the prepared teacher and train it by the one loop (checkpoints in
 * `outputDir/checkpoints`, dev evaluation when the data has a dev split).
 */
export async function trainStudent(
  prepared: PreparedTeacher,
  tokenizer: WordPieceTokenizer,
  config: DistillConfig,
): Promise<TrainedStudent> {
  const { data } = config;
  let dev: DevSet | undefined;
  if (hasDev(data)) {
    const queryLength = { maxLength: prepared.queryMaxLength };
    dev = {
      queryIds: data.devQueries.map((q) => q.id),
      queries: data.devQueries.map((q) =>
        tokenizer.encode(withPrompt(prepared.teacher.spec, "query", q.text), queryLength).ids
      ),
      documentIds: data.corpus.map((d) => d.id),
      qrels: data.devQrels,
    };
  }
  const checkpointDir = join(config.outputDir, "checkpoints");
  const t = config.training ?? {};
  const student = await buildStudent(prepared.teacher, config.student);
  try {
    const generated = prepared.generatedRecipe === undefined
      ? undefined
      : recipeObjective(prepared.generatedRecipe);
    const training = await train(student, prepared.data, recipeObjective(prepared.recipe), {
      ...t,
      steps: t.steps ?? DISTILL_TRAINING_DEFAULTS.steps,
      batchSize: t.batchSize ?? DISTILL_TRAINING_DEFAULTS.batchSize,
      seed: t.seed ?? DISTILL_TRAINING_DEFAULTS.seed,
      negativesPerQuery: prepared.negativesPerQuery,
      checkpointDir,
      resume: config.resume ?? false,
      ...(dev === undefined ? {} : { dev }),
      ...(config.onEvent === undefined ? {} : { onEvent: config.onEvent }),
    }, generated);
    return {
      spec: student.model.spec,
      last: fromVariables(student.model.params),
      training,
      checkpointDir,
    };
  } finally {
    disposeParameters(student.model.params);
  }
}

/**
 * Write the student's model directory (the best dev checkpoint, else the last step) with its
 * tokenizer, a CE's document-alone embeddings for an asymmetric student of a CE, and the ONNX
 * export of its towers.
 */
export async function finaliseStudent(
  prepared: PreparedTeacher,
  trained: TrainedStudent,
  tokenizer: WordPieceTokenizer,
  config: DistillConfig,
): Promise<FinalisedStudent> {
  const { spec, training } = trained;
  const modelDir = config.outputDir;
  const weights = training.bestDir === null
    ? trained.last
    : (await loadModelDir(join(trained.checkpointDir, BEST_MODEL_DIR))).weights;
  await saveModelDir(modelDir, spec, weights);
  await saveTokenizerJson(join(modelDir, "tokenizer.json"), tokenizer.config);
  // A CE's documents are not a dual-encoder tower: its asymmetric student ships their embeddings.
  const ceDocuments = prepared.shipsDocumentEmbeddings;
  const documentEmbeddings = ceDocuments
    ? await writeDocumentEmbeddings(
      modelDir,
      config.data.corpus.map((d) => d.id),
      teacherDocumentsOf(prepared.data.teacher)!,
    )
    : null;
  const onnx: DistillResult["onnx"] = (config.exportOnnx ?? true)
    ? await exportOnnxTowers(modelDir, spec, weights, tokenizer, { document: !ceDocuments })
    : null;
  const teacherRecord = config.student.kind === "asymmetric" && config.teacher.kind === "dir"
    ? { path: resolve(config.teacher.path), hash: prepared.hash }
    : undefined;
  if (teacherRecord !== undefined) await writeTeacherRecord(modelDir, teacherRecord);
  // The folder is a sentence-transformers model too (the query tower, with its model card).
  await exportEcosystemFiles(modelDir, spec, weights, tokenizer.config, {
    onnx: config.exportOnnx ?? true,
    shippedDocuments: ceDocuments,
    ...(teacherRecord === undefined ? {} : { teacher: teacherRecord }),
  });
  return {
    modelDir,
    onnx,
    training,
    teacherHash: prepared.hash,
    documentEmbeddings,
    modelHash: modelHash(spec, weights),
  };
}

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
