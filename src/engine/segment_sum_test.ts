import { deepStrictEqual, ok } from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initEngine } from "./engine.ts";
import { seededRandom } from "./random.ts";
import { scatterAdd } from "./segment_sum.ts";

Deno.test("scatterAdd sums rows by segment and drops out-of-range ids (hand-computed)", () => {
  const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]); // 4 rows of 2
  const ids = Int32Array.from([2, 0, 2, 5]);
  const out = new Float32Array(6).fill(9);
  scatterAdd(x, ids, 3, 2, out);
  deepStrictEqual([...out], [3, 4, 0, 0, 1 + 5, 2 + 6]);
});

interface SegCase {
  readonly xShape: number[];
  readonly segments: number;
}

const segCases: SegCase[] = [
  { xShape: [7], segments: 4 },
  { xShape: [13, 5], segments: 9 },
  { xShape: [6, 4, 3], segments: 2 },
  { xShape: [40, 16], segments: 50 },
];

function run(c: SegCase, seed: number): Float32Array {
  const rand = seededRandom(seed);
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: size(c.xShape) }, () => rand() * 2 - 1);
  const ids = Int32Array.from({ length: c.xShape[0]! }, () => Math.floor(rand() * c.segments));
  return tf.tidy(() => {
    const idTensor = tf.tensor1d(ids, "int32");
    const out = tf.unsortedSegmentSum(tf.tensor(x, c.xShape), idTensor, c.segments);
    return out.dataSync() as Float32Array;
  });
}

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`UnsortedSegmentSum scatter-add on ${backend} matches the stock cpu kernel`, async () => {
    await initEngine({ backend: "cpu", patchKernels: false });
    const want = segCases.map((c, i) => run(c, i));
    const state = await initEngine({ backend });
    ok(state.kernelsPatched.includes(`UnsortedSegmentSum@${backend}:scatter-add`));
    segCases.forEach((c, i) => {
      const got = run(c, i);
      deepStrictEqual(got.length, want[i]!.length);
      let err = 0;
      for (let j = 0; j < got.length; j++) err = Math.max(err, Math.abs(got[j]! - want[i]![j]!));
      ok(err <= 1e-5, `${JSON.stringify(c)}: max abs error ${err}`);
    });
  });
}

Deno.test("gather gradient (embedding lookup) on patched wasm counts every occurrence", async () => {
  await initEngine({ backend: "wasm" });
  const [vocab, hidden] = [50, 8];
  const ids = [[3, 7, 3, 0], [49, 3, 7, 1]];
  const table = tf.randomNormal([vocab, hidden], 0, 1, "float32", 1);
  const upstream = tf.randomNormal([2, 4, hidden], 0, 1, "float32", 2);
  const grad = tf.grad((t: tf.Tensor) =>
    tf.sum(tf.mul(tf.gather(t, tf.tensor2d(ids, [2, 4], "int32")), upstream))
  )(table);
  const g = grad.arraySync() as number[][];
  const up = upstream.arraySync() as number[][][];
  // Hand reference: row v of the gradient is the sum of upstream rows at positions holding v.
  for (let v = 0; v < vocab; v++) {
    for (let h = 0; h < hidden; h++) {
      let want = 0;
      ids.forEach((row, b) => row.forEach((id, s) => (want += id === v ? up[b]![s]![h]! : 0)));
      ok(Math.abs(g[v]![h]! - want) <= 1e-5, `row ${v} col ${h}: ${g[v]![h]} vs ${want}`);
    }
  }
  tf.dispose([table, upstream, grad]);
});
