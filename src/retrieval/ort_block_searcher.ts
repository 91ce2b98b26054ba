/**
 * Exact top-k with ONNX Runtime: one graph computes the query x document inner products (Gemm)
 * and their TopK; since ONNX TopK orders equal values by lower index, the k-th boundary is
 * resolved exactly by asking for k + margin and widening until the tie group at the boundary is
 * complete, then merging in the suite's order (ties by document id descending).
 *
 * @module
 */

import { intAttr, OnnxGraphBuilder } from "../engine/mod.ts";
import { createOnnxSession, onnxRuntime, type OnnxSessionOptions } from "../engine/mod.ts";
import type { BlockSearcher } from "./block_searcher.ts";
import type { IdEmbeddings } from "./embeddings.ts";
import type { TopKHeap } from "./top_k_heap.ts";

/** The ONNX graph `values, indices = TopK(Gemm(queries, docs, transB=1), k)` (opset 17). */
export function buildTopKGraph(): Uint8Array {
  const g = new OnnxGraphBuilder("exact_top_k");
  g.input("queries", "float32", ["num_queries", "dims"]);
  g.input("docs", "float32", ["num_docs", "dims"]);
  g.input("k", "int64", [1]);
  const scores = g.op("Gemm", ["queries", "docs"], { transB: intAttr(1) });
  g.node("TopK", [scores, "k"], {
    axis: intAttr(-1),
    largest: intAttr(1),
    sorted: intAttr(1),
  }, ["values", "indices"]);
  g.output("values", "float32", ["num_queries", "k"]);
  g.output("indices", "int64", ["num_queries", "k"]);
  return g.toBytes({ opset: 17, docString: "Exact inner-product top-k" });
}

/** Options of {@linkcode createOrtBlockSearcher}. */
export interface OrtBlockSearcherOptions extends OnnxSessionOptions {
  /** Extra candidates asked of TopK beyond k (default 8); widened automatically on boundary ties. */
  readonly margin?: number;
  /** Queries per session run (bounds the score matrix to queries x block rows); default 64. */
  readonly batchQueries?: number;
}

/** A block searcher running the {@linkcode buildTopKGraph} graph in ONNX Runtime. */
export async function createOrtBlockSearcher(
  options: OrtBlockSearcherOptions = {},
): Promise<BlockSearcher> {
  const margin = options.margin ?? 8;
  const batchQueries = options.batchQueries ?? 64;
  if (!Number.isInteger(margin) || margin < 0) {
    throw new RangeError(
      `Cannot create an ORT block searcher: margin must be >= 0, found ${margin}`,
    );
  }
  if (!Number.isInteger(batchQueries) || batchQueries < 1) {
    throw new RangeError(
      `Cannot create an ORT block searcher: batchQueries must be >= 1, found ${batchQueries}`,
    );
  }
  const { session } = await createOnnxSession(buildTopKGraph(), options);
  const { Tensor } = await onnxRuntime();

  const run = async (queries: Float32Array, q: number, block: IdEmbeddings, k: number) => {
    const out = await session.run({
      queries: new Tensor("float32", queries, [q, block.dims]),
      docs: new Tensor("float32", block.vectors, [block.ids.length, block.dims]),
      k: new Tensor("int64", BigInt64Array.of(BigInt(k)), [1]),
    });
    return {
      values: out["values"]!.data as Float32Array,
      indices: out["indices"]!.data as BigInt64Array,
    };
  };

  return {
    kind: "ort",
    async searchBlock(queries: IdEmbeddings, block: IdEmbeddings, heaps: readonly TopKHeap[]) {
      const dims = queries.dims;
      const n = block.ids.length;
      const k = heaps[0]?.k ?? 1;
      for (let q0 = 0; q0 < queries.ids.length; q0 += batchQueries) {
        const q = Math.min(batchQueries, queries.ids.length - q0);
        const qv = queries.vectors.subarray(q0 * dims, (q0 + q) * dims);
        let width = Math.min(n, k + margin);
        let result = await run(qv, q, block, width);
        // Widen while some query's tie group at its k-th value may continue past the returned
        // candidates; the same inputs give the same scores, so re-running is consistent.
        for (;;) {
          if (width >= n) break;
          let open = false;
          for (let i = 0; i < q && !open; i++) {
            const kth = result.values[i * width + Math.min(k, width) - 1]!;
            open = result.values[i * width + width - 1]! === kth;
          }
          if (!open) break;
          width = Math.min(n, width * 4);
          result = await run(qv, q, block, width);
        }
        for (let i = 0; i < q; i++) {
          const heap = heaps[q0 + i]!;
          for (let j = 0; j < width; j++) {
            const s = result.values[i * width + j]!;
            if (s < heap.floor) break;
            heap.offer(s, block.ids[Number(result.indices[i * width + j]!)]!);
          }
        }
      }
    },
    close: () => session.release(),
  };
}
