/**
 * Parity of the tokenizer with an independent implementation, `@huggingface/tokenizers` (pure JS),
 * loading a hand-written bert-base-uncased tokenizer.json, on real SciFact text and tricky strings.
 *
 * @module
 */

import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { Tokenizer } from "@huggingface/tokenizers";
import { sharedPath } from "../testing/mod.ts";
import { loadBertBaseUncased, loadBertBaseUncasedVocab } from "./bert_base_uncased.ts";
import { toTokenizerJson } from "./tokenizer_json.ts";
import type { Vocab } from "./vocab.ts";

/** The layout of Hugging Face's own bert-base-uncased tokenizer.json, written out by hand. */
function referenceTokenizerJson(vocab: Vocab): Record<string, unknown> {
  const specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: specials.map((content) => ({
      id: vocab.ids.get(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: "BertNormalizer",
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
        { Sequence: { id: "B", type_id: 1 } },
        { SpecialToken: { id: "[SEP]", type_id: 1 } },
      ],
      special_tokens: {
        "[CLS]": { id: "[CLS]", ids: [101], tokens: ["[CLS]"] },
        "[SEP]": { id: "[SEP]", ids: [102], tokens: ["[SEP]"] },
      },
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: {
      type: "WordPiece",
      unk_token: "[UNK]",
      continuing_subword_prefix: "##",
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.tokens.map((t, i) => [t, i])),
    },
  };
}

/**
 * Strings where both implementations follow the same rules. Known differences of the JS reference
 * from the Rust `tokenizers` (astral CJK not padded, unassigned code points kept, final-sigma
 * lowercasing) are tested by hand in tokenizer_test.ts instead.
 */
export const TRICKY: readonly string[] = [
  "",
  "   ",
  "Hello, World!",
  "hello world",
  "Héllo Wörld naïve café résumé Ångström",
  "ÀÉÎÕÜ àéîõü ñ ç ø ß æ œ ĳ ﬁ",
  "İstanbul DİYARBAKIR",
  "你好世界 中文字符 日本語 한국어 ひらがな カタカナ",
  "mixed中文text and ＦＵＬＬＷＩＤＴＨ ＡＢＣ",
  "tab\tnew\nline\rcr\u000bvt\u000cff\u0085nel",
  "nul\u0000here and \uFFFD replacement, zero\u200Bwidth, bom\uFEFF, soft\u00ADhyphen",
  "control\u0001\u0007\u001Bchars\u007F\u009Fend",
  "nbsp\u00A0thin\u2009ideographic\u3000line\u2028para\u2029end",
  "punct: !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ end",
  "unicode punct «quotes» „low“ ‘single’ — dash – ¿qué? ¡sí! … · • ※ § ¶",
  "symbols that are not punctuation: ¢ £ ¥ € © ® ° ± × ÷ ∑ ∞ → ⇒ ♥ ★",
  "emoji 🤗 😀😁 👩‍💻 ❤️ 👍🏽 🇫🇷 and text",
  "math 𝐀𝐁𝐂 𝔸 and old italic 𐌀𐌁",
  "numbers 3.14159 1,000,000 2nd 10^-5 p<0.05 IL-6 TNF-α",
  "a" + "b".repeat(98) + "c",
  "a" + "b".repeat(99) + "c",
  "x".repeat(250),
  "supercalifragilisticexpialidocious antidisestablishmentarianism",
  "unaffable running jumped embeddings tokenization preprocessing",
  "[CLS] special [SEP] tokens [MASK] inside [PAD] text [UNK] and [cls] lowercase",
  "[MASK][MASK]x[SEP]",
  "Don't you love 🤗 Transformers? We sure do.",
  "e-mail: someone@example.com, url: https://example.org/path?q=1&r=2#frag",
  "Ελληνικά κείμενο ΑΒΓ Δέλτα",
  "Русский ТЕКСТ с Ёлкой",
  "עברית ועוד العربية مع تشكيل مُحَمَّد",
  "हिन्दी देवनागरी क्षत्रिय",
  "ไทย ภาษาไทย",
  "combining: e\u0301 a\u0300 o\u0308 n\u0303 and spacing ¨ ´",
  "Ǆ ǅ ǆ ﬀ ﬃ ẞ ı",
];

async function hfReference() {
  const vocab = await loadBertBaseUncasedVocab();
  return new Tokenizer(referenceTokenizerJson(vocab), {});
}

Deno.test("matches @huggingface/tokenizers on tricky strings", async () => {
  const ours = await loadBertBaseUncased();
  const ref = await hfReference();
  for (const text of TRICKY) {
    assertEquals(ours.encode(text).ids, ref.encode(text).ids, `text ${JSON.stringify(text)}`);
  }
});

Deno.test("matches @huggingface/tokenizers on pairs (ids and token types)", async () => {
  const ours = await loadBertBaseUncased();
  const ref = await hfReference();
  for (let i = 0; i + 1 < TRICKY.length; i++) {
    const a = TRICKY[i] as string;
    const b = TRICKY[i + 1] as string;
    const theirs = ref.encode(a, { text_pair: b, return_token_type_ids: true });
    const mine = ours.encodePair(a, b);
    assertEquals(mine.ids, theirs.ids, `pair ${i}`);
    assertEquals(mine.tokenTypeIds, theirs.token_type_ids, `pair ${i} token types`);
  }
});

Deno.test("the tokenizer.json we write loads in @huggingface/tokenizers and agrees", async () => {
  const ours = await loadBertBaseUncased();
  const ref = new Tokenizer(toTokenizerJson(ours.config), {});
  for (const text of TRICKY) {
    assertEquals(ours.encode(text).ids, ref.encode(text).ids, `text ${JSON.stringify(text)}`);
  }
});

const corpus = sharedPath("scifact/beir/corpus.jsonl");

Deno.test({
  name: "matches @huggingface/tokenizers on the first 500 SciFact documents (titles and texts)",
  ignore: corpus === undefined,
  fn: async () => {
    const ours = await loadBertBaseUncased();
    const ref = await hfReference();
    const lines = (await Deno.readTextFile(corpus as string)).split("\n").slice(0, 500);
    let tokens = 0;
    let unknown = 0;
    for (const [i, line] of lines.entries()) {
      const doc = JSON.parse(line) as { title: string; text: string };
      for (const text of [doc.title, doc.text]) {
        const mine = ours.encode(text).ids;
        assertEquals(mine, ref.encode(text).ids, `document line ${i + 1}`);
        tokens += mine.length;
        unknown += mine.filter((id) => id === 100).length;
      }
    }
    // Real English text: hundreds of thousands of tokens, almost none unknown.
    assertEquals(tokens > 100_000, true, `only ${tokens} tokens`);
    assertEquals(unknown < tokens / 1000, true, `${unknown} unknown of ${tokens}`);
  },
});

const marcoQueries = sharedPath("msmarco-passage/topics.msmarco-passage.dev-subset.txt");

Deno.test({
  name: "matches @huggingface/tokenizers on all MS MARCO dev-subset queries",
  ignore: marcoQueries === undefined,
  fn: async () => {
    const ours = await loadBertBaseUncased();
    const ref = await hfReference();
    const lines = (await Deno.readTextFile(marcoQueries as string)).split("\n");
    let checked = 0;
    for (const line of lines) {
      const tab = line.indexOf("\t");
      if (tab < 0) continue;
      const query = line.slice(tab + 1);
      assertEquals(ours.encode(query).ids, ref.encode(query).ids, `query ${line.slice(0, tab)}`);
      checked++;
    }
    assertEquals(checked > 6000, true, `only ${checked} queries`);
  },
});
