/**
 * Encoder forward of a 4-layer / hidden-256 BERT (BERT-mini shape, bert-base-uncased vocabulary,
 * seeded random weights) over 32 documents of 64 tokens with mean pooling: in tfjs (wasm backend
 * with the engine's kernels, OpenBLAS matmul) and in ONNX Runtime (the exported graph, cpu EP).
 * Both are BLAS-bound and timed against the sgemm reference.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { createOnnxSession, initEngine } from "../../src/engine/mod.ts";
import { bertForward, bertInputs, initBertWeights, pool } from "../../src/models/mod.ts";
import { buildBertOnnx, OnnxEncoder, parseOnnxEncoderConfig } from "../../src/models/onnx/mod.ts";
import { BERT_MINI } from "../bert_mini.ts";
import type { BenchCase, PreparedCase } from "./case.ts";

const DOCS = 32;
const SEQ = 64;

/** Seeded token ids in [1, vocab): `rows` rows of `length` (32-bit LCG). */
export function seededTokenIds(
  vocab: number,
  rows: number,
  length: number,
  seed: number,
): number[][] {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
  return Array.from(
    { length: rows },
    () => Array.from({ length }, () => 1 + (next() % (vocab - 1))),
  );
}

const WORKLOAD = `4L/H256 BERT, ${DOCS} docs x ${SEQ} tokens, mean pooling`;

/** `encode/tfjs`. */
export const TFJS_ENCODE_CASE: BenchCase = {
  kind: "bench-case",
  name: "encode/tfjs",
  reference: "sgemm",
  threshold: 0.5,
  quick: true,
  async prepare(context): Promise<PreparedCase> {
    const engine = await initEngine({ backend: "wasm", threads: context.threads });
    const weights = initBertWeights(BERT_MINI, 1);
    const params = new Map([...weights].map(([n, t]) => [n, tf.tensor(t.data, [...t.shape])]));
    const batch = {
      shape: [DOCS, SEQ] as const,
      inputIds: seededTokenIds(BERT_MINI.vocabSize, DOCS, SEQ, 2).flat(),
      attentionMask: new Array<number>(DOCS * SEQ).fill(1),
    };
    return {
      kind: "prepared-case",
      backend: engine.backend,
      blas: engine.blas.found ? "openblas" : null,
      workload: WORKLOAD,
      run() {
        tf.tidy(() => {
          const inputs = bertInputs(batch);
          pool(bertForward(BERT_MINI, params, inputs), inputs.attentionMask, "mean").dataSync();
        });
      },
      dispose() {
        for (const t of params.values()) t.dispose();
      },
    };
  },
};

/** An ONNX Runtime encoder of the bench's BERT at `threads` intra-op threads. */
export async function onnxBenchEncoder(threads: number): Promise<OnnxEncoder> {
  const bytes = buildBertOnnx(initBertWeights(BERT_MINI, 1), BERT_MINI, { pooling: "mean" });
  const session = await createOnnxSession(bytes, { intraOpThreads: threads, interOpThreads: 1 });
  return OnnxEncoder.fromSession(
    session,
    parseOnnxEncoderConfig({ pooling: "none", output_name: "embedding" }),
  );
}

/** `encode/ort`. */
export const ORT_ENCODE_CASE: BenchCase = {
  kind: "bench-case",
  name: "encode/ort",
  reference: "sgemm",
  threshold: 0.5,
  quick: true,
  async prepare(context): Promise<PreparedCase> {
    const encoder = await onnxBenchEncoder(context.threads);
    const sequences = seededTokenIds(BERT_MINI.vocabSize, DOCS, SEQ, 2);
    return {
      kind: "prepared-case",
      backend: "ort-cpu",
      blas: "ort-mlas",
      workload: WORKLOAD,
      async run() {
        await encoder.encode(sequences, { maxLength: SEQ, batchSize: DOCS });
      },
    };
  },
};
