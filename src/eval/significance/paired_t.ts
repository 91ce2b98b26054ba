/**
 * The paired (dependent-samples) two-sided Student's t-test on per-query values.
 *
 * @module
 */

import { pairedDifferences } from "./paired_values.ts";
import { studentTTwoSided } from "./student_t.ts";

/** Outcome of {@link pairedTTest}. */
export interface PairedTTest {
  readonly kind: "paired-t";
  /** Number of paired queries. */
  readonly n: number;
  /** Mean of a - b. */
  readonly meanDifference: number;
  /** t = mean(d) / (sd(d) / sqrt(n)), sd with n - 1. */
  readonly t: number;
  readonly df: number;
  /** Two-sided p-value. */
  readonly p: number;
}

/**
 * Paired two-sided t-test of H0: mean(a - b) = 0 (as `scipy.stats.ttest_rel`). When every
 * difference is equal the variance is 0: equal values give t = 0 and p = 1, a constant non-zero
 * difference t = +-Infinity and p = 0 (scipy returns NaN for both).
 *
 * @example
 * ```ts
 * pairedTTest([0.5, 0.7, 0.9], [0.4, 0.5, 0.6]).p; // 0.0741...
 * ```
 */
export function pairedTTest(a: readonly number[], b: readonly number[]): PairedTTest {
  const d = pairedDifferences(a, b);
  const n = d.length;
  const mean = d.reduce((s, x) => s + x, 0) / n;
  const variance = d.reduce((s, x) => s + (x - mean) * (x - mean), 0) / (n - 1);
  const df = n - 1;
  if (variance === 0) {
    return mean === 0
      ? { kind: "paired-t", n, meanDifference: 0, t: 0, df, p: 1 }
      : { kind: "paired-t", n, meanDifference: mean, t: Math.sign(mean) * Infinity, df, p: 0 };
  }
  const t = mean / Math.sqrt(variance / n);
  return { kind: "paired-t", n, meanDifference: mean, t, df, p: studentTTwoSided(t, df) };
}
