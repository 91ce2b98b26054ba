/**
 * The trainer's inputs and outputs as plain data: training data (token ids, pairs and the
 * teacher's signal as one tagged union), the objective's per-step tensors, dev sets, options and
 * progress events.
 *
 * @module
 */

import type * as tf from "@tensorflow/tfjs";
import { match } from "ts-pattern";
import type { Qrels } from "../../eval/mod.ts";
import type { EvalRecord } from "./checkpoint.ts";
import type { ObjectiveResult, PositiveLayout } from "../loss/mod.ts";
import type { OptimizerConfig } from "./optimizer.ts";
import type { Schedule } from "./schedule.ts";
import type { Matrix } from "../../io/mod.ts";

/** One training pair: a query, its positive document, optional mined hard negatives. */
export interface TrainingExample {
  /** Index into {@link TrainingData.queries}. */
  readonly query: number;
  /** Index into {@link TrainingData.documents}. */
  readonly positive: number;
  /** Indices into {@link TrainingData.documents}, hardest first. */
  readonly negatives?: readonly number[];
}

/** What the trainer reads: tokenised texts, training pairs, and the teacher's signal. */
export interface TrainingData {
  /** Token ids (special tokens included) of each training query. */
  readonly queries: readonly ArrayLike<number>[];
  /** Token ids of each corpus document. */
  readonly documents: readonly ArrayLike<number>[];
  readonly examples: readonly TrainingExample[];
  /**
   * Generated queries (EmbedDistill's query generation): `query` indexes a generated query
   * appended to {@link queries}, `positive` the document it was generated from. They carry no
   * label: they are trained with the embedding-matching terms only, in their own batches (see
   * `train`'s `generatedObjective`). Absent: none.
   */
  readonly generated?: readonly TrainingExample[];
  /** Where the teacher's targets come from (exactly one source; `none` trains on labels). */
  readonly teacher: TeacherSignal;
}

/**
 * The teacher's signal, one of:
 * - `none`: no teacher (labels only, e.g. training a teacher with the one-hot loss, Eq. 9);
 * - `embeddings`: a dual-encoder teacher's cached query and document embeddings in scoring space
 *   (see `teacherEmbeddings`); their similarity is the teacher's in-batch score;
 * - `candidates`: a cross-encoder's cached scores over fixed candidate lists
 *   (`cross_encoder/targets.ts`), see {@link CandidateTeacher};
 * - `in-batch-scorer`: a live cross-encoder scoring every query against every batch document.
 *
 * The cross-encoder kinds carry optional embedding targets for Eq. 7 / Eq. 8 (a dual-pooling CE's
 * query and document-alone embeddings).
 */
export type TeacherSignal =
  | { readonly kind: "none" }
  | {
    readonly kind: "embeddings";
    /** Teacher embeddings of the queries (score distillation, Eq. 7). */
    readonly queries: Matrix;
    /** Teacher embeddings of the documents (asymmetric students, Eq. 8). */
    readonly documents: Matrix;
  }
  | CandidateTeacher
  | InBatchScorerTeacher;

/** The teacher's document embeddings of a signal, when it has them. */
export function teacherDocumentsOf(signal: TeacherSignal): Matrix | undefined {
  return match(signal)
    .with({ kind: "none" }, () => undefined)
    .with({ kind: "embeddings" }, (t) => t.documents)
    .with({ kind: "candidates" }, { kind: "in-batch-scorer" }, (t) => t.documents)
    .exhaustive();
}

/** Live teacher scores of every query of a batch against every document of the batch. */
export interface InBatchScorerTeacher {
  readonly kind: "in-batch-scorer";
  /**
   * Scores [queries.length, documents.length] (every query against every batch document);
   * replaces the teacher embeddings' similarity in the `diagonal` layout. Returns a constant
   * tensor the step disposes.
   */
  readonly score: (queries: readonly number[], documents: readonly number[]) => tf.Tensor2D;
  /** Teacher query embeddings (Eq. 7 targets), when the teacher has them. */
  readonly queries?: Matrix;
  /** Teacher document embeddings (asymmetric students, Eq. 8 targets), when it has them. */
  readonly documents?: Matrix;
}

