/**
 * Dev evaluation during training: the student embeds the dev queries (and, when symmetric, the
 * corpus), exact top-k by its similarity, measured with the evaluation engine (src/eval).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { evaluate, parseMeasure, runFromRankings, type Scored } from "../../eval/mod.ts";
import { embed, type Side, similarityMatrix } from "../../models/mod.ts";
import type { EvalRecord } from "./checkpoint.ts";
import type { Student } from "../student.ts";
import type { Matrix } from "../../io/mod.ts";
import { padSequences } from "./batch_rows.ts";
import type { DevSet } from "./types.ts";

/** Default dev measures. */
export const DEFAULT_DEV_MEASURES: readonly string[] = ["RR@10", "nDCG@10"];

/** Embeddings [n, dim] of token sequences by one side of the student, in batches (no grads). */
export function studentEmbeddings(
  student: Student,
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
 * Evaluate the student on `dev`: asymmetric students score against `teacherDocuments` (the
 * teacher's cached corpus embeddings); symmetric ones embed `documents` themselves.
 */
export async function evaluateStudent(
  student: Student,
  dev: DevSet,
  documents: readonly ArrayLike<number>[],
  teacherDocuments: Matrix | undefined,
  step: number,
): Promise<EvalRecord> {
  const depth = Math.min(dev.depth ?? 100, dev.documentIds.length);
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
  const rankings: Array<[string, Scored[]]> = [];
  try {
    const queries = studentEmbeddings(student, "query", dev.queries);
    const top = tf.tidy(() => tf.topk(similarityMatrix(spec.similarity, queries, docs), depth));
    queries.dispose();
    const values = await top.values.data();
    const indices = await top.indices.data();
    top.values.dispose();
    top.indices.dispose();
    dev.queryIds.forEach((qid, q) => {
      const list: Scored[] = [];
      for (let r = 0; r < depth; r++) {
        list.push({
          docId: dev.documentIds[indices[q * depth + r]!]!,
          score: values[q * depth + r]!,
        });
      }
      rankings.push([qid, list]);
    });
  } finally {
    docs.dispose();
  }
  const measures = (dev.measures ?? DEFAULT_DEV_MEASURES).map((m) => parseMeasure(m));
  const results = evaluate(dev.qrels, runFromRankings(rankings), measures);
  return { step, metrics: Object.fromEntries(results.map((r) => [r.name, r.mean])) };
}
