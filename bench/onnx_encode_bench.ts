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
import { createOnnxSession, initEngine } from "../src/engine/mod.ts";
import { bertForward } from "../src/models/bert.ts";
import type { BertConfig } from "../src/models/config.ts";
import { initBertWeights } from "../src/models/init.ts";
import { buildBertOnnx } from "../src/models/onnx/export.ts";
import { OnnxEncoder } from "../src/models/onnx/encoder.ts";
import { parseOnnxEncoderConfig } from "../src/models/onnx/encoder_config.ts";
import { pool } from "../src/models/pooling.ts";
import { randomTokenIds } from "../src/models/onnx/test_weights.ts";
import { bertInputs } from "../src/models/token_batch.ts";
import { formatMachine } from "../src/engine/machine.ts";
import { BERT_MINI } from "./bert_mini.ts";

const CONFIG: BertConfig = BERT_MINI;
const SEQ = 64;
const DOCS = 64;
const weights = initBertWeights(CONFIG, 1);
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
