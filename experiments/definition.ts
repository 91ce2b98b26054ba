/**
 * Experiment definitions as typed data: what a table of the paper shows, its data per preset, its
 * teacher, student sizes and modes, rows (methods), measures, seeds and the paper's claims. The
 * runner turns a definition + a preset into cells; nothing here runs anything.
 *
 * @module
 */

import type { LossRecipe } from "../src/distill/mod.ts";
import type { Claim } from "./paper.ts";

/** The presets (EXPERIMENTS.md): tiny for tests and CI, mini the default, full for real data. */
export type PresetName = "tiny" | "mini" | "full";

/** Every preset, in size order. */
export const PRESET_NAMES: readonly PresetName[] = ["tiny", "mini", "full"];

/** Student size names: query-tower parameter ratio to the teacher's (EXPERIMENTS.md "Sizes"). */
export type SizeName = "1-10" | "2-3";

/** Asymmetric: the student's query tower against the teacher's frozen document embeddings. */
export type StudentMode = "asymmetric" | "symmetric";

/** Which split of which dataset each role reads. */
export interface DataChoice {
  /** A datasets.lock id (synthetic ids are generated on demand). */
  readonly dataset: string;
  readonly train: string;
  readonly dev: string;
  readonly test: string;
}

/** One row of a table: a way of training the student. */
export interface Method {
  /** The cell id's method part (`labels`, `score-kd`, `embeddistill`, ...). */
  readonly id: string;
  /** As a report shows it. */
  readonly label: string;
  /**
   * The loss for each mode. Symmetric EmbedDistill matches both sides (Eq. 7 + Eq. 8); for the
   * asymmetric student Eq. 8 is 0 by construction.
   */
  readonly loss: Readonly<Record<StudentMode, LossRecipe>>;
  /** Generated queries enter as embedding-matching-only batches (the paper's + query generation). */
  readonly queryGeneration: boolean;
  /** Modes this row is run in. */
  readonly modes: readonly StudentMode[];
  /** Part of the cumulative ablation (compared with the row above), or an extra baseline. */
  readonly role: "cumulative" | "baseline";
  /**
   * The cross-encoder teacher this row distils ({@link CrossEncoderRole} id); absent: the
   * experiment's dual-encoder teacher (or none, for labels only).
   */
  readonly crossEncoder?: string;
  /** Sizes this row runs in (absent: every size of the experiment). */
  readonly sizes?: readonly SizeName[];
  /**
   * Generated queries per unlabelled document when `queryGeneration` is on (absent: the preset's);
   * the query-generation ablation's amount.
   */
  readonly queryGenerationPerDocument?: number;
  /** How the student is built, when not the default (random init, the size's shape). */
  readonly student?: StudentVariant;
  /**
   * The row this one is compared with (same size and mode) instead of the row above: the
   * ablations' one-factor reference (e.g. the projection row against the same student without).
   */
  readonly reference?: string;
}

/**
 * A student built otherwise than the default (random init, the size's shape, a projection exactly
 * when its width differs from the teacher's): the ablations' initialisation and projection rows.
 */
export interface StudentVariant {
  /** `random` (default) or the teacher's first layers (as many as the size's shape has). */
  readonly init?: "random" | "teacher-layers";
  /**
   * `teacher`: the teacher's width (hidden, heads, intermediate) with the size's depth; what a
   * teacher-layer init and a projection-free student need (default `size`: the size's shape).
   */
  readonly width?: "size" | "teacher";
  /** Force the projection to the teacher's embedding width on or off (default: when widths differ). */
  readonly projection?: boolean;
}

/**
 * A zero-shot table: another experiment's teacher and students, unchanged, evaluated on corpora
 * they were not trained on (table4).
 */
export interface ZeroShotRole {
  /** The experiment whose teacher and trained students are evaluated (its run is reused). */
  readonly source: string;
  /** The out-of-domain corpora per preset (datasets.lock ids; their `test` split is read). */
  readonly corpora: Readonly<Record<PresetName, readonly string[]>>;
  /** The measure computed per corpus (and averaged over corpora: the headline). */
  readonly measure: string;
}

/**
 * A cross-encoder teacher of a CE -> DE table: one size (the dual-encoder teacher's), trained on
 * the train split's labels with hard negatives from BM25 and the DE teacher, its body started from
 * the DE teacher's (see experiments/presets.ts `CROSS_ENCODER_PRESETS`).
 */
