/**
 * Tests of the BM25 tokeniser on hand-written cases.
 *
 * @module
 */

import assert from "node:assert/strict";
import { LUCENE_ENGLISH_STOPWORDS, ORACLE_STOPWORDS, tokenizeForBm25 } from "./tokenizer.ts";

Deno.test("tokenizeForBm25 lowercases and keeps maximal [a-z0-9] runs", () => {
  assert.deepEqual(tokenizeForBm25("The IL-6 receptor's role (p<0.05)"), [
    "the",
    "il",
    "6",
    "receptor",
    "s",
    "role",
    "p",
    "0",
    "05",
  ]);
  assert.deepEqual(tokenizeForBm25("naïve café_x"), ["na", "ve", "caf", "x"]);
  assert.deepEqual(tokenizeForBm25(""), []);
});

Deno.test("tokenizeForBm25 drops stop words after lowercasing", () => {
  assert.deepEqual(tokenizeForBm25("The cat IS on the mat", { stopwords: ORACLE_STOPWORDS }), [
    "cat",
    "mat",
  ]);
  assert.deepEqual(tokenizeForBm25("not these", { stopwords: LUCENE_ENGLISH_STOPWORDS }), []);
  assert.deepEqual(tokenizeForBm25("not these", { stopwords: ORACLE_STOPWORDS }), ["not"]);
  assert.equal(ORACLE_STOPWORDS.size, 29);
  assert.equal(LUCENE_ENGLISH_STOPWORDS.size, 33);
});
