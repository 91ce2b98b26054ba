/**
 * Word tokens, stop words and smoothed inverse document frequencies for the salient-term query
 * generator.
 *
 * @module
 */

import type { Document } from "../data/mod.ts";

/** A word of a document: its lowercased form, its index among the words, its sentence. */
export interface WordToken {
  readonly word: string;
  readonly position: number;
  /** Index of the sentence (or clause) holding the word: `.`, `!`, `?`, `;` start a new one. */
  readonly sentence: number;
}

/** True when `text[from, to)` holds `.`, `!`, `?` or `;`. */
function hasBoundary(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e || c === 0x21 || c === 0x3f || c === 0x3b) return true;
  }
  return false;
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

/**
 * The words of `text`, lowercased: maximal runs of letters and digits (an inner apostrophe
 * followed by letters stays in the word, so "don't" is one word), each with its sentence index.
 */
export function wordTokens(text: string): WordToken[] {
  const lower = text.toLowerCase();
  const out: WordToken[] = [];
  let sentence = 0;
  let end = 0;
  for (const match of lower.matchAll(WORD)) {
    if (out.length > 0 && hasBoundary(lower, end, match.index)) sentence++;
    out.push({ word: match[0], position: out.length, sentence });
    end = match.index + match[0].length;
  }
  return out;
}

/** The text a generator reads from a document: the title (if any), then the text. */
export function documentText(document: Document, includeTitle: boolean): string {
  return includeTitle && document.title !== ""
    ? `${document.title}. ${document.text}`
    : document.text;
}

/**
 * English function words never sampled as salient terms (they may still appear inside a kept
 * span). A short list in the spirit of the SMART / scikit-learn English stop lists.
 */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "a about above after again against all also am an and any are as at be because been before " +
    "being below between both but by can could did do does doing down during each either every " +
    "few for from further had has have having he her here hers herself him himself his how i if " +
    "in into is it its itself just me more most my myself no nor not of off on once one only or " +
    "other our ours ourselves out over own same she should so some such than that the their " +
    "theirs them themselves then there these they this those through to too under until up upon " +
    "us very was we were what when where which while who whom why will with within without " +
    "would you your yours yourself yourselves"
  ).split(" "),
);

/**
 * Smoothed inverse document frequencies over a corpus: idf(t) = ln((1 + N) / (1 + df(t))) + 1,
 * the `smooth_idf=True` form of scikit-learn's `TfidfTransformer`, so every term gets a positive
 * weight and a term in every document still gets 1.
 */
export class IdfTable {
  readonly #index: ReadonlyMap<string, number>;
  readonly #df: readonly number[];
  /** Number of documents counted. */
  readonly documents: number;

  private constructor(index: Map<string, number>, df: number[], documents: number) {
    this.#index = index;
    this.#df = df;
    this.documents = documents;
  }

  /** Count document frequencies of the words of each text. */
  static fromTexts(texts: Iterable<string>): IdfTable {
    const index = new Map<string, number>();
    const df: number[] = [];
    const lastDocument: number[] = [];
    let n = 0;
    for (const text of texts) {
      for (const word of text.toLowerCase().match(WORD) ?? []) {
        const k = index.get(word);
        if (k === undefined) {
          index.set(word, df.length);
          df.push(1);
          lastDocument.push(n);
        } else if (lastDocument[k] !== n) {
          df[k]!++;
          lastDocument[k] = n;
        }
      }
      n++;
    }
    return new IdfTable(index, df, n);
  }

  /** Documents containing `word`. */
  df(word: string): number {
    const k = this.#index.get(word);
    return k === undefined ? 0 : this.#df[k]!;
  }

  /** Smoothed idf of `word` (a word absent from the corpus gets the largest value). */
  idf(word: string): number {
    return Math.log((1 + this.documents) / (1 + this.df(word))) + 1;
  }
}
