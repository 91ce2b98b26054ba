import { deepStrictEqual, ok, throws } from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { planBatchMatMul } from "./batch_matmul.ts";
import { initEngine } from "./engine.ts";
import { loadBlas } from "./openblas.ts";
import { seededRandom } from "./random.ts";

const hasBlas = loadBlas().kind === "found";

interface Case {
  readonly a: number[];
  readonly b: number[];
  readonly ta: boolean;
  readonly tb: boolean;
  /** The stock kernels index batches modulo their count: valid unless both sides broadcast. */
  readonly stockValid: boolean;
}

/** Random shapes covering no batch, equal batches, rank-2 x batched, broadcast and empty. */
function cases(): Case[] {
  const rand = seededRandom(11);
  const d = () => 1 + Math.floor(rand() * 24);
  const out: Case[] = [];
  for (const ta of [false, true]) {
    for (const tb of [false, true]) {
      const [m, k, n, p] = [d(), d(), d(), 1 + Math.floor(rand() * 4)];
      const A = (batch: number[]) => [...batch, ...(ta ? [k, m] : [m, k])];
      const B = (batch: number[]) => [...batch, ...(tb ? [n, k] : [k, n])];
      out.push({ a: A([]), b: B([]), ta, tb, stockValid: true });
      out.push({ a: A([p]), b: B([p]), ta, tb, stockValid: true });
      out.push({ a: A([2, p]), b: B([]), ta, tb, stockValid: true });
      out.push({ a: A([]), b: B([p, 2]), ta, tb, stockValid: true });
      out.push({ a: A([2, 3]), b: B([1, 3]), ta, tb, stockValid: true });
      out.push({ a: A([2, 1]), b: B([1, 3]), ta, tb, stockValid: false });
      out.push({ a: A([3, 1, 2]), b: B([4, 1]), ta, tb, stockValid: false });
    }
  }
  out.push({ a: [3, 0], b: [0, 4], ta: false, tb: false, stockValid: true });
  out.push({ a: [2, 0, 5], b: [2, 5, 3], ta: false, tb: false, stockValid: true });
  return out;
}

/** Independent float64 reference with numpy broadcasting of batch dims. */
function reference(c: Case, a: Float32Array, b: Float32Array): Float64Array {
  const plan = planBatchMatMul(c.a, c.b, c.ta, c.tb);
  const { m, n, k } = plan;
  const out = new Float64Array(plan.outShape.reduce((x, y) => x * y, 1));
  for (let o = 0; o < plan.batches; o++) {
    const ab = plan.aBatch[o]! * m * k;
    const bb = plan.bBatch[o]! * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const av = c.ta ? a[ab + p * m + i]! : a[ab + i * k + p]!;
          const bv = c.tb ? b[bb + j * k + p]! : b[bb + p * n + j]!;
          s += av * bv;
        }
        out[o * m * n + i * n + j] = s;
      }
    }
  }
  return out;
}

/** Mirror of planBatchMatMul's batch mapping, written out by hand for two small cases. */
Deno.test("planBatchMatMul broadcasts batch dims like numpy", () => {
  const plan = planBatchMatMul([2, 1, 5, 7], [1, 3, 7, 4], false, false);
  deepStrictEqual(plan.outShape, [2, 3, 5, 4]);
  deepStrictEqual([...plan.aBatch], [0, 0, 0, 1, 1, 1]);
  deepStrictEqual([...plan.bBatch], [0, 1, 2, 0, 1, 2]);
  const folded = planBatchMatMul([4, 5, 7], [7, 2], false, false);
  deepStrictEqual(folded.fold, true);
  deepStrictEqual(planBatchMatMul([7, 5], [3, 2, 7], true, true).outShape, [3, 5, 2]);
  throws(() => planBatchMatMul([2, 5, 7], [3, 7, 4], false, false), /Cannot broadcast batch dims/);
  throws(() => planBatchMatMul([5, 7], [6, 4], false, false), /inner dims 7 and 6 differ/);
});

function inputs(): { c: Case; a: Float32Array; b: Float32Array }[] {
  const rand = seededRandom(99);
  const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
  return cases().map((c) => ({
    c,
    a: Float32Array.from({ length: size(c.a) }, () => rand() * 2 - 1),
    b: Float32Array.from({ length: size(c.b) }, () => rand() * 2 - 1),
  }));
}

