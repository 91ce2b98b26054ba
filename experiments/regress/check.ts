/**
 * Every expected value of a file against a run's values: one check per value (a value the run did
 * not produce is a FAIL), lines as printed, and the summary.
 *
 * @module
 */

import type { RegressCheckInput, RegressVerdict } from "../../src/store/mod.ts";
import type { ExpectedFile } from "./expected_file.ts";
import type { CellValues } from "./scope.ts";
import { judge } from "./verdict.ts";

/** One checked value (the store's row plus the delta at printed precision). */
export interface Check extends RegressCheckInput {
  readonly delta: number | null;
}

/** Check every value of `file` against `actual`. */
export function checkValues(file: ExpectedFile, actual: CellValues): Check[] {
  return file.values.map((v) => {
    const value = actual.get(v.cell)?.[v.measure] ?? null;
    const { verdict, delta } = judge(v.expected, value, v.tolerance);
    return {
      experiment: file.experiment,
      cell: v.cell,
      measure: v.measure,
      expected: v.expected,
      actual: value,
      tolerance: v.tolerance,
      verdict,
      delta,
    };
  });
}

const signed = (x: number) => `${x >= 0 ? "+" : "-"}${Math.abs(x).toFixed(4)}`;

/** `FAIL    table2 labels/1-10/asymmetric RR@10  expected 0.2500 actual 0.2300 delta -0.0200 tol 0.0050`. */
export function checkLine(c: Check): string {
  const actual = c.actual === null ? "missing" : c.actual.toFixed(4);
  const delta = c.delta === null ? "-" : signed(c.delta);
  return `${c.verdict.padEnd(6)} ${c.experiment} ${c.cell} ${c.measure}`.padEnd(60) +
    ` expected ${c.expected.toFixed(4)} actual ${actual.padStart(7)} delta ${delta.padStart(7)}` +
    ` tol ${c.tolerance.toFixed(4)}`;
}

/** Count per verdict. */
export function countVerdicts(checks: readonly Check[]): Record<RegressVerdict, number> {
  const counts: Record<RegressVerdict, number> = { OK: 0, BETTER: 0, "OK*": 0, FAIL: 0 };
  for (const c of checks) counts[c.verdict]++;
  return counts;
}

/** `regress: 52 values: 50 OK, 1 BETTER, 1 OK*, 0 FAIL`. */
export function summaryLine(checks: readonly Check[]): string {
  const n = countVerdicts(checks);
  return `regress: ${checks.length} values: ${n.OK} OK, ${n.BETTER} BETTER, ${n["OK*"]} OK*, ` +
    `${n.FAIL} FAIL`;
}
