/**
 * What a retrieval model is, as readonly data: a dual encoder (query and document towers, shared
 * or separate, optional projection, pooling, similarity) or a cross-encoder (`cls` head or dual
 * pooling), with the names and shapes of its parameters and their seeded initialisation.
 *
 * @module
 */

import type { BertConfig, NamedTensor, NamedTensors, Pooling } from "./config.ts";
import { bertParameterShapes, findTensor, poolerShapes } from "./bert_names.ts";
import { initTensor, normalSampler } from "./init.ts";

/**
 * Score of a query and a document embedding: inner product, or cosine times `scale` (a fixed
 * inverse temperature, e.g. 20 as in sentence-transformers' MultipleNegativesRankingLoss).
 */
export type Similarity =
  | { readonly kind: "dot" }
  | { readonly kind: "cosine"; readonly scale: number };

/** One tower: an encoder, optionally followed by a linear projection to `projectionDim`. */
export interface Tower {
  readonly encoder: BertConfig;
  readonly projectionDim?: number;
}

/** Whether query and document share one tower (same weights) or have their own. */
export type Towers =
  | { readonly kind: "shared"; readonly tower: Tower }
  | { readonly kind: "separate"; readonly query: Tower; readonly document: Tower };

/**
 * Text put before every query / document before tokenisation (sentence-transformers' `prompts`,
 * e.g. `"query: "`); absent means none.
 */
export interface Prompts {
  readonly query?: string;
  readonly document?: string;
}

/** A dual encoder: score(q, d) = similarity(embed_q(q), embed_d(d)). */
export interface DualEncoderSpec {
  readonly kind: "dual";
  readonly towers: Towers;
  readonly pooling: Pooling;
  readonly similarity: Similarity;
  readonly queryMaxLength: number;
  readonly documentMaxLength: number;
  /** Prompts prepended to texts before tokenisation; absent: none. */
  readonly prompts?: Prompts;
}

/** `text` with the spec's prompt for `side` prepended (unchanged without one). */
export function withPrompt(spec: DualEncoderSpec, side: Side, text: string): string {
  const prompt = spec.prompts?.[side];
  return prompt === undefined ? text : prompt + text;
}

/**
 * How a cross-encoder scores `[CLS] q [SEP] d [SEP]`: `cls` is Hugging Face
 * `BertForSequenceClassification` with one label (pooler dense + tanh on [CLS], then a linear
 * head); `dual-pooling` mean-pools the query segment and the document segment separately and
 * scores by their inner product (EmbedDistill section 4.2).
 */
export type CrossScorer =
  | { readonly kind: "cls" }
  | { readonly kind: "dual-pooling"; readonly includeSpecialTokens: boolean };

/** A cross-encoder over query-document pairs. */
export interface CrossEncoderSpec {
  readonly kind: "cross";
  readonly encoder: BertConfig;
  readonly scorer: CrossScorer;
  readonly maxLength: number;
}

/** Any model this folder builds. */
export type ModelSpec = DualEncoderSpec | CrossEncoderSpec;

/** Which side of a dual encoder. */
export type Side = "query" | "document";

/** The tower of one side. */
export function towerOf(spec: DualEncoderSpec, side: Side): Tower {
  return spec.towers.kind === "shared" ? spec.towers.tower : spec.towers[side];
}

/** Name prefix of one side's parameters: "" for shared towers, `query.` / `document.` otherwise. */
export function towerPrefix(spec: DualEncoderSpec, side: Side): string {
  return spec.towers.kind === "shared" ? "" : `${side}.`;
}

/** Width of a tower's embeddings (the projection's, else the encoder's hidden size). */
export function embeddingDim(tower: Tower): number {
  return tower.projectionDim ?? tower.encoder.hiddenSize;
}

/** Check a spec's consistency (towers produce equal widths, positive sizes); throws RangeError. */
export function validateSpec(spec: ModelSpec): void {
  const positive = (value: number, what: string) => {
    if (!Number.isInteger(value) || value <= 0) {
      throw new RangeError(
        `Cannot build a ${spec.kind} encoder: ${what} must be a positive integer, found ${value}`,
      );
    }
  };
  const encoders: BertConfig[] = [];
  if (spec.kind === "dual") {
    const q = towerOf(spec, "query");
    const d = towerOf(spec, "document");
    encoders.push(q.encoder, d.encoder);
    if (q.projectionDim !== undefined) positive(q.projectionDim, "the query projection");
    if (d.projectionDim !== undefined) positive(d.projectionDim, "the document projection");
    if (embeddingDim(q) !== embeddingDim(d)) {
      throw new RangeError(
        `Cannot build a dual encoder: query embeddings have ${
          embeddingDim(q)
        } dimensions, document embeddings ${embeddingDim(d)}`,
      );
    }
    positive(spec.queryMaxLength, "queryMaxLength");
    positive(spec.documentMaxLength, "documentMaxLength");
    if (spec.similarity.kind === "cosine" && !(spec.similarity.scale > 0)) {
      throw new RangeError(
        `Cannot build a dual encoder: cosine scale must be positive, found ${spec.similarity.scale}`,
      );
    }
  } else {
    encoders.push(spec.encoder);
    positive(spec.maxLength, "maxLength");
  }
  for (const e of encoders) {
    if (e.hiddenSize % e.numHeads !== 0) {
      throw new RangeError(
        `Cannot build a ${spec.kind} encoder: hidden size ${e.hiddenSize} is not divisible by ${e.numHeads} heads`,
      );
    }
  }
}

