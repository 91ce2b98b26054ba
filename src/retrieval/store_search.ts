/**
 * Exact top-k search over an on-disk embedding store, block by block, so memory stays bounded by
 * one block of documents plus the queries' heaps.
 *
 * @module
 */

import type { BlockSearcher, SearchProgress } from "./block_searcher.ts";
import { searchBlocks } from "./block_searcher.ts";
import type { BlockSize, EmbeddingStore } from "./embedding_store/mod.ts";
import type { IdEmbeddings } from "./embeddings.ts";
import type { QueryHits } from "./hits.ts";
import type { RowRange } from "./shards.ts";

/** Options of {@linkcode searchStore}. */
export interface StoreSearchOptions {
  /** Hits kept per query. */
  readonly k: number;
  /** Block size read from the store (default: 64 MiB of float32 vectors). */
  readonly block?: BlockSize;
  /** Search only these rows (e.g. one shard's, from `shardRange`); default all. */
  readonly range?: RowRange;
  /** Called after each block. */
  readonly onProgress?: (progress: SearchProgress) => void;
}

/** Exact inner-product top-k of `queries` against every row of `store`. */
export function searchStore(
  searcher: BlockSearcher,
  store: EmbeddingStore,
  queries: IdEmbeddings,
  options: StoreSearchOptions,
): Promise<readonly QueryHits[]> {
  if (queries.dims !== store.dims) {
    return Promise.reject(
      new TypeError(
        `Cannot search embedding store "${store.dir}": queries have ${queries.dims} dimensions, the store ${store.dims}`,
      ),
    );
  }
  return searchBlocks(searcher, queries, store.blocks(options.block ?? {}, options.range), {
    k: options.k,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
}
