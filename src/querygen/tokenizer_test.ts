/**
 * Tests of the seq2seq tokenizers: the user-vocabulary tokenizer and the WordPiece adapter.
 *
 * @module
 */

import assert from "node:assert/strict";
import { bertTokenizerConfig, vocabFromTokens, WordPieceTokenizer } from "../text/mod.ts";
import { vocabQueryTokenizer, wordPieceQueryTokenizer } from "./tokenizer.ts";

const TOKENS = ["<pad>", "<s>", "</s>", "<unk>", "alpha", "beta", "gamma"];

Deno.test("vocabQueryTokenizer maps words, wraps, truncates and decodes without specials", () => {
  const tok = vocabQueryTokenizer(TOKENS, { unk: "<unk>", bos: "<s>", eos: "</s>", pad: "<pad>" });
  assert.deepStrictEqual(tok.encode("Alpha  beta delta", 10), [1, 4, 5, 3, 2]);
  assert.deepStrictEqual(tok.encode("alpha beta gamma", 4), [1, 4, 5, 2]);
  assert.equal(tok.decode([1, 4, 3, 6, 2, 0, 0]), "alpha <unk> gamma");
  assert.throws(() => tok.decode([7]), RangeError);
  assert.throws(() => tok.encode("alpha", 2), RangeError);
  const cased = vocabQueryTokenizer(TOKENS, { unk: "<unk>", lowercase: false });
  assert.deepStrictEqual(cased.encode("Alpha alpha", 5), [3, 4]);
  assert.notEqual(cased.id, tok.id);
  assert.throws(() => vocabQueryTokenizer(TOKENS, { unk: "[UNK]" }), TypeError);
});

Deno.test("wordPieceQueryTokenizer wraps the suite's WordPiece tokenizer with a vocabulary id", () => {
  const specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
  const vocab = vocabFromTokens([...specials, "kinase", "in", "##hibit", "##or", "##s"]);
  const tok = wordPieceQueryTokenizer(new WordPieceTokenizer(bertTokenizerConfig(vocab)));
  assert.deepStrictEqual(tok.encode("Kinase inhibitors", 16), [2, 5, 6, 7, 8, 9, 3]);
  assert.deepStrictEqual(tok.encode("Kinase inhibitors", 4), [2, 5, 6, 3]);
  assert.equal(tok.decode([2, 5, 6, 7, 8, 9, 3]), "kinase inhibitors");
  const other = vocabFromTokens([...specials, "kinase", "in", "##hibit", "##or"]);
  const tok2 = wordPieceQueryTokenizer(new WordPieceTokenizer(bertTokenizerConfig(other)));
  assert.ok(tok.id.startsWith("wordpiece:"));
  assert.notEqual(tok.id, tok2.id);
});
