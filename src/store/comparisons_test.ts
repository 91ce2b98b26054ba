import assert from "node:assert/strict";
import { sampleRun, withTempStore } from "../testing/mod.ts";
import {
  type ComparisonInput,
  readCalibration,
  readComparisons,
  writeCalibration,
  writeComparisons,
} from "./comparisons.ts";
import { beginRun } from "./runs.ts";

const comparison = (a: string, b: string, measure: string, p: number): ComparisonInput => ({
  a,
  b,
  measure,
  delta: 0.0125,
  queries: 40,
  test: "paired randomisation, Holm",
  tTestP: p / 2,
  randomizationP: p,
  adjustedP: Math.min(1, 3 * p),
  adjustedTTestP: Math.min(1, 3 * p / 2),
});

Deno.test("writeComparisons: stored and read back by a, b, measure; a rewrite replaces them", async () => {
  await withTempStore(async (store) => {
    const runId = await beginRun(store, sampleRun("k"));
    const other = await beginRun(store, sampleRun("other"));
    const x = comparison("score-kd/1-10/asymmetric", "labels/1-10/asymmetric", "nDCG@10", 0.01);
    const y = comparison("embeddistill/1-10/asymmetric", "labels/1-10/asymmetric", "RR@10", 0.2);
    await writeComparisons(store, runId, [x, y]);
    await writeComparisons(store, other, [x]);
    assert.deepEqual(await readComparisons(store, runId), [y, x]);
    // More rows than one insert binds.
    const many = Array.from({ length: 1200 }, (_, i) => comparison(`m${i}/1-10/x`, "b", "m", 0.5));
    await writeComparisons(store, runId, many);
    assert.equal((await readComparisons(store, runId)).length, 1200);
    assert.deepEqual(await readComparisons(store, other), [x]);
    await assert.rejects(writeComparisons(store, 999, [x]), /FOREIGN KEY constraint failed/);
  });
});

Deno.test("writeCalibration: checks kept in their order; a rewrite replaces them", async () => {
  await withTempStore(async (store) => {
    const runId = await beginRun(store, sampleRun("k"));
    const checks = [
      { statement: "z teacher >= BM25 + 0.10", verdict: "holds", evidence: "0.5 vs 0.3" },
      { statement: "a labels below", verdict: "not measured", evidence: "" },
    ];
    await writeCalibration(store, runId, checks);
    assert.deepEqual(await readCalibration(store, runId), checks);
    await writeCalibration(store, runId, []);
    assert.deepEqual(await readCalibration(store, runId), []);
  });
});
