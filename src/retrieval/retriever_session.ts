/**
 * An opened retriever: its document index (encoded or read from the cache), a batched search of
 * every query, and a batch-1 search for latency (ONNX Runtime sessions with one intra-op thread),
 * for each `Retriever` kind.
 *
 * @module
 */

import { match } from "ts-pattern";
import type { Document, Query } from "../data/mod.ts";
import { compareRanked } from "../eval/mod.ts";
import { OnnxTextEncoder } from "../models/onnx/mod.ts";
import { Bm25Searcher, buildBm25Index } from "./bm25/mod.ts";
import { type BlockSearcher, searchBlocks } from "./block_searcher.ts";
import { loadPairScorer } from "./cross_encoder_scorer.ts";
import { type DocumentIndex, documentIndex, type EncodingRecord } from "./document_index.ts";
import { EmbeddingStore } from "./embedding_store/mod.ts";
import type { IdEmbeddings } from "./embeddings.ts";
import type { Hit, QueryHits } from "./hits.ts";
import { LATENCY_PROTOCOL, type StageTimes } from "./latency.ts";
import { createOrtBlockSearcher } from "./ort_block_searcher.ts";
import type { EncoderRef, FirstStage, Retriever } from "./retriever.ts";
import { searchStore } from "./store_search.ts";
import { createTsBlockSearcher } from "./ts_block_searcher.ts";

/** What was searched: the encoded corpus of a dense retriever (null for BM25). */
export interface IndexReport {
  readonly dir: string;
  /** Content-cache key (null for a given store). */
  readonly key: string | null;
  readonly documents: number;
  readonly dims: number;
  /** True when the store came from the cache (or was given), false when encoded now. */
  readonly cached: boolean;
  /** Size of the document embeddings as float32 and as float16. */
  readonly fp32Bytes: number;
  readonly fp16Bytes: number;
  /** How the store was built (null for a given store). */
  readonly encoding: EncodingRecord | null;
}

/** Progress of the phases of an evaluation. */
export interface RetrievalProgress {
  readonly phase: "index" | "queries" | "search" | "rerank" | "latency";
  readonly done: number;
  readonly total: number;
}

/** Settings shared by the sessions. */
export interface SessionOptions {
  readonly artifacts: string;
  readonly intraOpThreads?: number;
  readonly batchSize?: number;
  readonly searcher?: "ort" | "ts";
  readonly onProgress?: (progress: RetrievalProgress) => void;
}

/** An opened retriever. */
export interface RetrieverSession {
  readonly index: IndexReport | null;
  /** Seconds spent building the BM25 index (null for dense retrievers). */
  readonly bm25IndexSeconds: number | null;
  /** The top `k` of every query, with phase timings in seconds. */
  readonly searchAll: (
    queries: readonly Query[],
    k: number,
  ) => Promise<{ readonly hits: readonly QueryHits[]; readonly seconds: Record<string, number> }>;
  /** Open the batch-1 searcher of the latency protocol. */
  readonly openLatency: () => Promise<LatencySearcher>;
  readonly close: () => Promise<void>;
}

/** One query at a time, timing its stages (ms). */
export interface LatencySearcher {
  readonly search: (text: string, k: number) => Promise<{ hits: Hit[]; times: StageTimes }>;
  readonly close: () => Promise<void>;
}

const now = () => performance.now();

function searcherOf(kind: "ort" | "ts", intraOpThreads?: number): Promise<BlockSearcher> {
  return kind === "ts"
    ? Promise.resolve(createTsBlockSearcher())
    : createOrtBlockSearcher(intraOpThreads === undefined ? {} : { intraOpThreads });
}

function loadEncoder(ref: EncoderRef, intraOpThreads?: number): Promise<OnnxTextEncoder> {
  return OnnxTextEncoder.load(
    ref.dir,
    intraOpThreads === undefined ? {} : { session: { intraOpThreads } },
  );
}

