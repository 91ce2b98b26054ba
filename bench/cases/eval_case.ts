/**
 * Parse + evaluate: a TREC run of 300 queries x 1,000 documents and its qrels, generated once into
 * the scratch folder (seeded: relevant ids plus random ids, random scores), read and evaluated on
 * nDCG@10, RR@10, R@1000 and AP each sample (trec_eval's job, in process).
 *
 * @module
 */

import { join } from "node:path";
import { evaluate, parseMeasure, readQrels, readRun } from "../../src/eval/mod.ts";
import { seededRandom } from "../../src/engine/mod.ts";
import type { BenchCase, PreparedCase } from "./case.ts";

/** The four measures of the evaluation bench (trec_eval needs two calls for them, -M 10 for RR@10). */
export const EVAL_MEASURES: readonly string[] = ["nDCG@10", "RR@10", "R@1000", "AP"];

/** Files of a generated evaluation workload. */
export interface EvalFiles {
  readonly qrels: string;
  readonly run: string;
  readonly queries: number;
  readonly depth: number;
}

/**
 * Write a seeded qrels file (1-4 relevant documents per query) and a run ranking them among random
 * ids (scores with 6 decimals, ties by id descending, as trec_eval orders) into `dir`.
 */
export async function writeEvalFiles(
  dir: string,
  queries: number,
  depth: number,
  seed = 20230126,
): Promise<EvalFiles> {
  const random = seededRandom(seed);
  const qrelLines: string[] = [];
  const runLines: string[] = [];
  for (let q = 0; q < queries; q++) {
    const qid = `q${q}`;
    const ids = new Set<string>();
    const relevant = 1 + Math.floor(random() * 4);
    for (let r = 0; r < relevant; r++) {
      const id = `d${Math.floor(random() * 8_841_822)}`;
      ids.add(id);
      qrelLines.push(`${qid} 0 ${id} 1`);
    }
    while (ids.size < depth) ids.add(`d${Math.floor(random() * 8_841_822)}`);
    const docs = [...ids].map((id) => ({ id, score: (random() * 20).toFixed(6) }));
    docs.sort((a, b) =>
      Number(b.score) - Number(a.score) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)
    );
    docs.forEach((d, i) => runLines.push(`${qid} Q0 ${d.id} ${i + 1} ${d.score} bench`));
  }
  const files = { qrels: join(dir, "bench.qrels"), run: join(dir, "bench.run"), queries, depth };
  await Deno.writeTextFile(files.qrels, qrelLines.join("\n") + "\n");
  await Deno.writeTextFile(files.run, runLines.join("\n") + "\n");
  return files;
}

/** `eval/parse-evaluate`. */
export const EVAL_CASE: BenchCase = {
  kind: "bench-case",
  name: "eval/parse-evaluate",
  reference: "scalar",
  threshold: 0.5,
  quick: true,
  async prepare(context): Promise<PreparedCase> {
    const files = await writeEvalFiles(context.tempDir, 300, 1000);
    const measures = EVAL_MEASURES.map(parseMeasure);
    return {
      kind: "prepared-case",
      backend: "ts",
      blas: null,
      workload: `${files.queries} queries x ${files.depth} docs, 4 measures`,
      async run() {
        const results = evaluate(await readQrels(files.qrels), await readRun(files.run), measures);
        if (results.length === 0) throw new Error("eval/parse-evaluate: no results");
      },
    };
  },
};
