/**
 * The small JSON config (`onnx_encoder.json`) that says how to run an ONNX text encoder: its
 * input/output names, how to pool and normalise its output, its similarity, and its query and
 * document lengths. It lets a user-supplied teacher (e.g. exported from Hugging Face or
 * sentence-transformers) run like an encoder the suite exported itself.
 *
 * @module
 */

import { join } from "node:path";
import { writeFileAtomic } from "../../io/mod.ts";

/** File name of the encoder config inside a model directory. */
export const ONNX_ENCODER_CONFIG_FILE = "onnx_encoder.json";

/**
 * How the graph's output becomes one embedding per sequence: `cls` takes token 0 of a
 * [batch, seq, hidden] output, `mean` averages it over the attention mask
 * (sentence-transformers' mean pooling), `none` means the graph already outputs [batch, dim].
 */
export type EncoderPooling = "cls" | "mean" | "none";

/** Similarity the embeddings are meant for; `cosine` implies L2 normalisation before search. */
export type EncoderSimilarity = "dot" | "cosine";

/**
 * How to run an ONNX encoder. In `onnx_encoder.json` the keys are snake_case:
 *
 * ```json
 * {
 *   "pooling": "mean",
 *   "normalize": false,
 *   "similarity": "cosine",
 *   "query_max_length": 32,
 *   "doc_max_length": 256,
 *   "input_names": {
 *     "input_ids": "input_ids",
 *     "attention_mask": "attention_mask",
 *     "token_type_ids": "token_type_ids"
 *   },
 *   "output_name": "last_hidden_state",
 *   "pad_token_id": 0,
 *   "query_prompt": "query: ",
 *   "document_prompt": "passage: "
 * }
 * ```
 *
 * Only `pooling` is required. Defaults: `normalize` false, `similarity` "dot", lengths 32 / 256,
 * Hugging Face input names, `output_name` the graph's first output, `pad_token_id` 0, no prompts
 * (texts put before each query / document before tokenisation, as sentence-transformers' prompts).
 * `token_type_ids` may be `null` for graphs without that input (e.g. DistilBERT); when omitted it
 * is used only if the graph has an input of that name. Inputs may be int64 or int32 (read from the
 * graph).
 */
export interface OnnxEncoderConfig {
  readonly pooling: EncoderPooling;
  /** L2-normalise the pooled embedding (x / max(||x||, 1e-12)). */
  readonly normalize: boolean;
  readonly similarity: EncoderSimilarity;
  readonly queryMaxLength: number;
  readonly docMaxLength: number;
  readonly inputIds: string;
  readonly attentionMask: string;
  /** `null`: the graph has no segment input; `undefined`: use it if the graph has one. */
  readonly tokenTypeIds: string | null | undefined;
  /** Output to read; `undefined`: the graph's first output. */
  readonly outputName: string | undefined;
  readonly padTokenId: number;
  /** Text put before each query before tokenisation (`query_prompt`); absent: none. */
  readonly queryPrompt?: string;
  /** Text put before each document before tokenisation (`document_prompt`); absent: none. */
  readonly documentPrompt?: string;
}

/** Defaults of every optional field. */
export const ONNX_ENCODER_DEFAULTS = {
  normalize: false,
  similarity: "dot",
  queryMaxLength: 32,
  docMaxLength: 256,
  inputIds: "input_ids",
  attentionMask: "attention_mask",
  padTokenId: 0,
} as const;

function bad(source: string, key: string, expected: string, found: unknown): never {
  throw new TypeError(
    `Cannot read "${key}" of ${source}: expected ${expected}, found ${JSON.stringify(found)}`,
  );
}

