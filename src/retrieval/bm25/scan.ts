/**
 * Reference BM25 without an index: every document is tokenised and scored for every query. Slow
 * on purpose; it is the baseline of bench/bm25_bench.ts and the independent check of the
 * inverted-index scorer in its tests.
 *
 * @module
 */

import type { Document } from "../../data/mod.ts";
import { compareRanked } from "../../eval/mod.ts";
import type { Hit } from "../hits.ts";
import { tokenizeForBm25, type TokenizerOptions } from "./tokenizer.ts";
import type { Bm25Parameters } from "./search.ts";

/** A corpus kept as term-count maps, scored by a full scan. */
export class Bm25Scan {
  readonly #ids: string[];
  readonly #counts: Map<string, number>[];
  readonly #lengths: number[];
  readonly #tokenizer: TokenizerOptions;

  /** Tokenise `documents` (`title + " " + text`). */
  constructor(documents: Iterable<Document>, tokenizer: TokenizerOptions = {}) {
    this.#tokenizer = tokenizer;
    this.#ids = [];
    this.#counts = [];
    this.#lengths = [];
    for (const doc of documents) {
      const tokens = tokenizeForBm25(`${doc.title} ${doc.text}`, tokenizer);
      const counts = new Map<string, number>();
      for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
      this.#ids.push(doc.id);
      this.#counts.push(counts);
      this.#lengths.push(tokens.length);
    }
  }

  /**
   * The top `k` documents with a positive score, by scanning all documents: Robertson-Walker
   * weight with (k1 + 1), Lucene idf `ln(1 + (N - df + 0.5) / (df + 0.5))`, distinct query terms.
   */
  search(query: string, k: number, params: Bm25Parameters): Hit[] {
    const n = this.#ids.length;
    const avgdl = this.#lengths.reduce((a, b) => a + b, 0) / n;
    const terms = [...new Set(tokenizeForBm25(query, this.#tokenizer))];
    const idf = terms.map((t) => {
      const df = this.#counts.filter((c) => c.has(t)).length;
      return Math.log(1 + (n - df + 0.5) / (df + 0.5));
    });
    const hits: Hit[] = [];
    for (let d = 0; d < n; d++) {
      let score = 0;
      let matched = false;
      terms.forEach((t, i) => {
        const tf = this.#counts[d]!.get(t) ?? 0;
        if (tf === 0) return;
        matched = true;
        const norm = params.k1 * (1 - params.b + params.b * this.#lengths[d]! / avgdl);
        score += idf[i]! * tf * (params.k1 + 1) / (tf + norm);
      });
      if (matched) hits.push({ docId: this.#ids[d]!, score });
    }
    return hits.sort(compareRanked).slice(0, k);
  }
}
