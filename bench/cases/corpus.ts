/**
 * The text the BM25, tokeniser and query-latency cases share: SciFact (title + text, test topics)
 * from the shared data folder, or a generated stand-in of the same size when it is absent (so the
 * cases run anywhere; the workload line says which). Loaded once per process.
 *
 * @module
 */

import { type Document, type Query, readBeirCorpus, readTsvTopics } from "../../src/data/mod.ts";
import { seededRandom } from "../../src/engine/mod.ts";
import { sharedPath } from "../../src/testing/mod.ts";

/** A corpus, its queries, and where they came from. */
export interface BenchCorpus {
  readonly docs: readonly Document[];
  readonly queries: readonly Query[];
  /** `SciFact` or `generated`. */
  readonly source: string;
}

/** A generated stand-in for SciFact (5,183 docs, 300 queries of mulberry32-seeded words). */
export function generatedCorpus(): BenchCorpus {
  const next = seededRandom(20230126);
  const word = () => `w${Math.floor(next() ** 3 * 30000)}`;
  const words = (n: number) => Array.from({ length: n }, word).join(" ");
  return {
    docs: Array.from(
      { length: 5183 },
      (_, i) => ({ id: `${i}`, title: words(12), text: words(200) }),
    ),
    queries: Array.from({ length: 300 }, (_, i) => ({ id: `q${i}`, text: words(12) })),
    source: "generated",
  };
}

let loaded: Promise<BenchCorpus> | undefined;

/** SciFact's corpus and test queries, or {@link generatedCorpus} without the shared data. */
export function benchCorpus(): Promise<BenchCorpus> {
  loaded ??= (async () => {
    const corpus = sharedPath("scifact/beir/corpus.jsonl");
    const topics = sharedPath("scifact/topics.beir-v1.0.0-scifact.test.tsv.gz");
    if (corpus === undefined || topics === undefined) return generatedCorpus();
    const docs: Document[] = [];
    for await (const d of readBeirCorpus(corpus)) docs.push(d);
    const queries: Query[] = [];
    for await (const q of readTsvTopics(topics)) queries.push(q);
    return { docs, queries, source: "SciFact" };
  })();
  return loaded;
}
