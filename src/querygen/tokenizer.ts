/**
 * The tokenizer a seq2seq query generator needs ({encode, decode} and a stable id), with two
 * implementations: the suite's WordPiece tokenizer, and a whitespace tokenizer over a vocabulary
 * the user gives.
 *
 * @module
 */

import type { WordPieceTokenizer } from "../text/mod.ts";
import { checkInteger } from "./generator.ts";
import { canonicalJson, sha256Text } from "../io/mod.ts";

/**
 * Text <-> token ids for a seq2seq model. Bring your own for BART's byte-level BPE or T5's
 * SentencePiece (e.g. a wrapper over a Hugging Face tokenizer) by implementing these three members.
 */
export interface QueryTokenizer {
  /** Stable name of the tokenizer and its vocabulary; part of the generator's config hash. */
  readonly id: string;
  /**
   * Model input ids of `text`, with whatever special tokens the encoder expects (e.g. BART's
   * `<s> ... </s>`), at most `maxLength` of them (the tokenizer decides how to truncate).
   */
  encode(text: string, maxLength: number): readonly number[];
  /** Text of generated ids; special tokens are dropped. */
  decode(ids: readonly number[]): string;
}

/**
 * A {@linkcode QueryTokenizer} over the suite's WordPiece tokenizer: `[CLS] ... [SEP]` inputs
 * truncated to `maxLength` (the `[SEP]` kept), WordPiece-joined output without special tokens.
 */
export function wordPieceQueryTokenizer(tokenizer: WordPieceTokenizer): QueryTokenizer {
  const { vocab, ...rest } = tokenizer.config;
  const id = `wordpiece:${sha256Text(canonicalJson({ ...rest, tokens: vocab.tokens }))}`;
  return {
    id,
    encode: (text, maxLength) => tokenizer.encode(text, { maxLength }).ids,
    decode: (ids) => tokenizer.decode(ids),
  };
}

/** Special tokens of {@linkcode vocabQueryTokenizer}; each must be in the vocabulary. */
export interface VocabTokenizerOptions {
  /** Token for words not in the vocabulary. */
  readonly unk: string;
  /** Token put before every input, if any (BART's `<s>`). */
  readonly bos?: string;
  /** Token put after every input, if any (BART's and T5's `</s>`). */
  readonly eos?: string;
  /** Padding token, dropped when decoding. */
  readonly pad?: string;
  /** Lowercase the text before looking words up (default true). */
  readonly lowercase?: boolean;
}

/**
 * A whitespace tokenizer over a user-given vocabulary (`tokens[id]`): each whitespace-separated
 * word is one token (unknown words map to `unk`), wrapped in the optional `bos` / `eos`; input
 * longer than `maxLength` keeps its first words and the wrapping tokens. Decoding joins tokens
 * with spaces and drops `bos`, `eos` and `pad`.
 */
export function vocabQueryTokenizer(
  tokens: readonly string[],
  options: VocabTokenizerOptions,
): QueryTokenizer {
  const ids = new Map<string, number>();
  tokens.forEach((t, i) => ids.set(t, i));
  const lookup = (name: string, token: string | undefined): number | undefined => {
    if (token === undefined) return undefined;
    const found = ids.get(token);
    if (found === undefined) {
      throw new TypeError(
        `Cannot build a vocabulary tokenizer: the ${name} token "${token}" is not in the vocabulary of ${tokens.length} tokens`,
      );
    }
    return found;
  };
  const unk = lookup("unk", options.unk)!;
  const bos = lookup("bos", options.bos);
  const eos = lookup("eos", options.eos);
  const pad = lookup("pad", options.pad);
  const lowercase = options.lowercase ?? true;
  const wrap = (bos === undefined ? 0 : 1) + (eos === undefined ? 0 : 1);
  const dropped = new Set([bos, eos, pad].filter((x) => x !== undefined));
  const id = `vocab:${sha256Text(canonicalJson({ tokens, ...options, lowercase }))}`;
  return {
    id,
    encode(text, maxLength) {
      checkInteger(maxLength, wrap + 1, "tokenizer maxLength");
      const words = (lowercase ? text.toLowerCase() : text).split(/\s+/).filter((w) => w !== "");
      const body = words.slice(0, maxLength - wrap).map((w) => ids.get(w) ?? unk);
      return [...(bos === undefined ? [] : [bos]), ...body, ...(eos === undefined ? [] : [eos])];
    },
    decode(out) {
      return out.filter((i) => !dropped.has(i)).map((i) => {
        const t = tokens[i];
        if (t === undefined) {
          throw new RangeError(`Cannot decode id ${i}: the vocabulary has ${tokens.length} tokens`);
        }
        return t;
      }).join(" ");
    },
  };
}
