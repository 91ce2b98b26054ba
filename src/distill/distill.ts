/**
 * `distill(config)`: the library entry point. A dual-encoder or cross-encoder teacher (model
 * directory or in memory) + training data (corpus, train queries and qrels, optional dev split) + a student spec
 * + a loss recipe -> a trained student model directory (projection included) and its ONNX
 * export, without the experiment suite.
 *
 * @module
 */

import { join } from "node:path";
import type { Qrels } from "../eval/mod.ts";
import {
  disposeParameters,
  fromVariables,
  loadModelDir,
  modelHash,
  type NamedTensors,
  saveModelDir,
} from "../models/mod.ts";
import { DEFAULT_TITLE_JOIN, documentText, exportDualEncoderTower } from "../models/onnx/mod.ts";
import { loadTokenizerJson, saveTokenizerJson, WordPieceTokenizer } from "../text/mod.ts";
import {
  type CeTeacherConfig,
  crossEncoderRecipe,
  type CrossEncoderTeacher,
  prepareCrossEncoder,
  writeDocumentEmbeddings,
} from "./cross_encoder/mod.ts";
import { computeObjective, type LossRecipe } from "./loss/mod.ts";
import { buildStudent, type StudentSpec, type TeacherModel } from "./student.ts";
import { teacherEmbeddings, type TeacherEngine } from "./teacher_cache.ts";
import { BEST_MODEL_DIR, train } from "./train/trainer.ts";
import { mineHardNegatives } from "./train/negatives.ts";
import type {
  DevSet,
  TrainerOptions,
  TrainingData,
  TrainingEvent,
  TrainingExample,
  TrainingObjective,
  TrainingResult,
} from "./train/types.ts";

/** A text with an id (BEIR fields; a document's non-empty title is prepended to its text). */
export interface IdText {
  readonly id: string;
  readonly text: string;
  readonly title?: string;
}

/** The data a student is distilled on. */
export interface DistillData {
  readonly corpus: readonly IdText[];
  readonly trainQueries: readonly IdText[];
  /** Training pairs: every (query, document) judged > 0. */
  readonly trainQrels: Qrels;
  /** Optional dev split: evaluated during training, selects the best checkpoint. */
  readonly devQueries?: readonly IdText[];
  readonly devQrels?: Qrels;
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
}

/**
 * The default objective of {@link DistillConfig.loss} for a dual-encoder teacher (for a
 * cross-encoder see `crossEncoderRecipe`).
 */