/** Validate `onnx_encoder.json` contents (snake_case keys); `source` names the file in errors. */
export function parseOnnxEncoderConfig(
  json: unknown,
  source: string = ONNX_ENCODER_CONFIG_FILE,
): OnnxEncoderConfig {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new SyntaxError(`Cannot read ${source}: expected a JSON object`);
  }
  const o = json as Record<string, unknown>;
  const pooling = o["pooling"];
  if (pooling !== "cls" && pooling !== "mean" && pooling !== "none") {
    bad(source, "pooling", `"cls", "mean" or "none"`, pooling);
  }
  const normalize = o["normalize"] ?? ONNX_ENCODER_DEFAULTS.normalize;
  if (typeof normalize !== "boolean") bad(source, "normalize", "true or false", normalize);
  const similarity = o["similarity"] ?? ONNX_ENCODER_DEFAULTS.similarity;
  if (similarity !== "dot" && similarity !== "cosine") {
    bad(source, "similarity", `"dot" or "cosine"`, similarity);
  }
  const length = (key: string, fallback: number): number => {
    const v = o[key] ?? fallback;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
      bad(source, key, "a positive integer", v);
    }
    return v;
  };
  const names = o["input_names"] ?? {};
  if (typeof names !== "object" || names === null || Array.isArray(names)) {
    bad(source, "input_names", "an object", names);
  }
  const n = names as Record<string, unknown>;
  const name = (key: string, fallback: string): string => {
    const v = n[key] ?? fallback;
    if (typeof v !== "string" || v === "") bad(source, `input_names.${key}`, "a name", v);
    return v;
  };
  const types = n["token_type_ids"];
  if (types !== undefined && types !== null && (typeof types !== "string" || types === "")) {
    bad(source, "input_names.token_type_ids", "a name or null", types);
  }
  const output = o["output_name"];
  if (output !== undefined && (typeof output !== "string" || output === "")) {
    bad(source, "output_name", "a name", output);
  }
  const pad = o["pad_token_id"] ?? ONNX_ENCODER_DEFAULTS.padTokenId;
  if (typeof pad !== "number" || !Number.isInteger(pad) || pad < 0) {
    bad(source, "pad_token_id", "a non-negative integer", pad);
  }
  const prompt = (key: string): string | undefined => {
    const v = o[key];
    if (v !== undefined && typeof v !== "string") bad(source, key, "a string", v);
    return v as string | undefined;
  };
  const queryPrompt = prompt("query_prompt");
  const documentPrompt = prompt("document_prompt");
  const config: OnnxEncoderConfig = {
    ...(queryPrompt === undefined ? {} : { queryPrompt }),
    ...(documentPrompt === undefined ? {} : { documentPrompt }),
    pooling,
    normalize,
    similarity,
    queryMaxLength: length("query_max_length", ONNX_ENCODER_DEFAULTS.queryMaxLength),
    docMaxLength: length("doc_max_length", ONNX_ENCODER_DEFAULTS.docMaxLength),
    inputIds: name("input_ids", ONNX_ENCODER_DEFAULTS.inputIds),
    attentionMask: name("attention_mask", ONNX_ENCODER_DEFAULTS.attentionMask),
    tokenTypeIds: types as string | null | undefined,
    outputName: output,
    padTokenId: pad,
  };
  return config;
}

/** The snake_case JSON form of a config (inverse of {@linkcode parseOnnxEncoderConfig}). */
export function onnxEncoderConfigJson(config: OnnxEncoderConfig): Record<string, unknown> {
  const inputNames: Record<string, string | null> = {
    input_ids: config.inputIds,
    attention_mask: config.attentionMask,
  };
  if (config.tokenTypeIds !== undefined) inputNames["token_type_ids"] = config.tokenTypeIds;
  return {
    pooling: config.pooling,
    normalize: config.normalize,
    similarity: config.similarity,
    query_max_length: config.queryMaxLength,
    doc_max_length: config.docMaxLength,
    input_names: inputNames,
    ...(config.outputName === undefined ? {} : { output_name: config.outputName }),
    pad_token_id: config.padTokenId,
    ...(config.queryPrompt === undefined ? {} : { query_prompt: config.queryPrompt }),
    ...(config.documentPrompt === undefined ? {} : { document_prompt: config.documentPrompt }),
  };
}

/** Read and validate `dir/onnx_encoder.json`. */
export async function readOnnxEncoderConfig(dir: string): Promise<OnnxEncoderConfig> {
  const path = join(dir, ONNX_ENCODER_CONFIG_FILE);
  const text = await Deno.readTextFile(path);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`Cannot parse "${path}": ${String(error)}`);
  }
  return parseOnnxEncoderConfig(json, `"${path}"`);
}

/** Write `dir/onnx_encoder.json` atomically; returns the path. */
export async function writeOnnxEncoderConfig(
  dir: string,
  config: OnnxEncoderConfig,
): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const path = join(dir, ONNX_ENCODER_CONFIG_FILE);
  await writeFileAtomic(path, JSON.stringify(onnxEncoderConfigJson(config), null, 2) + "\n");
  return path;
}
