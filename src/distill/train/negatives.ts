/**
 * Teacher-mined hard negatives: for each training query, the documents its teacher embedding
 * ranks highest that are not judged relevant (as in ANCE / RocketQA-style mining, done once from
 * the cached teacher embeddings).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { Matrix } from "../../io/mod.ts";
import type { TrainingExample } from "./types.ts";
import { gatherRows } from "./batch_rows.ts";

/**
 * Attach `count` hard negatives to every example: the top-ranked documents by inner product of
 * the teacher's (scoring-space) embeddings, skipping every document in `relevant[query]`.
 * Queries are scored in blocks of `block` rows.
 */
export function mineHardNegatives(
  examples: readonly TrainingExample[],
  teacherQueries: Matrix,
  teacherDocuments: Matrix,
  relevant: ReadonlyMap<number, ReadonlySet<number>>,
  count: number,
  block = 256,
): TrainingExample[] {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`Cannot mine ${count} hard negatives: expected a positive integer`);
  }
  if (teacherQueries.dims !== teacherDocuments.dims) {
    throw new TypeError(
      `Cannot mine hard negatives: query embeddings have ${teacherQueries.dims} dimensions, documents ${teacherDocuments.dims}`,
    );
  }
  const queryIds = [...new Set(examples.map((e) => e.query))].sort((a, b) => a - b);
  const mined = new Map<number, number[]>();
  const docs = tf.tensor2d(teacherDocuments.vectors, [
    teacherDocuments.count,
    teacherDocuments.dims,
  ]);
  try {
    for (let start = 0; start < queryIds.length; start += block) {
      const rows = queryIds.slice(start, start + block);
      const maxRelevant = Math.max(0, ...rows.map((q) => relevant.get(q)?.size ?? 0));
      const k = Math.min(teacherDocuments.count, count + maxRelevant);
      const top = tf.tidy(() => {
        const q = gatherRows(teacherQueries, rows);
        return tf.topk(tf.matMul(q, docs, false, true), k).indices;
      });
      const indices = top.dataSync();
      top.dispose();
      rows.forEach((query, i) => {
        const skip = relevant.get(query) ?? new Set<number>();
        const list: number[] = [];
        for (let r = 0; r < k && list.length < count; r++) {
          const doc = indices[i * k + r]!;
          if (!skip.has(doc)) list.push(doc);
        }
        mined.set(query, list);
      });
    }
  } finally {
    docs.dispose();
  }
  return examples.map((e) => ({ ...e, negatives: mined.get(e.query) ?? [] }));
}