function runCases(list: { c: Case; a: Float32Array; b: Float32Array }[]): ArrayLike<number>[] {
  return list.map(({ c, a, b }) =>
    tf.tidy(() => tf.matMul(tf.tensor(a, c.a), tf.tensor(b, c.b), c.ta, c.tb).dataSync())
  );
}

function maxError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Infinity;
  let err = 0;
  for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs(got[i]! - want[i]!));
  return err;
}

/**
 * Patched kernels against (1) a float64 reference on every case and (2) the stock cpu kernel on
 * the cases its modulo batch indexing supports; tolerance 1e-4 relative to the largest output.
 */
async function runAll(label: string, options: Parameters<typeof initEngine>[0]) {
  const list = inputs();
  await initEngine({ backend: "cpu", patchKernels: false });
  const stock = runCases(list);
  const state = await initEngine(options);
  const got = runCases(list);
  const errors: string[] = [];
  list.forEach(({ c, a, b }, i) => {
    const want = reference(c, a, b);
    const scale = Math.max(1, ...want.map(Math.abs));
    const vsRef = maxError(got[i]!, want);
    const vsStock = c.stockValid ? maxError(got[i]!, stock[i]!) : 0;
    if (vsRef > 1e-4 * scale || vsStock > 1e-4 * scale) {
      errors.push(`${JSON.stringify(c)}: max abs error ${vsRef} (float64), ${vsStock} (stock cpu)`);
    }
  });
  ok(errors.length === 0, `${label} (${state.kernelsPatched.join(", ")}):\n${errors.join("\n")}`);
}

Deno.test({
  name: "BatchMatMul wasm + OpenBLAS matches a float64 reference (transposes, broadcasting)",
  ignore: !hasBlas,
  fn: async () => {
    await runAll("wasm+blas", { backend: "wasm" });
  },
});

Deno.test({
  name: "BatchMatMul cpu + OpenBLAS matches a float64 reference (transposes, broadcasting)",
  ignore: !hasBlas,
  fn: async () => {
    await runAll("cpu+blas", { backend: "cpu" });
  },
});

Deno.test("BatchMatMul wasm explicit-transpose fallback matches a float64 reference", async () => {
  const state = await initEngine({ backend: "wasm", blas: "none" });
  deepStrictEqual(state.kernelsPatched.includes("BatchMatMul@wasm:explicit-transpose"), true);
  // It runs the stock wasm kernel, which indexes batches modulo their count: stock-valid cases only.
  const list = inputs().filter(({ c }) => c.stockValid);
  const got = runCases(list);
  list.forEach(({ c, a, b }, i) => {
    const err = maxError(got[i]!, reference(c, a, b));
    ok(err <= 1e-4, `${JSON.stringify(c)}: max abs error ${err}`);
  });
});

Deno.test({
  name: "matMul gradients on patched wasm agree with the stock cpu kernels",
  ignore: !hasBlas,
  fn: async () => {
    const rand = seededRandom(3);
    const data = (n: number) => Float32Array.from({ length: n }, () => rand() * 2 - 1);
    // tfjs's BatchMatMul gradient does not reduce broadcast batch dims, so models use equal batch
    // dims (attention) or rank 2 (dense layers); both are checked, with transposes.
    const [a, b, c, w, v] = [
      data(3 * 6 * 5),
      data(3 * 4 * 5),
      data(5 * 7),
      data(3 * 6 * 4),
      data(18 * 7),
    ];
    const grads = () =>
      tf.tidy(() => {
        const at = tf.tensor(a, [3, 6, 5]);
        const bt = tf.tensor(b, [3, 4, 5]);
        const ct = tf.tensor(c, [5, 7]);
        const wt = tf.tensor(w, [3, 6, 4]);
        const vt = tf.tensor(v, [18, 7]);
        const g = tf.grads((x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
          tf.add(
            tf.sum(tf.mul(tf.matMul(x, y, false, true), wt)),
            tf.sum(tf.mul(tf.matMul(tf.reshape(x, [18, 5]), z), vt)),
          )
        );
        return g([at, bt, ct]).map((t) => t.dataSync());
      });
    await initEngine({ backend: "cpu", patchKernels: false });
    const want = grads();
    await initEngine({ backend: "wasm" });
    const got = grads();
    for (let t = 0; t < want.length; t++) {
      let err = 0;
      for (let i = 0; i < want[t]!.length; i++) {
        err = Math.max(err, Math.abs(got[t]![i]! - want[t]![i]!));
      }
      ok(err <= 1e-5, `gradient ${t}: max abs error ${err}`);
    }
  },
});
