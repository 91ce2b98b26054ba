/**
 * Float64 plain-TypeScript references of the distillation losses (written from the equations,
 * independently of the tfjs code), used to check values and finite-difference gradients.
 *
 * @module
 */

import type * as tf from "@tensorflow/tfjs";
import type { NamedTensor } from "../models/mod.ts";
import { checkGradients } from "./gradient_check.ts";
import type { PositiveLayout } from "../distill/loss/mod.ts";

/** A row-major matrix as nested arrays (rows of numbers). */
export type Rows = readonly (readonly number[])[];

/** log softmax of one row, computed with the max subtracted. */
export function refLogSoftmax(row: readonly number[]): number[] {
  const max = Math.max(...row);
  const lse = max + Math.log(row.reduce((acc, x) => acc + Math.exp(x - max), 0));
  return row.map((x) => x - lse);
}

function positiveColumn(i: number, layout: PositiveLayout): number {
  return layout === "diagonal" ? i : 0;
}

/** Eq. 9: mean over rows of -log softmax at the positive column. */
export function refOneHot(scores: Rows, layout: PositiveLayout = "diagonal"): number {
  let total = 0;
  scores.forEach((row, i) => {
    total -= refLogSoftmax(row)[positiveColumn(i, layout)]!;
  });
  return total / scores.length;
}

/** Eq. 11 options, all explicit. */
export interface RefKdOptions {
  readonly teacherTemperature: number;
  readonly studentTemperature: number;
  readonly form: "cross-entropy" | "kl";
  readonly rescale: "none" | "t-squared";
}

/** Eq. 11: mean over rows of CE (or KL) of softmax(t / tau_t) against softmax(s / tau_s). */
export function refScoreKd(teacher: Rows, student: Rows, o: RefKdOptions): number {
  let total = 0;
  teacher.forEach((tRow, i) => {
    const logP = refLogSoftmax(tRow.map((x) => x / o.teacherTemperature));
    const logQ = refLogSoftmax(student[i]!.map((x) => x / o.studentTemperature));
    logP.forEach((lp, j) => {
      const p = Math.exp(lp);
      total += o.form === "kl" ? p * (lp - logQ[j]!) : -p * logQ[j]!;
    });
  });
  const mean = total / teacher.length;
  return o.rescale === "t-squared" ? mean * o.studentTemperature ** 2 : mean;
}

/** Margin-MSE over explicit pairs: negatives as [n][k]. */
export function refMarginMse(
  studentPositive: readonly number[],
  studentNegative: Rows,
  teacherPositive: readonly number[],
  teacherNegative: Rows,
): number {
  let total = 0;
  let count = 0;
  studentPositive.forEach((sp, i) => {
    studentNegative[i]!.forEach((sn, j) => {
      const d = sp - sn - (teacherPositive[i]! - teacherNegative[i]![j]!);
      total += d * d;
      count++;
    });
  });
  return total / count;
}

/** Margin-MSE on score matrices: every non-positive column is a negative. */
export function refInBatchMarginMse(
  teacher: Rows,
  student: Rows,
  layout: PositiveLayout = "diagonal",
): number {
  const split = (m: Rows) => {
    const pos = m.map((row, i) => row[positiveColumn(i, layout)]!);
    const neg = m.map((row, i) => row.filter((_, j) => j !== positiveColumn(i, layout)));
    return [pos, neg] as const;
  };
  const [sp, sn] = split(student);
  const [tp, tn] = split(teacher);
  return refMarginMse(sp, sn, tp, tn);
}

/** A projection W [out][in], b [out]. */
export interface RefProjection {
  readonly weight: Rows;
  readonly bias: readonly number[];
}

/** Eq. 7-8: mean over rows of the distance between teacher rows and projected student rows. */
export function refEmbedMatch(
  teacher: Rows,
  student: Rows,
  distance: "l2" | "mse" | "cosine",
  projection?: RefProjection,
  eps = 1e-12,
): number {
  let total = 0;
  teacher.forEach((t, i) => {
    const raw = student[i]!;
    const e = projection === undefined
      ? raw
      : projection.weight.map((w, o) =>
        w.reduce((acc, x, k) => acc + x * raw[k]!, 0) +
        projection.bias[o]!
      );
    const sq = t.reduce((acc, x, k) => acc + (x - e[k]!) ** 2, 0);
    switch (distance) {
      case "l2":
        total += Math.sqrt(sq + eps) - Math.sqrt(eps);
        break;
      case "mse":
        total += sq / t.length;
        break;
      case "cosine": {
        const dot = t.reduce((acc, x, k) => acc + x * e[k]!, 0);
        const nt = Math.max(Math.hypot(...t), 1e-12);
        const ne = Math.max(Math.hypot(...e), 1e-12);
        total += 1 - dot / (nt * ne);
        break;
      }
    }
  });
  return total / teacher.length;
}

/** Result of {@link checkLossGradients}: both values and the worst gradient error. */
export interface LossGradientCheck {
  readonly tfLoss: number;
  readonly referenceLoss: number;
  /** max over checked coordinates of |g - g_fd| / max(1, |g_fd|). */
  readonly maxError: number;
  /** max |g_fd| seen (to make sure the check is not vacuous). */
  readonly maxAbsGradient: number;
}

/**
 * Check the tfjs gradient of a loss of some matrices against central finite differences of its
 * float64 reference (models' `checkGradients`, every coordinate of every matrix).
 */
export function checkLossGradients(
  matrices: Readonly<Record<string, Rows>>,
  tfLoss: (inputs: ReadonlyMap<string, tf.Tensor>) => tf.Scalar,
  referenceLoss: (inputs: Readonly<Record<string, number[][]>>) => number,
  step = 1e-5,
): LossGradientCheck {
  const weights = new Map<string, NamedTensor>(
    Object.entries(matrices).map(([name, m]) => [
      name,
      { shape: [m.length, m[0]!.length], data: Float32Array.from(m.flat()) },
    ]),
  );
  const report = checkGradients({
    weights,
    tfLoss,
    referenceLoss: (w) => {
      const nested: Record<string, number[][]> = {};
      for (const [name, t] of w) {
        const [rows, cols] = t.shape as [number, number];
        nested[name] = Array.from(
          { length: rows },
          (_, r) => Array.from({ length: cols }, (_, c) => t.data[r * cols + c]!),
        );
      }
      return referenceLoss(nested);
    },
    coordinatesPerTensor: 1000,
    step,
  });
  return {
    tfLoss: report.tfLoss,
    referenceLoss: report.referenceLoss,
    maxError: Math.max(...report.tensors.map((t) => t.maxError)),
    maxAbsGradient: Math.max(...report.tensors.map((t) => t.maxAbsFiniteDifference)),
  };
}
