/**
 * The BERT WordPiece tokenizer: text to ids (single sequences and `[CLS] a [SEP] b [SEP]` pairs)
 * with truncation, padding and batching.
 *
 * @module
 */

import { type EncodedBatch, type Encoding, padBatch, type Padding } from "./batch.ts";
import { normalizeBert } from "./bert_normalizer.ts";
import { forEachBertWord } from "./bert_pre_tokenizer.ts";
import type { TokenizerConfig } from "./tokenizer_config.ts";
import { pairTruncationLengths, type TruncationStrategy } from "./truncation.ts";
import type { Vocab } from "./vocab.ts";
import { WordPiece } from "./wordpiece.ts";

/** Options of {@linkcode WordPieceTokenizer.encode}. */
export interface EncodeOptions {
  /** Wrap in `[CLS] ... [SEP]` (default true). */
  readonly addSpecialTokens?: boolean;
  /** Maximum length including special tokens; extra tokens are cut from the end. */
  readonly maxLength?: number;
}

/** Options of {@linkcode WordPieceTokenizer.encodePair}. */
export interface PairEncodeOptions {
  /** Maximum total length including the three special tokens. */
  readonly maxLength?: number;
  /** How the total budget is shared (default `longest_first`, as in HF). */
  readonly strategy?: TruncationStrategy;
  /** Maximum tokens of the first sequence alone (special tokens excluded), applied first. */
  readonly firstMaxLength?: number;
  /** Maximum tokens of the second sequence alone (special tokens excluded), applied first. */
  readonly secondMaxLength?: number;
}

/** Padding of a batch; default `{ kind: "longest" }`. With fixed padding, `maxLength` defaults to it. */
export interface BatchOptions {
  readonly padding?: Padding;
}

function checkLength(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`Cannot encode: ${name} must be an integer >= ${min}, found ${value}`);
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * A BERT WordPiece tokenizer (HF `BertTokenizerFast` behaviour: `BertNormalizer`,
 * `BertPreTokenizer`, `WordPiece`, BERT template post-processing).
 *
 * @example
 * ```ts
 * const tok = await loadBertBaseUncased();
 * tok.encode("hello world").ids; // [101, 7592, 2088, 102]
 * ```
 */
export class WordPieceTokenizer {
  /** The description this tokenizer was built from. */
  readonly config: TokenizerConfig;
  /** Id of the padding token (`[PAD]`, 0 in BERT). */
  readonly padId: number;
  /** Id of the unknown token (`[UNK]`, 100 in bert-base-uncased). */
  readonly unkId: number;
  /** Id of the classification token that opens every sequence (`[CLS]`, 101). */
  readonly clsId: number;
  /** Id of the separator token that closes each segment (`[SEP]`, 102). */
  readonly sepId: number;
  /** Id of the mask token, or undefined when the vocabulary has none. */
  readonly maskId: number | undefined;
  readonly #model: WordPiece;
  readonly #added: RegExp | undefined;

  /** Throws a RangeError when a required special token (pad, unk, cls, sep) is not in the vocabulary. */
  constructor(config: TokenizerConfig) {
    this.config = config;
    this.#model = new WordPiece(config.vocab, config);
    const id = (role: string, token: string): number => {
      const found = config.vocab.ids.get(token);
      if (found === undefined) {
        throw new RangeError(
          `Cannot build tokenizer: ${role} token "${token}" is not in the vocabulary`,
        );
      }
      return found;
    };
    const s = config.specialTokens;
    this.padId = id("pad", s.pad);
    this.unkId = this.#model.unkId;
    this.clsId = id("cls", s.cls);
    this.sepId = id("sep", s.sep);
    this.maskId = config.vocab.ids.get(s.mask);
    for (const t of config.addedTokens) id("added", t);
    const added = [...config.addedTokens].filter((t) => t.length > 0)
      .sort((a, b) => b.length - a.length);
    this.#added = added.length > 0 ? new RegExp(added.map(escapeRegExp).join("|"), "g") : undefined;
  }

  /** The vocabulary. */
  get vocab(): Vocab {
    return this.config.vocab;
  }

