/**
 * Text layer: BERT WordPiece tokenisation (HF-exact normaliser, pre-tokeniser and WordPiece),
 * vocab.txt / tokenizer.json I/O, the real bert-base-uncased vocabulary, truncation, padding and
 * batching, and vocabulary building for synthetic corpora.
 *
 * @module
 */

export { type EncodedBatch, type Encoding, padBatch } from "./batch.ts";
export { loadBertBaseUncased } from "./bert_base_uncased.ts";
export { CASED_NORMALIZER, UNCASED_NORMALIZER } from "./bert_normalizer.ts";
export { WordPieceTokenizer } from "./tokenizer.ts";
export { bertTokenizerConfig, type TokenizerConfig } from "./tokenizer_config.ts";
export { loadTokenizerJson, saveTokenizerJson, toTokenizerJson } from "./tokenizer_json.ts";
export { pairTruncationLengths, type TruncationStrategy } from "./truncation.ts";
export { loadVocabTxt, saveVocabTxt, type Vocab, vocabFromTokens } from "./vocab.ts";
export { buildWordPieceVocab } from "./vocab_builder.ts";