export function defaultRecipe(student: StudentSpec): LossRecipe {
  return {
    terms: [
      { kind: "score-kd" },
      { kind: "embed-match", side: "query" },
      ...(student.kind === "symmetric" ? [{ kind: "embed-match", side: "document" } as const] : []),
    ],
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
  const source = await resolveTeacher(config.teacher);
  let tokenizer = config.tokenizer;
  if (tokenizer === undefined) {
    if (config.teacher.kind !== "dir") {
      throw new TypeError("Cannot distil: an in-memory teacher needs a tokenizer in the config");
    }
    tokenizer = new WordPieceTokenizer(
      await loadTokenizerJson(join(config.teacher.path, "tokenizer.json")),
    );
  }
  const { data } = config;
  const docIndex = new Map(data.corpus.map((d, i) => [d.id, i]));
  const relevant = new Map<number, Set<number>>();
  let examples: TrainingExample[] = [];
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
  let teacher: TeacherModel;
  let trainingData: TrainingData;
  let negatives: number;
  let queryLength: { maxLength: number };
  let recipe = config.loss;
  let release = () => {};
  let hash: string;
  if (source.spec.kind === "cross") {
    if ((config.hardNegatives ?? 0) > 0) {
      throw new TypeError(
        "Cannot distil from a cross-encoder with hardNegatives: set crossEncoder.negatives instead",
      );
    }
    const ce: CrossEncoderTeacher = { spec: source.spec, weights: source.weights };
    recipe ??= crossEncoderRecipe(ce, config.student, config.crossEncoder?.documentSide);
    const prepared = await prepareCrossEncoder(
      ce,
      {
        tokenizer,
        queryTexts: data.trainQueries.map((q) => q.text),
        documentTexts: data.corpus.map((d) => documentText(d, DEFAULT_TITLE_JOIN)),
        examples,
        relevant,
        ...(config.home === undefined ? {} : { home: config.home }),
      },
      config.student,
      recipe,
      config.crossEncoder,
    );
    teacher = prepared.teacher;
    trainingData = prepared.data;
    negatives = prepared.negativesPerQuery;
    queryLength = { maxLength: prepared.queryMaxLength };
    release = prepared.dispose;
    hash = modelHash(ce.spec, ce.weights);
  } else {
    teacher = { spec: source.spec, weights: source.weights };
    queryLength = { maxLength: teacher.spec.queryMaxLength };
    const docLength = { maxLength: teacher.spec.documentMaxLength };
    const documents = data.corpus.map((d) =>
      tokenizer.encode(documentText(d, DEFAULT_TITLE_JOIN), docLength).ids
    );
    const queries = data.trainQueries.map((q) => tokenizer.encode(q.text, queryLength).ids);
    const embedOptions = {
      ...(config.teacherEngine === undefined ? {} : { engine: config.teacherEngine }),
      ...(config.home === undefined ? {} : { home: config.home }),
    };
    const teacherQueries = await teacherEmbeddings(teacher, "query", queries, embedOptions);
    const teacherDocuments = await teacherEmbeddings(teacher, "document", documents, embedOptions);
    negatives = config.hardNegatives ?? 0;
    if (negatives > 0) {
      examples = mineHardNegatives(examples, teacherQueries, teacherDocuments, relevant, negatives);
    }
    trainingData = { queries, documents, examples, teacherQueries, teacherDocuments };
    hash = modelHash(teacher.spec, teacher.weights);
  }
  let dev: DevSet | undefined;
  if (data.devQueries !== undefined && data.devQrels !== undefined) {
    dev = {
      queryIds: data.devQueries.map((q) => q.id),
      queries: data.devQueries.map((q) => tokenizer.encode(q.text, queryLength).ids),
      documentIds: data.corpus.map((d) => d.id),
      qrels: data.devQrels,
    };
  }
  const checkpointDir = join(config.outputDir, "checkpoints");
  const t = config.training ?? {};
  let training: TrainingResult;
  let final: NamedTensors;
  let student: Awaited<ReturnType<typeof buildStudent>> | undefined;
  try {
    student = await buildStudent(teacher, config.student);
    const objective = recipeObjective(recipe ?? defaultRecipe(config.student));
    training = await train(
      student,
      trainingData,
      objective,
      {
        ...t,
        steps: t.steps ?? 1000,
        batchSize: t.batchSize ?? 32,
        seed: t.seed ?? 42,
        negativesPerQuery: negatives,
        checkpointDir,
        resume: config.resume ?? false,
        ...(dev === undefined ? {} : { dev }),
        ...(config.onEvent === undefined ? {} : { onEvent: config.onEvent }),
      },
    );
    final = fromVariables(student.model.params);
  } finally {
    if (student !== undefined) disposeParameters(student.model.params);
    release();
  }
  const modelDir = config.outputDir;
  const weights = training.bestDir === null
    ? final
    : (await loadModelDir(join(checkpointDir, BEST_MODEL_DIR))).weights;
  const spec = student.model.spec;
  await saveModelDir(modelDir, spec, weights);
  await saveTokenizerJson(join(modelDir, "tokenizer.json"), tokenizer.config);
  // A CE's documents are not a dual-encoder tower: its asymmetric student ships their embeddings.
  const ceDocuments = source.spec.kind === "cross" && config.student.kind === "asymmetric";
  const documentEmbeddings = ceDocuments
    ? await writeDocumentEmbeddings(
      modelDir,
      data.corpus.map((d) => d.id),
      trainingData.teacherDocuments!,
    )
    : null;
  let onnx: DistillResult["onnx"] = null;
  if (config.exportOnnx ?? true) {
    const query = join(modelDir, "onnx-query");
    await exportDualEncoderTower(query, spec, weights, "query");
    let document: string | null = null;
    if (!ceDocuments) {
      document = join(modelDir, "onnx-document");
      await exportDualEncoderTower(document, spec, weights, "document");
    }
    onnx = { query, document };
  }
  return { modelDir, onnx, training, teacherHash: hash, documentEmbeddings };
}
