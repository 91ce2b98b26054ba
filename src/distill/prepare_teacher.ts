/**
 * The teacher's side of distillation: the training pairs from the qrels, then for a dual encoder
 * its cached query and document embeddings (generated queries and mined hard negatives included),
 * for a cross-encoder its scores over candidate lists; what training needs, as one
 * {@link PreparedTeacher}.
 *
 * @module
 */

import { match } from "ts-pattern";
import type { Document } from "../data/mod.ts";
import {
  type CrossEncoderSpec,
  type DualEncoderSpec,
  loadModelDir,
  modelHash,
  withPrompt,
} from "../models/mod.ts";
import { DEFAULT_TITLE_JOIN, documentText } from "../models/onnx/mod.ts";
import { WordPieceTokenizer } from "../text/mod.ts";
import { type CrossEncoderTeacher, prepareCrossEncoder } from "./cross_encoder/mod.ts";
import type { LossRecipe } from "./loss/mod.ts";
import { distillRecipe } from "./settings.ts";
import type { TeacherModel } from "./student.ts";
import {
  generatedRecipe,
  generateForDistill,
  type QueryGenerationConfig,
  type QueryGenerationReport,
} from "./query_generation.ts";
import type { Matrix } from "../io/mod.ts";
import { teacherEmbeddings } from "./teacher_cache.ts";
import { mineHardNegatives, type TrainingData, type TrainingExample } from "./train/mod.ts";

import type { DistillConfig, DistillData, TeacherSource } from "./distill_config.ts";

export async function resolveTeacher(
  source: TeacherSource,
): Promise<TeacherModel | CrossEncoderTeacher> {
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
