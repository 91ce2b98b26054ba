/**
 * The WordPiece model: greedy longest-match-first split of one word into vocabulary pieces
 * (Google BERT `WordpieceTokenizer`; HF `tokenizers` `models::wordpiece`).
 *
 * @module
 */

import type { Vocab } from "./vocab.ts";

/** How a word is split into pieces: unknown token, continuation prefix, word length limit. */
export interface WordPieceModelOptions {
  /** Token for a word that cannot be split into pieces (BERT: `[UNK]`). */
  readonly unkToken: string;
  /** Prefix of pieces that continue a word (BERT: `##`). */
  readonly continuingSubwordPrefix: string;
  /** Words longer than this many code points become the unknown token (BERT: 100). */
  readonly maxInputCharsPerWord: number;
}

const CACHE_LIMIT = 200_000;

function isSurrogatePairAt(word: string, end: number): boolean {
  // True when `end` falls between a high and a low surrogate (a cut there would split a code point).
  const low = word.charCodeAt(end);
  const high = word.charCodeAt(end - 1);
  return low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff;
}

function codePointCount(word: string): number {
  let n = 0;
  for (const _ of word) n++;
  return n;
}

/**
 * WordPiece over a vocabulary. Splits are cached per word (bounded; the cache is cleared when it
 * reaches 200k words), so repeated words cost one map lookup.
 */
export class WordPiece {
  /** The vocabulary the pieces come from. */
  readonly vocab: Vocab;
  /** The id of the unknown token. */
  readonly unkId: number;
  readonly #ids: ReadonlyMap<string, number>;
  readonly #prefix: string;
  readonly #maxChars: number;
  readonly #maxPieceUnits: number;
  readonly #cache = new Map<string, readonly number[]>();

  /** Throws a RangeError when the unknown token is not in the vocabulary. */
  constructor(vocab: Vocab, options: WordPieceModelOptions) {
    const unkId = vocab.ids.get(options.unkToken);
    if (unkId === undefined) {
      throw new RangeError(
        `Cannot build WordPiece model: unknown token "${options.unkToken}" is not in the vocabulary of ${vocab.tokens.length} tokens`,
      );
    }
    if (!Number.isInteger(options.maxInputCharsPerWord) || options.maxInputCharsPerWord < 1) {
      throw new RangeError(
        `Cannot build WordPiece model: maxInputCharsPerWord must be a positive integer, found ${options.maxInputCharsPerWord}`,
      );
    }
    this.vocab = vocab;
    this.unkId = unkId;
    this.#ids = vocab.ids;
    this.#prefix = options.continuingSubwordPrefix;
    this.#maxChars = options.maxInputCharsPerWord;
    let longest = 1;
    for (const token of vocab.tokens) longest = Math.max(longest, token.length);
    this.#maxPieceUnits = longest;
  }

  /** Append the piece ids of one pre-tokenised word to `out`. */
  encodeWord(word: string, out: number[]): void {
    let pieces = this.#cache.get(word);
    if (pieces === undefined) {
      pieces = this.#split(word);
      if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
      this.#cache.set(word, pieces);
    }
    for (let i = 0; i < pieces.length; i++) out.push(pieces[i] as number);
  }

  /** The piece ids of one word (uncached). */
  #split(word: string): readonly number[] {
    const n = word.length;
    if (n > this.#maxChars && codePointCount(word) > this.#maxChars) return [this.unkId];
    const ids = this.#ids;
    const pieces: number[] = [];
    let start = 0;
    while (start < n) {
      let end = Math.min(n, start + this.#maxPieceUnits);
      if (end < n && isSurrogatePairAt(word, end)) end--;
      let found = -1;
      while (end > start) {
        const sub = start === 0 ? word.slice(0, end) : this.#prefix + word.slice(start, end);
        const id = ids.get(sub);
        if (id !== undefined) {
          found = id;
          break;
        }
        end--;
        if (end > start && isSurrogatePairAt(word, end)) end--;
      }
      if (found < 0) return [this.unkId];
      pieces.push(found);
      start = end;
    }
    return pieces;
  }
}
