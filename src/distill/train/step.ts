/**
 * One training step: pad the batch's token ids, compute the student's (and the teacher's cached)
 * embeddings and in-batch scores, the objective and its gradients for the trainable variables,
 * plus the teacher-student agreement diagnostics.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { match } from "ts-pattern";
import type { Matrix } from "../../io/mod.ts";
import {
  embed,
  l2Normalize,
  pairSimilarity,
  type Similarity,
  similarityMatrix,
} from "../../models/mod.ts";
import { gatherRows, padSequences } from "./batch_rows.ts";
import type { StepOutcome, TrainableDualEncoder } from "./trainable.ts";
import {
  type Agreement,
  CANDIDATE_MASK,
  type CandidateTeacher,
  type StepTensors,
  type TrainingData,
  type TrainingObjective,
} from "./types.ts";

/** Which documents and queries a step uses. */
export interface StepBatch {
  readonly queries: readonly number[];
  /**
   * Positives (column i = query i's) then hard negatives; with `listWidth`, each example's
   * candidate list [positive, negatives] in turn (`listWidth` documents per query).
   */
  readonly documents: readonly number[];
  /** Indices of the examples (needed with candidate lists, to find their teacher scores). */
  readonly examples?: readonly number[];
  /** Candidate-list width 1 + k: query i is scored against its own list only. */
  readonly listWidth?: number;
}

/**
 * Scores of each query against its own candidate list: queries [n, d] and documents
 * [n x width, d] (query i's list at rows i x width ..) -> [n, width].
 */
export function listScores(
  similarity: Similarity,
  queries: tf.Tensor2D,
  documents: tf.Tensor2D,
  width: number,
): tf.Tensor2D {
  return tf.tidy(() => {
    const [n, d] = queries.shape;
    const repeated = tf.reshape(tf.tile(tf.expandDims(queries, 1), [1, width, 1]), [n * width, d]);
    return tf.reshape(pairSimilarity(similarity, repeated as tf.Tensor2D, documents), [n, width]);
  });
}

function batchExamples(batch: StepBatch): readonly number[] {
  if (batch.examples === undefined) {
    throw new TypeError(
      "Cannot use candidate-list teacher scores: the batch has no example indices",
    );
  }
  return batch.examples;
}

/**
 * Teacher scores [n, m] of an in-batch step from cached candidate lists: column c of row i is
 * the cached score of document `documents[c]` in example i's own list, else CANDIDATE_MASK.
 */
function inBatchListScores(
  data: TrainingData,
  lists: CandidateTeacher,
  batch: StepBatch,
): tf.Tensor2D {
  const width = lists.scores.dims;
  const examples = batchExamples(batch);
  const m = batch.documents.length;
  const out = new Float32Array(examples.length * m).fill(CANDIDATE_MASK);
  examples.forEach((e, i) => {
    const example = data.examples[e]!;
    const own = new Map<number, number>();
    [example.positive, ...(example.negatives ?? []).slice(0, width - 1)].forEach((d, j) => {
      if (!own.has(d)) own.set(d, lists.scores.vectors[e * width + j]!);
    });
    batch.documents.forEach((d, c) => {
      const score = own.get(d);
      if (score !== undefined) out[i * m + c] = score;
    });
  });
  return tf.tensor2d(out, [examples.length, m]);
}

/**
 * Eq. 8 targets from per-pair document embeddings (`candidates.pairDocuments`), one row per batch
 * document: own-list pairs (list layout), or positives then each example's negatives (in-batch).
 */
function pairDocumentTargets(
  lists: CandidateTeacher,
  batch: StepBatch,
): tf.Tensor2D | undefined {
  const pairs = lists.pairDocuments;
  if (pairs === undefined) return undefined;
  const width = lists.scores.dims;
  const examples = batchExamples(batch);
  const rows = batch.listWidth !== undefined
    ? examples.flatMap((e) => [...Array(width).keys()].map((j) => e * width + j))
    : [
      ...examples.map((e) => e * width),
      ...examples.flatMap((e) =>
        [...Array((batch.documents.length - examples.length) / examples.length).keys()]
          .map((j) => e * width + 1 + j)
      ),
    ];
  return gatherRows(pairs, rows);
}

function scoringSpace(student: TrainableDualEncoder, x: tf.Tensor2D): tf.Tensor2D {
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
  student: TrainableDualEncoder,
  data: TrainingData,
  batch: StepBatch,
  objective: TrainingObjective,
  diagnostics: boolean,
): StepOutcome {
  const spec = student.model.spec;
  const names = new Map([...student.trainable].map(([name, v]) => [v.name, name]));
  let terms: Record<string, tf.Scalar> = {};
  let kept: tf.Tensor2D[] = [];
  const width = batch.listWidth;
  if (width !== undefined && (data.teacher.kind !== "candidates" || batch.examples === undefined)) {
    throw new TypeError("Cannot score candidate lists: the teacher's list scores are missing");
  }
  if (width === undefined && data.teacher.kind === "candidates" && data.teacher.inBatch !== true) {
    throw new TypeError(
      "Cannot score an in-batch step against candidate-list teacher scores: the batch has no list width and the teacher's inBatch is not set",
    );
  }
  const scoreOf = (q: tf.Tensor2D, d: tf.Tensor2D) =>
    width === undefined
      ? similarityMatrix(spec.similarity, q, d)
      : listScores(spec.similarity, q, d, width);
  const rows = (m: Matrix | undefined, indices: readonly number[]) =>
    m === undefined ? undefined : gatherRows(m, indices);
  const constants: {
    tq?: tf.Tensor2D | undefined;
    td?: tf.Tensor2D | undefined;
    ts?: tf.Tensor2D | undefined;
    tm?: tf.Tensor2D | undefined;
  } = tf.tidy(() =>
    match(data.teacher)
      .with({ kind: "none" }, () => ({}))
      .with({ kind: "embeddings" }, (t) => {
        const tq = gatherRows(t.queries, batch.queries);
        const td = gatherRows(t.documents, batch.documents);
        return { tq, td, ts: similarityMatrix(spec.similarity, tq, td) };
      })
      .with({ kind: "candidates" }, (t) => ({
        tq: rows(t.queries, batch.queries),
        td: rows(t.documents, batch.documents),
        tm: pairDocumentTargets(t, batch),
        ts: width !== undefined
          ? gatherRows(t.scores, batch.examples!)
          : inBatchListScores(data, t, batch),
      }))
      .with({ kind: "in-batch-scorer" }, (t) => ({
        tq: rows(t.queries, batch.queries),
        td: rows(t.documents, batch.documents),
        ts: t.score(batch.queries, batch.documents),
      }))
      .exhaustive()
  );
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
        scores = scoreOf(q, sd);
      } else {
        scores = scoreOf(q, constants.td!);
      }
      const matched = constants.tm ?? constants.td;
      const step: StepTensors = {
        ...(width === undefined ? {} : { layout: "first-column" as const }),
        studentScores: scores,
        studentQueries: sq,
        ...(sd === undefined ? {} : { studentDocuments: sd }),
        ...(constants.ts === undefined ? {} : { teacherScores: constants.ts }),
        ...(constants.tq === undefined ? {} : { teacherQueries: constants.tq }),
        ...(matched === undefined ? {} : { teacherDocuments: matched }),
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
    constants.tm?.dispose();
  }
}
