/**
 * Finding the ONNX text encoder of one side of a model directory: an exported encoder folder
 * itself, its `onnx-query` / `onnx-document` folders, its `onnx/` folder (the ecosystem export: the
 * query tower, both sides of shared towers), or (for a model directory holding only
 * config.json, model.safetensors and tokenizer.json or vocab.txt — the suite's, or a Hugging Face /
 * sentence-transformers folder) an export made on demand and cached under
 * `$EMBEDDISTILL_HOME/artifacts` by the model's content hash. Each encoder is named by a content
 * hash of the files it runs on.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join } from "node:path";
import { cachedContent, canonicalJson, pathExists, sha256Text } from "../io/mod.ts";
import { loadModelDir, modelHash, readModelSpec, type Side } from "../models/mod.ts";
import {
  ECOSYSTEM_ONNX,
  exportTextEncoderTower,
  loadDirTokenizer,
  ONNX_TOWER_DIRS,
} from "../models/onnx/mod.ts";

/** An ONNX text encoder folder and the content hash of its files. */
export interface EncoderRef {
  readonly dir: string;
  /** SHA-256 of `model.onnx`, `onnx_encoder.json` and the tokenizer file, in that order. */
  readonly hash: string;
}

const ENCODER_FILES = ["model.onnx", "onnx_encoder.json"] as const;
const TOKENIZER_FILES = ["tokenizer.json", "vocab.txt"] as const;

async function isEncoderDir(dir: string): Promise<boolean> {
  for (const f of ENCODER_FILES) if (!await pathExists(join(dir, f))) return false;
  for (const f of TOKENIZER_FILES) if (await pathExists(join(dir, f))) return true;
  return false;
}

/** Content hash of an encoder folder: its model, encoder config and tokenizer files. */
export async function encoderHash(dir: string): Promise<string> {
  const hash = createHash("sha256");
  const files: string[] = [...ENCODER_FILES];
  for (const f of TOKENIZER_FILES) {
    if (await pathExists(join(dir, f))) {
      files.push(f);
      break;
    }
  }
  for (const f of files) {
    const bytes = await Deno.readFile(join(dir, f));
    hash.update(`${f}:${bytes.length};`);
    hash.update(bytes);
  }
  return hash.digest("hex");
}

async function sharedTowers(dir: string): Promise<boolean> {
  try {
    const spec = await readModelSpec(dir);
    return spec.kind === "dual" && spec.towers.kind === "shared";
  } catch {
    return false;
  }
}

/** Options of {@linkcode findEncoder}. */
export interface FindEncoderOptions {
  /** Root of on-demand exports (default `$EMBEDDISTILL_HOME/artifacts`). */
  readonly artifacts: string;
}

/**
 * The encoder of `side` for model directory `dir`: `dir` itself when it is an encoder folder
 * (model.onnx, onnx_encoder.json and a tokenizer), else `dir/onnx-<side>` when complete, else
 * `dir/onnx` (the query side, or either side of shared towers), else an
 * export of the dual encoder in `dir` (config.json, model.safetensors, tokenizer.json or vocab.txt;
 * a suite, Hugging Face or sentence-transformers folder) cached
 * under `artifacts` by its model hash. Throws NotFound naming what was expected.
 */
export async function findEncoder(
  dir: string,
  side: Side,
  options: FindEncoderOptions,
): Promise<EncoderRef> {
  if (await isEncoderDir(dir)) return { dir, hash: await encoderHash(dir) };
  const tower = join(dir, ONNX_TOWER_DIRS[side]);
  if (await isEncoderDir(tower)) return { dir: tower, hash: await encoderHash(tower) };
  // The ecosystem export's onnx/ folder: the query tower (both sides when the towers are shared).
  const ecosystem = join(dir, ECOSYSTEM_ONNX.dir);
  if (
    await isEncoderDir(ecosystem) &&
    (side === "query" || await sharedTowers(dir))
  ) return { dir: ecosystem, hash: await encoderHash(ecosystem) };
  if (
    await pathExists(join(dir, "config.json")) &&
    (await pathExists(join(dir, "tokenizer.json")) || await pathExists(join(dir, "vocab.txt")))
  ) {
    const model = await loadModelDir(dir);
    if (model.spec.kind !== "dual") {
      throw new TypeError(
        `Cannot use "${dir}" as a ${side} encoder: it holds a ${model.spec.kind}-encoder, expected a dual encoder`,
      );
    }
    const spec = model.spec;
    const key = sha256Text(
      canonicalJson({
        artifact: "onnx-tower",
        version: 1,
        model: modelHash(spec, model.weights),
        side,
      }),
    );
    const { tokenizer } = await loadDirTokenizer(dir);
    const entry = await cachedContent(options.artifacts, key, () => Promise.resolve(true), {
      read: async (d) => (await isEncoderDir(d)) ? true : undefined,
      write: async (d) => {
        await exportTextEncoderTower(d, spec, model.weights, side, tokenizer);
      },
    });
    return { dir: entry.dir, hash: await encoderHash(entry.dir) };
  }
  throw new Deno.errors.NotFound(
    `Cannot find the ${side} encoder of "${dir}": expected ${
      ONNX_TOWER_DIRS[side]
    }/ (model.onnx, onnx_encoder.json, tokenizer.json), an encoder folder, or a model directory (config.json, model.safetensors, tokenizer.json)`,
  );
}
