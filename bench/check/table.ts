/**
 * The check's table, one line per bench: bench | ratio | baseline | change | spread | verdict,
 * then the reference, backend, threads and BLAS it ran on, and why the verdict.
 *
 * @module
 */

import { type BenchOutcome, signedPercent } from "./check.ts";

function pad(cells: readonly string[][]): string {
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join(" | ").trimEnd()).join("\n");
}

/** The table as text. */
export function formatOutcomes(outcomes: readonly BenchOutcome[]): string {
  const rows = outcomes.map((o) => {
    const m = o.measurement;
    return [
      o.bench,
      m.ratio.toFixed(3),
      o.baseline?.ratio.toFixed(3) ?? "-",
      o.judgement.change === null ? "-" : signedPercent(o.judgement.change),
      m.spread.toFixed(2),
      o.judgement.verdict,
      `${m.reference}, ${m.backend}, ${m.threads} thr, BLAS ${
        m.blas ?? "none"
      }; ${o.judgement.reason}${
        o.first === undefined ? "" : ` (first run ${o.first.ratio.toFixed(3)})`
      }`,
    ];
  });
  return pad([["bench", "ratio", "baseline", "change", "spread", "verdict", "notes"], ...rows]);
}
