/**
 * Building a small WordPiece vocabulary from a corpus (for synthetic data): special tokens, every
 * character, then the most useful whole words, word prefixes and `##` suffix pieces.
 *
 * @module
 */

import {
  type BertNormalizerOptions,
  normalizeBert,
  UNCASED_NORMALIZER,
} from "./bert_normalizer.ts";
import { forEachBertWord } from "./bert_pre_tokenizer.ts";
import { BERT_SPECIAL_TOKENS } from "./tokenizer_config.ts";
import { type Vocab, vocabFromTokens } from "./vocab.ts";

/** Options of {@linkcode buildWordPieceVocab}. */
export interface VocabBuildOptions {
  /** Target number of tokens (exactly this many unless the corpus runs out of words and pieces). */
  readonly size: number;
  /** Normaliser applied before splitting into words (default: uncased BERT). */
  readonly normalizer?: BertNormalizerOptions;
  /** Longest multi-character piece, in code points (default 12). */
  readonly maxPieceLength?: number;
  /** Pieces seen fewer times are not added (default 2). Single characters are always added. */
  readonly minFrequency?: number;
  /** Share of the slots left after specials and characters given to whole words (default 0.75). */
  readonly wordShare?: number;
  /** Continuation prefix (default `##`). */
  readonly continuingSubwordPrefix?: string;
}

/**
 * The special tokens a built vocabulary starts with, at these ids: `[PAD]` 0, `[UNK]` 1,
 * `[CLS]` 2, `[SEP]` 3, `[MASK]` 4.
 */
export const BUILT_VOCAB_SPECIALS: readonly string[] = [
  BERT_SPECIAL_TOKENS.pad,
  BERT_SPECIAL_TOKENS.unk,
  BERT_SPECIAL_TOKENS.cls,
  BERT_SPECIAL_TOKENS.sep,
  BERT_SPECIAL_TOKENS.mask,
];

function byCountThenText(counts: ReadonlyMap<string, number>): string[] {
  return [...counts.keys()].sort((a, b) => {
    const d = (counts.get(b) as number) - (counts.get(a) as number);
    return d !== 0 ? d : a < b ? -1 : a > b ? 1 : 0;
  });
}

function add(counts: Map<string, number>, key: string, n: number): void {
  counts.set(key, (counts.get(key) ?? 0) + n);
}

/**
 * Build a WordPiece vocabulary of `size` tokens from texts, deterministically:
 * 1. the five special tokens ({@linkcode BUILT_VOCAB_SPECIALS});
 * 2. every character seen at the start of a word, then every character seen inside a word as
 *    `##c` (each by frequency), so every word of the corpus can be encoded without `[UNK]`;
 * 3. whole words of 2 or more code points seen at least `minFrequency` times, most frequent first,
 *    filling up to `wordShare` (default 0.75) of the remaining slots;
 * 4. the rest goes to pieces of the words not taken whole: prefixes and `##` suffixes of 2 to
 *    `maxPieceLength` code points, ranked by `frequency x (length - 1)` (characters saved over
 *    spelling the piece out), seen at least `minFrequency` times.
 * Ties break by frequency, then by code-unit order of the token. Throws a RangeError when `size`
 * cannot hold the special tokens and characters.
 */
export function buildWordPieceVocab(texts: Iterable<string>, options: VocabBuildOptions): Vocab {
  const normalizer = options.normalizer ?? UNCASED_NORMALIZER;
  const maxLen = options.maxPieceLength ?? 12;
  const minFrequency = options.minFrequency ?? 2;
  const wordShare = options.wordShare ?? 0.75;
  const prefix = options.continuingSubwordPrefix ?? "##";
  const words = new Map<string, number>();
  for (const text of texts) {
    forEachBertWord(normalizeBert(text, normalizer), (w) => add(words, w, 1));
  }
  const startChars = new Map<string, number>();
  const innerChars = new Map<string, number>();
  for (const [word, count] of words) {
    const chars = [...word];
    add(startChars, chars[0] as string, count);
    for (let i = 1; i < chars.length; i++) add(innerChars, prefix + chars[i], count);
  }
  const tokens = [...BUILT_VOCAB_SPECIALS];
  const seen = new Set(tokens);
  const push = (t: string): void => {
    if (!seen.has(t)) {
      tokens.push(t);
      seen.add(t);
    }
  };
  for (const t of byCountThenText(startChars)) push(t);
  for (const t of byCountThenText(innerChars)) push(t);
  if (!Number.isInteger(options.size) || tokens.length > options.size) {
    throw new RangeError(
      `Cannot build a vocabulary of ${options.size} tokens: the specials and characters of the corpus need ${tokens.length}`,
    );
  }
  if (!(wordShare >= 0 && wordShare <= 1)) {
    throw new RangeError(
      `Cannot build a vocabulary: wordShare must be in [0, 1], found ${wordShare}`,
    );
  }
  const wordSlots = tokens.length + Math.floor((options.size - tokens.length) * wordShare);
  const frequentWords = new Map([...words].filter(([w, c]) => c >= minFrequency && w.length > 1));
  for (const w of byCountThenText(frequentWords)) {
    if (tokens.length >= wordSlots) break;
    push(w);
  }
  const pieces = new Map<string, number>();
  for (const [word, count] of words) {
    if (seen.has(word)) continue;
    const chars = [...word];
    const n = chars.length;
    for (let len = 2; len < n && len <= maxLen; len++) {
      add(pieces, chars.slice(0, len).join(""), count);
      add(pieces, prefix + chars.slice(n - len).join(""), count);
    }
  }
  const scored = [...pieces].filter(([t, c]) => c >= minFrequency && !seen.has(t))
    .map(([t, c]) => ({
      t,
      c,
      score: c * ([...t].length - (t.startsWith(prefix) ? prefix.length : 0) - 1),
    }))
    .sort((a, b) => b.score - a.score || b.c - a.c || (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
  for (const { t } of scored) {
    if (tokens.length >= options.size) break;
    push(t);
  }
  return vocabFromTokens(tokens);
}
