/**
 * Model directories written by other tools, read as suite specs and weights: a Hugging Face BERT
 * folder (`config.json` without the `embeddistill` section, `model.safetensors` with BERT names,
 * bare or `bert.`-prefixed) and a sentence-transformers folder (the same plus `modules.json`,
 * `1_Pooling/config.json`, an optional `Dense` and `Normalize` module,
 * `sentence_bert_config.json` and `config_sentence_transformers.json` prompts).
 *
 * What is read:
 * - sentence-transformers: pooling from the Pooling module (`cls` or `mean`), a projection from a
 *   Dense module (identity activation), cosine similarity (scale {@link ST_COSINE_SCALE}) when a
 *   Normalize module is listed or `similarity_fn_name` is `cosine`, else dot product; the
 *   document length from `max_seq_length`; `query` and `document` (or `passage`) prompts.
 * - plain Hugging Face BERT: a shared-tower dual encoder with mean pooling and dot product (what
 *   sentence-transformers builds around a bare model); `BertForSequenceClassification` with one
 *   label is read as a `cls` cross-encoder.
 *
 * @module
 */

import { join } from "node:path";
import { fromHfConfig, type NamedTensor, type Pooling } from "./config.ts";
import type { DualEncoderSpec, ModelSpec, Prompts, Similarity, Tower } from "./architecture.ts";
import { readSafetensorsFile } from "./safetensors.ts";

/** Cosine scale given to sentence-transformers models (MultipleNegativesRankingLoss' default). */
export const ST_COSINE_SCALE = 20;
/** Query length given to foreign models (tokens, specials included), capped by the model. */
export const FOREIGN_QUERY_MAX_LENGTH = 32;
/** Document length given to foreign models without `max_seq_length`, capped by the model. */
export const FOREIGN_DOCUMENT_MAX_LENGTH = 256;

/** sentence-transformers' file names. */
export const ST_FILES = {
  modules: "modules.json",
  stConfig: "config_sentence_transformers.json",
  bertConfig: "sentence_bert_config.json",
} as const;

/** Module types of sentence-transformers this reader and the suite's writer know. */
export const ST_MODULES = {
  transformer: "sentence_transformers.models.Transformer",
  pooling: "sentence_transformers.models.Pooling",
  dense: "sentence_transformers.models.Dense",
  normalize: "sentence_transformers.models.Normalize",
} as const;

/** Dense module weight names (sentence-transformers' `Dense.linear`). */
export const ST_DENSE_WEIGHTS = { weight: "linear.weight", bias: "linear.bias" } as const;

type Json = Record<string, unknown>;

async function readJsonIfPresent(path: string): Promise<Json | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`Cannot parse "${path}": ${String(error)}`);
  }
  return json as Json;
}

async function readJson(path: string, what: string): Promise<Json> {
  const json = await readJsonIfPresent(path);
  if (json === undefined) {
    throw new Deno.errors.NotFound(`Cannot read ${what}: expected "${path}", found no such file`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new SyntaxError(`Cannot read "${path}": expected a JSON object`);
  }
  return json;
}

/** One entry of `modules.json`. */
interface StModule {
  readonly type: string;
  readonly path: string;
}

async function readModules(dir: string): Promise<readonly StModule[] | undefined> {
  const path = join(dir, ST_FILES.modules);
  const json = await readJsonIfPresent(path) as unknown;
  if (json === undefined) return undefined;
  if (!Array.isArray(json)) throw new SyntaxError(`Cannot read "${path}": expected a JSON array`);
  const known = new Set<string>(Object.values(ST_MODULES));
  const modules = json.map((m: unknown, i) => {
    const o = (m ?? {}) as Json;
    if (typeof o["type"] !== "string" || typeof o["path"] !== "string") {
      throw new SyntaxError(
        `Cannot read module ${i} of "${path}": expected {"type": string, "path": string}, found ${
          JSON.stringify(m)
        }`,
      );
    }
    if (!known.has(o["type"])) {
      throw new TypeError(
        `Cannot load module ${i} of "${path}": unknown module type "${
          o["type"]
        }" (expected one of ${[...known].join(", ")})`,
      );
    }
    return { type: o["type"], path: o["path"] };
  });
  const first = modules[0];
  if (first === undefined || first.type !== ST_MODULES.transformer || first.path !== "") {
    throw new TypeError(
      `Cannot load "${path}": expected the first module to be a ${ST_MODULES.transformer} at path "" (the folder itself), found ${
        JSON.stringify(first ?? null)
      }`,
    );
  }
  return modules;
}

function poolingOf(json: Json, path: string): Pooling {
  const modes = Object.entries(json).filter(([k, v]) => k.startsWith("pooling_mode_") && v === true)
    .map(([k]) => k);
  if (modes.length === 1 && modes[0] === "pooling_mode_cls_token") return "cls";
  if (modes.length === 1 && modes[0] === "pooling_mode_mean_tokens") return "mean";
  throw new TypeError(
    `Cannot use the pooling of "${path}": expected exactly one of pooling_mode_cls_token or pooling_mode_mean_tokens true, found ${
      JSON.stringify(modes)
    }`,
  );
}

function promptsOf(json: Json | undefined, path: string): Prompts | undefined {
  const raw = json?.["prompts"];
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new TypeError(`Cannot read "prompts" of "${path}": expected an object`);
  }
  const p = raw as Json;
  const text = (...keys: string[]): string | undefined => {
    for (const key of keys) {
      const value = p[key];
      if (value === undefined || value === "") continue;
      if (typeof value !== "string") {
        throw new TypeError(`Cannot read prompt "${key}" of "${path}": expected a string`);
      }
      return value;
    }
    return undefined;
  };
  const query = text("query");
  const document = text("document", "passage", "corpus");
  const out: { query?: string; document?: string } = {};
  if (query !== undefined) out.query = query;
  if (document !== undefined) out.document = document;
  return Object.keys(out).length === 0 ? undefined : out;
}