  /** Append the WordPiece ids of `text` (no special tokens added) to `out`. */
  appendIds(text: string, out: number[]): void {
    const re = this.#added;
    if (re === undefined) return this.#appendPlain(text, out);
    re.lastIndex = 0;
    let last = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m.index > last) this.#appendPlain(text.slice(last, m.index), out);
      out.push(this.config.vocab.ids.get(m[0]) as number);
      last = m.index + m[0].length;
    }
    if (last === 0) this.#appendPlain(text, out);
    else if (last < text.length) this.#appendPlain(text.slice(last), out);
  }

  #appendPlain(text: string, out: number[]): void {
    const model = this.#model;
    forEachBertWord(normalizeBert(text, this.config.normalizer), (w) => model.encodeWord(w, out));
  }

  /** The WordPiece ids of `text`, without special tokens. */
  tokenIds(text: string): number[] {
    const out: number[] = [];
    this.appendIds(text, out);
    return out;
  }

  /** The WordPiece tokens of `text`, without special tokens (e.g. `["gp", "##u"]` for "GPU"). */
  tokenize(text: string): string[] {
    const tokens = this.config.vocab.tokens;
    return this.tokenIds(text).map((id) => tokens[id] as string);
  }

  /** Encode one sequence: `[CLS] tokens [SEP]`, cut to `maxLength` tokens in total. */
  encode(text: string, options: EncodeOptions = {}): Encoding {
    const special = options.addSpecialTokens ?? true;
    let ids = this.tokenIds(text);
    if (options.maxLength !== undefined) {
      checkLength("maxLength", options.maxLength, special ? 2 : 0);
      const budget = options.maxLength - (special ? 2 : 0);
      if (ids.length > budget) ids = ids.slice(0, budget);
    }
    if (special) ids = [this.clsId, ...ids, this.sepId];
    return { ids, tokenTypeIds: new Array<number>(ids.length).fill(0) };
  }

  /**
   * Encode a pair for a cross-encoder: `[CLS] first [SEP] second [SEP]`, token types 0 up to and
   * including the first `[SEP]`, 1 after. Per-side limits apply first, then the total budget.
   */
  encodePair(first: string, second: string, options: PairEncodeOptions = {}): Encoding {
    let a = this.tokenIds(first);
    let b = this.tokenIds(second);
    if (options.firstMaxLength !== undefined) {
      checkLength("firstMaxLength", options.firstMaxLength, 0);
      a = a.slice(0, options.firstMaxLength);
    }
    if (options.secondMaxLength !== undefined) {
      checkLength("secondMaxLength", options.secondMaxLength, 0);
      b = b.slice(0, options.secondMaxLength);
    }
    if (options.maxLength !== undefined) {
      checkLength("maxLength", options.maxLength, 3);
      const strategy = options.strategy ?? "longest_first";
      const [n1, n2] = pairTruncationLengths(a.length, b.length, options.maxLength - 3, strategy);
      a = a.slice(0, n1);
      b = b.slice(0, n2);
    }
    const ids = [this.clsId, ...a, this.sepId, ...b, this.sepId];
    const tokenTypeIds = new Array<number>(ids.length).fill(0).fill(1, a.length + 2);
    return { ids, tokenTypeIds };
  }

  /** Encode and pad a batch of single sequences. */
  encodeBatch(texts: readonly string[], options: EncodeOptions & BatchOptions = {}): EncodedBatch {
    const padding = options.padding ?? { kind: "longest" };
    const maxLength = options.maxLength ?? (padding.kind === "fixed" ? padding.length : undefined);
    const encodeOptions: EncodeOptions = {
      ...(options.addSpecialTokens === undefined
        ? {}
        : { addSpecialTokens: options.addSpecialTokens }),
      ...(maxLength === undefined ? {} : { maxLength }),
    };
    return padBatch(texts.map((t) => this.encode(t, encodeOptions)), padding, this.padId);
  }

  /** Encode and pad a batch of pairs (`firsts[i]` with `seconds[i]`). */
  encodePairBatch(
    firsts: readonly string[],
    seconds: readonly string[],
    options: PairEncodeOptions & BatchOptions = {},
  ): EncodedBatch {
    if (firsts.length !== seconds.length) {
      throw new TypeError(
        `Cannot encode a pair batch: ${firsts.length} first sequences but ${seconds.length} second sequences`,
      );
    }
    const padding = options.padding ?? { kind: "longest" };
    const maxLength = options.maxLength ?? (padding.kind === "fixed" ? padding.length : undefined);
    const pairOptions: PairEncodeOptions = {
      ...options,
      ...(maxLength === undefined ? {} : { maxLength }),
    };
    const encodings = firsts.map((f, i) => this.encodePair(f, seconds[i] as string, pairOptions));
    return padBatch(encodings, padding, this.padId);
  }

  /**
   * Join tokens back into text for inspection: continuation pieces are glued to the previous
   * token, others separated by a space; special tokens are dropped unless `keepSpecial`. Not a
   * reconstruction of the original text (case, accents and spacing around punctuation are lost).
   */
  decode(ids: readonly number[], keepSpecial = false): string {
    const { tokens } = this.config.vocab;
    const prefix = this.config.continuingSubwordPrefix;
    const specials = new Set([this.padId, this.clsId, this.sepId, this.maskId]);
    let out = "";
    for (const id of ids) {
      if (!keepSpecial && specials.has(id)) continue;
      const t = tokens[id];
      if (t === undefined) {
        throw new RangeError(`Cannot decode id ${id}: the vocabulary has ${tokens.length} tokens`);
      }
      if (prefix.length > 0 && t.startsWith(prefix) && out.length > 0) {
        out += t.slice(prefix.length);
      } else out += (out.length > 0 ? " " : "") + t;
    }
    return out;
  }
}
