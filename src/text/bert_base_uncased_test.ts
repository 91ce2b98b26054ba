import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import {
  BERT_BASE_UNCASED_VOCAB_SIZE,
  loadBertBaseUncased,
  loadBertBaseUncasedVocab,
  mapBertTokenizerVocab,
} from "./bert_base_uncased.ts";

Deno.test("mapping of the package's entries to BERT spelling", () => {
  deepStrictEqual(
    mapBertTokenizerVocab([
      "[PAD]",
      "\u2581",
      "[unused1]",
      "[UNK]",
      "\u2581hello",
      "ing",
      "[",
      "\u2581[",
    ]),
    ["[PAD]", "[unused0]", "[unused1]", "[UNK]", "hello", "##ing", "##[", "["],
  );
  throws(() => mapBertTokenizerVocab(["[PAD]", "a", "\u2581"]), SyntaxError);
});

Deno.test("the mapped vocabulary has BERT's ids (bert-base-uncased vocab.txt)", async () => {
  const v = await loadBertBaseUncasedVocab();
  strictEqual(v.tokens.length, BERT_BASE_UNCASED_VOCAB_SIZE);
  strictEqual(v.ids.size, BERT_BASE_UNCASED_VOCAB_SIZE);
  const known: [string, number][] = [
    ["[PAD]", 0],
    ["[unused0]", 1],
    ["[unused98]", 99],
    ["[UNK]", 100],
    ["[CLS]", 101],
    ["[SEP]", 102],
    ["[MASK]", 103],
    ["[unused99]", 104],
    ["[unused993]", 998],
    ["!", 999],
    [",", 1010],
    [".", 1012],
    ["a", 1037],
    ["the", 1996],
    ["##s", 2015],
    ["##ing", 2075],
    ["world", 2088],
    ["hello", 7592],
    ["##～", 30521],
  ];
  for (const [token, id] of known) strictEqual(v.ids.get(token), id, token);
  // bert-base-uncased has 5828 continuation pieces and 994 unused slots.
  strictEqual(v.tokens.filter((t) => t.startsWith("##")).length, 5828);
  strictEqual(v.tokens.filter((t) => /^\[unused\d+\]$/.test(t)).length, 994);
  // There is no "##aff": Google's "un ##aff ##able" example uses a toy vocabulary.
  strictEqual(v.ids.get("##aff"), undefined);
});

Deno.test("real text tokenises as bert-base-uncased does (published examples)", async () => {
  const t = await loadBertBaseUncased();
  deepStrictEqual(t.encode("hello world").ids, [101, 7592, 2088, 102]);
  deepStrictEqual(t.encode("the quick brown fox jumps over the lazy dog").ids, [
    101,
    1996,
    4248,
    2829,
    4419,
    14523,
    2058,
    1996,
    13971,
    3899,
    102,
  ]);
  // Hugging Face "Summary of the tokenizers".
  deepStrictEqual(t.tokenize("I have a new GPU!"), ["i", "have", "a", "new", "gp", "##u", "!"]);
  deepStrictEqual(t.tokenize("Don't you love 🤗 Transformers? We sure do."), [
    "don",
    "'",
    "t",
    "you",
    "love",
    "[UNK]",
    "transformers",
    "?",
    "we",
    "sure",
    "do",
    ".",
  ]);
  deepStrictEqual(t.tokenize("unaffable"), ["una", "##ffa", "##ble"]);
  deepStrictEqual(t.tokenize("embeddings"), ["em", "##bed", "##ding", "##s"]);
});