function dualSpec(
  tower: Tower,
  pooling: Pooling,
  similarity: Similarity,
  maxSeqLength: number | undefined,
  prompts: Prompts | undefined,
): DualEncoderSpec {
  const positions = tower.encoder.maxPositions;
  const documentMaxLength = Math.min(maxSeqLength ?? FOREIGN_DOCUMENT_MAX_LENGTH, positions);
  return {
    kind: "dual",
    towers: { kind: "shared", tower },
    pooling,
    similarity,
    queryMaxLength: Math.min(FOREIGN_QUERY_MAX_LENGTH, documentMaxLength),
    documentMaxLength,
    ...(prompts === undefined ? {} : { prompts }),
  };
}

/**
 * The spec of a Hugging Face or sentence-transformers folder `dir` whose `config.json` (parsed as
 * `json`) has no `embeddistill` section. Throws naming the file and field for an unknown
 * architecture (`model_type` other than `bert`), an unknown module or unsupported settings.
 */
export async function readForeignSpec(dir: string, json: Json): Promise<ModelSpec> {
  const configPath = join(dir, "config.json");
  const modelType = json["model_type"];
  if (modelType !== "bert") {
    throw new TypeError(
      `Cannot load "${configPath}": unknown architecture model_type ${
        JSON.stringify(modelType)
      } (expected "bert", or an embeddistill model directory)`,
    );
  }
  const positions = json["position_embedding_type"] ?? "absolute";
  if (positions !== "absolute") {
    throw new TypeError(
      `Cannot load "${configPath}": position_embedding_type ${
        JSON.stringify(positions)
      } is not supported (expected "absolute")`,
    );
  }
  const encoder = fromHfConfig(json, `"${configPath}"`);
  const modules = await readModules(dir);
  if (modules === undefined) {
    const architectures = json["architectures"];
    const head = Array.isArray(architectures) ? architectures[0] : undefined;
    if (head === "BertForSequenceClassification") {
      const labels = json["num_labels"] ??
        Object.keys((json["id2label"] ?? { 0: "" }) as Json).length;
      if (labels !== 1) {
        throw new TypeError(
          `Cannot load "${configPath}" as a cross-encoder: expected 1 label, found ${labels}`,
        );
      }
      return {
        kind: "cross",
        encoder,
        scorer: { kind: "cls" },
        maxLength: Math.min(FOREIGN_DOCUMENT_MAX_LENGTH, encoder.maxPositions),
      };
    }
    return dualSpec({ encoder }, "mean", { kind: "dot" }, undefined, undefined);
  }
  let pooling: Pooling | undefined;
  let projectionDim: number | undefined;
  let normalize = false;
  for (const m of modules.slice(1)) {
    switch (m.type) {
      case ST_MODULES.pooling: {
        const path = join(dir, m.path, "config.json");
        const config = await readJson(path, "the Pooling module's config");
        pooling = poolingOf(config, path);
        const width = config["word_embedding_dimension"];
        if (width !== undefined && width !== encoder.hiddenSize) {
          throw new TypeError(
            `Cannot use "${path}": word_embedding_dimension ${width} differs from the hidden size ${encoder.hiddenSize} of "${configPath}"`,
          );
        }
        break;
      }
      case ST_MODULES.dense: {
        const path = join(dir, m.path, "config.json");
        const config = await readJson(path, "the Dense module's config");
        const activation = config["activation_function"] ?? "torch.nn.modules.linear.Identity";
        if (activation !== "torch.nn.modules.linear.Identity") {
          throw new TypeError(
            `Cannot use the Dense module of "${path}": expected activation_function "torch.nn.modules.linear.Identity", found ${
              JSON.stringify(activation)
            }`,
          );
        }
        if (pooling === undefined || projectionDim !== undefined) {
          throw new TypeError(
            `Cannot use the Dense module "${m.path}" of "${
              join(dir, ST_FILES.modules)
            }": expected one Dense module, after the Pooling module`,
          );
        }
        const out = config["out_features"];
        if (typeof out !== "number" || !Number.isInteger(out) || out <= 0) {
          throw new TypeError(
            `Cannot read "out_features" of "${path}": expected a positive integer, found ${
              JSON.stringify(out)
            }`,
          );
        }
        projectionDim = out;
        break;
      }
      case ST_MODULES.normalize:
        normalize = true;
        break;
      default:
        throw new TypeError(
          `Cannot load "${join(dir, ST_FILES.modules)}": the ${m.type} must come first`,
        );
    }
  }
  if (pooling === undefined) {
    throw new TypeError(
      `Cannot load "${join(dir, ST_FILES.modules)}": expected a ${ST_MODULES.pooling} module`,
    );
  }
  const stConfigPath = join(dir, ST_FILES.stConfig);
  const stConfig = await readJsonIfPresent(stConfigPath);
  const cosine = normalize || stConfig?.["similarity_fn_name"] === "cosine";
  const bertConfig = await readJsonIfPresent(join(dir, ST_FILES.bertConfig));
  const maxSeq = bertConfig?.["max_seq_length"];
  return dualSpec(
    projectionDim === undefined ? { encoder } : { encoder, projectionDim },
    pooling,
    cosine ? { kind: "cosine", scale: ST_COSINE_SCALE } : { kind: "dot" },
    typeof maxSeq === "number" && maxSeq > 0 ? maxSeq : undefined,
    promptsOf(stConfig, stConfigPath),
  );
}

