/**
 * One training step: pad the batch's token ids, compute the student's (and the teacher's cached)
 * embeddings and in-batch scores, the objective and its gradients for the trainable variables,
 * plus the teacher-student agreement diagnostics.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { embed, l2Normalize, similarityMatrix, type TokenBatch } from "../models/mod.ts";
import type { Student } from "./student.ts";
import type { EmbeddingMatrix } from "./teacher_cache.ts";
import type { Agreement, StepTensors, TrainingData, TrainingObjective } from "./trainer_types.ts";

/** Pad token id sequences to the longest (pad id 0, BERT's `[PAD]`) as a batch. */
export function padSequences(rows: readonly ArrayLike<number>[]): TokenBatch {
  const seq = Math.max(1, ...rows.map((r) => r.length));
  const inputIds = new Int32Array(rows.length * seq);
  const attentionMask = new Int32Array(rows.length * seq);
  rows.forEach((r, b) => {
    for (let t = 0; t < r.length; t++) {
      inputIds[b * seq + t] = r[t]!;
      attentionMask[b * seq + t] = 1;
    }
  });
  return { shape: [rows.length, seq], inputIds, attentionMask };
}

/** Rows `indices` of an embedding matrix as a tensor [k, dims]. */
export function gatherRows(matrix: EmbeddingMatrix, indices: readonly number[]): tf.Tensor2D {
  const out = new Float32Array(indices.length * matrix.dims);
  indices.forEach((row, i) => {
    if (!(row >= 0 && row < matrix.count)) {
      throw new RangeError(`Cannot take embedding row ${row}: the matrix has ${matrix.count} rows`);
    }
    out.set(matrix.vectors.subarray(row * matrix.dims, (row + 1) * matrix.dims), i * matrix.dims);
  });
  return tf.tensor2d(out, [indices.length, matrix.dims]);
}

/** The numbers one step produced. */
export interface StepOutcome {
  readonly loss: number;
  readonly terms: Record<string, number>;
  /** Gradients by variable name (the caller disposes them). */
  readonly gradients: Map<string, tf.Tensor>;
  readonly agreement?: Agreement;
}

/** Which documents and queries a step uses. */
export interface StepBatch {
  readonly queries: readonly number[];
  /** Positives (column i = query i's) then hard negatives. */
  readonly documents: readonly number[];
}

function scoringSpace(student: Student, x: tf.Tensor2D): tf.Tensor2D {
  return student.model.spec.similarity.kind === "cosine" ? l2Normalize(x) : x;
}

function agreementOf(
  studentQueries: tf.Tensor2D,
  teacherQueries: tf.Tensor2D,
  studentScores: tf.Tensor2D,
  teacherScores: tf.Tensor2D,
): Agreement {
  return tf.tidy(() => {
    let queryCosine = NaN;
    if (studentQueries.shape[1] === teacherQueries.shape[1]) {
      const cos = tf.sum(tf.mul(l2Normalize(studentQueries), l2Normalize(teacherQueries)), 1);
      queryCosine = tf.mean(cos).dataSync()[0]!;
    }
    const center = (x: tf.Tensor) => tf.sub(x, tf.mean(x));
    const s = center(studentScores);
    const t = center(teacherScores);
    const num = tf.sum(tf.mul(s, t));
    const den = tf.sqrt(tf.mul(tf.sum(tf.square(s)), tf.sum(tf.square(t))));
    const scoreCorrelation = tf.div(num, tf.maximum(den, 1e-12)).dataSync()[0]!;
    return { queryCosine, scoreCorrelation };
  });
}

/**
 * Forward, objective and gradients of one batch. The asymmetric student scores its query
 * embeddings against the teacher's cached document embeddings (no document encoder runs).
 */
export function computeStep(
  student: Student,
  data: TrainingData,
  batch: StepBatch,
  objective: TrainingObjective,
  diagnostics: boolean,
): StepOutcome {
  const spec = student.model.spec;
  const teacherQ = data.teacherQueries;
  const teacherD = data.teacherDocuments;
  const names = new Map([...student.trainable].map(([name, v]) => [v.name, name]));
  let terms: Record<string, tf.Scalar> = {};
  let kept: tf.Tensor2D[] = [];
  const constants = tf.tidy(() => {
    const tq = teacherQ === undefined ? undefined : gatherRows(teacherQ, batch.queries);
    const td = teacherD === undefined ? undefined : gatherRows(teacherD, batch.documents);
    const ts = tq !== undefined && td !== undefined
      ? similarityMatrix(spec.similarity, tq, td)
      : undefined;
    return { tq, td, ts };
  });
  const queryBatch = padSequences(batch.queries.map((i) => data.queries[i]!));
  const documentBatch = student.kind === "symmetric"
    ? padSequences(batch.documents.map((i) => data.documents[i]!))
    : undefined;
  if (student.kind === "asymmetric" && constants.td === undefined) {
    throw new TypeError(
      "Cannot train an asymmetric student: the teacher's document embeddings are missing",
    );
  }
  try {
    const { value, grads } = tf.variableGrads(() => {
      const q = embed(student.model, "query", queryBatch);
      const sq = scoringSpace(student, q);
      let sd: tf.Tensor2D | undefined;
      let scores: tf.Tensor2D;
      if (documentBatch !== undefined) {
        sd = scoringSpace(student, embed(student.model, "document", documentBatch));
        scores = similarityMatrix(spec.similarity, q, sd);
      } else {
        scores = similarityMatrix(spec.similarity, q, constants.td!);
      }
      const step: StepTensors = {
        studentScores: scores,
        studentQueries: sq,
        ...(sd === undefined ? {} : { studentDocuments: sd }),
        ...(constants.ts === undefined ? {} : { teacherScores: constants.ts }),
        ...(constants.tq === undefined ? {} : { teacherQueries: constants.tq }),
        ...(constants.td === undefined ? {} : { teacherDocuments: constants.td }),
      };
      const out = objective(step);
      terms = Object.fromEntries(
        Object.entries(out.terms).map(([k, v]) => [k, tf.keep(tf.clone(v))]),
      );
      if (diagnostics) kept = [tf.keep(sq), tf.keep(scores)];
      return out.total;
    }, [...student.trainable.values()]);
    const loss = value.dataSync()[0]!;
    value.dispose();
    const gradients = new Map<string, tf.Tensor>();
    for (const [varName, g] of Object.entries(grads)) {
      gradients.set(names.get(varName) ?? varName, g);
    }
    const termValues = Object.fromEntries(
      Object.entries(terms).map(([k, v]) => [k, v.dataSync()[0]!]),
    );
    let agreement: Agreement | undefined;
    const [sq, scores] = kept;
    if (sq !== undefined && scores !== undefined && constants.tq && constants.ts) {
      agreement = agreementOf(sq, constants.tq, scores, constants.ts);
    }
    return {
      loss,
      terms: termValues,
      gradients,
      ...(agreement === undefined ? {} : { agreement }),
    };
  } finally {
    for (const v of Object.values(terms)) v.dispose();
    for (const v of kept) v.dispose();
    constants.tq?.dispose();
    constants.td?.dispose();
    constants.ts?.dispose();
  }
}
