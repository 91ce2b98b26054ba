/**
 * One expected value against its actual value: both taken at printed precision (4 decimals, in
 * whole units of 1e-4, so no float rounding decides a boundary), then OK (|delta| <= tolerance),
 * BETTER (above by more than the tolerance), OK* (below, within 1.5 x the tolerance), FAIL (below
 * by more, or no actual value). Every expected measure is higher-is-better.
 *
 * @module
 */

import type { RegressVerdict } from "../../src/store/mod.ts";

/** Decimals values are printed, stored and compared at. */
export const PRINTED_DECIMALS = 4;

const SCALE = 10 ** PRINTED_DECIMALS;

/** `value` in whole units of the printed precision (0.12345 -> 1235). */
export function printedUnits(value: number): number {
  return Math.round(value * SCALE);
}

/** `value` rounded to the printed precision. */
export function atPrinted(value: number): number {
  return printedUnits(value) / SCALE;
}

/** A check's outcome: the verdict and actual - expected at printed precision (null: no actual). */
export interface Judgement {
  readonly verdict: RegressVerdict;
  readonly delta: number | null;
}

/** Judge `actual` against `expected` with `tolerance` (all compared at printed precision). */
export function judge(expected: number, actual: number | null, tolerance: number): Judgement {
  if (actual === null || !Number.isFinite(actual)) return { verdict: "FAIL", delta: null };
  const d = printedUnits(actual) - printedUnits(expected);
  const t = printedUnits(tolerance);
  const delta = d / SCALE;
  if (Math.abs(d) <= t) return { verdict: "OK", delta };
  if (d > 0) return { verdict: "BETTER", delta };
  return { verdict: -d <= 1.5 * t ? "OK*" : "FAIL", delta };
}
