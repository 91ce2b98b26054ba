// deno-lint-ignore-file no-console
/**
 * Difficulty report of the embedded synthetic corpus: BM25 (k1=0.9, b=0.4, title + text,
 * lowercase alphanumeric tokens, no stop words) on every split of every variant, as nDCG@10,
 * RR@10 and R@100 (and Success@5/20 by answer matching for `nq`). Prints a markdown table.
 *
 *   deno run --allow-read --allow-env --allow-sys bench/synthetic_difficulty.ts [--sizes tiny,mini] [--seed 42]
 *
 * @module
 */

import { parseArgs } from "node:util";
import { synthetic } from "../src/data/mod.ts";
import { evaluate, evaluateAnswers, parseMeasure, qrelsFromJudgments } from "../src/eval/mod.ts";
import { ANSERINI_BM25, bm25Run, Bm25Searcher, buildBm25Index } from "../src/retrieval/mod.ts";
import { formatMachine } from "../src/engine/mod.ts";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "tiny,mini" },
    seed: { type: "string", default: "42" },
  },
});
const seed = Number(values.seed);
const sizeNames = values.sizes.split(",") as (keyof typeof synthetic.SYNTHETIC_SIZES)[];
const measures = ["nDCG@10", "RR@10", "R@100"].map(parseMeasure);
const answerMeasures = ["Success@5", "Success@20"].map(parseMeasure);

console.log(
  `Machine: ${formatMachine()}; ` +
    `generator ${synthetic.SYNTHETIC_GENERATOR_VERSION}, seed ${seed}; BM25 k1=${ANSERINI_BM25.k1} b=${ANSERINI_BM25.b}\n`,
);
console.log(
  "| variant | size | split | queries | gen s | nDCG@10 | RR@10 | R@100 | Success@5 | Success@20 |",
);
console.log("|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
for (const sizeName of sizeNames) {
  const sizes = synthetic.SYNTHETIC_SIZES[sizeName];
  if (sizes === undefined) {
    throw new RangeError(`Unknown size "${sizeName}": expected tiny or mini`);
  }
  for (const kind of synthetic.SYNTHETIC_VARIANT_KINDS) {
    const t0 = performance.now();
    const ds = synthetic.synthesize({ variant: { kind }, seed, sizes });
    const genSeconds = (performance.now() - t0) / 1000;
    const searcher = new Bm25Searcher(await buildBm25Index(ds.documents), ANSERINI_BM25);
    const text = new Map(ds.documents.map((d) => [d.id, d.text]));
    for (const split of synthetic.SYNTHETIC_SPLITS) {
      const ids = new Set(ds.splits[split]);
      const queries = ds.queries.filter((q) => ids.has(q.id));
      const run = bm25Run(searcher, queries, { k: 100 });
      const qrels = qrelsFromJudgments(
        ds.qrels[split].map((j) => ({ queryId: j.queryId, docId: j.docId, label: j.label })),
        ids,
      );
      const m = evaluate(qrels, run, measures).map((r) => r.mean.toFixed(3));
      let success = ["", ""];
      if (kind === "nq") {
        const answers = new Map(queries.map((q) => [q.id, q.answers]));
        success = evaluateAnswers(run, (id) => text.get(id), answers, answerMeasures).map((r) =>
          r.mean.toFixed(3)
        );
      }
      console.log(
        `| ${kind} | ${sizeName} | ${split} | ${queries.length} | ${genSeconds.toFixed(2)} | ${
          m.join(" | ")
        } | ${success.join(" | ")} |`,
      );
    }
  }
}
