/**
 * The statistics of an interleaved measurement: medians, the ratio median(bench) /
 * median(reference) that baselines compare, and the spread of the per-repeat ratios.
 *
 * @module
 */

/** The median of `values` (mean of the middle two for an even count); RangeError when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("Cannot take the median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** What an interleaved measurement gives: medians, their ratio, and the per-repeat ratios' spread. */
export interface RatioSummary {
  readonly medianMs: number;
  readonly referenceMedianMs: number;
  /** median(bench) / median(reference). */
  readonly ratio: number;
  /** (max - min) / median of the per-repeat ratios bench_i / reference_i. */
  readonly spread: number;
  readonly repeats: number;
}

/**
 * Summarise paired timings (`benchMs[i]` and `referenceMs[i]` measured back to back). RangeError
 * when the lists are empty, of different lengths, or hold a time that is not positive.
 */
export function summariseRatios(
  benchMs: readonly number[],
  referenceMs: readonly number[],
): RatioSummary {
  if (benchMs.length === 0 || benchMs.length !== referenceMs.length) {
    throw new RangeError(
      `Cannot summarise timings: ${benchMs.length} bench and ${referenceMs.length} reference ` +
        "times, expected the same number, at least one",
    );
  }
  for (const [what, list] of [["bench", benchMs], ["reference", referenceMs]] as const) {
    const bad = list.find((t) => !(t > 0) || !Number.isFinite(t));
    if (bad !== undefined) {
      throw new RangeError(`Cannot summarise timings: a ${what} time is ${bad}, expected > 0 ms`);
    }
  }
  const ratios = benchMs.map((t, i) => t / referenceMs[i]!);
  const mid = median(ratios);
  const medianMs = median(benchMs);
  const referenceMedianMs = median(referenceMs);
  return {
    medianMs,
    referenceMedianMs,
    ratio: medianMs / referenceMedianMs,
    spread: (Math.max(...ratios) - Math.min(...ratios)) / mid,
    repeats: benchMs.length,
  };
}