/** Open `retriever` over `corpus` (split checksum `checksum` keys the document index). */
export function openRetriever(
  retriever: Retriever,
  corpus: readonly Document[],
  checksum: string,
  options: SessionOptions,
): Promise<RetrieverSession> {
  return match(retriever)
    .with({ kind: "bm25" }, (r) => openBm25(r, corpus))
    .with({ kind: "dense" }, { kind: "asymmetric" }, (r) => openDense(r, corpus, checksum, options))
    .with({ kind: "rerank" }, (r) => openRerank(r, corpus, checksum, options))
    .exhaustive();
}

async function openBm25(
  r: Extract<Retriever, { kind: "bm25" }>,
  corpus: readonly Document[],
): Promise<RetrieverSession> {
  const started = now();
  const searcher = new Bm25Searcher(await buildBm25Index(corpus), r.params);
  const bm25IndexSeconds = (now() - started) / 1000;
  return {
    index: null,
    bm25IndexSeconds,
    searchAll: (queries, k) => {
      const t = now();
      const hits = queries.map((q) => ({ queryId: q.id, hits: searcher.search(q.text, k) }));
      return Promise.resolve({ hits, seconds: { search: (now() - t) / 1000 } });
    },
    openLatency: () =>
      Promise.resolve({
        search: (text: string, k: number) => {
          const t = now();
          const hits = searcher.search(text, k);
          const ms = now() - t;
          return Promise.resolve({ hits, times: { search: ms, total: ms } });
        },
        close: () => Promise.resolve(),
      }),
    close: () => Promise.resolve(),
  };
}

async function storeOf(
  r: Extract<FirstStage, { kind: "dense" | "asymmetric" }>,
  corpus: readonly Document[],
  checksum: string,
  options: SessionOptions,
): Promise<{ store: EmbeddingStore; index: DocumentIndex | null }> {
  const documents = r.kind === "dense"
    ? { kind: "encoder" as const, encoder: r.document }
    : r.documents;
  if (documents.kind === "store") {
    const store = await EmbeddingStore.open(documents.dir);
    if (store.count !== corpus.length) {
      throw new RangeError(
        `Cannot search embedding store "${documents.dir}": it holds ${store.count} documents, the corpus ${corpus.length}`,
      );
    }
    return { store, index: null };
  }
  const index = await documentIndex(documents.encoder, corpus, checksum, {
    artifacts: options.artifacts,
    ...(options.intraOpThreads === undefined ? {} : { intraOpThreads: options.intraOpThreads }),
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    onProgress: (done, total) => options.onProgress?.({ phase: "index", done, total }),
  });
  return { store: index.store, index };
}

async function openDense(
  r: Extract<FirstStage, { kind: "dense" | "asymmetric" }>,
  corpus: readonly Document[],
  checksum: string,
  options: SessionOptions,
): Promise<RetrieverSession> {
  const { store, index } = await storeOf(r, corpus, checksum, options);
  const { count, dims } = store.header;
  const report: IndexReport = {
    dir: store.dir,
    key: index?.key ?? null,
    documents: count,
    dims,
    cached: index?.cached ?? true,
    fp32Bytes: count * dims * 4,
    fp16Bytes: count * dims * 2,
    encoding: index?.encoding ?? null,
  };
  return {
    index: report,
    bm25IndexSeconds: null,
    searchAll: async (queries, k) => {
      const encoder = await loadEncoder(r.query, options.intraOpThreads);
      const searcher = await searcherOf(options.searcher ?? "ort", options.intraOpThreads);
      try {
        const t0 = now();
        const matrix = await encoder.encodeQueries(queries.map((q) => q.text), {
          ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
          onProgress: (p) => options.onProgress?.({ phase: "queries", ...p }),
        });
        const t1 = now();
        const hits = await searchStore(searcher, store, {
          ids: queries.map((q) => q.id),
          dims: matrix.dims,
          vectors: matrix.vectors,
        }, {
          k,
          onProgress: (p) =>
            options.onProgress?.({ phase: "search", done: p.documents, total: count }),
        });
        return { hits, seconds: { queries: (t1 - t0) / 1000, search: (now() - t1) / 1000 } };
      } finally {
        await searcher.close();
        await encoder.close();
      }
    },
    openLatency: async () => {
      const threads = LATENCY_PROTOCOL.intraOpThreads;
      const encoder = await loadEncoder(r.query, threads);
      const searcher = await searcherOf(options.searcher ?? "ort", threads);
      const docs: IdEmbeddings = await store.readAll();
      return {
        search: async (text, k) => {
          const t0 = now();
          const ids = encoder.tokenizeQueries([text]);
          const t1 = now();
          const m = await encoder.tokenEncoder.encodeQueries(ids, { batchSize: 1 });
          const t2 = now();
          const [found] = await searchBlocks(
            searcher,
            {
              ids: ["q"],
              dims: m.dims,
              vectors: m.vectors,
            },
            [docs],
            { k },
          );
          const t3 = now();
          return {
            hits: [...found!.hits],
            times: { tokenize: t1 - t0, query: t2 - t0, search: t3 - t2, total: t3 - t0 },
          };
        },
        close: async () => {
          await searcher.close();
          await encoder.close();
        },
      };
    },
    close: () => Promise.resolve(),
  };
}

