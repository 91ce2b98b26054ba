/**
 * Query-encoder latency at batch 1 (EXPERIMENTS.md's protocol: one query at a time, 1 intra-op
 * thread): 20 queries of the bench corpus tokenised (max 32 tokens) and encoded one by one by the
 * 4-layer / hidden-256 encoder in ONNX Runtime. Overhead-bound at this size (tokenising, the
 * session call), so timed against the scalar reference.
 *
 * @module
 */

import { loadBertBaseUncased } from "../../src/text/mod.ts";
import type { BenchCase, PreparedCase } from "./case.ts";
import { benchCorpus } from "./corpus.ts";
import { onnxBenchEncoder } from "./encoder_case.ts";

const QUERIES = 20;
const MAX_LENGTH = 32;

/** `latency/query-encoder`. */
export const QUERY_LATENCY_CASE: BenchCase = {
  kind: "bench-case",
  name: "latency/query-encoder",
  reference: "scalar",
  threshold: 0.5,
  quick: true,
  async prepare(): Promise<PreparedCase> {
    const corpus = await benchCorpus();
    const tokenizer = await loadBertBaseUncased();
    const encoder = await onnxBenchEncoder(1);
    const texts = corpus.queries.slice(0, QUERIES).map((q) => q.text);
    return {
      kind: "prepared-case",
      backend: "ort-cpu",
      blas: "ort-mlas",
      workload: `${corpus.source}, ${texts.length} queries one at a time, 4L/H256, 1 thread`,
      async run() {
        for (const text of texts) {
          const { ids } = tokenizer.encode(text, { maxLength: MAX_LENGTH });
          await encoder.encode([ids], { maxLength: MAX_LENGTH, batchSize: 1 });
        }
      },
    };
  },
};
