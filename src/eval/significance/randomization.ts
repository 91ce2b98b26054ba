/**
 * The paired randomisation (sign-flip permutation) test on per-query values: under H0 the sign
 * of each query's difference is exchangeable, so the observed |mean difference| is compared with
 * the |mean| of sign-flipped differences (Fisher; Smucker, Allan & Carterette 2007 for IR).
 *
 * @module
 */

import { pairedDifferences } from "./paired_values.ts";

/** Options of {@link pairedRandomizationTest}. */
export interface RandomizationOptions {
  /** Uniform [0, 1) source, e.g. the engine's `seededRandom(seed)`; fixed seed = fixed p-value. */
  readonly random: () => number;
  /** Random sign assignments when exact enumeration is larger (default 10,000). */
  readonly permutations?: number;
}

/** Outcome of {@link pairedRandomizationTest}. */
export interface PairedRandomizationTest {
  readonly kind: "paired-randomization";
  readonly n: number;
  readonly meanDifference: number;
  /** Two-sided p-value. */
  readonly p: number;
  /** Sign assignments evaluated (2^n when exact). */
  readonly permutations: number;
  /** True when all 2^n sign assignments were enumerated (no sampling). */
  readonly exact: boolean;
}

// Differences within this much of the observed statistic count as "as extreme" (floating-point
// sums of the same values in another order differ in the last bits).
const TIE_TOLERANCE = 1e-12;

/**
 * Two-sided paired randomisation test of H0: the per-query differences a - b are symmetric
 * around 0. When 2^n <= `permutations` every sign assignment is enumerated and
 * p = #{|mean*| >= |mean|} / 2^n (exact, as scipy's `permutation_test` with
 * `permutation_type="samples"`); otherwise `permutations` random assignments are drawn and
 * p = (1 + #{|mean*| >= |mean|}) / (1 + permutations) (the observed assignment counted once,
 * so p > 0; Phipson & Smyth 2010, also scipy's convention).
 */
export function pairedRandomizationTest(
  a: readonly number[],
  b: readonly number[],
  options: RandomizationOptions,
): PairedRandomizationTest {
  const d = pairedDifferences(a, b);
  const n = d.length;
  const permutations = options.permutations ?? 10_000;
  if (!Number.isInteger(permutations) || permutations < 1) {
    throw new RangeError(`Cannot run ${permutations} permutations: expected an integer >= 1`);
  }
  const observed = Math.abs(d.reduce((s, x) => s + x, 0));
  const threshold = observed - TIE_TOLERANCE * Math.max(1, observed);
  const meanDifference = d.reduce((s, x) => s + x, 0) / n;
  if (n <= 30 && 2 ** n <= permutations) {
    let extreme = 0;
    const total = 2 ** n;
    for (let mask = 0; mask < total; mask++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += (mask >>> i) & 1 ? -d[i]! : d[i]!;
      if (Math.abs(sum) >= threshold) extreme++;
    }
    return {
      kind: "paired-randomization",
      n,
      meanDifference,
      p: extreme / total,
      permutations: total,
      exact: true,
    };
  }
  let extreme = 0;
  for (let k = 0; k < permutations; k++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += options.random() < 0.5 ? -d[i]! : d[i]!;
    if (Math.abs(sum) >= threshold) extreme++;
  }
  return {
    kind: "paired-randomization",
    n,
    meanDifference,
    p: (1 + extreme) / (1 + permutations),
    permutations,
    exact: false,
  };
}