function reorder(hits: readonly Hit[], scores: Float32Array): Hit[] {
  return hits.map((h, i) => ({ docId: h.docId, score: scores[i]! })).sort(compareRanked);
}

async function openRerank(
  r: Extract<Retriever, { kind: "rerank" }>,
  corpus: readonly Document[],
  checksum: string,
  options: SessionOptions,
): Promise<RetrieverSession> {
  const first = await openRetriever(r.first, corpus, checksum, options);
  const byId = new Map(corpus.map((d) => [d.id, d]));
  const docsOf = (hits: readonly Hit[]) => hits.map((h) => byId.get(h.docId)!);
  const openScorer = (intraOpThreads: number | undefined) =>
    loadPairScorer(r.crossEncoder.dir, {
      engine: r.engine ?? "onnx",
      ...(intraOpThreads === undefined ? {} : { session: { intraOpThreads } }),
    });
  const scorer = await openScorer(options.intraOpThreads);
  return {
    index: first.index,
    bm25IndexSeconds: first.bm25IndexSeconds,
    searchAll: async (queries, _k) => {
      const stage = await first.searchAll(queries, r.depth);
      const t = now();
      const text = new Map(queries.map((q) => [q.id, q.text]));
      const hits = [];
      for (const [i, q] of stage.hits.entries()) {
        const scores = await scorer.score(text.get(q.queryId)!, docsOf(q.hits));
        hits.push({ queryId: q.queryId, hits: reorder(q.hits, scores) });
        options.onProgress?.({ phase: "rerank", done: i + 1, total: stage.hits.length });
      }
      return { hits, seconds: { ...stage.seconds, rerank: (now() - t) / 1000 } };
    },
    openLatency: async () => {
      const inner = await first.openLatency();
      // ONNX Runtime with the latency protocol's threads, as the first stage (tfjs: the same model).
      const own = (r.engine ?? "onnx") === "onnx";
      const timed = own ? await openScorer(LATENCY_PROTOCOL.intraOpThreads) : scorer;
      return {
        search: async (text, _k) => {
          const t0 = now();
          const found = await inner.search(text, r.depth);
          const t1 = now();
          const tokens = timed.tokenize(text, docsOf(found.hits));
          const t2 = now();
          const hits = reorder(found.hits, await timed.scoreTokens(tokens));
          const t3 = now();
          return {
            hits,
            times: {
              first: t1 - t0,
              pairTokenize: t2 - t1,
              rerank: t3 - t1,
              total: t3 - t0,
            },
          };
        },
        close: async () => {
          if (own) await timed.close();
          await inner.close();
        },
      };
    },
    close: async () => {
      await scorer.close();
      await first.close();
    },
  };
}
