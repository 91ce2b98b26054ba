/**
 * Generates a synthetic retrieval dataset in memory: documents, queries with their split, graded
 * qrels and the unlabeled pool, deterministically from the parameters.
 *
 * @module
 */

import type { Judgment } from "../../eval/mod.ts";
import type { Document, Query } from "../records.ts";
import { judge } from "./judge.ts";
import { type SyntheticParams, validateParams } from "./params.ts";
import { type CorpusPlan, planCorpus } from "./plan.ts";
import { Random } from "./random.ts";
import { renderDocument, renderQuery } from "./render.ts";
import { buildWorld, type World, worldShape } from "./world.ts";

/** A query (data's {@linkcode Query}) with its answer strings, non-empty for `nq` only. */
export interface SyntheticQuery extends Query {
  readonly answers: readonly string[];
}

/** The three query splits. */
export type SyntheticSplit = "train" | "dev" | "test";

/** The splits in file order. */
export const SYNTHETIC_SPLITS: readonly SyntheticSplit[] = ["train", "dev", "test"];

/** A generated dataset, everything sorted by id. */
export interface SyntheticDataset {
  readonly params: SyntheticParams;
  readonly documents: readonly Document[];
  readonly queries: readonly SyntheticQuery[];
  /** Query ids of each split (disjoint). */
  readonly splits: Readonly<Record<SyntheticSplit, readonly string[]>>;
  /** Judgements of each split, sorted by query id then document id. */
  readonly qrels: Readonly<Record<SyntheticSplit, readonly Judgment[]>>;
  /**
   * Ids of the pool documents: corpus documents about a concept pair of one topic (written like
   * the relevant documents) that no query asks, judged for no query.
   */
  readonly pool: readonly string[];
}

function ids(prefix: string, n: number): string[] {
  const width = String(Math.max(0, n - 1)).length;
  return Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(width, "0")}`);
}

/** Internal: the dataset with the hidden world and plan that produced it (tests only). */
export function synthesizeWithWorld(
  params: SyntheticParams,
): { dataset: SyntheticDataset; world: World; plan: CorpusPlan; docIds: readonly string[] } {
  validateParams(params);
  const { sizes, variant } = params;
  const root = new Random(params.seed);
  const total = sizes.train + sizes.dev + sizes.test;
  const world = buildWorld(root.fork("world"), worldShape(total, sizes.documents));
  const plan = planCorpus(world, variant, sizes, root.fork("plan"));

  const docRng = root.fork("documents");
  const docOrder = root.fork("document-ids").shuffle(plan.docs.map((_, i) => i));
  const docIds = new Array<string>(plan.docs.length);
  const names = ids("d", plan.docs.length);
  docOrder.forEach((planIndex, position) => (docIds[planIndex] = names[position]!));
  const rendered = plan.docs.map((d) => renderDocument(world, variant, d, docRng));
  const documents = docOrder.map((i) => ({ id: docIds[i]!, ...rendered[i]! }));

  const queryRng = root.fork("queries");
  const seen = new Set<string>();
  const renderedQueries = plan.queries.map((q) => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const r = renderQuery(world, variant, q, queryRng);
      if (!seen.has(r.text)) {
        seen.add(r.text);
        return r;
      }
    }
    throw new RangeError(`Cannot render a unique text for query of concepts ${q.a} and ${q.b}`);
  });
  const queryOrder = root.fork("query-ids").shuffle(plan.queries.map((_, i) => i));
  const queryNames = ids("q", plan.queries.length);
  const queryIds = new Array<string>(plan.queries.length);
  queryOrder.forEach((planIndex, position) => (queryIds[planIndex] = queryNames[position]!));
  const queries = queryOrder.map((i) => ({
    id: queryIds[i]!,
    text: renderedQueries[i]!.text,
    answers: renderedQueries[i]!.answers,
  }));

  // Splits: a seeded partition of the shuffled queries (train first, then dev, then test).
  const splitOrder = root.fork("splits").shuffle(plan.queries.map((_, i) => i));
  const bounds: Record<SyntheticSplit, [number, number]> = {
    train: [0, sizes.train],
    dev: [sizes.train, sizes.train + sizes.dev],
    test: [sizes.train + sizes.dev, total],
  };
  const judgements = judge(variant, plan.queries, plan.docs);
  const judged = new Set<number>();
  for (const list of judgements) for (const j of list) judged.add(j.doc);

  const splits = {} as Record<SyntheticSplit, readonly string[]>;
  const qrels = {} as Record<SyntheticSplit, readonly Judgment[]>;
  for (const split of ["train", "dev", "test"] as const) {
    const [from, to] = bounds[split];
    const members = splitOrder.slice(from, to);
    splits[split] = members.map((i) => queryIds[i]!).sort();
    const lines: Judgment[] = [];
    for (const i of members) {
      for (const j of judgements[i]!) {
        lines.push({ queryId: queryIds[i]!, docId: docIds[j.doc]!, label: j.grade });
      }
    }
    lines.sort((x, y) =>
      x.queryId === y.queryId ? (x.docId < y.docId ? -1 : 1) : x.queryId < y.queryId ? -1 : 1
    );
    qrels[split] = lines;
  }

  const poolIndices = plan.docs.flatMap((d, i) => (d.origin === "pool" ? [i] : []));
  const judgedPool = poolIndices.find((i) => judged.has(i));
  if (judgedPool !== undefined || poolIndices.length !== sizes.pool) {
    throw new Error(
      `Cannot take the pool: the plan has ${poolIndices.length} pool documents for sizes.pool "${sizes.pool}"${
        judgedPool === undefined ? "" : ` and pool document "${docIds[judgedPool]}" is judged`
      }; expected exactly sizes.pool documents judged for no query (a generator bug)`,
    );
  }
  const pool = poolIndices.map((i) => docIds[i]!).sort();

  return {
    dataset: { params, documents, queries, splits, qrels, pool },
    world,
    plan,
    docIds,
  };
}

/**
 * Generate a synthetic dataset in memory. Same parameters (and generator version), same dataset.
 *
 * @example
 * ```ts
 * const ds = synthesize({ variant: { kind: "generic" }, seed: 1, sizes: SYNTHETIC_SIZES.tiny });
 * ds.qrels.test.length; // graded judgements of the test queries
 * ```
 */
export function synthesize(params: SyntheticParams): SyntheticDataset {
  return synthesizeWithWorld(params).dataset;
}
