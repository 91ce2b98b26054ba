/**
 * Fixed candidate lists for a cross-encoder teacher: each training example's positive plus k
 * negatives, mined by a first-stage retriever (BM25, or any retriever's embeddings) or sampled at
 * random (seeded), never a document judged relevant to the query.
 *
 * @module
 */

import { deriveSeed, seededRandom } from "../../engine/mod.ts";
import { type Bm25Parameters, Bm25Searcher, buildBm25Index } from "../../retrieval/mod.ts";
import type { Matrix } from "../../io/mod.ts";
import { mineHardNegatives, type TrainingExample } from "../train/mod.ts";

/**
 * Where a candidate list's negatives come from (a cross-encoder can only score the pairs it is
 * given, so the first stage decides which negatives its scores teach):
 * - `random`: k documents drawn uniformly without replacement per query (seeded);
 * - `bm25`: the top-k BM25 documents of the query text (default parameters Anserini's k1 0.9,
 *   b 0.4), topped up with seeded random documents when fewer than k share a term with it;
 * - `embeddings`: the top-k by inner product of a first-stage retriever's query and document
 *   embeddings (e.g. a dual encoder's, or an earlier student's), as `mineHardNegatives`.
 */
export type CeFirstStage =
  | { readonly kind: "random"; readonly seed: number }
  | { readonly kind: "bm25"; readonly params?: Bm25Parameters; readonly seed?: number }
  | {
    readonly kind: "embeddings";
    readonly queries: Matrix;
    readonly documents: Matrix;
  }
  | {
    readonly kind: "mix";
    readonly stages: readonly CeFirstStage[];
    readonly depth: number;
    readonly seed: number;
  };

/** The texts the `bm25` first stage reads (indices as in the training data). */
export interface CandidateTexts {
  readonly queries: readonly string[];
  readonly documents: readonly string[];
}

/** Inputs of {@link candidateLists}. */
export interface CandidateInputs {
  /** Training examples (query, positive); their own `negatives` are replaced. */
  readonly examples: readonly TrainingExample[];
  /** Documents judged relevant per query: never used as negatives. */
  readonly relevant: ReadonlyMap<number, ReadonlySet<number>>;
  readonly documentCount: number;
  /** Needed by the `bm25` first stage. */
  readonly texts?: CandidateTexts;
}

function randomFill(
  list: number[],
  skip: ReadonlySet<number>,
  documentCount: number,
  k: number,
  seed: number,
  query: number,
): void {
  const random = seededRandom(deriveSeed(seed, `candidates/query-${query}`));
  const taken = new Set(list);
  while (list.length < k) {
    const doc = Math.floor(random() * documentCount);
    if (skip.has(doc) || taken.has(doc)) continue;
    taken.add(doc);
    list.push(doc);
  }
}

/** Per query, the `mix` first stage's k negatives (see {@link CeFirstStage}). */
async function mixedLists(
  inputs: CandidateInputs,
  queries: readonly number[],
  k: number,
  mix: Extract<CeFirstStage, { kind: "mix" }>,
): Promise<Map<number, number[]>> {
  const n = mix.stages.length;
  if (n === 0) throw new RangeError("Cannot mix candidate lists of no first stage");
  const { relevant, documentCount } = inputs;
  const judged = Math.max(0, ...queries.map((q) => relevant.get(q)?.size ?? 0));
  const depth = Math.min(mix.depth, documentCount - judged);
  const ranked: Map<number, readonly number[]>[] = [];
  for (const stage of mix.stages) {
    const lists = await candidateLists(inputs, depth, stage);
    ranked.push(new Map(lists.map((e) => [e.query, e.negatives ?? []])));
  }
  const none = new Set<number>();
  const out = new Map<number, number[]>();
  for (const q of queries) {
    const random = seededRandom(deriveSeed(mix.seed, `candidates/mix/query-${q}`));
    const list: number[] = [];
    ranked.forEach((byQuery, s) => {
      const share = Math.floor(k / n) + (s >= n - (k % n) ? 1 : 0);
      const pool = (byQuery.get(q) ?? []).filter((d) => !list.includes(d));
      for (let i = 0; i < share && i < pool.length; i++) {
        const j = i + Math.floor(random() * (pool.length - i));
        [pool[i], pool[j]] = [pool[j]!, pool[i]!];
        list.push(pool[i]!);
      }
    });
    randomFill(list, relevant.get(q) ?? none, documentCount, k, mix.seed, q);
    out.set(q, list);
  }
  return out;
}

