/**
 * Tests of word tokens, sentence indices and smoothed idf.
 *
 * @module
 */

import assert from "node:assert/strict";
import { documentText, IdfTable, wordTokens } from "./terms.ts";

Deno.test("wordTokens lowercases, keeps inner apostrophes and numbers sentences", () => {
  const tokens = wordTokens("Don't stop. BRCA1 gene; x-ray! Done?");
  assert.deepStrictEqual(tokens.map((t) => t.word), [
    "don't",
    "stop",
    "brca1",
    "gene",
    "x",
    "ray",
    "done",
  ]);
  assert.deepStrictEqual(tokens.map((t) => t.position), [0, 1, 2, 3, 4, 5, 6]);
  assert.deepStrictEqual(tokens.map((t) => t.sentence), [0, 0, 1, 1, 2, 2, 3]);
  assert.deepStrictEqual(wordTokens(" ... "), []);
});

Deno.test("documentText puts a non-empty title first when asked", () => {
  assert.deepStrictEqual(documentText({ id: "d", title: "T", text: "x" }, true), "T. x");
  assert.deepStrictEqual(documentText({ id: "d", title: "T", text: "x" }, false), "x");
  assert.deepStrictEqual(documentText({ id: "d", title: "", text: "x" }, true), "x");
});

Deno.test("IdfTable gives scikit-learn's smoothed idf on a hand-counted corpus", () => {
  const idf = IdfTable.fromTexts(["a b b", "a c", "a"]);
  assert.deepStrictEqual(idf.documents, 3);
  assert.deepStrictEqual([idf.df("a"), idf.df("b"), idf.df("c"), idf.df("z")], [3, 1, 1, 0]);
  // ln((1 + 3) / (1 + df)) + 1
  assert.ok(Math.abs(idf.idf("a") - 1) < 1e-12);
  assert.ok(Math.abs(idf.idf("b") - (Math.log(2) + 1)) < 1e-12);
  assert.ok(Math.abs(idf.idf("z") - (Math.log(4) + 1)) < 1e-12);
});
