import { deepStrictEqual, ok, throws } from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initEngine } from "./engine.ts";
import { gatherRows } from "./gather.ts";
import { seededRandom } from "./random.ts";

Deno.test("gatherRows copies rows by index (hand-checked) and rejects bad indices", () => {
  const heap = Float32Array.from([1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 0]); // table [3, 2] at 0
  gatherRows(heap, 0, 3, 2, Int32Array.from([2, 0, 2]), 6);
  deepStrictEqual([...heap.subarray(6)], [5, 6, 1, 2, 5, 6]);
  throws(() => gatherRows(heap, 0, 3, 2, Int32Array.from([3]), 6), RangeError);
});

const cases = [
  { table: [50, 8], indices: [13] },
  { table: [50, 8], indices: [4, 6] },
  { table: [30, 2, 3], indices: [5] },
  { table: [9], indices: [3, 3] },
];

function run(): number[][] {
  const rand = seededRandom(8);
  return cases.map(({ table, indices }) =>
    tf.tidy(() => {
      const n = table.reduce((a, b) => a * b, 1);
      const x = tf.tensor(Float32Array.from({ length: n }, () => rand()), table);
      const count = indices.reduce((a, b) => a * b, 1);
      const ids = tf.tensor(
        Int32Array.from({ length: count }, () => Math.floor(rand() * table[0]!)),
        indices,
        "int32",
      );
      const g = tf.gather(x, ids);
      const w = tf.randomNormal(g.shape, 0, 1, "float32", 3);
      const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), w)))(x);
      return [...g.shape, ...g.dataSync(), ...grad.dataSync()];
    })
  );
}

Deno.test("wasm gather (and its gradient) matches the stock cpu kernels", async () => {
  await initEngine({ backend: "cpu", patchKernels: false });
  const want = run();
  const state = await initEngine({ backend: "wasm" });
  ok(state.kernelsPatched.includes("GatherV2@wasm:row-copy"));
  const got = run();
  got.forEach((g, i) => {
    deepStrictEqual(g.length, want[i]!.length);
    g.forEach((v, j) => ok(Math.abs(v - want[i]![j]!) <= 1e-6, `case ${i} [${j}]`));
  });
  // Other axes go to the stock kernel.
  const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
  deepStrictEqual([...tf.gather(x, tf.tensor1d([2, 0], "int32"), 1).dataSync()], [3, 1, 6, 4]);
});
