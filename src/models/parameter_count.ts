/**
 * Parameter counts of a model per tower, with and without the word-embedding table (the size
 * ratio of EXPERIMENTS.md is query-tower parameters, reported both ways).
 *
 * @module
 */

import { match } from "ts-pattern";
import { modelParameterShapes, type ModelSpec, type Side, towerPrefix } from "./architecture.ts";

/** Name of the word-embedding table under a tower prefix (Hugging Face BERT). */
const EMBEDDING_TABLE = "embeddings.word_embeddings.weight";

/** Parameters of one tower (or a cross-encoder's one encoder, heads included). */
export interface TowerParameters {
  /** Every parameter of the tower: encoder, projection, heads. */
  readonly total: number;
  /** The word-embedding table alone (vocabulary x hidden). */
  readonly embeddingTable: number;
  /** `total - embeddingTable`. */
  readonly withoutEmbeddingTable: number;
}

/**
 * A model's parameter counts: a dual encoder's two towers (equal objects when shared) and the
 * unique total, or a cross-encoder's one encoder.
 */
export type ParameterCount =
  | {
    readonly kind: "dual";
    readonly shared: boolean;
    readonly query: TowerParameters;
    readonly document: TowerParameters;
    /** Unique parameters of the model (a shared tower counted once). */
    readonly total: number;
  }
  | { readonly kind: "cross"; readonly encoder: TowerParameters; readonly total: number };

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function towerCount(shapes: ReadonlyMap<string, readonly number[]>, prefix: string) {
  let total = 0;
  let embeddingTable = 0;
  for (const [name, shape] of shapes) {
    if (!name.startsWith(prefix)) continue;
    total += size(shape);
    if (name === prefix + EMBEDDING_TABLE) embeddingTable += size(shape);
  }
  return { total, embeddingTable, withoutEmbeddingTable: total - embeddingTable };
}

/**
 * Count a model's parameters from its spec (what its safetensors file holds).
 *
 * @example
 * ```ts
 * const count = parameterCount(spec);
 * if (count.kind === "dual") count.query.withoutEmbeddingTable;
 * ```
 */
export function parameterCount(spec: ModelSpec): ParameterCount {
  const shapes = modelParameterShapes(spec);
  const total = [...shapes.values()].reduce((a, s) => a + size(s), 0);
  return match(spec)
    .with({ kind: "dual" }, (dual): ParameterCount => {
      const side = (s: Side) => towerCount(shapes, towerPrefix(dual, s));
      return {
        kind: "dual",
        shared: dual.towers.kind === "shared",
        query: side("query"),
        document: side("document"),
        total,
      };
    })
    .with({ kind: "cross" }, (): ParameterCount => ({
      kind: "cross",
      encoder: towerCount(shapes, ""),
      total,
    }))
    .exhaustive();
}

/**
 * Size ratio of EXPERIMENTS.md: student query-tower parameters over teacher query-tower parameters,
 * with the embedding table and without it. Cross-encoders count their one encoder.
 */
export function sizeRatio(
  student: ParameterCount,
  teacher: ParameterCount,
): { readonly withEmbeddingTable: number; readonly withoutEmbeddingTable: number } {
  const query = (c: ParameterCount) => c.kind === "dual" ? c.query : c.encoder;
  const s = query(student);
  const t = query(teacher);
  return {
    withEmbeddingTable: s.total / t.total,
    withoutEmbeddingTable: s.withoutEmbeddingTable / t.withoutEmbeddingTable,
  };
}
