/**
 * Everything a BERT WordPiece tokenizer is made of: vocabulary, normaliser flags, WordPiece
 * options and special tokens (what a Hugging Face `tokenizer.json` of a BERT model holds).
 *
 * @module
 */

import { type BertNormalizerOptions, UNCASED_NORMALIZER } from "./bert_normalizer.ts";
import type { Vocab } from "./vocab.ts";
import type { WordPieceModelOptions } from "./wordpiece.ts";

/** The special tokens a BERT encoder uses (strings; their ids come from the vocabulary). */
export interface SpecialTokens {
  readonly pad: string;
  readonly unk: string;
  readonly cls: string;
  readonly sep: string;
  readonly mask: string;
}

/** BERT's special tokens (`[PAD]` `[UNK]` `[CLS]` `[SEP]` `[MASK]`). */
export const BERT_SPECIAL_TOKENS: SpecialTokens = {
  pad: "[PAD]",
  unk: "[UNK]",
  cls: "[CLS]",
  sep: "[SEP]",
  mask: "[MASK]",
};

/** A complete BERT WordPiece tokenizer description. */
export interface TokenizerConfig extends WordPieceModelOptions {
  readonly vocab: Vocab;
  readonly normalizer: BertNormalizerOptions;
  readonly specialTokens: SpecialTokens;
  /**
   * Strings matched verbatim in the raw text before normalisation and mapped straight to their id
   * (HF "added tokens" with `normalized: false`), e.g. `[MASK]` in `"the [MASK] sat"`.
   */
  readonly addedTokens: readonly string[];
}

/**
 * A BERT tokenizer description for a vocabulary, with BERT's defaults (uncased normaliser,
 * `[UNK]`, `##`, 100 characters per word, the five special tokens, all of them split out of raw
 * text when present in the vocabulary); `overrides` replaces any field.
 */
export function bertTokenizerConfig(
  vocab: Vocab,
  overrides: Partial<Omit<TokenizerConfig, "vocab">> = {},
): TokenizerConfig {
  const specialTokens = overrides.specialTokens ?? BERT_SPECIAL_TOKENS;
  const specials = [
    specialTokens.pad,
    specialTokens.unk,
    specialTokens.cls,
    specialTokens.sep,
    specialTokens.mask,
  ];
  return {
    vocab,
    normalizer: overrides.normalizer ?? UNCASED_NORMALIZER,
    unkToken: overrides.unkToken ?? specialTokens.unk,
    continuingSubwordPrefix: overrides.continuingSubwordPrefix ?? "##",
    maxInputCharsPerWord: overrides.maxInputCharsPerWord ?? 100,
    specialTokens,
    addedTokens: overrides.addedTokens ?? specials.filter((t) => vocab.ids.has(t)),
  };
}
