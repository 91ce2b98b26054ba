/**
 * What a teacher is trained as, as readonly data: the model (a dual encoder or a cross-encoder),
 * its vocabulary, the training settings, every default resolved by `resolveTeacherSettings`, and
 * the content address `teacherConfigHash` (resolved settings + data checksums + `CODE_SALT`).
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join } from "node:path";
import { match } from "ts-pattern";
import type { LoadedSplit } from "../../data/mod.ts";
import { deriveSeed } from "../../engine/mod.ts";
import { parseMeasure } from "../../eval/mod.ts";
import { canonicalJson, sha256Text } from "../../io/mod.ts";
import type { Pooling, Similarity } from "../../models/mod.ts";

/**
 * Bumped whenever a change to the code alters what a trained teacher would contain for the same
 * settings and data (initialisation, tokenisation, batching, the loss, the optimiser, defaults
 * that are not spelled out in the resolved settings, the output files). Part of
 * {@link teacherConfigHash}, so caches keyed by that hash miss after a bump.
 */
export const CODE_SALT = "teacher-1";

/** Encoder size of a teacher (BERT: layers, hidden width, heads, feed-forward width). */
export interface TeacherSize {
  /** Default 2. */
  readonly layers?: number;
  /** Default 128. */
  readonly hidden?: number;
  /** Default 2 (hidden / 64 when hidden is a multiple of 64 above 128). */
  readonly heads?: number;
  /** Default 4 x hidden. */
  readonly intermediate?: number;
}

/** A dual-encoder teacher: score(q, d) = similarity(embed(q), embed(d)). */
export interface DualTeacherModel extends TeacherSize {
  readonly kind: "dual";
  /** Default `mean` (PAPER.md: mean pooling with scaled cosine trains stably at this scale). */
  readonly pooling?: Pooling;
  /** Default cosine x 20; `{ kind: "dot" }` is the paper's choice. */
  readonly similarity?: Similarity;
  /** One tower for both sides (default) or one per side. */
  readonly towers?: "shared" | "separate";
  /** Query tokens, special tokens included (default 32). */
  readonly queryMaxLength?: number;
  /** Document tokens, special tokens included (default 64). */
  readonly documentMaxLength?: number;
}

/** A cross-encoder teacher over `[CLS] q [SEP] d [SEP]`. */
export interface CrossTeacherModel extends TeacherSize {
  readonly kind: "cross";
  /**
   * `cls` (a linear head on the pooled [CLS], default) or `dual-pooling` (the query and document
   * segments mean-pooled, scored by their inner product; EmbedDistill section 4.2).
   */
  readonly scorer?: "cls" | "dual-pooling";
  /** Dual pooling: whether [CLS] / [SEP] enter the segment means (default false). */
  readonly includeSpecialTokens?: boolean;
  /** Pair tokens (default 96). */
  readonly maxLength?: number;
  /**
   * Dual pooling only: weight of the document-alone regulariser (default 0, off); see
   * `CeTrainOptions.documentAloneWeight`.
   */
  readonly documentAloneWeight?: number;
}

/** The teacher's model. */
export type TeacherModelSettings = DualTeacherModel | CrossTeacherModel;

/** Where the vocabulary comes from. */
export type TeacherVocabulary =
  /** A WordPiece vocabulary built from the corpus and the training queries (never dev or test). */
  | { readonly kind: "build"; readonly size?: number }
  /** A Hugging Face `tokenizer.json` (WordPiece). */
  | { readonly kind: "file"; readonly path: string };

/** Where hard negatives come from. */
export type NegativeSource =
  /** BM25 (Anserini's k1 0.9, b 0.4) over the corpus, topped up at random when too few match. */
  | { readonly kind: "bm25" }
  /** A first-stage dual-encoder model directory (config.json, model.safetensors, tokenizer.json). */
  | { readonly kind: "model"; readonly path: string }
  /**
   * Half of each list (rounded down) from BM25 and the rest from a dual-encoder model directory,
   * each drawn at random (seeded) from that retriever's top `depth` (default 100), judged
   * documents and documents already drawn excluded: hard negatives of both kinds, as a
   * cross-encoder re-ranking either first stage meets them.
   */
  | { readonly kind: "mixed"; readonly path: string; readonly depth?: number };

/** How long to train: a number of steps or of passes over the training pairs. */
export type TrainingLength =
  | { readonly kind: "steps"; readonly steps: number }
  | { readonly kind: "epochs"; readonly epochs: number };

/** {@link NegativeSource} with every default. */
export type ResolvedNegativeSource =
  | Exclude<NegativeSource, { kind: "mixed" }>
  | { readonly kind: "mixed"; readonly path: string; readonly depth: number };

