/**
 * Self-contained ONNX encoder folders of a dual encoder's towers (`onnx-query`, `onnx-document`
 * inside a model directory): each holds `model.onnx`, `onnx_encoder.json` (lengths, pooling,
 * similarity, pad id) and the `tokenizer.json` it was trained with, so `OnnxTextEncoder.load(dir)`
 * needs nothing else.
 *
 * @module
 */

import { join } from "node:path";
import { toTokenizerJson, type WordPieceTokenizer } from "../../text/mod.ts";
import { writeFileAtomic } from "../../io/mod.ts";
import type { NamedTensors } from "../config.ts";
import type { DualEncoderSpec, Side } from "../architecture.ts";
import { exportDualEncoderTower } from "./encoder_export.ts";
import { readOnnxEncoderConfig, writeOnnxEncoderConfig } from "./encoder_config.ts";
import { TOKENIZER_FILES } from "./text_encoder.ts";

/** Folder names of the exported towers inside a model directory. */
export const ONNX_TOWER_DIRS = { query: "onnx-query", document: "onnx-document" } as const;

/**
 * Export one tower of a dual encoder into `dir` as a self-contained text encoder: `model.onnx`,
 * `onnx_encoder.json` (its `pad_token_id` the tokenizer's) and `tokenizer.json`.
 */
export async function exportTextEncoderTower(
  dir: string,
  spec: DualEncoderSpec,
  weights: NamedTensors,
  side: Side,
  tokenizer: WordPieceTokenizer,
): Promise<string> {
  await exportDualEncoderTower(dir, spec, weights, side);
  const config = await readOnnxEncoderConfig(dir);
  if (config.padTokenId !== tokenizer.padId) {
    await writeOnnxEncoderConfig(dir, { ...config, padTokenId: tokenizer.padId });
  }
  await writeFileAtomic(
    join(dir, TOKENIZER_FILES.json),
    JSON.stringify(toTokenizerJson(tokenizer.config), null, 2) + "\n",
  );
  return dir;
}

/**
 * Export the towers of a dual encoder into `modelDir/onnx-query` and (unless `document` is false)
 * `modelDir/onnx-document`, each loadable on its own with `OnnxTextEncoder.load`.
 *
 * @example
 * ```ts
 * const { query } = await exportOnnxTowers("models/student", spec, weights, tokenizer);
 * const encoder = await OnnxTextEncoder.load(query);
 * ```
 */
export async function exportOnnxTowers(
  modelDir: string,
  spec: DualEncoderSpec,
  weights: NamedTensors,
  tokenizer: WordPieceTokenizer,
  options: { readonly document?: boolean } = {},
): Promise<{ readonly query: string; readonly document: string | null }> {
  const query = await exportTextEncoderTower(
    join(modelDir, ONNX_TOWER_DIRS.query),
    spec,
    weights,
    "query",
    tokenizer,
  );
  const document = options.document === false ? null : await exportTextEncoderTower(
    join(modelDir, ONNX_TOWER_DIRS.document),
    spec,
    weights,
    "document",
    tokenizer,
  );
  return { query, document };
}
