/**
 * Fixed-point formatting of a double exactly like C's `printf("%.Nf")`: the exact binary value
 * rounded to nearest, ties to even (trec_eval prints every measure with `%.4f`).
 *
 * @module
 */

const view = new DataView(new ArrayBuffer(8));

/**
 * Format `value` with `digits` decimals exactly as glibc's `printf("%.*f", digits, value)`.
 *
 * JavaScript's `toFixed` rounds a decimal tie away from zero (`0.03125.toFixed(4)` is "0.0313");
 * C rounds the exact binary value to nearest with ties to even, so trec_eval prints 0.0312. This
 * function expands the double exactly (BigInt arithmetic on its mantissa and exponent) and
 * rounds that. Negative values keep their sign even when they round to zero ("-0.0000"), as C
 * does; NaN and infinities print as "nan", "inf" and "-inf".
 *
 * @example
 * ```ts
 * formatFixed(0.03125, 4); // "0.0312"
 * formatFixed(0.03135, 4); // "0.0313" (the double is slightly below 0.03135)
 * ```
 */
export function formatFixed(value: number, digits = 4): string {
  if (!Number.isInteger(digits) || digits < 0 || digits > 100) {
    throw new RangeError(
      `Cannot format with ${digits} decimals: expected an integer from 0 to 100`,
    );
  }
  if (Number.isNaN(value)) return "nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  view.setFloat64(0, value);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const negative = (hi >>> 31) === 1;
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exponent: number;
  if (biased === 0) {
    exponent = -1074; // subnormal: mantissa * 2^-1074
  } else {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  // value = mantissa * 2^exponent; scaled = value * 10^digits, rounded half to even.
  const scale = 10n ** BigInt(digits);
  let scaled: bigint;
  if (exponent >= 0) {
    scaled = (mantissa << BigInt(exponent)) * scale;
  } else {
    const shift = BigInt(-exponent);
    const numerator = mantissa * scale;
    const quotient = numerator >> shift;
    const remainder = numerator - (quotient << shift);
    const half = 1n << (shift - 1n);
    if (remainder > half || (remainder === half && (quotient & 1n) === 1n)) {
      scaled = quotient + 1n;
    } else {
      scaled = quotient;
    }
  }
  let text = scaled.toString();
  if (digits > 0) {
    text = text.padStart(digits + 1, "0");
    text = `${text.slice(0, text.length - digits)}.${text.slice(text.length - digits)}`;
  }
  return negative ? `-${text}` : text;
}
