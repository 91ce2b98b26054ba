import { ok, throws } from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { adamStep } from "./adam.ts";
import { FusedAdam } from "./fused_adam.ts";
import { initEngine } from "./engine.ts";
import { seededRandom } from "./random.ts";

const shapes = [[7], [5, 3], [2, 3, 4]];

/** Parameters after 3 steps of `make()` on a fixed quadratic loss, from fixed initial values. */
function train(make: () => tf.Optimizer, prefix: string): Float32Array[] {
  const rand = seededRandom(21);
  const vars = shapes.map((s, i) =>
    tf.variable(
      tf.tensor(Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rand() - 0.5), s),
      true,
      `${prefix}${i}`,
    )
  );
  const targets = shapes.map((s) => tf.randomNormal(s, 0, 1, "float32", 5));
  const optimizer = make();
  for (let step = 0; step < 3; step++) {
    optimizer.minimize(
      () => tf.addN(vars.map((v, i) => tf.sum(tf.square(tf.sub(v, targets[i]!))))) as tf.Scalar,
      false,
      vars,
    );
  }
  const out = vars.map((v) => v.dataSync() as Float32Array);
  optimizer.dispose();
  tf.dispose([...vars, ...targets]);
  return out;
}

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`FusedAdam on ${backend} matches tf.train.adam on the stock cpu backend`, async () => {
    await initEngine({ backend: "cpu", patchKernels: false });
    const want = train(() => tf.train.adam(0.05, 0.9, 0.999, 1e-8), `ref-${backend}-`);
    const state = await initEngine({ backend });
    ok(state.kernelsPatched.includes(`EmbeddistillAdam@${backend}:fused`));
    const got = train(() => new FusedAdam(0.05, 0.9, 0.999, 1e-8), `fused-${backend}-`);
    got.forEach((g, i) => {
      let err = 0;
      for (let j = 0; j < g.length; j++) err = Math.max(err, Math.abs(g[j]! - want[i]![j]!));
      ok(err <= 1e-5, `variable ${i}: max abs error ${err}`);
    });
  });
}

Deno.test("FusedAdam's first step moves each parameter by lr against the gradient sign", async () => {
  await initEngine({ backend: "wasm" });
  // Step 1: m_hat = g, v_hat = g^2, so the update is lr * g / (|g| + eps) = lr * sign(g).
  const v = tf.variable(tf.tensor1d([1, -2, 0.5]), true, "adam-hand");
  const opt = new FusedAdam(0.1);
  opt.applyGradients({ "adam-hand": tf.tensor1d([3, -0.25, 1e-3]) });
  const got = v.dataSync();
  [0.9, -1.9, 0.4].forEach((w, i) => ok(Math.abs(got[i]! - w) < 1e-5, `${got[i]} vs ${w}`));
  opt.dispose();
  v.dispose();
  throws(() => new FusedAdam(0), RangeError);
});

Deno.test("weight decay: L2 enters the gradient, decoupled decay scales the parameter (by hand)", async () => {
  for (const backend of ["wasm", "cpu"] as const) {
    for (const patchKernels of [true, false]) {
      await initEngine({ backend, patchKernels });
      const [p, m, v] = tf.tidy(() => {
        const h = { lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-12, step: 1 };
        const zeros = tf.zeros([2]);
        // L2: g = 0 + 0.5 * [2, -4] = [1, -2]; step 1 moves by lr * sign(g).
        const l2 = adamStep(tf.tensor1d([2, -4]), zeros, zeros, tf.zeros([2]), {
          ...h,
          weightDecay: 0.5,
        });
        // AdamW: p (1 - 0.1 * 0.5) - lr * sign(g) with g = [3, -1].
        const w = adamStep(tf.tensor1d([2, -4]), zeros, zeros, tf.tensor1d([3, -1]), {
          ...h,
          decoupledWeightDecay: 0.5,
        });
        return [
          [...l2[0].dataSync(), ...w[0].dataSync()],
          [...l2[1].dataSync()],
          [...l2[2].dataSync()],
        ];
      });
      const want = [1.9, -3.9, 2 * 0.95 - 0.1, -4 * 0.95 + 0.1];
      want.forEach((x, i) => ok(Math.abs(p[i]! - x) < 1e-5, `${backend} ${patchKernels}: ${p}`));
      // m = 0.1 g, v = 0.001 g^2 with g = [1, -2].
      ok(Math.abs(m[0]! - 0.1) < 1e-6 && Math.abs(m[1]! + 0.2) < 1e-6, `${m}`);
      ok(Math.abs(v[0]! - 0.001) < 1e-8 && Math.abs(v[1]! - 0.004) < 1e-8, `${v}`);
    }
  }
});
