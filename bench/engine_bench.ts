// deno-lint-ignore-file no-console
/**
 * Engine benchmarks: stock wasm `BatchMatMul` (baseline) against the project's OpenBLAS kernel,
 * with and without transpose flags, and the embedding-gradient `UnsortedSegmentSum` (stock cpu
 * kernel as baseline, wasm has none) against the scatter-add kernel, and the embedding lookup
 * (stock wasm GatherV2 against the row-copy kernel). Prints GFLOP/s, backend,
 * threads and machine first, then the `deno bench` table.
 *
 * Run: deno bench --allow-read --allow-write --allow-env --allow-ffi --allow-run --allow-sys bench/engine_bench.ts
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { describeEngine, initEngine, stockKernel } from "../src/engine/mod.ts";

const threads = Number(Deno.env.get("EMBEDDISTILL_THREADS") ?? "1");
const state = await initEngine({ backend: "wasm", threads });
const label = `wasm, ${state.blas.found ? "OpenBLAS" : "no BLAS"} ${threads} thread(s), ` +
  `${state.machine.cpuModel} x${state.machine.cores}`;
console.log(`# engine_bench: ${describeEngine(state)}`);

type Run = () => void;

/** A kernel called directly (no registry lookup), its output freed at once. */
function kernelRun(
  config: tf.KernelConfig,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
): Run {
  const backend = tf.backend();
  return () => {
    const out = config.kernelFunc({ inputs, backend, attrs }) as tf.TensorInfo;
    backend.disposeData(out.dataId);
  };
}

function secondsPerCall(run: Run, iterations: number): number {
  run();
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) run();
  return (performance.now() - t0) / iterations / 1000;
}

interface MatMulCase {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly ta: boolean;
  readonly tb: boolean;
}

const cases: MatMulCase[] = [
  { m: 256, k: 256, n: 256, ta: false, tb: false },
  { m: 512, k: 512, n: 512, ta: false, tb: false },
  { m: 1024, k: 1024, n: 1024, ta: false, tb: false },
  { m: 512, k: 512, n: 512, ta: false, tb: true },
  { m: 512, k: 512, n: 512, ta: true, tb: false },
  // BERT FFN (4 layers, hidden 256, 64 x 32 tokens): forward, dX and dW shapes.
  { m: 2048, k: 256, n: 1024, ta: false, tb: true },
  { m: 2048, k: 1024, n: 256, ta: false, tb: false },
  { m: 1024, k: 2048, n: 256, ta: true, tb: false },
];

const stockMatMul = stockKernel(tf.BatchMatMul, "wasm");
const patchedMatMul = tf.getKernel(tf.BatchMatMul, "wasm");
if (stockMatMul === undefined || patchedMatMul === undefined) {
  throw new Error("Cannot benchmark BatchMatMul: the wasm backend has no kernel");
}

const name = (c: MatMulCase) =>
  `${c.ta ? "A^T" : "A"}[${c.m}x${c.k}] ${c.tb ? "B^T" : "B"}[${c.k}x${c.n}]`;
const tensors = cases.map((c) => ({
  a: tf.randomNormal(c.ta ? [c.k, c.m] : [c.m, c.k], 0, 1, "float32", 1),
  b: tf.randomNormal(c.tb ? [c.n, c.k] : [c.k, c.n], 0, 1, "float32", 2),
}));

console.log(`# BatchMatMul GFLOP/s (${label})`);
console.log("case                              stock   patched  speedup  max|diff|/max|ref|");
cases.forEach((c, i) => {
  const { a, b } = tensors[i]!;
  const attrs = { transposeA: c.ta, transposeB: c.tb };
  const flop = 2 * c.m * c.n * c.k;
  const iters = Math.max(1, Math.round(2e9 / flop));
  const stock = secondsPerCall(kernelRun(stockMatMul, { a, b }, attrs), c.ta || c.tb ? 1 : iters);
  const patched = secondsPerCall(kernelRun(patchedMatMul, { a, b }, attrs), iters);
  const diff = tf.tidy(() => {
    const backend = tf.backend();
    const s = tf.engine().makeTensorFromTensorInfo(
      stockMatMul.kernelFunc({ inputs: { a, b }, backend, attrs }) as tf.TensorInfo,
    );
    const p = tf.matMul(a, b, c.ta, c.tb);
    return tf.div(tf.max(tf.abs(tf.sub(s, p))), tf.max(tf.abs(s))).dataSync()[0]!;
  });
  console.log(
    `${name(c).padEnd(32)} ${(flop / stock / 1e9).toFixed(1).padStart(7)} ${
      (flop / patched / 1e9).toFixed(1).padStart(9)
    } ${(stock / patched).toFixed(1).padStart(7)}x  ${diff.toExponential(1)}`,
  );
});