export interface CrossEncoderRole {
  /** Method part of its re-ranking cell (`<id>/full/-`) and prefix of its students' rows. */
  readonly id: string;
  readonly label: string;
  /** `cls`: a linear head on [CLS]; `dual-pooling`: <mean(query segment), mean(document segment)>. */
  readonly scorer: "cls" | "dual-pooling";
  /**
   * Weight of the dual-pooling regulariser (0: off): the document-alone in-batch loss of
   * `CeTrainOptions.documentAloneWeight`, which keeps the pooled document embeddings of
   * `[CLS] [SEP] d [SEP]` discriminative.
   */
  readonly regulariser: number;
  /**
   * Where its body starts when the preset warm-starts CEs: the DE teacher's body (`teacher`) or
   * random (`random`). A [CLS] head on a warm-started body does not train: the mean-pooled DE never
   * trained its [CLS] state, which is nearly the same for every pair of a list, so the listwise loss
   * stays at chance (ln 8 for 80+ steps at learning rates 2e-4 and 1e-3, measured on mini).
   */
  readonly init: "teacher" | "random";
}

/** The teacher of an experiment. */
export type TeacherRole =
  | { readonly kind: "dual" }
  /**
   * Cross-encoder teachers beside the dual-encoder teacher of the same size (the `teacher` cell:
   * their first stage, the source of half their hard negatives, and the reference they must beat).
   */
  | { readonly kind: "cross"; readonly crossEncoders: readonly CrossEncoderRole[] };

/** One experiment: a table (or ablation) of the paper, as data. */
export interface ExperimentDefinition {
  readonly id: string;
  readonly title: string;
  /** What the paper's table shows, in a sentence or two. */
  readonly shows: string;
  /** Data per preset. */
  readonly data: Readonly<Record<PresetName, DataChoice>>;
  readonly teacher: TeacherRole;
  readonly sizes: readonly SizeName[];
  readonly methods: readonly Method[];
  /** The method every other is also compared with (labels only). */
  readonly baseline: string;
  /** Canonical measure names; the first is the table's headline measure (claims, retention). */
  readonly measures: readonly string[];
  /** Seeds run by default (`--seeds` overrides). */
  readonly seeds: number;
  readonly claims: readonly Claim[];
  /**
   * Success@k measures are judged by DPR answer matching (a retrieved passage is relevant when it
   * contains an answer string of the query) wherever the test queries carry answers
   * (`metadata.answers`), by the qrels otherwise; the cell's provenance says which (table1).
   */
  readonly answerMatching?: boolean;
  /** Present for a zero-shot table: whose models, which corpora. */
  readonly zeroShot?: ZeroShotRole;
  /**
   * The dual-encoder teacher's epochs where they differ from the preset's (`teacher.epochs`): an
   * epoch is one pass over the (query, positive) pairs, so data with several positives per query
   * costs more steps per epoch (table1).
   */
  readonly teacherEpochs?: Partial<Readonly<Record<PresetName, number>>>;
}

const one = (terms: LossRecipe["terms"]): LossRecipe => ({ terms });

/** The rows of the DE -> DE tables (EXPERIMENTS.md "Rows"), shared by table1 and table2. */
export const DUAL_ENCODER_METHODS: readonly Method[] = [
  {
    id: "labels",
    label: "student on labels only",
    loss: { asymmetric: one([{ kind: "one-hot" }]), symmetric: one([{ kind: "one-hot" }]) },
    queryGeneration: false,
    modes: ["symmetric", "asymmetric"],
    role: "cumulative",
  },
  {
    id: "score-kd",
    label: "+ score KD",
    loss: { asymmetric: one([{ kind: "score-kd" }]), symmetric: one([{ kind: "score-kd" }]) },
    queryGeneration: false,
    modes: ["symmetric", "asymmetric"],
    role: "cumulative",
  },
  {
    id: "embeddistill",
    label: "+ embedding matching (EmbedDistill)",
    loss: {
      asymmetric: one([{ kind: "score-kd" }, { kind: "embed-match", side: "query" }]),
      symmetric: one([
        { kind: "score-kd" },
        { kind: "embed-match", side: "query" },
        { kind: "embed-match", side: "document" },
      ]),
    },
    queryGeneration: false,
    modes: ["symmetric", "asymmetric"],
    role: "cumulative",
  },
  {
    id: "embeddistill-qgen",
    label: "+ query generation",
    loss: {
      asymmetric: one([{ kind: "score-kd" }, { kind: "embed-match", side: "query" }]),
      symmetric: one([
        { kind: "score-kd" },
        { kind: "embed-match", side: "query" },
        { kind: "embed-match", side: "document" },
      ]),
    },
    queryGeneration: true,
    modes: ["asymmetric"],
    role: "cumulative",
  },
  {
    id: "margin-mse",
    label: "Margin-MSE (baseline)",
    loss: { asymmetric: one([{ kind: "margin-mse" }]), symmetric: one([{ kind: "margin-mse" }]) },
    queryGeneration: false,
    modes: ["symmetric", "asymmetric"],
    role: "baseline",
  },
];

/** Whether `method` has cells at `size` (its own sizes, else every size of the experiment). */
export function runsAtSize(method: Method, size: SizeName): boolean {
  return method.sizes === undefined || method.sizes.includes(size);
}
