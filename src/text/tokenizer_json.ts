/**
 * Hugging Face `tokenizer.json` for BERT WordPiece tokenizers: read into a
 * {@linkcode TokenizerConfig} and write one back (model `WordPiece`, `BertNormalizer`,
 * `BertPreTokenizer`, `TemplateProcessing`).
 *
 * @module
 */

import type { BertNormalizerOptions } from "./bert_normalizer.ts";
import { BERT_SPECIAL_TOKENS, type TokenizerConfig } from "./tokenizer_config.ts";
import { type Vocab, vocabFromTokens } from "./vocab.ts";

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function fail(source: string, what: string, found: unknown): never {
  const shown = JSON.stringify(found);
  throw new SyntaxError(
    `Cannot read tokenizer.json "${source}": expected ${what}, found ${
      shown === undefined ? "nothing" : shown.slice(0, 80)
    }`,
  );
}

function readVocab(model: Json, source: string): Vocab {
  const map = model["vocab"];
  if (!isObject(map)) fail(source, "model.vocab to be an object of token ids", map);
  const tokens: string[] = [];
  const entries = Object.entries(map);
  for (const [token, id] of entries) {
    if (!Number.isInteger(id) || (id as number) < 0 || (id as number) >= entries.length) {
      fail(source, `an id below ${entries.length} for "${token}"`, id);
    }
    tokens[id as number] = token;
  }
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === undefined) {
      fail(source, `model.vocab to have every id from 0, missing ${i}`, i);
    }
  }
  return vocabFromTokens(tokens);
}

function readNormalizer(n: unknown, source: string): BertNormalizerOptions {
  if (n === null || n === undefined) {
    return { cleanText: false, handleChineseChars: false, stripAccents: false, lowercase: false };
  }
  if (!isObject(n) || n["type"] !== "BertNormalizer") {
    fail(source, 'normalizer of type "BertNormalizer" or null', isObject(n) ? n["type"] : n);
  }
  const flag = (key: string, fallback: boolean): boolean => {
    const v = n[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== "boolean") fail(source, `normalizer.${key} to be a boolean`, v);
    return v;
  };
  const lowercase = flag("lowercase", true);
  // HF: strip_accents null means "follow lowercase".
  return {
    cleanText: flag("clean_text", true),
    handleChineseChars: flag("handle_chinese_chars", true),
    stripAccents: flag("strip_accents", lowercase),
    lowercase,
  };
}

function templateToken(post: Json, key: "cls" | "sep", fallback: string): string {
  if (post["type"] === "BertProcessing") {
    const pair = post[key];
    return Array.isArray(pair) && typeof pair[0] === "string" ? pair[0] : fallback;
  }
  if (post["type"] === "TemplateProcessing" && Array.isArray(post["single"])) {
    const specials = post["single"].flatMap((item: unknown) =>
      isObject(item) && isObject(item["SpecialToken"]) &&
        typeof item["SpecialToken"]["id"] === "string"
        ? [item["SpecialToken"]["id"]]
        : []
    );
    const found = key === "cls" ? specials[0] : specials[specials.length - 1];
    return found ?? fallback;
  }
  return fallback;
}

/**
 * Read a parsed Hugging Face `tokenizer.json` of a BERT-style WordPiece model. `[CLS]` / `[SEP]`
 * come from the post-processor (`TemplateProcessing` or `BertProcessing`), `[UNK]` from the
 * model, `[PAD]` from `padding.pad_token` when set; added tokens are split out of raw text.
 * Throws a SyntaxError on another model type, normaliser or pre-tokeniser.
 */
