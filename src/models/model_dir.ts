/**
 * Model directories on disk: `config.json` (Hugging Face BERT fields plus an `embeddistill`
 * section: kind, pooling, similarity, towers, projections, scorer, max lengths) and
 * `model.safetensors` (Hugging Face names; projections and heads included), written atomically.
 *
 * @module
 */

import { join } from "node:path";
import {
  type BertConfig,
  fromHfConfig,
  type NamedTensor,
  type NamedTensors,
  type Pooling,
  toHfConfig,
} from "./config.ts";
import {
  collectModelWeights,
  type CrossScorer,
  type ModelSpec,
  type Similarity,
  type Tower,
  validateSpec,
} from "./architecture.ts";
import { readSafetensorsFile, writeSafetensorsFile } from "./safetensors.ts";
import { readForeignSpec, readForeignWeights } from "./foreign_dir.ts";
import { pathExists, writeFileAtomic } from "../io/mod.ts";

/** File names inside a model directory. */
export const MODEL_FILES = { config: "config.json", weights: "model.safetensors" } as const;

/** Version of the `embeddistill` section this code writes and reads. */
export const MODEL_FORMAT_VERSION = 1;

function similarityJson(similarity: Similarity): Record<string, unknown> {
  return similarity.kind === "dot" ? { kind: "dot" } : { kind: "cosine", scale: similarity.scale };
}

