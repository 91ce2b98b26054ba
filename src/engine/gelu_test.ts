import { ok } from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initEngine } from "./engine.ts";
import { gelu, geluComposite } from "./gelu.ts";
import { seededRandom } from "./random.ts";

const shapes = [[7], [3, 5], [4, 6, 33], [2, 3, 4, 5]];

function data(shape: number[], seed: number): Float32Array {
  const rand = seededRandom(seed);
  // Tails included: |x| up to 8, where Phi(x) underflows towards 0 or saturates at 1.
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (rand() - 0.5) * 16);
}

/** Forward values and the gradient of sum(gelu(x) * w). */
function run(op: (x: tf.Tensor) => tf.Tensor, shape: number[], seed: number) {
  return tf.tidy(() => {
    const x = tf.tensor(data(shape, seed), shape);
    const w = tf.tensor(data(shape, seed + 1000), shape);
    const y = op(x).dataSync();
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(op(t), w)))(x).dataSync();
    return { y, g };
  });
}

function maxRelError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let err = 0;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!)));
  }
  return err;
}

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`fused GELU on ${backend} matches the stock composite on cpu (values, gradients)`, async () => {
    await initEngine({ backend: "cpu", patchKernels: false });
    const want = shapes.map((s, i) => run(geluComposite, s, i));
    const state = await initEngine({ backend });
    ok(state.kernelsPatched.includes(`EmbeddistillGelu@${backend}:fused`));
    shapes.forEach((s, i) => {
      const got = run(gelu, s, i);
      const ey = maxRelError(got.y, want[i]!.y);
      const eg = maxRelError(got.g, want[i]!.g);
      ok(ey <= 1e-5 && eg <= 1e-5, `shape [${s}]: value error ${ey}, gradient error ${eg}`);
    });
  });
}

Deno.test("GELU at hand-checked points: GELU(0) = 0, GELU(1) = Phi(1), GELU'(0) = 1/2", async () => {
  await initEngine({ backend: "wasm" });
  const x = tf.tensor1d([0, 1, -1, 3]);
  const y = gelu(x).dataSync();
  // Phi(1) = 0.841344746068543 (standard normal table); GELU(-1) = -(1 - Phi(1)).
  ok(Math.abs(y[0]!) < 1e-7);
  ok(Math.abs(y[1]! - 0.841344746068543) < 1e-6);
  ok(Math.abs(y[2]! + 0.158655253931457) < 1e-6);
  ok(Math.abs(y[3]! - 3 * 0.9986501019683699) < 1e-5);
  const g = tf.grad((t: tf.Tensor) => tf.sum(gelu(t)))(tf.tensor1d([0])).dataSync();
  ok(Math.abs(g[0]! - 0.5) < 1e-7);
  tf.dispose([x]);
});

Deno.test("gelu falls back to the composite on a backend without the kernels", async () => {
  await initEngine({ backend: "cpu", patchKernels: false });
  const y = gelu(tf.tensor1d([1])).dataSync();
  ok(Math.abs(y[0]! - 0.841344746068543) < 1e-6);
});
