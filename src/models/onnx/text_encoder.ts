/**
 * `OnnxTextEncoder`: a user-supplied encoder directory (`model.onnx` + `onnx_encoder.json` + a
 * `tokenizer.json` or `vocab.txt`) that encodes text, with its provenance recorded.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join } from "node:path";
import {
  bertTokenizerConfig,
  CASED_NORMALIZER,
  loadTokenizerJson,
  loadVocabTxt,
  UNCASED_NORMALIZER,
  WordPieceTokenizer,
} from "../../text/mod.ts";
import type { Matrix } from "../../io/mod.ts";
import {
  type EncodeOptions,
  OnnxEncoder,
  type OnnxEncoderInfo,
  type OnnxEncoderLoadOptions,
} from "./encoder.ts";
import type { OnnxEncoderConfig } from "./encoder_config.ts";

/** A document to encode: BEIR's `title` and `text` fields. */
export interface TitledText {
  readonly title?: string;
  readonly text: string;
}

/**
 * How a document's title and text become one sequence: `concat` puts the title, `separator` and
 * the text together (BEIR's dense models use `title + " " + text`; an empty title adds nothing),
 * `ignore` encodes the text alone.
 */
export type TitleJoin =
  | { readonly kind: "concat"; readonly separator: string }
  | { readonly kind: "ignore" };

/** The default {@link TitleJoin}: BEIR's `title + " " + text`. */
export const DEFAULT_TITLE_JOIN: TitleJoin = { kind: "concat", separator: " " };

/** Options of {@linkcode OnnxTextEncoder.load}. */
export interface TextEncoderLoadOptions extends OnnxEncoderLoadOptions {
  /** Tokenizer to use instead of the directory's `tokenizer.json` / `vocab.txt`. */
  readonly tokenizer?: WordPieceTokenizer;
  /** Default {@link DEFAULT_TITLE_JOIN}. */
  readonly titleJoin?: TitleJoin;
}

/** Where the tokenizer came from. */
export interface TokenizerSource {
  /** `tokenizer.json`, `vocab.txt` (with `tokenizer_config.json` when present) or `given`. */
  readonly kind: "tokenizer.json" | "vocab.txt" | "given";
  /** Files read, in order (empty for a given tokenizer). */
  readonly files: readonly string[];
  /** SHA-256 (hex) of the files' bytes concatenated in order; null for a given tokenizer. */
  readonly sha256: string | null;
  readonly vocabSize: number;
  readonly lowercase: boolean;
}

/** Everything a result records about a text encoder. */
export interface TextEncoderInfo {
  readonly encoder: OnnxEncoderInfo;
  readonly tokenizer: TokenizerSource;
  readonly titleJoin: TitleJoin;
  readonly queryMaxLength: number;
  readonly docMaxLength: number;
}

/** Files a text encoder directory may hold (Hugging Face names). */
export const TOKENIZER_FILES = {
  json: "tokenizer.json",
  vocab: "vocab.txt",
  config: "tokenizer_config.json",
} as const;

async function readIfPresent(path: string): Promise<Uint8Array | undefined> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

function sha256(parts: readonly Uint8Array[]): string {
  const hash = createHash("sha256");
  for (const p of parts) hash.update(p);
  return hash.digest("hex");
}

/**
 * Read the tokenizer of `dir`: `tokenizer.json` if present, else `vocab.txt` with the normaliser
 * of HF `BertTokenizer` (`do_lower_case` from `tokenizer_config.json`, default true; accents
 * stripped when `strip_accents` is true, or when it is unset and lowercasing is on).
 */
export async function loadDirTokenizer(
  dir: string,
): Promise<{ readonly tokenizer: WordPieceTokenizer; readonly source: TokenizerSource }> {
  const jsonPath = join(dir, TOKENIZER_FILES.json);
  const json = await readIfPresent(jsonPath);
  if (json !== undefined) {
    const tokenizer = new WordPieceTokenizer(await loadTokenizerJson(jsonPath));
    return {
      tokenizer,
      source: {
        kind: "tokenizer.json",
        files: [jsonPath],
        sha256: sha256([json]),
        vocabSize: tokenizer.vocab.tokens.length,
        lowercase: tokenizer.config.normalizer.lowercase,
      },
    };
  }
  const vocabPath = join(dir, TOKENIZER_FILES.vocab);
  const vocabBytes = await readIfPresent(vocabPath);
  if (vocabBytes === undefined) {
    throw new Deno.errors.NotFound(
      `Cannot load the tokenizer of "${dir}": expected "${TOKENIZER_FILES.json}" or "${TOKENIZER_FILES.vocab}", found neither`,
    );
  }
  const vocab = await loadVocabTxt(vocabPath);
  const configPath = join(dir, TOKENIZER_FILES.config);
  const configBytes = await readIfPresent(configPath);
  let lowercase = true;
  let stripAccents: boolean | undefined;
  if (configBytes !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(configBytes));
    } catch (error) {
      throw new SyntaxError(`Cannot parse "${configPath}": ${String(error)}`);
    }
    const o = (parsed ?? {}) as Record<string, unknown>;
    if (typeof o["do_lower_case"] === "boolean") lowercase = o["do_lower_case"];
    if (typeof o["strip_accents"] === "boolean") stripAccents = o["strip_accents"];
  }
  const base = lowercase ? UNCASED_NORMALIZER : CASED_NORMALIZER;
  const normalizer = { ...base, stripAccents: stripAccents ?? lowercase };
  const tokenizer = new WordPieceTokenizer(bertTokenizerConfig(vocab, { normalizer }));
  const files = configBytes === undefined ? [vocabPath] : [vocabPath, configPath];
  return {
    tokenizer,
    source: {
      kind: "vocab.txt",
      files,
      sha256: sha256(configBytes === undefined ? [vocabBytes] : [vocabBytes, configBytes]),
      vocabSize: vocab.tokens.length,
      lowercase,
    },
  };
}

