import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { oneHotLoss } from "./one_hot.ts";
import { checkLossGradients, randomMatrix, refOneHot } from "../../testing/mod.ts";

await tf.setBackend("cpu");
tf.env().set("PROD", true);

function value(t: tf.Scalar): number {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
}

Deno.test("one-hot loss: hand-computed value of a 2 x 2 batch", () => {
  // Row 0: -2 + log(e^2 + e^0); row 1: -3 + log(e^1 + e^3); both equal log(1 + e^-2).
  const got = value(oneHotLoss(tf.tensor2d([[2, 0], [1, 3]])));
  assert.ok(Math.abs(got - Math.log(1 + Math.exp(-2))) < 1e-6, `${got}`);
});

Deno.test("one-hot loss: hand-computed value with an appended hard negative", () => {
  // Row 0 [0, 0, ln 2]: -0 + log(1 + 1 + 2) = log 4; row 1 [0, 0, 0]: log 3.
  const got = value(oneHotLoss(tf.tensor2d([[0, 0, Math.log(2)], [0, 0, 0]])));
  assert.ok(Math.abs(got - (Math.log(4) + Math.log(3)) / 2) < 1e-6, `${got}`);
});

Deno.test("one-hot loss matches the float64 reference (diagonal + hard negatives, first column)", () => {
  const scores = randomMatrix(4, 7, 3, 2);
  for (const layout of ["diagonal", "first-column"] as const) {
    const got = value(oneHotLoss(tf.tensor2d(scores), { layout }));
    assert.ok(Math.abs(got - refOneHot(scores, layout)) < 1e-5, layout);
  }
});

Deno.test("one-hot loss gradient matches central finite differences", () => {
  for (const layout of ["diagonal", "first-column"] as const) {
    const check = checkLossGradients(
      { scores: randomMatrix(3, 5, 11, 1.5) },
      (p) => oneHotLoss(p.get("scores") as tf.Tensor2D, { layout }),
      (m) => refOneHot(m.scores!, layout),
    );
    assert.ok(check.maxAbsGradient > 0.01);
    assert.ok(check.maxError < 1e-3, `${layout}: ${check.maxError}`);
  }
});

Deno.test("one-hot loss is a mean over queries: a block-diagonal doubled batch gives the same value", () => {
  const s = randomMatrix(3, 3, 5);
  const far = -1e9; // exp underflows to exactly 0: the other block does not enter the softmax
  const doubled = [
    ...s.map((row) => [...row, far, far, far]),
    ...s.map((row) => [far, far, far, ...row]),
  ];
  const single = value(oneHotLoss(tf.tensor2d(s)));
  const twice = value(oneHotLoss(tf.tensor2d(doubled)));
  assert.ok(Math.abs(single - twice) < 1e-6, `${single} vs ${twice}`);
});

Deno.test("one-hot loss rejects matrices that do not fit the layout", () => {
  assert.throws(() => oneHotLoss(tf.zeros([3, 2]) as tf.Tensor2D), TypeError);
  assert.throws(() => oneHotLoss(tf.zeros([3, 1]) as tf.Tensor2D), TypeError);
  assert.throws(() => oneHotLoss(tf.zeros([3]) as unknown as tf.Tensor2D), TypeError);
  assert.doesNotThrow(() =>
    tf.dispose(oneHotLoss(tf.zeros([3, 2]) as tf.Tensor2D, { layout: "first-column" }))
  );
});

Deno.test("one-hot loss leaks no tensors", () => {
  const scores = tf.tensor2d(randomMatrix(3, 4, 2));
  const before = tf.memory().numTensors;
  tf.dispose(oneHotLoss(scores));
  assert.equal(tf.memory().numTensors, before);
  scores.dispose();
});
