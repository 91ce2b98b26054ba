/**
 * The presets (ARCHITECTURE.md, EXPERIMENTS.md): model shapes and training settings of each size
 * of run. The library knows no preset names; the runner resolves a definition + a preset into
 * explicit parameters.
 *
 * @module
 */

import type { PresetName, SizeName } from "./definition.ts";

/** A BERT encoder's shape. */
export interface EncoderShape {
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  readonly intermediate: number;
}

/** How the teacher is built and trained (on the train split's labels). */
export interface TeacherPreset {
  readonly shape: EncoderShape;
  readonly pooling: "mean" | "cls";
  /** Scaled cosine trains stably at this scale (PAPER.md); dot product stays available. */
  readonly similarity: { readonly kind: "cosine"; readonly scale: number } | {
    readonly kind: "dot";
  };
  readonly queryMaxLength: number;
  readonly documentMaxLength: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** BM25 hard negatives per query (judged documents excluded). */
  readonly hardNegatives: number;
}

/** How every student of a table is trained (the same steps for every method: fair tuning). */
export interface StudentPreset {
  /** Query-tower shape per size (EXPERIMENTS.md ratios: 1/10 = 0.08-0.12, 2/3 = 0.55-0.80). */
  readonly shapes: Readonly<Record<SizeName, EncoderShape>>;
  readonly epochs: number;
  readonly batchSize: number;
  /** The learning-rate grid; the value with the best dev measure is kept and stored with the cell. */
  readonly learningRates: readonly number[];
}

/** One preset. */
export interface Preset {
  readonly name: PresetName;
  readonly description: string;
  readonly teacher: TeacherPreset;
  readonly student: StudentPreset;
  /** Generated queries per unlabelled document and their embedding-matching weight. */
  readonly queryGeneration: { readonly perDocument: number; readonly weight: number };
  /** Query-latency protocol (EXPERIMENTS.md: 20 warm-up, then min(500, |test|) queries). */
  readonly latency: { readonly warmup: number; readonly maxQueries: number };
  /** Permutations of the paired randomisation test (EXPERIMENTS.md: 10,000). */
  readonly permutations: number;
}

/** The presets by name. */
export const PRESETS: Readonly<Record<PresetName, Preset>> = {
  tiny: {
    name: "tiny",
    description: "seconds per table: the synthetic tiny data and toy models; what tests and CI run",
    teacher: {
      shape: { layers: 1, hidden: 32, heads: 2, intermediate: 64 },
      pooling: "mean",
      similarity: { kind: "cosine", scale: 20 },
      queryMaxLength: 16,
      documentMaxLength: 48,
      epochs: 12,
      batchSize: 32,
      learningRate: 5e-3,
      hardNegatives: 0,
    },
    student: {
      shapes: {
        "1-10": { layers: 1, hidden: 8, heads: 2, intermediate: 16 },
        "2-3": { layers: 1, hidden: 24, heads: 2, intermediate: 48 },
      },
      epochs: 2,
      batchSize: 32,
      learningRates: [5e-3],
    },
    queryGeneration: { perDocument: 1, weight: 1 },
    latency: { warmup: 5, maxQueries: 50 },
    permutations: 1000,
  },
  mini: {
    name: "mini",
    description: "the default: the embedded synthetic data (no download), minutes on 2 cores",
    teacher: {
      shape: { layers: 2, hidden: 128, heads: 2, intermediate: 512 },
      pooling: "mean",
      similarity: { kind: "cosine", scale: 20 },
      queryMaxLength: 32,
      documentMaxLength: 64,
      epochs: 30,
      batchSize: 64,
      learningRate: 2e-3,
      hardNegatives: 1,
    },
    student: {
      shapes: {
        "1-10": { layers: 1, hidden: 32, heads: 2, intermediate: 128 },
        "2-3": { layers: 1, hidden: 128, heads: 2, intermediate: 512 },
      },
      epochs: 6,
      batchSize: 64,
      learningRates: [5e-3],
    },
    queryGeneration: { perDocument: 1, weight: 1 },
    latency: { warmup: 20, maxQueries: 500 },
    permutations: 10_000,
  },
  full: {
    name: "full",
    description:
      "real datasets of datasets.lock and user-supplied teacher checkpoints; for a GPU machine",
    teacher: {
      shape: { layers: 12, hidden: 768, heads: 12, intermediate: 3072 },
      pooling: "mean",
      similarity: { kind: "dot" },
      queryMaxLength: 32,
      documentMaxLength: 256,
      epochs: 1,
      batchSize: 128,
      learningRate: 2e-5,
      hardNegatives: 7,
    },
    student: {
      shapes: {
        "1-10": { layers: 4, hidden: 256, heads: 4, intermediate: 1024 },
        "2-3": { layers: 6, hidden: 768, heads: 12, intermediate: 3072 },
      },
      epochs: 1,
      batchSize: 128,
      learningRates: [1e-4, 5e-5, 2e-5],
    },
    queryGeneration: { perDocument: 3, weight: 5 },
    latency: { warmup: 20, maxQueries: 500 },
    permutations: 10_000,
  },
};

