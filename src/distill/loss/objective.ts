/**
 * The combined distillation objective: a weighted sum of a recipe's named terms over one batch's
 * score matrices and embeddings, returning every term separately for logging.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { match } from "ts-pattern";
import { embedMatchLoss } from "./embed_match.ts";
import type { PositiveLayout } from "./layout.ts";
import { inBatchMarginMseLoss } from "./margin_mse.ts";
import { oneHotLoss } from "./one_hot.ts";
import { scoreKdLoss } from "./score_kd.ts";
import { type LossRecipe, type ResolvedLossTerm, resolveRecipe } from "./recipe.ts";

/**
 * One batch's tensors; each term needs only some of them (a missing one is a TypeError naming
 * the term): one-hot needs `studentScores`; score-kd and margin-mse need both score matrices;
 * embed-match needs the side's teacher and student embeddings. Teacher tensors are constants.
 */
export interface ObjectiveInputs {
  /** Student scores [n, m] (in-batch [n, n(+h)], or candidate lists [n, 1 + k]). */
  readonly studentScores?: tf.Tensor2D;
  /** Teacher scores [n, m], same columns as the student's. */
  readonly teacherScores?: tf.Tensor2D;
  /** Where each row's positive is (default `diagonal`). */
  readonly layout?: PositiveLayout;
  /** Student query embeddings [n, d_t] (Eq. 7; the student's tower projects to the teacher's width). */
  readonly studentQueries?: tf.Tensor2D;
  /** Teacher query embeddings [n, d_t]. */
  readonly teacherQueries?: tf.Tensor2D;
  /** Student document embeddings [n, d_t] (Eq. 8; symmetric students only). */
  readonly studentDocuments?: tf.Tensor2D;
  /** Teacher document embeddings [n, d_t]. */
  readonly teacherDocuments?: tf.Tensor2D;
}

/** The objective's value and each term's (unweighted) value by name; the caller disposes them. */
export interface ObjectiveResult {
  /** sum_k weight_k * term_k, summed in name order (terms of weight 0 are reported, not added). */
  readonly total: tf.Scalar;
  /** Every term by name, unweighted, each a MEAN over the batch's queries. */
  readonly terms: Readonly<Record<string, tf.Scalar>>;
}

function need(value: tf.Tensor2D | undefined, field: string, term: string): tf.Tensor2D {
  if (value === undefined) {
    throw new TypeError(`Cannot compute loss term "${term}": the inputs have no ${field}`);
  }
  return value;
}

function termValue(term: ResolvedLossTerm, inputs: ObjectiveInputs): tf.Scalar {
  const layout = inputs.layout ?? "diagonal";
  return match(term)
    .returnType<tf.Scalar>()
    .with(
      { kind: "one-hot" },
      (t) => oneHotLoss(need(inputs.studentScores, "studentScores", t.name), { layout }),
    )
    .with({ kind: "score-kd" }, (t) =>
      scoreKdLoss(
        need(inputs.teacherScores, "teacherScores", t.name),
        need(inputs.studentScores, "studentScores", t.name),
        {
          teacherTemperature: t.teacherTemperature,
          studentTemperature: t.studentTemperature,
          form: t.form,
          rescale: t.rescale,
        },
      ))
    .with({ kind: "margin-mse" }, (t) =>
      inBatchMarginMseLoss(
        need(inputs.teacherScores, "teacherScores", t.name),
        need(inputs.studentScores, "studentScores", t.name),
        { layout },
      ))
    .with({ kind: "embed-match" }, (t) => {
      const query = t.side === "query";
      return embedMatchLoss(
        need(
          query ? inputs.teacherQueries : inputs.teacherDocuments,
          query ? "teacherQueries" : "teacherDocuments",
          t.name,
        ),
        need(
          query ? inputs.studentQueries : inputs.studentDocuments,
          query ? "studentQueries" : "studentDocuments",
          t.name,
        ),
        { distance: t.distance, eps: t.eps },
      );
    })
    .exhaustive();
}

/**
 * Evaluate a loss recipe on one batch: every term (each a mean over the batch's queries, so the
 * weights mean the same at every batch size) and their weighted sum. Call it inside
 * `tf.variableGrads` / `optimizer.minimize` returning `total`; read `terms` for logging. Those
 * run the function in a tidy scope that disposes `terms` on exit: read them inside, or
 * `tf.keep(tf.clone(term))` the ones to read afterwards. Outside a scope the caller disposes
 * `total` and `terms`. Throws TypeError when a term's inputs are missing (nothing leaks).
 *
 * @example
 * ```ts
 * const { total, terms } = computeObjective(
 *   { terms: [{ kind: "score-kd" }, { kind: "embed-match", side: "query" }] },
 *   { studentScores, teacherScores, studentQueries, teacherQueries },
 * );
 * ```
 */
export function computeObjective(recipe: LossRecipe, inputs: ObjectiveInputs): ObjectiveResult {
  const resolved = resolveRecipe(recipe);
  const terms: Record<string, tf.Scalar> = {};
  try {
    for (const term of resolved.terms) terms[term.name] = termValue(term, inputs);
  } catch (error) {
    tf.dispose(Object.values(terms));
    throw error;
  }
  const total = tf.tidy(() => {
    let sum: tf.Scalar = tf.scalar(0);
    for (const term of resolved.terms) {
      if (term.weight === 0) continue;
      sum = tf.add(sum, tf.mul(terms[term.name]!, term.weight));
    }
    return sum;
  });
  return { total, terms };
}