export function parseTokenizerJson(json: unknown, source = "tokenizer.json"): TokenizerConfig {
  if (!isObject(json)) fail(source, "a JSON object", json);
  const model = json["model"];
  if (!isObject(model) || model["type"] !== "WordPiece") {
    fail(source, 'model.type "WordPiece"', isObject(model) ? model["type"] : model);
  }
  const pre = json["pre_tokenizer"];
  if (!isObject(pre) || pre["type"] !== "BertPreTokenizer") {
    fail(source, 'pre_tokenizer of type "BertPreTokenizer"', isObject(pre) ? pre["type"] : pre);
  }
  let vocab = readVocab(model, source);
  const addedTokens: string[] = [];
  const added = json["added_tokens"] ?? [];
  if (!Array.isArray(added)) fail(source, "added_tokens to be an array", added);
  for (const t of added) {
    if (!isObject(t) || typeof t["content"] !== "string" || !Number.isInteger(t["id"])) {
      fail(source, "added token with content and id", t);
    }
    const content = t["content"];
    const id = t["id"] as number;
    if (id === vocab.tokens.length) vocab = vocabFromTokens([...vocab.tokens, content]);
    else if (vocab.tokens[id] !== content) {
      fail(source, `added token "${content}" at id ${id} to match model.vocab`, vocab.tokens[id]);
    }
    addedTokens.push(content);
  }
  const unk = typeof model["unk_token"] === "string" ? model["unk_token"] : BERT_SPECIAL_TOKENS.unk;
  const post = isObject(json["post_processor"]) ? json["post_processor"] : {};
  const padding = json["padding"];
  const pad = isObject(padding) && typeof padding["pad_token"] === "string"
    ? padding["pad_token"]
    : BERT_SPECIAL_TOKENS.pad;
  const maxChars = model["max_input_chars_per_word"] ?? 100;
  if (!Number.isInteger(maxChars)) {
    fail(source, "model.max_input_chars_per_word to be an integer", maxChars);
  }
  const prefix = model["continuing_subword_prefix"] ?? "##";
  if (typeof prefix !== "string") fail(source, "continuing_subword_prefix to be a string", prefix);
  return {
    vocab,
    normalizer: readNormalizer(json["normalizer"], source),
    unkToken: unk,
    continuingSubwordPrefix: prefix,
    maxInputCharsPerWord: maxChars as number,
    specialTokens: {
      pad,
      unk,
      cls: templateToken(post, "cls", BERT_SPECIAL_TOKENS.cls),
      sep: templateToken(post, "sep", BERT_SPECIAL_TOKENS.sep),
      mask: BERT_SPECIAL_TOKENS.mask,
    },
    addedTokens,
  };
}

/**
 * A Hugging Face `tokenizer.json` object for a config, in the layout `tokenizers` writes for
 * `bert-base-uncased` (added tokens, `BertNormalizer`, `BertPreTokenizer`, `TemplateProcessing`
 * `[CLS] $A [SEP]` / `[CLS] $A [SEP] $B:1 [SEP]:1`, `WordPiece` decoder and model).
 */
export function toTokenizerJson(config: TokenizerConfig): Json {
  const { vocab, normalizer: n, specialTokens: s } = config;
  const id = (t: string): number => vocab.ids.get(t) ?? -1;
  const special = (t: string, typeId: number) => ({ SpecialToken: { id: t, type_id: typeId } });
  const sequence = (name: string, typeId: number) => ({ Sequence: { id: name, type_id: typeId } });
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: config.addedTokens.map((t) => ({
      id: id(t),
      content: t,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: "BertNormalizer",
      clean_text: n.cleanText,
      handle_chinese_chars: n.handleChineseChars,
      strip_accents: n.stripAccents,
      lowercase: n.lowercase,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [special(s.cls, 0), sequence("A", 0), special(s.sep, 0)],
      pair: [
        special(s.cls, 0),
        sequence("A", 0),
        special(s.sep, 0),
        sequence("B", 1),
        special(s.sep, 1),
      ],
      special_tokens: Object.fromEntries(
        [s.cls, s.sep].map((t) => [t, { id: t, ids: [id(t)], tokens: [t] }]),
      ),
    },
    decoder: { type: "WordPiece", prefix: config.continuingSubwordPrefix, cleanup: true },
    model: {
      type: "WordPiece",
      unk_token: config.unkToken,
      continuing_subword_prefix: config.continuingSubwordPrefix,
      max_input_chars_per_word: config.maxInputCharsPerWord,
      vocab: Object.fromEntries(vocab.tokens.map((t, i) => [t, i])),
    },
  };
}

/** Read a `tokenizer.json` file (see {@linkcode parseTokenizerJson}). */
export async function loadTokenizerJson(path: string): Promise<TokenizerConfig> {
  const text = await Deno.readTextFile(path);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SyntaxError(`Cannot parse tokenizer.json "${path}": ${(e as Error).message}`);
  }
  return parseTokenizerJson(json, path);
}

/** Write a config as a `tokenizer.json` file. */
export async function saveTokenizerJson(path: string, config: TokenizerConfig): Promise<void> {
  await Deno.writeTextFile(path, JSON.stringify(toTokenizerJson(config), null, 2) + "\n");
}
