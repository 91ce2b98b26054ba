/**
 * A bounded heap that keeps the k best (score, document id) pairs in the suite's ranking order:
 * score descending, ties by document id descending (trec_eval's `comp_sim_docno`, as
 * `compareRanked` in src/eval/ranking_order.ts).
 *
 * @module
 */

import { compareRanked } from "../eval/mod.ts";
import type { Hit } from "./hits.ts";

/** Whether (sa, da) ranks below (sb, db): lower score, or equal score and smaller id. */
function ranksBelow(sa: number, da: string, sb: number, db: string): boolean {
  return sa < sb || (sa === sb && da < db);
}

/** The k best hits seen so far; the root of the heap is the worst kept hit. */
export class TopKHeap {
  readonly k: number;
  #scores: number[] = [];
  #ids: string[] = [];

  /** A heap keeping at most `k` hits (`k` >= 1). */
  constructor(k: number) {
    if (!Number.isInteger(k) || k < 1) {
      throw new RangeError(`Cannot keep the top ${k} hits: expected an integer k >= 1`);
    }
    this.k = k;
  }

  /** Number of hits kept (at most k). */
  get size(): number {
    return this.#scores.length;
  }

  /**
   * A score below which no hit can enter: the worst kept score once k hits are kept, else
   * -Infinity. A hit with exactly this score may still enter if its id is larger.
   */
  get floor(): number {
    return this.#scores.length < this.k ? -Infinity : this.#scores[0]!;
  }

  /** Offer a hit; returns whether it was kept. NaN scores are never kept. */
  offer(score: number, docId: string): boolean {
    if (Number.isNaN(score)) return false;
    const scores = this.#scores;
    const ids = this.#ids;
    if (scores.length < this.k) {
      scores.push(score);
      ids.push(docId);
      this.#siftUp(scores.length - 1);
      return true;
    }
    if (!ranksBelow(scores[0]!, ids[0]!, score, docId)) return false;
    scores[0] = score;
    ids[0] = docId;
    this.#siftDown(0);
    return true;
  }

  /** The kept hits, best first. */
  hits(): Hit[] {
    const out: Hit[] = this.#scores.map((score, i) => ({ docId: this.#ids[i]!, score }));
    return out.sort(compareRanked);
  }

  #swap(i: number, j: number): void {
    const s = this.#scores[i]!;
    this.#scores[i] = this.#scores[j]!;
    this.#scores[j] = s;
    const d = this.#ids[i]!;
    this.#ids[i] = this.#ids[j]!;
    this.#ids[j] = d;
  }

  #below(i: number, j: number): boolean {
    return ranksBelow(this.#scores[i]!, this.#ids[i]!, this.#scores[j]!, this.#ids[j]!);
  }

  #siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#below(i, parent)) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #siftDown(i: number): void {
    const n = this.#scores.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) return;
      const right = left + 1;
      const child = right < n && this.#below(right, left) ? right : left;
      if (!this.#below(child, i)) return;
      this.#swap(i, child);
      i = child;
    }
  }
}
