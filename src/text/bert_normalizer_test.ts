import { strictEqual } from "node:assert/strict";
import { CASED_NORMALIZER, normalizeBert, UNCASED_NORMALIZER } from "./bert_normalizer.ts";

Deno.test("uncased: lowercase, strip accents, whitespace to spaces", () => {
  strictEqual(normalizeBert("Héllo\tWörld\n", UNCASED_NORMALIZER), "hello world ");
  strictEqual(normalizeBert("ÀÉÎÕÜ ñ ç", UNCASED_NORMALIZER), "aeiou n c");
  // Letters without a decomposition keep their shape.
  strictEqual(normalizeBert("ø ß æ", UNCASED_NORMALIZER), "ø ß æ");
  // Capital I with dot: NFD gives I + U+0307, the mark is stripped, then lowercased.
  strictEqual(normalizeBert("İ", UNCASED_NORMALIZER), "i");
});

Deno.test("cased keeps case and accents; accent strip alone does not lowercase", () => {
  strictEqual(normalizeBert("Héllo\u00a0Wörld", CASED_NORMALIZER), "Héllo Wörld");
  const stripOnly = { ...CASED_NORMALIZER, stripAccents: true };
  strictEqual(normalizeBert("Héllo", stripOnly), "Hello");
});

Deno.test("clean text drops NUL, U+FFFD, controls, format, unassigned and lone surrogates", () => {
  const o = UNCASED_NORMALIZER;
  strictEqual(normalizeBert("a\u0000b\uFFFDc\u0001d\u007Fe\u009Ff", o), "abcdef");
  strictEqual(normalizeBert("zero\u200Bwidth\uFEFF\u00AD", o), "zerowidth");
  strictEqual(normalizeBert("a\u000Bb\u000Cc\u0085d", o), "abcd"); // Cc, not tab/LF/CR
  strictEqual(normalizeBert("un\u0378assigned", o), "unassigned"); // Cn (Rust is_other)
  strictEqual(normalizeBert("lone\uD800surrogate", o), "lonesurrogate");
  strictEqual(normalizeBert("a\tb\nc\rd\u3000e\u2028f\u2009g", o), "a b c d e f g");
  strictEqual(normalizeBert("a\u0000b", { ...o, cleanText: false }), "a\u0000b");
});

Deno.test("CJK ideographs are padded with spaces, including astral extensions", () => {
  strictEqual(normalizeBert("中文x", UNCASED_NORMALIZER), " 中  文 x");
  strictEqual(normalizeBert("a\u{20000}b", UNCASED_NORMALIZER), "a \u{20000} b");
  // Extension E start (0x2B820): BERT's range (the Rust crate starts at 0x2B920).
  strictEqual(normalizeBert("\u{2B820}", UNCASED_NORMALIZER), " \u{2B820} ");
  // Hangul and kana are not "Chinese characters".
  strictEqual(normalizeBert("한かカ", CASED_NORMALIZER), "한かカ");
  strictEqual(normalizeBert("中", { ...CASED_NORMALIZER, handleChineseChars: false }), "中");
});

Deno.test("lowercase is per code point: capital sigma is always small sigma (Rust to_lowercase)", () => {
  // JS toLowerCase alone would give a final sigma "οδος".
  strictEqual(normalizeBert("ΟΔΟΣ", UNCASED_NORMALIZER), "οδοσ");
});
