/**
 * Encoding throughput of a 4-layer / hidden-256 BERT encoder at sequence length 64: the ONNX
 * export run by ONNX Runtime (cpu execution provider, 1 and 2 intra-op threads) against the tfjs
 * forward pass (wasm backend with the engine's kernels; baseline). docs/s = docs per iteration /
 * time per iteration. Names carry threads and the machine.
 *
 * Run: deno bench --allow-read --allow-write --allow-env --allow-ffi --allow-sys bench/onnx_encode_bench.ts
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { createOnnxSession, formatMachine, initEngine } from "../src/engine/mod.ts";
import {
  type BertConfig,
  bertForward,
  bertInputs,
  initBertWeights,
  pool,
} from "../src/models/mod.ts";
import { buildBertOnnx, OnnxEncoder, parseOnnxEncoderConfig } from "../src/models/onnx/mod.ts";
import { BERT_MINI } from "./bert_mini.ts";

const CONFIG: BertConfig = BERT_MINI;
const SEQ = 64;
const DOCS = 64;
const weights = initBertWeights(CONFIG, 1);

/** Seeded token ids in [1, vocab) from a 32-bit LCG (src/testing's `randomTokenIds`). */
function randomTokenIds(vocabSize: number, lengths: readonly number[], seed: number): number[][] {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
  return lengths.map((n) => Array.from({ length: n }, () => 1 + (next() % (vocabSize - 1))));
}

const sequences = randomTokenIds(CONFIG.vocabSize, Array(DOCS).fill(SEQ), 2);
const bytes = buildBertOnnx(weights, CONFIG, { pooling: "mean" });
const encoderConfig = parseOnnxEncoderConfig({ pooling: "none", output_name: "embedding" });
const encoders = new Map<number, OnnxEncoder>();
for (const threads of [1, 2]) {
  const session = await createOnnxSession(bytes, { intraOpThreads: threads, interOpThreads: 1 });
  encoders.set(threads, OnnxEncoder.fromSession(session, encoderConfig));
}

const engine = await initEngine({ backend: "wasm", threads: 1 });
const params = new Map([...weights].map(([name, t]) => [name, tf.tensor(t.data, [...t.shape])]));
const batch = {
  shape: [DOCS, SEQ] as const,
  inputIds: sequences.flat(),
  attentionMask: new Array<number>(DOCS * SEQ).fill(1),
};

// node:os rather than /proc/cpuinfo, which Deno only reads with --allow-all.
const machine = formatMachine();
const what = `4L/H256/S${SEQ}, ${DOCS} docs/iter`;

Deno.bench({
  name: `tfjs ${engine.backend} forward + mean pool, BLAS ${
    engine.blas.found ? "openblas" : "absent"
  } 1 thread (${what}; ${machine})`,
  group: "encode",
  baseline: true,
  n: 3,
  warmup: 1,
  fn() {
    tf.tidy(() => {
      const inputs = bertInputs(batch);
      pool(bertForward(CONFIG, params, inputs), inputs.attentionMask, "mean").dataSync();
    });
  },
});

for (const [threads, encoder] of encoders) {
  Deno.bench({
    name: `ORT 1.30 cpu EP, ${threads} intra-op thread(s), batch 32 (${what}; ${machine})`,
    group: "encode",
    n: 20,
    warmup: 2,
    async fn() {
      await encoder.encode(sequences, { maxLength: SEQ, batchSize: 32 });
    },
  });
}
