/**
 * How much of a cross-encoder's ranking survives when only its pooled embeddings are used, as a
 * dual encoder would use them (EmbedDistill section 4.2: dual pooling is what makes a CE's
 * geometry something a dual-encoder student can match). Queries are pooled alone
 * (`[CLS] q [SEP]`), documents alone (`[CLS] [SEP] d [SEP]`), scored by inner product, and
 * compared with the CE's own pair scores on the same first-stage candidates:
 * - `rerank`: the CE re-ranking the candidates (what the CE teaches);
 * - `aloneRerank`: <query alone, document alone> re-ranking the same candidates;
 * - `aloneRetrieval`: <query alone, document alone> over the whole corpus (the CE as a DE);
 * - the agreement of the two scores per query (Pearson, Spearman), and the geometry of the
 *   pooled matrices (collapse: mean cosine; effective rank).
 * A `cls` CE has no trained segment embeddings; its segments are mean-pooled all the same, to show
 * what dual pooling adds.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { Matrix } from "../../io/mod.ts";
import {
  evaluate,
  parseMeasure,
  type Qrels,
  rankedList,
  type Run,
  runFromRankings,
} from "../../eval/mod.ts";
import {
  createCrossEncoder,
  crossEncoderForward,
  disposeParameters,
  type TokenBatch,
} from "../../models/mod.ts";
import { segmentAlone } from "./pooled_targets.ts";
import {
  type CeTokens,
  type CrossEncoderTeacher,
  documentAloneRows,
  pairRows,
  queryAloneRows,
} from "./teacher.ts";
import { embeddingGeometry, type Geometry } from "./geometry.ts";
import { topKByInnerProduct } from "./top_k.ts";

/** Inputs of {@link diagnoseCrossEncoder}; token lists indexed like the ids. */
export interface CeDiagnosticInputs {
  readonly teacher: CrossEncoderTeacher;
  /** Bare token ids of the queries (`queryIds` order) and of the corpus (`documentIds` order). */
  readonly tokens: CeTokens;
  readonly queryIds: readonly string[];
  readonly documentIds: readonly string[];
  readonly qrels: Qrels;
  /** A first stage's run over these queries: its ranked lists are the candidates. */
  readonly candidates: Run;
  /** Measures (src/eval names); the first is the one `retained` compares. */
  readonly measures: readonly string[];
  /** Rows per forward pass (default 64). */
  readonly batchSize?: number;
  /** Progress: a phase and its rows done / in total. */
  readonly onProgress?: (phase: string, done: number, total: number) => void;
}

/** Per-query agreement of two scorings of the same candidates, averaged over queries. */
export interface Agreement {
  readonly pearson: number;
  readonly spearman: number;
}

/** What {@link diagnoseCrossEncoder} measured (metrics by measure name). */
export interface CeDiagnostic {
  readonly scorer: "cls" | "dual-pooling";
  readonly depth: number;
  readonly rerank: Readonly<Record<string, number>>;
  readonly aloneRerank: Readonly<Record<string, number>>;
  readonly aloneRetrieval: Readonly<Record<string, number>>;
  /** aloneRetrieval / rerank on the first measure (0 when the CE scores 0). */
  readonly retained: number;
  readonly agreement: Agreement;
  readonly queries: Geometry;
  readonly documents: Geometry;
}

function metricsOf(qrels: Qrels, run: Run, measures: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of evaluate(qrels, run, measures.map(parseMeasure))) out[r.name] = r.mean;
  return out;
}

function pearson(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

/** Ranks 1..n with ties given their average rank. */
function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((x, y) => x[0] - y[0]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) out[order[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

/** Mean over lists (of at least 2 entries) of Pearson and Spearman correlations. */
export function meanAgreement(
  pairs: readonly { readonly a: readonly number[]; readonly b: readonly number[] }[],
): Agreement {
  const usable = pairs.filter((p) => p.a.length >= 2);
  if (usable.length === 0) return { pearson: 0, spearman: 0 };
  let p = 0, s = 0;
  for (const { a, b } of usable) {
    p += pearson(a, b);
    s += pearson(ranks(a), ranks(b));
  }
  return { pearson: p / usable.length, spearman: s / usable.length };
}

/** Run `rows` in batches through `forward`, collecting [n, dims] rows. */
function batched(
  count: number,
  batchSize: number,
  rowsOf: (indices: number[]) => TokenBatch,
  forward: (batch: TokenBatch) => tf.Tensor,
  progress: (done: number) => void,
): Float32Array[] {
  const out: Float32Array[] = [];
  for (let start = 0; start < count; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, count - start) }, (_, i) => start + i);
    const result = tf.tidy(() => forward(rowsOf(indices)));
    out.push(result.dataSync() as Float32Array);
    result.dispose();
    progress(start + indices.length);
  }
  return out;
}

function concat(parts: readonly Float32Array[], count: number): Matrix {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const vectors = new Float32Array(total);
  let at = 0;
  for (const p of parts) {
    vectors.set(p, at);
    at += p.length;
  }
  return { count, dims: count === 0 ? 0 : total / count, vectors };
}