/** Teacher score of a batch column outside the query's own candidate list (softmax weight 0). */
export const CANDIDATE_MASK = -1e9;

/**
 * Cached teacher scores over fixed candidate lists, row-aligned with the examples. Every batch row
 * is one example's list [positive, negatives[0 .. k)] scored query by query (the `first-column`
 * layout, k = `scores.dims - 1`) unless `inBatch`.
 */
export interface CandidateTeacher {
  readonly kind: "candidates";
  /** [examples, 1 + k]: example e's teacher scores of its positive, then `negatives[0 .. k)`. */
  readonly scores: Matrix;
  /**
   * Score every query against every document of the batch (in-batch negatives plus every list's
   * negatives, the `diagonal` layout with the k negatives appended; `negativesPerQuery` must be
   * k) instead of its own list only. The teacher's score of a column is the cached score of that
   * document in the query's own list, else {@link CANDIDATE_MASK} (teacher probability 0: the
   * other queries' documents are taken as negatives, as in-batch one-hot training does).
   * Default false.
   */
  readonly inBatch?: boolean;
  /**
   * Optional document targets of Eq. 8 per listed pair [examples x (1 + k), dim] (a CE's
   * query-dependent `pair` embeddings); otherwise {@link documents} rows.
   */
  readonly pairDocuments?: Matrix;
  /** Teacher query embeddings (Eq. 7 targets), when the teacher has them. */
  readonly queries?: Matrix;
  /** Teacher document embeddings (asymmetric students, Eq. 8 targets), when it has them. */
  readonly documents?: Matrix;
}

/**
 * The tensors of one step the objective reads (all valid only during the call). Scores are
 * [n, m]: column i is query i's positive (the `diagonal` layout), columns n .. m - 1 the
 * appended hard negatives; with candidate lists, [n, 1 + k] with the positive first. Embeddings are in scoring space (projected to the teacher's width;
 * L2-normalised when the similarity is cosine).
 */
export interface StepTensors {
  /** `first-column` for candidate lists (scores [n, 1 + k]); absent means `diagonal` (in-batch). */
  readonly layout?: PositiveLayout;
  readonly studentScores: tf.Tensor2D;
  readonly studentQueries: tf.Tensor2D;
  /** Symmetric students only ([m, dim]); undefined for asymmetric ones (Eq. 8 is 0 there). */
  readonly studentDocuments?: tf.Tensor2D;
  readonly teacherScores?: tf.Tensor2D;
  readonly teacherQueries?: tf.Tensor2D;
  readonly teacherDocuments?: tf.Tensor2D;
}

/**
 * A training objective over one step's tensors: the total to minimise and each named term (all
 * scalars).
 */
export type TrainingObjective = (step: StepTensors) => ObjectiveResult;

/** A dev split evaluated during training. */
export interface DevSet {
  readonly queryIds: readonly string[];
  /** Token ids of each dev query. */
  readonly queries: readonly ArrayLike<number>[];
  /** Corpus document ids, in the order of {@link TrainingData.documents}. */
  readonly documentIds: readonly string[];
  readonly qrels: Qrels;
  /** Measures (src/eval names); default `["RR@10", "nDCG@10"]`. */
  readonly measures?: readonly string[];
  /** Measure that selects the best checkpoint; default the first. */
  readonly select?: string;
  /** Documents retrieved per query; default 100. */
  readonly depth?: number;
}

/** Teacher-student agreement on a batch (EmbedDistill's quantities, logged, not optimised). */
export interface Agreement {
  /** Mean cosine between student and teacher query embeddings (after the projection). */
  readonly queryCosine: number;
  /** Pearson correlation of the student's and the teacher's in-batch scores. */
  readonly scoreCorrelation: number;
}

