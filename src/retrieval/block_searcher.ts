/**
 * The interface of an exact top-k scorer over one block of documents (ONNX Runtime or plain TS),
 * and the block-by-block search that merges blocks into per-query top-k heaps.
 *
 * @module
 */

import type { IdEmbeddings } from "./embeddings.ts";
import { checkEmbeddings } from "./embeddings.ts";
import type { QueryHits } from "./hits.ts";
import { TopKHeap } from "./top_k_heap.ts";

/** Which implementation scores blocks. */
export type BlockSearcherKind = "ts" | "ort";

/**
 * Scores every document of a block against every query (inner product) and offers to each
 * query's heap at least every document that could be among its top k, with its exact score.
 */
export interface BlockSearcher {
  readonly kind: BlockSearcherKind;
  /** Offer the block's documents to `heaps[i]` for query row i. */
  searchBlock(
    queries: IdEmbeddings,
    block: IdEmbeddings,
    heaps: readonly TopKHeap[],
  ): Promise<void>;
  /** Release native resources (sessions). */
  close(): Promise<void>;
}

/** Progress of a search over blocks. */
export interface SearchProgress {
  readonly blocks: number;
  readonly documents: number;
}

/** Options of {@linkcode searchBlocks}. */
export interface SearchOptions {
  /** Hits kept per query. */
  readonly k: number;
  /** Called after each block. */
  readonly onProgress?: (progress: SearchProgress) => void;
}

/**
 * Exact top-k by inner product of every query against every document of `blocks`, consumed one
 * block at a time (only one block is held at once). Hits are in the suite's ranking order (score
 * descending, ties by document id descending).
 */
export async function searchBlocks(
  searcher: BlockSearcher,
  queries: IdEmbeddings,
  blocks: Iterable<IdEmbeddings> | AsyncIterable<IdEmbeddings>,
  options: SearchOptions,
): Promise<readonly QueryHits[]> {
  checkEmbeddings(queries, "queries");
  const heaps = queries.ids.map(() => new TopKHeap(options.k));
  let blockCount = 0;
  let documents = 0;
  for await (const block of blocks) {
    checkEmbeddings(block, `document block ${blockCount}`);
    if (block.dims !== queries.dims) {
      throw new TypeError(
        `Cannot search document block ${blockCount}: queries have ${queries.dims} dimensions, documents ${block.dims}`,
      );
    }
    if (block.ids.length > 0 && queries.ids.length > 0) {
      await searcher.searchBlock(queries, block, heaps);
    }
    blockCount++;
    documents += block.ids.length;
    options.onProgress?.({ blocks: blockCount, documents });
  }
  return queries.ids.map((queryId, i) => ({ queryId, hits: heaps[i]!.hits() }));
}