/**
 * Attach exactly `k` negatives to every example (the same list for every example of a query, in
 * first-stage rank order; random ones in draw order). Every query's list is a pure function of
 * the inputs and the first stage's seed. Throws RangeError when a query has fewer than `k`
 * non-relevant documents in the corpus, TypeError when `bm25` has no texts.
 */
export async function candidateLists(
  inputs: CandidateInputs,
  k: number,
  firstStage: CeFirstStage,
): Promise<TrainingExample[]> {
  const { examples, relevant, documentCount } = inputs;
  if (!Number.isInteger(k) || k < 0) {
    throw new RangeError(
      `Cannot build candidate lists with ${k} negatives: expected an integer >= 0`,
    );
  }
  const queries = [...new Set(examples.map((e) => e.query))].sort((a, b) => a - b);
  for (const q of queries) {
    const available = documentCount - (relevant.get(q)?.size ?? 0);
    if (available < k) {
      throw new RangeError(
        `Cannot draw ${k} negatives for query ${q}: the corpus has only ${available} non-relevant documents`,
      );
    }
  }
  if (k === 0) return examples.map((e) => ({ ...e, negatives: [] }));
  const lists = new Map<number, number[]>();
  const none = new Set<number>();
  switch (firstStage.kind) {
    case "random":
      for (const q of queries) {
        const list: number[] = [];
        randomFill(list, relevant.get(q) ?? none, documentCount, k, firstStage.seed, q);
        lists.set(q, list);
      }
      break;
    case "bm25": {
      const texts = inputs.texts;
      if (texts === undefined || texts.documents.length !== documentCount) {
        throw new TypeError(
          `Cannot mine BM25 candidates: expected the texts of ${documentCount} documents, found ${
            texts?.documents.length ?? "none"
          }`,
        );
      }
      const index = await buildBm25Index(
        texts.documents.map((text, i) => ({ id: String(i), title: "", text })),
        { fields: "text" },
      );
      const searcher = firstStage.params === undefined
        ? new Bm25Searcher(index)
        : new Bm25Searcher(index, firstStage.params);
      for (const q of queries) {
        const skip = relevant.get(q) ?? none;
        const text = texts.queries[q];
        if (text === undefined) {
          throw new RangeError(`Cannot mine BM25 candidates: no text for query ${q}`);
        }
        const list = searcher.search(text, k + skip.size).map((h) => Number(h.docId))
          .filter((d) => !skip.has(d)).slice(0, k);
        randomFill(list, skip, documentCount, k, firstStage.seed ?? 0, q);
        lists.set(q, list);
      }
      break;
    }
    case "embeddings": {
      if (firstStage.documents.count !== documentCount) {
        throw new TypeError(
          `Cannot mine candidates: ${firstStage.documents.count} document embeddings for ${documentCount} documents`,
        );
      }
      const mined = mineHardNegatives(
        examples,
        firstStage.queries,
        firstStage.documents,
        relevant,
        k,
      );
      for (const e of mined) lists.set(e.query, [...(e.negatives ?? [])]);
      break;
    }
    case "mix":
      for (const [q, list] of await mixedLists(inputs, queries, k, firstStage)) lists.set(q, list);
      break;
    default: {
      const unreachable: never = firstStage;
      throw new TypeError(`Unknown first stage ${JSON.stringify(unreachable)}`);
    }
  }
  return examples.map((e) => ({
    query: e.query,
    positive: e.positive,
    negatives: lists.get(e.query)!,
  }));
}
