/**
 * BM25 runs: the top-k documents of every query as an evaluation `Run` (writable in TREC format
 * with the eval layer's `writeRun`), in the suite's ranking order.
 *
 * @module
 */

import type { Query } from "../../data/mod.ts";
import { type Run, runFromRankings } from "../../eval/mod.ts";
import type { Hit } from "../hits.ts";
import type { Bm25Searcher } from "./search.ts";

/** Progress of {@linkcode bm25Run}: queries done out of the total. */
export type Bm25RunProgress = (done: number, total: number) => void;

/** Options of {@linkcode bm25Run}. */
export interface Bm25RunOptions {
  /** Documents kept per query (default 1000, trec_eval's usual depth). */
  readonly k?: number;
  /** Called after each query. */
  readonly onProgress?: Bm25RunProgress;
}

/**
 * Search every query and collect the results as a run. A query sharing no term with the corpus
 * gets no entries (trec_eval then counts it 0 under `-c`).
 *
 * @example
 * ```ts
 * const run = bm25Run(new Bm25Searcher(index), queries, { k: 100 });
 * await writeRun("bm25.run", run, { tag: "bm25" });
 * ```
 */
export function bm25Run(
  searcher: Bm25Searcher,
  queries: readonly Query[],
  options: Bm25RunOptions = {},
): Run {
  const k = options.k ?? 1000;
  const rankings: [string, Hit[]][] = [];
  queries.forEach((query, i) => {
    rankings.push([query.id, searcher.search(query.text, k)]);
    options.onProgress?.(i + 1, queries.length);
  });
  return runFromRankings(rankings);
}
