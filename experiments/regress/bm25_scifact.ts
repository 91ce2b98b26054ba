/**
 * `regress bm25-scifact`: BM25 on SciFact's test split from the shared data folder, as the
 * suite's acceptance test runs it (title + text, the oracle's stop list, k1 0.9, b 0.4, top 1000),
 * evaluated on nDCG@10, R@100, R@1000 and AP. Deterministic: recomputed on every check.
 *
 * @module
 */

import { join } from "node:path";
import { loadBeirSplit } from "../../src/data/mod.ts";
import { evaluate, parseMeasure, qrelsFromJudgments } from "../../src/eval/mod.ts";
// BM25's own face: retrieval/mod.ts also loads ONNX Runtime, which this check does not use.
import {
  ANSERINI_BM25,
  bm25Run,
  Bm25Searcher,
  buildBm25Index,
  ORACLE_STOPWORDS,
} from "../../src/retrieval/bm25/mod.ts";
import { sharedData } from "../../src/testing/mod.ts";
import type { ExpectedScope } from "./expected_file.ts";
import type { CellValues } from "./scope.ts";

/** The check's id (`regress bm25-scifact`, results/expected/bm25-scifact.json). */
export const BM25_SCIFACT = "bm25-scifact";

/** Its one cell and its measures. */
export const BM25_SCIFACT_CELL = "bm25/full/-";
export const BM25_SCIFACT_MEASURES: readonly string[] = ["nDCG@10", "R@100", "R@1000", "AP"];

/** What its expected file may name. */
export const BM25_SCIFACT_SCOPE: ExpectedScope = {
  experiment: BM25_SCIFACT,
  preset: null,
  cells: [BM25_SCIFACT_CELL],
  measures: BM25_SCIFACT_MEASURES,
};

/**
 * The SciFact BEIR folder of the shared data, or why it is absent (then the check is skipped;
 * with CI=true an absent shared folder is an error, thrown by the suite's sharedData()).
 */
export function scifactFolder():
  | { readonly kind: "present"; readonly dir: string }
  | { readonly kind: "absent"; readonly reason: string } {
  const shared = sharedData();
  if (shared.kind === "absent") return { kind: "absent", reason: shared.reason };
  return { kind: "present", dir: join(shared.dir, "data", "scifact", "beir") };
}

/** BM25's values on SciFact test in `dir` (a BEIR folder). */
export async function bm25SciFactValues(dir: string): Promise<CellValues> {
  const { documents, queries, qrels } = await loadBeirSplit(dir, "test");
  const index = await buildBm25Index(documents, { tokenizer: { stopwords: ORACLE_STOPWORDS } });
  const run = bm25Run(new Bm25Searcher(index, ANSERINI_BM25), queries, { k: 1000 });
  const results = evaluate(
    qrelsFromJudgments(qrels),
    run,
    BM25_SCIFACT_MEASURES.map(parseMeasure),
  );
  const values: Record<string, number> = {};
  BM25_SCIFACT_MEASURES.forEach((m, i) => values[m] = results[i]!.mean);
  return new Map([[BM25_SCIFACT_CELL, values]]);
}