/**
 * Read `dir/model.safetensors` (refusing `pytorch_model.bin` with a message to convert it), plus a
 * Dense module's `linear.weight` / `linear.bias` as `projection.weight` / `projection.bias` (a
 * zero bias when its config says `"bias": false`), checked against its config's shapes. Returns the tensors as stored; the caller checks them against the
 * spec.
 */
export async function readForeignWeights(dir: string): Promise<Map<string, NamedTensor>> {
  const tensors = new Map((await readWeightsFile(dir)).tensors);
  const modules = await readModules(dir);
  const dense = modules?.find((m) => m.type === ST_MODULES.dense);
  if (dense !== undefined) {
    const denseDir = join(dir, dense.path);
    const { tensors: d } = await readWeightsFile(denseDir);
    const file = join(denseDir, "model.safetensors");
    const config = await readJson(join(denseDir, "config.json"), "the Dense module's config");
    const shape = [config["out_features"], config["in_features"]];
    const check = (name: string, expected: readonly unknown[]) => {
      const t = d.get(name);
      if (t === undefined) throw new RangeError(`Cannot find tensor "${name}" in "${file}"`);
      if (t.shape.length !== expected.length || t.shape.some((n, i) => n !== expected[i])) {
        throw new TypeError(
          `Cannot use tensor "${name}" of "${file}": expected shape ${
            JSON.stringify(expected)
          } (out_features, in_features of its config.json), found ${JSON.stringify(t.shape)}`,
        );
      }
      return t;
    };
    const weight = check(ST_DENSE_WEIGHTS.weight, shape);
    tensors.set("projection.weight", weight);
    tensors.set(
      "projection.bias",
      config["bias"] === false
        ? { shape: [weight.shape[0]!], data: new Float32Array(weight.shape[0]!) }
        : check(ST_DENSE_WEIGHTS.bias, [shape[0]]),
    );
  }
  return tensors;
}

async function readWeightsFile(dir: string) {
  const path = join(dir, "model.safetensors");
  try {
    return await readSafetensorsFile(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    for (const other of ["pytorch_model.bin", "model.safetensors.index.json"]) {
      try {
        await Deno.stat(join(dir, other));
      } catch {
        continue;
      }
      throw new Deno.errors.NotFound(
        other === "pytorch_model.bin"
          ? `Cannot load the weights of "${dir}": found "pytorch_model.bin" (PyTorch pickle), which is not read; convert it to "model.safetensors" (e.g. \`safetensors.torch.save_file(torch.load(path), "model.safetensors", metadata={"format": "pt"})\`)`
          : `Cannot load the weights of "${dir}": found a sharded checkpoint "${other}"; expected one "model.safetensors"`,
      );
    }
    throw new Deno.errors.NotFound(
      `Cannot load the weights of "${dir}": expected "${path}", found no such file`,
    );
  }
}
