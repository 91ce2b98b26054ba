/**
 * The cross-encoder teacher path of `distill()`: candidate lists, the CE's cached targets, the
 * dual-encoder view of the CE a student is built from, the training data and the default
 * recipe (EmbedDistill section 4.2, CE -> DE with `cls` or dual pooling).
 *
 * @module
 */

import type * as tf from "@tensorflow/tfjs";
import {
  createCrossEncoder,
  type CrossEncoder,
  type CrossEncoderSpec,
  type DualEncoderSpec,
  type Similarity,
} from "../../models/mod.ts";
import { ANSERINI_BM25 } from "../../retrieval/mod.ts";
import type { WordPieceTokenizer } from "../../text/mod.ts";
import { candidateLists, type CeFirstStage } from "./candidates.ts";
import { crossEncoderScoreMatrix } from "./in_batch.ts";
import { type CeTargets, crossEncoderTargetsCached } from "./targets.ts";
import type { CeTokens, CrossEncoderTeacher } from "./teacher.ts";
import type { CeDocumentSide } from "./pooled_targets.ts";
import { type LossRecipe, resolveRecipe } from "../loss/mod.ts";
import type { StudentSpec, TeacherModel } from "../student.ts";
import type { TeacherSignal, TrainingData, TrainingExample } from "../train/mod.ts";

/**
 * How `distill()` uses a cross-encoder teacher; every field has a default.
 *
 * Document side (see {@link CeDocumentSide}): the default `document-alone` (the CE's dual
 * pooling over `[CLS] [SEP] d [SEP]`) gives one query-independent embedding per corpus document:
 * it is the asymmetric student's frozen document embedding (the only option that can be, so an
 * asymmetric student requires it) and a symmetric student's Eq. 8 target. `pair` (symmetric
 * students, candidate scoring only) matches each listed document to its embedding in that pair.
 */
