/**
 * Dev evaluation during training: the student embeds the dev queries (and, when symmetric, the
 * corpus), retrieval's exact top-k by its similarity (the suite's ranking order: score
 * descending, ties by document id descending), measured with the evaluation engine (src/eval).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { evaluate, parseMeasure, runFromRankings } from "../../eval/mod.ts";
import type { Matrix } from "../../io/mod.ts";
import { embed, l2Normalize, type Side, type Similarity } from "../../models/mod.ts";
import { blocksOf, createTsBlockSearcher, searchBlocks } from "../../retrieval/mod.ts";
import type { EvalRecord } from "./checkpoint.ts";
import type { TrainableDualEncoder } from "./trainable.ts";
import { padSequences } from "./batch_rows.ts";
import type { DevSet } from "./types.ts";

/** Default dev measures. */
export const DEFAULT_DEV_MEASURES: readonly string[] = ["RR@10", "nDCG@10"];

/** Default documents retrieved per dev query. */
export const DEFAULT_DEV_DEPTH = 100;

/** Embeddings [n, dim] of token sequences by one side of the student, in batches (no grads). */
export function studentEmbeddings(
  student: TrainableDualEncoder,
  side: Side,
  sequences: readonly ArrayLike<number>[],
  batchSize = 64,
): tf.Tensor2D {
  const parts: tf.Tensor2D[] = [];
  for (let start = 0; start < sequences.length; start += batchSize) {
    const batch = padSequences(sequences.slice(start, start + batchSize));
    parts.push(embed(student.model, side, batch));
  }
  const out = tf.concat(parts, 0);
  for (const p of parts) p.dispose();
  return out;
}

/**
 * Queries and documents whose inner product is `similarity` (cosine: unit rows, the queries
 * scaled), so an inner-product top-k ranks by the student's similarity.
 */
function innerProductSpace(
  similarity: Similarity,
  queries: tf.Tensor2D,
  documents: tf.Tensor2D,
): [tf.Tensor2D, tf.Tensor2D] {
  if (similarity.kind === "dot") return [queries, documents];
  return [tf.mul(l2Normalize(queries), similarity.scale), l2Normalize(documents)];
}

/**
 * Evaluate the student on `dev`: asymmetric students score against `teacherDocuments` (the
 * teacher's cached corpus embeddings); symmetric ones embed `documents` themselves.
 */
export async function evaluateStudent(
  student: TrainableDualEncoder,
  dev: DevSet,
  documents: readonly ArrayLike<number>[],
  teacherDocuments: Matrix | undefined,
  step: number,
): Promise<EvalRecord> {
  const depth = Math.min(dev.depth ?? DEFAULT_DEV_DEPTH, dev.documentIds.length);
  const spec = student.model.spec;
  let docs: tf.Tensor2D;
  if (student.kind === "asymmetric") {
    if (teacherDocuments === undefined) {
      throw new TypeError("Cannot evaluate an asymmetric student without teacher documents");
    }
    docs = tf.tensor2d(teacherDocuments.vectors, [teacherDocuments.count, teacherDocuments.dims]);
  } else {
    docs = studentEmbeddings(student, "document", documents);
  }
  if (docs.shape[0] !== dev.documentIds.length) {
    docs.dispose();
    throw new TypeError(
      `Cannot evaluate: ${
        docs.shape[0]
      } document embeddings for ${dev.documentIds.length} document ids`,
    );
  }
  let queryVectors: Float32Array;
  let documentVectors: Float32Array;
  try {
    const queries = studentEmbeddings(student, "query", dev.queries);
    [queryVectors, documentVectors] = tf.tidy(() => {
      const [q, d] = innerProductSpace(spec.similarity, queries, docs);
      return [q.dataSync() as Float32Array, d.dataSync() as Float32Array];
    });
    queries.dispose();
  } finally {
    docs.dispose();
  }
  const dims = documentVectors.length / dev.documentIds.length;
  const searcher = createTsBlockSearcher();
  const hits = await searchBlocks(
    searcher,
    { ids: dev.queryIds, dims, vectors: queryVectors },
    blocksOf({ ids: dev.documentIds, dims, vectors: documentVectors }, 8192),
    { k: depth },
  ).finally(() => searcher.close());
  const rankings = hits.map((h) => [h.queryId, h.hits] as const);
  const measures = (dev.measures ?? DEFAULT_DEV_MEASURES).map((m) => parseMeasure(m));
  const results = evaluate(dev.qrels, runFromRankings(rankings), measures);
  return { step, metrics: Object.fromEntries(results.map((r) => [r.name, r.mean])) };
}