cases.forEach((c, i) => {
  const { a, b } = tensors[i]!;
  const attrs = { transposeA: c.ta, transposeB: c.tb };
  const slow = c.ta || c.tb || c.m * c.n * c.k > 2 ** 28;
  const group = `matmul ${name(c)}`;
  Deno.bench({
    name: `stock wasm ${name(c)} (${label})`,
    group,
    baseline: true,
    ...(slow ? { n: 3, warmup: 1 } : {}),
    fn: kernelRun(stockMatMul, { a, b }, attrs),
  });
  Deno.bench({
    name: `patched ${state.blas.found ? "openblas" : "explicit-transpose"} ${name(c)} (${label})`,
    group,
    fn: kernelRun(patchedMatMul, { a, b }, attrs),
  });
});

// Embedding gradient: the gradient of tf.gather is UnsortedSegmentSum over the vocabulary.
const segment = { vocab: 200, tokens: 256, hidden: 256 };
const values = tf.randomNormal([segment.tokens, segment.hidden], 0, 1, "float32", 3);
const ids = tf.randomUniform([segment.tokens], 0, segment.vocab, "int32", 4);
const segAttrs = { numSegments: segment.vocab };
const stockSegment = stockKernel(tf.UnsortedSegmentSum, "cpu");
const patchedSegment = tf.getKernel(tf.UnsortedSegmentSum, "wasm");
if (stockSegment === undefined || patchedSegment === undefined) {
  throw new Error("Cannot benchmark UnsortedSegmentSum: a kernel is missing");
}
const segName =
  `UnsortedSegmentSum vocab ${segment.vocab} x tokens ${segment.tokens} x hidden ${segment.hidden}`;
Deno.bench({
  name: `stock cpu ${segName} (cpu backend)`,
  group: "gather gradient",
  baseline: true,
  n: 3,
  warmup: 1,
  fn: () => {
    // The stock cpu kernel needs cpu-backend tensors.
    tf.setBackend("cpu");
    tf.tidy(() => {
      const out = tf.engine().makeTensorFromTensorInfo(
        stockSegment.kernelFunc({
          inputs: { x: values, segmentIds: ids },
          backend: tf.backend(),
          attrs: segAttrs,
        }) as tf.TensorInfo,
      );
      out.dataSync();
    });
    tf.setBackend("wasm");
  },
});
Deno.bench({
  name: `patched scatter-add ${segName} (${label})`,
  group: "gather gradient",
  fn: kernelRun(patchedSegment, { x: values, segmentIds: ids }, segAttrs),
});

const table = tf.randomNormal([30522, 256], 0, 0.02, "float32", 5);

// The embedding lookup itself (GatherV2, axis 0) at BERT scale: stock wasm vs row-copy kernel.
const stockGather = stockKernel(tf.GatherV2, "wasm");
const patchedGather = tf.getKernel(tf.GatherV2, "wasm");
const lookupIds = tf.randomUniform([2048], 0, 30522, "int32", 8);
if (stockGather !== undefined && patchedGather !== undefined) {
  const gatherAttrs = { axis: 0, batchDims: 0 };
  Deno.bench({
    name: `stock wasm GatherV2 2048 rows of [30522 x 256] (${label})`,
    group: "embedding lookup",
    baseline: true,
    fn: kernelRun(stockGather, { x: table, indices: lookupIds }, gatherAttrs),
  });
  Deno.bench({
    name: `patched row-copy GatherV2 2048 rows of [30522 x 256] (${label})`,
    group: "embedding lookup",
    fn: kernelRun(patchedGather, { x: table, indices: lookupIds }, gatherAttrs),
  });
}

// The same gradient at BERT scale, through tf.grad of an embedding lookup (patched only:
// the stock cpu kernel needs minutes at vocab 30522).
const tokens = tf.randomUniform([64, 32], 0, 30522, "int32", 6);
const upstream = tf.randomNormal([64, 32, 256], 0, 1, "float32", 7);
const lookupGrad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tokens), upstream)));
Deno.bench({
  name: `patched tf.grad(gather) vocab 30522 x 64x32 tokens x 256 (${label})`,
  group: "embedding gradient at BERT scale",
  fn: () => tf.dispose(lookupGrad(table)),
});
