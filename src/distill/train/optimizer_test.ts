import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  AdamOptimizer,
  clipByGlobalNorm,
  type OptimizerConfig,
  optimizerStateFrom,
  optimizerTensors,
} from "./optimizer.ts";

await tf.setBackend("cpu");

/** Float64 Adam / AdamW written from the papers' pseudo-code (Kingma & Ba Alg. 1; AdamW Alg. 2). */
function referenceAdam(
  p0: number[],
  grads: number[][],
  lrs: number[],
  o: { kind: "adam" | "adamw"; wd: number; b1: number; b2: number; eps: number },
): number[] {
  const p = [...p0];
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  grads.forEach((g, s) => {
    const t = s + 1;
    for (let i = 0; i < p.length; i++) {
      let gi = g[i]!;
      if (o.kind === "adam") gi += o.wd * p[i]!;
      else p[i] = p[i]! * (1 - lrs[s]! * o.wd);
      m[i] = o.b1 * m[i]! + (1 - o.b1) * gi;
      v[i] = o.b2 * v[i]! + (1 - o.b2) * gi * gi;
      const mh = m[i]! / (1 - o.b1 ** t);
      const vh = v[i]! / (1 - o.b2 ** t);
      p[i] = p[i]! - lrs[s]! * mh / (Math.sqrt(vh) + o.eps);
    }
  });
  return p;
}

const GRADS = [[0.5, -1, 2], [0.1, 0.3, -0.7], [-0.2, 0.05, 1.5], [1, 1, -1]];
const LRS = [0.1, 0.05, 0.02, 0.01];

for (const kind of ["adam", "adamw"] as const) {
  Deno.test(`${kind} matches a float64 reference over four steps (weight decay 0.1)`, () => {
    const variable = tf.variable(tf.tensor1d([1, -2, 0.5]));
    const config: OptimizerConfig = { kind, weightDecay: 0.1, decays: () => true };
    const opt = new AdamOptimizer(new Map([["w", variable]]), config);
    GRADS.forEach((g, s) => opt.apply(new Map([["w", tf.tensor1d(g)]]), LRS[s]!));
    const expected = referenceAdam([1, -2, 0.5], GRADS, LRS, {
      kind,
      wd: 0.1,
      b1: 0.9,
      b2: 0.999,
      eps: 1e-8,
    });
    const got = [...variable.dataSync()];
    got.forEach((x, i) => assert.ok(Math.abs(x - expected[i]!) < 1e-6, `${x} vs ${expected[i]}`));
    assert.equal(opt.step, 4);
    opt.dispose();
    variable.dispose();
  });
}

Deno.test("default decay filter skips biases and LayerNorm parameters", () => {
  const w = tf.variable(tf.tensor1d([1]));
  const b = tf.variable(tf.tensor1d([1]));
  const opt = new AdamOptimizer(
    new Map([["layer.dense.weight", w], ["layer.LayerNorm.bias", b]]),
    { kind: "adamw", weightDecay: 0.5 },
  );
  opt.apply(
    new Map([["layer.dense.weight", tf.tensor1d([0])], ["layer.LayerNorm.bias", tf.tensor1d([0])]]),
    0.1,
  );
  assert.ok(Math.abs(w.dataSync()[0]! - 0.95) < 1e-7); // decayed by lr * wd
  assert.equal(b.dataSync()[0], 1); // zero gradient, no decay
  opt.dispose();
});

Deno.test("saved and restored optimiser state continues bit-identically", () => {
  const run = (split: boolean): Float32Array => {
    const variable = tf.variable(tf.tensor1d([0.3, -0.1, 2]));
    let opt = new AdamOptimizer(new Map([["w", variable]]), { kind: "adamw" });
    GRADS.forEach((g, s) => {
      if (split && s === 2) {
        const saved = optimizerStateFrom(optimizerTensors(opt.state()), opt.step);
        opt.dispose();
        opt = new AdamOptimizer(new Map([["w", variable]]), { kind: "adamw" });
        opt.load(saved);
      }
      opt.apply(new Map([["w", tf.tensor1d(g)]]), LRS[s]!);
    });
    opt.dispose();
    return Float32Array.from(variable.dataSync());
  };
  assert.deepEqual(run(true), run(false));
});

Deno.test("clipByGlobalNorm scales to the maximum norm (hand values)", () => {
  const grads = new Map<string, tf.Tensor>([["a", tf.tensor1d([3, 0])], ["b", tf.tensor1d([4])]]);
  const { gradients, norm } = clipByGlobalNorm(grads, 1);
  assert.ok(Math.abs(norm - 5) < 1e-6);
  const a = [...gradients.get("a")!.dataSync()];
  assert.ok(Math.abs(a[0]! - 0.6) < 1e-6 && a[1] === 0);
  assert.ok(Math.abs(gradients.get("b")!.dataSync()[0]! - 0.8) < 1e-6);
  const loose = clipByGlobalNorm(grads, 10);
  assert.deepEqual([...loose.gradients.get("a")!.dataSync()], [3, 0]);
  assert.throws(() => clipByGlobalNorm(grads, 0), RangeError);
});

Deno.test("loading a state with a missing moment is a RangeError", () => {
  const variable = tf.variable(tf.tensor1d([1]));
  const opt = new AdamOptimizer(new Map([["w", variable]]), { kind: "adam" });
  assert.throws(() => opt.load({ step: 1, m: new Map(), v: new Map() }), RangeError);
  assert.throws(() => new AdamOptimizer(new Map(), { kind: "adam", beta1: 1 }), RangeError);
  opt.dispose();
});
