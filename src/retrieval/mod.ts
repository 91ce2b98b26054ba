/**
 * Retrieval: exact top-k by inner product (ONNX Runtime MatMul + TopK, or plain TS with a k-heap),
 * blocked so memory stays bounded, in the suite's ranking order; on-disk embedding stores (fp32 /
 * fp16) searched block by block; the `Retriever` shape (BM25, dense, asymmetric, cross-encoder
 * re-ranking) and `evaluateRetriever` (encode -> search -> run -> eval, with latency).
 *
 * @module
 */

export type { Hit, QueryHits } from "./hits.ts";
export { blocksOf, type IdEmbeddings } from "./embeddings.ts";
export { type BlockSearcher, searchBlocks } from "./block_searcher.ts";
export { createTsBlockSearcher } from "./ts_block_searcher.ts";
export { blasScoreGemm } from "./blas_score_gemm.ts";
export { createOrtBlockSearcher } from "./ort_block_searcher.ts";
export { EmbeddingStore, type StoreDtype, writeEmbeddingStore } from "./embedding_store/mod.ts";
export { searchStore } from "./store_search.ts";
export { mergeShardHits, parseShard, type RowRange, type Shard, shardRange } from "./shards.ts";
export { type DocumentEncoder, encodeToStore, type TokenizedDoc } from "./encode_store.ts";
export {
  ANSERINI_BM25,
  type Bm25Parameters,
  bm25Run,
  Bm25Searcher,
  buildBm25Index,
} from "./bm25/mod.ts";
export {
  type AsymmetricRetriever,
  asymmetricRetriever,
  type Bm25Retriever,
  bm25Retriever,
  type CrossEncoderRef,
  type DenseRetriever,
  denseRetriever,
  describeRetriever,
  type DocumentSide,
  type EncoderRef,
  type FirstStage,
  modelRetriever,
  type RerankRetriever,
  rerankRetriever,
  type Retriever,
  type RetrieverOptions,
} from "./retriever.ts";
export { encoderHash, findEncoder } from "./encoder_dirs.ts";
export { documentIndex, documentIndexKey, type EncodingRecord } from "./document_index.ts";
export { LATENCY_PROTOCOL, measureLatency, percentile, type Percentiles } from "./latency.ts";
export {
  loadPairScorer,
  type PairScorer,
  type PairScorerEngine,
  type PairScorerOptions,
} from "./cross_encoder_scorer.ts";
export {
  evaluateRetriever,
  type EvaluateRetrieverOptions,
  type IndexReport,
  type LatencyReport,
  type RetrievalProgress,
  type RetrievalTimings,
  type RetrieverEvaluation,
} from "./evaluate_retriever.ts";
