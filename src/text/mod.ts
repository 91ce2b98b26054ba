/**
 * Text layer: BERT WordPiece tokenisation (HF-exact normaliser, pre-tokeniser and WordPiece),
 * vocab.txt / tokenizer.json I/O, the real bert-base-uncased vocabulary, truncation, padding and
 * batching, and vocabulary building for synthetic corpora.
 *
 * @module
 */

export {
  type EncodedBatch,
  type Encoding,
  padBatch,
  type Padding,
  toBigInt64Array,
} from "./batch.ts";
export {
  BERT_BASE_UNCASED_VOCAB_SIZE,
  loadBertBaseUncased,
  loadBertBaseUncasedVocab,
  mapBertTokenizerVocab,
} from "./bert_base_uncased.ts";
export {
  type BertNormalizerOptions,
  CASED_NORMALIZER,
  isChineseChar,
  normalizeBert,
  UNCASED_NORMALIZER,
} from "./bert_normalizer.ts";
export {
  forEachBertWord,
  isBertPunctuation,
  isBertWhitespace,
  preTokenizeBert,
} from "./bert_pre_tokenizer.ts";
export {
  type BatchOptions,
  type EncodeOptions,
  type PairEncodeOptions,
  WordPieceTokenizer,
} from "./tokenizer.ts";
export {
  BERT_SPECIAL_TOKENS,
  bertTokenizerConfig,
  type SpecialTokens,
  type TokenizerConfig,
} from "./tokenizer_config.ts";
export {
  loadTokenizerJson,
  parseTokenizerJson,
  saveTokenizerJson,
  toTokenizerJson,
} from "./tokenizer_json.ts";
export { pairTruncationLengths, type TruncationStrategy } from "./truncation.ts";
export {
  formatVocabTxt,
  loadVocabTxt,
  parseVocabTxt,
  saveVocabTxt,
  type Vocab,
  vocabFromTokens,
} from "./vocab.ts";
export {
  buildWordPieceVocab,
  BUILT_VOCAB_SPECIALS,
  type VocabBuildOptions,
} from "./vocab_builder.ts";
export { WordPiece, type WordPieceModelOptions } from "./wordpiece.ts";