/** The sequence a document is encoded as, under a {@link TitleJoin}. */
export function documentText(doc: TitledText | string, join: TitleJoin): string {
  if (typeof doc === "string") return doc;
  switch (join.kind) {
    case "ignore":
      return doc.text;
    case "concat":
      return doc.title !== undefined && doc.title !== ""
        ? `${doc.title}${join.separator}${doc.text}`
        : doc.text;
    default: {
      const unreachable: never = join;
      return unreachable;
    }
  }
}

/**
 * An ONNX encoder with its tokenizer: encodes query texts (cut to `query_max_length` tokens) and
 * documents (title and text joined, cut to `doc_max_length`) into embeddings, pooled and
 * normalised as `onnx_encoder.json` says. Call `close` to release the session.
 *
 * @example
 * ```ts
 * const encoder = await OnnxTextEncoder.load("models/teacher"); // model.onnx, onnx_encoder.json, vocab.txt
 * const q = await encoder.encodeQueries(["what is a dual encoder"]);
 * const d = await encoder.encodeDocuments([{ title: "Retrieval", text: "A dual encoder ..." }]);
 * ```
 */
export class OnnxTextEncoder {
  readonly #encoder: OnnxEncoder;
  readonly #source: TokenizerSource;
  /** The tokenizer texts go through. */
  readonly tokenizer: WordPieceTokenizer;
  /** How documents' titles and texts are joined. */
  readonly titleJoin: TitleJoin;

  private constructor(
    encoder: OnnxEncoder,
    tokenizer: WordPieceTokenizer,
    source: TokenizerSource,
    titleJoin: TitleJoin,
  ) {
    this.#encoder = encoder;
    this.tokenizer = tokenizer;
    this.#source = source;
    this.titleJoin = titleJoin;
  }

  /** Load `dir`: `model.onnx`, `onnx_encoder.json` and the tokenizer (see {@link loadDirTokenizer}). */
  static async load(dir: string, options: TextEncoderLoadOptions = {}): Promise<OnnxTextEncoder> {
    let tokenizer: WordPieceTokenizer;
    let source: TokenizerSource;
    if (options.tokenizer !== undefined) {
      tokenizer = options.tokenizer;
      source = {
        kind: "given",
        files: [],
        sha256: null,
        vocabSize: tokenizer.vocab.tokens.length,
        lowercase: tokenizer.config.normalizer.lowercase,
      };
    } else {
      ({ tokenizer, source } = await loadDirTokenizer(dir));
    }
    const encoder = await OnnxEncoder.load(dir, options);
    if (encoder.config.padTokenId !== tokenizer.padId) {
      await encoder.close();
      throw new TypeError(
        `Cannot use the encoder in "${dir}": its pad_token_id is ${encoder.config.padTokenId} but the tokenizer's "${tokenizer.config.specialTokens.pad}" is ${tokenizer.padId}`,
      );
    }
    return new OnnxTextEncoder(encoder, tokenizer, source, options.titleJoin ?? DEFAULT_TITLE_JOIN);
  }

  /** The ONNX encoder behind this one (token ids in, embeddings out). */
  get tokenEncoder(): OnnxEncoder {
    return this.#encoder;
  }

  /** The encoder's `onnx_encoder.json` settings. */
  get config(): OnnxEncoderConfig {
    return this.#encoder.config;
  }

  /** Token ids of queries (prompt first), `[CLS] ... [SEP]`, at most `query_max_length` tokens. */
  tokenizeQueries(texts: readonly string[]): (readonly number[])[] {
    const maxLength = this.config.queryMaxLength;
    const prompt = this.config.queryPrompt ?? "";
    return texts.map((t) => this.tokenizer.encode(prompt + t, { maxLength }).ids);
  }

  /** Token ids of documents (prompt first, title joined), at most `doc_max_length` tokens. */
  tokenizeDocuments(docs: readonly (TitledText | string)[]): (readonly number[])[] {
    const maxLength = this.config.docMaxLength;
    const prompt = this.config.documentPrompt ?? "";
    return docs.map((d) =>
      this.tokenizer.encode(prompt + documentText(d, this.titleJoin), { maxLength }).ids
    );
  }

  /** Embeddings of query texts, in input order. */
  encodeQueries(
    texts: readonly string[],
    options: Omit<EncodeOptions, "maxLength"> = {},
  ): Promise<Matrix> {
    return this.#encoder.encodeQueries(this.tokenizeQueries(texts), options);
  }

  /** Embeddings of documents (strings or title + text), in input order. */
  encodeDocuments(
    docs: readonly (TitledText | string)[],
    options: Omit<EncodeOptions, "maxLength"> = {},
  ): Promise<Matrix> {
    return this.#encoder.encodeDocuments(this.tokenizeDocuments(docs), options);
  }

  /** Provenance: the model file's SHA-256, config, session, tokenizer files' hash, text settings. */
  async describe(): Promise<TextEncoderInfo> {
    return {
      encoder: await this.#encoder.describe(),
      tokenizer: this.#source,
      titleJoin: this.titleJoin,
      queryMaxLength: this.config.queryMaxLength,
      docMaxLength: this.config.docMaxLength,
    };
  }

  /** Release the native session. */
  close(): Promise<void> {
    return this.#encoder.close();
  }
}
