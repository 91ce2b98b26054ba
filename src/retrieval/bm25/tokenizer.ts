/**
 * The BM25 tokeniser: lowercase, then maximal runs of ASCII letters and digits (`[a-z0-9]+`),
 * optionally minus a stop list. This is the tokenisation of the SciFact BM25 oracle run in
 * shared/data/metric-oracle (see its SOURCE.md).
 *
 * @module
 */

/**
 * Lucene's classic English stop set (`EnglishAnalyzer.ENGLISH_STOP_WORDS_SET`, 33 words), the
 * stop list Anserini's default analyser uses.
 */
export const LUCENE_ENGLISH_STOPWORDS: ReadonlySet<string> = new Set([
  "a",
  "an",
  "and",
  "are",
  "as",
  "at",
  "be",
  "but",
  "by",
  "for",
  "if",
  "in",
  "into",
  "is",
  "it",
  "no",
  "not",
  "of",
  "on",
  "or",
  "such",
  "that",
  "the",
  "their",
  "then",
  "there",
  "these",
  "they",
  "this",
  "to",
  "was",
  "will",
  "with",
]);

/**
 * The tiny stop list of the SciFact BM25 oracle run (shared/data/metric-oracle): its SOURCE.md says
 * only "a tiny stop list", so these 29 words were recovered by fitting the run's scores (with
 * this list, BM25 k1 = 0.9, b = 0.4 reproduces its 280,098 scores with mean absolute error 3e-4;
 * Lucene's 33-word list gives 0.18). It differs from Lucene's: it has "been", "from", "than",
 * "its", "were", "those" and lacks "no", "not", "their", "there", "they", "will", "but", "if".
 */
export const ORACLE_STOPWORDS: ReadonlySet<string> = new Set([
  "a",
  "an",
  "and",
  "are",
  "as",
  "at",
  "be",
  "been",
  "by",
  "for",
  "from",
  "in",
  "into",
  "is",
  "it",
  "its",
  "of",
  "on",
  "or",
  "than",
  "that",
  "the",
  "this",
  "these",
  "those",
  "to",
  "was",
  "were",
  "with",
]);

/** Options of {@linkcode tokenizeForBm25}. */
export interface TokenizerOptions {
  /** Tokens to drop (compared after lowercasing); none by default. */
  readonly stopwords?: ReadonlySet<string>;
}

/** Whether UTF-16 code unit `c` is in `[a-z0-9]`. */
function isTokenChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

/**
 * Split `text` into BM25 terms: `text.toLowerCase()`, then every maximal run of `[a-z0-9]`
 * (anything else, including accented letters, separates tokens), minus `stopwords`.
 *
 * @example
 * ```ts
 * tokenizeForBm25("The IL-6 receptor's role", { stopwords: LUCENE_ENGLISH_STOPWORDS });
 * // ["il", "6", "receptor", "s", "role"]
 * ```
 */
export function tokenizeForBm25(text: string, options: TokenizerOptions = {}): string[] {
  const lower = text.toLowerCase();
  const stop = options.stopwords;
  const tokens: string[] = [];
  let start = -1;
  const n = lower.length;
  for (let i = 0; i <= n; i++) {
    if (i < n && isTokenChar(lower.charCodeAt(i))) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      const token = lower.slice(start, i);
      if (stop === undefined || !stop.has(token)) tokens.push(token);
      start = -1;
    }
  }
  return tokens;
}