/** Top `k` documents of every query by inner product, as a run. */
function exactRun(
  queries: Matrix,
  documents: Matrix,
  queryIds: readonly string[],
  documentIds: readonly string[],
  k: number,
): Run {
  return runFromRankings(
    topKByInnerProduct(queries, documents, k).map((top, q) =>
      [
        queryIds[q]!,
        top.indices.map((d, j) => ({ docId: documentIds[d]!, score: top.scores[j]! })),
      ] as const
    ),
  );
}

/**
 * Measure how much of `teacher`'s re-ranking quality its pooled embeddings keep (see the module
 * documentation). Deterministic for a fixed backend and thread count.
 */
export function diagnoseCrossEncoder(inputs: CeDiagnosticInputs): CeDiagnostic {
  const { teacher, tokens, queryIds, documentIds, qrels, measures } = inputs;
  const batchSize = inputs.batchSize ?? 64;
  const progress = inputs.onProgress ?? (() => {});
  if (tokens.queries.length !== queryIds.length || tokens.documents.length !== documentIds.length) {
    throw new RangeError(
      `Cannot diagnose a cross-encoder: ${tokens.queries.length} query and ${tokens.documents.length} document token lists for ${queryIds.length} queries and ${documentIds.length} documents`,
    );
  }
  if (measures.length === 0) throw new RangeError("Cannot diagnose a cross-encoder: no measures");
  const docIndex = new Map(documentIds.map((id, i) => [id, i]));
  const candidates = queryIds.map((id) =>
    rankedList(inputs.candidates, id).map((hit) => {
      const d = docIndex.get(hit.docId);
      if (d === undefined) {
        throw new RangeError(
          `Cannot diagnose a cross-encoder: the first stage ranks document "${hit.docId}" for query "${id}", which is not in the corpus`,
        );
      }
      return d;
    })
  );
  const depth = Math.max(0, ...candidates.map((c) => c.length));
  const scorer = teacher.spec.scorer;
  const special = scorer.kind === "dual-pooling" ? scorer.includeSpecialTokens : false;
  const model = createCrossEncoder(teacher.spec, teacher.weights, "the cross-encoder");
  try {
    const maxLength = teacher.spec.maxLength;
    const queryMatrix = concat(
      batched(
        queryIds.length,
        batchSize,
        (ix) => queryAloneRows(tokens, ix, maxLength),
        (b) => segmentAlone(model, b, 0, special),
        (done) => progress("queries alone", done, queryIds.length),
      ),
      queryIds.length,
    );
    const documentMatrix = concat(
      batched(
        documentIds.length,
        batchSize,
        (ix) => documentAloneRows(tokens, ix, maxLength),
        (b) => segmentAlone(model, b, 1, special),
        (done) => progress("documents alone", done, documentIds.length),
      ),
      documentIds.length,
    );
    const pairs = candidates.flatMap((list, q) => list.map((d) => [q, d] as [number, number]));
    const pairScores = concat(
      batched(
        pairs.length,
        batchSize,
        (ix) => pairRows(tokens, ix.map((i) => pairs[i]!), maxLength),
        (b) => {
          const out = crossEncoderForward(model, b);
          const { scores, ...rest } = out;
          tf.dispose(Object.values(rest).filter((v) => v instanceof tf.Tensor));
          return scores;
        },
        (done) => progress("pairs", done, pairs.length),
      ),
      pairs.length,
    ).vectors;
    const h = queryMatrix.dims;
    const dot = (q: number, d: number) => {
      let s = 0;
      for (let k = 0; k < h; k++) {
        s += queryMatrix.vectors[q * h + k]! * documentMatrix.vectors[d * h + k]!;
      }
      return s;
    };
    let at = 0;
    const lists = candidates.map((list, q) =>
      list.map((d) => ({ d, pair: pairScores[at++]!, alone: dot(q, d) }))
    );
    const ranked = (key: "pair" | "alone") =>
      runFromRankings(
        lists.map((list, q) =>
          [queryIds[q]!, list.map((x) => ({ docId: documentIds[x.d]!, score: x[key] }))] as const
        ),
      );
    const rerank = metricsOf(qrels, ranked("pair"), measures);
    const aloneRerank = metricsOf(qrels, ranked("alone"), measures);
    const aloneRetrieval = metricsOf(
      qrels,
      exactRun(queryMatrix, documentMatrix, queryIds, documentIds, Math.max(depth, 100)),
      measures,
    );
    const first = Object.keys(rerank)[0]!;
    const base = rerank[first] ?? 0;
    return {
      scorer: scorer.kind,
      depth,
      rerank,
      aloneRerank,
      aloneRetrieval,
      retained: base === 0 ? 0 : (aloneRetrieval[first] ?? 0) / base,
      agreement: meanAgreement(
        lists.map((list) => ({ a: list.map((x) => x.pair), b: list.map((x) => x.alone) })),
      ),
      queries: embeddingGeometry(queryMatrix),
      documents: embeddingGeometry(documentMatrix),
    };
  } finally {
    disposeParameters(model.params);
  }
}