/** The `config.json` object of a model (HF fields of the query / only encoder at top level). */
export function specToConfigJson(spec: ModelSpec): Record<string, unknown> {
  validateSpec(spec);
  switch (spec.kind) {
    case "dual": {
      const towers = spec.towers;
      const query: Tower = towers.kind === "shared" ? towers.tower : towers.query;
      const section: Record<string, unknown> = {
        format_version: MODEL_FORMAT_VERSION,
        kind: "dual",
        towers: towers.kind,
        pooling: spec.pooling,
        similarity: similarityJson(spec.similarity),
        query_projection_dim: query.projectionDim ?? null,
        query_max_length: spec.queryMaxLength,
        document_max_length: spec.documentMaxLength,
      };
      if (spec.prompts?.query !== undefined) section["query_prompt"] = spec.prompts.query;
      if (spec.prompts?.document !== undefined) section["document_prompt"] = spec.prompts.document;
      if (towers.kind === "separate") {
        section["document_encoder"] = toHfConfig(towers.document.encoder);
        section["document_projection_dim"] = towers.document.projectionDim ?? null;
      }
      return { ...toHfConfig(query.encoder), embeddistill: section };
    }
    case "cross": {
      const scorer = spec.scorer;
      return {
        ...toHfConfig(spec.encoder),
        ...(scorer.kind === "cls"
          ? { architectures: ["BertForSequenceClassification"], num_labels: 1 }
          : {}),
        embeddistill: {
          format_version: MODEL_FORMAT_VERSION,
          kind: "cross",
          scorer: scorer.kind === "cls"
            ? { kind: "cls" }
            : { kind: "dual-pooling", include_special_tokens: scorer.includeSpecialTokens },
          max_length: spec.maxLength,
        },
      };
    }
    default: {
      const unreachable: never = spec;
      throw new TypeError(`Unknown model kind ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Read a model spec from a `config.json` object; throws TypeError naming the bad field. */
export function specFromConfigJson(
  json: Record<string, unknown>,
  source = "config.json",
): ModelSpec {
  const raw = json["embeddistill"];
  const bad = (field: string, expected: string, found: unknown): never => {
    throw new TypeError(
      `Cannot read "embeddistill.${field}" of ${source}: expected ${expected}, found ${
        JSON.stringify(found)
      }`,
    );
  };
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return bad("", "an object (this is not an embeddistill model directory)", raw);
  }
  const section = raw as Record<string, unknown>;
  const count = (field: string): number => {
    const value = section[field];
    return typeof value === "number" && Number.isInteger(value) && value > 0
      ? value
      : bad(field, "a positive integer", value);
  };
  const optionalCount = (field: string): number | undefined =>
    section[field] === null || section[field] === undefined ? undefined : count(field);
  const tower = (encoder: BertConfig, dim: number | undefined): Tower =>
    dim === undefined ? { encoder } : { encoder, projectionDim: dim };
  if (section["format_version"] !== MODEL_FORMAT_VERSION) {
    bad("format_version", String(MODEL_FORMAT_VERSION), section["format_version"]);
  }
  const encoder = fromHfConfig(json, source);
  let spec: ModelSpec;
  switch (section["kind"]) {
    case "dual": {
      const pooling = section["pooling"];
      if (pooling !== "cls" && pooling !== "mean") bad("pooling", '"cls" or "mean"', pooling);
      const sim = section["similarity"] as Record<string, unknown> | null | undefined;
      let similarity: Similarity;
      if (sim?.["kind"] === "dot") similarity = { kind: "dot" };
      else if (sim?.["kind"] === "cosine" && typeof sim["scale"] === "number") {
        similarity = { kind: "cosine", scale: sim["scale"] };
      } else {
        return bad("similarity", '{"kind":"dot"} or {"kind":"cosine","scale":number}', sim);
      }
      const query = tower(encoder, optionalCount("query_projection_dim"));
      const towersKind = section["towers"];
      if (towersKind !== "shared" && towersKind !== "separate") {
        bad("towers", '"shared" or "separate"', towersKind);
      }
      const documentEncoder = section["document_encoder"];
      if (
        towersKind === "separate" &&
        (typeof documentEncoder !== "object" || documentEncoder === null)
      ) {
        bad("document_encoder", "a BERT config object", documentEncoder);
      }
      const prompts: { query?: string; document?: string } = {};
      for (const side of ["query", "document"] as const) {
        const value = section[`${side}_prompt`];
        if (value === undefined) continue;
        if (typeof value !== "string") bad(`${side}_prompt`, "a string", value);
        prompts[side] = value as string;
      }
      spec = {
        kind: "dual",
        ...(Object.keys(prompts).length === 0 ? {} : { prompts }),
        towers: towersKind === "shared" ? { kind: "shared", tower: query } : {
          kind: "separate",
          query,
          document: tower(
            fromHfConfig(documentEncoder as Record<string, unknown>, `${source} document_encoder`),
            optionalCount("document_projection_dim"),
          ),
        },
        pooling: pooling as Pooling,
        similarity,
        queryMaxLength: count("query_max_length"),
        documentMaxLength: count("document_max_length"),
      };
      break;
    }
    case "cross": {
      const s = section["scorer"] as Record<string, unknown> | null | undefined;
      let scorer: CrossScorer;
      if (s?.["kind"] === "cls") scorer = { kind: "cls" };
      else if (s?.["kind"] === "dual-pooling" && typeof s["include_special_tokens"] === "boolean") {
        scorer = { kind: "dual-pooling", includeSpecialTokens: s["include_special_tokens"] };
      } else {
        return bad(
          "scorer",
          '{"kind":"cls"} or {"kind":"dual-pooling","include_special_tokens":boolean}',
          s,
        );
      }
      spec = { kind: "cross", encoder, scorer, maxLength: count("max_length") };
      break;
    }
    default:
      return bad("kind", '"dual" or "cross"', section["kind"]);
  }
  validateSpec(spec);
  return spec;
}

/** Whether a parsed `config.json` carries the suite's `embeddistill` section. */
export function hasSuiteSection(json: Record<string, unknown>): boolean {
  return json["embeddistill"] !== undefined;
}

/**
 * How weights are named on disk: as canonical names, except that the query tower of separate
 * towers is stored bare (no `query.` prefix), so the file's BERT tensors are the query encoder a
 * Hugging Face `BertModel` loads (the `document.` tensors are extra to it), and that a `cls`
 * cross-encoder's BERT tensors are stored under `bert.`, as Hugging Face
 * `BertForSequenceClassification` names them (`classifier.*` stays bare). Reading accepts both.
 */
export function diskWeightNames(
  spec: ModelSpec,
  tensors: ReadonlyMap<string, NamedTensor>,
): Map<string, NamedTensor> {
  if (spec.kind === "cross" && spec.scorer.kind === "cls") {
    return new Map(
      [...tensors].map(([name, x]) => [name.startsWith("classifier.") ? name : `bert.${name}`, x]),
    );
  }
  if (spec.kind !== "dual" || spec.towers.kind !== "separate") return new Map(tensors);
  return new Map(
    [...tensors].map(([name, x]) => [name.startsWith("query.") ? name.slice(6) : name, x]),
  );
}

/** A model read from disk: its spec and weights under canonical names. */
export interface StoredModel {
  readonly spec: ModelSpec;
  readonly weights: NamedTensors;
}

/**
 * Write `config.json` and `model.safetensors` into `dir` (created if needed), each atomically.
 * Only the model's own tensors are written (checked complete and shaped by the spec).
 */
export async function saveModelDir(
  dir: string,
  spec: ModelSpec,
  weights: NamedTensors,
): Promise<void> {
  const config = specToConfigJson(spec);
  const tensors = collectModelWeights(spec, weights, `the weights saved to "${dir}"`);
  await Deno.mkdir(dir, { recursive: true });
  await writeSafetensorsFile(join(dir, MODEL_FILES.weights), diskWeightNames(spec, tensors), {
    metadata: { format: "pt" },
  });
  await writeFileAtomic(join(dir, MODEL_FILES.config), JSON.stringify(config, null, 2) + "\n");
}

/**
 * The spec of a model directory: its config.json alone for a directory written by
 * {@link saveModelDir}; for a Hugging Face or sentence-transformers folder (no `embeddistill`
 * section), also its sentence-transformers module files (see `foreign_dir.ts`).
 */
export async function readModelSpec(dir: string): Promise<ModelSpec> {
  const configPath = join(dir, MODEL_FILES.config);
  let json: unknown;
  try {
    json = JSON.parse(await Deno.readTextFile(configPath));
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new SyntaxError(`Cannot parse "${configPath}": ${error.message}`);
    }
    throw error;
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new SyntaxError(`Cannot read "${configPath}": expected a JSON object`);
  }
  const config = json as Record<string, unknown>;
  if (!hasSuiteSection(config)) return readForeignSpec(dir, config);
  return specFromConfigJson(config, `"${configPath}"`);
}

/**
 * Read a model directory written by {@link saveModelDir}, or a Hugging Face / sentence-transformers
 * folder (weights in `model.safetensors`, bare or `bert.`-prefixed; a Dense module's weights as
 * the projection). Throws naming the file and tensor that is missing or misshapen.
 */
export async function loadModelDir(dir: string): Promise<StoredModel> {
  const spec = await readModelSpec(dir);
  const weightsPath = join(dir, MODEL_FILES.weights);
  const suite = await pathExists(join(dir, MODEL_FILES.config)) &&
    hasSuiteSection(JSON.parse(await Deno.readTextFile(join(dir, MODEL_FILES.config))));
  const tensors = suite
    ? (await readSafetensorsFile(weightsPath)).tensors
    : await readForeignWeights(dir);
  return { spec, weights: collectModelWeights(spec, tensors, `"${weightsPath}"`) };
}