export interface CeTeacherConfig {
  /** Negatives k per candidate list (default 7); hard negatives per query with `in-batch`. */
  readonly negatives?: number;
  /** Where the negatives come from (default `{ kind: "bm25" }`). */
  readonly firstStage?: CeFirstStage;
  /** Default `document-alone`; ignored for a `cls` scorer. */
  readonly documentSide?: CeDocumentSide;
  /**
   * - `candidates` (default): CE scores over fixed lists [positive, k negatives], cached; each
   *   query is scored against its own list only (the `first-column` layout).
   * - `candidates-in-batch`: the same cached scores, but each query is scored against every
   *   document of the batch (all positives and all lists' negatives, the `diagonal` layout with k
   *   appended negatives); the teacher's distribution puts weight 0 on documents outside the
   *   query's own list. Costs the same CE passes as `candidates`.
   * - `in-batch`: the CE scores all n x (n + n k) batch pairs live at every step (not cached):
   *   small batches only.
   */
  readonly scoring?: "candidates" | "candidates-in-batch" | "in-batch";
  /** The student's query length in tokens (default min(32, the CE's maxLength)). */
  readonly queryMaxLength?: number;
  /** The student's document length in tokens (default the CE's maxLength). */
  readonly documentMaxLength?: number;
  /**
   * The student's similarity (default dot: a dual-pooling CE's score is the inner product of
   * its pooled embeddings, so matching and scores share one space; required for dual pooling).
   */
  readonly similarity?: Similarity;
  /** CE pairs per forward pass (default 32). */
  readonly batchSize?: number;
  /** CE inference progress: rows done, rows in total. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** A first stage as plain JSON data: mined embeddings described by their shape. */
export type FirstStageSettings =
  | { readonly kind: "random"; readonly seed: number }
  | { readonly kind: "bm25"; readonly k1: number; readonly b: number; readonly seed: number }
  | {
    readonly kind: "embeddings";
    readonly queries: number;
    readonly documents: number;
    readonly dims: number;
  }
  | {
    readonly kind: "mix";
    readonly stages: readonly FirstStageSettings[];
    readonly depth: number;
    readonly seed: number;
  };

/** `stage` as {@link FirstStageSettings}, every default filled in. */
export function firstStageSettings(stage: CeFirstStage): FirstStageSettings {
  switch (stage.kind) {
    case "random":
      return { kind: "random", seed: stage.seed };
    case "bm25": {
      const params = stage.params ?? ANSERINI_BM25;
      return { kind: "bm25", k1: params.k1, b: params.b, seed: stage.seed ?? 0 };
    }
    case "embeddings":
      return {
        kind: "embeddings",
        queries: stage.queries.count,
        documents: stage.documents.count,
        dims: stage.documents.dims,
      };
    case "mix":
      return {
        kind: "mix",
        stages: stage.stages.map(firstStageSettings),
        depth: stage.depth,
        seed: stage.seed,
      };
  }
}

/** A {@link CeTeacherConfig} with every default filled in, as plain JSON data (what a run records). */
export interface CeTeacherSettings {
  readonly scorer: CrossEncoderSpec["scorer"]["kind"];
  readonly negatives: number;
  /** The first stage; mined embeddings are described by their shape. */
  readonly firstStage: FirstStageSettings;
  readonly documentSide: CeDocumentSide;
  readonly scoring: NonNullable<CeTeacherConfig["scoring"]>;
  readonly queryMaxLength: number;
  readonly documentMaxLength: number;
  readonly similarity: Similarity;
  readonly batchSize: number;
}

/** Resolve the defaults of `config` for a cross-encoder of `spec` (see {@link CeTeacherConfig}). */
export function resolveCeTeacherConfig(
  spec: CrossEncoderSpec,
  config: CeTeacherConfig = {},
): CeTeacherSettings {
  return {
    scorer: spec.scorer.kind,
    negatives: config.negatives ?? 7,
    firstStage: firstStageSettings(config.firstStage ?? { kind: "bm25" }),
    documentSide: spec.scorer.kind === "dual-pooling"
      ? config.documentSide ?? "document-alone"
      : "none",
    scoring: config.scoring ?? "candidates",
    queryMaxLength: config.queryMaxLength ?? Math.min(32, spec.maxLength),
    documentMaxLength: config.documentMaxLength ?? spec.maxLength,
    similarity: config.similarity ?? { kind: "dot" },
    batchSize: config.batchSize ?? 32,
  };
}

/** The CE teacher's contribution to a distillation run. */
export interface CePrepared {
  /** The dual-encoder view of the CE that `buildStudent` reads (see {@link crossEncoderAsTeacher}). */
  readonly teacher: TeacherModel;
  readonly data: TrainingData;
  /** Hard negatives per query appended in-batch (0 for `candidates` scoring). */
  readonly negativesPerQuery: number;
  readonly targets: CeTargets;
  readonly queryMaxLength: number;
  readonly documentMaxLength: number;
  /** Release the live CE of `in-batch` scoring (no-op otherwise). */
  readonly dispose: () => void;
}

/** Inputs of {@link prepareCrossEncoder}, indices as in the training data. */
export interface CeInputs {
  readonly tokenizer: WordPieceTokenizer;
  readonly queryTexts: readonly string[];
  readonly documentTexts: readonly string[];
  readonly examples: readonly TrainingExample[];
  readonly relevant: ReadonlyMap<number, ReadonlySet<number>>;
  readonly home?: string;
}

/**
 * The CE as a shared-tower dual encoder over its own BERT body (mean pooling, `similarity`):
 * what `buildStudent` reads to size a student (projection to the CE's hidden width) and to
 * initialise it from CE layers (`teacher-layers`). It is NOT a document encoder equivalent to the
 * CE: an asymmetric student's frozen tower is never run; its documents are the CE's
 * document-alone embeddings.
 */
export function crossEncoderAsTeacher(
  ce: CrossEncoderTeacher,
  similarity: Similarity,
  queryMaxLength: number,
  documentMaxLength: number,
): TeacherModel {
  const spec: DualEncoderSpec = {
    kind: "dual",
    towers: { kind: "shared", tower: { encoder: ce.spec.encoder } },
    pooling: "mean",
    similarity,
    queryMaxLength,
    documentMaxLength,
  };
  return { spec, weights: ce.weights };
}

/** The default objective with a CE teacher: score KD, plus Eq. 7 (and Eq. 8) for dual pooling. */
export function crossEncoderRecipe(
  ce: Pick<CrossEncoderTeacher, "spec">,
  student: StudentSpec,
  documentSide: CeDocumentSide = "document-alone",
): LossRecipe {
  if (ce.spec.scorer.kind === "cls") return { terms: [{ kind: "score-kd" }] };
  const document = student.kind === "symmetric" && documentSide !== "none";
  return {
    terms: [
      { kind: "score-kd" },
      { kind: "embed-match", side: "query" },
      ...(document ? [{ kind: "embed-match", side: "document" } as const] : []),
    ],
  };
}

function wrap(ids: readonly number[], max: number, cls: number, sep: number): number[] {
  return [cls, ...ids.slice(0, Math.max(0, max - 2)), sep];
}

function check(
  ce: CrossEncoderTeacher,
  student: StudentSpec,
  recipe: LossRecipe,
  c: CeTeacherConfig,
) {
  const dual = ce.spec.scorer.kind === "dual-pooling";
  const side = dual ? c.documentSide ?? "document-alone" : "none";
  const fail = (why: string) => {
    throw new TypeError(`Cannot distil from a "${ce.spec.scorer.kind}" cross-encoder: ${why}`);
  };
  if (student.kind === "asymmetric" && side !== "document-alone") {
    fail(
      `an asymmetric student needs the CE's document-alone embeddings, found document side "${side}" (use a symmetric student${
        dual ? ' or documentSide "document-alone"' : ""
      })`,
    );
  }
  if (dual && (c.similarity ?? { kind: "dot" }).kind !== "dot") {
    fail("dual pooling scores by inner product, so the student's similarity must be dot");
  }
  if ((c.scoring ?? "candidates") === "in-batch" && side === "pair") {
    fail('in-batch scoring has no pair embeddings for hard negatives: use "document-alone"');
  }
  for (const term of resolveRecipe(recipe).terms) {
    if (term.kind !== "embed-match") continue;
    if (!dual) fail(`term "${term.name}" needs embeddings, which a [CLS] scorer does not have`);
    if (term.side === "document" && (student.kind === "asymmetric" || side === "none")) {
      fail(`term "${term.name}" needs document targets, found document side "${side}"`);
    }
  }
}

/**
 * Everything a CE-taught run needs: candidate lists from the first stage, the CE's cached targets
 * over them, the student's token ids, and the training data (candidate lists, or in-batch live
 * CE scores). Throws TypeError for combinations that cannot work (see {@link CeTeacherConfig}).
 */
export async function prepareCrossEncoder(
  ce: CrossEncoderTeacher,
  inputs: CeInputs,
  student: StudentSpec,
  recipe: LossRecipe,
  config: CeTeacherConfig = {},
): Promise<CePrepared> {
  check(ce, student, recipe, config);
  const { tokenizer } = inputs;
  const tokens: CeTokens = {
    queries: inputs.queryTexts.map((t) => tokenizer.tokenIds(t)),
    documents: inputs.documentTexts.map((t) => tokenizer.tokenIds(t)),
    clsId: tokenizer.clsId,
    sepId: tokenizer.sepId,
  };
  const resolved = resolveCeTeacherConfig(ce.spec, config);
  const k = resolved.negatives;
  const scoring = resolved.scoring;
  const inBatch = scoring === "in-batch";
  const examples = await candidateLists(
    {
      examples: inputs.examples,
      relevant: inputs.relevant,
      documentCount: tokens.documents.length,
      texts: { queries: inputs.queryTexts, documents: inputs.documentTexts },
    },
    k,
    config.firstStage ?? { kind: "bm25" },
  );
  const targets = await crossEncoderTargetsCached(ce, tokens, examples, inBatch ? 0 : k, {
    ...(config.documentSide === undefined ? {} : { documentSide: config.documentSide }),
    ...(config.batchSize === undefined ? {} : { batchSize: config.batchSize }),
    ...(inputs.home === undefined ? {} : { home: inputs.home }),
    ...(config.onProgress === undefined ? {} : { onProgress: config.onProgress }),
  });
  const { queryMaxLength, documentMaxLength } = resolved;
  const { clsId, sepId } = tokens;
  let live: CrossEncoder | undefined;
  const embeddings = {
    ...(targets.queries === undefined ? {} : { queries: targets.queries }),
    ...(targets.documents === undefined ? {} : { documents: targets.documents }),
  };
  let teacher: TeacherSignal;
  if (inBatch) {
    const model = createCrossEncoder(ce.spec, ce.weights, "the cross-encoder teacher");
    live = model;
    teacher = {
      kind: "in-batch-scorer",
      score: (q, d): tf.Tensor2D =>
        crossEncoderScoreMatrix(model, tokens, q, d, config.batchSize ?? 32),
      ...embeddings,
    };
  } else {
    teacher = {
      kind: "candidates",
      scores: targets.scores,
      ...(targets.pairDocuments === undefined ? {} : { pairDocuments: targets.pairDocuments }),
      ...(scoring === "candidates-in-batch" ? { inBatch: true } : {}),
      ...embeddings,
    };
  }
  const data: TrainingData = {
    queries: tokens.queries.map((ids) => wrap(Array.from(ids), queryMaxLength, clsId, sepId)),
    documents: tokens.documents.map((ids) =>
      wrap(Array.from(ids), documentMaxLength, clsId, sepId)
    ),
    examples,
    teacher,
  };
  return {
    teacher: crossEncoderAsTeacher(
      ce,
      resolved.similarity,
      queryMaxLength,
      documentMaxLength,
    ),
    data,
    negativesPerQuery: scoring === "candidates" ? 0 : k,
    targets,
    queryMaxLength,
    documentMaxLength,
    dispose: () => {
      if (live !== undefined) { for (const v of live.params.values()) v.dispose(); }
    },
  };
}