/**
 * How the cross-encoder teachers of a CE -> DE table are trained and used. Every CE has the
 * dual-encoder teacher's shape ("the same size"), reads `[CLS] q [SEP] d [SEP]` pairs, and trains
 * with the listwise loss over [positive, `negatives`] lists whose negatives are half BM25's, half
 * the DE teacher's, drawn from each one's top `negativeDepth` (judged documents excluded). mini
 * draws from the top 10 (of the top 100 the CE -> DE issue names): from the top 100 most lists
 * were easy (training loss ~0.1-0.3 while dev stayed low); from the top 10, dev RR@10 of
 * re-ranking the DE teacher's top 30 was 0.205 vs 0.183 at step 150 (learning rates 5e-4 vs 1e-4:
 * confounded, recorded as measured).
 */
export interface CrossEncoderPreset {
  /** Pair length in tokens. */
  readonly maxLength: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly negatives: number;
  readonly negativeDepth: number;
  /**
   * Start the CE's BERT body from the trained DE teacher's (its vocabulary too). No pretrained
   * encoder is reachable here; from scratch, a CE of this size and budget re-ranks below the DE
   * teacher (measured in the CE -> DE issue's closing note), so nothing could be distilled from it.
   */
  readonly warmStart: boolean;
  /** Documents of the first stage each CE re-ranks in its test cells. */
  readonly rerankDepth: number;
  /**
   * How a student's score KD reads the CE's cached list scores. `candidates-in-batch`: each query
   * against every document of the batch, the CE's weight 0 outside its own list. Over its own 8
   * candidates alone (`candidates`) a student learnt to order them and nothing else: RR@10 0.0000
   * over the corpus on mini (1/10 symmetric, [CLS] and dual-pooling CE alike).
   */
  readonly studentScoring: "candidates" | "candidates-in-batch";
}

/** The cross-encoder settings per preset (in the run key of CE -> DE experiments only). */
export const CROSS_ENCODER_PRESETS: Readonly<Record<PresetName, CrossEncoderPreset>> = {
  tiny: {
    maxLength: 64,
    steps: 40,
    batchSize: 16,
    learningRate: 2e-3,
    negatives: 3,
    negativeDepth: 20,
    warmStart: true,
    rerankDepth: 20,
    studentScoring: "candidates-in-batch",
  },
  mini: {
    maxLength: 96,
    steps: 400,
    batchSize: 32,
    learningRate: 5e-4,
    negatives: 7,
    negativeDepth: 10,
    warmStart: true,
    rerankDepth: 100,
    studentScoring: "candidates-in-batch",
  },
  full: {
    maxLength: 256,
    steps: 20_000,
    batchSize: 32,
    learningRate: 2e-5,
    negatives: 7,
    negativeDepth: 100,
    warmStart: false,
    rerankDepth: 100,
    studentScoring: "candidates-in-batch",
  },
};
