import assert from "node:assert/strict";
import { seededRandom } from "../src/engine/mod.ts";
import { cellQualities, summarize } from "./aggregate.ts";
import type { CellRef } from "./cell_id.ts";
import type { CellRecord } from "./cell_records.ts";
import { comparisonPairs } from "./cells.ts";
import { findExperiment } from "./mod.ts";
import { renderTable } from "./table_text.ts";
import { compareCells, judgeClaims } from "./verdicts.ts";

function record(cell: CellRef, level: number): CellRecord {
  const perQuery: Record<string, number> = {};
  for (let q = 0; q < 30; q++) {
    perQuery[`q${q}`] = Math.min(1, Math.max(0, level + 0.05 * Math.sin(q)));
  }
  const mean = Object.values(perQuery).reduce((s, x) => s + x, 0) / 30;
  return {
    kind: "cell",
    version: 1,
    experiment: "table2",
    preset: "tiny",
    runKey: "k",
    cell,
    status: "ok",
    error: null,
    chosen: {},
    metrics: { "RR@10": mean, "nDCG@10": mean, "R@1000": 1 },
    perQuery: { "RR@10": perQuery, "nDCG@10": perQuery, "R@1000": {} },
    latency: { p50: 1.25, p95: 2.5, tokenizeP50: 0.1, queries: 30, threads: 1 },
    sizes: {
      queryParameters: 62_000,
      queryParametersWithoutEmbeddings: 12_000,
      ratio: 0.1,
      ratioWithoutEmbeddings: 0.03,
      modelBytes: 1,
      indexBytesFp32: 1,
      indexBytesFp16: 1,
      peakRss: 1,
    },
    timings: {},
    curves: {},
    runFile: null,
    provenance: {},
    finishedAt: "2026-12-02T00:00:00.000Z",
  };
}

Deno.test("summaries: mean and sd (n - 1) over seeds; per-query values averaged over seeds", () => {
  const a = record({ method: "labels", size: "1-10", mode: "symmetric", seed: 1 }, 0.2);
  const b = record({ method: "labels", size: "1-10", mode: "symmetric", seed: 2 }, 0.4);
  const [s] = summarize([a, b]);
  assert.deepEqual(s!.seeds, [1, 2]);
  const m1 = a.metrics["RR@10"]!, m2 = b.metrics["RR@10"]!;
  assert.ok(Math.abs(s!.mean["RR@10"]! - (m1 + m2) / 2) < 1e-12);
  assert.ok(Math.abs(s!.sd["RR@10"]! - Math.abs(m1 - m2) / Math.SQRT2) < 1e-12);
  const q = cellQualities([a, b]).find((c) => c.measure === "RR@10")!;
  assert.ok(Math.abs(q.perQuery.get("q0")! - 0.3) < 1e-12);
  assert.equal(summarize([{ ...a, status: "failed" }]).length, 0);
});

Deno.test("the table shows retention, significance marks, paper values and the claims", () => {
  const table2 = findExperiment("table2");
  const records = [
    record({ method: "teacher", size: "full", mode: "-" }, 0.4),
    record({ method: "labels", size: "1-10", mode: "asymmetric", seed: 1 }, 0.2),
    record({ method: "score-kd", size: "1-10", mode: "asymmetric", seed: 1 }, 0.3),
    record({ method: "embeddistill", size: "1-10", mode: "asymmetric", seed: 1 }, 0.39),
  ];
  const quality = cellQualities(records);
  const comparisons = compareCells(
    comparisonPairs(table2, table2.claims),
    table2.measures,
    quality,
    {
      random: seededRandom(1),
      permutations: 500,
    },
  );
  const text = renderTable({
    experiment: table2,
    preset: "tiny",
    runKey: "k",
    summaries: summarize(records),
    comparisons,
    verdicts: judgeClaims(table2.claims, "RR@10", quality, comparisons),
    calibration: ["teacher nDCG@10 0.40 vs BM25 0.20"],
  });
  const line = (prefix: string) => text.split("\n").find((l) => l.startsWith(prefix)) ?? "";
  assert.match(line("embeddistill/1-10/asymmetric"), /97\.\d %/);
  assert.match(line("embeddistill/1-10/asymmetric"), /\+0\.0900 ▲/);
  assert.match(line("embeddistill/1-10/asymmetric"), /0\.354 \(secondary\)/);
  assert.match(line("embeddistill/1-10/asymmetric"), /62\.0k \(12\.0k\) 10\.0 %/);
  assert.match(line("labels/2-3/symmetric"), /not transcribed/);
  assert.match(text, /calibration: teacher nDCG@10 0.40 vs BM25 0.20/);
  assert.match(
    text,
    /holds\s+A 1\/10-size asymmetric EmbedDistill student keeps >= 95 % of the teacher/,
  );
  assert.match(text, /not measured\s+Asymmetric >= symmetric/);
});
