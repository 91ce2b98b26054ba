import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initEngine } from "./engine.ts";
import { planReduction } from "./reduce_sum.ts";
import { seededRandom } from "./random.ts";

Deno.test("planReduction views a contiguous block of axes as [pre, red, post]", () => {
  deepStrictEqual(planReduction([2, 3, 4, 5], [1, 2], false), {
    pre: 2,
    red: 12,
    post: 5,
    outShape: [2, 5],
  });
  deepStrictEqual(planReduction([2, 3, 4], -1, true)?.outShape, [2, 3, 1]);
  deepStrictEqual(planReduction([2, 3], null, false)?.outShape, []);
  strictEqual(planReduction([2, 3, 4], [0, 2], false), undefined);
});

const cases: { shape: number[]; axis: number | number[] | null; keepDims: boolean }[] = [
  { shape: [37, 16], axis: 0, keepDims: false },
  { shape: [37, 16], axis: 1, keepDims: true },
  { shape: [5, 6, 7], axis: [0, 1], keepDims: false },
  { shape: [5, 6, 7], axis: [1, 2], keepDims: true },
  { shape: [5, 6, 7], axis: -2, keepDims: false },
  { shape: [5, 6, 7], axis: null, keepDims: false },
  { shape: [3, 4, 5, 6], axis: [0, 2], keepDims: false }, // not contiguous: stock kernel
  { shape: [4, 0, 3], axis: 1, keepDims: false }, // empty reduction: stock kernel
];

function run(kind: "sum" | "mean"): Float32Array[] {
  const rand = seededRandom(17);
  return cases.map(({ shape, axis, keepDims }) =>
    tf.tidy(() => {
      const n = shape.reduce((a, b) => a * b, 1);
      const x = tf.tensor(Float32Array.from({ length: n }, () => rand() * 4 - 2), shape);
      const ax = axis ?? undefined;
      return (kind === "sum" ? tf.sum(x, ax, keepDims) : tf.mean(x, ax, keepDims))
        .dataSync() as Float32Array;
    })
  );
}

for (const kind of ["sum", "mean"] as const) {
  Deno.test(`wasm strided ${kind} matches the stock cpu kernel`, async () => {
    await initEngine({ backend: "cpu", patchKernels: false });
    const want = run(kind);
    const state = await initEngine({ backend: "wasm" });
    ok(state.kernelsPatched.includes(`${kind === "sum" ? "Sum" : "Mean"}@wasm:strided-sum`));
    const got = run(kind);
    cases.forEach((c, i) => {
      strictEqual(got[i]!.length, want[i]!.length, JSON.stringify(c));
      let err = 0;
      for (let j = 0; j < got[i]!.length; j++) {
        err = Math.max(err, Math.abs(got[i]![j]! - want[i]![j]!));
      }
      ok(err <= 1e-4, `${JSON.stringify(c)}: max abs error ${err}`);
    });
  });
}
