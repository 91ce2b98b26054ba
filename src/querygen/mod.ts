/**
 * Query generation: documents in, queries out, for embedding matching (EmbedDistill
 * "query generation"); the generator contract, the salient-terms, first-words and ONNX seq2seq
 * generators, the content-addressed cache of their output, and the leak audit against held-out
 * queries.
 *
 * @module
 */

export {
  type GeneratedQuery,
  generatedQueryId,
  type GenerateOptions,
  type GenerationProgress,
  generatorLabel,
  type QueryGenerator,
  type QueryGeneratorConfig,
} from "./generator.ts";
export { configHash, corpusHash } from "./hash.ts";
export { SALIENT_TERM_DEFAULTS, type SalientTermConfig, SalientTermGenerator } from "./salient.ts";
export { type FirstWordsConfig, FirstWordsGenerator } from "./first_words.ts";
export { type Decoding, type GreedyDecoding, type TopKDecoding } from "./decode.ts";
export {
  type QueryTokenizer,
  vocabQueryTokenizer,
  type VocabTokenizerOptions,
  wordPieceQueryTokenizer,
} from "./tokenizer.ts";
export {
  OPTIMUM_SEQ2SEQ_NAMES,
  type Seq2SeqConfig,
  type Seq2SeqGraphNames,
  type Seq2SeqOptions,
} from "./seq2seq_config.ts";
export { Seq2SeqQueryGenerator } from "./seq2seq.ts";
export { type CachedQueries, generateCached, type QueryCacheOptions } from "./cache.ts";
export { assertNoLeak, findQueryLeaks, type QueryLeak, QueryLeakError } from "./leak.ts";