/** Training settings of a teacher (every field defaulted). */
export interface TeacherTraining {
  /** Default 6 epochs. */
  readonly length?: TrainingLength;
  /** Training pairs per step (default 64). */
  readonly batchSize?: number;
  /** Peak learning rate (default 1e-3), warm-up then linear decay. */
  readonly learningRate?: number;
  /** Warm-up steps (default, or null: 10 % of the steps). */
  readonly warmupSteps?: number | null;
  /** Data order and hard-negative seed (default 42). */
  readonly seed?: number;
  /**
   * Seed of the initial weights (default `deriveSeed(seed, "teacher-init")`, so a student built
   * with the run's seed does not start from the teacher's initial embedding table; PAPER.md).
   */
  readonly initSeed?: number;
  /**
   * Hard negatives per training pair. Dual encoder: appended to the in-batch negatives (default
   * 0). Cross-encoder: the length of each candidate list minus one (default 7, at least 1).
   */
  readonly hardNegatives?: number;
  /** Default BM25. */
  readonly negativesFrom?: NegativeSource;
  /**
   * A model directory (config.json, model.safetensors, tokenizer.json) whose BERT body starts the
   * teacher: every encoder tensor of the same name and shape is copied, a shorter position table
   * fills the first rows, the rest (a cross-encoder's head, extra positions) starts from
   * `initSeed`. Its tokenizer.json is the vocabulary (a different vocabulary is refused). With no
   * pretrained encoder reachable, a trained dual-encoder teacher's body is what stands in for
   * pretraining when a cross-encoder of the same size is trained (default none: random).
   */
  readonly initFrom?: string | null;
  /** Dev evaluation (and checkpoint) interval (default, or null: steps / 5). */
  readonly evalEvery?: number | null;
  /**
   * Dev measures (src/eval names; default RR@10, nDCG@10); the first selects the saved model. A
   * cross-encoder is measured re-ranking each dev query's BM25 top 30.
   */
  readonly devMeasures?: readonly string[];
}

/** Everything that decides what a teacher contains, besides the data. */
export interface TeacherSettings {
  /** Default a dual encoder. */
  readonly model?: TeacherModelSettings;
  /** Default: build 4000 WordPiece tokens. */
  readonly vocabulary?: TeacherVocabulary;
  readonly training?: TeacherTraining;
}

/** A size with every field set. */
export interface ResolvedSize {
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  readonly intermediate: number;
}

/** {@link DualTeacherModel} with every default. */
export interface ResolvedDualModel extends ResolvedSize {
  readonly kind: "dual";
  readonly pooling: Pooling;
  readonly similarity: Similarity;
  readonly towers: "shared" | "separate";
  readonly queryMaxLength: number;
  readonly documentMaxLength: number;
}

/** {@link CrossTeacherModel} with every default. */
export interface ResolvedCrossModel extends ResolvedSize {
  readonly kind: "cross";
  readonly scorer: "cls" | "dual-pooling";
  readonly includeSpecialTokens: boolean;
  readonly maxLength: number;
  readonly documentAloneWeight: number;
}

/**
 * {@link TeacherSettings} with every default (what `teacher_run.json` records); itself valid
 * settings, resolving to itself.
 */
export interface ResolvedTeacherSettings {
  readonly model: ResolvedDualModel | ResolvedCrossModel;
  readonly vocabulary:
    | { readonly kind: "build"; readonly size: number }
    | { readonly kind: "file"; readonly path: string };
  readonly training: {
    readonly length: TrainingLength;
    readonly batchSize: number;
    readonly learningRate: number;
    /** null: 10 % of the steps, known once the steps are. */
    readonly warmupSteps: number | null;
    readonly seed: number;
    readonly initSeed: number;
    readonly hardNegatives: number;
    readonly negativesFrom: ResolvedNegativeSource;
    readonly initFrom: string | null;
    /** null: steps / 5. */
    readonly evalEvery: number | null;
    readonly devMeasures: readonly string[];
  };
}

/** The defaults, in one place. */
export const TEACHER_DEFAULTS = {
  layers: 2,
  hidden: 128,
  queryMaxLength: 32,
  documentMaxLength: 64,
  crossMaxLength: 96,
  cosineScale: 20,
  vocabularySize: 4000,
  epochs: 6,
  batchSize: 64,
  learningRate: 1e-3,
  seed: 42,
  crossNegatives: 7,
  mixedDepth: 100,
  devMeasures: ["RR@10", "nDCG@10"],
} as const;

function devMeasures(measures: readonly string[]): readonly string[] {
  if (measures.length === 0) {
    throw new RangeError("Cannot train a teacher with no dev measures: give at least one");
  }
  for (const m of measures) {
    try {
      parseMeasure(m);
    } catch (error) {
      throw new RangeError(
        `Cannot train a teacher with dev measure "${m}": ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    }
  }
  return [...measures];
}

function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Cannot train a teacher with ${what} ${value}: expected an integer >= 1`);
  }
  return value;
}

function nonNegativeInteger(value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(
      `Cannot train a teacher with ${value} warm-up steps: expected an integer >= 0`,
    );
  }
  return value;
}

