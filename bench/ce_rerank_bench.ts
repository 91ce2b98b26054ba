/**
 * Re-ranking cost of one query's top 100 with a 2-layer / hidden-128 dual-pooling cross-encoder
 * (the shape of the mini CE teachers; max length 96): pairs of 1 to 85 document tokens, sorted
 * longest first and run in batches of 32 as `loadPairScorer` does, in ONNX Runtime
 * (`OnnxCrossEncoder`, cpu execution provider, 1 and 2 intra-op threads) against tfjs
 * `crossEncoderForward` (wasm backend with the engine's kernels, 1 thread; baseline).
 *
 * Run: deno bench --allow-read --allow-write --allow-env --allow-ffi --allow-sys bench/ce_rerank_bench.ts
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { formatMachine, initEngine } from "../src/engine/mod.ts";
import {
  createCrossEncoder,
  crossEncoderForward,
  type CrossEncoderSpec,
  initModelWeights,
  type TokenBatch,
} from "../src/models/mod.ts";
import { OnnxCrossEncoder } from "../src/models/onnx/mod.ts";

const SPEC: CrossEncoderSpec = {
  kind: "cross",
  encoder: {
    vocabSize: 2000,
    hiddenSize: 128,
    numLayers: 2,
    numHeads: 2,
    intermediateSize: 512,
    maxPositions: 96,
    typeVocabSize: 2,
    layerNormEps: 1e-12,
  },
  scorer: { kind: "dual-pooling", includeSpecialTokens: false },
  maxLength: 96,
};
const PAIRS = 100;
const BATCH = 32;
const QUERY_TOKENS = 8;
const weights = initModelWeights(SPEC, 1);

/** Seeded ids in [3, vocab) from a 32-bit LCG. */
let state = 7;
const nextId = () =>
  3 + ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) % (SPEC.encoder.vocabSize - 3));

/** `[CLS] q [SEP] d [SEP]` rows, document lengths spread over 1..85 (rows up to 96 tokens), longest first, batched. */
function batches(): TokenBatch[] {
  const query = Array.from({ length: QUERY_TOKENS }, nextId);
  const rows = Array.from({ length: PAIRS }, (_, i) => {
    const d = Array.from({ length: 1 + ((i * 37) % (SPEC.maxLength - 3 - QUERY_TOKENS)) }, nextId);
    return {
      ids: [1, ...query, 2, ...d, 2],
      types: [...Array(QUERY_TOKENS + 2).fill(0), ...Array(d.length + 1).fill(1)],
    };
  }).sort((a, b) => b.ids.length - a.ids.length);
  const out: TokenBatch[] = [];
  for (let i = 0; i < rows.length; i += BATCH) {
    const chunk = rows.slice(i, i + BATCH);
    const width = chunk[0]!.ids.length;
    const pad = (xs: number[]) => [...xs, ...Array(width - xs.length).fill(0)];
    out.push({
      shape: [chunk.length, width],
      inputIds: chunk.flatMap((r) => pad(r.ids)),
      attentionMask: chunk.flatMap((r) => pad(r.ids.map(() => 1))),
      tokenTypeIds: chunk.flatMap((r) => pad(r.types)),
    });
  }
  return out;
}

const BATCHES = batches();
const runners = new Map<number, OnnxCrossEncoder>();
for (const threads of [1, 2]) {
  runners.set(
    threads,
    await OnnxCrossEncoder.create(SPEC, weights, {
      session: { intraOpThreads: threads, interOpThreads: 1 },
    }),
  );
}
const engine = await initEngine({ backend: "wasm", threads: 1 });
const model = createCrossEncoder(SPEC, weights);

// node:os rather than /proc/cpuinfo, which Deno only reads with --allow-all.
const machine = formatMachine();
const what = `2L/H128, ${PAIRS} pairs/iter, batch ${BATCH}`;

Deno.bench({
  name: `tfjs ${engine.backend} crossEncoderForward, 1 thread (${what}; ${machine})`,
  group: "rerank",
  baseline: true,
  n: 5,
  warmup: 1,
  async fn() {
    for (const batch of BATCHES) {
      const out = crossEncoderForward(model, batch);
      await out.scores.data();
      tf.dispose(Object.values(out).filter((x): x is tf.Tensor => x instanceof tf.Tensor));
    }
  },
});

for (const [threads, runner] of runners) {
  Deno.bench({
    name: `ORT cpu EP OnnxCrossEncoder, ${threads} intra-op thread(s) (${what}; ${machine})`,
    group: "rerank",
    n: 20,
    warmup: 2,
    async fn() {
      for (const batch of BATCHES) await runner.run(batch);
    },
  });
}
