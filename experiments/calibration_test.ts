import assert from "node:assert/strict";
import type { CellSummary } from "./aggregate.ts";
import { calibrationChecks, calibrationLines } from "./calibration.ts";
import type { CellRef } from "./cell_id.ts";
import type { CellRecord } from "./cell_records.ts";
import { findExperiment } from "./mod.ts";

function summary(cell: CellRef, nDCG: number): CellSummary {
  return {
    cell,
    seeds: [1],
    mean: { "nDCG@10": nDCG },
    sd: { "nDCG@10": null },
    first: {} as CellRecord,
  };
}

const TABLE2 = findExperiment("table2");
const teacher = { method: "teacher", size: "full", mode: "-" };
const bm25 = { method: "bm25", size: "full", mode: "-" };
const labels = (mode: string) => ({ method: "labels", size: "1-10", mode });

Deno.test("calibration: holds at the thresholds, fails just past them", () => {
  // 0.5 >= 0.4 + 0.10 (holds at equality); 0.425 = 15 % below 0.5 (holds at equality).
  const holds = calibrationChecks(TABLE2, [
    summary(teacher, 0.5),
    summary(bm25, 0.4),
    summary(labels("symmetric"), 0.425),
    summary(labels("asymmetric"), 0.2),
  ]);
  assert.deepEqual(holds.map((c) => c.verdict), ["holds", "holds", "holds"]);
  const fails = calibrationChecks(TABLE2, [
    summary(teacher, 0.5),
    summary(bm25, 0.41),
    summary(labels("symmetric"), 0.43),
    summary(labels("asymmetric"), 0.6),
  ]);
  assert.deepEqual(fails.map((c) => c.verdict), ["fails", "fails", "fails"]);
  const below = calibrationChecks(TABLE2, [summary(teacher, 0.1), summary(bm25, 0.2)]);
  assert.match(calibrationLines(below)[0]!, /: 0\.100 vs 0\.200 \(-0\.100\)$/);
  assert.match(
    calibrationLines(fails)[0]!,
    /^fails teacher nDCG@10 >= BM25 \+ 0\.10: 0\.500 vs 0\.410/,
  );
  assert.match(
    calibrationLines(fails)[2]!,
    /labels\/1-10\/asymmetric .*0\.600 vs 0\.500 \(-20\.0 % below\)/,
  );
});

Deno.test("calibration: missing cells are not measured", () => {
  const checks = calibrationChecks(TABLE2, [summary(teacher, 0.5)]);
  assert.deepEqual(checks.map((c) => c.verdict), ["not measured", "not measured", "not measured"]);
});