function resolveSize(size: TeacherSize): ResolvedSize {
  const layers = positiveInteger(size.layers ?? TEACHER_DEFAULTS.layers, "layers");
  const hidden = positiveInteger(size.hidden ?? TEACHER_DEFAULTS.hidden, "hidden size");
  const heads = positiveInteger(
    size.heads ?? (hidden > 128 && hidden % 64 === 0 ? hidden / 64 : hidden % 2 === 0 ? 2 : 1),
    "heads",
  );
  if (hidden % heads !== 0) {
    throw new RangeError(
      `Cannot train a teacher with hidden size ${hidden} and ${heads} heads: not divisible`,
    );
  }
  const intermediate = positiveInteger(size.intermediate ?? 4 * hidden, "intermediate size");
  return { layers, hidden, heads, intermediate };
}

function resolveModel(model: TeacherModelSettings): ResolvedDualModel | ResolvedCrossModel {
  return match(model)
    .with({ kind: "dual" }, (m): ResolvedDualModel => {
      const similarity = m.similarity ?? { kind: "cosine", scale: TEACHER_DEFAULTS.cosineScale };
      if (similarity.kind === "cosine" && !(similarity.scale > 0)) {
        throw new RangeError(
          `Cannot train a teacher with cosine scale ${similarity.scale}: expected a number > 0`,
        );
      }
      return {
        kind: "dual",
        ...resolveSize(m),
        pooling: m.pooling ?? "mean",
        similarity,
        towers: m.towers ?? "shared",
        queryMaxLength: positiveInteger(
          m.queryMaxLength ?? TEACHER_DEFAULTS.queryMaxLength,
          "query length",
        ),
        documentMaxLength: positiveInteger(
          m.documentMaxLength ?? TEACHER_DEFAULTS.documentMaxLength,
          "document length",
        ),
      };
    })
    .with({ kind: "cross" }, (m): ResolvedCrossModel => {
      const scorer = m.scorer ?? "cls";
      const documentAloneWeight = m.documentAloneWeight ?? 0;
      if (!(documentAloneWeight >= 0)) {
        throw new RangeError(
          `Cannot train a teacher with document-alone weight ${documentAloneWeight}: expected a number >= 0`,
        );
      }
      if (documentAloneWeight > 0 && scorer !== "dual-pooling") {
        throw new RangeError(
          `Cannot train a "${scorer}" cross-encoder with a document-alone regulariser: dual pooling only`,
        );
      }
      return {
        kind: "cross",
        ...resolveSize(m),
        scorer,
        includeSpecialTokens: m.includeSpecialTokens ?? false,
        maxLength: positiveInteger(m.maxLength ?? TEACHER_DEFAULTS.crossMaxLength, "pair length"),
        documentAloneWeight,
      };
    })
    .exhaustive();
}

function resolveVocabulary(
  v: TeacherVocabulary = { kind: "build" },
): ResolvedTeacherSettings["vocabulary"] {
  return v.kind === "build"
    ? {
      kind: "build",
      size: positiveInteger(v.size ?? TEACHER_DEFAULTS.vocabularySize, "vocabulary size"),
    }
    : v;
}

function resolveNegatives(from: NegativeSource): ResolvedNegativeSource {
  if (from.kind !== "mixed") return from;
  return {
    kind: "mixed",
    path: from.path,
    depth: positiveInteger(from.depth ?? TEACHER_DEFAULTS.mixedDepth, "negative depth"),
  };
}

