import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { WordPieceTokenizer } from "./tokenizer.ts";
import { bertTokenizerConfig } from "./tokenizer_config.ts";
import { buildWordPieceVocab, BUILT_VOCAB_SPECIALS } from "./vocab_builder.ts";

const CORPUS = [
  "The retriever retrieves documents. Retrieval is fast!",
  "Dense retrievers embed queries and documents; the teacher distills into the student.",
  "Students learn from teachers: distillation, embedding matching, score matching.",
  "Zürich café — naïve résumé 中文",
];

Deno.test("specials first, exact size, deterministic", () => {
  const a = buildWordPieceVocab(CORPUS, { size: 120, minFrequency: 1, wordShare: 0.2 });
  const b = buildWordPieceVocab([...CORPUS], { size: 120, minFrequency: 1, wordShare: 0.2 });
  strictEqual(a.tokens.length, 120);
  deepStrictEqual(a.tokens.slice(0, 5), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]);
  deepStrictEqual(BUILT_VOCAB_SPECIALS, a.tokens.slice(0, 5));
  deepStrictEqual(a.tokens, b.tokens);
  strictEqual(new Set(a.tokens).size, a.tokens.length);
  // With the default minimum frequency 2 this small corpus has fewer candidates than slots.
  strictEqual(buildWordPieceVocab(CORPUS, { size: 10_000 }).tokens.length < 10_000, true);
});

Deno.test("every corpus word encodes without [UNK]; frequent words become single tokens", () => {
  const vocab = buildWordPieceVocab(CORPUS, { size: 150, minFrequency: 1 });
  const tok = new WordPieceTokenizer(bertTokenizerConfig(vocab));
  for (const text of CORPUS) strictEqual(tok.tokenIds(text).includes(1), false, text);
  strictEqual(vocab.ids.has("the"), true);
  strictEqual(vocab.ids.has("documents"), true);
  deepStrictEqual(tok.tokenize("the documents"), ["the", "documents"]);
  // Accents were stripped by the uncased normaliser before counting.
  strictEqual(vocab.ids.has("e"), true);
  strictEqual(vocab.ids.has("é"), false);
});

Deno.test("words not taken whole are covered by prefixes and ## suffixes", () => {
  const texts = [
    "retrieval retriever retrieves retrieved",
    "retrieval retriever retrieves retrieved",
  ];
  // No slot for whole words: the shared stem and the endings become pieces.
  const vocab = buildWordPieceVocab(texts, { size: 30, wordShare: 0 });
  const tok = new WordPieceTokenizer(bertTokenizerConfig(vocab));
  const pieces = tok.tokenize("retrieves");
  strictEqual(pieces.length < "retrieves".length, true, pieces.join(" "));
  strictEqual(pieces[0]?.startsWith("retriev"), true, pieces.join(" "));
});

Deno.test("a size too small for the characters is an error", () => {
  throws(() => buildWordPieceVocab(CORPUS, { size: 10 }), RangeError);
  throws(() => buildWordPieceVocab(CORPUS, { size: 500, wordShare: 2 }), RangeError);
});
