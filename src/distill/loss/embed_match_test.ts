import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { EMBED_MATCH_EPS, type EmbedDistance, embedMatchLoss } from "./embed_match.ts";
import { checkLossGradients, randomMatrix, refEmbedMatch } from "../../testing/mod.ts";

await tf.setBackend("cpu");
tf.env().set("PROD", true);

const DISTANCES: readonly EmbedDistance[] = ["l2", "mse", "cosine"];

function match(t: number[][], s: number[][], distance: EmbedDistance): number {
  const loss = embedMatchLoss(tf.tensor2d(t), tf.tensor2d(s), { distance });
  const v = loss.dataSync()[0]!;
  loss.dispose();
  return v;
}

function close(a: number, b: number, tol: number, what: string): void {
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
}

Deno.test("embedding matching: hand-computed values (l2 not squared, mse per dimension, cosine)", () => {
  // Row 0: difference (3, 4): l2 5, mse 25 / 2; row 1: difference (0, 0).
  const t = [[3, 4], [1, 0]];
  const s = [[0, 0], [1, 0]];
  close(match(t, s, "l2"), 5 / 2, 1e-6, "l2 (mean of 5 and 0)");
  close(match(t, s, "mse"), 12.5 / 2, 1e-6, "mse");
  // Orthogonal rows: 1 - 0; opposite rows: 1 - (-1).
  close(match([[1, 0], [2, 2]], [[0, 5], [-1, -1]], "cosine"), (1 + 2) / 2, 1e-6, "cosine");
  // Default distance is l2.
  const loss = embedMatchLoss(tf.tensor2d(t), tf.tensor2d(s));
  close(loss.dataSync()[0]!, 5 / 2, 1e-6, "default");
  loss.dispose();
});

Deno.test("embedding matching matches the float64 reference for every distance", () => {
  const t = randomMatrix(4, 6, 1);
  const s = randomMatrix(4, 6, 2);
  for (const distance of DISTANCES) {
    close(match(t, s, distance), refEmbedMatch(t, s, distance), 1e-5, distance);
  }
});

Deno.test("embedding matching is exactly 0 for identical embeddings, with a finite l2 gradient", () => {
  const t = randomMatrix(3, 5, 3);
  for (const distance of DISTANCES) {
    const teacher = tf.tensor2d(t);
    const student = tf.variable(tf.tensor2d(t));
    const { value, grads } = tf.variableGrads(
      () => embedMatchLoss(teacher, student, { distance }),
      [student],
    );
    // l2 (sqrt(0 + eps) - sqrt(eps)) and mse are exactly 0; cosine within a few float32 ulps.
    close(value.dataSync()[0]!, 0, distance === "cosine" ? 1e-6 : 0, distance);
    const g = Object.values(grads)[0]!.dataSync();
    assert.ok(g.every((x) => Number.isFinite(x) && Math.abs(x) < 1e-5), `${distance}: ${g}`);
    tf.dispose([teacher, student, value, ...Object.values(grads)]);
  }
});

Deno.test("embedding l2 differs from the exact norm by less than sqrt(eps)", () => {
  const t = randomMatrix(2, 3, 4, 1e-3);
  const s = randomMatrix(2, 3, 5, 1e-3);
  const exact =
    t.reduce((acc, row, i) => acc + Math.hypot(...row.map((x, k) => x - s[i]![k]!)), 0) / 2;
  assert.ok(Math.abs(match(t, s, "l2") - exact) <= Math.sqrt(EMBED_MATCH_EPS) + 1e-7);
});

Deno.test("embedding matching gradient matches central finite differences, through a student projection", () => {
  const teacher = randomMatrix(3, 4, 6);
  for (const distance of DISTANCES) {
    const check = checkLossGradients(
      {
        student: randomMatrix(3, 2, 7),
        weight: randomMatrix(4, 2, 8),
        bias: [randomMatrix(1, 4, 9)[0]!],
      },
      (p) => {
        // The student's tower projection (src/models): x W^T + b.
        const projected = tf.add(
          tf.matMul(p.get("student") as tf.Tensor2D, p.get("weight") as tf.Tensor2D, false, true),
          tf.reshape(p.get("bias")!, [4]),
        ) as tf.Tensor2D;
        return embedMatchLoss(tf.tensor2d(teacher), projected, { distance });
      },
      (m) => refEmbedMatch(teacher, m.student!, distance, { weight: m.weight!, bias: m.bias![0]! }),
    );
    assert.ok(check.maxAbsGradient > 0.01, distance);
    assert.ok(check.maxError < 1e-3, `${distance}: ${check.maxError}`);
  }
});

Deno.test("embedding matching is a mean over rows: a repeated batch gives the same value", () => {
  const t = randomMatrix(3, 4, 10);
  const s = randomMatrix(3, 4, 11);
  for (const distance of DISTANCES) {
    close(match([...t, ...t], [...s, ...s], distance), match(t, s, distance), 1e-6, distance);
  }
});

Deno.test("embedding matching rejects width mismatches and a non-positive eps", () => {
  assert.throws(
    () => embedMatchLoss(tf.zeros([2, 3]) as tf.Tensor2D, tf.zeros([2, 2]) as tf.Tensor2D),
    TypeError,
  );
  assert.throws(
    () =>
      embedMatchLoss(tf.zeros([2, 3]) as tf.Tensor2D, tf.zeros([2, 3]) as tf.Tensor2D, { eps: 0 }),
    RangeError,
  );
});
