import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { WordPieceTokenizer } from "./tokenizer.ts";
import { bertTokenizerConfig } from "./tokenizer_config.ts";
import {
  loadTokenizerJson,
  parseTokenizerJson,
  saveTokenizerJson,
  toTokenizerJson,
} from "./tokenizer_json.ts";
import { vocabFromTokens } from "./vocab.ts";

/** A cased tokenizer.json in the older `BertProcessing` layout, written by hand. */
const CASED = {
  version: "1.0",
  added_tokens: [
    { id: 0, content: "<pad>", special: true, normalized: false },
    { id: 4, content: "<mask>", special: true, normalized: false },
  ],
  normalizer: {
    type: "BertNormalizer",
    clean_text: true,
    handle_chinese_chars: false,
    strip_accents: null,
    lowercase: false,
  },
  pre_tokenizer: { type: "BertPreTokenizer" },
  post_processor: { type: "BertProcessing", sep: ["<s>", 3], cls: ["<c>", 2] },
  padding: { pad_token: "<pad>" },
  model: {
    type: "WordPiece",
    unk_token: "<unk>",
    continuing_subword_prefix: "@@",
    max_input_chars_per_word: 5,
    vocab: { "<pad>": 0, "<unk>": 1, "<c>": 2, "<s>": 3, "<mask>": 4, "Ab": 5, "@@c": 6, "é": 7 },
  },
};

Deno.test("reads normaliser flags, special tokens and WordPiece options", () => {
  const c = parseTokenizerJson(CASED);
  deepStrictEqual(c.normalizer, {
    cleanText: true,
    handleChineseChars: false,
    stripAccents: false, // null follows lowercase
    lowercase: false,
  });
  deepStrictEqual(c.specialTokens, {
    pad: "<pad>",
    unk: "<unk>",
    cls: "<c>",
    sep: "<s>",
    mask: "[MASK]",
  });
  strictEqual(c.continuingSubwordPrefix, "@@");
  strictEqual(c.maxInputCharsPerWord, 5);
  deepStrictEqual(c.addedTokens, ["<pad>", "<mask>"]);
  const t = new WordPieceTokenizer(c);
  deepStrictEqual(t.encode("Abc é<mask> abc Abcccc").ids, [2, 5, 6, 7, 4, 1, 1, 3]);
});

Deno.test("write then read gives the same config; the file round trips", async () => {
  const vocab = vocabFromTokens(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "##b"]);
  const config = bertTokenizerConfig(vocab);
  deepStrictEqual(parseTokenizerJson(JSON.parse(JSON.stringify(toTokenizerJson(config)))), config);
  const dir = await Deno.makeTempDir();
  try {
    await saveTokenizerJson(`${dir}/tokenizer.json`, config);
    deepStrictEqual(await loadTokenizerJson(`${dir}/tokenizer.json`), config);
    await Deno.writeTextFile(`${dir}/bad.json`, "{");
    await loadTokenizerJson(`${dir}/bad.json`).then(
      () => Promise.reject(new Error("expected a SyntaxError")),
      (e) => strictEqual(e instanceof SyntaxError, true),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rejects other models, pre-tokenisers and broken vocabularies", () => {
  throws(
    () => parseTokenizerJson({ ...CASED, model: { ...CASED.model, type: "BPE" } }),
    SyntaxError,
  );
  throws(
    () => parseTokenizerJson({ ...CASED, pre_tokenizer: { type: "Whitespace" } }),
    SyntaxError,
  );
  throws(
    () => parseTokenizerJson({ ...CASED, model: { ...CASED.model, vocab: { a: 0, b: 2 } } }),
    SyntaxError,
  );
  throws(() => parseTokenizerJson({ ...CASED, normalizer: { type: "NFKC" } }), SyntaxError);
  throws(() => parseTokenizerJson([]), SyntaxError);
});
