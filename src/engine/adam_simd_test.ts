import { ok } from "node:assert/strict";
import { adamUpdate } from "./adam.ts";
import { adamSimd, adamSimdModule } from "./adam_simd.ts";
import { seededRandom } from "./random.ts";

Deno.test("SIMD Adam matches the scalar update and leaves the n % 4 tail alone", () => {
  ok(WebAssembly.validate(adamSimdModule()));
  const memory = new WebAssembly.Memory({ initial: 2 });
  const simd = adamSimd(memory);
  ok(simd !== undefined);
  const n = 1003;
  const f = new Float32Array(memory.buffer);
  const rand = seededRandom(4);
  const base = [0, 1, 2, 3, 4, 5, 6].map((k) => k * n);
  for (let i = 0; i < 4 * n; i++) f[i] = rand() * 2 - 1;
  for (let i = 2 * n; i < 3 * n; i++) f[i] = Math.abs(f[i]!); // v >= 0
  for (let i = 4 * n; i < 7 * n; i++) f[i] = Number.NaN;
  const h = {
    lr: 0.01,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
    step: 3,
    weightDecay: 0.1,
    decoupledWeightDecay: 0.05,
  };
  const [p, m, v, g, op, om, ov] = base.map((b) => b * 4) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  simd.update(
    p,
    m,
    v,
    g,
    op,
    om,
    ov,
    n,
    h.beta1,
    1 - h.beta1,
    h.beta2,
    1 - h.beta2,
    h.lr / (1 - h.beta1 ** h.step),
    1 / (1 - h.beta2 ** h.step),
    h.epsilon,
    h.weightDecay,
    1 - h.lr * h.decoupledWeightDecay,
  );
  const view = (k: number) => f.subarray(k * n, (k + 1) * n);
  const want = [new Float32Array(n), new Float32Array(n), new Float32Array(n)] as const;
  adamUpdate(view(0), view(1), view(2), view(3), h, want[0], want[1], want[2]);
  const done = n - (n % 4);
  for (let k = 0; k < 3; k++) {
    const got = view(4 + k);
    const w = want[k]!;
    for (let i = 0; i < done; i++) {
      const err = Math.abs(got[i]! - w[i]!);
      ok(err <= 1e-6 * Math.max(1, Math.abs(w[i]!)), `output ${k} [${i}]: error ${err}`);
    }
    for (let i = done; i < n; i++) ok(Number.isNaN(got[i]!));
  }
});
