/**
 * Verdicts of a measured ratio against its baseline: `faster`, `same` or `slower` beyond the
 * threshold (symmetric in ratio: faster below baseline / (1 + threshold)), `incomparable` when the
 * two were not measured alike (another reference, workload — e.g. the generated corpus for
 * SciFact —, backend, thread count, or BLAS vs no BLAS), and
 * `new` without a baseline.
 *
 * @module
 */

import type { BaselineEntry } from "./baseline.ts";

/** A bench's verdict. */
export type BenchVerdict = "faster" | "same" | "slower" | "incomparable" | "new";

/** What a verdict looks at in a measurement. */
export interface MeasuredRatio {
  readonly ratio: number;
  readonly reference: string;
  readonly workload: string;
  readonly backend: string;
  readonly threads: number;
  readonly blas: string | null;
}

/** A verdict, the relative change of the ratio (null without a comparable baseline), and why. */
export interface Judgement {
  readonly verdict: BenchVerdict;
  readonly change: number | null;
  readonly reason: string;
}

/** Why `measured` cannot be compared with `baseline`, or null when it can. */
export function incomparability(measured: MeasuredRatio, baseline: BaselineEntry): string | null {
  if (measured.blas !== baseline.blas) {
    return `BLAS ${measured.blas ?? "none"} here, ${baseline.blas ?? "none"} in the baseline`;
  }
  if (measured.reference !== baseline.reference) {
    return `reference ${measured.reference} here, ${baseline.reference} in the baseline`;
  }
  if (measured.workload !== baseline.workload) {
    return `workload "${measured.workload}" here, "${baseline.workload}" in the baseline`;
  }
  if (measured.backend !== baseline.backend) {
    return `backend ${measured.backend} here, ${baseline.backend} in the baseline`;
  }
  if (measured.threads !== baseline.threads) {
    return `${measured.threads} threads here, ${baseline.threads} in the baseline`;
  }
  return null;
}

/** Judge `measured` against `baseline` with `threshold` (relative slowdown tolerated, > 0). */
export function judge(
  measured: MeasuredRatio,
  baseline: BaselineEntry | undefined,
  threshold: number,
): Judgement {
  if (!(threshold > 0)) {
    throw new RangeError(`Cannot judge with threshold ${threshold}: expected > 0`);
  }
  if (baseline === undefined) return { verdict: "new", change: null, reason: "no baseline" };
  const why = incomparability(measured, baseline);
  if (why !== null) return { verdict: "incomparable", change: null, reason: why };
  const change = measured.ratio / baseline.ratio - 1;
  const pct = `${(100 * threshold).toFixed(0)} %`;
  if (change > threshold) return { verdict: "slower", change, reason: `beyond +${pct}` };
  if (measured.ratio < baseline.ratio / (1 + threshold)) {
    return { verdict: "faster", change, reason: `below baseline / ${1 + threshold}` };
  }
  return { verdict: "same", change, reason: `within ${pct}` };
}
