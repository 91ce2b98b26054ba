/**
 * BM25 scoring and top-k search over a {@linkcode Bm25Index}: the Robertson-Walker term weight
 * with the (k1 + 1) factor (Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25
 * and Beyond", 2009) and Lucene's always-positive idf, each distinct query term counted once:
 * the variant of the SciFact oracle run.
 *
 * @module
 */

import type { Hit } from "../hits.ts";
import { TopKHeap } from "../top_k_heap.ts";
import type { Bm25Index } from "./inverted_index.ts";
import { tokenizeForBm25 } from "./tokenizer.ts";

/** BM25's free parameters. */
export interface Bm25Parameters {
  /** Term-frequency saturation, k1 >= 0. */
  readonly k1: number;
  /** Length normalisation, 0 <= b <= 1. */
  readonly b: number;
}

/** Anserini's BM25 defaults (k1 = 0.9, b = 0.4), used for the BEIR BM25 baselines. */
export const ANSERINI_BM25: Bm25Parameters = { k1: 0.9, b: 0.4 };

/** Check BM25 parameters; a RangeError names the bad one. */
export function checkBm25Parameters(params: Bm25Parameters): void {
  if (!(params.k1 >= 0) || !Number.isFinite(params.k1)) {
    throw new RangeError(`Cannot use BM25 k1 "${params.k1}": expected a finite number >= 0`);
  }
  if (!(params.b >= 0 && params.b <= 1)) {
    throw new RangeError(`Cannot use BM25 b "${params.b}": expected a number in [0, 1]`);
  }
}

/**
 * Lucene's BM25 idf: `log(1 + (N - df + 0.5) / (df + 0.5))` (natural log; always positive,
 * unlike Robertson-Sparck Jones' `log((N - df + 0.5) / (df + 0.5))`).
 */
export function bm25Idf(documentCount: number, documentFrequency: number): number {
  return Math.log(1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/**
 * The BM25 weight of one query term in one document:
 * `idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))` (Lucene >= 8 drops the constant
 * (k1 + 1) factor, which scales every score equally and so changes no ranking).
 */
export function bm25TermWeight(
  idf: number,
  tf: number,
  docLength: number,
  averageLength: number,
  params: Bm25Parameters,
): number {
  const norm = averageLength > 0 ? docLength / averageLength : 0;
  return idf * tf * (params.k1 + 1) / (tf + params.k1 * (1 - params.b + params.b * norm));
}

/** A reusable scorer over one index: one score accumulator of N floats, reused across queries. */
export class Bm25Searcher {
  readonly index: Bm25Index;
  readonly params: Bm25Parameters;
  readonly #scores: Float64Array;
  readonly #touched: Uint8Array;

  /** A searcher with the given parameters (default {@linkcode ANSERINI_BM25}). */
  constructor(index: Bm25Index, params: Bm25Parameters = ANSERINI_BM25) {
    checkBm25Parameters(params);
    this.index = index;
    this.params = params;
    this.#scores = new Float64Array(index.docIds.length);
    this.#touched = new Uint8Array(index.docIds.length);
  }

  /**
   * Scores of the documents sharing a term with `query`, by document number. Each distinct query
   * term counts once (a repeated query word does not weigh more), as in the oracle run.
   */
  scoreQuery(query: string): Map<number, number> {
    const { index, params } = this;
    const scores = this.#scores;
    const touched = this.#touched;
    const list: number[] = [];
    const n = index.docIds.length;
    for (const term of new Set(tokenizeForBm25(query, index.tokenizer))) {
      const postings = index.postings.get(term);
      if (postings === undefined) continue;
      const idf = bm25Idf(n, postings.docs.length);
      const { docs, freqs } = postings;
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i]!;
        scores[d]! += bm25TermWeight(
          idf,
          freqs[i]!,
          index.docLengths[d]!,
          index.averageLength,
          params,
        );
        if (touched[d] === 0) {
          touched[d] = 1;
          list.push(d);
        }
      }
    }
    const out = new Map<number, number>();
    for (const d of list) {
      out.set(d, scores[d]!);
      scores[d] = 0;
      touched[d] = 0;
    }
    return out;
  }

  /**
   * The top `k` documents for `query` in the suite's ranking order (score descending, ties by
   * document id descending). Only documents sharing a term with the query are returned.
   */
  search(query: string, k: number): Hit[] {
    const heap = new TopKHeap(k);
    const ids = this.index.docIds;
    for (const [d, score] of this.scoreQuery(query)) heap.offer(score, ids[d]!);
    return heap.hits();
  }
}
