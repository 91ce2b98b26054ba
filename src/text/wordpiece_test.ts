import { deepStrictEqual, throws } from "node:assert/strict";
import { vocabFromTokens } from "./vocab.ts";
import { WordPiece } from "./wordpiece.ts";

const OPTIONS = { unkToken: "[UNK]", continuingSubwordPrefix: "##", maxInputCharsPerWord: 100 };

function split(model: WordPiece, word: string): string[] {
  const out: number[] = [];
  model.encodeWord(word, out);
  return out.map((id) => model.vocab.tokens[id] as string);
}

Deno.test("greedy longest-match-first (Google BERT's own example vocabulary)", () => {
  const vocab = vocabFromTokens(["[UNK]", "un", "##aff", "##able", "runn", "##ing", "##a", "##ff"]);
  const wp = new WordPiece(vocab, OPTIONS);
  deepStrictEqual(split(wp, "unaffable"), ["un", "##aff", "##able"]);
  deepStrictEqual(split(wp, "running"), ["runn", "##ing"]);
  // Greedy, not optimal: "un" + "##a" + "##ff" would also cover "unaff", longest wins.
  deepStrictEqual(split(wp, "unaff"), ["un", "##aff"]);
  deepStrictEqual(split(wp, "unx"), ["[UNK]"]); // one unknown piece makes the whole word unknown
  deepStrictEqual(split(wp, "xyz"), ["[UNK]"]);
  // Cached result is the same.
  deepStrictEqual(split(wp, "unaffable"), ["un", "##aff", "##able"]);
});

Deno.test("words over maxInputCharsPerWord code points are unknown", () => {
  const wp = new WordPiece(vocabFromTokens(["[UNK]", "a", "##a", "🤗", "##🤗"]), OPTIONS);
  deepStrictEqual(split(wp, "a".repeat(100)), ["a", ...new Array(99).fill("##a")]);
  deepStrictEqual(split(wp, "a".repeat(101)), ["[UNK]"]);
  // 100 emoji are 200 UTF-16 units but 100 code points: still encodable.
  deepStrictEqual(split(wp, "🤗".repeat(100)).length, 100);
  deepStrictEqual(split(wp, "🤗".repeat(101)), ["[UNK]"]);
});

Deno.test("never splits a surrogate pair", () => {
  const halves = vocabFromTokens(["[UNK]", "\uD83E", "##\uDD17", "x", "##x"]);
  const wp = new WordPiece(halves, OPTIONS);
  deepStrictEqual(split(wp, "🤗"), ["[UNK]"]);
  deepStrictEqual(split(wp, "x🤗"), ["[UNK]"]);
  deepStrictEqual(split(wp, "xx"), ["x", "##x"]);
});

Deno.test("rejects a vocabulary without the unknown token", () => {
  throws(() => new WordPiece(vocabFromTokens(["a"]), OPTIONS), RangeError);
  throws(
    () => new WordPiece(vocabFromTokens(["[UNK]"]), { ...OPTIONS, maxInputCharsPerWord: 0 }),
    RangeError,
  );
});
