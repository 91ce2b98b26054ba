/**
 * Retrieval: exact top-k by inner product (ONNX Runtime MatMul + TopK, or plain TS with a k-heap),
 * blocked so memory stays bounded, in the suite's ranking order; on-disk embedding stores (fp32 /
 * fp16) searched block by block.
 *
 * @module
 */

export type { Hit, QueryHits } from "./hits.ts";
export { blocksOf, checkEmbeddings, type IdEmbeddings } from "./embeddings.ts";
export { TopKHeap } from "./top_k_heap.ts";
export {
  type BlockSearcher,
  type BlockSearcherKind,
  searchBlocks,
  type SearchOptions,
  type SearchProgress,
} from "./block_searcher.ts";
export {
  createTsBlockSearcher,
  type ScoreGemm,
  type TsBlockSearcherOptions,
  tsScoreGemm,
} from "./ts_block_searcher.ts";
export { blasScoreGemm, type Sgemm } from "./blas_score_gemm.ts";
export {
  buildTopKGraph,
  createOrtBlockSearcher,
  type OrtBlockSearcherOptions,
} from "./ort_block_searcher.ts";
export {
  dtypeBytes,
  HEADER_FILE,
  parseStoreHeader,
  STORE_FORMAT,
  type StoreDtype,
  type StoreHeader,
} from "./embedding_store/header.ts";
export {
  EmbeddingStoreWriter,
  type StoreWriterOptions,
  writeEmbeddingStore,
} from "./embedding_store/writer.ts";
export { type BlockSize, DEFAULT_BLOCK_BYTES, EmbeddingStore } from "./embedding_store/reader.ts";
export { searchStore, type StoreSearchOptions } from "./store_search.ts";
export { mergeShardHits, parseShard, type RowRange, type Shard, shardRange } from "./shards.ts";
export {
  type DocumentEncoder,
  encodeToStore,
  type EncodeToStoreOptions,
  type TokenizedDoc,
} from "./encode_store.ts";
export {
  LUCENE_ENGLISH_STOPWORDS,
  ORACLE_STOPWORDS,
  tokenizeForBm25,
  type TokenizerOptions,
} from "./bm25/tokenizer.ts";
export {
  type Bm25Index,
  Bm25IndexBuilder,
  type Bm25IndexOptions,
  buildBm25Index,
  type IndexedText,
  type Postings,
} from "./bm25/inverted_index.ts";
export {
  ANSERINI_BM25,
  bm25Idf,
  type Bm25Parameters,
  Bm25Searcher,
  bm25TermWeight,
  checkBm25Parameters,
} from "./bm25/search.ts";
export { Bm25Scan } from "./bm25/scan.ts";
export { bm25Run, type Bm25RunOptions, type Bm25RunProgress } from "./bm25/run.ts";
