import { deepStrictEqual } from "node:assert/strict";
import { isBertPunctuation, isBertWhitespace, preTokenizeBert } from "./bert_pre_tokenizer.ts";

Deno.test("splits on whitespace and isolates each punctuation character", () => {
  deepStrictEqual(preTokenizeBert("hello, world!"), ["hello", ",", "world", "!"]);
  deepStrictEqual(preTokenizeBert("  a  b  "), ["a", "b"]);
  deepStrictEqual(preTokenizeBert("..."), [".", ".", "."]);
  deepStrictEqual(preTokenizeBert(""), []);
});

Deno.test("ASCII symbols count as punctuation, Unicode symbols (S*) do not", () => {
  deepStrictEqual(preTokenizeBert("a$b+c^d`e|f~g"), [
    "a",
    "$",
    "b",
    "+",
    "c",
    "^",
    "d",
    "`",
    "e",
    "|",
    "f",
    "~",
    "g",
  ]);
  deepStrictEqual(preTokenizeBert("x€y©z"), ["x€y©z"]);
  deepStrictEqual(preTokenizeBert("¿qué?«a»—b"), ["¿", "qué", "?", "«", "a", "»", "—", "b"]);
});

Deno.test("astral characters stay whole; astral punctuation is isolated", () => {
  deepStrictEqual(preTokenizeBert("a🤗b"), ["a🤗b"]);
  // U+10100 AEGEAN WORD SEPARATOR LINE is Po.
  deepStrictEqual(preTokenizeBert("a\u{10100}b"), ["a", "\u{10100}", "b"]);
});

Deno.test("whitespace follows Unicode White_Space; punctuation follows BERT", () => {
  deepStrictEqual(preTokenizeBert("a\u00a0b\u3000c\td\u2028e"), ["a", "b", "c", "d", "e"]);
  deepStrictEqual([0x20, 0x09, 0x0a, 0x85, 0x2003, 0x200b, 0x41].map(isBertWhitespace), [
    true,
    true,
    true,
    true,
    true,
    false,
    false,
  ]);
  deepStrictEqual(
    [0x21, 0x2f, 0x3a, 0x40, 0x5b, 0x60, 0x7b, 0x7e, 0x30, 0x41, 0xbf, 0x20ac].map(
      isBertPunctuation,
    ),
    [true, true, true, true, true, true, true, true, false, false, true, false],
  );
});
