/**
 * The query-generation contract: documents in, generated queries out, used for embedding
 * matching only (EmbedDistill, arXiv 2301.12005, "query generation": no labels on them).
 *
 * @module
 */

import type { Document } from "../data/mod.ts";

/** One generated query. It carries no relevance label: it is for embedding matching only. */
export interface GeneratedQuery {
  /** Unique id, `<docId>#q<i>` (see {@linkcode generatedQueryId}). */
  readonly id: string;
  /** The document it was generated from. */
  readonly docId: string;
  readonly text: string;
  /** The generator that made it: `<kind>:<first 16 hex digits of its config hash>`. */
  readonly generator: string;
}

/**
 * A generator's full configuration: plain JSON data (strings, finite numbers, booleans, null,
 * arrays, objects) with a `kind` discriminant. Everything that
 * changes the output belongs here (seed, lengths, model hashes); nothing that does not (batch
 * size, threads), so its hash names the output in caches.
 */
export interface QueryGeneratorConfig {
  readonly kind: string;
}

/** Progress of a generation run, in documents. */
export interface GenerationProgress {
  readonly done: number;
  readonly total: number;
}

/** Options of {@linkcode QueryGenerator.generate}. */
export interface GenerateOptions {
  /** Called after each batch of documents. */
  readonly onProgress?: (progress: GenerationProgress) => void;
  /** Documents per batch (a throughput knob; it never changes the output). */
  readonly batchSize?: number;
}

/**
 * Generates queries from documents. `generate` receives the whole corpus to generate for (a
 * generator may use corpus statistics such as document frequencies), works through it in
 * batches, and returns the queries in document order; a document may yield no query (e.g. an
 * empty text). Output is a function of `config` and the documents only.
 */
export interface QueryGenerator {
  /** Everything that determines the output. */
  readonly config: QueryGeneratorConfig;
  /** SHA-256 (lowercase hex) of the canonical JSON of `config`. */
  readonly configHash: string;
  generate(
    documents: readonly Document[],
    options?: GenerateOptions,
  ): Promise<readonly GeneratedQuery[]>;
}

/** The id of the `index`-th query generated from document `docId`. */
export function generatedQueryId(docId: string, index: number): string {
  return `${docId}#q${index}`;
}

/** The `generator` label of queries made by a config with hash `configHash`. */
export function generatorLabel(config: QueryGeneratorConfig, configHash: string): string {
  return `${config.kind}:${configHash.slice(0, 16)}`;
}

/** Throw a RangeError unless `value` is an integer >= `min`; `what` names it in the message. */
export function checkInteger(value: number, min: number, what: string): number {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`Cannot use ${what} "${value}": expected an integer >= ${min}`);
  }
  return value;
}
