// deno-lint-ignore-file no-console
/**
 * Benchmark of query generation throughput (queries/s) on the SciFact corpus (5,183 abstracts):
 * the salient-term generator (tf-idf over the corpus + seeded sampling) against the naive
 * first-k-words baseline in the same run. Backend: plain TypeScript on V8, one thread. Skipped,
 * with a message, when the shared data folder is absent.
 *
 * Run: deno bench --allow-read --allow-env --allow-sys bench/query_gen_bench.ts
 *
 * @module
 */

import { type Document, readBeirCorpus } from "../src/data/mod.ts";
import {
  FirstWordsGenerator,
  type QueryGenerator,
  SalientTermGenerator,
} from "../src/querygen/mod.ts";
import { sharedPath } from "../src/testing/mod.ts";
import { formatMachine } from "../src/engine/mod.ts";

const corpusPath = sharedPath("scifact/beir/corpus.jsonl");
if (corpusPath === undefined) {
  console.log("query_gen_bench: skipped, shared SciFact data (scifact/beir) is absent");
} else {
  const docs: Document[] = [];
  for await (const d of readBeirCorpus(corpusPath)) docs.push(d);
  const machine = formatMachine();
  console.log(
    `query_gen_bench: SciFact, ${docs.length} docs; backend TypeScript (V8 ${Deno.version.v8}), ` +
      `1 thread; machine ${machine}`,
  );
  const generators: [string, QueryGenerator, boolean][] = [
    ["first 8 words, 1 query/doc (baseline)", new FirstWordsGenerator({ words: 8 }), true],
    [
      "salient terms, 1 query/doc",
      new SalientTermGenerator({ seed: 1, queriesPerDocument: 1 }),
      false,
    ],
    ["salient terms, 3 queries/doc (default)", new SalientTermGenerator({ seed: 1 }), false],
  ];

  // Throughput once, for the record; Deno.bench gives the distributions.
  for (const [label, generator] of generators) {
    const t0 = performance.now();
    const queries = await generator.generate(docs);
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `query_gen_bench: ${label}: ${queries.length} queries in ${seconds.toFixed(3)} s = ` +
        `${(queries.length / seconds).toFixed(0)} queries/s, ${
          (docs.length / seconds).toFixed(0)
        } docs/s; e.g. "${queries[0]?.text}"`,
    );
  }

  for (const [label, generator, baseline] of generators) {
    Deno.bench({
      name: `generate from ${docs.length} SciFact docs: ${label} [ts, 1 thread]`,
      group: "generate",
      baseline,
      fn: async () => {
        await generator.generate(docs);
      },
    });
  }
}
