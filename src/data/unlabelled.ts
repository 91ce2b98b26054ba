/**
 * The unlabelled documents of a dataset, for query generation: its `pool.jsonl` (documents of
 * the corpus no query is judged on) when the folder has one, else the corpus documents that none
 * of the given judgments names.
 *
 * @module
 */

import { join } from "node:path";
import type { Qrels } from "../eval/mod.ts";
import { pathExists } from "../io/mod.ts";
import { readBeirCorpus } from "./beir.ts";
import type { Document } from "./records.ts";

/** File of a BEIR folder listing the unlabelled documents (corpus.jsonl's format). */
export const POOL_FILE = "pool.jsonl";

/** Unlabelled documents and where they came from. */
export interface Unlabelled {
  readonly documents: readonly Document[];
  /** `pool.jsonl`, or `unjudged corpus`. */
  readonly source: string;
}

/**
 * The documents queries may be generated from: `<dir>/pool.jsonl` when present, else the
 * documents of `corpus` that no judgment of `judged` names (any label: a document a dev query is
 * judged on yields no generated query).
 *
 * @example
 * ```ts
 * const train = await loadSplit({ kind: "dataset", id: "synthetic-msmarco/tiny" }, "train");
 * const { documents, source } = await loadUnlabelled(train.dir, train.corpus, [train.qrels]);
 * ```
 */
export async function loadUnlabelled(
  dir: string,
  corpus: readonly Document[],
  judged: readonly (Qrels | undefined)[],
): Promise<Unlabelled> {
  const pool = join(dir, POOL_FILE);
  if (await pathExists(pool)) {
    const documents: Document[] = [];
    for await (const d of readBeirCorpus(pool)) documents.push(d);
    return { documents, source: POOL_FILE };
  }
  const ids = new Set<string>();
  for (const qrels of judged) {
    for (const docs of qrels?.queries.values() ?? []) for (const id of docs.keys()) ids.add(id);
  }
  return { documents: corpus.filter((d) => !ids.has(d.id)), source: "unjudged corpus" };
}
