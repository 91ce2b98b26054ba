import { deepStrictEqual, notDeepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { loadBertBaseUncased } from "./bert_base_uncased.ts";
import { CASED_NORMALIZER } from "./bert_normalizer.ts";
import { WordPieceTokenizer } from "./tokenizer.ts";
import { bertTokenizerConfig } from "./tokenizer_config.ts";
import { vocabFromTokens } from "./vocab.ts";

const tok = await loadBertBaseUncased();
const id = (t: string) => tok.vocab.ids.get(t) as number;

Deno.test("single sequence: [CLS] ... [SEP], truncation keeps the special tokens", () => {
  const e = tok.encode("hello world");
  deepStrictEqual(e.ids, [101, 7592, 2088, 102]);
  deepStrictEqual(e.tokenTypeIds, [0, 0, 0, 0]);
  deepStrictEqual(tok.encode("a b c d e f", { maxLength: 5 }).ids, [
    101,
    1037,
    id("b"),
    id("c"),
    102,
  ]);
  deepStrictEqual(tok.encode("hello world", { addSpecialTokens: false }).ids, [7592, 2088]);
  deepStrictEqual(tok.encode("a b c", { maxLength: 2 }).ids, [101, 102]);
  throws(() => tok.encode("a", { maxLength: 1 }), RangeError);
});

Deno.test("pair: [CLS] q [SEP] d [SEP] with token types 0 then 1", () => {
  const e = tok.encodePair("hello", "world !");
  deepStrictEqual(e.ids, [101, 7592, 102, 2088, 999, 102]);
  deepStrictEqual(e.tokenTypeIds, [0, 0, 0, 1, 1, 1]);
});

Deno.test("pair truncation: longest_first, per-side limits, only_second", () => {
  const q = "a b c d e f g h i j"; // 10 tokens
  const d = Array.from({ length: 20 }, () => "x").join(" "); // 20 tokens
  // Budget 16 - 3 = 13: both too long for half, so 6 + 7 (Rust tokenizers).
  const e = tok.encodePair(q, d, { maxLength: 16 });
  strictEqual(e.ids.length, 16);
  deepStrictEqual(e.tokenTypeIds.filter((t) => t === 0).length, 6 + 2);
  // Short query fits whole; the document takes the rest.
  const s = tok.encodePair("a b", d, { maxLength: 10 });
  deepStrictEqual(s.ids, [101, 1037, id("b"), 102, ...new Array(5).fill(id("x")), 102]);
  // Per-side limits apply before the budget.
  const p = tok.encodePair(q, d, { firstMaxLength: 2, secondMaxLength: 3 });
  deepStrictEqual(p.ids, [101, 1037, id("b"), 102, id("x"), id("x"), id("x"), 102]);
  const o = tok.encodePair(q, d, { maxLength: 16, strategy: "only_second" });
  deepStrictEqual(o.tokenTypeIds.filter((t) => t === 1).length, 3 + 1);
  throws(() => tok.encodePair(q, d, { maxLength: 12, strategy: "only_first" }), RangeError);
});

Deno.test("batches: flat row-major arrays, padding to longest or fixed", () => {
  const b = tok.encodeBatch(["hello world", "hello"]);
  deepStrictEqual(b.shape, [2, 4]);
  deepStrictEqual([...b.inputIds], [101, 7592, 2088, 102, 101, 7592, 102, 0]);
  deepStrictEqual([...b.attentionMask], [1, 1, 1, 1, 1, 1, 1, 0]);
  deepStrictEqual([...b.lengths], [4, 3]);
  // Fixed padding also truncates to that length.
  const f = tok.encodeBatch(["hello world again and again", "hi"], {
    padding: { kind: "fixed", length: 4 },
  });
  deepStrictEqual([...f.inputIds], [101, 7592, 2088, 102, 101, id("hi"), 102, 0]);
  const p = tok.encodePairBatch(["hello", "a b"], ["world", "c"], { maxLength: 5 });
  deepStrictEqual(p.shape, [2, 5]);
  deepStrictEqual([...p.tokenTypeIds], [0, 0, 0, 1, 1, 0, 0, 0, 1, 1]);
  deepStrictEqual([...p.inputIds].slice(5), [101, 1037, 102, id("c"), 102]);
  throws(() => tok.encodePairBatch(["a"], []), TypeError);
});

Deno.test("special tokens in raw text map to their ids; lowercase look-alikes do not", () => {
  deepStrictEqual(tok.encode("the [MASK] sat").ids, [101, 1996, 103, id("sat"), 102]);
  deepStrictEqual(tok.tokenize("[cls]"), ["[", "cl", "##s", "]"]);
  deepStrictEqual(tok.tokenIds("[SEP][SEP]x"), [102, 102, id("x")]);
});

Deno.test("Rust tokenizers behaviour where the JS reference differs", () => {
  // Astral CJK ideographs are padded (each its own word, here unknown).
  deepStrictEqual(tok.tokenIds("\u{20000}\u{20001}"), [100, 100]);
  // Unassigned code points are control characters for BertNormalizer (Rust `is_other`).
  deepStrictEqual(tok.tokenIds("hel\u0378lo"), tok.tokenIds("hello"));
  // Capital sigma lowercases to σ even at a word end.
  deepStrictEqual(tok.tokenIds("ΟΔΟΣ"), tok.tokenIds("οδοσ"));
  notDeepStrictEqual(tok.tokenIds("οδοσ"), tok.tokenIds("οδος"));
});

Deno.test("cased vocabulary keeps case and accents; decode joins pieces", () => {
  const vocab = vocabFromTokens(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "Héllo", "h", "##éllo", "!"]);
  const cased = new WordPieceTokenizer(
    bertTokenizerConfig(vocab, { normalizer: CASED_NORMALIZER }),
  );
  deepStrictEqual(cased.tokenize("Héllo héllo hello!"), ["Héllo", "h", "##éllo", "[UNK]", "!"]);
  strictEqual(cased.maskId, undefined);
  strictEqual(cased.decode(cased.encode("héllo Héllo").ids), "héllo Héllo");
  strictEqual(tok.decode(tok.encode("Embeddings rock").ids), "embeddings rock");
  throws(
    () => new WordPieceTokenizer(bertTokenizerConfig(vocabFromTokens(["[UNK]", "[CLS]"]))),
    RangeError,
  );
});