/** Every default of `settings` filled in; RangeError on an invalid value. */
export function resolveTeacherSettings(settings: TeacherSettings = {}): ResolvedTeacherSettings {
  const model = resolveModel(settings.model ?? { kind: "dual" });
  const t = settings.training ?? {};
  const vocabulary = t.initFrom == null || settings.vocabulary !== undefined
    ? resolveVocabulary(settings.vocabulary)
    : { kind: "file" as const, path: join(t.initFrom, "tokenizer.json") };
  const length = t.length ?? { kind: "epochs", epochs: TEACHER_DEFAULTS.epochs };
  if (length.kind === "steps") positiveInteger(length.steps, "steps");
  if (length.kind === "epochs" && !(length.epochs > 0)) {
    throw new RangeError(
      `Cannot train a teacher for ${length.epochs} epochs: expected a number > 0`,
    );
  }
  const seed = t.seed ?? TEACHER_DEFAULTS.seed;
  const hardNegatives = t.hardNegatives ??
    (model.kind === "cross" ? TEACHER_DEFAULTS.crossNegatives : 0);
  if (!Number.isInteger(hardNegatives) || hardNegatives < (model.kind === "cross" ? 1 : 0)) {
    throw new RangeError(
      `Cannot train a ${model.kind}-encoder teacher with ${hardNegatives} hard negatives: expected an integer >= ${
        model.kind === "cross" ? 1 : 0
      }`,
    );
  }
  const learningRate = t.learningRate ?? TEACHER_DEFAULTS.learningRate;
  if (!(learningRate > 0)) {
    throw new RangeError(
      `Cannot train a teacher with learning rate ${learningRate}: expected a number > 0`,
    );
  }
  return {
    model,
    vocabulary,
    training: {
      length,
      batchSize: positiveInteger(t.batchSize ?? TEACHER_DEFAULTS.batchSize, "batch size"),
      learningRate,
      warmupSteps: t.warmupSteps == null ? null : nonNegativeInteger(t.warmupSteps),
      seed,
      initSeed: t.initSeed ?? deriveSeed(seed, "teacher-init"),
      hardNegatives,
      negativesFrom: resolveNegatives(t.negativesFrom ?? { kind: "bm25" }),
      initFrom: t.initFrom ?? null,
      evalEvery: t.evalEvery == null ? null : positiveInteger(t.evalEvery, "eval interval"),
      devMeasures: devMeasures(t.devMeasures ?? TEACHER_DEFAULTS.devMeasures),
    },
  };
}

/** The data part of a teacher's address: the train split and the optional dev split. */
export interface TeacherDataKey {
  readonly train: LoadedSplit;
  readonly dev?: LoadedSplit;
}

async function fileSha256(path: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    throw new Deno.errors.NotFound(
      `Cannot hash "${path}" for the teacher's address: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
  return createHash("sha256").update(bytes).digest("hex");
}

/** Content hashes of the files the settings name by path (their address is their content). */
async function namedFiles(settings: ResolvedTeacherSettings): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  if (settings.vocabulary.kind === "file") {
    files["tokenizer"] = await fileSha256(settings.vocabulary.path);
  }
  const from = settings.training.negativesFrom;
  const model = ["config.json", "model.safetensors", "tokenizer.json"];
  if (from.kind !== "bm25" && settings.training.hardNegatives > 0) {
    for (const name of model) files[`negatives/${name}`] = await fileSha256(join(from.path, name));
  }
  const init = settings.training.initFrom;
  if (init !== null) {
    for (const name of model) files[`init/${name}`] = await fileSha256(join(init, name));
  }
  return files;
}

/** What {@link teacherConfigHash} hashes (canonical JSON). */
export async function teacherAddress(
  settings: ResolvedTeacherSettings,
  data: TeacherDataKey,
): Promise<unknown> {
  const split = (s: LoadedSplit) => ({ split: s.split, checksum: s.checksum });
  const { initFrom, negativesFrom, ...training } = settings.training;
  const pathless = {
    ...settings,
    vocabulary: settings.vocabulary.kind === "file" ? { kind: "file" } : settings.vocabulary,
    training: {
      ...training,
      negativesFrom: match(negativesFrom)
        .with({ kind: "bm25" }, (n) => n)
        .with({ kind: "model" }, () => ({ kind: "model" }))
        .with({ kind: "mixed" }, (n) => ({ kind: "mixed", depth: n.depth }))
        .exhaustive(),
      // Absent rather than null, so the addresses of teachers from before the field stay put.
      ...(initFrom === null ? {} : { initFrom: { kind: "model" } }),
    },
  };
  return {
    codeSalt: CODE_SALT,
    settings: pathless,
    train: split(data.train),
    dev: data.dev === undefined ? null : split(data.dev),
    files: await namedFiles(settings),
  };
}

/**
 * The content address of a teacher: SHA-256 (hex) of the canonical JSON of the resolved settings
 * (a given tokenizer.json or first-stage model named by the SHA-256 of its files, not its path),
 * the train and dev splits' checksums and {@link CODE_SALT}. Equal addresses train equal teachers
 * for a fixed backend and thread count (the engine is recorded in the provenance, not hashed).
 *
 * @example
 * ```ts
 * const train = await loadSplit({ kind: "dataset", id: "synthetic/tiny" }, "train");
 * const key = await teacherConfigHash({ model: { kind: "dual", layers: 2 } }, { train });
 * ```
 */
export async function teacherConfigHash(
  settings: TeacherSettings,
  data: TeacherDataKey,
): Promise<string> {
  return await resolvedConfigHash(resolveTeacherSettings(settings), data);
}

/** {@link teacherConfigHash} of settings already resolved. */
export async function resolvedConfigHash(
  settings: ResolvedTeacherSettings,
  data: TeacherDataKey,
): Promise<string> {
  return sha256Text(canonicalJson(await teacherAddress(settings, data)));
}