/** Progress of training, delivered through {@link TrainerOptions.onEvent}. */
export type TrainingEvent =
  | {
    readonly kind: "step";
    /** Steps completed. */
    readonly step: number;
    readonly totalSteps: number;
    readonly loss: number;
    readonly terms: Readonly<Record<string, number>>;
    readonly learningRate: number;
    /** Global gradient norm before clipping. */
    readonly gradNorm: number;
    /**
     * Training examples per second over this process's steps so far, optimisation time only
     * (dev evaluation and checkpoints excluded: see their events' `seconds`).
     */
    readonly examplesPerSecond: number;
    /** Estimated seconds to the last step. */
    readonly etaSeconds: number;
    /** Present every `diagnosticsEvery` steps when the teacher's embeddings are known. */
    readonly agreement?: Agreement;
  }
  | {
    readonly kind: "eval";
    readonly record: EvalRecord;
    readonly best: boolean;
    /** Wall-clock seconds of this evaluation (and of saving the best model). */
    readonly seconds: number;
  }
  | {
    readonly kind: "checkpoint";
    readonly step: number;
    readonly dir: string;
    /** Wall-clock seconds of writing this checkpoint. */
    readonly seconds: number;
  }
  | { readonly kind: "resumed"; readonly step: number; readonly dir: string };

/** Options of `train`, with defaults. */
export interface TrainerOptions {
  /** Optimisation steps in total (a resumed run continues to the same total). */
  readonly steps: number;
  /** Training pairs per batch (in-batch negatives: each query sees every other positive). */
  readonly batchSize: number;
  /** Data-order seed. */
  readonly seed: number;
  /** Hard negatives per query appended to the batch (default 0; needs mined negatives). */
  readonly negativesPerQuery?: number;
  /** Default AdamW (weight decay 0.01). */
  readonly optimizer?: OptimizerConfig;
  /** Default linear: peak `learningRate`, `warmupSteps` warm-up. */
  readonly schedule?: Schedule;
  /** Peak learning rate of the default schedule; default 5e-4. */
  readonly learningRate?: number;
  /** Warm-up of the default schedule; default 10 % of the steps. */
  readonly warmupSteps?: number;
  /** Global gradient-norm clip; default 1 (Infinity disables). */
  readonly maxGradNorm?: number;
  /** Evaluated every `evalEvery` steps and at the end. */
  readonly dev?: DevSet;
  /** Default: steps / 5, at least 1. */
  readonly evalEvery?: number;
  /** Checkpoints (and the best model, in `best/`) go here; none when undefined. */
  readonly checkpointDir?: string;
  /** Default: evalEvery (or steps / 5). */
  readonly checkpointEvery?: number;
  /** Continue from the latest checkpoint in `checkpointDir` when there is one (default false). */
  readonly resume?: boolean;
  /** Agreement diagnostics every this many steps (default 10; 0 disables). */
  readonly diagnosticsEvery?: number;
  readonly onEvent?: (event: TrainingEvent) => void;
  /** Test hook: called between writing a checkpoint's files and renaming it into place. */
  readonly beforeCheckpointCommit?: (tempDir: string) => void | Promise<void>;
}

/** The outcome of training. */
export interface TrainingResult {
  readonly steps: number;
  /** Loss of every step (resumed steps included, from the checkpoint). */
  readonly losses: readonly number[];
  readonly evals: readonly EvalRecord[];
  readonly best: { readonly step: number; readonly measure: string; readonly value: number } | null;
  /** The best model's directory (when a dev set and checkpoint directory were given). */
  readonly bestDir: string | null;
  /** Wall-clock seconds of this process's steps, apart (resumed steps are not counted). */
  readonly seconds: TrainingSeconds;
}

/** Where a run's time went: optimisation, dev evaluation, checkpoints. */
export interface TrainingSeconds {
  /** Optimisation steps (what examples/s is computed from). */
  readonly training: number;
  /** Dev evaluations, best-model saves included. */
  readonly evaluation: number;
  readonly checkpoints: number;
}
