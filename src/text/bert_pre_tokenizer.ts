/**
 * BERT pre-tokenisation (HF `tokenizers` `BertPreTokenizer`): split on whitespace, isolate each
 * punctuation character.
 *
 * @module
 */

const WORD = 1;
const SPACE = 2;
const PUNCT = 3;

// Lazily filled class of each BMP code unit (0 = not yet classified).
const bmpClass = new Uint8Array(0x10000);
const PUNCTUATION = /^\p{P}$/u;

/**
 * Whether a code point is whitespace for the pre-tokeniser: Rust `char::is_whitespace` (the
 * Unicode `White_Space` property), which includes tab, LF, CR.
 */
export function isBertWhitespace(cp: number): boolean {
  return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp === 0x85 || cp === 0xa0 ||
    cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 ||
    cp === 0x202f || cp === 0x205f || cp === 0x3000;
}

/**
 * Whether a code point is punctuation as BERT defines it: every ASCII non-alphanumeric printable
 * symbol (33-47, 58-64, 91-96, 123-126, e.g. `$`, `+`, `^`, `` ` ``) plus the Unicode `P*`
 * categories (Google BERT `_is_punctuation`; HF `is_bert_punc`).
 */
export function isBertPunctuation(cp: number): boolean {
  if (cp < 128) {
    return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) ||
      (cp >= 123 && cp <= 126);
  }
  return PUNCTUATION.test(String.fromCodePoint(cp));
}

function classify(cp: number): number {
  if (isBertWhitespace(cp)) return SPACE;
  return isBertPunctuation(cp) ? PUNCT : WORD;
}

/**
 * Call `onWord` with each word of (already normalised) text, in order: maximal runs of characters
 * that are neither whitespace nor punctuation, and each punctuation character on its own.
 */
export function forEachBertWord(text: string, onWord: (word: string) => void): void {
  const n = text.length;
  let start = -1;
  for (let i = 0; i < n; i++) {
    const unit = text.charCodeAt(i);
    let cls: number;
    let width = 1;
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < n) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        width = 2;
        cls = classify(((unit - 0xd800) << 10) + (low - 0xdc00) + 0x10000);
      } else {
        cls = WORD;
      }
    } else {
      cls = bmpClass[unit] as number;
      if (cls === 0) bmpClass[unit] = cls = classify(unit);
    }
    if (cls === WORD) {
      if (start < 0) start = i;
    } else {
      if (start >= 0) {
        onWord(text.slice(start, i));
        start = -1;
      }
      if (cls === PUNCT) onWord(text.slice(i, i + width));
    }
    i += width - 1;
  }
  if (start >= 0) onWord(text.slice(start));
}

/**
 * Split normalised text into BERT words (whitespace removed, punctuation isolated).
 *
 * @example
 * ```ts
 * preTokenizeBert("hello, world!"); // ["hello", ",", "world", "!"]
 * ```
 */
export function preTokenizeBert(text: string): string[] {
  const words: string[] = [];
  forEachBertWord(text, (w) => words.push(w));
  return words;
}
