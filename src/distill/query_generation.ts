/**
 * Query generation inside `distill` (EmbedDistill, "query generation"): queries generated from
 * unlabelled documents (cached by generator and corpus hash), capped per document, checked
 * against the training and dev queries (copies dropped, then the leak check asserted), and the
 * objective they train on: the recipe's embedding-matching terms only, each weighted (the paper
 * applies no labels to generated queries).
 *
 * @module
 */

import { join } from "node:path";
import { cacheHome, type Document, type Query } from "../data/mod.ts";
import type { LossRecipe, LossTerm } from "./loss/mod.ts";
import {
  findQueryLeaks,
  generateCached,
  type GeneratedQuery,
  generatorLabel,
  type QueryGenerator,
} from "../querygen/mod.ts";

/** Query generation of a `distill` run. */
export interface QueryGenerationConfig {
  /** Makes the queries (e.g. `SalientTermGenerator`, the offline default, or a seq2seq model). */
  readonly generator: QueryGenerator;
  /** Generated queries kept per document: the first this many the generator made (>= 1). */
  readonly perDocument: number;
  /** Multiplies every embedding-matching term of the generated batches (finite, > 0). */
  readonly weight: number;
  /**
   * More queries no generated query may copy (e.g. a test split), besides the run's training
   * and dev queries.
   */
  readonly heldOut?: readonly Query[];
}

/** The query generation of a run as settings (plain JSON data). */
export interface QueryGenerationSettings {
  /** `<kind>:<16 hex digits of the generator's config hash>`. */
  readonly generator: string;
  readonly perDocument: number;
  readonly weight: number;
}

/** What query generation produced. */
export interface QueryGenerationReport extends QueryGenerationSettings {
  /** Unlabelled documents generated from. */
  readonly documents: number;
  /** Queries the generator made (before the per-document cap). */
  readonly made: number;
  /** Queries trained on (after the cap and the leak check). */
  readonly generated: number;
  /** Generated queries dropped because they copy a training, dev or held-out query's text. */
  readonly leaksDropped: number;
  /** True when the generator's output was read from the cache. */
  readonly cached: boolean;
}

/** The settings form of a query generation config (validated). */
export function queryGenerationSettings(config: QueryGenerationConfig): QueryGenerationSettings {
  const { perDocument, weight, generator } = config;
  if (!Number.isInteger(perDocument) || perDocument < 1) {
    throw new RangeError(
      `Cannot generate queries: perDocument must be an integer >= 1, found ${perDocument}`,
    );
  }
  if (!Number.isFinite(weight) || weight <= 0) {
    throw new RangeError(
      `Cannot generate queries: weight must be a finite number > 0, found ${weight}`,
    );
  }
  return {
    generator: generatorLabel(generator.config, generator.configHash),
    perDocument,
    weight,
  };
}

/**
 * The objective of generated batches: the recipe's embed-match terms only, each weight
 * multiplied by `weight` (names kept). Throws when the recipe has no embed-match term.
 */
export function generatedRecipe(recipe: LossRecipe, weight: number): LossRecipe {
  const terms: LossTerm[] = recipe.terms
    .filter((t) => t.kind === "embed-match")
    .map((t) => ({ ...t, weight: (t.weight ?? 1) * weight }));
  if (terms.length === 0) {
    throw new TypeError(
      `Cannot train on generated queries: the loss recipe (${
        recipe.terms.map((t) => t.name ?? t.kind).join(", ")
      }) has no embed-match term, the only loss generated queries take (they have no labels)`,
    );
  }
  return { terms };
}

/** The first `perDocument` queries of each document, in the generator's order. */
export function capPerDocument(
  queries: readonly GeneratedQuery[],
  perDocument: number,
): GeneratedQuery[] {
  const seen = new Map<string, number>();
  return queries.filter((q) => {
    const n = seen.get(q.docId) ?? 0;
    seen.set(q.docId, n + 1);
    return n < perDocument;
  });
}

/** Generated queries ready to train on, and the report of how they were made. */
export interface PreparedGeneratedQueries {
  readonly queries: readonly GeneratedQuery[];
  readonly report: QueryGenerationReport;
}

/**
 * Generate (or read from the cache under `home`) the queries of `unlabelled`, keep
 * `perDocument` per document, and drop those copying a `known` or held-out query's text
 * (normalised, see `findQueryLeaks`: the leak check). Throws when nothing remains.
 */
export async function generateForDistill(
  config: QueryGenerationConfig,
  unlabelled: readonly Document[],
  known: readonly Query[],
  home?: string,
): Promise<PreparedGeneratedQueries> {
  const settings = queryGenerationSettings(config);
  if (unlabelled.length === 0) {
    throw new RangeError("Cannot generate queries: the unlabelled document pool is empty");
  }
  const cached = await generateCached(config.generator, unlabelled, {
    root: join(cacheHome(home), "artifacts"),
  });
  const capped = capPerDocument(cached.queries, config.perDocument);
  const heldOut = [...known, ...(config.heldOut ?? [])];
  const leaking = new Set(findQueryLeaks(capped, heldOut).map((l) => l.generatedId));
  const queries = capped.filter((q) => !leaking.has(q.id));
  if (queries.length === 0) {
    throw new RangeError(
      `Cannot train on generated queries: ${settings.generator} made ${cached.queries.length} from ${unlabelled.length} documents and none is left after the per-document cap and the leak check`,
    );
  }
  return {
    queries,
    report: {
      ...settings,
      documents: unlabelled.length,
      made: cached.queries.length,
      generated: queries.length,
      leaksDropped: leaking.size,
      cached: cached.hit,
    },
  };
}
