/**
 * What `distill` takes and returns: the data (corpus, training and dev splits, unlabelled
 * documents), the teacher's source, the configuration and the result, and the inspection of the
 * data a run reports before it trains.
 *
 * @module
 */

import type { Document, Query } from "../data/mod.ts";
import type { Qrels } from "../eval/mod.ts";
import type { CeTeacherConfig, CrossEncoderTeacher } from "./cross_encoder/mod.ts";
import type { LossRecipe } from "./loss/mod.ts";
import { type MissingDocuments, missingDocuments } from "./missing_documents.ts";
import type { DataSettings, DistillSettings } from "./settings.ts";
import type { StudentSpec, TeacherModel } from "./student.ts";
import type { DistillProvenance } from "./provenance.ts";
import type { QueryGenerationConfig, QueryGenerationReport } from "./query_generation.ts";
import type { TeacherEngine } from "./teacher_cache.ts";
import type { TrainerOptions, TrainingEvent, TrainingResult } from "./train/mod.ts";
import type { WordPieceTokenizer } from "../text/mod.ts";

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
export function hasDev(
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
