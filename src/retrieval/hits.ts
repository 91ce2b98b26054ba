/**
 * Retrieval results as readonly records: the ranked hits of each query, in the suite's one ranking
 * order (score descending, ties by document id descending).
 *
 * @module
 */

/** One retrieved document and its score. */
export interface Hit {
  readonly docId: string;
  readonly score: number;
}

/** The top hits of one query, best first (order of `compareRanked` in src/eval/ranking_order.ts). */
export interface QueryHits {
  readonly queryId: string;
  readonly hits: readonly Hit[];
}
