import assert from "node:assert/strict";
import { findExperiment } from "../mod.ts";
import { cellMeans, experimentScope } from "./scope.ts";

Deno.test("cellMeans: the mean over a cell's ok seeds, only the asked measures", () => {
  const cell = (seed: number, status: string, rr: number) => ({
    cell: { method: "labels", size: "1-10", mode: "asymmetric", seed },
    status,
    metrics: { "RR@10": rr, "latency": 3 },
  });
  const means = cellMeans(
    [cell(1, "ok", 0.2), cell(2, "ok", 0.4), cell(3, "failed", 0.9)],
    ["RR@10", "nDCG@10"],
  );
  assert.deepEqual([...means], [["labels/1-10/asymmetric", { "RR@10": 0.30000000000000004 }]]);
});

Deno.test("experimentScope: table2's cells and measures; table4's measures spelled out per corpus", () => {
  const table2 = experimentScope(findExperiment("table2"), "tiny");
  assert.deepEqual(table2.measures, ["RR@10", "nDCG@10", "R@1000"]);
  assert.ok(table2.cells!.includes("teacher/full/-"));
  assert.ok(table2.cells!.includes("bm25/full/-"));
  assert.ok(table2.cells!.includes("embeddistill/1-10/asymmetric"));
  const table4 = experimentScope(findExperiment("table4"), "tiny");
  assert.equal(table4.measures![0], "nDCG@10");
  assert.ok(table4.measures!.length > 1);
});
