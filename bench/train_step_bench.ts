// deno-lint-ignore-file no-console
/**
 * One training step of a 4-layer / hidden-256 / 4-head / FFN-1024 / seq-32 dual encoder (shared
 * towers, mean pooling, dot product), batch 64 queries x 64 documents, vocabulary 30522, in-batch
 * softmax loss (one-hot, Eq. 9), Adam (the library's training step: `optimisationStep` of
 * src/distill/train, fused Adam kernel, no clipping, no weight decay), on the engine's default backend (wasm + the project's kernels; EMBEDDISTILL_BACKEND and
 * EMBEDDISTILL_THREADS apply). Prints the
 * engine state, the machine and a per-kernel profile of one step (tf.profile) before the benches.
 *
 * Baseline in the same run: the forward pass alone (loss, no gradients, no update), so the
 * backward + Adam share is visible. The PyTorch peer (bench/peers/train_step.py, same config,
 * 1 thread) is run beforehand when `python3` can import torch; its seconds per step are printed
 * beside the tfjs one-step time with the ratio.
 *
 * Run: deno bench --allow-read --allow-write --allow-env --allow-ffi --allow-run --allow-sys bench/train_step_bench.ts
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { describeEngine, formatMachine, initEngine } from "../src/engine/mod.ts";
import { trainStepWorkload } from "./cases/mod.ts";
import { TORCH_HINT, torchTrainStep } from "./peers/torch_peer.ts";
import { BERT_MINI } from "./bert_mini.ts";

const BATCH = 64;
const SEQ = 32;

const engine = await initEngine();
// The set-up the bench:check cases share (bench/cases/train_case.ts).
const { trainStep, forwardOnly } = trainStepWorkload(BERT_MINI, BATCH, SEQ);

const machine = formatMachine();
const label = `${engine.backend}, ${engine.threads} threads, BLAS ${
  engine.blas.found ? engine.blas.threads : "absent"
}`;
console.error(`engine: ${describeEngine(engine)}`);
console.error(`machine: ${machine}`);

// Warm up (kernel setup, Adam slots), then profile one step kernel by kernel.
trainStep();
const started = performance.now();
const firstLoss = trainStep();
const stepMs = performance.now() - started;
const profile = await tf.profile(() => void trainStep());
const byKernel = new Map<string, { ms: number; calls: number }>();
for (const k of profile.kernels) {
  const entry = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
  entry.ms += typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0;
  entry.calls++;
  byKernel.set(k.name, entry);
}
const total = [...byKernel.values()].reduce((a, e) => a + e.ms, 0);
console.error(
  `one step: ${stepMs.toFixed(0)} ms (loss ${firstLoss.toFixed(4)}); profiled kernels ${
    total.toFixed(0)
  } ms in ${profile.kernels.length} calls:`,
);
for (const [name, e] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15)) {
  console.error(
    `  ${name.padEnd(22)} ${e.ms.toFixed(1).padStart(8)} ms ${
      ((100 * e.ms) / total).toFixed(1).padStart(5)
    }%  ${e.calls} calls`,
  );
}

// The PyTorch peer (bench/peers/train_step.py, same config) when Debian python3-torch is installed.
let peerLine: string;
try {
  const peer = await torchTrainStep({
    layers: 4,
    hidden: 256,
    heads: 4,
    intermediate: 1024,
    vocab: 30522,
    seq: SEQ,
    batch: BATCH,
    towers: "shared",
    pooling: "mean",
    threads: 1,
    steps: 3,
  });
  peerLine = `pytorch ${peer.torch} (${peer.threads} thread): ${
    peer.secondsPerStep.toFixed(3)
  } s/step; tfjs/pytorch ratio ${(stepMs / 1000 / peer.secondsPerStep).toFixed(2)}`;
} catch (error) {
  peerLine = `pytorch peer: unavailable (${(error as Error).message}; ${TORCH_HINT})`;
}
console.error(peerLine);

const what = `4L/H256/S${SEQ}, B${BATCH}x2, vocab ${BERT_MINI.vocabSize}`;
Deno.bench({
  name: `forward only (${what}; ${label}; ${machine})`,
  group: "train step",
  baseline: true,
  n: 3,
  warmup: 1,
  fn: () => void forwardOnly(),
});
Deno.bench({
  name: `train step: forward + backward + Adam (${what}; ${label}; ${machine})`,
  group: "train step",
  n: 3,
  warmup: 1,
  fn: () => void trainStep(),
});
