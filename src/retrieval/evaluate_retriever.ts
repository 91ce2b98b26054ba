/**
 * `evaluateRetriever`: encode the corpus (cached), search every query of a split exactly, write
 * the TREC run, score it with src/eval, and measure throughput and query latency (EXPERIMENTS.md
 * protocol) — one call from a `Retriever` and a loaded split to everything a report needs.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { cacheHome, type LoadedSplit, type SplitSource } from "../data/mod.ts";
import {
  evaluate,
  type Measure,
  type MeasureResult,
  parseMeasure,
  type Run,
  runFromRankings,
  writeRun,
} from "../eval/mod.ts";
import { LATENCY_PROTOCOL, type LatencyMeasurement, measureLatency } from "./latency.ts";
import type { Retriever } from "./retriever.ts";
import {
  type IndexReport,
  openRetriever,
  type RetrievalProgress,
  type RetrieverSession,
} from "./retriever_session.ts";

export type { IndexReport, RetrievalProgress } from "./retriever_session.ts";

/** Options of {@linkcode evaluateRetriever}. */
export interface EvaluateRetrieverOptions {
  /** Write the run here (TREC format, atomically); no file when omitted. */
  readonly runPath?: string;
  /** Run tag (default "embeddistill"). */
  readonly tag?: string;
  /** Documents kept per query (default 1000; a re-ranker keeps its depth). */
  readonly k?: number;
  /** Cache root (default `$EMBEDDISTILL_HOME`); document indexes go to its artifacts/. */
  readonly home?: string;
  /** ONNX Runtime intra-op threads of corpus encoding and batched search (default: the engine's). */
  readonly intraOpThreads?: number;
  /** Sequences per encoder run (default 32). */
  readonly batchSize?: number;
  /** Exact search engine: ONNX Runtime (default) or plain TS. */
  readonly searcher?: "ort" | "ts";
  /**
   * Latency protocol (default 20 warm-up, then min(500, |queries|) queries, batch 1, one
   * intra-op thread); `false` skips it.
   */
  readonly latency?: { readonly warmup?: number; readonly maxQueries?: number } | false;
  readonly onProgress?: (progress: RetrievalProgress) => void;
}

/** Query latency of the protocol: per stage p50/p95/mean in ms. */
export interface LatencyReport extends LatencyMeasurement {
  readonly batch: 1;
  /** ONNX Runtime intra-op threads of the timed sessions. */
  readonly intraOpThreads: 1;
}

/** Wall seconds per phase. */
export interface RetrievalTimings {
  /** Building the BM25 index (null for dense retrievers). */
  readonly bm25Index: number | null;
  /** Seconds per phase of the batched run: `queries` (encoding), `search`, `rerank`. */
  readonly phases: Readonly<Record<string, number>>;
  readonly latency: LatencyReport | null;
}

/** Everything {@linkcode evaluateRetriever} measured. */
export interface RetrieverEvaluation {
  readonly retriever: Retriever;
  readonly split: {
    readonly source: SplitSource;
    readonly split: string;
    readonly checksum: string;
    readonly documents: number;
    readonly queries: number;
  };
  readonly k: number;
  /** Per measure: per-query values and the mean (src/eval's results). */
  readonly results: readonly MeasureResult[];
  /** Mean of each measure by canonical name. */
  readonly aggregates: Readonly<Record<string, number>>;
  readonly run: Run;
  readonly runPath: string | null;
  /** The searched document index (null for BM25): size, whether cached, documents per second. */
  readonly index: IndexReport | null;
  readonly timings: RetrievalTimings;
}

async function writeRunAtomic(path: string, run: Run, tag: string | undefined): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${crypto.randomUUID().slice(0, 8)}.run.tmp`);
  try {
    await writeRun(temp, run, tag === undefined ? {} : { tag });
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

/**
 * Evaluate `retriever` on `split`: its corpus encoded into an embedding store cached by the
 * document encoder's hash and `split.checksum`, exact top-k in the suite's order (score
 * descending, ties by document id descending), the run written to `runPath`, the measures computed
 * by src/eval, and timings: documents encoded per second, batched phases, and query latency.
 *
 * @example
 * ```ts
 * const split = await loadSplit(await resolveSplitSource("synthetic-msmarco/tiny"), "test");
 * const retriever = await modelRetriever("models/student");
 * const result = await evaluateRetriever(retriever, split, ["nDCG@10", "RR@10"], {
 *   runPath: "results/student.trec",
 * });
 * result.aggregates["nDCG@10"]; result.timings.latency?.stages.query?.p50Ms;
 * ```
 */
export async function evaluateRetriever(
  retriever: Retriever,
  split: LoadedSplit,
  measures: readonly (Measure | string)[],
  options: EvaluateRetrieverOptions = {},
): Promise<RetrieverEvaluation> {
  const parsed = measures.map((m) => typeof m === "string" ? parseMeasure(m) : m);
  if (parsed.length === 0) throw new RangeError("Cannot evaluate a retriever: no measures given");
  const k = retriever.kind === "rerank" ? retriever.depth : options.k ?? 1000;
  if (!Number.isInteger(k) || k < 1) {
    throw new RangeError(`Cannot evaluate a retriever with k ${k}: expected an integer >= 1`);
  }
  const session: RetrieverSession = await openRetriever(retriever, split.corpus, split.checksum, {
    artifacts: join(cacheHome(options.home), "artifacts"),
    ...(options.intraOpThreads === undefined ? {} : { intraOpThreads: options.intraOpThreads }),
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.searcher === undefined ? {} : { searcher: options.searcher }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  try {
    const { hits, seconds } = await session.searchAll(split.queries, k);
    const run = runFromRankings(hits.map((q) => [q.queryId, q.hits] as const));
    if (options.runPath !== undefined) await writeRunAtomic(options.runPath, run, options.tag);
    const results = evaluate(split.qrels, run, parsed);
    let latency: LatencyReport | null = null;
    if (options.latency !== false && split.queries.length > 0) {
      const searcher = await session.openLatency();
      try {
        const measured = await measureLatency(
          split.queries.map((q) => q.text),
          async (text) => (await searcher.search(text, k)).times,
          {
            ...(options.latency?.warmup === undefined ? {} : { warmup: options.latency.warmup }),
            ...(options.latency?.maxQueries === undefined
              ? {}
              : { maxQueries: options.latency.maxQueries }),
            onProgress: (done, total) => options.onProgress?.({ phase: "latency", done, total }),
          },
        );
        latency = {
          ...measured,
          batch: LATENCY_PROTOCOL.batch,
          intraOpThreads: LATENCY_PROTOCOL.intraOpThreads,
        };
      } finally {
        await searcher.close();
      }
    }
    return {
      retriever,
      split: {
        source: split.source,
        split: split.split,
        checksum: split.checksum,
        documents: split.corpus.length,
        queries: split.queries.length,
      },
      k,
      results,
      aggregates: Object.fromEntries(results.map((r) => [r.name, r.mean])),
      run,
      runPath: options.runPath ?? null,
      index: session.index,
      timings: { bm25Index: session.bm25IndexSeconds, phases: seconds, latency },
    };
  } finally {
    await session.close();
  }
}
