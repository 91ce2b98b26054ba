/**
 * The error function in float64, accurate to ~1e-15, for the plain-TypeScript reference forward
 * pass (erf-GELU) that finite-difference gradient checks rely on, and for the fused GELU kernel's
 * tables.
 *
 * @module
 */

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * erf(x) by the everywhere-positive series
 * erf(x) = (2/sqrt(pi)) e^{-x^2} sum_{n>=0} 2^n x^{2n+1} / (2n+1)!!
 * (Abramowitz & Stegun 7.1.6), which has no cancellation; |x| >= 6 returns +-1 (erfc(6) < 3e-17).
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const ax = Math.abs(x);
  if (ax >= 6) return Math.sign(x);
  const x2 = ax * ax;
  let term = ax;
  let sum = ax;
  for (let n = 0; n < 500; n++) {
    term *= (2 * x2) / (2 * n + 3);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  const value = TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
  return x < 0 ? -value : value;
}

/** Exact (erf) GELU: x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)), as Hugging Face's `"gelu"`. */
export function geluErf(x: number): number {
  return 0.5 * x * (1 + erf(x / Math.SQRT2));
}
