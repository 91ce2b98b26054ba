import { ok, throws } from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initEngine } from "./engine.ts";
import { layerNorm, layerNormComposite } from "./layer_norm.ts";
import { seededRandom } from "./random.ts";

const shapes = [[1, 8], [5, 16], [3, 4, 32], [2, 3, 2, 7]];
const EPS = [1e-12, 1e-5];

function data(n: number, seed: number, scale = 1, offset = 0): Float32Array {
  const rand = seededRandom(seed);
  return Float32Array.from({ length: n }, () => (rand() * 2 - 1) * scale + offset);
}

type Op = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor, eps: number) => tf.Tensor;

/** Values and gradients (x, gamma, beta) of sum(layerNorm(x) * w). */
function run(op: Op, shape: number[], eps: number, seed: number): Float32Array[] {
  return tf.tidy(() => {
    const h = shape[shape.length - 1]!;
    const n = shape.reduce((a, b) => a * b, 1);
    // Rows with an offset and spread, as residual streams have.
    const x = tf.tensor(data(n, seed, 3, 0.5), shape);
    const gamma = tf.tensor1d(data(h, seed + 1, 0.5, 1));
    const beta = tf.tensor1d(data(h, seed + 2));
    const w = tf.tensor(data(n, seed + 3), shape);
    const y = op(x, gamma, beta, eps).dataSync() as Float32Array;
    const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(op(a, g, b, eps), w))
    )([x, gamma, beta]);
    return [y, ...grads.map((t) => t.dataSync() as Float32Array)];
  });
}

function maxRelError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let err = 0;
  let scale = 1;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(got[i]! - want[i]!));
    scale = Math.max(scale, Math.abs(want[i]!));
  }
  return err / scale;
}

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`fused layer norm on ${backend} matches the stock composite on cpu`, async () => {
    await initEngine({ backend: "cpu", patchKernels: false });
    const cases = shapes.flatMap((s) => EPS.map((eps) => ({ s, eps })));
    const want = cases.map(({ s, eps }, i) => run(layerNormComposite, s, eps, i * 10));
    const state = await initEngine({ backend });
    ok(state.kernelsPatched.includes(`EmbeddistillLayerNorm@${backend}:fused`));
    cases.forEach(({ s, eps }, i) => {
      const got = run(layerNorm, s, eps, i * 10);
      ["y", "dx", "dgamma", "dbeta"].forEach((name, j) => {
        const err = maxRelError(got[j]!, want[i]![j]!);
        ok(err <= 1e-4, `shape [${s}] eps ${eps}: ${name} relative error ${err}`);
      });
    });
  });
}

Deno.test("fused layer norm of a hand-computed row", async () => {
  await initEngine({ backend: "wasm" });
  // x = [1, 2, 3, 4]: mean 2.5, biased variance 1.25, so y = (x - 2.5) / sqrt(1.25).
  const y = layerNorm(tf.tensor2d([[1, 2, 3, 4]]), tf.ones([4]), tf.zeros([4]), 0).dataSync();
  const want = [-1.5, -0.5, 0.5, 1.5].map((d) => d / Math.sqrt(1.25));
  want.forEach((w, i) => ok(Math.abs(y[i]! - w) < 1e-6, `${y[i]} vs ${w}`));
  throws(() => layerNorm(tf.ones([1, 4]), tf.ones([4]), tf.zeros([4]), -1), RangeError);
  throws(() => layerNorm(tf.ones([1, 4]), tf.ones([3]), tf.zeros([4]), 1e-5), TypeError);
});
