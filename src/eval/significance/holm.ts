/**
 * Holm's step-down correction of p-values for multiple comparisons (Holm 1979), controlling the
 * family-wise error rate over all comparisons x measures of one table.
 *
 * @module
 */

/**
 * Holm-adjusted p-values, in the input's order: sort ascending, p'_(i) = max over j <= i of
 * min(1, (m - j + 1) p_(j)) (as `statsmodels.stats.multitest.multipletests(method="holm")`).
 * Reject H0_i at level alpha when the adjusted p_i < alpha.
 *
 * @example
 * ```ts
 * holmAdjust([0.01, 0.04, 0.03]); // [0.03, 0.06, 0.06]
 * ```
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  pValues.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) {
      throw new RangeError(`Cannot adjust p-value ${i}: expected a number in [0, 1], found ${p}`);
    }
  });
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p || x.i - y.i);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
