import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { inBatchMarginMseLoss, marginMseLoss } from "./margin_mse.ts";
import {
  checkLossGradients,
  randomMatrix,
  refInBatchMarginMse,
  refMarginMse,
} from "../../testing/mod.ts";

await tf.setBackend("cpu");
tf.env().set("PROD", true);

function value(t: tf.Scalar): number {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
}

function close(a: number, b: number, tol: number, what: string): void {
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
}

Deno.test("Margin-MSE: hand-computed value of two triples", () => {
  // Query 0: student margin 3 - 1 = 2, teacher 5 - 2 = 3 -> (2 - 3)^2 = 1.
  // Query 1: student margin 0 - 2 = -2, teacher 1 - 0 = 1 -> 9. Mean: 5.
  const got = value(marginMseLoss({
    studentPositive: tf.tensor1d([3, 0]),
    studentNegative: tf.tensor1d([1, 2]),
    teacherPositive: tf.tensor1d([5, 1]),
    teacherNegative: tf.tensor1d([2, 0]),
  }));
  close(got, 5, 1e-6, "value");
});

Deno.test("Margin-MSE with k negatives per query matches the float64 reference", () => {
  const [sp, tp] = [randomMatrix(1, 4, 1)[0]!, randomMatrix(1, 4, 2)[0]!];
  const [sn, tn] = [randomMatrix(4, 3, 3), randomMatrix(4, 3, 4)];
  const got = value(marginMseLoss({
    studentPositive: tf.tensor1d(sp),
    studentNegative: tf.tensor2d(sn),
    teacherPositive: tf.tensor1d(tp),
    teacherNegative: tf.tensor2d(tn),
  }));
  close(got, refMarginMse(sp, sn, tp, tn), 1e-5, "value");
});

Deno.test("in-batch Margin-MSE equals explicit pairs with every other column as a negative", () => {
  const t = randomMatrix(3, 5, 5, 2);
  const s = randomMatrix(3, 5, 6, 2);
  for (const layout of ["diagonal", "first-column"] as const) {
    const got = value(inBatchMarginMseLoss(tf.tensor2d(t), tf.tensor2d(s), { layout }));
    close(got, refInBatchMarginMse(t, s, layout), 1e-5, layout);
  }
  // Diagonal layout by hand for row i: negatives are the columns j != i.
  const pos = (m: number[][]) => m.map((row, i) => row[i]!);
  const neg = (m: number[][]) => m.map((row, i) => row.filter((_, j) => j !== i));
  const explicit = value(marginMseLoss({
    studentPositive: tf.tensor1d(pos(s)),
    studentNegative: tf.tensor2d(neg(s)),
    teacherPositive: tf.tensor1d(pos(t)),
    teacherNegative: tf.tensor2d(neg(t)),
  }));
  close(value(inBatchMarginMseLoss(tf.tensor2d(t), tf.tensor2d(s))), explicit, 1e-5, "explicit");
});

Deno.test("Margin-MSE is 0 when student scores are the teacher's shifted per query", () => {
  const t = randomMatrix(4, 4, 7, 2);
  const s = t.map((row, i) => row.map((x) => x + 10 * i - 3));
  close(value(inBatchMarginMseLoss(tf.tensor2d(t), tf.tensor2d(s))), 0, 1e-5, "shifted");
});

Deno.test("Margin-MSE gradient matches central finite differences", () => {
  const t = randomMatrix(3, 4, 8, 2);
  const check = checkLossGradients(
    { student: randomMatrix(3, 4, 9, 2) },
    (p) => inBatchMarginMseLoss(tf.tensor2d(t), p.get("student") as tf.Tensor2D),
    (m) => refInBatchMarginMse(t, m.student!),
  );
  assert.ok(check.maxAbsGradient > 0.01);
  assert.ok(check.maxError < 1e-3, `${check.maxError}`);
});

Deno.test("Margin-MSE is a mean over queries: a repeated batch of triples gives the same value", () => {
  const s = randomMatrix(2, 3, 10);
  const t = randomMatrix(2, 3, 11);
  const loss = (rows: number[][], teacher: number[][]) =>
    value(marginMseLoss({
      studentPositive: tf.tensor1d(rows[0]!),
      studentNegative: tf.tensor1d(rows[1]!),
      teacherPositive: tf.tensor1d(teacher[0]!),
      teacherNegative: tf.tensor1d(teacher[1]!),
    }));
  const twice = (m: number[][]) => m.map((row) => [...row, ...row]);
  close(loss(twice(s), twice(t)), loss(s, t), 1e-6, "doubled");
});

Deno.test("Margin-MSE rejects mismatched shapes", () => {
  assert.throws(
    () =>
      marginMseLoss({
        studentPositive: tf.tensor1d([1, 2]),
        studentNegative: tf.tensor1d([1, 2, 3]),
        teacherPositive: tf.tensor1d([1, 2]),
        teacherNegative: tf.tensor1d([1, 2, 3]),
      }),
    TypeError,
  );
  assert.throws(
    () => inBatchMarginMseLoss(tf.zeros([2, 3]) as tf.Tensor2D, tf.zeros([2, 2]) as tf.Tensor2D),
    TypeError,
  );
});