/** Full names and shapes of every parameter of a model (what its safetensors file holds). */
export function modelParameterShapes(spec: ModelSpec): Map<string, readonly number[]> {
  const shapes = new Map<string, readonly number[]>();
  const addEncoder = (config: BertConfig, prefix: string) => {
    for (const [name, shape] of bertParameterShapes(config)) shapes.set(prefix + name, shape);
  };
  switch (spec.kind) {
    case "dual": {
      const sides: Side[] = spec.towers.kind === "shared" ? ["query"] : ["query", "document"];
      for (const side of sides) {
        const tower = towerOf(spec, side);
        const prefix = towerPrefix(spec, side);
        addEncoder(tower.encoder, prefix);
        if (tower.projectionDim !== undefined) {
          shapes.set(`${prefix}projection.weight`, [tower.projectionDim, tower.encoder.hiddenSize]);
          shapes.set(`${prefix}projection.bias`, [tower.projectionDim]);
        }
      }
      return shapes;
    }
    case "cross": {
      addEncoder(spec.encoder, "");
      const scorer = spec.scorer;
      switch (scorer.kind) {
        case "cls":
          for (const [name, shape] of poolerShapes(spec.encoder)) shapes.set(name, shape);
          shapes.set("classifier.weight", [1, spec.encoder.hiddenSize]);
          shapes.set("classifier.bias", [1]);
          return shapes;
        case "dual-pooling":
          return shapes;
        default: {
          const unreachable: never = scorer;
          throw new TypeError(`Unknown cross-encoder scorer ${JSON.stringify(unreachable)}`);
        }
      }
    }
    default: {
      const unreachable: never = spec;
      throw new TypeError(`Unknown model kind ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Seeded initial weights of a model (BERT init, see init.ts; projections and heads drawn the same
 * way: N(0, 0.02^2) weights, zero biases).
 */
export function initModelWeights(
  spec: ModelSpec,
  seed: number,
  std?: number,
): Map<string, NamedTensor> {
  validateSpec(spec);
  const sampler = normalSampler(seed);
  const out = new Map<string, NamedTensor>();
  for (const [name, shape] of modelParameterShapes(spec)) {
    out.set(name, initTensor(name, shape, sampler, std));
  }
  return out;
}

/** Names under a tower prefix that belong to the BERT body (may carry a `bert.` infix). */
function isEncoderName(bare: string): boolean {
  return bare.startsWith("embeddings.") || bare.startsWith("encoder.") ||
    bare.startsWith("pooler.");
}

/**
 * Take a model's parameters from checkpoint tensors by name, checking shapes, and return them
 * under canonical names. Encoder names may carry a `bert.` infix after the tower prefix
 * (`bert.embeddings...` from Hugging Face task models); extra tensors are ignored. Throws
 * RangeError for a missing tensor and TypeError for a wrong shape, naming `source`.
 */
export function collectModelWeights(
  spec: ModelSpec,
  weights: NamedTensors,
  source = "weights",
): Map<string, NamedTensor> {
  validateSpec(spec);
  const prefixes = spec.kind === "dual" && spec.towers.kind === "separate"
    ? ["query.", "document."]
    : [""];
  const out = new Map<string, NamedTensor>();
  for (const [name, shape] of modelParameterShapes(spec)) {
    const prefix = prefixes.find((p) => p !== "" && name.startsWith(p)) ?? "";
    const bare = name.slice(prefix.length);
    // The query tower of separate towers may be stored bare (see `diskWeightNames`).
    const tensor = isEncoderName(bare)
      ? findTensor(weights, bare, prefix) ??
        (prefix === "query." ? findTensor(weights, bare) : undefined)
      : weights.get(name) ?? (prefix === "query." ? weights.get(bare) : undefined);
    if (tensor === undefined) {
      throw new RangeError(`Cannot find tensor "${name}" in ${source}`);
    }
    if (tensor.shape.length !== shape.length || tensor.shape.some((d, i) => d !== shape[i])) {
      throw new TypeError(
        `Cannot use tensor "${name}" of ${source}: expected shape ${JSON.stringify(shape)}, found ${
          JSON.stringify(tensor.shape)
        }`,
      );
    }
    out.set(name, tensor);
  }
  return out;
}
