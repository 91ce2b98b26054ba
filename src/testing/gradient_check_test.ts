import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { NamedTensor } from "../models/mod.ts";
import { checkGradients } from "./gradient_check.ts";

await tf.setBackend("cpu");
tf.env().set("PROD", true);

const WEIGHTS = new Map<string, NamedTensor>([
  ["w", { shape: [30], data: Float32Array.from({ length: 30 }, (_, i) => Math.sin(i) * 2) }],
  ["b", { shape: [2], data: new Float32Array([0.5, -1.5]) }],
]);

// f(w, b) = sum(tanh(w) * w) + b0^3 - 2 b1
const tfLoss = (p: ReadonlyMap<string, tf.Tensor>) =>
  tf.add(
    tf.sum(tf.mul(tf.tanh(p.get("w")!), p.get("w")!)),
    tf.sub(
      tf.pow(tf.slice(p.get("b")!, [0], [1]), 3).sum(),
      tf.mul(2, tf.slice(p.get("b")!, [1], [1]).sum()),
    ),
  ) as tf.Scalar;

Deno.test("checkGradients agrees on a correct gradient and samples at most the tensor size", () => {
  const report = checkGradients({
    weights: WEIGHTS,
    tfLoss,
    referenceLoss: (w) => {
      const x = w.get("w")!.data;
      const b = w.get("b")!.data;
      let sum = 0;
      for (let i = 0; i < x.length; i++) sum += Math.tanh(x[i]!) * x[i]!;
      return sum + b[0]! ** 3 - 2 * b[1]!;
    },
  });
  assert(Math.abs(report.tfLoss - report.referenceLoss) < 1e-4);
  const [w, b] = report.tensors;
  assert.equal(w!.coordinates.length, 20);
  assert.deepEqual(b!.coordinates.map((c) => c.index), [0, 1]);
  assert(Math.abs(b!.coordinates[0]!.finiteDifference - 0.75) < 1e-8); // 3 b0^2
  assert(Math.abs(b!.coordinates[1]!.finiteDifference + 2) < 1e-8);
  for (const t of report.tensors) assert(t.maxError < 1e-5, `${t.name}: ${t.maxError}`);
});

Deno.test("checkGradients exposes a wrong gradient", () => {
  const report = checkGradients({
    weights: WEIGHTS,
    tfLoss,
    // The reference differs in one term: b1 enters with +2 instead of -2.
    referenceLoss: (w) => {
      const x = w.get("w")!.data;
      const b = w.get("b")!.data;
      let sum = 0;
      for (let i = 0; i < x.length; i++) sum += Math.tanh(x[i]!) * x[i]!;
      return sum + b[0]! ** 3 + 2 * b[1]!;
    },
  });
  assert(report.tensors[0]!.maxError < 1e-5);
  assert(Math.abs(report.tensors[1]!.maxError - 2) < 1e-6); // |-2 - 2| / max(1, 2)
});
